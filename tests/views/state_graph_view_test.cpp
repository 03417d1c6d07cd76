#include "event_text.h"
#include "image_probe.h"
#include "state_graph_renderer.h"
#include "state_graph_view.h"
#include "test_traces.h"
#include "view_style.h"

#include <QBuffer>
#include <QPainter>
#include <QSvgGenerator>
#include <QTest>
#include <QXmlStreamReader>
#include <gtest/gtest.h>

namespace tcpviz {
namespace {

using viewtest::coverage;
using viewtest::keepScreenshot;

QRect imageRect(const QRectF& r, const QImage& image) {
    const double dpr = image.devicePixelRatio();
    return QRectF(r.left() * dpr, r.top() * dpr, r.width() * dpr, r.height() * dpr).toAlignedRect();
}

// The lossy lecture (test_traces.h) by hand: from `position` on, until the
// next row, the client and the server are in these states. Positions count the
// builder's events: 2 = after the server's listen call and its passive open,
// 4 = after the client's connect and active open, 7 = the SYN has arrived ...
struct Expected {
    std::size_t position;
    State client;
    State server;
};
constexpr std::array kLossyLectureStates{
    Expected{0, State::Closed, State::Closed},
    Expected{2, State::Closed, State::Listen},
    Expected{4, State::SynSent, State::Listen},
    Expected{7, State::SynSent, State::SynReceived},
    Expected{10, State::Established, State::SynReceived},
    // The lost data segment and its retransmission change no state.
    Expected{13, State::Established, State::Established},
    Expected{23, State::FinWait1, State::Established},
    Expected{26, State::FinWait1, State::CloseWait},
    Expected{29, State::FinWait2, State::CloseWait},
    Expected{31, State::FinWait2, State::LastAck},
    Expected{34, State::TimeWait, State::LastAck},
    Expected{37, State::TimeWait, State::Closed},
    Expected{39, State::Closed, State::Closed},
};

viewtest::StatePair lossyLectureAt(std::size_t position) {
    viewtest::StatePair out;
    for (const Expected& row : kLossyLectureStates) {
        if (row.position <= position) {
            out = {row.client, row.server};
        }
    }
    return out;
}

class StateGraphViewTest : public ::testing::Test {
protected:
    void SetUp() override {
        view.resize(900, 720);
        view.setAnimationsEnabled(false);
        view.setTrace(&trace);
    }
    Trace trace = viewtest::lossyLecture();
    StateGraphView view;
    ViewColors colors = viewColors(ViewSettings{});
};

TEST_F(StateGraphViewTest, TheHandWrittenStatesAgreeWithTheTracesTransitions) {
    // The table below is what the other tests expect; the trace's own
    // Transition events must tell the same story, or the table is wrong.
    ASSERT_EQ(trace.size(), kLossyLectureStates.back().position);
    std::string broken;
    const auto folded = viewtest::statesFromEvents(trace, &broken);
    EXPECT_TRUE(broken.empty()) << broken;
    for (std::size_t p = 0; p <= trace.size(); ++p) {
        EXPECT_EQ(folded.at(p), lossyLectureAt(p)) << "position " << p;
    }
}

TEST_F(StateGraphViewTest, EachEndpointsNodeIsLitInItsColourAtEveryStep) {
    // Every node of the figure, CLOSED twice: the top copy and the bottom one.
    struct Drawn {
        State state;
        QRectF rect;
    };
    std::vector<Drawn> nodes;
    for (State s : kAllStates) {
        nodes.push_back({s, view.nodeRect(s)});
    }
    nodes.push_back({State::Closed, view.lowerClosedRect()});
    // By hand: in the lossy lecture an endpoint is CLOSED before it opens
    // (positions before 10: the top CLOSED) and after its connection is gone
    // (the bottom one, where LAST-ACK and TIME-WAIT lead).
    const auto expectedRect = [&](State s, std::size_t p) {
        return s != State::Closed ? view.nodeRect(s)
               : p < 10           ? view.nodeRect(State::Closed)
                                  : view.lowerClosedRect();
    };
    for (std::size_t p = 0; p <= trace.size(); ++p) {
        view.setPosition(p);
        const QImage image = view.grab().toImage();
        const State client = lossyLectureAt(p).client;
        const State server = lossyLectureAt(p).server;
        ASSERT_EQ(view.highlightedState(Side::Client), client) << "position " << p;
        ASSERT_EQ(view.highlightedState(Side::Server), server) << "position " << p;
        const QRectF clientRect = expectedRect(client, p);
        const QRectF serverRect = expectedRect(server, p);
        EXPECT_EQ(view.litNodeRect(Side::Client), clientRect) << "position " << p;
        EXPECT_EQ(view.litNodeRect(Side::Server), serverRect) << "position " << p;
        for (const Drawn& n : nodes) {
            const QRectF node = n.rect;
            const bool isClient = node == clientRect;
            const bool isServer = node == serverRect;
            const QRect left =
                imageRect(QRectF(node.left(), node.top(), node.width() / 2, node.height()), image);
            const QRect right = imageRect(
                QRectF(node.center().x(), node.top(), node.width() / 2, node.height()), image);
            const double blue =
                coverage(image, isServer ? left : imageRect(node, image), colors.client);
            const double orange =
                coverage(image, isClient ? right : imageRect(node, image), colors.server);
            const bool lower = node == view.lowerClosedRect();
            if (isClient) {
                EXPECT_GT(blue, 0.3) << stateName(n.state) << (lower ? " (bottom)" : "")
                                     << " not blue at position " << p;
            } else {
                EXPECT_LT(blue, 0.05) << stateName(n.state) << (lower ? " (bottom)" : "")
                                      << " blue at position " << p;
            }
            if (isServer) {
                EXPECT_GT(orange, 0.3) << stateName(n.state) << (lower ? " (bottom)" : "")
                                       << " not orange at position " << p;
            } else {
                EXPECT_LT(orange, 0.05) << stateName(n.state) << (lower ? " (bottom)" : "")
                                        << " orange at position " << p;
            }
        }
        // The pixel at the node's centre, beside the text, is the endpoint's colour.
        if (clientRect != serverRect) {
            const QRectF node = clientRect;
            const QPointF probe(node.left() + node.width() * 0.06, node.center().y());
            const QColor seen = image.pixelColor((probe * image.devicePixelRatio()).toPoint());
            EXPECT_LT(viewtest::colorDistance(seen, colors.client), 30.0) << "position " << p;
        }
    }
    view.setPosition(trace.size() / 2);
    keepScreenshot(view.grab().toImage(), QStringLiteral("graph_mid"));
}

TEST_F(StateGraphViewTest, LightsTheArcEachEndpointTookLast) {
    for (std::size_t p = 0; p <= trace.size(); ++p) {
        view.setPosition(p);
        for (Side side : {Side::Client, Side::Server}) {
            const auto last = trace.lastTransitionBefore(p, side);
            if (last) {
                EXPECT_EQ(view.highlightedArc(side), trace.event(*last).arc) << "position " << p;
                EXPECT_FALSE(view.arcPath(*view.highlightedArc(side)).isEmpty());
            } else {
                EXPECT_FALSE(view.highlightedArc(side).has_value());
            }
        }
    }
    // The lit arc is drawn in the endpoint's colour along its path.
    view.setPosition(trace.size());
    const QImage image = view.grab().toImage();
    keepScreenshot(image, QStringLiteral("graph_end"));
    const auto arcId = view.highlightedArc(Side::Server);
    ASSERT_TRUE(arcId.has_value());
    const QPainterPath path = view.arcPath(*arcId);
    // Most of its length is orange (its label box may cover the middle).
    int hits = 0;
    int samples = 0;
    for (double t = 0.02; t <= 0.98; t += 0.04, ++samples) {
        const QPoint px = (path.pointAtPercent(t) * image.devicePixelRatio()).toPoint();
        hits += coverage(image, QRect(px - QPoint(2, 2), QSize(5, 5)), colors.server) > 0.2 ? 1 : 0;
    }
    EXPECT_GE(hits * 10, samples * 4) << hits << " of " << samples;
}

TEST_F(StateGraphViewTest, EveryArcOfTheCatalogIsDrawnAndExplained) {
    view.setShowExtraArcs(true);
    (void)view.grab();
    for (const Arc& a : arcCatalog()) {
        const QPainterPath path = view.arcPath(a.id);
        ASSERT_FALSE(path.isEmpty()) << a.key;
        // Hovering the middle of the arc's edge explains an arc with the same ends.
        const auto hit = view.arcAt(path.pointAtPercent(0.5));
        ASSERT_TRUE(hit.has_value()) << a.key;
        EXPECT_EQ(arc(*hit).from, a.from) << a.key;
        const QString tip = view.toolTipAt(path.pointAtPercent(0.5));
        EXPECT_TRUE(tip.contains(toQString(a.label()).toHtmlEscaped()))
            << a.key << ": " << tip.toStdString();
    }
    // Hidden extras vanish from the picture but the figure's arcs stay.
    view.setShowExtraArcs(false);
    for (const Arc& a : arcCatalog()) {
        if (a.inFigure) {
            EXPECT_FALSE(view.arcPath(a.id).isEmpty()) << a.key;
        }
    }
    EXPECT_TRUE(view.arcPath(ArcId::RstEstablished).isEmpty());
}

TEST_F(StateGraphViewTest, NodesAreWhereTheRfcPutsThem) {
    const auto c = [this](State s) { return view.nodeRect(s).center(); };
    EXPECT_LT(c(State::Closed).y(), c(State::Listen).y());
    EXPECT_LT(c(State::Listen).y(), c(State::SynSent).y());
    EXPECT_LT(c(State::SynSent).y(), c(State::Established).y());
    EXPECT_LT(c(State::Established).y(), c(State::FinWait1).y());
    EXPECT_LT(c(State::Closing).y(), c(State::TimeWait).y());
    EXPECT_LT(c(State::FinWait1).x(), c(State::Established).x());
    EXPECT_GT(c(State::CloseWait).x(), c(State::Established).x());
    EXPECT_LT(c(State::SynReceived).x(), c(State::SynSent).x());
    // No two nodes overlap, at a projector's size and at a small pane's.
    for (QSize size : {QSize(900, 720), QSize(420, 360), QSize(1800, 1400)}) {
        view.resize(size);
        (void)view.grab();
        for (State a : kAllStates) {
            EXPECT_TRUE(QRectF(view.rect()).contains(view.nodeRect(a))) << stateName(a);
            for (State b : kAllStates) {
                if (a != b) {
                    EXPECT_FALSE(view.nodeRect(a).intersects(view.nodeRect(b)))
                        << stateName(a) << " overlaps " << stateName(b) << " at " << size.width();
                }
            }
        }
    }
}

TEST_F(StateGraphViewTest, TheArcJustTakenIsAnimatedThenSettles) {
    view.setAnimationsEnabled(true);
    std::size_t p = 0;
    while (p < trace.size() && trace.event(p).kind != EventKind::Transition) {
        ++p;
    }
    ASSERT_LT(p, trace.size());
    view.setPosition(p);
    view.setPosition(p + 1); // this step makes the transition
    EXPECT_LT(view.arcProgress(), 1.0);
    QTest::qWait(100);
    const double midway = view.arcProgress();
    EXPECT_GT(midway, 0.0);
    QTest::qWait(900);
    EXPECT_DOUBLE_EQ(view.arcProgress(), 1.0);
    // Stepping back is a seek, not a transition: no animation.
    view.setPosition(p);
    EXPECT_DOUBLE_EQ(view.arcProgress(), 1.0);
}

TEST_F(StateGraphViewTest, HeatMapShowsHowManyConnectionsAreInEachState) {
    std::array<std::size_t, kStateCount> counts{};
    counts.at(index(State::TimeWait)) = 1000;
    counts.at(index(State::Established)) = 40;
    view.setStateCounts(counts);
    EXPECT_TRUE(view.heatMap());
    EXPECT_FALSE(view.highlightedState(Side::Client).has_value());
    const QImage image = view.grab().toImage();
    keepScreenshot(image, QStringLiteral("graph_heatmap"));
    const auto lightness = [&](State s) {
        const QRect r = imageRect(view.nodeRect(s).adjusted(3, 3, -3, -3), image);
        double sum = 0;
        int n = 0;
        for (int y = r.top(); y <= r.bottom(); y += 2) {
            for (int x = r.left(); x <= r.right(); x += 2) {
                sum += image.pixelColor(x, y).lightness();
                ++n;
            }
        }
        return sum / n;
    };
    EXPECT_LT(lightness(State::TimeWait), lightness(State::Established));
    EXPECT_LT(lightness(State::Established), lightness(State::Listen));
    EXPECT_TRUE(
        view.toolTipAt(view.nodeRect(State::TimeWait).center()).contains(QStringLiteral("1000")));
    view.clearStateCounts();
    EXPECT_TRUE(view.highlightedState(Side::Client).has_value());
}

TEST_F(StateGraphViewTest, CountsWithTheTraceKeepTheEndpointsAndTheNumbers) {
    // One connection of a simulated crowd: the heat map's numbers, and its two
    // ends ringed in their colours on their nodes.
    view.setPosition(trace.size() / 2);
    const State client = trace.stateAt(Side::Client, trace.size() / 2);
    std::array<std::size_t, kStateCount> counts{};
    counts.at(index(State::SynReceived)) = 9;
    counts.at(index(client)) += 1;
    view.setStateCounts(counts);
    EXPECT_FALSE(view.highlightedState(Side::Client).has_value()) << "counts alone, as before";
    view.setCountsWithTrace(true);
    EXPECT_TRUE(view.heatMap());
    EXPECT_EQ(view.highlightedState(Side::Client), client);
    const QImage image = view.grab().toImage();
    keepScreenshot(image, QStringLiteral("graph_counts_with_trace"));
    bool nine = false;
    for (const DrawnCount& d : view.renderer().lastCounts()) {
        nine = nine || (d.state == State::SynReceived && d.count == 9);
    }
    EXPECT_TRUE(nine) << "the numbers are still written";
    // The client's node carries its colour (the ring) somewhere on its border.
    const QColor ring = viewColors(view.settings()).client;
    const QRect r = imageRect(view.litNodeRect(Side::Client), image);
    int ringed = 0;
    for (int x = r.left(); x <= r.right(); ++x) {
        for (const int y :
             {r.top(), r.top() + 1, r.top() + 2, r.bottom() - 2, r.bottom() - 1, r.bottom()}) {
            const QColor c = image.pixelColor(x, y);
            ringed += std::abs(c.red() - ring.red()) + std::abs(c.green() - ring.green()) +
                                  std::abs(c.blue() - ring.blue()) <
                              60
                          ? 1
                          : 0;
        }
    }
    EXPECT_GT(ringed, r.width() / 2);
    view.setCountsWithTrace(false);
    view.clearStateCounts();
}

TEST_F(StateGraphViewTest, StateNameStyleChangesTheNames) {
    ViewSettings s;
    s.stateNames = StateNameStyle::Linux;
    view.setSettings(s);
    const QString tip = view.toolTipAt(view.nodeRect(State::Established).center());
    EXPECT_TRUE(tip.contains(toQString(stateName(State::Established, StateNameStyle::Linux))))
        << tip.toStdString();
    s.dark = true;
    s.presentation = true;
    view.setSettings(s);
    view.setPosition(trace.size() / 3);
    const QImage image = view.grab().toImage();
    keepScreenshot(image, QStringLiteral("graph_dark_presentation"));
    EXPECT_LT(image.pixelColor(2, 2).lightness(), 60);
}

// CLOSED is drawn twice (as in the RFC figure); in the heat map its number is
// written on one copy only, so the numbers on the figure add up to the endpoints
// counted. Read back from an SVG, as text a person (or a search) finds.
TEST_F(StateGraphViewTest, TheHeatMapWritesEachEndpointOnce) {
    // 500 connections: 250 over (both ends CLOSED), 150 in TIME-WAIT/CLOSED, 100 open.
    std::array<std::size_t, kStateCount> counts{};
    counts.at(index(State::Closed)) = 500 + 150;
    counts.at(index(State::TimeWait)) = 150;
    counts.at(index(State::Established)) = 200;
    std::size_t endpoints = 0;
    for (std::size_t c : counts) {
        endpoints += c;
    }
    ASSERT_EQ(endpoints, 1000U);

    StateGraphRenderer renderer;
    renderer.setStateCounts(counts);
    QBuffer buffer;
    buffer.open(QIODevice::WriteOnly);
    QSvgGenerator svg;
    svg.setOutputDevice(&buffer);
    svg.setSize(QSize(900, 720));
    svg.setViewBox(QRectF(0, 0, 900, 720));
    {
        QPainter p(&svg);
        renderer.paint(p, QRectF(0, 0, 900, 720));
    }
    std::size_t drawnSum = 0;
    int closedNumbers = 0;
    for (const DrawnCount& c : renderer.lastCounts()) {
        drawnSum += c.count;
        closedNumbers += c.state == State::Closed ? 1 : 0;
    }
    EXPECT_EQ(drawnSum, endpoints);
    EXPECT_EQ(closedNumbers, 1);
    EXPECT_EQ(renderer.lastCounts().size(), kStateCount) << "every state's number, once";

    // The same from the picture itself: every number written in the SVG.
    QXmlStreamReader xml(buffer.data());
    std::size_t svgSum = 0;
    QStringList numbers;
    while (!xml.atEnd()) {
        xml.readNext();
        if (xml.isStartElement() && xml.name() == QLatin1String("text")) {
            const QString t = xml.readElementText(QXmlStreamReader::IncludeChildElements).trimmed();
            bool ok = false;
            const qulonglong n = t.toULongLong(&ok);
            if (ok) {
                svgSum += n;
                numbers << t;
            }
        }
    }
    EXPECT_FALSE(xml.hasError());
    EXPECT_EQ(svgSum, endpoints) << numbers.join(QLatin1Char(' ')).toStdString();

    // On screen: the bottom CLOSED carries the number and the heat; the top one is plain.
    view.setStateCounts(counts);
    const QImage image = view.grab().toImage();
    keepScreenshot(image, QStringLiteral("graph_heatmap_closed_once"));
    std::size_t widgetSum = 0;
    for (const DrawnCount& c : view.renderer().lastCounts()) {
        widgetSum += c.count;
        if (c.state == State::Closed) {
            EXPECT_TRUE(c.lowerCopy);
            EXPECT_TRUE(view.lowerClosedRect().intersects(c.rect));
        }
    }
    EXPECT_EQ(widgetSum, endpoints);
    const QColor plain = stateTint(State::Closed, ViewSettings{});
    const QRect top = imageRect(view.nodeRect(State::Closed).adjusted(4, 4, -4, -4), image);
    const QRect bottom = imageRect(view.lowerClosedRect().adjusted(4, 4, -4, -4), image);
    EXPECT_GT(coverage(image, top, plain, 12.0), 0.5) << "the top CLOSED is not heat-coloured";
    EXPECT_LT(coverage(image, bottom, plain, 12.0), 0.2) << "the bottom CLOSED carries the heat";
}

// The renderer paints without any widget, exactly what the widget shows.
TEST_F(StateGraphViewTest, TheRendererDrawsWhatTheWidgetShowsWithoutAWidget) {
    for (std::size_t position : {std::size_t{0}, std::size_t{12}, trace.size()}) {
        view.setPosition(position);
        QImage fromView(900, 720, QImage::Format_ARGB32_Premultiplied);
        fromView.fill(Qt::white);
        {
            QPainter p(&fromView);
            view.paintGraph(p, QRectF(0, 0, 900, 720));
        }
        StateGraphRenderer renderer;
        renderer.setTrace(&trace);
        (void)renderer.setPosition(position);
        QImage alone(900, 720, QImage::Format_ARGB32_Premultiplied);
        alone.fill(Qt::white);
        {
            QPainter p(&alone);
            renderer.paint(p, QRectF(0, 0, 900, 720));
        }
        // The same picture; glyph outlines may round a pixel differently (the
        // text of a node lit by both ends is drawn as a path).
        int differ = 0;
        for (int y = 0; y < fromView.height(); ++y) {
            for (int x = 0; x < fromView.width(); ++x) {
                differ += fromView.pixel(x, y) != alone.pixel(x, y) ? 1 : 0;
            }
        }
        EXPECT_LT(differ, 900 * 720 / 1000) << "position " << position;
        EXPECT_EQ(renderer.highlightedState(Side::Client), view.highlightedState(Side::Client));
        EXPECT_EQ(renderer.highlightedArc(Side::Server), view.highlightedArc(Side::Server));
    }
}

} // namespace
} // namespace tcpviz
