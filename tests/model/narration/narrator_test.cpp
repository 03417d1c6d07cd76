// Narration: the lecturer's explanation of each event, in both languages,
// with the numbers of the trace at hand.
#include "narration/glossary.h"
#include "narration/narrator.h"
#include "scenario/library.h"
#include "scenario/scenario.h"
#include "sim/simulator.h"
#include "trace/trace_builder.h"

#include <gtest/gtest.h>

namespace tcpviz {
namespace {

using testing::handshake;
using testing::TraceBuilder;

bool has(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

/// Index of the first event of `kind` by `side` (and flags, for segments).
std::size_t find(const Trace& t, EventKind kind, Side side, std::uint8_t flags = 0) {
    for (std::size_t i = 0; i < t.size(); ++i) {
        const auto& e = t.event(i);
        if (e.kind == kind && e.endpoint == side && (flags == 0 || e.segment.flags == flags)) {
            return i;
        }
    }
    ADD_FAILURE() << "no such event";
    return 0;
}

TEST(Narrator, SynExplainsWhyItConsumesASequenceNumber) {
    const Trace t = handshake().build();
    const auto text = narrate(t, find(t, EventKind::Send, Side::Client, flag::SYN));
    EXPECT_TRUE(has(text.en, "SEQ=100")) << text.en;
    EXPECT_TRUE(has(text.en, "occupies one sequence number")) << text.en;
    EXPECT_TRUE(has(text.en, "ACK=101")) << text.en;
    EXPECT_TRUE(has(text.zh, "占用一个序列号")) << text.zh;
}

TEST(Narrator, SynAckExplainsIsnPlusOne) {
    const Trace t = handshake().build();
    const auto text = narrate(t, find(t, EventKind::Send, Side::Server, flag::SYN | flag::ACK));
    EXPECT_TRUE(has(text.en, "ACK=101")) << text.en;
    EXPECT_TRUE(has(text.en, "100+1 = 101")) << text.en;
    EXPECT_TRUE(has(text.en, "SEQ=300")) << text.en;
    EXPECT_TRUE(has(text.zh, "100+1 = 101")) << text.zh;
}

TEST(Narrator, LinuxAckAfterSimultaneousOpenSaysWhyItIsSent) {
    const Result<Scenario> r = parseScenarioText(R"(
profile: linux
client: {address: "192.168.0.2:52528", isn: 100}
server: {address: "192.168.0.1:5000", isn: 300}
network: {latency: 50ms}
steps:
  - {at: 0ms, client: connect}
  - {at: 10ms, server: connect}
)",
                                                 "simultaneous-open-linux.yaml");
    ASSERT_TRUE(r.has_value()) << r.error().toString();
    const Trace t = simulate(*r);
    const auto text = narrate(t, find(t, EventKind::Send, Side::Client, flag::ACK));
    EXPECT_TRUE(has(text.en, "ACK=301")) << text.en;
    EXPECT_TRUE(has(text.en, "Linux")) << text.en;
    EXPECT_FALSE(has(text.en, "server's ISN")) << text.en; // not the client/server handshake
    EXPECT_TRUE(has(text.zh, "SYN+ACK")) << text.zh;
}

TEST(Narrator, LinuxGiveUpIsATimeBudget) {
    const auto sc = findBuiltinScenario("syn-retries-linux");
    ASSERT_TRUE(sc.has_value());
    const Trace t = simulate(*sc);
    std::size_t giveUp = t.size();
    for (std::size_t i = 0; i < t.size(); ++i) {
        if (t.event(i).kind == EventKind::Transition && t.event(i).arc == ArcId::GiveUpSynSent) {
            giveUp = i;
        }
    }
    ASSERT_LT(giveUp, t.size());
    const auto text = narrate(t, giveUp);
    EXPECT_TRUE(has(text.en, "time budget")) << text.en;
    EXPECT_TRUE(has(text.en, "tcp_syn_linear_timeouts")) << text.en;
    EXPECT_FALSE(has(text.en, "maximum number of times")) << text.en;
    EXPECT_TRUE(has(text.zh, "时间预算")) << text.zh;
    EXPECT_TRUE(has(text.en, "no RST")) << text.en;
}

TEST(Narrator, ThirdSegmentExplainsWhyItIsNeeded) {
    const Trace t = handshake().build();
    const auto text = narrate(t, find(t, EventKind::Send, Side::Client, flag::ACK));
    EXPECT_TRUE(has(text.en, "ACK=301")) << text.en;
    EXPECT_TRUE(has(text.en, "old duplicate")) << text.en;
}

TEST(Narrator, CallsAndTransitions) {
    const Trace t = handshake().build();
    const auto listen = narrate(t, 0);
    EXPECT_TRUE(has(listen.en, "listen()")) << listen.en;
    EXPECT_TRUE(has(listen.en, "passive OPEN"));
    const auto connect = narrate(t, find(t, EventKind::Call, Side::Client));
    EXPECT_TRUE(has(connect.en, "ISN 100")) << connect.en;
    const auto established = narrate(t, t.size() - 1);
    EXPECT_TRUE(has(established.en, "SYN-RECEIVED -> ESTABLISHED")) << established.en;
    EXPECT_TRUE(has(established.en, "ESTABLISHED: the connection is open")) << established.en;
}

TEST(Narrator, FourWayCloseCloseWaitAndTimeWait) {
    TraceBuilder b(State::Established, State::Established);
    b.call(0, Side::Client, UserCall::Close)
        .send(0, Side::Client, flag::FIN | flag::ACK, 101, 301)
        .transition(0, Side::Client, State::FinWait1, ArcId::EstablishedClose)
        .arrive(50'000)
        .send(50'000, Side::Server, flag::ACK, 301, 102)
        .transition(50'000, Side::Server, State::CloseWait, ArcId::RcvFin);
    const Trace t = b.build();
    const auto fin = narrate(t, 1);
    EXPECT_TRUE(has(fin.en, "FIN with SEQ=101")) << fin.en;
    EXPECT_TRUE(has(fin.en, "ACK=102")) << fin.en;
    const auto ack = narrate(t, 4);
    EXPECT_TRUE(has(ack.en, "CLOSE-WAIT")) << ack.en;
    EXPECT_TRUE(has(ack.en, "application")) << ack.en;
    const auto closeWait = stateExplanation(State::CloseWait);
    EXPECT_TRUE(has(closeWait.en, "application")) << closeWait.en;
    EXPECT_TRUE(has(closeWait.en, "close()"));

    TraceBuilder tw(State::TimeWait, State::Closed);
    tw.timer(240'000'000, Side::Client, TimerKind::TimeWait)
        .transition(240'000'000, Side::Client, State::Closed, ArcId::TimeWaitTimeout);
    const auto expiry = narrate(tw.build(), 0);
    EXPECT_TRUE(has(expiry.en, "2xMSL")) << expiry.en;
    EXPECT_TRUE(has(expiry.en, "old duplicate")) << expiry.en;
    EXPECT_TRUE(has(expiry.en, "retransmitted FIN")) << expiry.en;
    EXPECT_TRUE(has(expiry.zh, "2×MSL")) << expiry.zh;
}

TEST(Narrator, MergedFinAndAckIsRecognised) {
    // Linux three-way close: the server's first segment after the client's FIN is FIN,ACK.
    TraceBuilder b(State::FinWait1, State::Established);
    b.send(0, Side::Client, flag::FIN | flag::ACK, 101, 301)
        .arrive(50'000)
        .transition(50'000, Side::Server, State::CloseWait, ArcId::RcvFin);
    Trace t = b.build();
    // Mark the server's TCB as having received the FIN before it sends its own.
    TraceBuilder c(State::FinWait1, State::CloseWait);
    c.send(55'000, Side::Server, flag::FIN | flag::ACK, 301, 102);
    Trace merged = c.build();
    Snapshot s = merged.initial();
    s.of(Side::Server).finReceived = true;
    merged.setInitial(s);
    const auto text = narrate(merged, 0);
    EXPECT_TRUE(has(text.en, "also acknowledges the peer's FIN")) << text.en;
    EXPECT_TRUE(has(text.en, "three segments instead of four")) << text.en;
}

TEST(Narrator, ChallengeAckAndRstChecks) {
    TraceBuilder b(State::Established, State::Established);
    b.tcb(Side::Client, [](Tcb& c) { c.rcvNxt = 301; });
    b.send(0, Side::Server, flag::RST, 1301, 0, 0, false, true).arrive(0);
    b.note("challenge ACK (RFC 5961)")
        .reason(SendReason::ChallengeAck)
        .send(0, Side::Client, flag::ACK, 101, 301);
    const Trace t = b.build();
    EXPECT_TRUE(has(narrate(t, 0).en, "from outside")) << narrate(t, 0).en;
    const auto arrive = narrate(t, 1);
    EXPECT_TRUE(has(arrive.en, "not RCV.NXT=301")) << arrive.en;
    const auto challenge = narrate(t, 2);
    EXPECT_TRUE(has(challenge.en, "Challenge ACK")) << challenge.en;
    EXPECT_TRUE(has(challenge.en, "RFC 5961"));
    EXPECT_TRUE(has(challenge.zh, "挑战 ACK")) << challenge.zh;
}

TEST(Narrator, LossAndRetransmission) {
    TraceBuilder b(State::SynSent, State::Listen);
    b.send(0, Side::Client, flag::SYN, 100, 0)
        .drop(25'000)
        .timer(1'000'000, Side::Client, TimerKind::Retransmission)
        .send(1'000'000, Side::Client, flag::SYN, 100, 0, 0, true);
    const Trace t = b.build();
    EXPECT_TRUE(has(narrate(t, 1).en, "loses")) << narrate(t, 1).en;
    EXPECT_TRUE(has(narrate(t, 1).en, "retransmission timer")) << narrate(t, 1).en;
    EXPECT_TRUE(has(narrate(t, 2).en, "retransmission timer expires")) << narrate(t, 2).en;
    const auto again = narrate(t, 3);
    EXPECT_TRUE(has(again.en, "Retransmission")) << again.en;
    EXPECT_TRUE(has(again.en, "SEQ=100")) << again.en;
}

TEST(Narrator, ConnectionRefusedReset) {
    TraceBuilder b(State::SynSent, State::Closed);
    b.send(0, Side::Client, flag::SYN, 100, 0)
        .arrive(50'000)
        .send(50'000, Side::Server, flag::RST | flag::ACK, 0, 101);
    const auto text = narrate(b.build(), 2);
    EXPECT_TRUE(has(text.en, "<SEQ=0><ACK=101><CTL=RST,ACK>")) << text.en;
    EXPECT_TRUE(has(text.en, "connection refused")) << text.en;
}

TEST(Narrator, EveryArcAndStateIsExplainedInBothLanguages) {
    for (const Arc& a : arcCatalog()) {
        const auto text = arcExplanation(a.id);
        EXPECT_GT(text.en.size(), 40U) << a.key;
        EXPECT_GT(text.zh.size(), 20U) << a.key;
        EXPECT_NE(text.en, text.zh) << a.key << ": needs a Chinese text";
        EXPECT_NE(text.en, a.label()) << a.key << ": needs an explanation, not the label";
    }
    for (State s : kAllStates) {
        const auto text = stateExplanation(s);
        EXPECT_EQ(text.en.rfind(std::string(stateName(s)) + ":", 0), 0U) << text.en;
        EXPECT_FALSE(text.zh.empty());
    }
    EXPECT_TRUE(has(stateExplanation(State::TimeWait).en, "2xMSL"));
}

TEST(Narrator, StepNotesComeFirst) {
    Trace t = handshake().build();
    t.meta.stepNotes.push_back({0, {"The lecturer speaks.", "讲师说。"}});
    const auto text = narrate(t, 0);
    EXPECT_EQ(text.en.rfind("The lecturer speaks.", 0), 0U) << text.en;
    EXPECT_TRUE(has(text.en, "listen()"));
    EXPECT_EQ(text.zh.rfind("讲师说。", 0), 0U);
    EXPECT_TRUE(narrate(t, t.size()).empty());
}

TEST(Narrator, StepNotesComeWithTheEventsTheStepsCaused) {
    Scenario sc;
    sc.id = "step-notes";
    Step listen;
    listen.trigger.atUs = 0;
    listen.endpoint = Side::Server;
    listen.action = Action::Listen;
    listen.note = {"listen note", "监听"};
    Step connect;
    connect.trigger.atUs = 5'000;
    connect.trigger.afterUs = 5'000; // fires at 10 ms
    connect.endpoint = Side::Client;
    connect.action = Action::Connect;
    connect.note = {"connect note", "连接"};
    Step late;
    late.trigger.whenSide = Side::Server;
    late.trigger.whenState = State::CloseWait; // nobody closes: never fires
    late.endpoint = Side::Server;
    late.action = Action::Close;
    late.note = {"never fires", "不会触发"};
    Step forged;
    forged.trigger.atUs = 1'000'000;
    forged.action = Action::Inject;
    forged.inject.to = Side::Server;
    forged.inject.flags = flag::RST;
    forged.inject.seq = 5000;
    forged.note = {"forged note", "伪造"};
    sc.steps = {listen, connect, late, forged};
    const Trace t = simulate(sc);

    ASSERT_EQ(t.meta.stepNotes.size(), 3U);
    const auto& listenCall = t.event(t.meta.stepNotes[0].event);
    EXPECT_EQ(listenCall.kind, EventKind::Call);
    EXPECT_EQ(listenCall.call, UserCall::Listen);
    EXPECT_EQ(listenCall.step, 0U);
    const auto& connectCall = t.event(t.meta.stepNotes[1].event);
    EXPECT_EQ(connectCall.call, UserCall::Connect);
    EXPECT_EQ(connectCall.timeUs, 10'000);
    EXPECT_EQ(connectCall.step, 1U);
    EXPECT_EQ(t.meta.stepNotes[1].text.en, "connect note");
    EXPECT_TRUE(has(narrate(t, t.meta.stepNotes[1].event).en, "connect note"));
    const auto& injected = t.event(t.meta.stepNotes[2].event);
    EXPECT_EQ(injected.kind, EventKind::Send);
    EXPECT_TRUE(injected.injected);
    EXPECT_EQ(injected.step, 3U);
    for (const auto& e : t.events()) {
        // Only what a step itself did carries it: not the endpoint's answers.
        EXPECT_TRUE(!e.step || e.kind == EventKind::Call || e.injected) << e.index;
    }
}

} // namespace
} // namespace tcpviz

namespace tcpviz {
namespace {

// Linux's TIME-WAIT is the fixed TCP_TIMEWAIT_LEN: the linux lessons say why on
// entering TIME-WAIT and when it ends; the rfc9293 ones speak of 2xMSL.
TEST(Narrator, LinuxTimeWaitSaysWhyItIsAFixed60Seconds) {
    for (const char* id : {"time-wait-expiry", "time-wait-assassination"}) {
        SCOPED_TRACE(id);
        const auto sc = findBuiltinScenario(id);
        ASSERT_TRUE(sc.has_value());
        const Trace t = simulate(*sc);
        const bool linux = sc->profile == Profile::Linux;
        std::size_t said = 0;
        for (std::size_t i = 0; i < t.size(); ++i) {
            const auto& e = t.event(i);
            const bool timeWait = (e.kind == EventKind::Transition && e.to == State::TimeWait) ||
                                  (e.kind == EventKind::Timer && e.timer == TimerKind::TimeWait);
            if (!timeWait) {
                continue;
            }
            const auto text = narrate(t, i);
            EXPECT_EQ(has(text.en, "TCP_TIMEWAIT_LEN"), linux) << text.en;
            EXPECT_EQ(has(text.zh, "TCP_TIMEWAIT_LEN"), linux) << text.zh;
            said += has(text.en, "fixed 60 s") && has(text.zh, "固定为 60 秒") ? 1 : 0;
        }
        EXPECT_EQ(said > 0, linux);
    }
}

} // namespace
} // namespace tcpviz

namespace tcpviz {
namespace {

using testing::TraceBuilder;

/// A RST reaching the server in LAST-ACK, with or without the calls that led there.
Trace rstInLastAck(bool withCalls) {
    TraceBuilder b(State::Established, State::Established);
    if (withCalls) {
        b.call(0, Side::Server, UserCall::Close);
    }
    b.transition(0, Side::Server, State::CloseWait, ArcId::RcvFin)
        .transition(0, Side::Server, State::LastAck, ArcId::CloseWaitClose)
        .send(1'000, Side::Client, flag::RST, 102, 0)
        .arrive(51'000)
        .transition(51'000, Side::Server, State::Closed, ArcId::RstLastAck);
    return b.build();
}

// Who learns of a reset is a fact of the trace: nobody after close(); with no
// calls recorded (a capture) the narration says both cases.
TEST(Narrator, ResetByPeerOnlyForAnApplicationThatHoldsTheSocket) {
    const Trace closed = rstInLastAck(true);
    const auto afterClose = narrate(closed, closed.size() - 1);
    EXPECT_FALSE(has(afterClose.en, "connection reset by peer")) << afterClose.en;
    EXPECT_TRUE(has(afterClose.en, "nobody is told")) << afterClose.en;
    EXPECT_TRUE(has(afterClose.zh, "没有人会被告知")) << afterClose.zh;

    const Trace capture = rstInLastAck(false);
    const auto unknown = narrate(capture, capture.size() - 1);
    EXPECT_TRUE(has(unknown.en, "If the application still holds the socket")) << unknown.en;
    EXPECT_TRUE(has(unknown.zh, "如果应用仍持有这个套接字")) << unknown.zh;

    const Trace holds = simulate(*findBuiltinScenario("rst-in-established"));
    bool told = false;
    for (std::size_t i = 0; i < holds.size(); ++i) {
        const auto& e = holds.event(i);
        if (e.kind == EventKind::Transition && e.arc == ArcId::RstEstablished) {
            const auto text = narrate(holds, i);
            told = has(text.en, "fails with \"connection reset by peer\"") &&
                   has(text.zh, "ECONNRESET（“连接被对方重置”）");
        }
    }
    EXPECT_TRUE(told);
}

} // namespace
} // namespace tcpviz

namespace tcpviz {
namespace {

// A linux lesson names states as `ss` prints them too, where the names differ;
// an rfc9293 lesson keeps the RFC names alone.
TEST(Narrator, LinuxLessonsNameStatesAsSsPrintsThem) {
    for (const char* id : {"three-way-close", "three-way-handshake"}) {
        const Scenario s = *findBuiltinScenario(id);
        const Trace t = simulate(s);
        const bool linux = s.profile == Profile::Linux;
        bool sawEstablished = false;
        for (std::size_t i = 0; i < t.size(); ++i) {
            const auto& e = t.event(i);
            if (e.kind != EventKind::Transition || e.to != State::Established) {
                continue;
            }
            sawEstablished = true;
            const LocalizedText text = narrate(t, i);
            EXPECT_EQ(text.en.find("ESTABLISHED (ESTAB)") != std::string::npos, linux)
                << id << ": " << text.en;
            EXPECT_EQ(text.zh.find("ESTABLISHED (ESTAB)") != std::string::npos, linux)
                << id << ": " << text.zh;
        }
        EXPECT_TRUE(sawEstablished) << id;
    }
    EXPECT_EQ(findBuiltinScenario("three-way-close")->profile, Profile::Linux);
    EXPECT_EQ(findBuiltinScenario("three-way-handshake")->profile, Profile::Rfc9293);
}

} // namespace
} // namespace tcpviz
