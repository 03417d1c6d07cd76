#include "player.h"

#include <QSignalSpy>
#include <gtest/gtest.h>

using tcpviz::EventKind;
using tcpviz::Side;
using tcpviz::Snapshot;
using tcpviz::State;
using tcpviz::Trace;
using tcpviz::TraceEvent;
using tcpviz::gui::Player;

namespace {

TraceEvent send(std::int64_t t, Side side, std::uint32_t id, std::int64_t arrival) {
    TraceEvent e;
    e.timeUs = t;
    e.endpoint = side;
    e.kind = EventKind::Send;
    e.segmentId = id;
    e.plannedArrivalUs = arrival;
    return e;
}

TraceEvent arrive(std::int64_t t, Side side, std::uint32_t id) {
    TraceEvent e;
    e.timeUs = t;
    e.endpoint = side;
    e.kind = EventKind::Arrive;
    e.segmentId = id;
    return e;
}

TraceEvent transition(std::int64_t t, Side side, State from, State to) {
    TraceEvent e;
    e.timeUs = t;
    e.endpoint = side;
    e.kind = EventKind::Transition;
    e.from = from;
    e.to = to;
    return e;
}

/// Server listening; client sends a SYN at 0 that arrives at 50 ms, then the
/// server enters SYN-RECEIVED; a long idle gap (10 s) follows before a last event.
Trace handshakeTrace() {
    Snapshot s;
    s.of(Side::Server).state = State::Listen;
    Trace trace(s);
    s.of(Side::Client).state = State::SynSent;
    trace.append(transition(0, Side::Client, State::Closed, State::SynSent), s);
    trace.append(send(0, Side::Client, 1, 50'000), s);
    trace.append(arrive(50'000, Side::Server, 1), s);
    s.of(Side::Server).state = State::SynReceived;
    trace.append(transition(50'000, Side::Server, State::Listen, State::SynReceived), s);
    trace.append(send(50'000, Side::Server, 2, 100'000), s);
    trace.append(arrive(100'000, Side::Client, 2), s);
    s.of(Side::Client).state = State::Established;
    trace.append(transition(100'000, Side::Client, State::SynSent, State::Established), s);
    trace.append(transition(10'100'000, Side::Client, State::Established, State::Closed), s);
    return trace;
}

} // namespace

TEST(Player, StepsForwardAndBackOneEventAtATime) {
    const Trace trace = handshakeTrace();
    Player player;
    player.setTrace(&trace);
    QSignalSpy spy(&player, &Player::positionChanged);
    EXPECT_EQ(player.position(), 0U);
    player.stepForward();
    player.stepForward();
    EXPECT_EQ(player.position(), 2U);
    player.stepBack();
    EXPECT_EQ(player.position(), 1U);
    ASSERT_EQ(spy.count(), 3);
    EXPECT_EQ(spy.at(2).at(0).value<std::size_t>(), 1U);
    player.toEnd();
    EXPECT_EQ(player.position(), trace.size());
    EXPECT_TRUE(player.atEnd());
    player.stepForward(); // nothing past the end
    EXPECT_EQ(player.position(), trace.size());
    player.toStart();
    EXPECT_EQ(player.position(), 0U);
    player.stepBack();
    EXPECT_EQ(player.position(), 0U);
}

TEST(Player, SeeksByPositionAndByTime) {
    const Trace trace = handshakeTrace();
    Player player;
    player.setTrace(&trace);
    player.seek(5);
    EXPECT_EQ(player.position(), 5U);
    EXPECT_EQ(trace.stateAt(Side::Server, player.position()), State::SynReceived);
    player.seek(1000);
    EXPECT_EQ(player.position(), trace.size());
    player.seekToTime(50'000);
    EXPECT_EQ(player.position(), 2U); // the first event at 50 ms has not happened yet
    EXPECT_DOUBLE_EQ(player.animationTimeUs(), 0.0);
}

TEST(Player, StateChangesWhenTheArrivalIsProcessedNotWhenTheSegmentLeaves) {
    const Trace trace = handshakeTrace();
    Player player;
    player.setTrace(&trace);
    player.play();
    ASSERT_TRUE(player.isPlaying());
    // At 1x, 50 ms of trace time take 0.5 s: after 0.25 s the SYN is half-way.
    player.advance(0.25);
    EXPECT_EQ(player.position(), 2U) << "the SYN has been sent but not yet received";
    EXPECT_NEAR(player.animationTimeUs(), 25'000.0, 1.0);
    EXPECT_NEAR(player.fraction(), 0.5, 1e-6);
    EXPECT_EQ(trace.stateAt(Side::Server, player.position()), State::Listen);
    player.advance(0.25);
    // The arrival and everything at the same instant have happened.
    EXPECT_EQ(player.position(), 5U);
    EXPECT_EQ(trace.stateAt(Side::Server, player.position()), State::SynReceived);
}

TEST(Player, LongIdleGapsAreClampedAndPlayingStopsAtTheEnd) {
    const Trace trace = handshakeTrace();
    Player player;
    player.setTrace(&trace);
    // 10 s of idle trace time would be 100 s of viewing at 10x slow motion.
    const double gap = player.playbackSecondsOf(7) - player.playbackSecondsOf(6);
    EXPECT_DOUBLE_EQ(gap, Player::kMaxGapSeconds);
    player.play();
    double wall = 0.0;
    while (player.isPlaying() && wall < 60.0) {
        player.advance(1.0 / 60.0);
        wall += 1.0 / 60.0;
    }
    EXPECT_FALSE(player.isPlaying());
    EXPECT_TRUE(player.atEnd());
    EXPECT_LT(wall, 1.0 + 1.0 + Player::kMaxGapSeconds + 0.1);
}

TEST(Player, SpeedScalesPlaybackAndStaysInRange) {
    const Trace trace = handshakeTrace();
    Player player;
    player.setTrace(&trace);
    player.setSpeed(2.0);
    player.play();
    player.advance(0.25); // 0.5 s of viewing at 2x: the SYN has just arrived
    EXPECT_EQ(player.position(), 5U);
    player.setSpeed(100.0);
    EXPECT_DOUBLE_EQ(player.speed(), 4.0);
    player.setSpeed(0.01);
    EXPECT_DOUBLE_EQ(player.speed(), 0.25);
    player.faster();
    EXPECT_DOUBLE_EQ(player.speed(), 0.5);
    player.slower();
    player.slower();
    EXPECT_DOUBLE_EQ(player.speed(), 0.25);
}

TEST(Player, BarrierStopsPlayingInFrontOfAnEventUntilReleased) {
    const Trace trace = handshakeTrace();
    Player player;
    player.setTrace(&trace);
    player.setBarrier([](std::size_t i) { return i == 3; });
    QSignalSpy spy(&player, &Player::barrierReached);
    player.play();
    player.advance(2.0);
    EXPECT_FALSE(player.isPlaying());
    EXPECT_EQ(player.position(), 3U);
    ASSERT_EQ(spy.count(), 1);
    player.stepForward();
    EXPECT_EQ(player.position(), 3U) << "stepping does not skip the question either";
    player.release(3);
    player.stepForward();
    EXPECT_EQ(player.position(), 4U);
}

TEST(Player, PlayAtTheEndStartsOver) {
    const Trace trace = handshakeTrace();
    Player player;
    player.setTrace(&trace);
    player.toEnd();
    player.play();
    EXPECT_TRUE(player.isPlaying());
    EXPECT_EQ(player.position(), 0U);
}
