#include "trace/trace.h"

#include <gtest/gtest.h>

namespace tcpviz {
namespace {

Trace smallTrace() {
    Snapshot s;
    Trace t(s);
    TraceEvent call;
    call.kind = EventKind::Call;
    call.endpoint = Side::Server;
    t.append(call, s);
    s.of(Side::Server).state = State::Listen;
    TraceEvent tr;
    tr.kind = EventKind::Transition;
    tr.endpoint = Side::Server;
    tr.from = State::Closed;
    tr.to = State::Listen;
    tr.arc = ArcId::PassiveOpen;
    t.append(tr, s);
    TraceEvent send;
    send.kind = EventKind::Send;
    send.timeUs = 10;
    t.append(send, s);
    send.timeUs = 20;
    t.append(send, s);
    return t;
}

TEST(Trace, PositionsAndSnapshots) {
    const Trace t = smallTrace();
    ASSERT_EQ(t.size(), 4U);
    EXPECT_EQ(t.event(3).index, 3U);
    EXPECT_EQ(t.stateAt(Side::Server, 0), State::Closed);
    EXPECT_EQ(t.stateAt(Side::Server, 1), State::Closed);
    EXPECT_EQ(t.stateAt(Side::Server, 2), State::Listen);
    EXPECT_EQ(t.stateAt(Side::Server, 99), State::Listen);
}

TEST(Trace, StatesListStartsWithInitial) {
    const Trace t = smallTrace();
    const auto states = t.states(Side::Server);
    ASSERT_EQ(states.size(), 2U);
    EXPECT_EQ(states[0].state, State::Closed);
    EXPECT_EQ(states[0].event, 0U);
    EXPECT_EQ(states[1].state, State::Listen);
    EXPECT_EQ(states[1].event, 1U);
    EXPECT_EQ(t.states(Side::Client).size(), 1U);
}

TEST(Trace, SegmentCountsAndTimeSeek) {
    const Trace t = smallTrace();
    EXPECT_EQ(t.segmentsSentBefore(0), 0U);
    EXPECT_EQ(t.segmentsSentBefore(3), 1U);
    EXPECT_EQ(t.segmentsSentBefore(4), 2U);
    EXPECT_EQ(t.positionAtTime(15), 3U);
    EXPECT_EQ(t.lastTransitionBefore(4, Side::Server), 1U);
    EXPECT_FALSE(t.lastTransitionBefore(1, Side::Server).has_value());
}

} // namespace
} // namespace tcpviz
