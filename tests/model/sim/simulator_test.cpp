#include "sim_test_support.h"
#include "tcp/segment.h"

#include <gtest/gtest.h>

namespace tcpviz::test {
namespace {

using enum Side;
using S = State;

const TraceEvent* firstOf(const Trace& t, EventKind kind, Side side) {
    for (const TraceEvent& e : t.events()) {
        if (e.kind == kind && e.endpoint == side) {
            return &e;
        }
    }
    return nullptr;
}

TEST(Simulator, HandshakeFollowsRfcFigure7AndTheEventOrderContract) {
    const Trace t = runNamed("handshake");
    ASSERT_GE(t.size(), 5U) << dump(t);
    // Call, then the transition, then the segment the arc sends ("CLOSED ->
    // SYN-SENT / snd SYN"): the SYN leaves a client already in SYN-SENT.
    EXPECT_EQ(t.event(0).kind, EventKind::Call);
    EXPECT_EQ(t.event(0).call, UserCall::Listen);
    EXPECT_EQ(t.event(1).kind, EventKind::Transition);
    EXPECT_EQ(t.event(1).arc, ArcId::PassiveOpen);
    EXPECT_EQ(t.event(2).call, UserCall::Connect);
    EXPECT_EQ(t.event(3).kind, EventKind::Transition);
    EXPECT_EQ(t.event(3).to, S::SynSent);
    EXPECT_EQ(t.event(4).kind, EventKind::Send);
    EXPECT_EQ(t.event(4).segment.flags, flag::SYN);
    EXPECT_EQ(t.event(4).segment.seq, 100U);
    EXPECT_EQ(t.event(4).plannedArrivalUs, 50 * kMs);
    EXPECT_EQ(t.stateAt(Client, 5), S::SynSent);
    EXPECT_EQ(t.snapshotAt(5).of(Client).sndNxt, 101U);

    EXPECT_EQ(statesOf(t, Client), (std::vector{S::Closed, S::SynSent, S::Established}));
    EXPECT_EQ(statesOf(t, Server),
              (std::vector{S::Closed, S::Listen, S::SynReceived, S::Established}));
    EXPECT_EQ(segmentsOf(t), (std::vector<std::string>{"c:SYN", "s:SYN,ACK", "c:ACK"}));
    const auto synAck = sendsOf(t, Server, "SYN,ACK");
    ASSERT_EQ(synAck.size(), 1U);
    EXPECT_EQ(synAck[0]->segment.seq, 300U);
    EXPECT_EQ(synAck[0]->segment.ack, 101U);
    const auto ack = sendsOf(t, Client, "ACK");
    ASSERT_EQ(ack.size(), 1U);
    EXPECT_EQ(ack[0]->segment.seq, 101U);
    EXPECT_EQ(ack[0]->segment.ack, 301U);
    EXPECT_EQ(ack[0]->timeUs, 100 * kMs);

    // Meta and final snapshot.
    EXPECT_EQ(t.meta.client.address.toString(), "192.168.0.2:52528");
    EXPECT_EQ(t.meta.server.isn, 300U);
    EXPECT_EQ(t.meta.profile, "rfc9293");
    const Tcb& c = t.snapshotAt(t.size()).of(Client);
    EXPECT_EQ(c.sndUna, 101U);
    EXPECT_EQ(c.rcvNxt, 301U);
    EXPECT_EQ(c.sndWnd, 65535U);
}

TEST(Simulator, EverySendIsFollowedByItsArriveOrDropWithTheSameId) {
    for (const NamedSimulation& sim : coverageSimulations()) {
        const Trace t = sim.run();
        for (const TraceEvent& send : t.events()) {
            if (send.kind != EventKind::Send) {
                continue;
            }
            int outcomes = 0;
            for (const TraceEvent& e : t.events()) {
                if ((e.kind == EventKind::Arrive || e.kind == EventKind::Drop) &&
                    e.segmentId == send.segmentId) {
                    ++outcomes;
                    EXPECT_GE(e.index, send.index) << sim.name;
                    EXPECT_EQ(e.segment, send.segment) << sim.name;
                    if (e.kind == EventKind::Arrive) {
                        EXPECT_EQ(e.timeUs, send.plannedArrivalUs) << sim.name;
                        EXPECT_EQ(e.endpoint, peer(send.endpoint)) << sim.name;
                    }
                }
            }
            // A segment still in flight when the simulation stops has no outcome.
            if (send.plannedArrivalUs <= t.endTimeUs()) {
                EXPECT_EQ(outcomes, 1) << sim.name << " segment " << send.segmentId << dump(t);
            }
        }
        // Time never goes backwards.
        for (std::size_t i = 1; i < t.size(); ++i) {
            EXPECT_LE(t.event(i - 1).timeUs, t.event(i).timeUs) << sim.name;
        }
    }
}

TEST(Simulator, SameScenarioGivesIdenticalTraces) {
    for (const NamedSimulation& sim : coverageSimulations()) {
        const Trace a = sim.run();
        const Trace b = sim.run();
        ASSERT_EQ(dump(a), dump(b)) << sim.name;
        for (std::size_t p = 0; p <= a.size(); ++p) {
            ASSERT_EQ(a.snapshotAt(p).tcb, b.snapshotAt(p).tcb) << sim.name << " position " << p;
        }
    }
}

TEST(Simulator, DataTransferSegmentsAndAcknowledges) {
    Scenario s = handshakeScenario();
    s.steps.push_back(whenStep(Client, S::Established, 10 * kMs, Client, Action::Send, 3000));
    const Trace t = simulate(s);
    const auto data = sendsOf(t, Client);
    // SYN, ACK, then 1460 + 1460 + 80 bytes.
    ASSERT_EQ(data.size(), 5U) << dump(t);
    EXPECT_EQ(data[2]->segment.len, 1460U);
    EXPECT_EQ(data[2]->segment.seq, 101U);
    EXPECT_EQ(data[3]->segment.seq, 1561U);
    EXPECT_EQ(flagsToString(data[4]->segment.flags), "PSH,ACK");
    EXPECT_EQ(data[4]->segment.len, 80U);
    const auto acks = sendsOf(t, Server, "ACK");
    ASSERT_EQ(acks.size(), 3U);
    EXPECT_EQ(acks[0]->segment.ack, 1561U);
    EXPECT_EQ(acks[2]->segment.ack, 3101U);
    const Snapshot& end = t.snapshotAt(t.size());
    EXPECT_EQ(end.of(Client).sndUna, 3101U);
    EXPECT_EQ(end.of(Server).rcvNxt, 3101U);
    EXPECT_FALSE(end.of(Client).retransmitDeadlineUs.has_value());
}

TEST(Simulator, SequenceNumbersWrapAroundThroughAWholeConnection) {
    Scenario s = handshakeScenario();
    s.client.isn = 0xFFFFFC00U;
    s.server.isn = 0xFFFFFFFFU; // its SYN takes the last number, data starts at 0
    s.steps.push_back(whenStep(Client, S::Established, 0, Client, Action::Send, 2000));
    s.steps.push_back(whenStep(Server, S::Established, 0, Server, Action::Send, 500));
    s.steps.push_back(atStep(2 * kSec, Client, Action::Close));
    s.steps.push_back(whenStep(Server, S::CloseWait, 10 * kMs, Server, Action::Close));
    const Trace t = simulate(s);
    EXPECT_EQ(statesOf(t, Client).back(), S::Closed) << dump(t);
    EXPECT_EQ(statesOf(t, Server),
              (std::vector{S::Closed, S::Listen, S::SynReceived, S::Established, S::CloseWait,
                           S::LastAck, S::Closed}));
    for (const TraceEvent& e : t.events()) {
        EXPECT_FALSE(e.retransmission) << dump(t);
    }
    const Snapshot& end = t.snapshotAt(t.size());
    EXPECT_EQ(end.of(Client).sndNxt, 0xFFFFFC00U + 1U + 2000U + 1U);
    EXPECT_EQ(end.of(Server).rcvNxt, end.of(Client).sndNxt);
    EXPECT_EQ(end.of(Client).rcvNxt, 501U); // 0xFFFFFFFF + SYN + 500 + FIN, mod 2^32
}

TEST(Simulator, LostDataIsRetransmittedWithBackoffDoubling) {
    Scenario s = handshakeScenario();
    s.timers.dataRetries = 3;
    s.steps.push_back(atStep(1 * kSec, Client, Action::Send, 100));
    s.faults.push_back(fault(FaultKind::Drop, Client, "PSH,ACK", std::nullopt, true));
    const Trace t = simulate(s);
    const auto data = sendsOf(t, Client, "PSH,ACK");
    ASSERT_EQ(data.size(), 4U) << dump(t);
    EXPECT_FALSE(data[0]->retransmission);
    EXPECT_TRUE(data[1]->retransmission);
    // RTO 1 s (RFC 6298 minimum), then 2 s, 4 s.
    EXPECT_EQ(data[1]->timeUs - data[0]->timeUs, 1 * kSec);
    EXPECT_EQ(data[2]->timeUs - data[1]->timeUs, 2 * kSec);
    EXPECT_EQ(data[3]->timeUs - data[2]->timeUs, 4 * kSec);
    EXPECT_TRUE(tookArc(t, ArcId::GiveUpEstablished));
    int drops = 0;
    for (const TraceEvent& e : t.events()) {
        drops += e.kind == EventKind::Drop ? 1 : 0;
    }
    EXPECT_EQ(drops, 4);
    // The give-up RST reaches the server, which is reset too.
    EXPECT_TRUE(tookArc(t, ArcId::RstEstablished));
}

TEST(Simulator, SingleLossIsRepairedByOneRetransmission) {
    Scenario s = handshakeScenario();
    s.steps.push_back(atStep(1 * kSec, Client, Action::Send, 100));
    s.faults.push_back(fault(FaultKind::Drop, Client, "PSH,ACK", 1));
    const Trace t = simulate(s);
    const auto data = sendsOf(t, Client, "PSH,ACK");
    ASSERT_EQ(data.size(), 2U) << dump(t);
    EXPECT_TRUE(data[1]->retransmission);
    EXPECT_EQ(t.snapshotAt(t.size()).of(Server).rcvNxt, 201U);
    EXPECT_EQ(t.snapshotAt(t.size()).of(Client).sndUna, 201U);
}

TEST(Simulator, RetransmissionTimerIsVisibleInSnapshots) {
    Scenario s = handshakeScenario();
    s.steps.push_back(atStep(1 * kSec, Client, Action::Send, 100));
    s.faults.push_back(fault(FaultKind::Drop, Client, "PSH,ACK", 1));
    const Trace t = simulate(s);
    const auto data = sendsOf(t, Client, "PSH,ACK");
    ASSERT_EQ(data.size(), 2U);
    const Tcb& afterFirst = t.snapshotAt(data[0]->index + 1).of(Client);
    ASSERT_TRUE(afterFirst.retransmitDeadlineUs.has_value());
    EXPECT_EQ(*afterFirst.retransmitStartUs, 1 * kSec);
    EXPECT_EQ(*afterFirst.retransmitDeadlineUs, 2 * kSec);
    const TraceEvent* timer = firstOf(t, EventKind::Timer, Client);
    ASSERT_NE(timer, nullptr);
    EXPECT_EQ(timer->timer, TimerKind::Retransmission);
    EXPECT_EQ(timer->timeUs, 2 * kSec);
}

TEST(Simulator, DuplicatedSynMeetsAnEstablishedServerWithAChallengeAck) {
    Scenario s = handshakeScenario();
    Fault dup = fault(FaultKind::Duplicate, Client, "SYN", 1);
    dup.afterUs = 2 * kSec;
    s.faults.push_back(dup);
    const Trace t = simulate(s);
    int dupSends = 0;
    int dupArrivals = 0;
    for (const TraceEvent& e : t.events()) {
        dupSends += (e.kind == EventKind::Send && e.duplicate) ? 1 : 0;
        dupArrivals += (e.kind == EventKind::Arrive && e.duplicate) ? 1 : 0;
    }
    EXPECT_EQ(dupSends, 1) << dump(t);
    EXPECT_EQ(dupArrivals, 1);
    const auto serverAcks = sendsOf(t, Server, "ACK");
    ASSERT_EQ(serverAcks.size(), 1U) << dump(t);
    EXPECT_NE(serverAcks[0]->note.find("challenge"), std::string::npos);
    EXPECT_EQ(statesOf(t, Server).back(), S::Established);
}

TEST(Simulator, DelayReordersSegmentsAndTheReceiverRepairsTheOrder) {
    Scenario s = handshakeScenario();
    s.steps.push_back(atStep(1 * kSec, Client, Action::Send, 2000));
    Fault slow = fault(FaultKind::Delay, Client, "ACK", 2); // the first data segment
    slow.byUs = 30 * kMs;
    s.faults.push_back(slow);
    const Trace t = simulate(s);
    std::vector<std::uint32_t> arrivalSeqs;
    for (const TraceEvent& e : t.events()) {
        if (e.kind == EventKind::Arrive && e.endpoint == Server && e.segment.len > 0) {
            arrivalSeqs.push_back(e.segment.seq);
        }
    }
    EXPECT_EQ(arrivalSeqs, (std::vector<std::uint32_t>{1561, 101})) << dump(t);
    const auto acks = sendsOf(t, Server, "ACK");
    ASSERT_EQ(acks.size(), 2U);
    EXPECT_EQ(acks[0]->segment.ack, 101U); // duplicate ACK for the hole
    EXPECT_EQ(acks[1]->segment.ack, 2101U);
    for (const TraceEvent& e : t.events()) {
        EXPECT_FALSE(e.retransmission);
    }
}

TEST(Simulator, FaultCountsOnlySegmentsWithExactlyTheseFlags) {
    Scenario s = handshakeScenario();
    s.steps.push_back(atStep(1 * kSec, Client, Action::Send, 100));
    s.faults.push_back(fault(FaultKind::Drop, Client, "ACK", 2)); // PSH,ACK does not count
    const Trace t = simulate(s);
    for (const TraceEvent& e : t.events()) {
        EXPECT_NE(e.kind, EventKind::Drop) << dump(t);
    }
    Scenario late = s;
    late.faults[0].nth = 1;
    late.faults[0].sentAtOrAfterUs = 500 * kMs; // the handshake ACK is too early to count
    const Trace u = simulate(late);
    for (const TraceEvent& e : u.events()) {
        EXPECT_NE(e.kind, EventKind::Drop) << dump(u);
    }
}

TEST(Simulator, ConnectionRefusedByRstAck) {
    const Trace t = runNamed("connection-refused");
    EXPECT_EQ(segmentsOf(t), (std::vector<std::string>{"c:SYN", "s:RST,ACK"})) << dump(t);
    const auto rst = sendsOf(t, Server, "RST,ACK");
    ASSERT_EQ(rst.size(), 1U);
    EXPECT_EQ(rst[0]->segment.seq, 0U);
    EXPECT_EQ(rst[0]->segment.ack, 101U);
    EXPECT_EQ(statesOf(t, Client), (std::vector{S::Closed, S::SynSent, S::Closed}));
    EXPECT_TRUE(tookArc(t, ArcId::SynSentRst));
    EXPECT_EQ(statesOf(t, Server), (std::vector{S::Closed}));
}

TEST(Simulator, FourWayCloseClientFirst) {
    const Trace t = runNamed("close-client-first");
    EXPECT_EQ(statesOf(t, Client), (std::vector{S::Closed, S::SynSent, S::Established, S::FinWait1,
                                                S::FinWait2, S::TimeWait, S::Closed}))
        << dump(t);
    EXPECT_EQ(statesOf(t, Server),
              (std::vector{S::Closed, S::Listen, S::SynReceived, S::Established, S::CloseWait,
                           S::LastAck, S::Closed}));
    EXPECT_EQ(segmentsOf(t), (std::vector<std::string>{"c:SYN", "s:SYN,ACK", "c:ACK", "c:FIN,ACK",
                                                       "s:ACK", "s:FIN,ACK", "c:ACK"}));
    // TIME-WAIT lasts 2 x MSL (1 s here).
    const auto& ev = t.events();
    std::int64_t enter = 0;
    std::int64_t leave = 0;
    for (const TraceEvent& e : ev) {
        if (e.kind == EventKind::Transition && e.endpoint == Client && e.to == S::TimeWait) {
            enter = e.timeUs;
        }
        if (e.kind == EventKind::Transition && e.arc == ArcId::TimeWaitTimeout) {
            leave = e.timeUs;
        }
    }
    EXPECT_EQ(leave - enter, 2 * kSec);
}

TEST(Simulator, ThreeWayCloseInLinuxMergesTheFinAndItsAck) {
    const Trace t = runNamed("three-way-close-linux");
    EXPECT_EQ(segmentsOf(t), (std::vector<std::string>{"c:SYN", "s:SYN,ACK", "c:ACK", "c:FIN,ACK",
                                                       "s:FIN,ACK", "c:ACK"}))
        << dump(t);
    EXPECT_TRUE(tookArc(t, ArcId::FinWait1FinAck));
    EXPECT_EQ(t.meta.profile, "linux");
    // Linux TIME-WAIT: 60 s.
    EXPECT_EQ(t.endTimeUs(), 1110 * kMs + 60 * kSec);
}

TEST(Simulator, LinuxWithoutPromptCloseSendsTheDelayedAck) {
    Scenario s = handshakeScenario(Profile::Linux);
    s.steps.push_back(atStep(1 * kSec, Client, Action::Close));
    s.steps.push_back(whenStep(Server, S::CloseWait, 500 * kMs, Server, Action::Close));
    const Trace t = simulate(s);
    const auto acks = sendsOf(t, Server, "ACK");
    ASSERT_EQ(acks.size(), 1U) << dump(t);
    EXPECT_EQ(acks[0]->timeUs, 1050 * kMs + 40 * kMs);
    EXPECT_EQ(acks[0]->segment.ack, 102U);
    EXPECT_TRUE(tookArc(t, ArcId::FinWait2RcvFin));
}

TEST(Simulator, SimultaneousCloseGoesThroughClosing) {
    const Trace t = runNamed("simultaneous-close");
    EXPECT_EQ(statesOf(t, Client), (std::vector{S::Closed, S::SynSent, S::Established, S::FinWait1,
                                                S::Closing, S::TimeWait, S::Closed}))
        << dump(t);
    EXPECT_EQ(statesOf(t, Server),
              (std::vector{S::Closed, S::Listen, S::SynReceived, S::Established, S::FinWait1,
                           S::Closing, S::TimeWait, S::Closed}));
}

TEST(Simulator, SimultaneousOpenMeetsInSynReceived) {
    const Trace t = runNamed("simultaneous-open");
    for (const Side side : {Client, Server}) {
        EXPECT_EQ(statesOf(t, side),
                  (std::vector{S::Closed, S::SynSent, S::SynReceived, S::Established}))
            << dump(t);
    }
    EXPECT_EQ(sendsOf(t, Client, "SYN,ACK").size(), 1U);
    EXPECT_EQ(sendsOf(t, Client, "ACK").size(), 0U);
}

TEST(Simulator, LostFinalAckRestartsTimeWait) {
    const Trace t = runNamed("lost-final-ack");
    EXPECT_EQ(statesOf(t, Server).back(), S::Closed) << dump(t);
    EXPECT_TRUE(tookArc(t, ArcId::LastAckAckOfFin));
    const auto fins = sendsOf(t, Server, "FIN,ACK");
    ASSERT_EQ(fins.size(), 2U);
    EXPECT_TRUE(fins[1]->retransmission);
    const auto acks = sendsOf(t, Client, "ACK");
    ASSERT_EQ(acks.size(), 3U); // handshake, lost one, re-ACK
    const Tcb& after = t.snapshotAt(acks[2]->index + 1).of(Client);
    EXPECT_EQ(after.state, S::TimeWait);
    // Re-ACK at 2.11 s restarts 2MSL (2 x 30 s) from there.
    const std::int64_t reAck = acks[2]->timeUs;
    std::int64_t closedAt = 0;
    for (const TraceEvent& e : t.events()) {
        if (e.arc == ArcId::TimeWaitTimeout && e.kind == EventKind::Transition) {
            closedAt = e.timeUs;
        }
    }
    EXPECT_EQ(closedAt, reAck + 2 * TimerSpec{}.mslUs);
    EXPECT_EQ(*after.timeWaitStartUs, reAck);
}

} // namespace
} // namespace tcpviz::test
