// A step that sends a segment shows the sender's transition, the arrow leaving
// and the narration together (issue 10): the arc is taken to send the segment
// ("CLOSED -> SYN-SENT / snd SYN"), so at the step of a Send the sender is
// already lit on the state it sends from, the arc it took to send is lit, and
// the diagram draws an arrow leaving the sender towards the receiver. Checked
// at every sending step of every built-in lesson, simulated and as a capture
// of it played step by step.
#include "capture/analyzer.h"
#include "capture/connection_trace.h"
#include "capture/trace_pcap.h"
#include "narration/narrator.h"
#include "narration_view.h"
#include "scenario/library.h"
#include "sequence_diagram_view.h"
#include "sim/simulator.h"
#include "state_graph_view.h"

#include <QTemporaryDir>
#include <cmath>
#include <gtest/gtest.h>
#include <optional>
#include <string>

namespace tcpviz {
namespace {

/// The last transition of `side` in the reaction that sent event `send`.
std::optional<std::size_t> arcOfSend(const Trace& t, std::size_t send) {
    const Reaction r = t.reaction(send);
    std::optional<std::size_t> last;
    for (std::size_t k = r.begin; k < r.end; ++k) {
        if (t.event(k).kind == EventKind::Transition) {
            last = k;
        }
    }
    return last;
}

/// Plays `trace` through the views (as the window lays them out, the whole
/// lesson fitted) and checks every step whose event is a segment leaving a TCP
/// endpoint. Returns how many sending steps were checked.
std::size_t checkSendingSteps(const Trace& trace, const std::string& what) {
    SequenceDiagramView diagram;
    diagram.resize(700, 420);
    diagram.setFitToWindow(true);
    diagram.setTrace(&trace);
    StateGraphView graph;
    graph.setAnimationsEnabled(false);
    graph.resize(520, 420);
    graph.setTrace(&trace);
    NarrationView narration;
    narration.setTrace(&trace);
    std::size_t checked = 0;
    for (std::size_t i = 0; i < trace.size(); ++i) {
        const TraceEvent& e = trace.event(i);
        if (e.kind != EventKind::Send || e.injected || e.duplicate) {
            continue;
        }
        SCOPED_TRACE(what + " step " + std::to_string(i + 1));
        const std::size_t position = i + 1;
        const Side sender = e.endpoint;
        diagram.setPosition(position);
        graph.setPosition(position);
        narration.setPosition(position);
        (void)diagram.grab();

        // The sender's state is the state after sending: nothing of its
        // reaction (no transition) is still to come after this step.
        const Reaction r = trace.reaction(i);
        const State after = trace.stateAt(sender, r.end);
        EXPECT_EQ(trace.stateAt(sender, position), after);
        EXPECT_EQ(graph.highlightedState(sender), after);
        for (std::size_t k = position; k < r.end; ++k) {
            EXPECT_NE(trace.event(k).kind, EventKind::Transition)
                << "the transition of step " << k + 1 << " comes after its segment";
        }
        // The arc taken to send it is lit with it.
        if (const auto t = arcOfSend(trace, i)) {
            EXPECT_EQ(graph.highlightedArc(sender), trace.event(*t).arc);
        }

        // The arrow leaves the sender, towards the receiver, long enough to see.
        const DrawnArrow* drawn = nullptr;
        for (const DrawnArrow& a : diagram.drawnArrows()) {
            if (a.sendIndex == i) {
                drawn = &a;
            }
        }
        EXPECT_NE(drawn, nullptr) << "no arrow for the segment sent at this step";
        if (drawn != nullptr) {
            const double from = diagram.renderer().lifelineX(sender);
            const double to = diagram.renderer().lifelineX(peer(sender));
            EXPECT_NEAR(drawn->line.p1().x(), from, 1.0);
            EXPECT_GE(std::abs(drawn->line.p2().x() - from), 0.15 * std::abs(to - from))
                << "a label with no arrow";
            EXPECT_LT(std::abs(drawn->line.p2().x() - to), std::abs(from - to))
                << "the arrow points away from the receiver";
            EXPECT_TRUE(drawn->labelled) << "the segment of the step keeps its label";
        }

        // And the narration at this step is about this segment.
        EXPECT_FALSE(narrate(trace, i).en.empty());
        EXPECT_FALSE(narration.currentHtml().isEmpty());
        ++checked;
    }
    return checked;
}

TEST(SendingStep, ShowsTheSendersArcTheArrowAndTheNarrationTogetherInEveryLesson) {
    ASSERT_FALSE(builtinScenarios().empty());
    std::size_t steps = 0;
    for (const Scenario& s : builtinScenarios()) {
        const Trace trace = simulate(s);
        steps += checkSendingSteps(trace, s.id);
    }
    EXPECT_GT(steps, 150U);
}

// The lecture's "the client sends SYN", by hand: SYN-SENT, active-open lit, the arrow out.
TEST(SendingStep, TheLecturesSynLeavesAClientInSynSent) {
    const auto lecture = findBuiltinScenario("lecture");
    ASSERT_TRUE(lecture.has_value());
    const Trace trace = simulate(*lecture);
    std::size_t syn = trace.size();
    for (const TraceEvent& e : trace.events()) {
        if (e.kind == EventKind::Send && e.segment.flags == flag::SYN) {
            syn = e.index;
            break;
        }
    }
    ASSERT_LT(syn, trace.size());
    EXPECT_EQ(trace.stateAt(Side::Client, syn + 1), State::SynSent);
    StateGraphView graph;
    graph.setAnimationsEnabled(false);
    graph.setTrace(&trace);
    graph.setPosition(syn + 1);
    EXPECT_EQ(graph.highlightedState(Side::Client), State::SynSent);
    EXPECT_EQ(graph.highlightedArc(Side::Client), ArcId::ActiveOpen);
    EXPECT_EQ(checkSendingSteps(trace, "lecture"), 11U);
}

// A captured connection played step by step keeps the same promise: the
// sender's inferred transition precedes its packet.
TEST(SendingStep, ACapturedLessonPlayedStepByStepShowsTheSameTogether) {
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    std::size_t steps = 0;
    for (const char* id :
         {"lecture", "simultaneous-close", "lost-final-ack", "abort-linger-zero"}) {
        const auto s = findBuiltinScenario(id);
        ASSERT_TRUE(s.has_value()) << id;
        const Trace simulated = simulate(*s);
        const std::string pcap = dir.filePath(QString::fromLatin1(id) + ".pcap").toStdString();
        const Status written = writeTracePcap(simulated, pcap);
        ASSERT_TRUE(written) << written.error().toString();
        const Result<AnalysisResult> result = analyzeCapture(pcap, {});
        ASSERT_TRUE(result) << result.error().toString();
        ASSERT_EQ(result->connections.size(), 1U) << id;
        const Result<std::vector<DecodedPacket>> packets =
            collectConnectionPackets(pcap, {}, result->connections.front());
        ASSERT_TRUE(packets) << packets.error().toString();
        const Trace captured = buildConnectionTrace(*packets);
        steps += checkSendingSteps(captured, std::string("capture of ") + id);
    }
    EXPECT_GT(steps, 30U);
}

} // namespace
} // namespace tcpviz
