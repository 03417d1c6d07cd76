// Every built-in scenario, simulated and played through the views step by
// step: what the views show must be what the Trace says.

#include "diagram_exporter.h"
#include "image_probe.h"
#include "scenario/library.h"
#include "sequence_diagram_view.h"
#include "sim/simulator.h"
#include "state_graph_view.h"
#include "view_style.h"

#include <QTemporaryDir>
#include <gtest/gtest.h>

namespace tcpviz {
namespace {

void playBack(const std::string& id) {
    const auto scenario = findBuiltinScenario(id);
    ASSERT_TRUE(scenario.has_value());
    const Trace trace = simulate(*scenario);
    ASSERT_FALSE(trace.empty());

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

        for (Side side : {Side::Client, Side::Server}) {
            ASSERT_EQ(graph.highlightedState(side), trace.stateAt(side, p)) << "position " << p;
        }
        // Pixels only where the picture changes state, to keep the test quick.
        if (p == 0 || p == trace.size() || trace.event(p - 1).kind == EventKind::Transition) {
            const QImage image = graph.grab().toImage();
            const double dpr = image.devicePixelRatio();
            for (Side side : {Side::Client, Side::Server}) {
                const State s = trace.stateAt(side, p);
                QRectF node = graph.nodeRect(s);
                if (trace.stateAt(Side::Client, p) == trace.stateAt(Side::Server, p)) {
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
    for (const Scenario& s : builtinScenarios()) {
        SCOPED_TRACE(s.id);
        playBack(s.id);
    }
}

} // namespace
} // namespace tcpviz
