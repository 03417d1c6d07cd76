// Steps, injected segments, the scripted role, user-call errors, what-if forks
// and the time limit; plus the section 3.10 cases run through whole simulations.
#include "sim_test_support.h"
#include "tcp/segment.h"

#include <gtest/gtest.h>

namespace tcpviz::test {
namespace {

using enum Side;
using S = State;

std::vector<const TraceEvent*> eventsOf(const Trace& t, EventKind kind) {
    std::vector<const TraceEvent*> out;
    for (const TraceEvent& e : t.events()) {
        if (e.kind == kind) {
            out.push_back(&e);
        }
    }
    return out;
}

TEST(SimulatorSteps, WhenTriggerWaitsForTheStateAndAddsItsDelay) {
    Scenario s = handshakeScenario();
    s.steps.push_back(whenStep(Client, S::Established, 250 * kMs, Client, Action::Send, 10));
    const Trace t = simulate(s);
    const auto calls = eventsOf(t, EventKind::Call);
    ASSERT_EQ(calls.size(), 3U);
    EXPECT_EQ(calls[2]->call, UserCall::Send);
    EXPECT_EQ(calls[2]->timeUs, 100 * kMs + 250 * kMs); // ESTABLISHED at 100 ms
    EXPECT_EQ(calls[2]->bytes, 10U);
}

TEST(SimulatorSteps, WhenTriggerThatNeverHappensNeverRuns) {
    Scenario s = handshakeScenario();
    s.steps.push_back(whenStep(Client, S::Closing, 0, Client, Action::Abort));
    const Trace t = simulate(s);
    EXPECT_EQ(eventsOf(t, EventKind::Call).size(), 2U);
}

TEST(SimulatorSteps, IllegalCallIsRecordedWithTheRfcErrorAndChangesNothing) {
    Scenario s = baseScenario();
    s.steps.push_back(atStep(0, Client, Action::Send, 10));
    s.steps.push_back(atStep(5 * kMs, Server, Action::Close));
    s.steps.push_back(atStep(10 * kMs, Server, Action::Listen));
    s.steps.push_back(atStep(20 * kMs, Server, Action::Connect)); // LISTEN -> active
    s.steps.push_back(atStep(30 * kMs, Server, Action::Listen));
    const Trace t = simulate(s);
    const auto calls = eventsOf(t, EventKind::Call);
    ASSERT_EQ(calls.size(), 5U) << dump(t);
    EXPECT_EQ(calls[0]->callError, "connection does not exist");
    EXPECT_EQ(calls[1]->callError, "connection does not exist");
    EXPECT_EQ(calls[2]->callError, "");
    EXPECT_EQ(calls[3]->callError, "");
    EXPECT_EQ(calls[4]->callError, "connection already exists");
    // The first call changed nothing; send() returned EPIPE.
    EXPECT_EQ(t.event(1).kind, EventKind::Error);
    EXPECT_EQ(t.event(1).socketError, SocketError::BrokenPipe);
    EXPECT_EQ(t.event(2).kind, EventKind::Call);
    EXPECT_TRUE(tookArc(t, ArcId::ListenSend));
}

TEST(SimulatorSteps, SendAfterCloseIsConnectionClosing) {
    Scenario s = handshakeScenario();
    s.steps.push_back(atStep(1 * kSec, Client, Action::Close));
    s.steps.push_back(atStep(1010 * kMs, Client, Action::Send, 5));
    const Trace t = simulate(s);
    const auto calls = eventsOf(t, EventKind::Call);
    ASSERT_EQ(calls.size(), 4U);
    EXPECT_EQ(calls[3]->callError, "connection closing");
}

// A reconnect after an abort: the second SYN carries the next ISN of the list,
// or 64000 more than the first when the scenario gives none.
TEST(SimulatorSteps, ReconnectTakesTheNextIsnOfTheList) {
    for (const bool listed : {true, false}) {
        SCOPED_TRACE(listed ? "isn: [100, 600]" : "isn: 100");
        Scenario sc = handshakeScenario(Profile::Linux);
        if (listed) {
            sc.client.laterIsns = {600};
        }
        sc.steps.push_back(atStep(1 * kSec, Client, Action::Abort));
        sc.steps.push_back(atStep(1500 * kMs, Server, Action::Listen));
        sc.steps.push_back(atStep(2 * kSec, Client, Action::Connect));
        const Trace t = simulate(sc);
        const auto syns = sendsOf(t, Client, "SYN");
        ASSERT_EQ(syns.size(), 2U);
        EXPECT_EQ(syns[0]->segment.seq, 100U);
        EXPECT_EQ(syns[1]->segment.seq, listed ? 600U : 64'100U);
    }
}

TEST(SimulatorInject, InjectedSegmentIsSentByThePeerSideAndArrivesAtOnce) {
    const Trace t = runNamed("rst-established");
    const TraceEvent* injected = nullptr;
    for (const TraceEvent& e : t.events()) {
        if (e.kind == EventKind::Send && e.injected) {
            injected = &e;
            break;
        }
    }
    ASSERT_NE(injected, nullptr) << dump(t);
    EXPECT_EQ(injected->endpoint, Server); // injected "to: client" comes from the server side
    EXPECT_EQ(injected->timeUs, 1 * kSec);
    EXPECT_EQ(injected->plannedArrivalUs, 1 * kSec);
    EXPECT_EQ(injected->segment.srcPort, 80);
    EXPECT_EQ(injected->segment.dstPort, 52528);
    const TraceEvent& arrive = t.event(injected->index + 1);
    EXPECT_EQ(arrive.kind, EventKind::Arrive);
    EXPECT_TRUE(arrive.injected);
    EXPECT_EQ(arrive.endpoint, Client);
    EXPECT_EQ(arrive.segmentId, injected->segmentId);
    EXPECT_TRUE(tookArc(t, ArcId::RstEstablished));
    EXPECT_EQ(statesOf(t, Server).back(), S::Established); // it never knew
}

TEST(SimulatorInject, ScriptedServerHasNoTcpAndSpeaksOnlyThroughInject) {
    Scenario s = baseScenario();
    s.server.scripted = true;
    s.steps.push_back(atStep(0, Client, Action::Connect));
    s.steps.push_back(injectStep(60 * kMs, Client, flag::SYN | flag::ACK, 5000, 101));
    s.steps.push_back(atStep(70 * kMs, Server, Action::Listen)); // meaningless for a script
    const Trace t = simulate(s);
    EXPECT_EQ(statesOf(t, Client), (std::vector{S::Closed, S::SynSent, S::Established})) << dump(t);
    EXPECT_EQ(statesOf(t, Server), (std::vector{S::Closed}));
    // The client's SYN and its ACK arrive at the script, which never answers.
    int serverArrivals = 0;
    for (const TraceEvent& e : t.events()) {
        if (e.kind == EventKind::Arrive && e.endpoint == Server) {
            ++serverArrivals;
        }
        if (e.kind == EventKind::Send && e.endpoint == Server) {
            EXPECT_TRUE(e.injected);
        }
    }
    EXPECT_EQ(serverArrivals, 2);
    const auto calls = eventsOf(t, EventKind::Call);
    ASSERT_EQ(calls.size(), 2U);
    EXPECT_FALSE(calls[1]->callError.empty());
    EXPECT_EQ(t.snapshotAt(t.size()).of(Client).rcvNxt, 5001U);
}

TEST(SimulatorFork, CopyIsIndependentAndRunUntilStopsAtTheCount) {
    Scenario s = handshakeScenario();
    s.steps.push_back(atStep(1 * kSec, Client, Action::Close));
    s.steps.push_back(whenStep(Server, S::CloseWait, 10 * kMs, Server, Action::Close));
    Simulator original(s);
    original.runUntil(13); // handshake done
    ASSERT_EQ(original.trace().size(), 13U);
    EXPECT_EQ(original.trace().stateAt(Client, 13), S::Established);

    Simulator branch = original;
    branch.userCall(Client, UserCall::Abort);
    branch.runToEnd();
    original.runToEnd();

    EXPECT_EQ(dump(original.trace()), dump(simulate(s)));
    EXPECT_TRUE(tookArc(branch.trace(), ArcId::AbortEstablished));
    EXPECT_TRUE(tookArc(branch.trace(), ArcId::RstEstablished));
    EXPECT_FALSE(tookArc(original.trace(), ArcId::AbortEstablished));
    // The branch shares the first 13 events.
    for (std::size_t i = 0; i < 13; ++i) {
        EXPECT_EQ(branch.trace().event(i).kind, original.trace().event(i).kind);
    }
    EXPECT_EQ(branch.trace().event(13).call, UserCall::Abort);
    EXPECT_EQ(branch.trace().event(13).timeUs, original.trace().event(12).timeUs);
}

TEST(SimulatorFork, AddFaultAppliesOnlyFromNow) {
    Scenario s = handshakeScenario();
    s.steps.push_back(atStep(1 * kSec, Client, Action::Close));
    s.steps.push_back(whenStep(Server, S::CloseWait, 10 * kMs, Server, Action::Close));
    Simulator sim(s);
    sim.runUntil(13);
    // "What if the last ACK is lost?" The handshake ACK is already history.
    Fault f = fault(FaultKind::Drop, Client, "ACK", 1);
    sim.addFault(f);
    sim.runToEnd();
    const Trace& t = sim.trace();
    const auto drops = eventsOf(t, EventKind::Drop);
    ASSERT_EQ(drops.size(), 1U) << dump(t);
    EXPECT_GT(drops[0]->timeUs, 1 * kSec);
    EXPECT_EQ(sendsOf(t, Server, "FIN,ACK").size(), 2U); // LAST-ACK retransmits its FIN
}

TEST(SimulatorFork, AssignmentAndMoveKeepTheState) {
    Simulator a(handshakeScenario());
    a.runUntil(5);
    Simulator b(baseScenario());
    b = a;
    Simulator c = std::move(a);
    b.runToEnd();
    c.runToEnd();
    EXPECT_EQ(dump(b.trace()), dump(c.trace()));
    EXPECT_EQ(b.nowUs(), 150 * kMs);
}

TEST(SimulatorLimits, EndlessRetransmissionStopsAtTheTimeLimit) {
    Scenario s = handshakeScenario();
    s.timers.synRetries = 1000;
    s.faults.push_back(fault(FaultKind::Drop, Client, "SYN", std::nullopt, true));
    const Trace t = simulate(s);
    EXPECT_LE(t.endTimeUs(), 15 * 60 * kSec);
    EXPECT_GT(t.endTimeUs(), 10 * 60 * kSec); // backoff capped at 60 s keeps it going
    EXPECT_EQ(statesOf(t, Client).back(), S::SynSent);
    SimulatorOptions o;
    o.timeLimitUs = 5 * kSec;
    EXPECT_LE(simulate(s, o).endTimeUs(), 5 * kSec);
}

TEST(SimulatorLimits, NothingToDoEndsAtOnce) {
    const Trace t = simulate(baseScenario());
    EXPECT_TRUE(t.empty());
    Simulator sim(baseScenario());
    EXPECT_FALSE(sim.step());
}

TEST(SimulatorMeta, DefaultsAreDeterministicAndDifferPerScenario) {
    Scenario s = handshakeScenario();
    s.client = {};
    s.server = {};
    s.id = "one";
    const Trace a = simulate(s);
    const Trace b = simulate(s);
    EXPECT_EQ(a.meta.client.isn, b.meta.client.isn);
    EXPECT_NE(a.meta.client.isn, a.meta.server.isn);
    EXPECT_EQ(a.meta.client.address.toString(), "192.168.0.2:52528");
    EXPECT_EQ(a.meta.server.address.toString(), "192.168.0.1:80");
    EXPECT_EQ(sendsOf(a, Client, "SYN")[0]->segment.seq, a.meta.client.isn);
    EXPECT_EQ(sendsOf(a, Server, "SYN,ACK")[0]->segment.seq, a.meta.server.isn);
    EXPECT_EQ(a.meta.scenarioId, "one");
    s.id = "two";
    EXPECT_NE(simulate(s).meta.client.isn, a.meta.client.isn);
}

TEST(SimulatorMeta, PortsComeFromTheAddressesIncludingIpv6) {
    Scenario s = handshakeScenario();
    s.client.address = parseSocketAddress("[2001:db8::2]:40000");
    s.server.address = parseSocketAddress("[2001:db8::1]:443");
    const Trace t = simulate(s);
    const auto syn = sendsOf(t, Client, "SYN");
    ASSERT_EQ(syn.size(), 1U);
    EXPECT_EQ(syn[0]->segment.srcPort, 40000);
    EXPECT_EQ(syn[0]->segment.dstPort, 443);
    EXPECT_EQ(t.meta.server.address.toString(), "[2001:db8::1]:443");
}

TEST(SimulatorLatency, EachDirectionHasItsOwnDelay) {
    Scenario s = handshakeScenario();
    s.network = {20 * kMs, 70 * kMs};
    const Trace t = simulate(s);
    EXPECT_EQ(sendsOf(t, Client, "SYN")[0]->plannedArrivalUs, 20 * kMs);
    EXPECT_EQ(sendsOf(t, Server, "SYN,ACK")[0]->plannedArrivalUs, 90 * kMs);
}

// ---- section 3.10 cases, run end to end

TEST(Simulator310, OldDuplicateSynIsResetAndTheRealOneSucceeds) {
    const Trace t = runNamed("old-duplicate-syn");
    EXPECT_EQ(statesOf(t, Server), (std::vector{S::Closed, S::Listen, S::SynReceived, S::Listen,
                                                S::SynReceived, S::Established}))
        << dump(t);
    EXPECT_EQ(statesOf(t, Client).back(), S::Established);
    const auto rst = sendsOf(t, Client, "RST");
    ASSERT_EQ(rst.size(), 1U);
    EXPECT_EQ(rst[0]->segment.seq, 9001U); // <SEQ=SEG.ACK> of the bad SYN,ACK
}

TEST(Simulator310, ListenerBecomesActiveOnSend) {
    const Trace t = runNamed("listen-send");
    EXPECT_EQ(statesOf(t, Server), (std::vector{S::Closed, S::Listen, S::SynSent, S::Closed}))
        << dump(t);
    EXPECT_TRUE(tookArc(t, ArcId::SynSentRst));
}

TEST(Simulator310, CloseInSynReceivedSendsFinAfterSynAck) {
    const Trace t = runNamed("syn-received-close");
    EXPECT_EQ(statesOf(t, Server), (std::vector{S::Closed, S::Listen, S::SynReceived, S::FinWait1,
                                                S::FinWait2, S::TimeWait, S::Closed}))
        << dump(t);
    EXPECT_EQ(statesOf(t, Client), (std::vector{S::Closed, S::SynSent, S::Established, S::CloseWait,
                                                S::LastAck, S::Closed}));
}

TEST(Simulator310, SynInWindowReturnsPassiveSynReceivedToListen) {
    const Trace t = runNamed("syn-received-syn");
    EXPECT_TRUE(tookArc(t, ArcId::SynReceivedSyn)) << dump(t);
    // The client's ACK then meets a LISTEN server and is reset.
    EXPECT_EQ(sendsOf(t, Server, "RST").size(), 1U);
    EXPECT_TRUE(tookArc(t, ArcId::RstEstablished));
}

TEST(Simulator310, RstInSynReceivedAfterActiveOpenCloses) {
    const Trace t = runNamed("syn-received-rst-active");
    EXPECT_TRUE(tookArc(t, ArcId::SynReceivedRstActive)) << dump(t);
    EXPECT_EQ(statesOf(t, Client).back(), S::Closed);
}

TEST(Simulator310, RstInEachClosingStateCloses) {
    const std::vector<std::pair<std::string, ArcId>> cases{
        {"rst-fin-wait-1", ArcId::RstFinWait1}, {"rst-fin-wait-1", ArcId::RstCloseWait},
        {"rst-fin-wait-2", ArcId::RstFinWait2}, {"rst-closing", ArcId::RstClosing},
        {"rst-last-ack", ArcId::RstLastAck},    {"rst-time-wait", ArcId::RstTimeWait},
    };
    for (const auto& [name, id] : cases) {
        const Trace t = runNamed(name);
        EXPECT_TRUE(tookArc(t, id)) << name << dump(t);
    }
}

TEST(Simulator310, AbortSendsRstFromSynchronizedStatesOnly) {
    const std::vector<std::tuple<std::string, ArcId, bool>> cases{
        {"abort-listen", ArcId::AbortListen, false},
        {"abort-syn-sent", ArcId::AbortSynSent, false},
        {"abort-syn-received", ArcId::AbortSynReceived, true},
        {"abort-established", ArcId::AbortEstablished, true},
        {"abort-fin-wait-1", ArcId::AbortFinWait1, true},
        {"abort-fin-wait-2-and-close-wait", ArcId::AbortFinWait2, true},
        {"abort-close-wait", ArcId::AbortCloseWait, true},
        {"abort-closing", ArcId::AbortClosing, false},
        {"abort-last-ack", ArcId::AbortLastAck, false},
        {"abort-time-wait", ArcId::AbortTimeWait, false},
    };
    for (const auto& [name, id, rst] : cases) {
        const Trace t = runNamed(name);
        ASSERT_TRUE(tookArc(t, id)) << name << dump(t);
        std::size_t at = 0;
        for (const TraceEvent& e : t.events()) {
            if (e.kind == EventKind::Transition && e.arc == id) {
                at = e.index;
            }
        }
        // The arc is taken to send the RST: it follows the transition, in the same reaction.
        const Reaction r = t.reaction(at);
        bool sentRst = false;
        for (std::size_t k = at + 1; k < r.end; ++k) {
            sentRst = sentRst ||
                      (t.event(k).kind == EventKind::Send && t.event(k).segment.has(flag::RST));
        }
        EXPECT_EQ(sentRst, rst) << name << dump(t);
    }
}

TEST(Simulator310, RetransmissionLimitsGiveUp) {
    const std::vector<std::pair<std::string, ArcId>> cases{
        {"give-up-syn-sent", ArcId::GiveUpSynSent},
        {"give-up-syn-received", ArcId::GiveUpSynReceived},
        {"give-up-syn-received-linux", ArcId::GiveUpSynReceivedListen},
        {"give-up-established", ArcId::GiveUpEstablished},
        {"give-up-fin-wait-1", ArcId::GiveUpFinWait1},
        {"give-up-close-wait", ArcId::GiveUpCloseWait},
        {"give-up-closing", ArcId::GiveUpClosing},
        {"give-up-last-ack", ArcId::GiveUpLastAck},
    };
    for (const auto& [name, id] : cases) {
        const Trace t = runNamed(name);
        EXPECT_TRUE(tookArc(t, id)) << name << dump(t);
        int rtx = 0;
        for (const TraceEvent& e : t.events()) {
            rtx += e.retransmission ? 1 : 0;
        }
        EXPECT_GE(rtx, 2) << name; // the limit is 2 retries in these runs
    }
    // Linux drops the half-open connection silently and keeps listening.
    const Trace l = runNamed("give-up-syn-received-linux");
    EXPECT_EQ(statesOf(l, Server).back(), S::Listen);
    EXPECT_EQ(sendsOf(l, Server, "RST").size(), 0U);
}

TEST(Simulator310, UserTimeoutAbortsInEveryWaitingState) {
    const std::vector<std::pair<std::string, ArcId>> cases{
        {"user-timeout-syn-sent", ArcId::UserTimeoutSynSent},
        {"user-timeout-syn-received", ArcId::UserTimeoutSynReceived},
        {"user-timeout-established", ArcId::UserTimeoutEstablished},
        {"user-timeout-fin-wait-1", ArcId::UserTimeoutFinWait1},
        {"user-timeout-fin-wait-2", ArcId::UserTimeoutFinWait2},
        {"user-timeout-close-wait", ArcId::UserTimeoutCloseWait},
        {"user-timeout-closing", ArcId::UserTimeoutClosing},
        {"user-timeout-last-ack", ArcId::UserTimeoutLastAck},
    };
    for (const auto& [name, id] : cases) {
        const Trace t = runNamed(name);
        ASSERT_TRUE(tookArc(t, id)) << name << dump(t);
        for (const TraceEvent& e : t.events()) {
            if (e.kind == EventKind::Transition && e.arc == id) {
                const TraceEvent& timer = t.event(e.index - 1);
                EXPECT_EQ(timer.kind, EventKind::Timer) << name;
                EXPECT_EQ(timer.timer, TimerKind::UserTimeout) << name;
            }
        }
    }
}

TEST(SimulatorLinux, LateFinAfterFinTimeoutGetsRst) {
    const Trace t = runNamed("fin-wait-2-timeout-linux");
    EXPECT_TRUE(tookArc(t, ArcId::FinWait2Timeout)) << dump(t);
    const auto rst = sendsOf(t, Client, "RST");
    ASSERT_EQ(rst.size(), 1U);
    EXPECT_EQ(rst[0]->timeUs, 10 * kSec + 50 * kMs);
    EXPECT_TRUE(tookArc(t, ArcId::RstLastAck));
}

TEST(SimulatorLinux, CloseWithUnreadDataResets) {
    const Trace a = runNamed("close-unread-established-linux");
    EXPECT_TRUE(tookArc(a, ArcId::CloseUnreadEstablished)) << dump(a);
    EXPECT_EQ(sendsOf(a, Server, "RST,ACK").size(), 1U);
    EXPECT_EQ(sendsOf(a, Server, "FIN,ACK").size(), 0U);
    const Trace b = runNamed("close-unread-close-wait-linux");
    EXPECT_TRUE(tookArc(b, ArcId::CloseUnreadCloseWait)) << dump(b);
    // The same with an application that reads: an ordinary close.
    Scenario s = handshakeScenario(Profile::Linux);
    s.steps.push_back(atStep(1 * kSec, Client, Action::Send, 100));
    s.steps.push_back(atStep(2 * kSec, Server, Action::Close));
    const Trace c = simulate(s);
    EXPECT_EQ(sendsOf(c, Server, "FIN,ACK").size(), 1U) << dump(c);
    SimulatorOptions o;
    o.applicationReads = {true, false};
    EXPECT_TRUE(tookArc(simulate(s, o), ArcId::CloseUnreadEstablished));
}

TEST(SimulatorLinux, DataForAClosedApplicationIsAnsweredWithRst) {
    const Trace a = runNamed("data-after-close-fin-wait-1-linux");
    EXPECT_TRUE(tookArc(a, ArcId::DataAfterCloseFinWait1)) << dump(a);
    const Trace b = runNamed("data-after-close-fin-wait-2-linux");
    EXPECT_TRUE(tookArc(b, ArcId::DataAfterCloseFinWait2)) << dump(b);
    const auto rst = sendsOf(b, Client, "RST");
    ASSERT_EQ(rst.size(), 1U);
    EXPECT_EQ(rst[0]->segment.seq, 102U); // <SEQ=SEG.ACK>, which the server accepts
    EXPECT_TRUE(tookArc(b, ArcId::RstCloseWait));

    // shutdown keeps reading in linux; close keeps reading in rfc9293 (3.10.4).
    for (const auto& [profile, action] : {std::pair{Profile::Linux, Action::Shutdown},
                                          std::pair{Profile::Rfc9293, Action::Close}}) {
        Scenario s = handshakeScenario(profile);
        s.steps.push_back(atStep(1 * kSec, Client, action));
        s.steps.push_back(whenStep(Server, S::CloseWait, 100 * kMs, Server, Action::Send, 100));
        s.steps.push_back(whenStep(Server, S::CloseWait, 300 * kMs, Server, Action::Close));
        const Trace t = simulate(s);
        EXPECT_EQ(sendsOf(t, Client, "RST").size(), 0U) << dump(t);
        EXPECT_TRUE(tookArc(t, ArcId::FinWait2RcvFin)) << dump(t);
    }
}

// A client reconnecting to a server whose old connection is in TIME-WAIT: Linux
// takes the new SYN (TIME-WAIT -> SYN-RECEIVED, ISN above the old SND.NXT) and the
// connection opens; rfc9293 answers with a challenge ACK, which the client in
// SYN-SENT finds unacceptable and resets, so it never connects.
TEST(SimulatorLinux, ANewSynReopensAServerInTimeWait) {
    const Trace t = runNamed("time-wait-syn-linux");
    EXPECT_TRUE(tookArc(t, ArcId::TimeWaitSyn)) << dump(t);
    EXPECT_EQ(statesOf(t, Server).back(), S::Established) << dump(t);
    EXPECT_EQ(statesOf(t, Client).back(), S::Established) << dump(t);
    const auto synAcks = sendsOf(t, Server, "SYN,ACK");
    ASSERT_EQ(synAcks.size(), 2U);
    EXPECT_EQ(synAcks[1]->segment.seq, 302U + 65537U); // old SND.NXT 302 (ISS 300, SYN, FIN)

    Scenario s = handshakeScenario(Profile::Rfc9293);
    s.steps.push_back(atStep(1 * kSec, Server, Action::Close));
    s.steps.push_back(whenStep(Client, S::CloseWait, 100 * kMs, Client, Action::Close));
    s.steps.push_back(whenStep(Client, S::Closed, 1 * kSec, Client, Action::Connect));
    const Trace r = simulate(s);
    EXPECT_FALSE(tookArc(r, ArcId::TimeWaitSyn)) << dump(r);
    EXPECT_EQ(sendsOf(r, Server, "SYN,ACK").size(), 1U) << dump(r);
    EXPECT_NE(statesOf(r, Client).back(), S::Established) << dump(r);
}

TEST(SimulatorHalfClose, DataKeepsFlowingAfterTheFirstFin) {
    Scenario s = handshakeScenario();
    s.steps.push_back(atStep(1 * kSec, Client, Action::Shutdown));
    s.steps.push_back(whenStep(Server, S::CloseWait, 10 * kMs, Server, Action::Send, 5000));
    s.steps.push_back(whenStep(Server, S::CloseWait, 500 * kMs, Server, Action::Close));
    const Trace t = simulate(s);
    EXPECT_EQ(statesOf(t, Client), (std::vector{S::Closed, S::SynSent, S::Established, S::FinWait1,
                                                S::FinWait2, S::TimeWait, S::Closed}))
        << dump(t);
    // 5000 bytes reach the client in FIN-WAIT-2, each segment acknowledged.
    const auto data = sendsOf(t, Server);
    std::uint32_t bytes = 0;
    for (const TraceEvent* e : data) {
        bytes += e->segment.len;
    }
    EXPECT_EQ(bytes, 5000U);
    EXPECT_EQ(sendsOf(t, Client, "ACK").size(), 1U + 4U + 1U); // handshake, 4 data, FIN
    for (const TraceEvent& e : t.events()) {
        if (e.kind == EventKind::Arrive && e.endpoint == Client && e.segment.len > 0) {
            EXPECT_EQ(t.stateAt(Client, e.index), S::FinWait2);
        }
    }
}

TEST(SimulatorProfiles, LinuxSynAckRetriesAndSynLinearTimeouts) {
    Scenario s = handshakeScenario(Profile::Linux);
    s.timers.synRetries = 6;
    s.faults.push_back(fault(FaultKind::Drop, Client, "SYN", std::nullopt, true));
    const Trace t = simulate(s);
    std::vector<std::int64_t> times;
    for (const TraceEvent* e : sendsOf(t, Client, "SYN")) {
        times.push_back(e->timeUs / kSec);
    }
    // tcp_write_timeout: SYN-SENT gives up after tcp_syn_retries +
    // tcp_syn_linear_timeouts = 10 retransmissions or tcp_model_timeout(6, 1 s) = 127 s
    // since the first SYN, whichever the timer finds first: eleven SYNs, the
    // timer at 131 s gives up (it expected seven SYNs and 11 s before the profile
    // followed tcp_write_timeout).
    EXPECT_EQ(times, (std::vector<std::int64_t>{0, 1, 2, 3, 4, 5, 7, 11, 19, 35, 67})) << dump(t);
    EXPECT_TRUE(tookArc(t, ArcId::GiveUpSynSent));
    EXPECT_EQ(t.endTimeUs(), 131 * kSec);

    Scenario r = handshakeScenario();
    r.timers.synRetries = 6;
    r.faults = s.faults;
    times.clear();
    const Trace rt = simulate(r);
    for (const TraceEvent* e : sendsOf(rt, Client, "SYN")) {
        times.push_back(e->timeUs / kSec);
    }
    EXPECT_EQ(times, (std::vector<std::int64_t>{0, 1, 3, 7, 15, 31, 63}));
}

TEST(SimulatorProfiles, LostSynAckIsRepeatedWhenTheSynComesAgain) {
    Scenario s = handshakeScenario();
    s.faults.push_back(fault(FaultKind::Drop, Server, "SYN,ACK", 1));
    const Trace t = simulate(s);
    EXPECT_EQ(statesOf(t, Client).back(), S::Established) << dump(t);
    EXPECT_EQ(statesOf(t, Server).back(), S::Established);
    EXPECT_GE(sendsOf(t, Server, "SYN,ACK").size(), 2U);
}

// The errors a program sees are events of the Trace: which error, which call
// returned it, and only while the application still holds the socket.
std::vector<std::string> errorsOf(const Trace& t) {
    std::vector<std::string> out;
    for (const TraceEvent* e : eventsOf(t, EventKind::Error)) {
        out.push_back(std::string(sideName(e->endpoint)) + " " +
                      std::string(errorCallName(e->errorCall)) + " " +
                      std::string(socketErrorName(e->socketError)));
    }
    return out;
}

TEST(SimulatorErrors, ARefusedConnectReturnsEconnrefused) {
    for (const Profile p : {Profile::Rfc9293, Profile::Linux}) {
        Scenario s = baseScenario(p);
        s.steps.push_back(atStep(0, Client, Action::Connect));
        const Trace t = simulate(s);
        EXPECT_EQ(errorsOf(t), std::vector<std::string>{"client connect ECONNREFUSED"}) << dump(t);
    }
}

TEST(SimulatorErrors, AResetReachesTheReaderButNotAnOrphan) {
    Scenario s = handshakeScenario(Profile::Linux);
    s.steps.push_back(atStep(1 * kSec, Server, Action::Abort));
    EXPECT_EQ(errorsOf(simulate(s)), std::vector<std::string>{"client recv ECONNRESET"});

    // The client closed first (FIN-WAIT-2, orphaned): nobody learns of the RST.
    Scenario orphan = handshakeScenario(Profile::Linux);
    orphan.steps.push_back(atStep(1 * kSec, Client, Action::Close));
    orphan.steps.push_back(atStep(2 * kSec, Server, Action::Abort));
    EXPECT_TRUE(errorsOf(simulate(orphan)).empty());

    // In CLOSE-WAIT Linux reports EPIPE (tcp_reset), RFC 9293 "connection reset".
    for (const Profile p : {Profile::Linux, Profile::Rfc9293}) {
        Scenario closeWait = handshakeScenario(p);
        closeWait.steps.push_back(atStep(1 * kSec, Server, Action::Close));
        closeWait.steps.push_back(atStep(2 * kSec, Server, Action::Abort));
        const Trace t = simulate(closeWait);
        EXPECT_EQ(errorsOf(t),
                  std::vector<std::string>{p == Profile::Linux ? "client recv EPIPE"
                                                               : "client recv ECONNRESET"})
            << dump(t);
    }
}

TEST(SimulatorErrors, GivingUpReturnsEtimedoutToTheWaitingCall) {
    Scenario syn = handshakeScenario(Profile::Linux);
    syn.timers.synRetries = 1;
    syn.faults.push_back(fault(FaultKind::Drop, Client, "SYN", std::nullopt, true));
    EXPECT_EQ(errorsOf(simulate(syn)), std::vector<std::string>{"client connect ETIMEDOUT"});

    Scenario data = handshakeScenario(Profile::Linux);
    data.timers.dataRetries = 2;
    data.steps.push_back(atStep(1 * kSec, Client, Action::Send, 100));
    data.faults.push_back(fault(FaultKind::Drop, Client, "PSH,ACK", std::nullopt, true));
    EXPECT_EQ(errorsOf(simulate(data)), std::vector<std::string>{"client recv ETIMEDOUT"});
}

TEST(SimulatorErrors, SendingAfterShutdownIsABrokenPipe) {
    Scenario s = handshakeScenario(Profile::Linux);
    s.steps.push_back(atStep(1 * kSec, Client, Action::Shutdown));
    s.steps.push_back(atStep(2 * kSec, Client, Action::Send, 10));
    const Trace t = simulate(s);
    EXPECT_EQ(errorsOf(t), std::vector<std::string>{"client send EPIPE"}) << dump(t);
    const auto errors = eventsOf(t, EventKind::Error);
    ASSERT_EQ(errors.size(), 1U);
    EXPECT_EQ(errors[0]->timeUs, 2 * kSec);
}

} // namespace
} // namespace tcpviz::test
