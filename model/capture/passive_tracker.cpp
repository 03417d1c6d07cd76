#include "capture/passive_tracker.h"

#include "tcp/seq.h"

#include <cassert>
#include <new>
#include <type_traits>
#include <utility>

namespace tcpviz {

namespace {

bool has(const Segment& t, std::uint8_t f) {
    return (t.flags & f) != 0;
}

// Wireshark's default for telling a reordered segment from a retransmission when no
// RTT is known: a segment that comes this soon after the previous one is "out of order".
constexpr std::int64_t kOutOfOrderNs = 3'000'000;

} // namespace

struct PassiveTracker::Work {
    std::array<Direction, 2> dir{};
    CaptureCopies copies;
};

const std::size_t PassiveTracker::kWorkBytes = sizeof(Work);
const std::size_t PassiveTracker::kWorkAlign = alignof(Work);

template <class Other> void PassiveTracker::takeResults(Other&& other) {
    m_client = other.m_client;
    m_server = other.m_server;
    m_stats = std::forward<Other>(other).m_stats; // moved from an rvalue: no allocation
    m_packets = other.m_packets;
    m_ignoredRsts = other.m_ignoredRsts;
    m_inferenceAnomalies = other.m_inferenceAnomalies;
    m_firstTimeNs = other.m_firstTimeNs;
    m_state = other.m_state;
    m_initial = other.m_initial;
    m_passiveOpen = other.m_passiveOpen;
    m_seen = other.m_seen;
    m_midStream = other.m_midStream;
    m_settled = other.m_settled;
}

PassiveTracker& PassiveTracker::operator=(const PassiveTracker& other) {
    if (this == &other) {
        return *this;
    }
    Work* copy = other.m_work != nullptr ? new Work(*other.m_work) : nullptr;
    // Memory of a pool is its owner's to take back (releaseWork); only our own is freed.
    if (m_ownsWork) {
        delete m_work;
    }
    takeResults(other);
    m_work = copy;
    m_ownsWork = copy != nullptr;
    return *this;
}

PassiveTracker& PassiveTracker::operator=(PassiveTracker&& other) noexcept {
    if (this == &other) {
        return *this;
    }
    if (m_ownsWork) {
        delete m_work;
    }
    m_work = std::exchange(other.m_work, nullptr);
    m_ownsWork = std::exchange(other.m_ownsWork, false);
    takeResults(std::move(other));
    return *this;
}

PassiveTracker::~PassiveTracker() {
    if (m_ownsWork) {
        delete m_work;
    }
}

void PassiveTracker::useWork(void* memory) {
    if (m_ownsWork) {
        delete m_work;
    }
    // NOLINTNEXTLINE(cppcoreguidelines-owning-memory): the caller's memory, not ours
    m_work = ::new (memory) Work{};
    m_ownsWork = false;
    m_settled = false;
}

void* PassiveTracker::releaseWork() {
    static_assert(std::is_trivially_destructible_v<Work>,
                  "releaseWork hands pool memory back without running a destructor");
    void* given = nullptr;
    if (m_ownsWork) {
        delete m_work;
    } else {
        given = m_work; // Work is trivially destructible: the memory is all there is
    }
    m_work = nullptr;
    m_ownsWork = false;
    m_settled = true;
    return given;
}

PassiveTracker::Work& PassiveTracker::work() {
    if (m_work == nullptr) {
        // NOLINTNEXTLINE(cppcoreguidelines-owning-memory): owned as m_ownsWork says
        m_work = new Work{};
        m_ownsWork = true;
    }
    return *m_work;
}

PassiveTracker::Direction& PassiveTracker::dir(Side s) {
    return work().dir.at(index(s));
}

const PassiveTracker::Direction& PassiveTracker::dir(Side s) const {
    static const Direction kNone{};
    return m_work != nullptr ? m_work->dir.at(index(s)) : kNone;
}

void PassiveTracker::start(const DecodedPacket& p) {
    const bool syn = has(p.tcp, flag::SYN);
    const bool ack = has(p.tcp, flag::ACK);
    m_firstTimeNs = p.timeNs;
    if (syn && !ack) {
        m_client = p.src;
        m_server = p.dst;
        m_initial = {State::Closed, State::Listen};
    } else if (syn) {
        // The capture starts at the SYN+ACK: its receiver must have sent the SYN.
        m_client = p.dst;
        m_server = p.src;
        m_initial = {State::SynSent, State::Listen};
    } else {
        m_midStream = true;
        const bool srcIsServer = p.src.port < p.dst.port;
        m_server = srcIsServer ? p.src : p.dst;
        m_client = srcIsServer ? p.dst : p.src;
        m_initial = {State::Established, State::Established};
    }
    m_state = m_initial;
}

TrackerStep PassiveTracker::onPacket(const DecodedPacket& p) {
    assert(!m_settled && "a settled tracker takes no packets");
    TrackerStep step;
    const bool first = m_packets == 0;
    if (first) {
        start(p);
    }
    const Side s = sideOf(p);
    step.sender = s;
    const Segment& t = p.tcp;
    Direction& d = dir(s);

    step.captureCopyOf = work().copies.check(s, p);
    if (step.captureCopyOf != 0) {
        // Counted as a frame (Wireshark and Zeek count it), judged as Wireshark
        // would judge it, and otherwise left out: TCP sent it once.
        m_stats.onCaptureCopy(s, t, retransmissionCheck(d, t, p.timeNs));
        d.lastTimeNs = p.timeNs; // Wireshark's out-of-order timing sees every frame
        ++m_packets;
        return step;
    }
    step.retransmission = retransmissionCheck(d, t, p.timeNs);
    if (!d.seen) {
        d.seen = true;
        m_seen.at(index(s)) = true;
        d.base = has(t, flag::SYN) ? t.seq : t.seq - 1;
    }
    // A peer not seen yet (a one-way capture may never show it): its sequence
    // space starts where this side's first ACK says, not at 0, so that relative
    // numbers count from there as Wireshark's do.
    if (Direction& other = dir(peer(s)); !other.seen && has(t, flag::ACK) && !other.baseFromAck) {
        other.base = t.ack - 1;
        other.baseFromAck = true;
    }
    const bool newFin = has(t, flag::FIN) && !d.finSent;
    // Segments from one sender arrive in order: if it sent a FIN earlier, its peer
    // has received that FIN by the time this segment arrives, answered or not.
    // (A retransmitted FIN is no such evidence: the first one may have been lost.)
    if (d.finSent && !has(t, flag::FIN) && !dir(peer(s)).gotPeerFin) {
        dir(peer(s)).gotPeerFin = true;
        receiveFin(step, peer(s), false);
    }

    if (has(t, flag::RST)) {
        handleRst(step, s, t);
        if (!step.ignoredRst && !d.seqKnown) {
            d.nextSeq = t.seq;
            d.seqKnown = true;
        }
    } else {
        updateSequence(d, t, p.timeNs);
        if (has(t, flag::SYN)) {
            handleSyn(step, s, t);
        } else if (has(t, flag::ACK)) {
            handleAck(step, s, t, newFin);
        }
        if (newFin) {
            handleFin(step, s);
        }
    }
    d.sentAnything = true;
    d.lastTimeNs = p.timeNs;

    m_stats.onPacket(s, t, first, step.retransmission);
    if (first && !(p.src == m_client)) {
        m_stats.markFlipped();
    }
    if (step.ignoredRst) {
        ++m_ignoredRsts;
    }
    ++m_packets;
    return step;
}

void PassiveTracker::go(TrackerStep& step, Side side, ArcId id, bool bySender) {
    const Arc& a = arc(id);
    State& current = st(side);
    if (a.from != current || step.count >= step.transitions.size()) {
        // An inference rule asked for an arc that does not start where this side is
        // (or one packet made more changes than a step holds): a bug in the rules,
        // not in the capture. Record no false arc, but count it so that it is seen.
        ++m_inferenceAnomalies;
        return;
    }
    step.transitions.at(step.count++) = TrackerTransition{side, current, a.to, id, bySender};
    current = a.to;
}

void PassiveTracker::updateSequence(Direction& d, const Segment& t, std::int64_t timeNs) {
    (void)timeNs;
    if (has(t, flag::SYN)) {
        d.lastSynSeq = t.seq;
    }
    if (has(t, flag::SYN) && !d.synSeen) {
        d.synSeen = true;
        d.isn = t.seq;
        if (t.options.windowScale) {
            d.wscaleOffered = true;
            d.windowScale = *t.options.windowScale > 14 ? 14 : *t.options.windowScale;
        }
    }
    const std::uint32_t end = t.seq + t.seqLen();
    if (!d.seqKnown || seqGt(end, d.nextSeq)) {
        d.nextSeq = end;
        d.seqKnown = true;
    }
    if (has(t, flag::ACK) && (!d.ackSeen || seqGt(t.ack, d.highAck))) {
        d.highAck = t.ack;
        d.ackSeen = true;
    }
    d.window = t.window;
    d.lastWasSyn = has(t, flag::SYN);
    if (has(t, flag::FIN) && !d.finSent) {
        d.finSent = true;
        d.finSeq = t.seq + t.len + (has(t, flag::SYN) ? 1U : 0U);
    }
}

// Close to Wireshark's tcp_analyze_sequence_number: a segment that occupies sequence
// space below what the sender already sent is a retransmission, unless it is a
// keep-alive or arrives so soon after the previous segment that it is merely out of
// order (fast and spurious retransmissions are retransmissions here too, as the
// oracle counts them together).
bool PassiveTracker::retransmissionCheck(const Direction& d, const Segment& t,
                                         std::int64_t timeNs) const {
    if (has(t, flag::RST) || !d.seqKnown) {
        return false;
    }
    const bool control = has(t, flag::SYN) || has(t, flag::FIN);
    if (t.len == 0 && !control) {
        return false;
    }
    if (!control && t.len <= 1 && t.seq == d.nextSeq - 1) {
        return false; // keep-alive
    }
    if (!seqLt(t.seq, d.nextSeq)) {
        return false;
    }
    if (timeNs - d.lastTimeNs < kOutOfOrderNs && t.seq + t.seqLen() != d.nextSeq) {
        return false; // out of order
    }
    return true;
}

std::uint64_t PassiveTracker::receiveWindow(Side receiver) const {
    const Direction& r = dir(receiver);
    const Direction& other = dir(peer(receiver));
    std::uint64_t w = r.window;
    // Window scaling applies only when both SYNs offered it, and never to a SYN's window.
    if (r.wscaleOffered && other.wscaleOffered && !r.lastWasSyn) {
        w <<= r.windowScale;
    }
    return w;
}

bool PassiveTracker::rstAcceptable(Side receiver, const Segment& t) const {
    const State rs = m_state.at(index(receiver));
    const Direction& rd = dir(receiver);
    const Direction& sd = dir(peer(receiver));
    switch (rs) {
    case State::Closed:
    case State::Listen:
        return true; // nothing to reset on this side; the sender may still have aborted
    case State::SynSent:
        // RFC 9293 3.10.7.3: only a RST whose ACK acknowledges our SYN counts.
        return has(t, flag::ACK) && (!rd.synSeen || t.ack == rd.isn + 1);
    default:
        break;
    }
    if (!sd.seqKnown && !rd.ackSeen) {
        return true; // nothing known about RCV.NXT: give it the benefit of the doubt
    }
    // RFC 9293 3.10.7.4 (with RFC 5961's mitigation): only a RST at exactly RCV.NXT
    // resets; elsewhere in the window it draws a challenge ACK, outside it is dropped.
    // RCV.NXT is seen two ways: where the sender's data ends, and what the receiver ACKs.
    return (sd.seqKnown && t.seq == sd.nextSeq) || (rd.ackSeen && t.seq == rd.highAck);
}

void PassiveTracker::handleRst(TrackerStep& step, Side sender, const Segment& t) {
    const Side receiver = peer(sender);
    if (!rstAcceptable(receiver, t)) {
        step.ignoredRst = true;
        return;
    }
    State& ss = st(sender);
    if (ss == State::Listen && !dir(sender).sentAnything) {
        // Answering the SYN with RST: nothing was listening (connection refused).
        m_initial.at(index(sender)) = State::Closed;
        ss = State::Closed;
    } else if (ss == State::SynSent && t.seq != dir(sender).isn + 1) {
        // Not an abort (ABORT in SYN-SENT sends nothing): the reply <SEQ=SEG.ACK><CTL=RST>
        // to an unacceptable SYN+ACK, e.g. one answering an old duplicate SYN.
    } else if (ss != State::Closed && ss != State::Listen) {
        if (const auto a = abortArc(ss)) {
            go(step, sender, *a, true);
        }
    }
    const State rs = st(receiver);
    if (rs != State::Closed && rs != State::Listen) {
        if (const auto a = rstArc(rs, m_passiveOpen.at(index(receiver)))) {
            go(step, receiver, *a, false);
        }
    }
}

void PassiveTracker::handleSyn(TrackerStep& step, Side sender, const Segment& t) {
    const Side receiver = peer(sender);
    State& ss = st(sender);
    if (!has(t, flag::ACK)) {
        if (ss == State::Listen && !dir(sender).sentAnything) {
            // Both sides sent SYNs: the "server" opened actively too (simultaneous open).
            m_initial.at(index(sender)) = State::Closed;
            ss = State::Closed;
        }
        if (ss == State::Closed) {
            dir(sender).isn = t.seq; // a fresh attempt has a fresh ISN
            go(step, sender, ArcId::ActiveOpen, true);
        }
        return; // a SYN in SYN-SENT is a retransmission; elsewhere it changes nothing
    }
    // SYN+ACK
    const Direction& rd = dir(receiver);
    // The SYN+ACK may answer the current SYN or an old duplicate the peer resent.
    const bool acksPeerSyn = !rd.synSeen || t.ack == rd.isn + 1 || t.ack == rd.lastSynSeq + 1;
    if (ss == State::Listen && acksPeerSyn) {
        dir(sender).isn = t.seq;
        m_passiveOpen.at(index(sender)) = true;
        go(step, sender, ArcId::RcvSyn, true);
    } else if (ss == State::SynSent && rd.synSeen && acksPeerSyn) {
        go(step, sender, ArcId::SimultaneousOpen, true);
        // In a simultaneous open the peer's SYN+ACK may already have acknowledged ours.
        const Direction& sd = dir(sender);
        if (rd.ackSeen && seqGe(rd.highAck, sd.isn + 1)) {
            go(step, sender, ArcId::RcvAckOfSyn, false);
        }
    }
    if (st(receiver) == State::SynReceived && rd.synSeen && seqGe(t.ack, rd.isn + 1)) {
        go(step, receiver, ArcId::RcvAckOfSyn, false);
    }
}

void PassiveTracker::handleAck(TrackerStep& step, Side sender, const Segment& t, bool newFin) {
    const Side receiver = peer(sender);
    Direction& rd = dir(receiver);
    const State ss = st(sender);
    const bool sendsData = t.len > 0 || has(t, flag::FIN);
    const bool acksPeerData = seqGt(t.ack, (rd.synSeen ? rd.isn : rd.base) + 1);
    if (ss == State::SynSent && (!rd.synSeen || seqGe(t.ack, rd.isn + 1))) {
        // The sender ACKs the peer's SYN: it got the SYN+ACK (captured or not).
        go(step, sender, ArcId::RcvSynAck, true);
        if (st(receiver) == State::Listen) {
            go(step, receiver, ArcId::RcvSyn, false); // its SYN+ACK is missing from the capture
            m_passiveOpen.at(index(receiver)) = true;
        }
        if (st(receiver) == State::SynReceived) {
            go(step, receiver, ArcId::RcvAckOfSyn, false);
        }
    } else if (ss == State::SynReceived && (sendsData || acksPeerData)) {
        // Sending data or FIN proves the ACK of our SYN arrived, though the capture missed
        // it; so does acknowledging the peer's data (which carried that ACK).
        go(step, sender, ArcId::RcvAckOfSyn, true);
        if (st(receiver) == State::SynSent) {
            go(step, receiver, ArcId::RcvSynAck, false);
        }
    }

    // The sender ACKs the peer's FIN: that answer proves the FIN arrived ("rcv FIN / snd ACK").
    Direction& sd = dir(sender);
    if (rd.finSent && !sd.gotPeerFin && seqGe(t.ack, rd.finSeq + 1)) {
        sd.gotPeerFin = true;
        receiveFin(step, sender, true);
    }

    // The ACK of the receiver's FIN arrives: nothing answers it, so it counts here.
    if (rd.finSent && !rd.finAcked && seqGe(t.ack, rd.finSeq + 1)) {
        rd.finAcked = true;
        switch (st(receiver)) {
        case State::FinWait1:
            // With a new FIN in the same segment the receiver takes the single
            // "rcv FIN,ACK of FIN" arc when it answers that FIN.
            if (!newFin) {
                go(step, receiver, ArcId::FinWait1AckOfFin, false);
            }
            break;
        case State::Closing:
            go(step, receiver, ArcId::ClosingAckOfFin, false);
            break;
        case State::LastAck:
            go(step, receiver, ArcId::LastAckAckOfFin, false);
            break;
        default:
            break;
        }
    }
}

void PassiveTracker::receiveFin(TrackerStep& step, Side side, bool bySender) {
    switch (st(side)) {
    case State::Established:
        go(step, side, ArcId::RcvFin, bySender);
        break;
    case State::FinWait1:
        go(step, side, dir(side).finAcked ? ArcId::FinWait1FinAck : ArcId::SimultaneousClose,
           bySender);
        break;
    case State::FinWait2:
        go(step, side, ArcId::FinWait2RcvFin, bySender);
        break;
    default:
        break;
    }
}

void PassiveTracker::handleFin(TrackerStep& step, Side sender) {
    // The sender's CLOSE: its peer's reaction is recorded when the peer answers.
    switch (st(sender)) {
    case State::Established:
        go(step, sender, ArcId::EstablishedClose, true);
        break;
    case State::CloseWait:
        go(step, sender, ArcId::CloseWaitClose, true);
        break;
    case State::SynReceived:
        go(step, sender, ArcId::SynReceivedClose, true);
        break;
    default:
        break;
    }
}

bool PassiveTracker::isNewIncarnation(const DecodedPacket& p) const {
    if (!started() || (p.tcp.flags & (flag::SYN | flag::ACK)) != flag::SYN) {
        return false;
    }
    const Side side = sideOf(p);
    const Direction& d = dir(side);
    const State s = m_state.at(index(side));
    if (d.synSeen && seqLt(p.tcp.seq, d.isn) && (s == State::SynSent || s == State::SynReceived)) {
        return false; // an old duplicate SYN arriving during the handshake
    }
    return d.seen && p.tcp.seq != d.base;
}

Tcb PassiveTracker::tcb(Side s) const {
    const Direction& me = dir(s);
    const Direction& other = dir(peer(s));
    Tcb t;
    t.state = m_state.at(index(s));
    t.passiveOpen = m_passiveOpen.at(index(s));
    t.iss = me.synSeen ? me.isn : me.base;
    t.irs = other.synSeen ? other.isn : other.base;
    t.sndNxt = me.nextSeq;
    t.sndUna = other.ackSeen ? other.highAck : t.iss;
    t.rcvNxt = other.nextSeq;
    t.sndWnd = static_cast<std::uint32_t>(receiveWindow(peer(s)));
    t.rcvWnd = static_cast<std::uint32_t>(receiveWindow(s));
    t.finSent = me.finSent;
    t.finAcked = me.finAcked;
    t.finReceived = other.finSent;
    return t;
}

} // namespace tcpviz
