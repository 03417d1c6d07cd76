// Inference of the applications' calls from one captured connection. The
// simulator's endpoints make every segment the capture shows except data, FINs,
// SYNs and aborting RSTs, which an application asked for; so those become steps,
// at the time their segment left its sender, and everything else (ACKs,
// retransmissions, replies to segments for closed sockets) is left to TCP.
#include "replay/scenario_from_capture.h"

#include "capture/capture_copy.h"
#include "capture/connection_trace.h"
#include "replay/sequence_index.h"
#include "tcp/seq.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <string_view>
#include <tuple>
#include <vector>

namespace tcpviz {

namespace {

std::size_t at(Side s) {
    return static_cast<std::size_t>(s);
}

// A YAML double-quoted scalar: file names may hold anything.
std::string quoted(std::string_view text) {
    std::string out = "\"";
    for (const char c : text) {
        const auto u = static_cast<unsigned char>(c);
        if (c == '"' || c == '\\') {
            out += '\\';
            out += c;
        } else if (u < 0x20 || u == 0x7f) {
            std::array<char, 8> buf{};
            std::snprintf(buf.data(), buf.size(), "\\x%02x", u);
            out += buf.data();
        } else {
            out += c;
        }
    }
    return out + '"';
}

struct Step {
    std::int64_t atUs = 0;
    std::uint64_t order = 0; ///< packet index: equal times keep capture order
    std::string side;
    std::string action;
    std::uint32_t bytes = 0;
    std::string comment;
    /// action "inject": the segment's fields (`to: server, flags: "RST", seq: N`).
    std::string inject;
};

struct Drop {
    Side from = Side::Client;
    std::uint8_t flags = 0;
    std::uint32_t nth = 0;
    std::string comment;
    /// A `duplicate` fault instead: the network's copy arrives this much later.
    std::optional<std::int64_t> duplicateAfterUs;
};

} // namespace

Result<CapturedScenario> scenarioFromCapture(std::span<const DecodedPacket> captured,
                                             const CapturePoint& point,
                                             const ScenarioFromCaptureOptions& options,
                                             const std::atomic<bool>* cancel) {
    // The flag is looked at every 64 packets of each pass over them: some passes
    // look back over the packets before each one (a long connection's longest part).
    const auto stopped = [cancel](std::size_t i) {
        return cancel != nullptr && i % 64 == 0 && cancel->load(std::memory_order_relaxed);
    };
    // A packet the capture recorded twice was sent once: no step, no fault.
    std::vector<DecodedPacket> own = withoutCaptureCopies(captured);
    // The packets may hold later connections on the same addresses and ports (a
    // reconnect, which Wireshark counts as another connection): each starts at a
    // client's bare SYN with another sequence number than the SYN before it. The
    // client is the side of the first SYN.
    const auto firstBareSyn = std::find_if(own.begin(), own.end(), [](const DecodedPacket& p) {
        return p.tcp.has(flag::SYN) && !p.tcp.has(flag::ACK);
    });
    const SocketAddress first = firstBareSyn != own.end() ? firstBareSyn->src
                                : own.empty()             ? SocketAddress{}
                                                          : own.front().src;
    std::vector<std::size_t> ownIncarnation(own.size(), 0);
    {
        std::optional<std::uint32_t> synSeq;
        std::size_t n = 0;
        for (std::size_t i = 0; i < own.size(); ++i) {
            if (stopped(i)) {
                return cancelledError(options.source);
            }
            const DecodedPacket& p = own[i];
            if (p.src == first && p.tcp.has(flag::SYN) && !p.tcp.has(flag::ACK)) {
                if (synSeq && *synSeq != p.tcp.seq) {
                    ++n;
                }
                synSeq = p.tcp.seq;
            }
            ownIncarnation[i] = n;
        }
    }
    // Data a side sends after its peer has acknowledged that side's FIN is no
    // endpoint's: TCP sends nothing new after its FIN and has nothing left to
    // send again once the FIN is acknowledged (an old duplicate, a forged
    // segment). It is taken out of the inference and injected where it went.
    // A later connection's segment that repeats one of an earlier connection
    // exactly is the network's copy of it (an old duplicate): a `duplicate`
    // fault of the earlier segment.
    std::vector<DecodedPacket> outsiders;
    std::vector<std::size_t> outsiderIncarnation;
    struct Echo {
        std::size_t original = 0; ///< index in `own` once filtered
        DecodedPacket copy;
        /// Seen beside its sender: the peer's first segment of a later connection
        /// that acknowledges the copy's last byte, sent when the copy arrived.
        std::optional<DecodedPacket> answer;
    };
    std::vector<Echo> echoes;
    std::vector<std::size_t> incarnation;
    {
        std::array<std::optional<std::uint32_t>, 2> finEnd; // a side's FIN's sequence + 1
        std::array<bool, 2> finAcked{};
        std::vector<DecodedPacket> kept;
        // The first kept segment of each source, numbers and flags, by its index in `kept`.
        using SegmentKey =
            std::tuple<SocketAddress, std::uint32_t, std::uint32_t, std::uint8_t, std::uint32_t>;
        const auto keyOf = [](const DecodedPacket& q) {
            return SegmentKey{q.src, q.tcp.seq, q.tcp.ack, q.tcp.flags, q.tcp.len};
        };
        std::map<SegmentKey, std::size_t> firstKept;
        // One past the last packet of the connection own[i] belongs to.
        std::vector<std::size_t> ownEnd(own.size(), own.size());
        for (std::size_t i = own.size(); i-- > 1;) {
            ownEnd[i - 1] = ownIncarnation[i - 1] == ownIncarnation[i] ? ownEnd[i] : i;
        }
        std::size_t current = 0;
        for (std::size_t i = 0; i < own.size(); ++i) {
            if (stopped(i)) {
                return cancelledError(options.source);
            }
            const DecodedPacket& p = own[i];
            if (ownIncarnation[i] != current) {
                current = ownIncarnation[i];
                finEnd = {};
                finAcked = {};
            }
            const std::size_t s = p.src == first ? 0 : 1;
            if (current > 0 && p.tcp.len > 0) {
                // The first kept segment like it; the ones after it are of the
                // same or a later connection (the incarnations never go down).
                const auto same = firstKept.find(keyOf(p));
                if (same != firstKept.end() && incarnation[same->second] < current) {
                    echoes.push_back({same->second, p, std::nullopt});
                    continue;
                }
            }
            // The same segment twice at once (no retransmission timer is shorter
            // than a millisecond, and nothing came back in between) is a copy the
            // network made beside the sender; when a later connection's peer
            // acknowledges exactly its last byte, the copy arrived there late: an
            // old duplicate.
            if (!kept.empty() && p.tcp.len > 0 && incarnation.back() == current) {
                const DecodedPacket& q = kept.back();
                const bool twice = q.src == p.src && q.tcp.seq == p.tcp.seq &&
                                   q.tcp.ack == p.tcp.ack && q.tcp.flags == p.tcp.flags &&
                                   q.tcp.len == p.tcp.len && p.timeNs - q.timeNs < 1'000'000;
                // Looked for only among later connections' packets, and only for a
                // segment sent twice at once.
                const auto answer =
                    !twice
                        ? own.end()
                        : std::find_if(
                              own.begin() + static_cast<std::ptrdiff_t>(ownEnd[i]), own.end(),
                              [&](const DecodedPacket& r) {
                                  return ownIncarnation[static_cast<std::size_t>(&r - own.data())] >
                                             current &&
                                         r.src != p.src && r.tcp.has(flag::ACK) &&
                                         r.tcp.ack == p.tcp.seq + p.tcp.len;
                              });
                if (twice && answer != own.end()) {
                    echoes.push_back({kept.size() - 1, p, *answer});
                    continue;
                }
            }
            if (finAcked.at(s) && p.tcp.len > 0 && !p.tcp.has(flag::RST)) {
                outsiders.push_back(p);
                outsiderIncarnation.push_back(current);
                continue;
            }
            if (p.tcp.has(flag::FIN) && !finEnd.at(s)) {
                finEnd.at(s) = p.tcp.seq + p.tcp.len + 1;
            }
            if (p.tcp.has(flag::ACK) && finEnd.at(1 - s) && p.tcp.ack == *finEnd.at(1 - s)) {
                finAcked.at(1 - s) = true;
            }
            firstKept.try_emplace(keyOf(p), kept.size());
            kept.push_back(p);
            incarnation.push_back(current);
        }
        own = std::move(kept);
    }
    // One past the last packet of the connection packet i belongs to.
    std::vector<std::size_t> incarnationEnd(incarnation.size(), incarnation.size());
    for (std::size_t i = incarnation.size(); i-- > 1;) {
        incarnationEnd[i - 1] = incarnation[i - 1] == incarnation[i] ? incarnationEnd[i] : i;
    }
    const std::span<const DecodedPacket> packets(own);
    const auto firstSyn = std::find_if(packets.begin(), packets.end(), [](const DecodedPacket& p) {
        return p.tcp.has(flag::SYN) && !p.tcp.has(flag::ACK);
    });
    if (firstSyn == packets.end()) {
        return fail(options.source, "connection " + std::to_string(options.connection) +
                                        ": no SYN captured, and a scenario starts with the "
                                        "handshake");
    }
    const SocketAddress client = firstSyn->src;
    const SocketAddress server = firstSyn->dst;
    const auto sideOf = [&client](const DecodedPacket& p) {
        return p.src == client ? Side::Client : Side::Server;
    };

    // ISNs and windows: the SYN each side sent first; the largest window each advertised
    // (the simulator's window is fixed, and a smaller one could hold back data the
    // capture shows in flight).
    // Each connection's ISNs (a reconnect's are the later ones of `isn: [a, b]`).
    const std::size_t connections = incarnation.empty() ? 1 : incarnation.back() + 1;
    std::vector<std::array<std::optional<std::uint32_t>, 2>> isns(connections);
    std::array<std::uint32_t, 2> window{};
    for (std::size_t i = 0; i < packets.size(); ++i) {
        if (stopped(i)) {
            return cancelledError(options.source);
        }
        const DecodedPacket& p = packets[i];
        const Side s = sideOf(p);
        auto& mine = isns.at(incarnation[i]).at(at(s));
        if (p.tcp.has(flag::SYN) && !mine) {
            mine = p.tcp.seq;
        }
        if (!p.tcp.has(flag::RST)) {
            window.at(at(s)) = std::max(window.at(at(s)), p.tcp.window);
        }
    }
    const std::array<std::optional<std::uint32_t>, 2>& isn = isns.front();

    // The one-way delays. Without an estimate (no handshake, no data answered) the
    // capture is taken to lie beside the client, half a round trip from the server.
    std::int64_t clientUs = point.clientNs / 1000;
    std::int64_t serverUs = point.serverNs / 1000;
    bool guessed = false;
    if (point.basis == CapturePoint::Basis::None || clientUs + serverUs <= 0) {
        guessed = true;
        clientUs = 0;
        serverUs = 500;
        for (const DecodedPacket& p : packets) {
            if (sideOf(p) == Side::Server) {
                serverUs = std::max<std::int64_t>(serverUs, (p.timeNs - firstSyn->timeNs) / 2000);
                break;
            }
        }
    }
    const std::array<std::int64_t, 2> delayUs{clientUs, serverUs};
    const std::int64_t originNs = packets.front().timeNs;
    // 1 ms of margin so that `listen` at 0 comes before anything else.
    const std::int64_t offsetUs = std::max(clientUs, serverUs) + 1000;
    const auto sentAtUs = [&](const DecodedPacket& p) {
        return (p.timeNs - originNs) / 1000 - delayUs.at(at(sideOf(p))) + offsetUs;
    };

    // Which segments carry new sequence space, which are copies of an earlier one.
    std::vector<bool> fresh(packets.size(), false);
    // A copy has the same sequence space and control bits (a SYN,ACK answering a
    // crossing SYN is a new segment, not a copy of the SYN).
    using CopyKey = std::tuple<int, std::uint32_t, std::uint32_t, std::uint8_t, std::size_t>;
    const auto copyKey = [&sideOf, &incarnation, &packets](const DecodedPacket& p) {
        return CopyKey{static_cast<int>(sideOf(p)), p.tcp.seq, p.tcp.seqLen(),
                       static_cast<std::uint8_t>(p.tcp.flags & (flag::SYN | flag::FIN | flag::ACK)),
                       incarnation[static_cast<std::size_t>(&p - packets.data())]};
    };
    std::map<CopyKey, std::vector<std::size_t>> copies;
    std::vector<std::array<std::optional<std::uint32_t>, 2>> highestEnd(connections);
    for (std::size_t i = 0; i < packets.size(); ++i) {
        if (stopped(i)) {
            return cancelledError(options.source);
        }
        const DecodedPacket& p = packets[i];
        const Side s = sideOf(p);
        const std::uint32_t len = p.tcp.seqLen();
        if (len == 0 || p.tcp.has(flag::RST)) {
            continue;
        }
        copies[copyKey(p)].push_back(i);
        const std::uint32_t end = p.tcp.seq + len;
        auto& high = highestEnd.at(incarnation[i]).at(at(s));
        if (!high || static_cast<std::int32_t>(end - *high) > 0) {
            fresh[i] = true;
            high = end;
        }
    }

    // Each packet's number among its sender's segments with exactly its flags: what
    // a fault's `nth` counts.
    std::vector<std::uint32_t> nth(packets.size(), 0);
    {
        std::map<std::pair<int, std::uint8_t>, std::uint32_t> flagCount;
        for (std::size_t i = 0; i < packets.size(); ++i) {
            nth[i] = ++flagCount[{static_cast<int>(sideOf(packets[i])), packets[i].tcp.flags}];
        }
    }
    const bool serverSilent = std::none_of(
        packets.begin(), packets.end(), [&](const auto& p) { return sideOf(p) == Side::Server; });
    // The losses. A segment sent again was lost the time before, unless its receiver
    // acknowledged that copy: then the acknowledgments were lost. A SYN nobody ever
    // answered was lost every time.
    std::set<std::size_t> lost;
    for (const auto& [key, list] : copies) {
        const auto from = static_cast<Side>(std::get<0>(key));
        const std::uint32_t end = std::get<1>(key) + std::get<2>(key);
        for (std::size_t j = 0; j + 1 < list.size(); ++j) {
            bool acknowledged = false;
            for (std::size_t k = list[j] + 1; k < list[j + 1]; ++k) {
                const DecodedPacket& q = packets[k];
                if (sideOf(q) != from && q.tcp.has(flag::ACK) && seqGe(q.tcp.ack, end)) {
                    lost.insert(k);
                    acknowledged = true;
                }
            }
            if (!acknowledged) {
                lost.insert(list[j]);
            }
        }
        if (serverSilent && from == Side::Client) {
            lost.insert(list.back());
        }
    }
    // A side that gave up after its retransmission limit: nothing on the wire says
    // so, but its first RST then answers the peer's next segment as a closed
    // socket does, <SEQ=SEG.ACK><CTL=RST>, below what it had sent (an abort's RST
    // carries SND.NXT). Every copy of the segment at that sequence number was
    // lost (the peer never acknowledged it), and their count less one is the
    // limit: `timers: {data_retries: N}`. The RST is TCP's reply, no call.
    std::optional<std::size_t> dataRetries;
    std::set<std::size_t> closedReplies;
    {
        std::set<std::pair<std::size_t, int>> rstSeen; // (connection, side)
        for (std::size_t i = 0; i < packets.size(); ++i) {
            if (stopped(i)) {
                return cancelledError(options.source);
            }
            const DecodedPacket& p = packets[i];
            const Side s = sideOf(p);
            if (!p.tcp.has(flag::RST) ||
                !rstSeen.insert({incarnation[i], static_cast<int>(s)}).second) {
                continue;
            }
            std::optional<std::uint32_t> high;   // the side's SND.NXT before the RST
            std::optional<std::size_t> answered; // the peer's segment just before it
            for (std::size_t k = i; k-- > 0 && incarnation[k] == incarnation[i];) {
                const DecodedPacket& q = packets[k];
                if (sideOf(q) != s && !answered) {
                    answered = k;
                }
                if (sideOf(q) == s && q.tcp.seqLen() > 0 && !q.tcp.has(flag::RST) &&
                    (!high || seqGt(q.tcp.seq + q.tcp.seqLen(), *high))) {
                    high = q.tcp.seq + q.tcp.seqLen();
                }
            }
            if (!high || !answered || !packets[*answered].tcp.has(flag::ACK) ||
                p.tcp.seq != packets[*answered].tcp.ack || !seqLt(p.tcp.seq, *high)) {
                continue;
            }
            for (const auto& entry : copies) {
                const CopyKey& key = entry.first;
                const std::vector<std::size_t>& list = entry.second;
                if (std::get<0>(key) == static_cast<int>(s) && std::get<1>(key) == p.tcp.seq &&
                    std::get<4>(key) == incarnation[i] && (std::get<3>(key) & flag::SYN) == 0 &&
                    list.size() >= 2) {
                    dataRetries = std::max(dataRetries.value_or(0), list.size() - 1);
                    lost.insert(list.begin(), list.end());
                    closedReplies.insert(i);
                }
            }
        }
    }
    std::vector<Drop> drops;
    for (const std::size_t i : lost) {
        const DecodedPacket& p = packets[i];
        drops.push_back({sideOf(p), p.tcp.flags, nth[i], std::string(), std::nullopt});
    }

    // A segment that acknowledges data cannot leave before that data arrived: a
    // step's time is at least the simulated arrival of the last copy of the peer's
    // segment that holds the byte before its ACK number (1 us later, so that the
    // arrival comes first). The estimate of the delays alone would sometimes put
    // an answer before its question.
    // Packet by packet, as an answer's time may push back the answer to it.
    // Both lookups back over the connection's earlier packets go through an index
    // of each side's segments (a long connection's packets, each looking back over
    // all before it, took quadratic time).
    const std::int64_t latencyUs = clientUs + serverUs;
    std::vector<std::int64_t> notBeforeUs(packets.size(), 0);
    const auto holdsSequence = [](const DecodedPacket& q) {
        return q.tcp.seqLen() > 0 && !q.tcp.has(flag::RST);
    };
    std::array<LatestHolder, 2> holders;
    std::array<std::optional<FirstAtOrAfter>, 2> firsts;
    for (std::size_t i = 0; i < packets.size(); ++i) {
        if (stopped(i)) {
            return cancelledError(options.source);
        }
        if (i == 0 || incarnation[i] != incarnation[i - 1]) {
            // A connection starts: only its own segments count.
            std::array<std::vector<std::uint32_t>, 2> seqs;
            for (std::size_t k = i; k < incarnationEnd[i]; ++k) {
                if (holdsSequence(packets[k])) {
                    seqs.at(at(sideOf(packets[k]))).push_back(packets[k].tcp.seq);
                }
            }
            for (const std::size_t s : {0U, 1U}) {
                holders.at(s) = LatestHolder();
                firsts.at(s).emplace(std::move(seqs.at(s)));
            }
        }
        const DecodedPacket& p = packets[i];
        const std::size_t them = 1 - at(sideOf(p));
        notBeforeUs[i] = sentAtUs(p);
        if (p.tcp.has(flag::ACK)) {
            // The latest of the peer's segments that holds the byte before the ACK
            // number (seqLt(q.seq, ack) && seqLe(ack, q.seq + len)).
            if (const auto k = holders.at(them).holding(p.tcp.ack - 1)) {
                notBeforeUs[i] = std::max(notBeforeUs[i], notBeforeUs[*k] + latencyUs + 1);
            }
            // And the other way: a segment that does not acknowledge what the peer
            // had already sent left before that arrived (crossing FINs, a
            // simultaneous close). The peer's first segment at or after the ACK
            // number (seqGe(q.seq, ack)).
            if (const auto k = firsts.at(them)->first(p.tcp.ack)) {
                const std::int64_t arrivalUs = notBeforeUs[*k] + latencyUs;
                if (arrivalUs - 1 >= sentAtUs(p) - latencyUs && arrivalUs <= notBeforeUs[i]) {
                    notBeforeUs[i] = arrivalUs - 1;
                }
            }
        }
        if (holdsSequence(p)) {
            holders.at(at(sideOf(p))).add(p.tcp.seq, p.tcp.seqLen(), i);
            firsts.at(at(sideOf(p)))->add(p.tcp.seq, i);
        }
    }

    std::vector<Step> steps;
    std::array<bool, 2> synAckSent{};
    std::array<bool, 2> finSent{};
    std::array<bool, 2> rstSent{};
    // A server listens when its first SYN is a SYN,ACK (a bare SYN is its own
    // connect: a simultaneous open), or when it is never heard from at all.
    bool listens = serverSilent;
    for (const DecodedPacket& p : packets) {
        if (sideOf(p) == Side::Server && p.tcp.has(flag::SYN)) {
            listens = p.tcp.has(flag::ACK);
            break;
        }
    }
    // `p` as a comment; `of`: the connection it belongs to (none: the packet's own).
    const auto describe = [&](const DecodedPacket& p, std::optional<std::size_t> of = {}) {
        const Side s = sideOf(p);
        // `of` names the connection of a packet not in `packets` (an outsider): the
        // index is taken only for a packet that is.
        const std::size_t c = of ? *of : incarnation[static_cast<std::size_t>(&p - packets.data())];
        const auto rel = [&isns, c](Side side, std::uint32_t seq) {
            return seq - isns.at(c).at(at(side)).value_or(0);
        };
        std::ostringstream d;
        d << "packet " << p.number << ": " << sideName(s) << " " << flagsToString(p.tcp.flags)
          << " seq=" << rel(s, p.tcp.seq);
        if (p.tcp.has(flag::ACK)) {
            d << " ack=" << rel(peer(s), p.tcp.ack);
        }
        d << " len=" << p.tcp.len;
        return d.str();
    };
    // The packet of each (side, flags, nth): a drop's.
    std::map<std::tuple<int, std::uint8_t, std::uint32_t>, std::size_t> byNth;
    for (std::size_t i = 0; i < packets.size(); ++i) {
        byNth.try_emplace({static_cast<int>(sideOf(packets[i])), packets[i].tcp.flags, nth[i]}, i);
    }
    for (Drop& d : drops) {
        const std::size_t i = byNth.at({static_cast<int>(d.from), d.flags, d.nth});
        d.comment = describe(packets[i]) + ", lost";
        bool again = false;
        // A lost ACK is never sent again: no need to look.
        for (std::size_t k = i + 1; packets[i].tcp.seqLen() > 0 && k < incarnationEnd[i]; ++k) {
            if (sideOf(packets[k]) == d.from && packets[k].tcp.seq == packets[i].tcp.seq &&
                packets[k].tcp.seqLen() == packets[i].tcp.seqLen()) {
                d.comment += ": sent again as packet " + std::to_string(packets[k].number);
                again = true;
                break;
            }
        }
        if (!again && dataRetries && packets[i].tcp.len > 0) {
            d.comment += ": the last copy, after which its sender gave up";
        }
    }
    // Whether a side sends a packet without RST after packet i in its connection:
    // whether it sends on after a RST.
    std::array<std::vector<bool>, 2> sendsLater;
    for (const Side side : {Side::Client, Side::Server}) {
        std::vector<bool>& later = sendsLater.at(at(side));
        later.assign(packets.size(), false);
        for (std::size_t i = packets.size(); i-- > 1;) {
            const DecodedPacket& q = packets[i];
            later[i - 1] = incarnation[i - 1] == incarnation[i] &&
                           ((sideOf(q) == side && !q.tcp.has(flag::RST)) || later[i]);
        }
    }
    std::size_t connectionStart = 0;
    // An old duplicate in a later connection: the network kept a copy of the
    // earlier connection's segment and delivered it this much later.
    for (const Echo& e : echoes) {
        const DecodedPacket& o = packets[e.original];
        drops.push_back(
            {sideOf(o), o.tcp.flags, nth[e.original],
             describe(o) + ", the network's copy (packet " + std::to_string(e.copy.number) +
                 ") arrives in a later connection" +
                 (e.answer ? " (answered by packet " + std::to_string(e.answer->number) + ")"
                           : std::string()),
             e.answer ? sentAtUs(*e.answer) - sentAtUs(o) - latencyUs
                      : (e.copy.timeNs - o.timeNs) / 1000});
    }
    for (std::size_t i = 0; i < packets.size(); ++i) {
        if (stopped(i)) {
            return cancelledError(options.source);
        }
        const DecodedPacket& p = packets[i];
        const Side s = sideOf(p);
        const std::string who(sideName(s));
        const auto step = [&](std::string action, std::uint32_t bytes = 0) {
            steps.push_back({notBeforeUs[i], i, who, std::move(action), bytes, describe(p), {}});
        };
        const auto end = packets.begin() + static_cast<std::ptrdiff_t>(incarnationEnd[i]);
        if (i > 0 && incarnation[i] != incarnation[i - 1]) {
            // A reconnect: the sides start afresh. A server whose previous
            // connection ended CLOSED (a RST, LAST-ACK) listens again, a call the
            // wire does not show: once that connection's last segment has arrived,
            // and at the latest when the client connects. One in TIME-WAIT takes
            // the new SYN from there (Linux), with the listener it still has.
            synAckSent = {};
            finSent = {};
            rstSent = {};
            const std::span<const DecodedPacket> previous =
                packets.subspan(connectionStart, i - connectionStart);
            const auto serverStates = buildConnectionTrace(previous).states(Side::Server);
            if (listens && !serverStates.empty() && serverStates.back().state == State::Closed) {
                std::int64_t lastArrivalUs = 0;
                for (std::size_t k = connectionStart; k < i; ++k) {
                    lastArrivalUs = std::max(
                        lastArrivalUs,
                        notBeforeUs[k] + (sideOf(packets[k]) == Side::Client ? latencyUs : 0));
                }
                steps.push_back({std::max(notBeforeUs[i], lastArrivalUs + 1),
                                 i,
                                 "server",
                                 "listen",
                                 0,
                                 "the server listens again before " + describe(p),
                                 {}});
            }
            connectionStart = i;
        }
        if (p.tcp.has(flag::RST)) {
            // A side that goes on sending as if nothing happened did not send this
            // RST: no TCP endpoint does, so it came from outside (a forged RST, an
            // attacker, a middlebox). It is injected where it was going, arriving
            // when a segment sent at that moment would.
            const bool sendsOn = sendsLater.at(at(s))[i];
            if (sendsOn) {
                std::ostringstream f;
                f << "to: " << sideName(peer(s))
                  << ", flags: " << quoted(flagsToString(p.tcp.flags)) << ", seq: " << p.tcp.seq;
                if (p.tcp.has(flag::ACK)) {
                    f << ", ack: " << p.tcp.ack;
                }
                steps.push_back({notBeforeUs[i] + latencyUs, i, who, "inject", 0,
                                 describe(p) + ", sent by no TCP endpoint (its side sends on)",
                                 f.str()});
                continue;
            }
            // A server that never answered a SYN,ACK refuses the connection; a side that
            // has sent its FIN already answers what arrives for a closed socket. Both
            // are TCP's own replies; any other first RST is the application's abort.
            const bool reply = (s == Side::Server && !synAckSent.at(at(s))) || finSent.at(at(s)) ||
                               closedReplies.count(i) > 0;
            if (!rstSent.at(at(s)) && !reply) {
                step("abort");
            }
            rstSent.at(at(s)) = true;
            continue;
        }
        if (!fresh[i]) {
            continue; // a retransmission (or a pure ACK): TCP's business
        }
        if (p.tcp.has(flag::SYN)) {
            if (p.tcp.has(flag::ACK)) {
                synAckSent.at(at(s)) = true;
            } else {
                // Data on a bare SYN: a Fast Open connect (sendto with MSG_FASTOPEN).
                step("connect", p.tcp.len);
            }
        }
        if (p.tcp.len > 0 && !(p.tcp.has(flag::SYN) && !p.tcp.has(flag::ACK))) {
            step("send", p.tcp.len);
        }
        if (p.tcp.has(flag::FIN) && !finSent.at(at(s))) {
            finSent.at(at(s)) = true;
            // Data from the peer after this FIN: the application only shut down
            // its sending half (a closed Linux socket would answer it with RST).
            const bool peerSendsOn =
                std::any_of(packets.begin() + static_cast<std::ptrdiff_t>(i) + 1, end,
                            [&](const DecodedPacket& q) {
                                return sideOf(q) != s && q.tcp.len > 0 &&
                                       fresh[static_cast<std::size_t>(&q - packets.data())];
                            });
            step(peerSendsOn ? "shutdown" : "close");
        }
    }
    for (std::size_t k = 0; k < outsiders.size(); ++k) {
        const DecodedPacket& p = outsiders[k];
        const Side s = sideOf(p);
        std::ostringstream f;
        f << "to: " << sideName(peer(s)) << ", flags: " << quoted(flagsToString(p.tcp.flags))
          << ", seq: " << p.tcp.seq;
        if (p.tcp.has(flag::ACK)) {
            f << ", ack: " << p.tcp.ack;
        }
        f << ", len: " << p.tcp.len;
        steps.push_back({sentAtUs(p) + latencyUs, packets.size() + k, std::string(sideName(s)),
                         "inject", 0,
                         describe(p, outsiderIncarnation[k]) +
                             ", sent by no TCP endpoint (after its side's FIN was "
                             "acknowledged)",
                         f.str()});
    }
    std::stable_sort(steps.begin(), steps.end(), [](const Step& a, const Step& b) {
        return a.atUs != b.atUs ? a.atUs < b.atUs : a.order < b.order;
    });

    std::ostringstream y;
    const std::string name = options.source + " connection " + std::to_string(options.connection);
    y << "# Generated by tcpviz-cli scenario from " << name << " (" << packets.size()
      << " packets, " << packets.front().number << " to " << packets.back().number << ").\n"
      << "# Each step is timed when its segment left its sender: capture time minus the\n"
      << "# estimated one-way delay from the capture point to that side.\n"
      << "title: {en: " << quoted("Replay of " + name) << ", zh: "
      << quoted("重放：" + options.source + " 的连接 " + std::to_string(options.connection))
      << "}\n"
      << "description: {en: "
      << quoted("The connection as the capture shows it, with the calls its applications "
                "made inferred from the traffic. Edit it to ask what if.")
      << ", zh: "
      << quoted("抓包中的这条连接：应用程序的调用由流量推断而来。编辑它，问一问“假如”。") << "}\n";
    const bool reset = std::any_of(packets.begin(), packets.end(),
                                   [](const DecodedPacket& p) { return p.tcp.has(flag::RST); });
    const bool data = std::any_of(packets.begin(), packets.end(),
                                  [](const DecodedPacket& p) { return p.tcp.len > 0; });
    y << "topic: " << (reset ? "reset" : data ? "transfer" : "close") << "\n";
    y << "profile: " << profileName(options.profile);
    if (!options.profileNote.empty()) {
        y << "   # " << options.profileNote;
    }
    y << "\n";
    // A side whose SYN,ACK acknowledged the data on its peer's SYN took it at once:
    // a Fast Open server.
    std::array<bool, 2> fastOpen{};
    for (std::size_t i = 0; i < packets.size(); ++i) {
        if (stopped(i)) {
            return cancelledError(options.source);
        }
        const DecodedPacket& p = packets[i];
        const Side s = sideOf(p);
        const auto& theirs = isns.at(incarnation[i]).at(at(peer(s)));
        if (p.tcp.has(flag::SYN | flag::ACK) && theirs && seqGt(p.tcp.ack, *theirs + 1)) {
            fastOpen.at(at(s)) = true;
        }
    }
    for (const Side s : {Side::Client, Side::Server}) {
        y << sideName(s)
          << ": {address: " << quoted((s == Side::Client ? client : server).toString());
        if (isn.at(at(s))) {
            // A reconnect's ISNs follow as a list; one never seen (no SYN) keeps
            // the simulator's own.
            std::vector<std::uint32_t> list{*isn.at(at(s))};
            for (std::size_t c = 1; c < isns.size() && isns.at(c).at(at(s)); ++c) {
                list.push_back(*isns.at(c).at(at(s)));
            }
            if (list.size() == 1) {
                y << ", isn: " << list.front();
            } else {
                y << ", isn: [";
                for (std::size_t k = 0; k < list.size(); ++k) {
                    y << (k > 0 ? ", " : "") << list[k];
                }
                y << "]";
            }
        }
        if (window.at(at(s)) > 0) {
            y << ", window: " << window.at(at(s));
        }
        if (options.delayedAckUs && options.delayedAckSides.at(at(s))) {
            y << ", delays_acks: true";
        }
        if (fastOpen.at(at(s))) {
            y << ", fast_open: true";
        }
        if (options.quickAckSides.at(at(s))) {
            y << ", quick_ack: true";
        }
        y << "}\n";
    }
    y << "network: {latency: " << clientUs + serverUs << "us}   # ";
    if (guessed) {
        y << "no estimate from the capture: taken beside the client\n";
    } else {
        y << basisName(point.basis) << " estimate: " << clientUs << "us to the client + "
          << serverUs << "us to the server\n";
    }
    if (options.delayedAckUs || dataRetries) {
        y << "timers: {";
        if (options.delayedAckUs) {
            y << "delayed_ack: " << *options.delayedAckUs << "us";
        }
        if (dataRetries) {
            y << (options.delayedAckUs ? ", " : "") << "data_retries: " << *dataRetries;
        }
        y << "}   #";
        if (options.delayedAckUs) {
            y << " the capture shows ACKs riding on later segments" << (dataRetries ? ";" : "");
        }
        if (dataRetries) {
            y << " a side gave up after " << *dataRetries
              << " retransmissions: its RST answers as a closed socket";
        }
        y << "\n";
    }
    y << "steps:\n";
    if (listens) {
        y << "  - {at: 0us, server: listen}   # the server answered with SYN,ACK\n";
    }
    for (const Step& s : steps) {
        if (s.action == "inject") {
            y << "  - {at: " << s.atUs << "us, inject: {" << s.inject << "}}   # " << s.comment
              << "\n";
            continue;
        }
        y << "  - {at: " << s.atUs << "us, " << s.side << ": " << s.action;
        if (s.action == "send" || (s.action == "connect" && s.bytes > 0)) {
            y << ", bytes: " << s.bytes;
        }
        y << "}   # " << s.comment << "\n";
    }
    if (!drops.empty()) {
        y << "faults:\n";
        for (const Drop& d : drops) {
            y << "  - " << (d.duplicateAfterUs ? "duplicate" : "drop")
              << ": {from: " << sideName(d.from) << ", flags: " << quoted(flagsToString(d.flags))
              << ", nth: " << d.nth;
            if (d.duplicateAfterUs) {
                y << ", after: " << *d.duplicateAfterUs << "us";
            }
            y << "}   # " << d.comment << "\n";
        }
    }
    CapturedScenario result;
    result.text = y.str();
    result.tap = static_cast<double>(clientUs) / static_cast<double>(clientUs + serverUs);
    return result;
}

} // namespace tcpviz
