// Captured and replayed connections are compared as a sniffer sees them: per
// direction, because the simulator's timing is only as good as the latency
// estimate, and two directions' segments may cross at the capture point in
// another order without any endpoint behaving differently.
#include "replay/replay_check.h"

#include "capture/capture_copy.h"
#include "capture/connection_trace.h"
#include "capture/packet_index.h"
#include "capture/trace_pcap.h"
#include "scenario/scenario.h"
#include "sim/simulator.h"

#include <algorithm>
#include <array>
#include <optional>
#include <sstream>
#include <vector>

namespace tcpviz {

namespace {

struct WireSegment {
    std::uint64_t packet = 0;
    std::uint8_t flags = 0;
    std::uint32_t seq = 0;
    std::uint32_t ack = 0; ///< 0 without the ACK flag
    std::uint32_t len = 0;
    [[nodiscard]] bool same(const WireSegment& o) const {
        return flags == o.flags && seq == o.seq && ack == o.ack && len == o.len;
    }
    [[nodiscard]] std::string toString() const {
        std::ostringstream s;
        s << flagsToString(flags) << " seq=" << seq;
        if ((flags & flag::ACK) != 0) {
            s << " ack=" << ack;
        }
        s << " len=" << len << " (packet " << packet << ")";
        return s.str();
    }
};

using Directions = std::array<std::vector<WireSegment>, 2>;

// Each direction's segments, numbers relative to the SYN each side sent (raw
// without one). The client is the side of the first SYN, as PassiveTracker has it.
Directions directions(std::span<const DecodedPacket> packets) {
    Directions out;
    if (packets.empty()) {
        return out;
    }
    const auto syn = std::find_if(packets.begin(), packets.end(), [](const DecodedPacket& p) {
        return p.tcp.has(flag::SYN) && !p.tcp.has(flag::ACK);
    });
    const SocketAddress client = syn != packets.end() ? syn->src : packets.front().src;
    const auto side = [&client](const DecodedPacket& p) {
        return static_cast<std::size_t>(p.src == client ? Side::Client : Side::Server);
    };
    std::array<std::uint32_t, 2> isn{};
    std::array<bool, 2> known{};
    for (const DecodedPacket& p : packets) {
        if (p.tcp.has(flag::SYN) && !known.at(side(p))) {
            isn.at(side(p)) = p.tcp.seq;
            known.at(side(p)) = true;
        }
    }
    for (const DecodedPacket& p : packets) {
        const std::size_t s = side(p);
        WireSegment w;
        w.packet = p.number;
        w.flags = p.tcp.flags;
        w.seq = p.tcp.seq - isn.at(s);
        w.ack = p.tcp.has(flag::ACK) ? p.tcp.ack - isn.at(1 - s) : 0;
        w.len = p.tcp.len;
        out.at(s).push_back(w);
    }
    return out;
}

bool isCancelled(const std::atomic<bool>* cancel) {
    return cancel != nullptr && cancel->load(std::memory_order_relaxed);
}

/// Both sides' inferred states; nullopt when `cancel` stopped the Trace's build.
std::optional<std::array<std::vector<State>, 2>>
inferredStates(std::span<const DecodedPacket> packets, const std::atomic<bool>* cancel) {
    const Result<Trace> trace = buildConnectionTrace(packets, {}, cancel);
    if (!trace) {
        return std::nullopt;
    }
    std::array<std::vector<State>, 2> states;
    for (const Side side : {Side::Client, Side::Server}) {
        for (const StateEntry& e : trace->states(side)) {
            states.at(static_cast<std::size_t>(side)).push_back(e.state);
        }
    }
    return states;
}

std::string stateList(const std::vector<State>& states) {
    std::string out;
    for (const State s : states) {
        out += (out.empty() ? "" : " ") + std::string(stateName(s));
    }
    return out;
}

struct Comparison {
    std::string difference;
    std::size_t matched = 0;
};

/// nullopt when `cancel` became true meanwhile.
std::optional<Comparison> compare(std::span<const DecodedPacket> captured,
                                  std::span<const DecodedPacket> replayed,
                                  const std::atomic<bool>* cancel) {
    Comparison c;
    const Directions a = directions(captured);
    const Directions b = directions(replayed);
    for (const Side side : {Side::Client, Side::Server}) {
        const auto& x = a.at(static_cast<std::size_t>(side));
        const auto& y = b.at(static_cast<std::size_t>(side));
        std::size_t i = 0;
        while (i < x.size() && i < y.size() && x[i].same(y[i])) {
            ++i;
        }
        c.matched += i;
        if (c.difference.empty() && (i < x.size() || i < y.size())) {
            std::ostringstream d;
            d << sideName(side) << " segment " << i + 1 << ": captured "
              << (i < x.size() ? x[i].toString() : "nothing more") << ", replayed "
              << (i < y.size() ? y[i].toString() : "nothing more");
            c.difference = d.str();
        }
    }
    if (!c.difference.empty()) {
        return c;
    }
    // Each recording's Trace built once for both sides (the longest part of a
    // comparison of a long connection, hence the flag).
    const auto xs = inferredStates(captured, cancel);
    const auto ys = xs ? inferredStates(replayed, cancel) : std::nullopt;
    if (!ys) {
        return std::nullopt;
    }
    for (const Side side : {Side::Client, Side::Server}) {
        const std::vector<State>& x = xs->at(static_cast<std::size_t>(side));
        const std::vector<State>& y = ys->at(static_cast<std::size_t>(side));
        if (x != y) {
            c.difference = std::string(sideName(side)) + " states: captured " + stateList(x) +
                           ", replayed " + stateList(y);
            return c;
        }
    }
    return c;
}

} // namespace

std::string connectionDifference(std::span<const DecodedPacket> captured,
                                 std::span<const DecodedPacket> replayed) {
    return compare(captured, replayed, nullptr)->difference;
}

Result<ReplayResult> replayConnection(std::span<const DecodedPacket> packets,
                                      const CapturePoint& point,
                                      const ScenarioFromCaptureOptions& options,
                                      const std::atomic<bool>* cancel) {
    // The flag is looked at between the stages and every kCancelCheckEvery
    // simulated happenings or built events within the long ones.
    if (isCancelled(cancel)) {
        return cancelledError(options.source);
    }
    Result<CapturedScenario> made = scenarioFromCapture(packets, point, options, cancel);
    if (!made) {
        return fail(made.error());
    }
    if (isCancelled(cancel)) {
        return cancelledError(options.source);
    }
    const Result<Scenario> parsed = parseScenarioText(made->text, "replay.yaml");
    if (!parsed.has_value()) {
        Error e;
        e.file = options.source;
        e.line = parsed.error().line;
        e.column = parsed.error().column;
        e.message = "the scenario made of connection " + std::to_string(options.connection) +
                    " does not parse: " + parsed.error().message;
        return fail(std::move(e));
    }
    if (isCancelled(cancel)) {
        return cancelledError(options.source);
    }
    std::optional<Trace> simulated;
    if (parsed->manyConnections()) {
        simulated = simulate(*parsed); // never made from one capture's connection
    } else {
        Simulator sim(*parsed); // simulate(), looking at the flag as it goes
        for (std::size_t n = 1; sim.step(); ++n) {
            if (n % kCancelCheckEvery == 0 && isCancelled(cancel)) {
                return cancelledError(options.source);
            }
        }
        simulated = sim.trace();
    }
    const std::vector<DecodedPacket> replayed = tracePackets(*simulated, made->tap);
    // The replay is compared with what TCP sent: the capture's copies left out.
    const std::optional<Comparison> c = compare(withoutCaptureCopies(packets), replayed, cancel);
    if (!c) {
        return cancelledError(options.source);
    }
    ReplayResult r;
    r.profile = options.profile;
    r.delayedAckUs = options.delayedAckUs;
    r.delayedAckSides = options.delayedAckSides;
    r.quickAckSides = options.quickAckSides;
    r.scenario = std::move(*made);
    r.difference = c->difference;
    r.matched = c->matched;
    return r;
}

Result<ReplayResult> bestReplay(std::span<const DecodedPacket> packets, const CapturePoint& point,
                                ScenarioFromCaptureOptions options,
                                const std::atomic<bool>* cancel) {
    std::optional<ReplayResult> best;
    std::optional<ReplayResult> other;
    // Immediate ACKs first (the lessons' way), then the usual delayed-ACK times
    // of Linux (40 ms) and Windows (200 ms) on both sides, the server's or the
    // client's only (Linux acknowledges at once in its quick-ACK mode at the start
    // of a connection); the first exact fit wins.
    struct AckVariant {
        std::optional<std::int64_t> delayUs;
        std::array<bool, 2> sides{true, true};
    };
    std::vector<AckVariant> acks{{std::nullopt, {false, false}}};
    for (const std::int64_t delayUs : {40'000, 200'000}) {
        for (const std::array<bool, 2> sides :
             {std::array{true, true}, std::array{false, true}, std::array{true, false}}) {
            acks.push_back({delayUs, sides});
        }
    }
    struct Variant {
        Profile profile = Profile::Linux;
        AckVariant ack;
        std::array<bool, 2> quick{false, false};
    };
    std::vector<Variant> variants;
    for (const AckVariant& ack : acks) {
        variants.push_back({Profile::Linux, ack, {false, false}});
        variants.push_back({Profile::Rfc9293, ack, {false, false}});
    }
    // Then, only when nothing above fits: a linux side that acknowledges a FIN at
    // once (quick-ACK mode kept on, as a route with `quickack 1` does, and as
    // Windows behaves) while still aborting with RST,ACK — a pairing neither
    // profile has by itself.
    const std::size_t plain = variants.size();
    for (const AckVariant& ack : acks) {
        for (const std::array<bool, 2> quick :
             {std::array{true, false}, std::array{false, true}, std::array{true, true}}) {
            variants.push_back({Profile::Linux, ack, quick});
        }
    }
    for (std::size_t i = 0; i < variants.size(); ++i) {
        if (i == plain && best && best->exact()) {
            break;
        }
        const Variant& v = variants.at(i);
        options.profile = v.profile;
        options.delayedAckUs = v.ack.delayUs;
        options.delayedAckSides = v.ack.sides;
        options.quickAckSides = v.quick;
        Result<ReplayResult> r = replayConnection(packets, point, options, cancel);
        if (!r) {
            return r; // cancelled among them
        }
        const bool better = !best || (r->exact() && !best->exact()) ||
                            (!r->exact() && !best->exact() && r->matched > best->matched);
        // `other`: the best of the other profile, to say why this one.
        if (better) {
            if (best && best->profile != r->profile) {
                other = std::move(best);
            }
            best = std::move(*r);
        } else if (r->profile != best->profile &&
                   (!other || (r->exact() && !other->exact()) ||
                    (!r->exact() && !other->exact() && r->matched > other->matched))) {
            other = std::move(*r);
        }
    }
    // Written again with the reason in the file: the profile choice is the
    // lecturer's to question.
    std::string note;
    const std::string otherName(profileName(other->profile));
    if (best->exact()) {
        note = other->exact() ? "reproduces the capture exactly, as " + otherName + " does too"
                              : "reproduces the capture exactly; " + otherName + " differs at " +
                                    other->difference;
    } else {
        note = "closest fit (" + std::to_string(best->matched) + " segments alike, " + otherName +
               " " + std::to_string(other->matched) + "); not exact: " + best->difference;
    }
    options.profile = best->profile;
    options.delayedAckUs = best->delayedAckUs;
    options.delayedAckSides = best->delayedAckSides;
    options.quickAckSides = best->quickAckSides;
    options.profileNote = note;
    Result<CapturedScenario> made = scenarioFromCapture(packets, point, options, cancel);
    if (!made) {
        return fail(made.error());
    }
    best->scenario = std::move(*made);
    return std::move(*best);
}

std::vector<std::size_t> withReconnects(const ConnectionList& connections, std::size_t n) {
    std::vector<std::size_t> out;
    if (n >= connections.size()) {
        return out;
    }
    out.push_back(n);
    const ConnectionSummary& c = connections[n];
    for (std::size_t k = n + 1; k < connections.size(); ++k) {
        const ConnectionSummary& d = connections[k];
        const bool same = (d.client() == c.client() && d.server() == c.server()) ||
                          (d.client() == c.server() && d.server() == c.client());
        if (same && d.firstPacket > c.firstPacket) {
            out.push_back(k);
        }
    }
    return out;
}

Result<std::vector<DecodedPacket>> collectWithReconnects(const std::string& path,
                                                         const AnalyzeOptions& options,
                                                         const ConnectionList& connections,
                                                         std::size_t n) {
    std::vector<DecodedPacket> all;
    for (const std::size_t k : withReconnects(connections, n)) {
        Result<std::vector<DecodedPacket>> some =
            collectConnectionPackets(path, options, connections[k]);
        if (!some) {
            return some;
        }
        all.insert(all.end(), some->begin(), some->end());
    }
    std::stable_sort(all.begin(), all.end(), [](const DecodedPacket& a, const DecodedPacket& b) {
        return a.number < b.number;
    });
    all.erase(std::unique(all.begin(), all.end(),
                          [](const DecodedPacket& a, const DecodedPacket& b) {
                              return a.number == b.number;
                          }),
              all.end());
    return all;
}

} // namespace tcpviz
