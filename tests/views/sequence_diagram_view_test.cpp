#include "image_probe.h"
#include "scenario/library.h"
#include "sequence_diagram_renderer.h"
#include "sequence_diagram_view.h"
#include "sim/simulator.h"
#include "test_traces.h"

#include <QPainter>
#include <QSignalSpy>
#include <QTest>
#include <gtest/gtest.h>

namespace tcpviz {
namespace {

using viewtest::coverage;
using viewtest::isReddish;
using viewtest::keepScreenshot;

std::size_t indexOfDrop(const Trace& t) {
    for (const auto& e : t.events()) {
        if (e.kind == EventKind::Drop) {
            return e.index;
        }
    }
    return t.size();
}

std::size_t sendOfSegment(const Trace& t, std::uint32_t segmentId) {
    for (const auto& e : t.events()) {
        if (e.kind == EventKind::Send && e.segmentId == segmentId) {
            return e.index;
        }
    }
    return t.size();
}

class SequenceDiagramViewTest : public ::testing::Test {
protected:
    void SetUp() override {
        view.resize(1000, 760);
        view.setFitToWindow(true);
        view.setTrace(&trace);
    }
    Trace trace = viewtest::lossyLecture();
    SequenceDiagramView view;
};

TEST_F(SequenceDiagramViewTest, DrawsOneArrowPerSegmentSentUpToTheStep) {
    for (std::size_t p = 0; p <= trace.size(); ++p) {
        view.setPosition(p);
        const QImage image = view.grab().toImage();
        ASSERT_FALSE(image.isNull());
        EXPECT_EQ(view.visibleArrowCount(), trace.segmentsSentBefore(p)) << "position " << p;
        for (const DrawnArrow& a : view.drawnArrows()) {
            EXPECT_LT(a.sendIndex, p) << "an arrow from the future is drawn at position " << p;
            EXPECT_EQ(trace.event(a.sendIndex).kind, EventKind::Send);
        }
    }
    view.setPosition(trace.size());
    keepScreenshot(view.grab().toImage(), QStringLiteral("sequence_end_fit"));
    view.setFitToWindow(false);
    view.setZoom(1.0);
    for (std::size_t p : {std::size_t{20}, trace.size()}) {
        view.setPosition(p);
        keepScreenshot(view.grab().toImage(), QStringLiteral("sequence_natural_%1").arg(p));
    }
}

TEST_F(SequenceDiagramViewTest, ShowsTheFutureFadedOnlyWhenAsked) {
    const std::size_t p = trace.size() / 2;
    view.setPosition(p);
    view.setShowFuture(true);
    (void)view.grab();
    EXPECT_EQ(view.visibleArrowCount(), trace.segmentsSentBefore(trace.size()));
    std::size_t futureCount = 0;
    for (const DrawnArrow& a : view.drawnArrows()) {
        EXPECT_EQ(a.future, a.sendIndex >= p);
        futureCount += a.future ? 1 : 0;
    }
    EXPECT_EQ(futureCount, trace.segmentsSentBefore(trace.size()) - trace.segmentsSentBefore(p));
    keepScreenshot(view.grab().toImage(), QStringLiteral("sequence_future"));
}

TEST_F(SequenceDiagramViewTest, LostSegmentEndsInARedCrossOnlyOnceLost) {
    const std::size_t drop = indexOfDrop(trace);
    ASSERT_LT(drop, trace.size());
    const std::size_t send = sendOfSegment(trace, trace.event(drop).segmentId);

    // Before the Drop event the segment is simply in flight.
    view.setPosition(drop);
    (void)view.grab();
    bool found = false;
    for (const DrawnArrow& a : view.drawnArrows()) {
        if (a.sendIndex == send) {
            found = true;
            EXPECT_FALSE(a.lost);
        }
    }
    EXPECT_TRUE(found);

    view.setPosition(drop + 1);
    const QImage image = view.grab().toImage();
    keepScreenshot(image, QStringLiteral("sequence_lost"));
    const DrawnArrow* lost = nullptr;
    for (const DrawnArrow& a : view.drawnArrows()) {
        if (a.sendIndex == send) {
            lost = &a;
        }
        if (a.lost) {
            EXPECT_EQ(a.sendIndex, send) << "only the dropped segment is drawn as lost";
        }
    }
    ASSERT_NE(lost, nullptr);
    EXPECT_TRUE(lost->lost);
    // The cross lies between the lifelines, not on the receiver's.
    const double xc = view.renderer().lifelineX(Side::Client);
    const double xs = view.renderer().lifelineX(Side::Server);
    EXPECT_GT(lost->cross.x(), xc + (xs - xc) * 0.1);
    EXPECT_LT(lost->cross.x(), xs - (xs - xc) * 0.1);
    // And what a person sees there is red.
    const QPoint c = lost->cross.toPoint();
    const double dpr = image.devicePixelRatio();
    int red = 0;
    for (int dy = -8; dy <= 8; ++dy) {
        for (int dx = -8; dx <= 8; ++dx) {
            const QPoint px((c.x() + dx) * dpr, (c.y() + dy) * dpr);
            if (image.rect().contains(px) && isReddish(image.pixelColor(px))) {
                ++red;
            }
        }
    }
    EXPECT_GE(red, 12) << "no red cross at the point of loss";
    // No red anywhere near the receiver's lifeline at that height.
    int redAtReceiver = 0;
    for (int dy = -8; dy <= 8; ++dy) {
        for (int dx = -4; dx <= 4; ++dx) {
            const QPoint px((static_cast<int>(xs) + dx) * dpr, (c.y() + dy) * dpr);
            if (image.rect().contains(px) && isReddish(image.pixelColor(px))) {
                ++redAtReceiver;
            }
        }
    }
    EXPECT_EQ(redAtReceiver, 0);
}

TEST_F(SequenceDiagramViewTest, SegmentInFlightAdvancesWithThePlayhead) {
    // Position 5: the SYN has been sent (event 4) and not yet received (event 5).
    std::size_t send = trace.size();
    for (const auto& e : trace.events()) {
        if (e.kind == EventKind::Send) {
            send = e.index;
            break;
        }
    }
    ASSERT_LT(send + 1, trace.size());
    ASSERT_EQ(trace.event(send + 1).kind, EventKind::Arrive);
    double previous = -1.0;
    for (double f : {0.0, 0.25, 0.5, 0.75}) {
        view.setPlayhead(send + 1, f);
        (void)view.grab();
        ASSERT_EQ(view.visibleArrowCount(), 1U);
        const DrawnArrow& a = view.drawnArrows().front();
        EXPECT_TRUE(a.inFlight);
        EXPECT_GT(a.line.length(), previous) << "fraction " << f;
        previous = a.line.length();
    }
    view.setPosition(send + 2);
    (void)view.grab();
    EXPECT_FALSE(view.drawnArrows().front().inFlight);
    EXPECT_GT(view.drawnArrows().front().line.length(), previous);
}

TEST_F(SequenceDiagramViewTest, ClickingAnArrowReportsItsSendEvent) {
    view.setPosition(trace.size());
    view.show();
    (void)view.grab();
    QSignalSpy spy(&view, &SequenceDiagramView::segmentClicked);
    ASSERT_GE(view.drawnArrows().size(), 3U);
    const DrawnArrow target = view.drawnArrows().at(2);
    QTest::mouseClick(view.viewport(), Qt::LeftButton, {}, target.line.pointAt(0.5).toPoint());
    ASSERT_EQ(spy.count(), 1);
    EXPECT_EQ(spy.at(0).at(0).value<std::size_t>(), target.sendIndex);
    EXPECT_EQ(view.selectedSegment(), target.sendIndex);
    // A click on empty space reports nothing.
    QTest::mouseClick(view.viewport(), Qt::LeftButton, {},
                      QPoint(3, view.viewport()->height() - 3));
    EXPECT_EQ(spy.count(), 1);
}

TEST_F(SequenceDiagramViewTest, DarkPaletteHasADarkBackgroundAndLegibleText) {
    ViewSettings s;
    s.dark = true;
    view.setSettings(s);
    view.setPosition(trace.size());
    const QImage dark = view.grab().toImage();
    keepScreenshot(dark, QStringLiteral("sequence_dark"));
    const QColor bg = dark.pixelColor(dark.width() / 2, dark.height() - 2);
    EXPECT_LT(bg.lightness(), 60);
    // Light text exists on it (labels, state names).
    EXPECT_GT(coverage(dark, dark.rect(), QColor(0xe6, 0xe6, 0xe6), 60.0), 0.001);
}

TEST_F(SequenceDiagramViewTest, EmptyAndNullTracesDrawWithoutArrows) {
    view.setTrace(nullptr);
    view.setPosition(5);
    EXPECT_FALSE(view.grab().toImage().isNull());
    EXPECT_EQ(view.visibleArrowCount(), 0U);
    const Trace empty;
    view.setTrace(&empty);
    (void)view.grab();
    EXPECT_EQ(view.visibleArrowCount(), 0U);
}

TEST_F(SequenceDiagramViewTest, ScrollingAtNaturalScaleDrawsOnlyWhatIsVisible) {
    const Trace bulk = viewtest::bulkTransfer(2000);
    view.setFitToWindow(false);
    view.setZoom(1.0);
    view.setTrace(&bulk);
    view.setPosition(bulk.size());
    (void)view.grab();
    const std::size_t drawn = view.visibleArrowCount();
    EXPECT_GT(drawn, 0U);
    EXPECT_LT(drawn, 400U) << "off-screen arrows are drawn";
    for (const DrawnArrow& a : view.drawnArrows()) {
        const double top = std::min(a.line.y1(), a.line.y2());
        const double bottom = std::max(a.line.y1(), a.line.y2());
        EXPECT_GT(bottom, 0.0);
        EXPECT_LT(top, view.viewport()->height() + 40.0);
    }
}

} // namespace
} // namespace tcpviz

