// diffTraces: what a what-if changed, segment by segment and state by state.
#include "replay/trace_diff.h"
#include "scenario/library.h"
#include "sim/simulator.h"

#include <algorithm>
#include <gtest/gtest.h>

namespace tcpviz {
namespace {

// A Send of `side` at `timeUs`; numbers absolute (ISNs 1000 and 5000).
TraceEvent send(Side side, std::int64_t timeUs, std::uint8_t flags, std::uint32_t seq,
                std::uint32_t ack, std::uint32_t len, std::uint32_t id) {
    TraceEvent e;
    e.kind = EventKind::Send;
    e.endpoint = side;
    e.timeUs = timeUs;
    e.segment.flags = flags;
    e.segment.seq = seq;
    e.segment.ack = ack;
    e.segment.len = len;
    e.segmentId = id;
    return e;
}

TraceEvent drop(Side side, std::int64_t timeUs, std::uint32_t id) {
    TraceEvent e;
    e.kind = EventKind::Drop;
    e.endpoint = side;
    e.timeUs = timeUs;
    e.segmentId = id;
    return e;
}

Trace build(const std::vector<TraceEvent>& events) {
    Trace t;
    t.meta.client.isn = 1000;
    t.meta.server.isn = 5000;
    for (const TraceEvent& e : events) {
        t.append(e, Snapshot{});
    }
    return t;
}

std::size_t sends(const Trace& t) {
    return static_cast<std::size_t>(
        std::count_if(t.events().begin(), t.events().end(),
                      [](const TraceEvent& e) { return e.kind == EventKind::Send; }));
}

constexpr std::uint8_t kSyn = flag::SYN;
constexpr std::uint8_t kSynAck = flag::SYN | flag::ACK;
constexpr std::uint8_t kAck = flag::ACK;
constexpr std::uint8_t kFinAck = flag::FIN | flag::ACK;

TEST(TraceDiff, ATraceIsTheSameAsItself) {
    const Trace t = simulate(*findBuiltinScenario("lecture"));
    const TraceDiff d = diffTraces(t, t);
    EXPECT_TRUE(d.same());
    EXPECT_EQ(d.segments.size(), sends(t));
    EXPECT_TRUE(d.segmentsOnlyInA.empty());
    EXPECT_TRUE(d.segmentsOnlyInB.empty());
    EXPECT_EQ(d.shiftedStates(), 0U);
    EXPECT_FALSE(d.states.empty());
}

TEST(TraceDiff, AnAddedSegmentAndTheFinItMovesAreTheOnlyDifferences) {
    // a: handshake then the client's FIN; b: the client sends 100 bytes first,
    // so its FIN carries another sequence number.
    const Trace a = build({send(Side::Client, 0, kSyn, 1000, 0, 0, 1),
                           send(Side::Server, 10, kSynAck, 5000, 1001, 0, 2),
                           send(Side::Client, 20, kAck, 1001, 5001, 0, 3),
                           send(Side::Client, 30, kFinAck, 1001, 5001, 0, 4)});
    const Trace b = build({send(Side::Client, 0, kSyn, 1000, 0, 0, 1),
                           send(Side::Server, 10, kSynAck, 5000, 1001, 0, 2),
                           send(Side::Client, 20, kAck, 1001, 5001, 0, 3),
                           send(Side::Client, 25, kAck, 1001, 5001, 100, 4),
                           send(Side::Client, 30, kFinAck, 1101, 5001, 0, 5)});
    const TraceDiff d = diffTraces(a, b);
    EXPECT_EQ(d.segments.size(), 3U);
    EXPECT_EQ(d.segmentsOnlyInA, (std::vector<std::size_t>{3}));
    EXPECT_EQ(d.segmentsOnlyInB, (std::vector<std::size_t>{3, 4}));
    EXPECT_FALSE(d.same());
}

TEST(TraceDiff, NumbersAreRelativeToEachSidesIsn) {
    // Same exchange with other ISNs: nothing differs.
    const Trace a = build({send(Side::Client, 0, kSyn, 1000, 0, 0, 1),
                           send(Side::Server, 10, kSynAck, 5000, 1001, 0, 2)});
    Trace b;
    b.append(send(Side::Client, 0, kSyn, 77, 0, 0, 1), Snapshot{});
    b.append(send(Side::Server, 10, kSynAck, 900, 78, 0, 2), Snapshot{});
    EXPECT_TRUE(diffTraces(a, b).same());
}

TEST(TraceDiff, ALossIsAnotherFateOfTheSameSegmentAndTheRetransmissionIsNew) {
    const Trace a = build({send(Side::Client, 0, kSyn, 1000, 0, 0, 1),
                           send(Side::Server, 10, kSynAck, 5000, 1001, 0, 2)});
    const Trace b = build({send(Side::Client, 0, kSyn, 1000, 0, 0, 1), drop(Side::Client, 5, 1),
                           send(Side::Client, 1000, kSyn, 1000, 0, 0, 3),
                           send(Side::Server, 1010, kSynAck, 5000, 1001, 0, 4)});
    const TraceDiff d = diffTraces(a, b);
    ASSERT_EQ(d.segments.size(), 2U);
    // The in-order match pairs the first SYN with the first copy, lost in b.
    EXPECT_EQ(d.segments[0].a, 0U);
    EXPECT_EQ(d.segments[0].b, 0U);
    EXPECT_TRUE(d.segments[0].lostInB);
    EXPECT_FALSE(d.segments[0].lostInA);
    EXPECT_EQ(d.segmentsWithOtherFate(), 1U);
    EXPECT_EQ(d.segmentsOnlyInB, (std::vector<std::size_t>{2}));
    EXPECT_EQ(d.segments[1].shiftUs, 1000);
}

TEST(TraceDiff, StatesReachedLaterAreShiftedAndMissingOnesAreCounted) {
    Trace a;
    a.append(transitionEvent(0, Side::Client, State::Closed, State::SynSent, ArcId::ActiveOpen),
             Snapshot{});
    a.append(
        transitionEvent(100, Side::Client, State::SynSent, State::Established, ArcId::ActiveOpen),
        Snapshot{});
    Trace b;
    b.append(transitionEvent(0, Side::Client, State::Closed, State::SynSent, ArcId::ActiveOpen),
             Snapshot{});
    b.append(
        transitionEvent(900, Side::Client, State::SynSent, State::Established, ArcId::ActiveOpen),
        Snapshot{});
    b.append(
        transitionEvent(950, Side::Client, State::Established, State::FinWait1, ArcId::ActiveOpen),
        Snapshot{});
    const TraceDiff d = diffTraces(a, b);
    ASSERT_EQ(d.states.size(), 2U);
    EXPECT_EQ(d.states[1].state, State::Established);
    EXPECT_EQ(d.states[1].shiftUs, 800);
    EXPECT_EQ(d.shiftedStates(), 1U);
    EXPECT_TRUE(d.statesOnlyInA.empty());
    EXPECT_EQ(d.statesOnlyInB, (std::vector<std::size_t>{2}));
}

// A what-if made the way the window makes it: run to a step, drop the next
// segment of a side, run on.
TEST(TraceDiff, DroppingTheClientsFirstDataSegmentOfALessonAddsItsRetransmission) {
    const Scenario s = *findBuiltinScenario("data-exchange");
    const Trace a = simulate(s);
    std::size_t at = 0;
    std::uint8_t flags = 0;
    for (const TraceEvent& e : a.events()) {
        if (e.kind == EventKind::Send && e.endpoint == Side::Client && e.segment.len > 0) {
            at = e.index;
            flags = e.segment.flags;
            break;
        }
    }
    ASSERT_GT(at, 0U);
    Simulator sim(s);
    sim.runUntil(at);
    Fault f;
    f.kind = FaultKind::Drop;
    f.from = Side::Client;
    f.flags = flags;
    f.nth = 1;
    sim.addFault(f);
    sim.runToEnd();
    const Trace& b = sim.trace();
    const TraceDiff d = diffTraces(a, b);
    // Every segment of each trace is either matched or listed once.
    EXPECT_EQ(d.segments.size() + d.segmentsOnlyInA.size(), sends(a));
    EXPECT_EQ(d.segments.size() + d.segmentsOnlyInB.size(), sends(b));
    EXPECT_EQ(d.segmentsWithOtherFate(), 1U);
    ASSERT_FALSE(d.segmentsOnlyInB.empty());
    EXPECT_TRUE(std::any_of(d.segmentsOnlyInB.begin(), d.segmentsOnlyInB.end(),
                            [&b](std::size_t i) { return b.event(i).retransmission; }));
    EXPECT_FALSE(d.same());
}

} // namespace
} // namespace tcpviz
