// checkRst() explains the quiz's "will the server accept this RST?"; it must
// say what the endpoint really does. Every RST that reaches a TCP endpoint in
// every built-in lesson and every coverage simulation (both profiles): the
// check's verdict is what the trace shows the receiver doing right after.
#include "scenario/library.h"
#include "sim_test_support.h"
#include "tcp/rst_check.h"

#include <gtest/gtest.h>
#include <string>

namespace tcpviz::test {
namespace {

/// What the receiver of the RST at event `i` did, read off the trace.
RstVerdict observed(const Trace& t, std::size_t i) {
    const Reaction r = t.reaction(i);
    for (std::size_t k = r.begin; k < r.end; ++k) {
        const TraceEvent& e = t.event(k);
        if (e.kind == EventKind::Transition) {
            return RstVerdict::Reset;
        }
        if (e.kind == EventKind::Send && e.reason == SendReason::ChallengeAck) {
            return RstVerdict::ChallengeAck;
        }
    }
    return RstVerdict::Ignored;
}

std::size_t checkAll(const Trace& t, const std::string& name, std::array<int, 3>& seen) {
    std::size_t n = 0;
    for (const TraceEvent& e : t.events()) {
        if (e.kind != EventKind::Arrive || !e.segment.has(flag::RST)) {
            continue;
        }
        const Tcb& before = t.snapshotAt(e.index).of(e.endpoint);
        const RstCheck c = checkRst(before, e.segment);
        const RstVerdict want = observed(t, e.index);
        EXPECT_EQ(static_cast<int>(c.verdict), static_cast<int>(want))
            << name << " event " << e.index << " in " << stateName(before.state)
            << " SEQ=" << e.segment.seq << " RCV.NXT=" << before.rcvNxt;
        ++seen.at(static_cast<std::size_t>(want));
        ++n;
    }
    return n;
}

TEST(RstCheck, AgreesWithTheEndpointOnEveryRstOfEveryLessonAndSimulation) {
    std::array<int, 3> seen{};
    std::size_t rsts = 0;
    for (const Scenario& s : builtinScenarios()) {
        rsts += checkAll(simulate(s), s.id, seen);
    }
    for (const NamedSimulation& sim : coverageSimulations()) {
        rsts += checkAll(sim.run(), sim.name, seen);
    }
    EXPECT_GT(rsts, 20U);
    // All three outcomes occur, so each branch of the check is held to the endpoint.
    EXPECT_GT(seen.at(static_cast<std::size_t>(RstVerdict::Reset)), 0);
    EXPECT_GT(seen.at(static_cast<std::size_t>(RstVerdict::ChallengeAck)), 0);
    EXPECT_GT(seen.at(static_cast<std::size_t>(RstVerdict::Ignored)), 0);
}

TEST(RstCheck, ExactSeqResetsInWindowChallengesOutsideIgnores) {
    Tcb t;
    t.state = State::Established;
    t.rcvNxt = 301;
    t.rcvWnd = 1000;
    Segment rst;
    rst.flags = flag::RST;
    rst.seq = 301;
    EXPECT_EQ(checkRst(t, rst).verdict, RstVerdict::Reset);
    rst.seq = 1000;
    EXPECT_EQ(checkRst(t, rst).verdict, RstVerdict::ChallengeAck);
    EXPECT_TRUE(checkRst(t, rst).inWindow);
    rst.seq = 1301;
    EXPECT_EQ(checkRst(t, rst).verdict, RstVerdict::Ignored);
    EXPECT_EQ(checkRst(t, rst).windowEnd, 1301U);
    t.state = State::Listen;
    rst.seq = 301;
    EXPECT_EQ(checkRst(t, rst).verdict, RstVerdict::Ignored);
    // SYN-SENT: only with an ACK of our SYN.
    t.state = State::SynSent;
    t.iss = 100;
    t.sndUna = 100;
    t.sndNxt = 101;
    rst.seq = 0;
    EXPECT_EQ(checkRst(t, rst).verdict, RstVerdict::Ignored);
    rst.flags = flag::RST | flag::ACK;
    rst.ack = 101;
    EXPECT_EQ(checkRst(t, rst).verdict, RstVerdict::Reset);
    rst.ack = 100;
    EXPECT_EQ(checkRst(t, rst).verdict, RstVerdict::Ignored);
}

} // namespace
} // namespace tcpviz::test
