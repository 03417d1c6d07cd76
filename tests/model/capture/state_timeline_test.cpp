// StateTimeline: how many endpoints sit in each state at any time of a capture.
#include "capture/analyzer.h"
#include "capture/state_timeline.h"
#include "capture/wire.h"

#include <algorithm>
#include <deque>
#include <gtest/gtest.h>
#include <memory>
#include <string>
#include <vector>

namespace tcpviz {
namespace {

TEST(StateTimeline, CountsEndpointsPerStateOverTime) {
    Analyzer a;
    // Two connections: the second starts after the first closed.
    Wire w;
    handshakeAndData(w);
    w.send(Side::Client, "FIN,ACK", 105, 305);
    w.send(Side::Server, "FIN,ACK", 305, 106);
    w.send(Side::Client, "ACK", 106, 306);
    for (const auto& p : w.packets()) {
        a.add(p);
    }
    auto late = w.packets().front();
    late.src.port = 40001;
    late.tcp.srcPort = 40001;
    late.number = 100;
    late.timeNs = w.packets().back().timeNs + 1'000'000'000;
    a.add(late);
    const auto r = a.finish({});
    const StateTimeline tl(r.connections);
    const auto before = tl.countsAt(tl.startNs() - 1);
    std::uint32_t total = 0;
    for (const auto n : before) {
        total += n;
    }
    EXPECT_EQ(total, 0U);
    const auto midway = tl.countsAt(w.packets()[3].timeNs);
    EXPECT_EQ(midway[index(State::Established)], 2U);
    const auto end = tl.countsAt(tl.endNs());
    EXPECT_EQ(end[index(State::TimeWait)], 1U);
    EXPECT_EQ(end[index(State::Closed)], 1U);
    EXPECT_EQ(end[index(State::SynSent)], 1U);
    EXPECT_EQ(end[index(State::Listen)], 1U);
}

AnalysisResult twoConnections(Wire& w) {
    Analyzer a;
    handshakeAndData(w);
    w.send(Side::Client, "FIN,ACK", 105, 305);
    w.send(Side::Server, "FIN,ACK", 305, 106);
    w.send(Side::Client, "ACK", 106, 306);
    for (const auto& p : w.packets()) {
        a.add(p);
    }
    auto late = w.packets().front();
    late.src.port = 40001;
    late.tcp.srcPort = 40001;
    late.number = 100;
    late.timeNs = w.packets().back().timeNs + 1'000'000'000;
    a.add(late);
    return a.finish({});
}

// The chart samples every pixel column in one sweep: the same counts as one
// look-up per time, and a filtered timeline counts only the connections kept.
TEST(StateTimeline, SweepsManyTimesAndCountsAFilteredSubset) {
    Wire w;
    const auto r = twoConnections(w);
    ASSERT_EQ(r.connections.size(), 2U);
    const StateTimeline all(r.connections);
    std::vector<std::int64_t> times;
    for (std::int64_t t = all.startNs() - 10; t <= all.endNs() + 10;
         t += (all.endNs() - all.startNs()) / 97) {
        times.push_back(t);
    }
    times.push_back(all.endNs());
    const auto swept = all.sideCountsAtEach(times);
    ASSERT_EQ(swept.size(), times.size());
    for (std::size_t i = 0; i < times.size(); ++i) {
        EXPECT_EQ(swept[i], all.sideCountsAt(times[i])) << "at " << times[i];
    }
    // Only the second connection (a lone SYN): one client in SYN-SENT, one server in LISTEN.
    const StateTimeline second(r.connections, std::vector<bool>{false, true});
    const auto end = second.sideCountsAt(all.endNs());
    EXPECT_EQ(end[0][index(State::SynSent)], 1U);
    EXPECT_EQ(end[1][index(State::Listen)], 1U);
    std::uint32_t total = 0;
    for (const auto& side : end) {
        for (const auto n : side) {
            total += n;
        }
    }
    EXPECT_EQ(total, 2U) << "the first connection is left out";
    EXPECT_EQ(second.startNs(), r.connections[1].firstTimeNs);
    // A connection's own state at a time agrees with the counts.
    const auto& first = r.connections[0];
    for (const auto t : times) {
        const auto counts =
            StateTimeline(r.connections, std::vector<bool>{true, false}).sideCountsAt(t);
        for (const Side side : {Side::Client, Side::Server}) {
            const auto state = first.stateAt(side, t);
            if (!state) {
                EXPECT_LT(t, first.firstTimeNs);
                continue;
            }
            EXPECT_EQ(counts.at(static_cast<std::size_t>(side)).at(index(*state)), 1U) << t;
        }
    }
    // Every state the client passed through, and no other.
    const std::uint16_t ever = first.statesEver(Side::Client);
    for (const State s : kAllStates) {
        const bool visited = std::any_of(first.changes.begin(), first.changes.end(),
                                         [&](const StateChange& c) {
                                             return c.side == Side::Client && c.to == s;
                                         }) ||
                             first.tracker.initialState(Side::Client) == s;
        EXPECT_EQ((ever >> static_cast<unsigned>(s)) & 1U, visited ? 1U : 0U) << stateName(s);
    }
}

} // namespace
} // namespace tcpviz