namespace tcpviz {
namespace {

TEST(SequenceDiagramLooks, PresentationModeEnlargesTextAndHiDpiStaysSharp) {
    const Trace trace = viewtest::lossyLecture();
    SequenceDiagramRenderer normal;
    normal.setTrace(&trace);
    SequenceDiagramRenderer lecture;
    ViewSettings s;
    s.presentation = true;
    lecture.setSettings(s);
    lecture.setTrace(&trace);
    EXPECT_GT(lecture.headerHeight(), normal.headerHeight() * 1.4);

    // A projector (1280x720) in presentation mode, and a 4K screen (device pixel ratio 2).
    SequenceDiagramView view;
    view.resize(1280, 720);
    view.setSettings(s);
    view.setTrace(&trace);
    view.setPosition(trace.size() / 2);
    const QImage projector = view.grab().toImage();
    viewtest::keepScreenshot(projector, QStringLiteral("sequence_presentation_1280"));
    EXPECT_GE(view.visibleArrowCount(), 1U);

    QImage hidpi(QSize(1920, 1080) * 2, QImage::Format_ARGB32_Premultiplied);
    hidpi.setDevicePixelRatio(2.0);
    {
        QPainter p(&hidpi);
        SequenceFrame f;
        f.position = trace.size();
        normal.paint(p, QRectF(0, 0, 1920, 1080), f);
    }
    viewtest::keepScreenshot(hidpi, QStringLiteral("sequence_4k"));
    // Geometry is in logical pixels: the lifelines sit where they would at ratio 1.
    EXPECT_LT(normal.lifelineX(Side::Server), 1920.0);
    EXPECT_GT(normal.lifelineX(Side::Server), 1920.0 * 0.8);
    // The client lifeline is drawn at twice the coordinate in device pixels, two+ pixels wide.
    const int x = static_cast<int>(normal.lifelineX(Side::Client) * 2.0);
    const int y = static_cast<int>((normal.lanesRect().bottom() - 5.0) * 2.0);
    int dark = 0;
    for (int dx = -3; dx <= 3; ++dx) {
        dark += hidpi.pixelColor(x + dx, y).lightness() < 128 ? 1 : 0;
    }
    EXPECT_GE(dark, 2);
    EXPECT_LE(dark, 6);
}

} // namespace
} // namespace tcpviz

