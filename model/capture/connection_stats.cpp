#include "capture/connection_stats.h"

#include <cctype>

namespace tcpviz {

namespace {

constexpr std::size_t idx(Side s) {
    return static_cast<std::size_t>(s);
}

// One bit per Zeek history letter (HIST_* in Zeek's Conn.h).
namespace hist {
constexpr std::uint32_t Syn = 1U << 0;
constexpr std::uint32_t Fin = 1U << 1;
constexpr std::uint32_t Rst = 1U << 2;
constexpr std::uint32_t FinRst = 1U << 3;
constexpr std::uint32_t Data = 1U << 4;
constexpr std::uint32_t Ack = 1U << 5;
constexpr std::uint32_t MultiFlag = 1U << 6;
} // namespace hist

// The part of Wireshark's completeness a frame adds once its conversation exists
// (packet-tcp.c, "initialize or move forward the conversation completeness").
std::uint8_t laterContribution(const Segment& t) {
    std::uint8_t c = 0;
    const auto synAck = static_cast<std::uint8_t>(t.flags & (flag::SYN | flag::ACK));
    if (synAck == (flag::SYN | flag::ACK)) {
        c |= completeness::SynAck;
    }
    if (synAck == flag::ACK) {
        c |= t.len > 0 ? completeness::Data : completeness::Ack;
    }
    if ((t.flags & (flag::FIN | flag::ACK)) == (flag::FIN | flag::ACK)) {
        c |= completeness::Fin;
    }
    if ((t.flags & flag::RST) != 0) {
        c |= completeness::Rst;
    }
    return c;
}

// What the first frame of a new conversation sets: only a pure SYN counts.
std::uint8_t firstContribution(const Segment& t) {
    if ((t.flags & (flag::SYN | flag::ACK)) != flag::SYN) {
        return 0;
    }
    return static_cast<std::uint8_t>(completeness::Syn | (t.len > 0 ? completeness::Data : 0));
}

} // namespace

std::string completenessFlags(std::uint8_t value) {
    static constexpr std::array<std::pair<std::uint8_t, std::string_view>, 6> names{{
        {completeness::Syn, "SYN"},
        {completeness::SynAck, "SYN-ACK"},
        {completeness::Ack, "ACK"},
        {completeness::Data, "DATA"},
        {completeness::Fin, "FIN"},
        {completeness::Rst, "RST"},
    }};
    std::string out;
    for (const auto& [bit, name] : names) {
        if ((value & bit) != 0) {
            if (!out.empty()) {
                out += '|';
            }
            out += name;
        }
    }
    return out;
}

void ConnectionStats::onPacket(Side from, const Segment& tcp, bool first, bool retransmission) {
    const bool isSyn = (tcp.flags & flag::SYN) != 0;
    const bool isAck = (tcp.flags & flag::ACK) != 0;
    if (isSyn && !isAck) {
        ++syn;
    } else if (isSyn) {
        ++synAck;
    }
    if ((tcp.flags & flag::FIN) != 0) {
        ++fin;
    }
    if ((tcp.flags & flag::RST) != 0) {
        ++rst;
    }
    if (retransmission) {
        ++retransmissions;
    } else {
        bytes.at(idx(from)) += tcp.len;
    }
    if (first) {
        m_firstContribution = firstContribution(tcp);
    }
    m_laterContributions |= laterContribution(tcp);
    ++m_packets;
    updateHistory(from, tcp, retransmission);
    updateGaps(from, tcp);
    updateZeekState(from, tcp);
}

void ConnectionStats::onBadChecksum(Side from) {
    auto& e = m_zeek.at(idx(from));
    scaledHistory(from, 'C', e.checksumCount, e.checksumPower);
}

void ConnectionStats::scaledHistory(Side from, char code, std::uint32_t& count,
                                    std::uint8_t& power) {
    // 10^power in uint32 arithmetic: the value a threshold multiplied by ten at
    // each entry had, wraparound included.
    std::uint32_t threshold = 1;
    for (std::uint8_t i = 0; i < power; ++i) {
        threshold *= 10;
    }
    if (++count == threshold) {
        addHistory(from, code);
        ++power;
    }
}

namespace {
/// a < b in sequence space (RFC 9293 arithmetic modulo 2^32).
bool seqBefore(std::uint32_t a, std::uint32_t b) {
    return static_cast<std::int32_t>(a - b) < 0;
}
} // namespace

// Zeek's 'G': content the receiver acknowledged that the capture never showed.
// A segment starting beyond what its sender has sent so far opens a hole; a
// later segment (a retransmission) covering the hole's start fills it; an ACK
// from the peer beyond the hole's start while it is still open makes it a gap
// (the bytes arrived, the capture missed them, they will not come again).
void ConnectionStats::updateGaps(Side from, const Segment& tcp) {
    auto& e = m_zeek.at(idx(from));
    bool& nextKnown = m_nextKnown.at(idx(from));
    bool& hole = m_hole.at(idx(from));
    const bool syn = (tcp.flags & flag::SYN) != 0;
    const bool rst = (tcp.flags & flag::RST) != 0;
    const std::uint32_t seqLen =
        tcp.len + (syn ? 1U : 0U) + ((tcp.flags & flag::FIN) != 0 ? 1U : 0U);
    if (!rst && seqLen > 0) {
        const std::uint32_t end = tcp.seq + seqLen;
        if (syn || !nextKnown) {
            nextKnown = true;
            e.next = end;
            hole = false;
        } else {
            if (hole && !seqBefore(e.holeStart, tcp.seq) && seqBefore(e.holeStart, end)) {
                e.holeStart = end; // (partly) filled from its start
                hole = seqBefore(e.holeStart, e.holeEnd);
            }
            if (seqBefore(e.next, tcp.seq) && !hole) {
                hole = true;
                e.holeStart = e.next;
                e.holeEnd = tcp.seq;
            }
            if (seqBefore(e.next, end)) {
                e.next = end;
            }
        }
    }
    if ((tcp.flags & flag::ACK) != 0 && !rst) {
        const Side peer = from == Side::Client ? Side::Server : Side::Client;
        auto& p = m_zeek.at(idx(peer));
        bool& peerHole = m_hole.at(idx(peer));
        if (peerHole && seqBefore(p.holeStart, tcp.ack)) {
            peerHole = false;
            scaledHistory(peer, 'G', p.gapCount, p.gapPower);
        }
    }
}

void ConnectionStats::onCaptureCopy(Side from, const Segment& tcp, bool wiresharkRetransmission) {
    const std::array<std::uint64_t, 2> before = bytes;
    onPacket(from, tcp, false, wiresharkRetransmission);
    bytes = before; // TCP sent these bytes once
    if (wiresharkRetransmission) {
        --retransmissions;
        ++m_copiesWiresharkRetransmits;
    }
    ++captureCopies;
}

// tshark -2 shows, at every frame, the conversation's value *before* that frame is
// added, and its second pass starts from the first pass's final value with no frame
// treated as new. OR-ed over the frames this is: the first frame's pure-SYN bit, plus
// every frame's later contribution, except that a one-frame conversation keeps only
// its pass-1 value (its single frame never adds to what is shown).
std::uint8_t ConnectionStats::completeness() const {
    if (m_packets <= 1) {
        return m_firstContribution;
    }
    return static_cast<std::uint8_t>(m_firstContribution | m_laterContributions);
}

void ConnectionStats::markFlipped() {
    if (m_history.empty() || m_history.front() != '^') {
        m_history.insert(m_history.begin(), '^');
    }
}

void ConnectionStats::addHistory(Side from, char code) {
    if (m_history.size() >= 64) {
        return; // Zeek's letters are bounded in practice; a hostile capture must not grow this
    }
    m_history += from == Side::Client
                     ? code
                     : static_cast<char>(std::tolower(static_cast<unsigned char>(code)));
}

bool ConnectionStats::checkHistory(Side from, std::uint32_t bit, char code) {
    auto& e = m_zeek.at(idx(from));
    if ((e.histSeen & bit) == 0) {
        e.histSeen |= bit;
        addHistory(from, code);
        return false;
    }
    return true;
}

// Zeek's update_history (TCP.cc): SYN/FIN/RST letters repeat only for a packet with
// a different sequence number; D and A once per side; T and W "scaled" (1, 10, 100...).
void ConnectionStats::updateHistory(Side from, const Segment& tcp, bool retransmission) {
    auto& e = m_zeek.at(idx(from));
    const bool isSyn = (tcp.flags & flag::SYN) != 0;
    const bool isFin = (tcp.flags & flag::FIN) != 0;
    const bool isRst = (tcp.flags & flag::RST) != 0;
    const int bits = (isSyn ? 1 : 0) + (isFin ? 1 : 0) + (isRst ? 1 : 0);
    if (bits > 1) {
        if (isFin && isRst) {
            checkHistory(from, hist::FinRst, 'I');
        } else {
            checkHistory(from, hist::MultiFlag, 'Q');
        }
    } else if (bits == 1) {
        if (isSyn) {
            const char code = (tcp.flags & flag::ACK) != 0 ? 'H' : 'S';
            if (checkHistory(from, hist::Syn, code) && tcp.seq != e.lastSyn) {
                addHistory(from, code);
            }
            e.lastSyn = tcp.seq;
        }
        if (isFin) {
            const std::uint32_t end = tcp.seq + tcp.len;
            if (checkHistory(from, hist::Fin, 'F') && end != e.lastFin) {
                addHistory(from, 'F');
            }
            e.lastFin = end;
        }
        if (isRst) {
            if (checkHistory(from, hist::Rst, 'R') && tcp.seq != e.lastRst) {
                addHistory(from, 'R');
            }
            e.lastRst = tcp.seq;
        }
    } else if (tcp.len > 0) {
        checkHistory(from, hist::Data, 'D');
    } else if ((tcp.flags & flag::ACK) != 0) {
        checkHistory(from, hist::Ack, 'A');
    }
    if (retransmission && tcp.len > 0) {
        scaledHistory(from, 'T', e.retransmitCount, e.retransmitPower);
    }
    if (tcp.window == 0 && !isSyn && !isRst && (tcp.flags & flag::ACK) != 0) {
        scaledHistory(from, 'W', e.zeroWindowCount, e.zeroWindowPower);
    }
}

// Zeek's endpoint state machine (TCPSessionAdapter::UpdateStateMachine), reduced to
// what conn_state reads.
void ConnectionStats::updateZeekState(Side from, const Segment& tcp) {
    using Z = ZeekEndpointState;
    auto& self = m_zeekState.at(idx(from));
    auto& other = m_zeekState.at(idx(peer(from)));
    const bool isOrig = from == Side::Client;
    const bool isSyn = (tcp.flags & flag::SYN) != 0;
    const bool isAck = (tcp.flags & flag::ACK) != 0;
    const bool isFin = (tcp.flags & flag::FIN) != 0;
    const bool isRst = (tcp.flags & flag::RST) != 0;

    if (self == Z::Inactive) {
        if (isSyn) {
            if (isOrig) {
                self = isAck ? Z::SynAckSent : Z::SynSent;
            } else {
                if (other == Z::SynSent) {
                    other = Z::Established;
                }
                self = Z::Established;
            }
        }
        if (isFin) {
            self = Z::Closed;
        }
        if (isRst) {
            self = Z::Reset;
        }
        if (self == Z::Inactive) {
            if (!isOrig && tcp.len == 0 && other == Z::SynSent) {
                // An eccentric stack ACKing the SYN before its SYN+ACK: not partial.
            } else if (isAck && other == Z::Established) {
                self = Z::Established; // the SYN was missed, the SYN+ACK was not
            } else {
                self = Z::Partial;
            }
        }
        return;
    }
    if (isRst) {
        self = Z::Reset;
        return;
    }
    if (isFin && self != Z::Reset) {
        self = Z::Closed;
        return;
    }
    // A reply after the responder's SYN+ACK establishes an originator that started
    // with a SYN+ACK of its own (Zeek's SYN/SYN-ACK reversal case).
    if (self == Z::SynAckSent && isAck && !isSyn && other == Z::Established) {
        self = Z::Established;
    }
}

// base/protocols/conn/main.zeek, function conn_state.
std::string_view ConnectionStats::connState() const {
    using Z = ZeekEndpointState;
    const Z os = m_zeekState[0];
    const Z rs = m_zeekState[1];
    const bool oInactive = os == Z::Inactive || os == Z::Partial;
    const bool rInactive = rs == Z::Inactive || rs == Z::Partial;
    if (rs == Z::Reset) {
        if (os == Z::SynSent || os == Z::SynAckSent ||
            (os == Z::Reset && bytes[0] == 0 && bytes[1] == 0)) {
            return "REJ";
        }
        return oInactive ? "RSTRH" : "RSTR";
    }
    if (os == Z::Reset) {
        if (rInactive) {
            // Zeek: history matches /^\^?S[^HAFGIQ]*R.*/
            std::string_view h = m_history;
            if (!h.empty() && h.front() == '^') {
                h.remove_prefix(1);
            }
            if (!h.empty() && h.front() == 'S') {
                const auto stop = h.find_first_of("HAFGIQR", 1);
                if (stop != std::string_view::npos && h[stop] == 'R') {
                    return "RSTOS0";
                }
            }
            return "OTH";
        }
        return "RSTO";
    }
    if (rs == Z::Closed && os == Z::Closed) {
        return "SF";
    }
    if (os == Z::Closed) {
        return rInactive ? "SH" : "S2";
    }
    if (rs == Z::Closed) {
        return oInactive ? "SHR" : "S3";
    }
    if (os == Z::SynSent && rs == Z::Inactive) {
        return "S0";
    }
    if (os == Z::Established && rs == Z::Established) {
        return "S1";
    }
    return "OTH";
}

} // namespace tcpviz