namespace tcpviz {
namespace {

TEST(StateTimeline, SamplesHoldTheirCountsUntilTheNext) {
    // Polled counts (this machine's sockets every second): each holds from its
    // time on, going up and down state by state.
    std::vector<StateTimeline::Sample> samples(3);
    samples[0].timeNs = 1'000;
    samples[0].counts[1][index(State::Listen)] = 1;
    samples[0].counts[1][index(State::CloseWait)] = 3;
    samples[1].timeNs = 2'000;
    samples[1].counts[1][index(State::Listen)] = 1;
    samples[1].counts[1][index(State::CloseWait)] = 5;
    samples[1].counts[0][index(State::TimeWait)] = 2;
    samples[2].timeNs = 3'000;
    samples[2].counts[1][index(State::CloseWait)] = 1;
    const StateTimeline tl = StateTimeline::fromSamples(samples);
    EXPECT_EQ(tl.startNs(), 1'000);
    EXPECT_EQ(tl.endNs(), 3'000);
    const StateTimeline::SideCounts none{};
    EXPECT_EQ(tl.sideCountsAt(999), none);
    for (const auto& s : samples) {
        EXPECT_EQ(tl.sideCountsAt(s.timeNs), s.counts) << s.timeNs;
        EXPECT_EQ(tl.sideCountsAt(s.timeNs + 999), s.counts) << s.timeNs;
    }
    const std::vector<std::int64_t> times{1'500, 2'500, 3'500};
    const auto each = tl.sideCountsAtEach(times);
    EXPECT_EQ(each.at(0), samples[0].counts);
    EXPECT_EQ(each.at(1), samples[1].counts);
    EXPECT_EQ(each.at(2), samples[2].counts);
}

/// Connections made by hand: `count` of them, `gapNs` apart on average (now and then
/// 3 s more, and every third at the time of the one before), with up to 11 changes
/// each, some far apart (past the 31-bit step of the compact form), and some
/// summarised; `probes` gets times to look at.
ConnectionList madeConnections(std::uint32_t count, std::int64_t gapNs,
                               std::vector<std::int64_t>& probes) {
    ConnectionList connections;
    std::uint64_t seed = 7;
    const auto next = [&seed](std::uint64_t n) {
        seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
        return (seed >> 11) % n; // 53 bits: days apart too
    };
    std::int64_t clock = 1'700'000'000'000'000'000;
    for (std::uint32_t id = 0; id < count; ++id) {
        auto& c = connections.emplace_back();
        c.id = id;
        clock += id % 5000 == 0 ? 3'000'000'000
                 : id % 3 == 0
                     ? 0
                     : static_cast<std::int64_t>(next(2 * static_cast<std::uint64_t>(gapNs)));
        c.firstTimeNs = clock;
        ConnectionSummary::Known known;
        known.initial = {State::Closed, State::Listen};
        std::array<State, 2> now = known.initial;
        std::int64_t t = clock;
        // A summarised connection keeps no changes, only its first and last states.
        c.summarised = next(40) == 0;
        const auto changes = c.summarised ? 0 : next(12);
        for (std::uint64_t k = 0; k < changes; ++k) {
            t += k % 4 == 0 ? 0 : static_cast<std::int64_t>(next(100'000));
            if (next(50) == 0) {
                t += 2'500'000'000;
            }
            const Side side = next(2) == 0 ? Side::Client : Side::Server;
            auto& st = now.at(static_cast<std::size_t>(side));
            const auto to = kAllStates.at(next(kStateCount));
            c.changes.append({t, 0, side, st, to, ArcId::PassiveOpen});
            st = to;
        }
        c.lastTimeNs = t + static_cast<std::int64_t>(next(1000));
        known.final = c.summarised ? std::array<State, 2>{State::TimeWait, State::Closed} : now;
        c.known = ConnectionSummary::KnownPtr(known);
        if (id % 100 == 0 || count < 1000) {
            probes.push_back(c.firstTimeNs);
            probes.push_back(c.firstTimeNs - 1);
            probes.push_back(t);
            probes.push_back(c.lastTimeNs);
        }
    }
    probes.push_back(connections.front().firstTimeNs - 1'000'000'000);
    probes.push_back(clock + 10'000'000'000);
    std::sort(probes.begin(), probes.end());
    return connections;
}

/// The timeline's counts at each probe are the connections' own states then.
void expectTheirStates(const StateTimeline& tl, const ConnectionList& connections,
                       const std::vector<std::int64_t>& probes) {
    const auto swept = tl.sideCountsAtEach(probes);
    ASSERT_EQ(swept.size(), probes.size());
    for (std::size_t k = 0; k < probes.size(); ++k) {
        const std::int64_t t = probes[k];
        StateTimeline::SideCounts expected{};
        for (const ConnectionSummary& c : connections) {
            for (const Side side : {Side::Client, Side::Server}) {
                if (const auto st = c.stateAt(side, t)) {
                    ++expected.at(static_cast<std::size_t>(side)).at(static_cast<std::size_t>(*st));
                }
            }
        }
        ASSERT_EQ(tl.sideCountsAt(t), expected) << "at probe " << k << ", t = " << t;
        ASSERT_EQ(swept[k], expected) << "swept, probe " << k;
    }
}

// Many connections, changes far apart and many at one time (across the compact
// form's blocks): the counts at any time are the connections' own states then, at
// about 5 bytes a change (16 before).
TEST(StateTimeline, CompactCountsEqualTheConnectionsStatesAtEveryTime) {
    std::vector<std::int64_t> probes;
    const auto connections = madeConnections(20'000, 2500, probes);
    const StateTimeline tl(connections);
    ASSERT_GT(tl.size(), 100'000U);
    EXPECT_LE(static_cast<double>(tl.memoryBytes()) / static_cast<double>(tl.size()), 5.5)
        << "bytes a change";
    expectTheirStates(tl, connections, probes);
}

// A sparse capture, days between connections: sorted through its wide path (buckets
// wider than 2^31 ns), the same counts.
TEST(StateTimeline, ASparseCaptureOfWeeksCountsTheSame) {
    std::vector<std::int64_t> probes;
    const auto connections = madeConnections(60, 86'400'000'000'000, probes);
    const StateTimeline tl(connections);
    ASSERT_GT(tl.size(), 100U);
    expectTheirStates(tl, connections, probes);
}

} // namespace
} // namespace tcpviz
