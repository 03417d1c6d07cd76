// Every built-in scenario, simulated and played through the views step by
// step: what the views show must be what the Trace's events say, worked out
// here from the Transition events (not from Trace::stateAt(), which is how the
// views find it), and for a few lessons what the RFC says, written by hand.

#include "diagram_exporter.h"
#include "image_probe.h"
#include "scenario/library.h"
#include "sequence_diagram_view.h"
#include "sim/simulator.h"
#include "state_graph_view.h"
#include "test_traces.h"
#include "view_style.h"

#include <QTemporaryDir>
#include <gtest/gtest.h>
#include <map>
#include <string>
#include <vector>

namespace tcpviz {
namespace {

using viewtest::StatePair;

constexpr State Closed = State::Closed;
constexpr State Listen = State::Listen;
constexpr State SynSent = State::SynSent;
constexpr State SynRcvd = State::SynReceived;
constexpr State Estab = State::Established;
constexpr State FinWait1 = State::FinWait1;
constexpr State FinWait2 = State::FinWait2;
constexpr State CloseWait = State::CloseWait;
constexpr State Closing = State::Closing;
constexpr State LastAck = State::LastAck;
constexpr State TimeWait = State::TimeWait;

// What the state graph must show, {client, server}, each time a step changes
// it, read off the scenario files and RFC 9293 Figure 5 (50 ms one way):
const std::map<std::string, std::vector<StatePair>>& lessons() {
    static const std::map<std::string, std::vector<StatePair>> kLessons{
        // Server listens at 0, client connects at 10 ms, SYN lands at 60,
        // SYN,ACK at 110, ACK at 160.
        {"three-way-handshake",
         {{Closed, Closed},
          {Closed, Listen},
          {SynSent, Listen},
          {SynSent, SynRcvd},
          {Estab, SynRcvd},
          {Estab, Estab}}},
        // The handshake, data (no state changes), then the client closes first:
        // its FIN is ACKed (FIN-WAIT-2), the server closes 200 ms later, the
        // client ACKs that FIN from TIME-WAIT and leaves it after 2MSL.
        {"lecture",
         {{Closed, Closed},
          {Closed, Listen},
          {SynSent, Listen},
          {SynSent, SynRcvd},
          {Estab, SynRcvd},
          {Estab, Estab},
          {FinWait1, Estab},
          {FinWait1, CloseWait},
          {FinWait2, CloseWait},
          {FinWait2, LastAck},
          {TimeWait, LastAck},
          {TimeWait, Closed},
          {Closed, Closed}}},
        // The FINs cross: client closes at 1000 ms, server at 1010; each FIN
        // lands in FIN-WAIT-1 (-> CLOSING), each ACK in CLOSING (-> TIME-WAIT),
        // and both sit out 2MSL, the client 10 ms ahead.
        {"simultaneous-close",
         {{Closed, Closed},
          {Closed, Listen},
          {SynSent, Listen},
          {SynSent, SynRcvd},
          {Estab, SynRcvd},
          {Estab, Estab},
          {FinWait1, Estab},
          {FinWait1, FinWait1},
          {FinWait1, Closing},
          {Closing, Closing},
          {TimeWait, Closing},
          {TimeWait, TimeWait},
          {Closed, TimeWait},
          {Closed, Closed}}},
    };
    return kLessons;
}

/// The node an endpoint is expected to be lit on. CLOSED is drawn twice: an
/// endpoint whose connection existed (it left ESTABLISHED or a later state for
/// CLOSED) is on the bottom copy, one that never got that far on the top one.
QRectF expectedNode(const StateGraphView& graph, const std::vector<viewtest::StatePair>& expected,
                    std::size_t position, Side side) {
    const State now = expected.at(position).of(side);
    if (now != State::Closed) {
        return graph.nodeRect(now);
    }
    for (std::size_t p = position; p-- > 0;) {
        const State before = expected.at(p).of(side);
        if (before != State::Closed) {
            const bool opened =
                before != State::Listen && before != State::SynSent && before != State::SynReceived;
            return opened ? graph.lowerClosedRect() : graph.nodeRect(State::Closed);
        }
    }
    return graph.nodeRect(State::Closed);
}

void playBack(const std::string& id) {
    const auto scenario = findBuiltinScenario(id);
    ASSERT_TRUE(scenario.has_value());
    const Trace trace = simulate(*scenario);
    ASSERT_FALSE(trace.empty());
    std::string broken;
    const std::vector<StatePair> expected = viewtest::statesFromEvents(trace, &broken);
    EXPECT_TRUE(broken.empty()) << broken;
    std::vector<StatePair> shown;

    SequenceDiagramView diagram;
    diagram.resize(1100, 800);
    diagram.setFitToWindow(true);
    diagram.setTrace(&trace);
    StateGraphView graph;
    graph.resize(800, 640);
    graph.setAnimationsEnabled(false);
    graph.setTrace(&trace);
    const ViewColors colors = viewColors(ViewSettings{});

    for (std::size_t p = 0; p <= trace.size(); ++p) {
        diagram.setPosition(p);
        graph.setPosition(p);
        (void)diagram.grab();
        ASSERT_EQ(diagram.visibleArrowCount(), trace.segmentsSentBefore(p)) << "position " << p;
        std::size_t lostDrawn = 0;
        for (const DrawnArrow& a : diagram.drawnArrows()) {
            lostDrawn += a.lost ? 1 : 0;
        }
        std::size_t drops = 0;
        for (std::size_t i = 0; i < p; ++i) {
            drops += trace.event(i).kind == EventKind::Drop ? 1 : 0;
        }
        EXPECT_EQ(lostDrawn, drops) << "position " << p;

        const StatePair want = expected.at(p);
        const auto client = graph.highlightedState(Side::Client);
        const auto server = graph.highlightedState(Side::Server);
        ASSERT_TRUE(client.has_value() && server.has_value()) << "position " << p;
        ASSERT_EQ(*client, want.client) << "position " << p;
        ASSERT_EQ(*server, want.server) << "position " << p;
        shown.push_back({*client, *server});
        // Pixels only where the picture changes state, to keep the test quick.
        if (p == 0 || p == trace.size() || !(expected.at(p - 1) == want)) {
            const QImage image = graph.grab().toImage();
            const double dpr = image.devicePixelRatio();
            for (Side side : {Side::Client, Side::Server}) {
                QRectF node = expectedNode(graph, expected, p, side);
                if (node == expectedNode(graph, expected, p,
                                         side == Side::Client ? Side::Server : Side::Client)) {
                    node.setWidth(node.width() / 2);
                    if (side == Side::Server) {
                        node.moveLeft(node.left() + node.width());
                    }
                }
                const QRect r = QRectF(node.left() * dpr, node.top() * dpr, node.width() * dpr,
                                       node.height() * dpr)
                                    .toAlignedRect();
                EXPECT_GT(viewtest::coverage(image, r, colors.endpoint(side)), 0.3)
                    << id << " position " << p << " " << sideName(side);
            }
        }
    }
    if (const auto lesson = lessons().find(id); lesson != lessons().end()) {
        EXPECT_EQ(viewtest::distinctPairs(shown), lesson->second) << id;
    }
    QTemporaryDir dir;
    const QString svg = dir.filePath(QStringLiteral("x.svg"));
    QString error;
    EXPECT_TRUE(exportDiagram(trace, trace.size(), svg, {}, &error)) << error.toStdString();
    diagram.setPosition(trace.size());
    viewtest::keepScreenshot(diagram.grab().toImage(), QString::fromStdString("scenario_" + id));
}

// One test over the library rather than a parameterised suite: the library is
// parsed on first use, which must not happen during static initialisation.
TEST(ScenarioPlayback, ViewsAgreeWithTheTraceAtEveryStepOfEveryBuiltinScenario) {
    ASSERT_FALSE(builtinScenarios().empty());
    std::size_t lessonsPlayed = 0;
    for (const Scenario& s : builtinScenarios()) {
        SCOPED_TRACE(s.id);
        playBack(s.id);
        lessonsPlayed += lessons().count(s.id);
    }
    EXPECT_EQ(lessonsPlayed, lessons().size())
        << "every hand-written lesson is a built-in scenario";
}

} // namespace
} // namespace tcpviz