namespace tcpviz {
namespace {

TEST(SequenceDiagramLooks, ADuplicateSentAtTheSameMomentIsItsOwnArrow) {
    viewtest::TraceBuilder b;
    const auto original = b.send(0, Side::Client, flag::SYN, 100, 0, 0, 50'000);
    const auto copy = b.send(0, Side::Client, flag::SYN, 100, 0, 0, 400'000);
    b.arrive(50'000, original);
    b.arrive(400'000, copy);
    Trace trace = b.take();
    SequenceDiagramView view;
    view.resize(900, 700);
    view.setFitToWindow(true);
    view.setTrace(&trace);
    view.setPosition(trace.size());
    (void)view.grab();
    ASSERT_EQ(view.visibleArrowCount(), 2U);
    // The two arrows end at different heights: the copy arrives later.
    EXPECT_GT(view.drawnArrows()[1].line.p2().y(), view.drawnArrows()[0].line.p2().y() + 20.0);
}

} // namespace
} // namespace tcpviz

namespace tcpviz {
namespace {

// Every timer bracket's label ("FIN-WAIT-2 timer 10 s", "2MSL 60 s") stays on the
// page: a label wider than the band beside the lifeline wraps, it is never cut by
// the edge of the window or of an exported picture.
TEST(SequenceDiagramLooks, TimerLabelsStayOnThePage) {
    std::size_t labels = 0;
    for (const bool presentation : {false, true}) {
        for (const Scenario& s : builtinScenarios()) {
            const Trace trace = simulate(s);
            SequenceDiagramRenderer r;
            ViewSettings settings;
            settings.presentation = presentation;
            r.setSettings(settings);
            r.setTrace(&trace);
            for (const QSize size : {QSize(1280, 720), QSize(1920, 1080)}) {
                QImage image(size, QImage::Format_ARGB32_Premultiplied);
                QPainter p(&image);
                SequenceFrame f;
                f.position = trace.size();
                f.wholeExchange = true;
                r.paint(p, QRectF(QPointF(0, 0), size), f);
                for (const DrawnText& t : r.lastTimerLabels()) {
                    ++labels;
                    EXPECT_GE(t.rect.left(), -0.5) << s.id << ": " << t.text.toStdString();
                    EXPECT_LE(t.rect.right(), size.width() + 0.5)
                        << s.id << " at " << size.width() << " px"
                        << (presentation ? " (presentation)" : "") << ": " << t.text.toStdString()
                        << " ends at " << t.rect.right();
                }
            }
        }
    }
    EXPECT_GT(labels, 100U);
}

// A timer bracket's label ("FIN-WAIT-2 timer 60 s") never covers the name of a
// state band on its side: where time is compressed, the next state begins right
// under the bracket, and its name is what the reader looks for.
TEST(SequenceDiagramLooks, TimerLabelsLeaveStateNamesReadable) {
    // A linux client closes 4 s after the response and its orphaned FIN-WAIT-2
    // ends 10 ms later: the 60 s timer's bracket and TIME-WAIT's band meet.
    const Result<Scenario> closing =
        parseScenarioText("profile: linux\n"
                          "client: {address: \"10.0.0.1:1000\", isn: 100}\n"
                          "server: {address: \"10.0.0.2:80\", isn: 300}\n"
                          "network: {latency: 5ms}\n"
                          "steps:\n"
                          "  - {at: 0ms, server: listen}\n"
                          "  - {at: 1ms, client: connect}\n"
                          "  - {at: 20ms, client: send, bytes: 39}\n"
                          "  - {at: 30ms, server: send, bytes: 1110}\n"
                          "  - {at: 4s, client: close}\n"
                          "  - {at: 4010ms, server: close}\n",
                          "compressed.yaml");
    ASSERT_TRUE(closing) << closing.error().toString();
    std::vector<Scenario> scenarios = builtinScenarios();
    scenarios.push_back(*closing);
    std::size_t checked = 0;
    for (const Scenario& s : scenarios) {
        const Trace trace = simulate(s);
        for (const bool presentation : {false, true}) {
            SequenceDiagramRenderer r;
            ViewSettings settings;
            settings.presentation = presentation;
            r.setSettings(settings);
            r.setTrace(&trace);
            for (const QSize size : {QSize(640, 360), QSize(1280, 720), QSize(1920, 1080)}) {
                QImage image(size, QImage::Format_ARGB32_Premultiplied);
                QPainter p(&image);
                SequenceFrame f;
                f.position = trace.size();
                f.wholeExchange = true;
                r.paint(p, QRectF(QPointF(0, 0), size), f);
                const auto& timers = r.lastTimerLabels();
                for (std::size_t i = 0; i < timers.size(); ++i) {
                    for (std::size_t j = i + 1; j < timers.size(); ++j) {
                        ++checked;
                        EXPECT_FALSE(timers[i]
                                         .rect.adjusted(0.5, 0.5, -0.5, -0.5)
                                         .intersects(timers[j].rect))
                            << s.id << " at " << size.width() << "x" << size.height()
                            << (presentation ? " (presentation)" : "") << ": timer label \""
                            << timers[j].text.toStdString() << "\" covers timer label \""
                            << timers[i].text.toStdString() << "\"";
                    }
                }
                for (const DrawnText& t : r.lastTimerLabels()) {
                    for (const DrawnText& band : r.lastBandLabels()) {
                        ++checked;
                        EXPECT_FALSE(t.rect.adjusted(0.5, 0.5, -0.5, -0.5).intersects(band.rect))
                            << s.id << " at " << size.width() << "x" << size.height()
                            << (presentation ? " (presentation)" : "") << ": timer label \""
                            << t.text.toStdString() << "\" covers state name \""
                            << band.text.toStdString() << "\"";
                    }
                }
            }
        }
    }
    EXPECT_GT(checked, 100U);
}

} // namespace
} // namespace tcpviz
