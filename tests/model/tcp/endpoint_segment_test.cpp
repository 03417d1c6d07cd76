// SEGMENT ARRIVES (RFC 9293 3.10.7) driven directly on one Endpoint: each test
// feeds hand-made segments and checks the segment sent back and the state.
#include "call_error.h"
#include "tcp/endpoint.h"

#include <gtest/gtest.h>

namespace tcpviz {
namespace {

constexpr std::uint32_t kIss = 100;  // ours
constexpr std::uint32_t kPeer = 300; // the peer's ISS

EndpointConfig config(Profile profile = Profile::Rfc9293) {
    EndpointConfig c;
    c.profile = profile;
    c.iss = kIss;
    c.localPort = 52528;
    c.remotePort = 80;
    return c;
}

Segment seg(std::uint8_t flags, std::uint32_t seq, std::uint32_t ack = 0, std::uint32_t len = 0) {
    Segment s;
    s.srcPort = 80;
    s.dstPort = 52528;
    s.flags = flags;
    s.seq = seq;
    s.ack = ack;
    s.len = len;
    s.window = 65535;
    return s;
}

std::vector<Segment> sent(Endpoint& e) {
    std::vector<Segment> out;
    for (const EndpointEvent& ev : e.takeEvents()) {
        if (ev.kind == EndpointEvent::Kind::Send) {
            out.push_back(ev.segment);
        }
    }
    return out;
}

std::vector<ArcId> arcs(const std::vector<EndpointEvent>& events) {
    std::vector<ArcId> out;
    for (const EndpointEvent& ev : events) {
        if (ev.kind == EndpointEvent::Kind::Transition) {
            out.push_back(ev.arc);
        }
    }
    return out;
}

/// Active open completed: we sent SYN 100, got SYN,ACK 300/101, sent ACK.
Endpoint established(Profile profile = Profile::Rfc9293) {
    Endpoint e(config(profile));
    EXPECT_TRUE(e.open(true, 0));
    e.segmentArrives(seg(flag::SYN | flag::ACK, kPeer, kIss + 1), 100);
    EXPECT_EQ(e.state(), State::Established);
    (void)e.takeEvents();
    return e;
}

TEST(EndpointClosed, AnswersEverythingButRstWithRst) {
    Endpoint e(config());
    e.segmentArrives(seg(flag::RST, 5), 0);
    EXPECT_TRUE(sent(e).empty());

    // No ACK: <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>; SYN and FIN count in SEG.LEN.
    e.segmentArrives(seg(flag::SYN, 1000), 0);
    auto out = sent(e);
    ASSERT_EQ(out.size(), 1U);
    EXPECT_EQ(out[0].flags, flag::RST | flag::ACK);
    EXPECT_EQ(out[0].seq, 0U);
    EXPECT_EQ(out[0].ack, 1001U);

    e.segmentArrives(seg(flag::FIN, 1000, 0, 10), 0);
    out = sent(e);
    ASSERT_EQ(out.size(), 1U);
    EXPECT_EQ(out[0].ack, 1011U);

    // ACK on: <SEQ=SEG.ACK><CTL=RST>.
    e.segmentArrives(seg(flag::ACK, 1000, 777), 0);
    out = sent(e);
    ASSERT_EQ(out.size(), 1U);
    EXPECT_EQ(out[0].flags, flag::RST);
    EXPECT_EQ(out[0].seq, 777U);
    EXPECT_EQ(e.state(), State::Closed);
}

TEST(EndpointListen, IgnoresRstResetsAckAnswersSyn) {
    Endpoint e(config());
    ASSERT_TRUE(e.open(false, 0));
    (void)e.takeEvents();
    e.segmentArrives(seg(flag::RST, 5), 0);
    EXPECT_TRUE(sent(e).empty());
    e.segmentArrives(seg(flag::ACK, 5, 4242), 0);
    auto out = sent(e);
    ASSERT_EQ(out.size(), 1U);
    EXPECT_EQ(out[0].flags, flag::RST);
    EXPECT_EQ(out[0].seq, 4242U);
    e.segmentArrives(seg(flag::FIN, 5), 0); // neither SYN, ACK nor RST: dropped
    EXPECT_TRUE(sent(e).empty());
    EXPECT_EQ(e.state(), State::Listen);

    e.segmentArrives(seg(flag::SYN, kPeer), 10);
    const auto events = e.takeEvents();
    ASSERT_EQ(events.size(), 2U); // send SYN,ACK, then the transition
    EXPECT_EQ(events[0].segment.flags, flag::SYN | flag::ACK);
    EXPECT_EQ(events[0].segment.seq, kIss);
    EXPECT_EQ(events[0].segment.ack, kPeer + 1);
    EXPECT_EQ(events[1].arc, ArcId::RcvSyn);
    EXPECT_TRUE(e.tcb().passiveOpen);
    EXPECT_EQ(e.tcb().irs, kPeer);
    EXPECT_EQ(e.tcb().rcvNxt, kPeer + 1);
    EXPECT_EQ(e.tcb().sndNxt, kIss + 1);
    EXPECT_TRUE(e.tcb().retransmitDeadlineUs.has_value());
}

TEST(EndpointSynSent, UnacceptableAckGetsResetAndIsDropped) {
    Endpoint e(config());
    ASSERT_TRUE(e.open(true, 0));
    (void)e.takeEvents();
    e.segmentArrives(seg(flag::SYN | flag::ACK, kPeer, 9999), 10);
    auto out = sent(e);
    ASSERT_EQ(out.size(), 1U);
    EXPECT_EQ(out[0].flags, flag::RST);
    EXPECT_EQ(out[0].seq, 9999U);
    EXPECT_EQ(e.state(), State::SynSent);
    // SEG.ACK =< ISS is unacceptable too.
    e.segmentArrives(seg(flag::ACK, kPeer, kIss), 10);
    EXPECT_EQ(sent(e).size(), 1U);
    EXPECT_EQ(e.state(), State::SynSent);
}

// Linux (tcp_rcv_synsent_state_process): before any retransmission, a bad ACK
// in SYN-SENT also brings the SYN's retransmission forward to TCP_TIMEOUT_MIN,
// as the kernel showed in tests/conformance (syn-sent-bad-ack).
TEST(EndpointSynSent, LinuxBadAckBringsTheSynRetransmissionForward) {
    Endpoint e(config(Profile::Linux));
    ASSERT_TRUE(e.open(true, 0));
    (void)e.takeEvents();
    e.segmentArrives(seg(flag::SYN | flag::ACK, kPeer, 999), 100'000);
    ASSERT_EQ(sent(e).size(), 1U);
    EXPECT_EQ(*e.tcb().retransmitDeadlineUs, 108'000);
    EXPECT_TRUE(e.timerFires(TimerKind::Retransmission, 108'000));
    const auto out = sent(e);
    ASSERT_EQ(out.size(), 1U);
    EXPECT_EQ(out[0].flags, flag::SYN);
    // Once a retransmission happened, the timer is left alone.
    const auto deadline = *e.tcb().retransmitDeadlineUs;
    e.segmentArrives(seg(flag::SYN | flag::ACK, kPeer, 999), 200'000);
    EXPECT_EQ(*e.tcb().retransmitDeadlineUs, deadline);

    Endpoint rfc(config(Profile::Rfc9293));
    ASSERT_TRUE(rfc.open(true, 0));
    const auto rfcDeadline = *rfc.tcb().retransmitDeadlineUs;
    rfc.segmentArrives(seg(flag::SYN | flag::ACK, kPeer, 999), 100'000);
    EXPECT_EQ(*rfc.tcb().retransmitDeadlineUs, rfcDeadline);
}

TEST(EndpointSynSent, RstWithoutAcceptableAckIsIgnored) {
    Endpoint e(config());
    ASSERT_TRUE(e.open(true, 0));
    (void)e.takeEvents();
    e.segmentArrives(seg(flag::RST, 0), 10);
    EXPECT_EQ(e.state(), State::SynSent);
    EXPECT_TRUE(e.takeEvents().empty());
    e.segmentArrives(seg(flag::RST | flag::ACK, 0, kIss + 1), 10);
    EXPECT_EQ(e.state(), State::Closed);
    EXPECT_EQ(arcs(e.takeEvents()), std::vector{ArcId::SynSentRst});
    EXPECT_FALSE(e.tcb().retransmitDeadlineUs.has_value());
}

TEST(EndpointSynSent, SynAckCompletesAndSynAloneIsSimultaneousOpen) {
    Endpoint a = established();
    EXPECT_EQ(a.tcb().sndUna, kIss + 1);
    EXPECT_EQ(a.tcb().rcvNxt, kPeer + 1);

    Endpoint b(config());
    ASSERT_TRUE(b.open(true, 0));
    (void)b.takeEvents();
    b.segmentArrives(seg(flag::SYN, kPeer), 10);
    const auto events = b.takeEvents();
    ASSERT_EQ(events.size(), 2U);
    EXPECT_EQ(events[0].segment.flags, flag::SYN | flag::ACK);
    EXPECT_EQ(events[0].segment.seq, kIss); // the same ISS again
    EXPECT_EQ(events[1].arc, ArcId::SimultaneousOpen);
    EXPECT_FALSE(b.tcb().passiveOpen);
}

// Simultaneous open, second half: the peer's SYN,ACK reaches our SYN-RECEIVED.
// RFC 9293 Figure 8 (line 7): ESTABLISHED, nothing sent. Linux lets the SYN,ACK
// through tcp_validate_incoming (SYN-RECV, ack_seq == snd_nxt, seq + 1 == rcv_nxt)
// and tcp_data_queue then sees its SYN, already received, as a retransmission
// (end_seq not after rcv_nxt): quick-ACK mode, a pure ACK at once.
TEST(EndpointSynReceived, PeersSynAckAfterSimultaneousOpenIsAckedOnlyOnLinux) {
    for (const Profile p : {Profile::Rfc9293, Profile::Linux}) {
        Endpoint e(config(p));
        ASSERT_TRUE(e.open(true, 0));
        e.segmentArrives(seg(flag::SYN, kPeer), 10);
        ASSERT_EQ(e.state(), State::SynReceived);
        (void)e.takeEvents();
        e.segmentArrives(seg(flag::SYN | flag::ACK, kPeer, kIss + 1), 20);
        const auto events = e.takeEvents();
        EXPECT_EQ(e.state(), State::Established);
        EXPECT_EQ(arcs(events), std::vector{ArcId::RcvAckOfSyn});
        std::vector<Segment> out;
        for (const EndpointEvent& ev : events) {
            if (ev.kind == EndpointEvent::Kind::Send) {
                out.push_back(ev.segment);
            }
        }
        if (p == Profile::Rfc9293) {
            EXPECT_TRUE(out.empty());
        } else {
            ASSERT_EQ(out.size(), 1U);
            EXPECT_EQ(out[0].flags, flag::ACK);
            EXPECT_EQ(out[0].seq, kIss + 1);
            EXPECT_EQ(out[0].ack, kPeer + 1);
            // after the transition: the ACK is sent from ESTABLISHED
            EXPECT_EQ(events.back().kind, EndpointEvent::Kind::Send);
        }
    }
}

TEST(EndpointSynSent, SegmentWithoutSynOrRstIsDropped) {
    Endpoint e(config());
    ASSERT_TRUE(e.open(true, 0));
    (void)e.takeEvents();
    e.segmentArrives(seg(flag::ACK, kPeer, kIss + 1), 10);
    EXPECT_TRUE(e.takeEvents().empty());
    EXPECT_EQ(e.state(), State::SynSent);
}

// The four cases of the acceptability test (RFC 9293 3.10.7.4, first check).
TEST(EndpointAcceptability, FourCasesWithAndWithoutWindow) {
    Endpoint e = established();
    const std::uint32_t nxt = kPeer + 1;
    // len 0, window > 0: RCV.NXT =< SEG.SEQ < RCV.NXT+RCV.WND.
    e.segmentArrives(seg(flag::ACK, nxt + 100, kIss + 1), 200);
    EXPECT_TRUE(sent(e).empty());
    e.segmentArrives(seg(flag::ACK, nxt - 1, kIss + 1), 200); // old: re-ACK
    auto out = sent(e);
    ASSERT_EQ(out.size(), 1U);
    EXPECT_EQ(out[0].flags, flag::ACK);
    EXPECT_EQ(out[0].ack, nxt);
    // len > 0, window > 0: either end in the window; overlap at the front is trimmed.
    e.segmentArrives(seg(flag::ACK | flag::PSH, nxt - 10, kIss + 1, 20), 200);
    out = sent(e);
    ASSERT_EQ(out.size(), 1U);
    EXPECT_EQ(out[0].ack, nxt + 10);
    e.segmentArrives(seg(flag::ACK, nxt + 70000, kIss + 1, 10), 200); // beyond the window
    out = sent(e);
    ASSERT_EQ(out.size(), 1U);
    EXPECT_EQ(out[0].ack, nxt + 10);

    // Zero receive window: only an empty segment exactly at RCV.NXT is acceptable.
    EndpointConfig c = config();
    c.window = 0;
    Endpoint z(c);
    ASSERT_TRUE(z.open(true, 0));
    z.segmentArrives(seg(flag::SYN | flag::ACK, kPeer, kIss + 1), 100);
    (void)z.takeEvents();
    z.segmentArrives(seg(flag::ACK, nxt, kIss + 1), 200);
    EXPECT_TRUE(sent(z).empty());
    z.segmentArrives(seg(flag::ACK, nxt + 1, kIss + 1), 200);
    EXPECT_EQ(sent(z).size(), 1U);
    z.segmentArrives(seg(flag::ACK | flag::PSH, nxt, kIss + 1, 5), 200);
    out = sent(z);
    ASSERT_EQ(out.size(), 1U);
    EXPECT_EQ(out[0].ack, nxt); // the data was not taken
    EXPECT_EQ(z.tcb().rcvNxt, nxt);
}

TEST(EndpointRst, ExactRstResetsInWindowRstGetsChallengeAckOutsideIsIgnored) {
    Endpoint e = established();
    const std::uint32_t nxt = kPeer + 1;
    e.segmentArrives(seg(flag::RST, nxt + 80000), 200); // outside the window
    EXPECT_TRUE(e.takeEvents().empty());
    e.segmentArrives(seg(flag::RST, nxt + 5), 200); // in the window, not exact
    auto events = e.takeEvents();
    ASSERT_EQ(events.size(), 1U);
    EXPECT_EQ(events[0].segment.flags, flag::ACK);
    EXPECT_EQ(events[0].segment.ack, nxt);
    EXPECT_NE(events[0].note.find("challenge"), std::string::npos);
    EXPECT_EQ(e.state(), State::Established);
    e.segmentArrives(seg(flag::RST, nxt), 200);
    EXPECT_EQ(arcs(e.takeEvents()), std::vector{ArcId::RstEstablished});
}

TEST(EndpointSyn, SynInSynchronizedStateGetsChallengeAck) {
    Endpoint e = established();
    e.segmentArrives(seg(flag::SYN, kPeer + 50), 200);
    const auto events = e.takeEvents();
    ASSERT_EQ(events.size(), 1U);
    EXPECT_EQ(events[0].segment.flags, flag::ACK);
    EXPECT_EQ(e.state(), State::Established);
}

TEST(EndpointAck, AckOfUnsentDataIsAnsweredAndDropped) {
    Endpoint e = established();
    ASSERT_TRUE(e.send(100, 200));
    (void)e.takeEvents();
    e.segmentArrives(seg(flag::ACK, kPeer + 1, kIss + 1 + 500), 250);
    const auto out = sent(e);
    ASSERT_EQ(out.size(), 1U);
    EXPECT_EQ(out[0].flags, flag::ACK);
    EXPECT_EQ(e.tcb().sndUna, kIss + 1); // nothing acknowledged
    e.segmentArrives(seg(flag::ACK, kPeer + 1, kIss + 1 + 100), 300);
    EXPECT_EQ(e.tcb().sndUna, kIss + 101);
    EXPECT_FALSE(e.tcb().retransmitDeadlineUs.has_value());
}

TEST(EndpointSend, SegmentizesByMssWithPshOnTheLast) {
    Endpoint e = established();
    ASSERT_TRUE(e.send(3000, 200));
    const auto out = sent(e);
    ASSERT_EQ(out.size(), 3U);
    EXPECT_EQ(out[0].len, 1460U);
    EXPECT_EQ(out[0].flags, flag::ACK);
    EXPECT_EQ(out[1].seq, kIss + 1 + 1460);
    EXPECT_EQ(out[2].len, 80U);
    EXPECT_EQ(out[2].flags, flag::PSH | flag::ACK);
    EXPECT_EQ(e.tcb().sndNxt, kIss + 1 + 3000);
    ASSERT_TRUE(e.tcb().retransmitDeadlineUs.has_value());
    EXPECT_EQ(*e.tcb().retransmitStartUs, 200);
}

TEST(EndpointReceive, OutOfOrderDataIsHeldAndAckedCumulatively) {
    Endpoint e = established();
    const std::uint32_t nxt = kPeer + 1;
    e.segmentArrives(seg(flag::ACK, nxt + 100, kIss + 1, 100), 200);
    auto out = sent(e);
    ASSERT_EQ(out.size(), 1U);
    EXPECT_EQ(out[0].ack, nxt); // duplicate ACK: the hole is at RCV.NXT
    e.segmentArrives(seg(flag::ACK, nxt, kIss + 1, 100), 210);
    out = sent(e);
    ASSERT_EQ(out.size(), 1U);
    EXPECT_EQ(out[0].ack, nxt + 200);
    EXPECT_EQ(e.bytesRead(), 200U);
}

TEST(EndpointFin, FinWaitsForTheDataBeforeIt) {
    Endpoint e = established();
    const std::uint32_t nxt = kPeer + 1;
    e.segmentArrives(seg(flag::FIN | flag::ACK, nxt + 50, kIss + 1), 200);
    EXPECT_EQ(e.state(), State::Established);
    e.segmentArrives(seg(flag::ACK, nxt, kIss + 1, 50), 210);
    EXPECT_EQ(e.state(), State::CloseWait);
    EXPECT_EQ(e.tcb().rcvNxt, nxt + 51);
    EXPECT_TRUE(e.tcb().finReceived);
}

TEST(EndpointFin, FinAckInFinWait1GoesStraightToTimeWait) {
    Endpoint e = established();
    ASSERT_TRUE(e.close(200));
    (void)e.takeEvents();
    e.segmentArrives(seg(flag::FIN | flag::ACK, kPeer + 1, kIss + 2), 300);
    const auto events = e.takeEvents();
    EXPECT_EQ(arcs(events), std::vector{ArcId::FinWait1FinAck});
    ASSERT_FALSE(events.empty());
    EXPECT_EQ(events[0].segment.flags, flag::ACK);
    EXPECT_EQ(events[0].segment.ack, kPeer + 2);
    ASSERT_TRUE(e.tcb().timeWaitDeadlineUs.has_value());
    EXPECT_EQ(*e.tcb().timeWaitDeadlineUs - *e.tcb().timeWaitStartUs, 2 * config().timers.mslUs);
}

TEST(EndpointFin, FinWithoutAckOfOursInFinWait1IsSimultaneousClose) {
    Endpoint e = established();
    ASSERT_TRUE(e.close(200));
    (void)e.takeEvents();
    e.segmentArrives(seg(flag::FIN | flag::ACK, kPeer + 1, kIss + 1), 300);
    EXPECT_EQ(arcs(e.takeEvents()), std::vector{ArcId::SimultaneousClose});
    e.segmentArrives(seg(flag::ACK, kPeer + 2, kIss + 2), 350);
    EXPECT_EQ(arcs(e.takeEvents()), std::vector{ArcId::ClosingAckOfFin});
}

TEST(EndpointTimeWait, RetransmittedFinIsReAckedAndRestarts2Msl) {
    Endpoint e = established();
    ASSERT_TRUE(e.close(200));
    e.segmentArrives(seg(flag::FIN | flag::ACK, kPeer + 1, kIss + 2), 300);
    (void)e.takeEvents();
    const auto firstDeadline = *e.tcb().timeWaitDeadlineUs;
    e.segmentArrives(seg(flag::FIN | flag::ACK, kPeer + 1, kIss + 2), 5'000'000);
    const auto out = sent(e);
    ASSERT_EQ(out.size(), 1U);
    EXPECT_EQ(out[0].flags, flag::ACK);
    EXPECT_EQ(out[0].ack, kPeer + 2);
    EXPECT_EQ(e.state(), State::TimeWait);
    EXPECT_EQ(*e.tcb().timeWaitStartUs, 5'000'000);
    EXPECT_EQ(*e.tcb().timeWaitDeadlineUs, firstDeadline + 5'000'000 - 300);
    EXPECT_FALSE(e.timerFires(TimerKind::TimeWait, firstDeadline));
    EXPECT_TRUE(e.timerFires(TimerKind::TimeWait, *e.tcb().timeWaitDeadlineUs));
    EXPECT_EQ(e.state(), State::Closed);
}

/// A listener that accepted SYN kPeer, closed first and is in TIME-WAIT: its
/// SND.NXT is kIss + 2 (SYN and FIN), its RCV.NXT kPeer + 2 (SYN and FIN).
Endpoint serverInTimeWait(Profile profile) {
    Endpoint e(config(profile));
    EXPECT_TRUE(e.open(false, 0));
    e.segmentArrives(seg(flag::SYN, kPeer), 10);
    e.segmentArrives(seg(flag::ACK, kPeer + 1, kIss + 1), 20);
    EXPECT_TRUE(e.close(100));
    e.segmentArrives(seg(flag::ACK, kPeer + 1, kIss + 2), 150);
    e.segmentArrives(seg(flag::FIN | flag::ACK, kPeer + 1, kIss + 2), 200);
    EXPECT_EQ(e.state(), State::TimeWait);
    (void)e.takeEvents();
    return e;
}

// Linux, tcp_timewait_state_process -> TCP_TW_SYN: a SYN above the old RCV.NXT
// is a new connection for the listener, ISN = old SND.NXT + 65535 + 2.
TEST(EndpointTimeWait, LinuxNewSynAboveRcvNxtReopensTheConnection) {
    Endpoint e = serverInTimeWait(Profile::Linux);
    const std::uint32_t newPeerIss = kPeer + 64'000;
    e.segmentArrives(seg(flag::SYN, newPeerIss), 1'000'000);
    const auto events = e.takeEvents();
    EXPECT_EQ(arcs(events), std::vector{ArcId::TimeWaitSyn});
    ASSERT_FALSE(events.empty());
    ASSERT_EQ(events[0].kind, EndpointEvent::Kind::Send);
    EXPECT_EQ(events[0].segment.flags, flag::SYN | flag::ACK);
    EXPECT_EQ(events[0].segment.seq, kIss + 2 + 65537);
    EXPECT_EQ(events[0].segment.ack, newPeerIss + 1);
    EXPECT_EQ(e.state(), State::SynReceived);
    EXPECT_TRUE(e.tcb().passiveOpen);
    EXPECT_FALSE(e.tcb().timeWaitDeadlineUs.has_value());
    EXPECT_TRUE(e.tcb().retransmitDeadlineUs.has_value());
    // The new connection completes like any other.
    e.segmentArrives(seg(flag::ACK, newPeerIss + 1, kIss + 2 + 65537 + 1), 1'100'000);
    EXPECT_EQ(arcs(e.takeEvents()), std::vector{ArcId::RcvAckOfSyn});
    EXPECT_EQ(e.state(), State::Established);
    EXPECT_FALSE(e.tcb().finSent);
    EXPECT_FALSE(e.tcb().finReceived);
    // It is a fresh connection: the application may send and close again.
    EXPECT_TRUE(e.send(10, 1'200'000));
}

// TCP_TW_ACK: a SYN at or below RCV.NXT may be an old duplicate; Linux answers
// with the old connection's ACK and stays in TIME-WAIT.
TEST(EndpointTimeWait, LinuxSynNotAboveRcvNxtGetsTheOldAck) {
    for (const std::uint32_t synSeq : {kPeer + 2, kPeer + 1, kPeer - 1000}) {
        SCOPED_TRACE(synSeq);
        Endpoint e = serverInTimeWait(Profile::Linux);
        e.segmentArrives(seg(flag::SYN, synSeq), 1'000'000);
        const auto out = sent(e);
        ASSERT_EQ(out.size(), 1U);
        EXPECT_EQ(out[0].flags, flag::ACK);
        EXPECT_EQ(out[0].seq, kIss + 2);
        EXPECT_EQ(out[0].ack, kPeer + 2);
        EXPECT_EQ(e.state(), State::TimeWait);
    }
}

// A SYN with ACK, or TIME-WAIT on a port nobody listens on (the active closer),
// is not a new connection either.
TEST(EndpointTimeWait, LinuxSynAckOrNoListenerDoesNotReopen) {
    Endpoint e = serverInTimeWait(Profile::Linux);
    e.segmentArrives(seg(flag::SYN | flag::ACK, kPeer + 64'000, kIss + 2), 1'000'000);
    EXPECT_EQ(e.state(), State::TimeWait);
    EXPECT_TRUE(arcs(e.takeEvents()).empty());

    Endpoint client = established(Profile::Linux);
    ASSERT_TRUE(client.close(200));
    client.segmentArrives(seg(flag::FIN | flag::ACK, kPeer + 1, kIss + 2), 300);
    ASSERT_EQ(client.state(), State::TimeWait);
    (void)client.takeEvents();
    client.segmentArrives(seg(flag::SYN, kPeer + 64'000), 1'000'000);
    const auto out = sent(client);
    ASSERT_EQ(out.size(), 1U);
    EXPECT_EQ(out[0].flags, flag::ACK);
    EXPECT_EQ(client.state(), State::TimeWait);
}

// rfc9293 does not use MAY-2: any SYN in TIME-WAIT gets a challenge ACK (RFC 5961).
TEST(EndpointTimeWait, Rfc9293AnswersANewSynWithAChallengeAck) {
    Endpoint e = serverInTimeWait(Profile::Rfc9293);
    e.segmentArrives(seg(flag::SYN, kPeer + 64'000), 1'000'000);
    const auto events = e.takeEvents();
    EXPECT_TRUE(arcs(events).empty());
    ASSERT_EQ(events.size(), 1U);
    EXPECT_EQ(events[0].reason, SendReason::ChallengeAck);
    EXPECT_EQ(events[0].segment.flags, flag::ACK);
    EXPECT_EQ(e.state(), State::TimeWait);
}

/// The active closer in TIME-WAIT: SND.NXT kIss + 2, RCV.NXT kPeer + 2.
Endpoint clientInTimeWait(Profile profile) {
    Endpoint e = established(profile);
    EXPECT_TRUE(e.close(200));
    e.segmentArrives(seg(flag::FIN | flag::ACK, kPeer + 1, kIss + 2), 300);
    EXPECT_EQ(e.state(), State::TimeWait);
    (void)e.takeEvents();
    return e;
}

// Linux's TIME-WAIT mini-socket (tcp_timewait_state_process, tcp_rfc1337 = 0),
// each rule as the kernel showed it in tests/conformance (time-wait-*).
TEST(EndpointTimeWait, LinuxAnswersDataWithItsAckAndRestartsTheTimer) {
    Endpoint e = clientInTimeWait(Profile::Linux);
    e.segmentArrives(seg(flag::PSH | flag::ACK, kPeer + 2, kIss + 2, 10), 2'000'000);
    const auto out = sent(e);
    ASSERT_EQ(out.size(), 1U);
    EXPECT_EQ(out[0].flags, flag::ACK);
    EXPECT_EQ(out[0].seq, kIss + 2);
    EXPECT_EQ(out[0].ack, kPeer + 2);
    EXPECT_EQ(e.state(), State::TimeWait);
    EXPECT_EQ(*e.tcb().timeWaitDeadlineUs, 2'000'000 + 60'000'000);

    // rfc9293 ignores the text of a segment in TIME-WAIT (3.10.7.4, seventh).
    Endpoint rfc = clientInTimeWait(Profile::Rfc9293);
    rfc.segmentArrives(seg(flag::PSH | flag::ACK, kPeer + 2, kIss + 2, 10), 2'000'000);
    EXPECT_TRUE(sent(rfc).empty());
}

TEST(EndpointTimeWait, LinuxRstAtRcvNxtEndsItOthersAreDroppedSilently) {
    Endpoint inWindow = clientInTimeWait(Profile::Linux);
    inWindow.segmentArrives(seg(flag::RST, kPeer + 102), 2'000'000);
    EXPECT_TRUE(inWindow.takeEvents().empty()); // no challenge ACK
    EXPECT_EQ(inWindow.state(), State::TimeWait);

    Endpoint exact = clientInTimeWait(Profile::Linux);
    exact.segmentArrives(seg(flag::RST, kPeer + 2), 2'000'000);
    EXPECT_EQ(arcs(exact.takeEvents()), std::vector{ArcId::RstTimeWait});
    EXPECT_EQ(exact.state(), State::Closed);

    // rfc9293 keeps RFC 5961's challenge ACK for a RST not at RCV.NXT.
    Endpoint rfc = clientInTimeWait(Profile::Rfc9293);
    rfc.segmentArrives(seg(flag::RST, kPeer + 102), 2'000'000);
    const auto out = sent(rfc);
    ASSERT_EQ(out.size(), 1U);
    EXPECT_EQ(out[0].flags, flag::ACK);
}

TEST(EndpointTimeWait, LinuxBareAckAtRcvNxtRestartsSilentlyAndPureAcksAreRateLimited) {
    Endpoint e = clientInTimeWait(Profile::Linux);
    e.segmentArrives(seg(flag::ACK, kPeer + 2, kIss + 2), 2'000'000);
    EXPECT_TRUE(sent(e).empty());
    EXPECT_EQ(*e.tcb().timeWaitDeadlineUs, 2'000'000 + 60'000'000);
    // Pure ACKs outside the window: one answer per 500 ms.
    e.segmentArrives(seg(flag::ACK, kPeer + 5000, kIss + 2), 3'000'000);
    EXPECT_EQ(sent(e).size(), 1U);
    e.segmentArrives(seg(flag::ACK, kPeer + 5000, kIss + 2), 3'400'000);
    EXPECT_TRUE(sent(e).empty());
    e.segmentArrives(seg(flag::ACK, kPeer + 5000, kIss + 2), 3'500'000);
    EXPECT_EQ(sent(e).size(), 1U);
}

// An orphaned FIN-WAIT-2 mini-socket dies of any in-window RST; a socket still
// held after shutdown() answers one not at RCV.NXT with a challenge ACK.
TEST(EndpointFinWait2, LinuxOrphanDiesOfAnyRstInTheWindow) {
    for (const bool orphan : {true, false}) {
        SCOPED_TRACE(orphan);
        Endpoint e = established(Profile::Linux);
        ASSERT_TRUE(orphan ? e.close(200) : e.shutdown(200));
        e.segmentArrives(seg(flag::ACK, kPeer + 1, kIss + 2), 300);
        ASSERT_EQ(e.state(), State::FinWait2);
        (void)e.takeEvents();
        e.segmentArrives(seg(flag::RST, kPeer + 101), 1'000'000);
        const auto events = e.takeEvents();
        if (orphan) {
            EXPECT_EQ(arcs(events), std::vector{ArcId::RstFinWait2});
            EXPECT_EQ(e.state(), State::Closed);
        } else {
            ASSERT_EQ(events.size(), 1U);
            EXPECT_EQ(events[0].reason, SendReason::ChallengeAck);
            EXPECT_EQ(e.state(), State::FinWait2);
        }
    }
}

// Linux keeps an orphaned FIN-WAIT-2 as a TIME-WAIT mini-socket (substate
// FIN_WAIT2): an in-window SYN at or above RCV.NXT gets <SEQ=0><ACK=SEQ+1><RST,ACK>
// and the connection is gone (TCP_TW_RST). After shutdown() (not orphaned), with
// tcp_fin_timeout above 60 s, or in rfc9293 it is a challenge ACK.
TEST(EndpointFinWait2, LinuxOrphanAnswersAnInWindowSynWithRst) {
    auto finWait2 = [](Profile profile, bool close, std::int64_t finTimeoutUs) {
        EndpointConfig c = config(profile);
        c.timers.finTimeoutUs = finTimeoutUs;
        Endpoint e(c);
        EXPECT_TRUE(e.open(true, 0));
        e.segmentArrives(seg(flag::SYN | flag::ACK, kPeer, kIss + 1), 100);
        EXPECT_TRUE(close ? e.close(200) : e.shutdown(200));
        e.segmentArrives(seg(flag::ACK, kPeer + 1, kIss + 2), 300);
        EXPECT_EQ(e.state(), State::FinWait2);
        (void)e.takeEvents();
        return e;
    };
    Endpoint orphan = finWait2(Profile::Linux, true, 60'000'000);
    orphan.segmentArrives(seg(flag::SYN, kPeer + 1001), 1'000'000);
    const auto events = orphan.takeEvents();
    EXPECT_EQ(arcs(events), std::vector{ArcId::SynAfterCloseFinWait2});
    ASSERT_FALSE(events.empty());
    EXPECT_EQ(events[0].segment.flags, flag::RST | flag::ACK);
    EXPECT_EQ(events[0].segment.seq, 0U);
    EXPECT_EQ(events[0].segment.ack, kPeer + 1002);
    EXPECT_EQ(orphan.state(), State::Closed);

    // Below RCV.NXT: the mini-socket only ACKs.
    Endpoint old = finWait2(Profile::Linux, true, 60'000'000);
    old.segmentArrives(seg(flag::SYN, kPeer), 1'000'000);
    EXPECT_EQ(old.state(), State::FinWait2);

    for (Endpoint e :
         {finWait2(Profile::Linux, false, 60'000'000), finWait2(Profile::Linux, true, 61'000'000),
          finWait2(Profile::Rfc9293, true, 60'000'000)}) {
        e.segmentArrives(seg(flag::SYN, kPeer + 1001), 1'000'000);
        const auto out = sent(e);
        ASSERT_EQ(out.size(), 1U);
        EXPECT_EQ(out[0].flags, flag::ACK);
        EXPECT_EQ(e.state(), State::FinWait2);
    }
}

TEST(EndpointSynReceived, UnacceptableAckGetsReset) {
    Endpoint e(config());
    ASSERT_TRUE(e.open(false, 0));
    e.segmentArrives(seg(flag::SYN, kPeer), 10);
    (void)e.takeEvents();
    e.segmentArrives(seg(flag::ACK, kPeer + 1, 5555), 20);
    const auto out = sent(e);
    ASSERT_EQ(out.size(), 1U);
    EXPECT_EQ(out[0].flags, flag::RST);
    EXPECT_EQ(out[0].seq, 5555U);
    EXPECT_EQ(e.state(), State::SynReceived);
}

TEST(EndpointSynReceived, RepeatedSynRepeatsSynAck) {
    Endpoint e(config());
    ASSERT_TRUE(e.open(false, 0));
    e.segmentArrives(seg(flag::SYN, kPeer), 10);
    (void)e.takeEvents();
    e.segmentArrives(seg(flag::SYN, kPeer), 1000);
    const auto events = e.takeEvents();
    ASSERT_EQ(events.size(), 1U);
    EXPECT_EQ(events[0].segment.flags, flag::SYN | flag::ACK);
    EXPECT_TRUE(events[0].retransmission);
}

/// Why each segment of `events` was sent, in order.
std::vector<SendReason> reasons(const std::vector<EndpointEvent>& events) {
    std::vector<SendReason> out;
    for (const EndpointEvent& ev : events) {
        if (ev.kind == EndpointEvent::Kind::Send) {
            out.push_back(ev.reason);
        }
    }
    return out;
}

TEST(EndpointReasons, EverySegmentSaysWhyItWasSent) {
    using enum SendReason;
    Endpoint e(config());
    ASSERT_TRUE(e.open(true, 0));
    EXPECT_EQ(reasons(e.takeEvents()), std::vector{Handshake});
    e.segmentArrives(seg(flag::SYN | flag::ACK, kPeer, kIss + 1), 100);
    EXPECT_EQ(reasons(e.takeEvents()), std::vector{Handshake});

    const std::uint32_t nxt = kPeer + 1;
    ASSERT_TRUE(e.send(100, 200));
    EXPECT_EQ(reasons(e.takeEvents()), std::vector{Data});
    ASSERT_TRUE(e.timerFires(TimerKind::Retransmission, *e.tcb().retransmitDeadlineUs));
    const auto rtx = e.takeEvents();
    EXPECT_EQ(reasons(rtx), std::vector{Retransmission});
    EXPECT_TRUE(rtx.at(0).retransmission);
    e.segmentArrives(seg(flag::ACK, nxt, kIss + 1 + 100), 3'000'000);
    EXPECT_TRUE(e.takeEvents().empty());

    e.segmentArrives(seg(flag::RST, nxt + 5), 3'000'000);
    EXPECT_EQ(reasons(e.takeEvents()), std::vector{ChallengeAck});
    e.segmentArrives(seg(flag::SYN, nxt + 50), 3'000'000);
    EXPECT_EQ(reasons(e.takeEvents()), std::vector{ChallengeAck});
    e.segmentArrives(seg(flag::ACK, nxt - 10, kIss + 101, 5), 3'000'000);
    EXPECT_EQ(reasons(e.takeEvents()), std::vector{OutOfWindowAck});
    e.segmentArrives(seg(flag::ACK, nxt, kIss + 1 + 500), 3'000'000);
    EXPECT_EQ(reasons(e.takeEvents()), std::vector{AckOfUnsent});
    e.segmentArrives(seg(flag::ACK, nxt + 100, kIss + 101, 100), 3'000'000);
    EXPECT_EQ(reasons(e.takeEvents()), std::vector{DuplicateAck});
    e.segmentArrives(seg(flag::ACK, nxt, kIss + 101, 100), 3'000'000);
    EXPECT_EQ(reasons(e.takeEvents()), std::vector{Ack});

    ASSERT_TRUE(e.close(3'100'000));
    EXPECT_EQ(reasons(e.takeEvents()), std::vector{Close});
    e.segmentArrives(seg(flag::FIN | flag::ACK, nxt + 200, kIss + 102), 3'200'000);
    EXPECT_EQ(reasons(e.takeEvents()), std::vector{Ack});
    e.segmentArrives(seg(flag::FIN | flag::ACK, nxt + 200, kIss + 102), 3'300'000);
    EXPECT_EQ(reasons(e.takeEvents()), std::vector{FinReAck});

    Endpoint closed(config());
    closed.segmentArrives(seg(flag::ACK, 5, 6), 0);
    EXPECT_EQ(reasons(closed.takeEvents()), std::vector{ResetReply});
    Endpoint aborting = established();
    ASSERT_TRUE(aborting.abort(200));
    EXPECT_EQ(reasons(aborting.takeEvents()), std::vector{Abort});

    Endpoint listener(config());
    ASSERT_TRUE(listener.open(false, 0));
    listener.segmentArrives(seg(flag::SYN, kPeer), 10);
    (void)listener.takeEvents();
    listener.segmentArrives(seg(flag::SYN, kPeer), 1000);
    EXPECT_EQ(reasons(listener.takeEvents()), std::vector{SynAckRepeat});
}

TEST(EndpointWrapAround, SequenceNumbersWrapModulo2To32) {
    EndpointConfig c = config();
    c.iss = 0xFFFFFF00U;
    Endpoint e(c);
    ASSERT_TRUE(e.open(true, 0));
    e.segmentArrives(seg(flag::SYN | flag::ACK, 0xFFFFFFF0U, 0xFFFFFF01U), 100);
    ASSERT_EQ(e.state(), State::Established);
    ASSERT_TRUE(e.send(1000, 200));
    (void)e.takeEvents();
    EXPECT_EQ(e.tcb().sndNxt, 0xFFFFFF01U + 1000U); // wrapped past zero
    EXPECT_LT(e.tcb().sndNxt, 1000U);
    // The ACK of all data lies "below" SND.UNA numerically but after it modulo 2^32.
    e.segmentArrives(seg(flag::ACK, 0xFFFFFFF1U, e.tcb().sndNxt), 300);
    EXPECT_EQ(e.tcb().sndUna, e.tcb().sndNxt);
    EXPECT_FALSE(e.tcb().retransmitDeadlineUs.has_value());
    // Data from the peer that crosses zero is in the window.
    e.segmentArrives(seg(flag::PSH | flag::ACK, 0xFFFFFFF1U, e.tcb().sndNxt, 100), 300);
    EXPECT_EQ(e.tcb().rcvNxt, 0xFFFFFFF1U + 100U);
    EXPECT_EQ(e.bytesRead(), 100U);
}

} // namespace
} // namespace tcpviz
