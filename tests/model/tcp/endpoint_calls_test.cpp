// User calls (RFC 9293 3.10.1-3.10.5) and timeouts (3.10.8) on one Endpoint.
#include "call_error.h"
#include "tcp/endpoint.h"

#include <algorithm>
#include <gtest/gtest.h>

namespace tcpviz {
namespace {

EndpointConfig config(Profile profile = Profile::Rfc9293) {
    EndpointConfig c;
    c.profile = profile;
    c.iss = 100;
    c.localPort = 52528;
    c.remotePort = 80;
    return c;
}

Segment seg(std::uint8_t flags, std::uint32_t seq, std::uint32_t ack = 0, std::uint32_t len = 0) {
    Segment s;
    s.flags = flags;
    s.seq = seq;
    s.ack = ack;
    s.len = len;
    s.window = 65535;
    return s;
}

Endpoint established(Profile profile = Profile::Rfc9293) {
    Endpoint e(config(profile));
    EXPECT_TRUE(e.open(true, 0));
    e.segmentArrives(seg(flag::SYN | flag::ACK, 300, 101), 100);
    (void)e.takeEvents();
    return e;
}

TEST(EndpointCalls, IllegalCallsReturnRfcErrorsAndSendNothing) {
    Endpoint e(config());
    EXPECT_EQ(callError(e.send(10, 0)), "connection does not exist");
    EXPECT_EQ(callError(e.close(0)), "connection does not exist");
    EXPECT_EQ(callError(e.shutdown(0)), "connection does not exist");
    EXPECT_EQ(callError(e.abort(0)), "connection does not exist");
    EXPECT_TRUE(e.takeEvents().empty());

    Endpoint a = established();
    EXPECT_EQ(callError(a.open(true, 200)), "connection already exists");
    EXPECT_EQ(callError(a.open(false, 200)), "connection already exists");
    ASSERT_TRUE(a.close(200));
    (void)a.takeEvents();
    EXPECT_EQ(callError(a.send(10, 210)), "connection closing");
    EXPECT_EQ(callError(a.close(210)), "connection closing");
    EXPECT_TRUE(a.takeEvents().empty());
}

TEST(EndpointCalls, ShutdownThenCloseIsAccepted) {
    Endpoint e = established();
    ASSERT_TRUE(e.shutdown(200));
    EXPECT_EQ(e.state(), State::FinWait1);
    (void)e.takeEvents();
    EXPECT_TRUE(e.close(300)); // the application goes away; no second FIN
    EXPECT_TRUE(e.takeEvents().empty());
    EXPECT_EQ(callError(e.close(300)), "connection closing");
}

TEST(EndpointCalls, SendBeforeEstablishedIsQueuedThenSent) {
    Endpoint e(config());
    ASSERT_TRUE(e.open(true, 0));
    ASSERT_TRUE(e.send(500, 10));
    (void)e.takeEvents();
    EXPECT_EQ(e.tcb().sendQueued, 500U);
    e.segmentArrives(seg(flag::SYN | flag::ACK, 300, 101), 100);
    const auto events = e.takeEvents();
    ASSERT_EQ(events.size(), 3U); // ACK, transition, data
    EXPECT_EQ(events[0].segment.flags, flag::ACK);
    EXPECT_EQ(events[1].arc, ArcId::RcvSynAck);
    EXPECT_EQ(events[2].segment.len, 500U);
    EXPECT_EQ(events[2].segment.flags, flag::PSH | flag::ACK);
    EXPECT_EQ(e.tcb().sendQueued, 0U);
}

TEST(EndpointCalls, CloseInSynReceivedSendsFin) {
    Endpoint e(config());
    ASSERT_TRUE(e.open(false, 0));
    e.segmentArrives(seg(flag::SYN, 300), 10);
    (void)e.takeEvents();
    ASSERT_TRUE(e.close(20));
    const auto events = e.takeEvents();
    ASSERT_EQ(events.size(), 2U);
    EXPECT_EQ(events[0].segment.flags, flag::FIN | flag::ACK);
    EXPECT_EQ(events[1].arc, ArcId::SynReceivedClose);
}

TEST(EndpointCalls, AbortSendsRstOnlyWhereTheRfcSaysSo) {
    Endpoint e = established();
    ASSERT_TRUE(e.abort(200));
    auto events = e.takeEvents();
    ASSERT_EQ(events.size(), 2U);
    EXPECT_EQ(events[0].segment.flags, flag::RST); // rfc9293: bare RST
    EXPECT_EQ(events[0].segment.seq, 101U);
    EXPECT_EQ(events[1].arc, ArcId::AbortEstablished);

    Endpoint l = established(Profile::Linux);
    ASSERT_TRUE(l.abort(200));
    events = l.takeEvents();
    ASSERT_FALSE(events.empty());
    EXPECT_EQ(events[0].segment.flags, flag::RST | flag::ACK); // Linux active reset
    EXPECT_EQ(events[0].segment.ack, 301U);

    Endpoint s(config());
    ASSERT_TRUE(s.open(true, 0));
    (void)s.takeEvents();
    ASSERT_TRUE(s.abort(10));
    events = s.takeEvents();
    ASSERT_EQ(events.size(), 1U); // SYN-SENT: no RST
    EXPECT_EQ(events[0].arc, ArcId::AbortSynSent);
}

TEST(EndpointTimers, RetransmissionBacksOffExponentiallyThenGivesUp) {
    EndpointConfig c = config();
    c.timers.synRetries = 3;
    Endpoint e(c);
    ASSERT_TRUE(e.open(true, 0));
    (void)e.takeEvents();
    std::vector<std::int64_t> fired;
    while (e.state() == State::SynSent) {
        const auto d = e.deadline(TimerKind::Retransmission);
        ASSERT_TRUE(d.has_value());
        fired.push_back(*d);
        ASSERT_TRUE(e.timerFires(TimerKind::Retransmission, *d));
    }
    EXPECT_EQ(fired, (std::vector<std::int64_t>{1'000'000, 3'000'000, 7'000'000, 15'000'000}));
    bool gaveUp = false;
    for (const auto& ev : e.takeEvents()) {
        gaveUp = gaveUp ||
                 (ev.kind == EndpointEvent::Kind::Transition && ev.arc == ArcId::GiveUpSynSent);
    }
    EXPECT_TRUE(gaveUp);
}

/// Fires the retransmission timer until `e` leaves `state`; the firing times in ms.
std::vector<std::int64_t> fireRetransmissionsWhileIn(Endpoint& e, State state) {
    std::vector<std::int64_t> fired;
    while (e.state() == state) {
        const auto d = e.deadline(TimerKind::Retransmission);
        if (!d.has_value()) {
            ADD_FAILURE() << "no retransmission timer in " << stateName(state);
            break;
        }
        fired.push_back(*d / 1'000);
        EXPECT_TRUE(e.timerFires(TimerKind::Retransmission, *d));
    }
    return fired;
}

std::size_t countSent(const std::vector<EndpointEvent>& events, std::uint8_t flags) {
    return static_cast<std::size_t>(
        std::count_if(events.begin(), events.end(), [flags](const EndpointEvent& ev) {
            return ev.kind == EndpointEvent::Kind::Send && ev.segment.flags == flags;
        }));
}

// tcp_write_timeout (net/ipv4/tcp_timer.c), SYN-SENT: expired when
// icsk_retransmits >= tcp_syn_retries + tcp_syn_linear_timeouts (6 + 4), or when
// retransmits_timed_out: the time since the first SYN reaches
// tcp_model_timeout(tcp_syn_retries, TCP_TIMEOUT_INIT) = (2^7 - 1) x 1 s = 127 s.
// Retransmissions at 1..5 s (linear), then 7, 11, 19, 35, 67 s: ten of them, eleven
// SYNs; the timer at 131 s finds ten retransmissions and gives up.
// (This test expected a give-up at 11 s after six retransmissions before the profile
// followed tcp_write_timeout.)
TEST(EndpointTimers, LinuxKeepsFirstSynRetransmissionsOneSecondApart) {
    Endpoint e(config(Profile::Linux)); // tcp_syn_retries 6
    ASSERT_TRUE(e.open(true, 0));
    const auto fired = fireRetransmissionsWhileIn(e, State::SynSent);
    EXPECT_EQ(fired, (std::vector<std::int64_t>{1'000, 2'000, 3'000, 4'000, 5'000, 7'000, 11'000,
                                                19'000, 35'000, 67'000, 131'000}));
    EXPECT_EQ(countSent(e.takeEvents(), flag::SYN), 11U);
    EXPECT_EQ(e.state(), State::Closed);
}

// The conformance case syn-retries-2 (kernel 6.18): tcp_syn_retries = 2 gives a
// budget of tcp_model_timeout(2, 1 s) = 1 + 2 + 4 = 7 s. SYNs at 0..5 s (the linear
// timeouts), then the RTO doubles to 2 s and the timer at 7 s finds the budget
// spent: ETIMEDOUT at 7 s, not at 3 s after three SYNs as a retry count would say.
TEST(EndpointTimers, LinuxSynRetriesAreATimeBudget) {
    EndpointConfig c = config(Profile::Linux);
    c.timers.synRetries = 2;
    Endpoint e(c);
    ASSERT_TRUE(e.open(true, 0));
    const auto fired = fireRetransmissionsWhileIn(e, State::SynSent);
    EXPECT_EQ(fired, (std::vector<std::int64_t>{1'000, 2'000, 3'000, 4'000, 5'000, 7'000}));
    const auto events = e.takeEvents();
    EXPECT_EQ(countSent(events, flag::SYN), 6U);
    ASSERT_GE(events.size(), 2U);
    EXPECT_EQ(events[events.size() - 2].arc, ArcId::GiveUpSynSent);
    EXPECT_EQ(events.back().kind, EndpointEvent::Kind::Error); // connect(): ETIMEDOUT
    EXPECT_EQ(events.back().error, SocketError::TimedOut);
    EXPECT_EQ(events.back().call, ErrorCall::Connect);

    // rfc9293 counts: three SYNs (1 s, 2 s apart), gives up when the third times out.
    c.profile = Profile::Rfc9293;
    Endpoint r(c);
    ASSERT_TRUE(r.open(true, 0));
    EXPECT_EQ(fireRetransmissionsWhileIn(r, State::SynSent),
              (std::vector<std::int64_t>{1'000, 3'000, 7'000}));
    EXPECT_EQ(countSent(r.takeEvents(), flag::SYN), 3U);
}

// tcp_write_timeout, synchronized states: retransmits_timed_out(tcp_retries2) with
// rto_base TCP_RTO_MIN (200 ms): tcp_retries2 = 3 allows (2^4 - 1) x 200 ms = 3 s
// from the first transmission of the oldest unacknowledged segment, however many
// retransmissions fit. With an RTT of 1 s the RTO is 3 s: one retransmission, and
// the next timeout (9 s after the data left) is past the budget. The give-up is
// tcp_write_err: ETIMEDOUT for the application, nothing on the wire.
TEST(EndpointTimers, LinuxDataRetriesAreATimeBudgetAndGiveUpSilently) {
    EndpointConfig c = config(Profile::Linux);
    c.timers.dataRetries = 3;
    Endpoint e(c);
    ASSERT_TRUE(e.open(true, 0));
    e.segmentArrives(seg(flag::SYN | flag::ACK, 300, 101), 1'000'000); // RTT 1 s
    ASSERT_EQ(e.tcb().rtoUs, 3'000'000);                               // 1 s + 4 x 500 ms
    ASSERT_TRUE(e.send(100, 1'000'000));
    (void)e.takeEvents();
    const auto fired = fireRetransmissionsWhileIn(e, State::Established);
    EXPECT_EQ(fired, (std::vector<std::int64_t>{4'000, 10'000}));
    const auto events = e.takeEvents();
    EXPECT_EQ(countSent(events, flag::PSH | flag::ACK), 1U); // one retransmission
    for (const EndpointEvent& ev : events) {
        EXPECT_FALSE(ev.kind == EndpointEvent::Kind::Send && ev.segment.has(flag::RST))
            << "tcp_write_err sends no RST";
    }
    ASSERT_GE(events.size(), 2U);
    EXPECT_EQ(events[events.size() - 2].arc, ArcId::GiveUpEstablished);
    EXPECT_EQ(events.back().error, SocketError::TimedOut); // the pending read
    EXPECT_EQ(events.back().call, ErrorCall::Recv);
    EXPECT_EQ(e.state(), State::Closed);
}

// A simultaneous open leaves a socket of its own in SYN-RECEIVED, so
// tcp_write_timeout applies tcp_syn_retries (and its budget) there, not the
// listener's tcp_synack_retries: with syn_retries 2 the SYN,ACK is repeated at 1 s
// and 3 s after it was sent, and the timer at 7 s ends it.
TEST(EndpointTimers, LinuxSimultaneousOpenSynReceivedUsesSynRetries) {
    EndpointConfig c = config(Profile::Linux);
    c.timers.synRetries = 2;
    c.timers.synackRetries = 0;
    Endpoint e(c);
    ASSERT_TRUE(e.open(true, 0));
    e.segmentArrives(seg(flag::SYN, 300), 0);
    ASSERT_EQ(e.state(), State::SynReceived);
    (void)e.takeEvents();
    EXPECT_EQ(fireRetransmissionsWhileIn(e, State::SynReceived),
              (std::vector<std::int64_t>{1'000, 3'000, 7'000}));
    const auto events = e.takeEvents();
    EXPECT_EQ(countSent(events, flag::SYN | flag::ACK), 2U);
    ASSERT_GE(events.size(), 2U);
    EXPECT_EQ(events[events.size() - 2].arc, ArcId::GiveUpSynReceived);
    EXPECT_EQ(events.back().call, ErrorCall::Connect);
}

// rfc9293 keeps its retry count and tells the peer with a RST.
TEST(EndpointTimers, RfcDataRetriesCountAndGiveUpWithReset) {
    EndpointConfig c = config();
    c.timers.dataRetries = 3;
    Endpoint e(c);
    ASSERT_TRUE(e.open(true, 0));
    e.segmentArrives(seg(flag::SYN | flag::ACK, 300, 101), 1'000'000);
    ASSERT_TRUE(e.send(100, 1'000'000));
    (void)e.takeEvents();
    const auto fired = fireRetransmissionsWhileIn(e, State::Established);
    EXPECT_EQ(fired.size(), 4U); // three retransmissions, the fourth timeout gives up
    const auto events = e.takeEvents();
    EXPECT_EQ(countSent(events, flag::PSH | flag::ACK), 3U);
    EXPECT_EQ(countSent(events, flag::RST), 1U);
}

TEST(EndpointTimers, RtoFollowsMeasuredRttWithProfileMinimum) {
    // RTT 100 ms: RFC 6298 clamps to 1 s, Linux to RTT + 200 ms = 300 ms.
    for (const Profile p : {Profile::Rfc9293, Profile::Linux}) {
        Endpoint e(config(p));
        ASSERT_TRUE(e.open(true, 0));
        EXPECT_EQ(e.tcb().rtoUs, 1'000'000); // TCP_TIMEOUT_INIT before any sample
        e.segmentArrives(seg(flag::SYN | flag::ACK, 300, 101), 100'000);
        EXPECT_EQ(e.tcb().rtoUs, p == Profile::Linux ? 300'000 : 1'000'000);
    }
}

TEST(EndpointTimers, UserTimeoutAbortsWaitingConnection) {
    EndpointConfig c = config();
    c.timers.userTimeoutUs = 2'500'000;
    Endpoint e(c);
    ASSERT_TRUE(e.open(true, 0));
    ASSERT_EQ(e.deadline(TimerKind::UserTimeout), 2'500'000);
    ASSERT_TRUE(e.timerFires(TimerKind::Retransmission, 1'000'000));
    ASSERT_TRUE(e.timerFires(TimerKind::UserTimeout, 2'500'000));
    EXPECT_EQ(e.state(), State::Closed);
    EXPECT_FALSE(e.deadline(TimerKind::Retransmission).has_value());
}

TEST(EndpointTimers, TimerNotDueDoesNothing) {
    Endpoint e(config());
    ASSERT_TRUE(e.open(true, 0));
    (void)e.takeEvents();
    EXPECT_FALSE(e.timerFires(TimerKind::Retransmission, 999'999));
    EXPECT_FALSE(e.timerFires(TimerKind::TimeWait, 1'000'000));
    EXPECT_TRUE(e.takeEvents().empty());
}

TEST(EndpointLinux, FinAckIsDelayedSoCloseMergesIt) {
    Endpoint e = established(Profile::Linux);
    e.segmentArrives(seg(flag::FIN | flag::ACK, 301, 101), 200'000);
    auto events = e.takeEvents();
    ASSERT_EQ(events.size(), 1U); // transition only; the ACK waits
    EXPECT_EQ(events[0].arc, ArcId::RcvFin);
    ASSERT_EQ(e.deadline(TimerKind::DelayedAck), 240'000);
    ASSERT_TRUE(e.close(210'000));
    events = e.takeEvents();
    ASSERT_EQ(events.size(), 2U);
    EXPECT_EQ(events[0].segment.flags, flag::FIN | flag::ACK);
    EXPECT_EQ(events[0].segment.ack, 302U);
    EXPECT_FALSE(e.deadline(TimerKind::DelayedAck).has_value());

    Endpoint quiet = established(Profile::Linux);
    quiet.segmentArrives(seg(flag::FIN | flag::ACK, 301, 101), 200'000);
    (void)quiet.takeEvents();
    ASSERT_TRUE(quiet.timerFires(TimerKind::DelayedAck, 240'000));
    events = quiet.takeEvents();
    ASSERT_EQ(events.size(), 1U);
    EXPECT_EQ(events[0].segment.flags, flag::ACK);
}

TEST(EndpointLinux, CloseWithUnreadDataResets) {
    EndpointConfig c = config(Profile::Linux);
    c.readsData = false;
    Endpoint e(c);
    ASSERT_TRUE(e.open(true, 0));
    e.segmentArrives(seg(flag::SYN | flag::ACK, 300, 101), 100);
    e.segmentArrives(seg(flag::PSH | flag::ACK, 301, 101, 40), 200);
    EXPECT_EQ(e.tcb().unreadBytes, 40U);
    (void)e.takeEvents();
    ASSERT_TRUE(e.close(300));
    const auto events = e.takeEvents();
    ASSERT_EQ(events.size(), 2U);
    EXPECT_EQ(events[0].segment.flags, flag::RST | flag::ACK);
    EXPECT_EQ(events[1].arc, ArcId::CloseUnreadEstablished);

    // The same in rfc9293: a normal FIN.
    EndpointConfig r = config();
    r.readsData = false;
    Endpoint f(r);
    ASSERT_TRUE(f.open(true, 0));
    f.segmentArrives(seg(flag::SYN | flag::ACK, 300, 101), 100);
    f.segmentArrives(seg(flag::PSH | flag::ACK, 301, 101, 40), 200);
    (void)f.takeEvents();
    ASSERT_TRUE(f.close(300));
    EXPECT_EQ(f.state(), State::FinWait1);
}

TEST(EndpointLinux, OrphanedFinWait2IsDroppedAfterFinTimeout) {
    Endpoint e = established(Profile::Linux);
    ASSERT_TRUE(e.close(200));
    e.segmentArrives(seg(flag::ACK, 301, 102), 300);
    ASSERT_EQ(e.state(), State::FinWait2);
    const auto d = e.deadline(TimerKind::FinWait2);
    ASSERT_TRUE(d.has_value());
    EXPECT_EQ(*d, 300 + config().timers.finTimeoutUs);
    ASSERT_TRUE(e.timerFires(TimerKind::FinWait2, *d));
    EXPECT_EQ(e.state(), State::Closed);

    // After shutdown the application still holds the socket: no fin_timeout.
    Endpoint s = established(Profile::Linux);
    ASSERT_TRUE(s.shutdown(200));
    s.segmentArrives(seg(flag::ACK, 301, 102), 300);
    ASSERT_EQ(s.state(), State::FinWait2);
    EXPECT_FALSE(s.deadline(TimerKind::FinWait2).has_value());
}

TEST(EndpointLinux, TimeWaitIsSixtySecondsWhateverTheMsl) {
    EndpointConfig c = config(Profile::Linux);
    c.timers.mslUs = 5'000'000;
    Endpoint e(c);
    ASSERT_TRUE(e.open(true, 0));
    e.segmentArrives(seg(flag::SYN | flag::ACK, 300, 101), 100);
    ASSERT_TRUE(e.close(200));
    e.segmentArrives(seg(flag::FIN | flag::ACK, 301, 102), 300);
    ASSERT_EQ(e.state(), State::TimeWait);
    EXPECT_EQ(*e.deadline(TimerKind::TimeWait) - *e.tcb().timeWaitStartUs, 60'000'000);
}

} // namespace
} // namespace tcpviz

namespace tcpviz {
namespace {

std::vector<ArcId> arcsOf(const std::vector<EndpointEvent>& events) {
    std::vector<ArcId> out;
    for (const EndpointEvent& ev : events) {
        if (ev.kind == EndpointEvent::Kind::Transition) {
            out.push_back(ev.arc);
        }
    }
    return out;
}

TEST(EndpointCalls, CloseInListenAndSynSentDeletesTheTcbSilently) {
    Endpoint l(config());
    ASSERT_TRUE(l.open(false, 0));
    (void)l.takeEvents();
    ASSERT_TRUE(l.close(10));
    auto events = l.takeEvents();
    EXPECT_EQ(arcsOf(events), std::vector{ArcId::ListenClose});
    EXPECT_EQ(events.size(), 1U); // no segment

    Endpoint s(config());
    ASSERT_TRUE(s.open(true, 0));
    (void)s.takeEvents();
    ASSERT_TRUE(s.close(10));
    events = s.takeEvents();
    EXPECT_EQ(arcsOf(events), std::vector{ArcId::SynSentClose});
    EXPECT_EQ(events.size(), 1U);
    EXPECT_FALSE(s.deadline(TimerKind::Retransmission).has_value());
}

TEST(EndpointCalls, CloseInClosingLastAckAndTimeWaitIsConnectionClosing) {
    // CLOSING: both FINs crossed.
    Endpoint c = established();
    ASSERT_TRUE(c.close(200));
    c.segmentArrives(seg(flag::FIN | flag::ACK, 301, 101), 300);
    ASSERT_EQ(c.state(), State::Closing);
    EXPECT_EQ(callError(c.close(310)), "connection closing");
    EXPECT_EQ(callError(c.send(1, 310)), "connection closing");
    // LAST-ACK.
    Endpoint l = established();
    l.segmentArrives(seg(flag::FIN | flag::ACK, 301, 101), 300);
    ASSERT_TRUE(l.close(310));
    ASSERT_EQ(l.state(), State::LastAck);
    (void)l.takeEvents();
    EXPECT_EQ(callError(l.close(320)), "connection closing");
    EXPECT_EQ(callError(l.shutdown(320)), "connection closing");
    EXPECT_TRUE(l.takeEvents().empty());
    // TIME-WAIT.
    Endpoint t = established();
    ASSERT_TRUE(t.close(200));
    t.segmentArrives(seg(flag::FIN | flag::ACK, 301, 102), 300);
    ASSERT_EQ(t.state(), State::TimeWait);
    EXPECT_EQ(callError(t.close(310)), "connection closing");
}

TEST(EndpointCalls, SendInCloseWaitStillTransmits) {
    Endpoint e = established();
    e.segmentArrives(seg(flag::FIN | flag::ACK, 301, 101), 300);
    ASSERT_EQ(e.state(), State::CloseWait);
    (void)e.takeEvents();
    ASSERT_TRUE(e.send(10, 310));
    const auto events = e.takeEvents();
    ASSERT_EQ(events.size(), 1U);
    EXPECT_EQ(events[0].segment.len, 10U);
    EXPECT_EQ(events[0].segment.ack, 302U);
}

TEST(EndpointCalls, ReopenAfterCloseUsesAFreshIss) {
    Endpoint e(config());
    ASSERT_TRUE(e.open(true, 0));
    ASSERT_TRUE(e.abort(10));
    (void)e.takeEvents();
    ASSERT_TRUE(e.open(true, 20));
    const auto events = e.takeEvents();
    ASSERT_FALSE(events.empty());
    EXPECT_EQ(events[0].segment.seq, 100U + 64000U);
    EXPECT_EQ(e.tcb().iss, 100U + 64000U);
}

} // namespace
} // namespace tcpviz
