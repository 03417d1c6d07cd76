// Random scenarios (fixed seeds, so failures reproduce): whatever a user
// scripts or clicks in a what-if branch, the simulator must neither throw nor
// break the Trace's invariants.
#include "sim_test_support.h"
#include "tcp/segment.h"
#include "tcp/seq.h"

#include <gtest/gtest.h>
#include <random>

namespace tcpviz::test {
namespace {

using enum Side;

Scenario randomScenario(std::uint32_t seed) {
    std::mt19937 rng(seed);
    auto pick = [&rng](int n) { return static_cast<int>(rng() % static_cast<unsigned>(n)); };
    Scenario s = baseScenario(pick(2) == 0 ? Profile::Rfc9293 : Profile::Linux);
    s.timers.synRetries = 1 + pick(3);
    s.timers.synackRetries = 1 + pick(3);
    s.timers.dataRetries = 1 + pick(3);
    s.timers.mslUs = (1 + pick(5)) * kSec;
    s.timers.finTimeoutUs = (1 + pick(5)) * kSec;
    if (pick(3) == 0) {
        s.timers.userTimeoutUs = (1 + pick(6)) * kSec;
    }
    s.client.reads = pick(3) != 0;
    s.server.reads = pick(3) != 0;
    s.network = {(1 + pick(100)) * kMs, (1 + pick(100)) * kMs};
    static constexpr std::array kActions{Action::Listen, Action::Connect,  Action::Send,
                                         Action::Close,  Action::Shutdown, Action::Abort};
    static constexpr std::array kFlags{
        flag::SYN,
        static_cast<std::uint8_t>(flag::SYN | flag::ACK),
        flag::ACK,
        static_cast<std::uint8_t>(flag::PSH | flag::ACK),
        static_cast<std::uint8_t>(flag::FIN | flag::ACK),
        flag::RST,
        static_cast<std::uint8_t>(flag::RST | flag::ACK),
        static_cast<std::uint8_t>(flag::SYN | flag::FIN),
    };
    s.steps.push_back(atStep(0, Server, Action::Listen));
    s.steps.push_back(atStep(0, Client, Action::Connect));
    const int steps = 3 + pick(10);
    for (int i = 0; i < steps; ++i) {
        const Side side = pick(2) == 0 ? Client : Server;
        if (pick(5) == 0) {
            // Near the real sequence numbers, so that some injections land in the window.
            const std::uint32_t base = side == Client ? 300U : 100U;
            s.steps.push_back(
                injectStep(pick(3000) * kMs, side, kFlags.at(static_cast<std::size_t>(pick(8))),
                           base + static_cast<std::uint32_t>(pick(4000)),
                           (side == Client ? 100U : 300U) + static_cast<std::uint32_t>(pick(4000)),
                           static_cast<std::uint32_t>(pick(3) * 100)));
            continue;
        }
        const Action a = kActions.at(static_cast<std::size_t>(pick(6)));
        const auto bytes = static_cast<std::uint32_t>(pick(5000));
        if (pick(2) == 0) {
            s.steps.push_back(atStep(pick(3000) * kMs, side, a, bytes));
        } else {
            const State when = kAllStates.at(static_cast<std::size_t>(pick(11)));
            s.steps.push_back(
                whenStep(pick(2) == 0 ? Client : Server, when, pick(200) * kMs, side, a, bytes));
        }
    }
    static constexpr std::array kFaultFlags{"SYN",     "SYN,ACK", "ACK",    "PSH,ACK",
                                            "FIN,ACK", "RST",     "RST,ACK"};
    const int faults = pick(4);
    for (int i = 0; i < faults; ++i) {
        Fault f = fault(static_cast<FaultKind>(pick(3)), pick(2) == 0 ? Client : Server,
                        kFaultFlags.at(static_cast<std::size_t>(pick(7))),
                        static_cast<std::uint32_t>(1 + pick(3)), pick(4) == 0);
        f.byUs = pick(300) * kMs;
        f.afterUs = pick(300) * kMs;
        s.faults.push_back(f);
    }
    return s;
}

TEST(SimulatorRandom, NoScriptBreaksTheTrace) {
    std::set<ArcId> arcs;
    std::size_t events = 0;
    for (std::uint32_t seed = 1; seed <= 400; ++seed) {
        const Scenario s = randomScenario(seed);
        Trace t;
        ASSERT_NO_THROW(t = simulate(s)) << "seed " << seed;
        const auto taken = arcsOf(t);
        arcs.insert(taken.begin(), taken.end());
        events += t.size();
        for (std::size_t i = 0; i < t.size(); ++i) {
            const TraceEvent& e = t.event(i);
            if (i > 0) {
                ASSERT_LE(t.event(i - 1).timeUs, e.timeUs) << "seed " << seed;
            }
            if (e.kind == EventKind::Transition) {
                ASSERT_EQ(arc(e.arc).from, e.from) << "seed " << seed;
                ASSERT_EQ(t.stateAt(e.endpoint, i), e.from) << "seed " << seed << dump(t);
                ASSERT_EQ(t.stateAt(e.endpoint, i + 1), e.to) << "seed " << seed;
            } else {
                // Only transitions change a state.
                for (const Side side : {Client, Server}) {
                    ASSERT_EQ(t.stateAt(side, i), t.stateAt(side, i + 1))
                        << "seed " << seed << " event " << i << dump(t);
                }
            }
            for (const Side side : {Client, Server}) {
                const Tcb& tcb = t.snapshotAt(i + 1).of(side);
                if (isSynchronized(tcb.state)) {
                    ASSERT_TRUE(seqLe(tcb.sndUna, tcb.sndNxt)) << "seed " << seed << dump(t);
                }
                if (tcb.state == State::TimeWait) {
                    ASSERT_TRUE(tcb.timeWaitDeadlineUs.has_value()) << "seed " << seed;
                }
            }
        }
        // Same seed, same trace.
        ASSERT_EQ(dump(t), dump(simulate(s))) << "seed " << seed;
    }
    // The random scripts really wander around the diagram.
    EXPECT_GE(arcs.size(), 40U);
    EXPECT_GE(events, 400U * 15U);
}

TEST(SimulatorRandom, WhatIfCallsAtAnyPointNeverThrow) {
    static constexpr std::array kCalls{UserCall::Listen, UserCall::Connect,  UserCall::Send,
                                       UserCall::Close,  UserCall::Shutdown, UserCall::Abort};
    for (std::uint32_t seed = 1; seed <= 60; ++seed) {
        Simulator base(randomScenario(seed));
        base.runToEnd();
        const std::size_t n = base.trace().size();
        for (std::size_t at = 0; at <= n; at += 3) {
            for (const UserCall c : kCalls) {
                Simulator sim(randomScenario(seed));
                sim.runUntil(at);
                ASSERT_NO_THROW(sim.userCall(seed % 2 == 0 ? Client : Server, c, 700));
                ASSERT_NO_THROW(sim.runToEnd()) << "seed " << seed;
            }
        }
    }
}

} // namespace
} // namespace tcpviz::test
