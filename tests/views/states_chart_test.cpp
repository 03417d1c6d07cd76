// The states-over-time chart's layout (one sample per pixel column, stacked in
// RFC order, hit-testing) and what its renderer paints there.
#include "capture/analyzer.h"
#include "capture/state_timeline.h"
#include "capture/synth.h"
#include "image_probe.h"
#include "states_chart_renderer.h"
#include "view_style.h"

#include <QDir>
#include <QFontMetricsF>
#include <QImage>
#include <QPainter>
#include <QTemporaryDir>
#include <gtest/gtest.h>

namespace tcpviz {
namespace {

/// The analysis of a synth capture made with `o`.
AnalysisResult analysedSynth(const SynthOptions& o) {
    QTemporaryDir dir;
    const std::string path = QDir(dir.path()).filePath(QStringLiteral("c.pcap")).toStdString();
    EXPECT_TRUE(writeSynthCapture(o, path).has_value());
    auto r = analyzeCapture(path, {});
    EXPECT_TRUE(r.has_value());
    return r ? std::move(*r) : AnalysisResult{};
}

/// 200 connections, both closing orders: TIME-WAIT, CLOSE-WAIT and LAST-ACK on both sides.
const AnalysisResult& capture() {
    static const AnalysisResult result = [] {
        SynthOptions o;
        o.connections = 200;
        o.close = SynthClose::Mixed;
        o.connectionIntervalNs = 200'000;
        return analysedSynth(o);
    }();
    return result;
}

std::uint32_t open(const StateTimeline::Counts& c) {
    std::uint32_t n = 0;
    for (const State s : StatesChartLayout::kStacked) {
        n += c.at(static_cast<std::size_t>(s));
    }
    return n;
}

TEST(StatesChartLayout, SamplesEveryColumnAndStacksTheOpenStates) {
    const StateTimeline t(capture().connections);
    ASSERT_GT(t.size(), 1000U);
    for (const auto sides : {StatesChartSides::Apart, StatesChartSides::Together}) {
        const StatesChartLayout l(t, t.startNs(), t.endNs(), QSizeF(800, 400), sides, {});
        ASSERT_GT(l.columns(), 700);
        EXPECT_EQ(l.columnTimeNs(0), t.startNs());
        EXPECT_EQ(l.columnTimeNs(l.columns() - 1), t.endNs());
        for (int c = 0; c < l.columns(); c += 37) {
            const auto counts = t.sideCountsAt(l.columnTimeNs(c));
            for (int h = 0; h < l.halves(); ++h) {
                const std::uint32_t expected = sides == StatesChartSides::Apart
                                                   ? open(counts.at(static_cast<std::size_t>(h)))
                                                   : open(counts[0]) + open(counts[1]);
                EXPECT_EQ(l.stackTop(h, c, StatesChartLayout::kStacked.size() - 1), expected);
                EXPECT_LE(expected, l.scaleMax(h));
                // Each band is its state's count.
                for (std::size_t k = 0; k < StatesChartLayout::kStacked.size(); ++k) {
                    const auto s = static_cast<std::size_t>(StatesChartLayout::kStacked.at(k));
                    const auto want = sides == StatesChartSides::Apart
                                          ? counts.at(static_cast<std::size_t>(h)).at(s)
                                          : counts[0].at(s) + counts[1].at(s);
                    EXPECT_EQ(l.count(h, c, k), want);
                }
            }
        }
        const auto ticks = l.ticks(0);
        ASSERT_GE(ticks.size(), 2U);
        EXPECT_EQ(ticks.front(), 0U);
        EXPECT_EQ(ticks.back(), l.scaleMax(0));
        // Time and x map onto each other within one column.
        const std::int64_t perColumn = (t.endNs() - t.startNs()) / (l.columns() - 1) + 1;
        for (const double f : {0.0, 0.3, 0.77, 1.0}) {
            const auto time = t.startNs() + static_cast<std::int64_t>(
                                                f * static_cast<double>(t.endNs() - t.startNs()));
            EXPECT_NEAR(static_cast<double>(l.timeAtX(l.xOfTime(time))), static_cast<double>(time),
                        static_cast<double>(perColumn));
        }
    }
}

TEST(StatesChartLayout, ABandIsFoundWhereItIsPaintedInItsStatesColour) {
    const StateTimeline t(capture().connections);
    const ViewSettings settings;
    const QSizeF size(900, 500);
    const StatesChartLayout l = StatesChartRenderer::layout(t, t.startNs(), t.endNs(), size,
                                                            StatesChartSides::Apart, settings);
    QImage image(size.toSize(), QImage::Format_ARGB32_Premultiplied);
    {
        QPainter p(&image);
        StatesChartRenderer::paint(p, l, StatesChartDecor{settings, {}, {}, t.startNs(), {}});
    }
    int checked = 0;
    for (int h = 0; h < 2; ++h) {
        for (int c = 5; c < l.columns() - 5; c += 11) {
            for (std::size_t k = 0; k < StatesChartLayout::kStacked.size(); ++k) {
                const double top = l.yOf(h, l.stackTop(h, c, k));
                const double bottom = l.yOf(h, l.stackTop(h, c, k) - l.count(h, c, k));
                // Neighbouring columns the same height, so the polygon's edge is not here.
                if (bottom - top < 8 || l.count(h, c - 1, k) != l.count(h, c, k) ||
                    l.count(h, c + 1, k) != l.count(h, c, k) ||
                    l.stackTop(h, c - 1, k) != l.stackTop(h, c, k) ||
                    l.stackTop(h, c + 1, k) != l.stackTop(h, c, k)) {
                    continue;
                }
                const QPointF centre(l.columnX(c), (top + bottom) / 2);
                const auto band = l.bandAt(centre);
                ASSERT_TRUE(band.has_value());
                EXPECT_EQ(band->state, StatesChartLayout::kStacked.at(k));
                EXPECT_EQ(band->side, h == 0 ? Side::Client : Side::Server);
                EXPECT_EQ(band->timeNs, l.columnTimeNs(c));
                const QColor fill = stateFill(band->state, settings);
                if (top < l.plotRect(h).top() + 30) {
                    continue; // under the half's title plate
                }
                // Most of the band's pixels in that column are its colour (its
                // name may be written across the rest).
                int same = 0;
                int all = 0;
                for (int y = static_cast<int>(top) + 2; y <= static_cast<int>(bottom) - 2; ++y) {
                    same += image.pixelColor(centre.toPoint().x(), y).rgb() == fill.rgb() ? 1 : 0;
                    ++all;
                }
                EXPECT_GT(same, all / 2) << stateName(band->state) << " column " << c;
                ++checked;
            }
        }
    }
    EXPECT_GT(checked, 10);
    viewtest::keepScreenshot(image, QStringLiteral("states_chart_light"));
    // Above the stack and outside the plots: no band.
    EXPECT_FALSE(l.bandAt(QPointF(l.columnX(0), l.plotRect(0).top() - 3)).has_value());
    EXPECT_FALSE(l.bandAt(QPointF(size.width() - 2, size.height() / 2)).has_value());
}

/// Whether v is 1, 2 or 5 times a power of ten.
bool oneTwoFive(std::uint32_t v) {
    while (v >= 10 && v % 10 == 0) {
        v /= 10;
    }
    return v == 1 || v == 2 || v == 5;
}

// The scale's numbers never touch: the gridline step is a 1-2-5 value chosen
// from the plot's height and the font, at every height the window gives the
// chart (the crowd chart under the ladder is a few lines high), with the
// presentation font too; and no coarser than it needs to be.
TEST(StatesChartLayout, ScaleLabelsStandALineApartAtEveryHeight) {
    const StateTimeline t(capture().connections);
    ViewSettings presenting;
    presenting.presentation = true;
    int checked = 0;
    for (const ViewSettings& settings : {ViewSettings{}, presenting}) {
        const QFontMetricsF fm(viewFont(settings, 1.0));
        for (const double height : {70.0, 90.0, 120.0, 160.0, 240.0, 400.0, 700.0}) {
            for (const auto sides : {StatesChartSides::Apart, StatesChartSides::Together}) {
                const StatesChartLayout l = StatesChartRenderer::layout(
                    t, t.startNs(), t.endNs(), QSizeF(900, height), sides, settings);
                for (int h = 0; h < l.halves(); ++h) {
                    const auto ticks = l.ticks(h);
                    const std::uint32_t step = l.tickStep(h);
                    ASSERT_GE(ticks.size(), 2U) << height;
                    EXPECT_EQ(ticks.front(), 0U);
                    EXPECT_EQ(ticks.back(), l.scaleMax(h));
                    EXPECT_TRUE(oneTwoFive(step)) << step;
                    std::uint32_t largest = 0;
                    for (int c = 0; c < l.columns(); ++c) {
                        largest = std::max(
                            largest, l.stackTop(h, c, StatesChartLayout::kStacked.size() - 1));
                    }
                    EXPECT_GE(l.scaleMax(h), largest);
                    EXPECT_LT(l.scaleMax(h), std::max(largest, 1U) + step);
                    const double apart = l.yOf(h, 0) - l.yOf(h, step);
                    if (ticks.size() > 2) {
                        EXPECT_GE(apart, fm.height())
                            << "height " << height << " half " << h << " step " << step;
                        ++checked;
                    }
                    // The next smaller 1-2-5 step would crowd the labels.
                    const std::uint32_t smaller = step % 5 == 0 ? step / 5 * 2 : step / 2;
                    if (smaller >= 1 && oneTwoFive(smaller)) {
                        const auto finer = StatesChartLayout::scaleFor(
                            largest, l.plotRect(h).height(), fm.height() * 1.25);
                        EXPECT_EQ(finer[0], step);
                        const std::uint64_t intervals = (largest + smaller - 1) / smaller;
                        EXPECT_LT(l.plotRect(h).height() / static_cast<double>(intervals),
                                  fm.height() * 1.25)
                            << "step " << step << " could have been " << smaller;
                    }
                }
            }
        }
    }
    EXPECT_GT(checked, 10);
}

TEST(StatesChartLayout, ScaleForWalksOneTwoFive) {
    // 10 endpoints, 15 px labels: 29 px fit one step of 10, 74 px two of 5,
    // 149 px five of 2, 150 px ten of 1.
    EXPECT_EQ(StatesChartLayout::scaleFor(10, 29, 15), (std::array<std::uint32_t, 2>{10, 10}));
    EXPECT_EQ(StatesChartLayout::scaleFor(10, 74, 15), (std::array<std::uint32_t, 2>{5, 10}));
    EXPECT_EQ(StatesChartLayout::scaleFor(10, 149, 15), (std::array<std::uint32_t, 2>{2, 10}));
    EXPECT_EQ(StatesChartLayout::scaleFor(10, 150, 15), (std::array<std::uint32_t, 2>{1, 10}));
    EXPECT_EQ(StatesChartLayout::scaleFor(0, 200, 15), (std::array<std::uint32_t, 2>{1, 1}));
    EXPECT_EQ(StatesChartLayout::scaleFor(7, 30, 15), (std::array<std::uint32_t, 2>{5, 10}));
    EXPECT_EQ(StatesChartLayout::scaleFor(1234, 100, 20),
              (std::array<std::uint32_t, 2>{500, 1500}));
}

// Dark and presentation settings: the same bands in their own colours, and the
// labels grow with the presentation font (wider margins).
TEST(StatesChartLayout, DarkAndPresentationPaintTheirOwnColoursAndLargerLabels) {
    const StateTimeline t(capture().connections);
    ViewSettings dark;
    dark.dark = true;
    ViewSettings presenting;
    presenting.presentation = true;
    const QSizeF size(1280, 720);
    EXPECT_GT(StatesChartRenderer::margins(presenting).left,
              StatesChartRenderer::margins(ViewSettings{}).left);
    const StatesChartLayout l =
        StatesChartRenderer::layout(t, t.startNs(), t.endNs(), size, StatesChartSides::Apart, dark);
    QImage image(size.toSize(), QImage::Format_ARGB32_Premultiplied);
    {
        QPainter p(&image);
        StatesChartRenderer::paint(p, l,
                                   StatesChartDecor{dark,
                                                    t.startNs() + (t.endNs() - t.startNs()) / 3,
                                                    State::TimeWait,
                                                    t.startNs(),
                                                    {}});
    }
    EXPECT_EQ(image.pixelColor(2, 2).rgb(), viewColors(dark).background.rgb());
    EXPECT_NE(stateFill(State::TimeWait, dark).rgb(),
              stateFill(State::TimeWait, ViewSettings{}).rgb());
    viewtest::keepScreenshot(image, QStringLiteral("states_chart_dark"));
}

// The legend names every state that occurs, inside the chart, beside the plots
// and above the room kept for the widget's button: a second column when one does
// not fit (the crowd chart under the ladder at 1280x720 is about 120 pixels high
// and a SYN flood shows seven states). Shorter still, the plots keep at least
// half the width.
TEST(StatesChartRenderer, LegendFitsBesideThePlotsAboveTheButton) {
    // Slow connections overlapping: every state of a handshake and of both closes
    // is open somewhere for many pixel columns.
    SynthOptions o;
    o.connections = 100;
    o.close = SynthClose::Mixed;
    o.connectionIntervalNs = 5'000'000;
    o.packetIntervalNs = 50'000'000;
    const AnalysisResult slow = analysedSynth(o);
    const StateTimeline t(slow.connections);
    ViewSettings presenting;
    presenting.presentation = true;
    int twoColumns = 0;
    for (const ViewSettings& settings : {ViewSettings{}, presenting}) {
        const double lh = QFontMetricsF(viewFont(settings, 1.0)).height();
        for (const double height : {60.0, 90.0, 120.0, 160.0, 240.0, 400.0}) {
            for (const double foot : {0.0, lh * 1.6}) {
                const QSizeF size(900, height);
                const StatesChartLayout l = StatesChartRenderer::layout(
                    t, t.startNs(), t.endNs(), size, StatesChartSides::Apart, settings, foot);
                EXPECT_GE(l.plotRect(0).width(), size.width() / 2 - 60) << height;
                if (height < lh * 8) {
                    continue; // shorter than the chart is ever shown with this font
                }
                const auto entries = StatesChartRenderer::legendEntries(l, settings, foot);
                std::size_t present = 0;
                for (std::size_t k = 0; k < StatesChartLayout::kStacked.size(); ++k) {
                    present += l.present(k) ? 1 : 0;
                }
                ASSERT_GE(present, 7U);
                ASSERT_EQ(entries.size(), present);
                const QRectF room(l.plotRect(1).right(), 0, size.width() - l.plotRect(1).right(),
                                  height - foot);
                for (std::size_t i = 0; i < entries.size(); ++i) {
                    EXPECT_TRUE(room.contains(entries[i]))
                        << "height " << height << " foot " << foot << " entry " << i;
                    for (std::size_t j = 0; j < i; ++j) {
                        EXPECT_FALSE(entries[i].intersects(entries[j])) << i << " " << j;
                    }
                }
                if (entries.back().left() > entries.front().left()) {
                    ++twoColumns;
                    // Only as many columns as needed: the first one is full.
                    const double rows = std::floor((height - lh * 0.15 - foot) / (lh * 1.15));
                    EXPECT_GE(static_cast<double>(present), rows + 1) << height;
                }
            }
        }
    }
    EXPECT_GT(twoColumns, 0) << "no height tried needs a second column";
}

} // namespace
} // namespace tcpviz
