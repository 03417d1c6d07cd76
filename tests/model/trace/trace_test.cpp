#include "trace/trace.h"
#include "trace/trace_builder.h"

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

TEST(Trace, ReactionGroupsWhatAnEndpointDidAtOneInstantWithItsCause) {
    // 0 listen, 1 LISTEN, 2 connect, 3 SYN-SENT, 4 SYN, 5 arrive, 6 SYN-RECEIVED,
    // 7 SYN,ACK, 8 arrive, 9 ESTABLISHED, 10 ACK, 11 arrive, 12 ESTABLISHED.
    testing::TraceBuilder b = testing::handshake();
    b.send(200'000, Side::Client, flag::RST, 101, 0, 0, false, true).arrive(200'000);
    const Trace t = b.build();

    const Reaction connect = t.reaction(2);
    EXPECT_EQ(connect.cause, 2U);
    EXPECT_EQ(connect.begin, 3U);
    EXPECT_EQ(connect.end, 5U);
    // From inside: the same run, whatever order the Send and the Transition came in.
    for (const std::size_t i : {3U, 4U}) {
        const Reaction r = t.reaction(i);
        EXPECT_EQ(r.cause, 2U) << i;
        EXPECT_EQ(r.begin, 3U) << i;
        EXPECT_EQ(r.end, 5U) << i;
    }
    const Reaction syn = t.reaction(5);
    EXPECT_EQ(syn.begin, 6U);
    EXPECT_EQ(syn.end, 8U);
    EXPECT_EQ(t.stateAt(Side::Server, syn.end), State::SynReceived);
    EXPECT_EQ(t.reaction(12).cause, 11U);
    EXPECT_EQ(t.reaction(12).end, 13U);

    // An injected segment is no endpoint's reaction; an arrival may cause nothing.
    const Reaction injected = t.reaction(13);
    EXPECT_FALSE(injected.cause.has_value());
    EXPECT_TRUE(injected.empty());
    EXPECT_EQ(injected.begin, 14U);
    const Reaction ignored = t.reaction(14);
    EXPECT_EQ(ignored.cause, 14U);
    EXPECT_TRUE(ignored.empty());
}

TEST(Trace, ReactionWithoutRecordedCause) {
    // As a capture records it: the sender's Transition, then its segment.
    testing::TraceBuilder b(State::Closed, State::Listen);
    b.transition(0, Side::Client, State::SynSent, ArcId::ActiveOpen)
        .send(0, Side::Client, flag::SYN, 100, 0);
    const Trace t = b.build();
    const Reaction r = t.reaction(1);
    EXPECT_FALSE(r.cause.has_value());
    EXPECT_EQ(r.begin, 0U);
    EXPECT_EQ(r.end, 2U);
}

} // namespace
} // namespace tcpviz
