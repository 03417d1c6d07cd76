// The two vertical axes of the sequence diagram, as the layout places things:
// the steps axis gives each segment event its own evenly spaced row, keeps the
// real times, and puts the states and timers on the rows of the events that
// caused them; Automatic picks it only where the time axis crowds the labels.
#include "diagram_exporter.h"
#include "scenario/library.h"
#include "sequence_diagram_renderer.h"
#include "sequence_layout.h"
#include "sim/simulator.h"
#include "test_traces.h"
#include "view_style.h"

#include <QElapsedTimer>
#include <QFontMetricsF>
#include <QImage>
#include <QPainter>
#include <algorithm>
#include <cstdio>
#include <gtest/gtest.h>

namespace tcpviz {
namespace {

Trace lesson(const std::string& id) {
    for (const Scenario& s : builtinScenarios()) {
        if (s.id == id) {
            return simulate(s);
        }
    }
    ADD_FAILURE() << "no lesson " << id;
    return {};
}

// The FIN-WAIT-2 timer has no start of its own in the TCB: it runs from when its
// deadline appears until it fires or is stopped (the peer's FIN), one bracket,
// one label. (Its start used to be taken from each event, so it was closed and
// reopened at every event: a bracket per event, labelled again each time,
// "FIN-WAIT-2 timer 0" among them, and none marked as fired.)
TEST(SequenceLayoutTimers, TheFinWait2TimerIsOneBracketFromArmingToFiringOrStopping) {
    for (const std::string id : {"fin-wait-2-timeout", "time-wait-expiry", "lecture"}) {
        const Trace trace = lesson(id);
        const SequenceLayout layout(trace, SequenceAxis::Time);
        std::vector<TimerSpan> finWait2;
        for (const TimerSpan& t : layout.timers()) {
            if (t.kind == TimerKind::FinWait2) {
                finWait2.push_back(t);
            }
        }
        std::size_t fired = 0;
        std::size_t entered = 0;
        for (const TraceEvent& e : trace.events()) {
            fired += e.kind == EventKind::Timer && e.timer == TimerKind::FinWait2 ? 1 : 0;
            entered += e.kind == EventKind::Transition && e.to == State::FinWait2 ? 1 : 0;
        }
        ASSERT_GE(entered, 1U) << id;
        EXPECT_GE(finWait2.size(), fired) << id;
        EXPECT_LE(finWait2.size(), entered) << id << ": at most one bracket per FIN-WAIT-2";
        std::size_t firedSpans = 0;
        for (const TimerSpan& t : finWait2) {
            EXPECT_GT(t.endUs, t.startUs) << id << ": a bracket of no length";
            if (t.fired) {
                ++firedSpans;
                EXPECT_EQ(t.endUs, t.deadlineUs) << id;
            }
        }
        EXPECT_EQ(firedSpans, fired) << id << ": a bracket that fired is marked fired";
    }
}

TEST(SequenceLayoutSteps, EverySegmentEventHasItsOwnEvenlySpacedRow) {
    const Trace trace = lesson("lost-final-ack");
    const SequenceLayout steps(trace, SequenceAxis::Steps);
    ASSERT_EQ(steps.axis(), SequenceAxis::Steps);
    std::size_t segmentEvents = 0;
    for (const TraceEvent& e : trace.events()) {
        segmentEvents +=
            e.kind == EventKind::Send || e.kind == EventKind::Arrive || e.kind == EventKind::Drop
                ? 1
                : 0;
    }
    // LISTEN happens before the first SYN and the 2MSL expiry after the last
    // ACK: one row before, one after.
    ASSERT_EQ(steps.rows().size(), segmentEvents + 2);
    for (std::size_t r = 0; r < steps.rows().size(); ++r) {
        EXPECT_DOUBLE_EQ(steps.rows()[r].axis, static_cast<double>(r));
        if (r > 0) {
            EXPECT_GE(steps.rows()[r].timeUs, steps.rows()[r - 1].timeUs);
            EXPECT_GT(steps.rows()[r].firstEvent, steps.rows()[r - 1].firstEvent);
        }
    }
    EXPECT_EQ(steps.rows().back().timeUs, trace.events().back().timeUs);
    EXPECT_DOUBLE_EQ(steps.axisLength(), static_cast<double>(segmentEvents + 1));
    // Each arrow runs from its send's row to its arrival's (or loss's) row.
    for (const SegmentArrow& a : steps.arrows()) {
        ASSERT_NE(a.endIndex, kNoEvent);
        EXPECT_DOUBLE_EQ(a.sendAxis, steps.axisOfEvent(a.sendIndex));
        EXPECT_DOUBLE_EQ(a.endAxis, steps.axisOfEvent(a.endIndex));
        EXPECT_GT(a.endAxis, a.sendAxis);
        if (a.lost) {
            EXPECT_GT(a.plannedAxis, a.endAxis) << "the cross lies before where it was going";
        }
    }
    // A state starts on the row of the arrival that caused it: TIME-WAIT where
    // the server's FIN reaches the client.
    for (const StateInterval& s : steps.intervals(Side::Client)) {
        if (s.state == State::TimeWait) {
            const TraceEvent& cause = trace.event(s.startPosition - 2);
            EXPECT_EQ(cause.kind, EventKind::Arrive);
            EXPECT_DOUBLE_EQ(s.startAxis, steps.axisOfEvent(cause.index));
        }
    }
    // The client's final CLOSED (2MSL later) sits on the last row.
    EXPECT_DOUBLE_EQ(steps.intervals(Side::Client).back().startAxis, steps.axisLength());
    // The 2MSL wait is a long gap between the last two rows, marked.
    ASSERT_FALSE(steps.gaps().empty());
    EXPECT_DOUBLE_EQ(steps.gaps().back().toAxis, steps.axisLength());
}

TEST(SequenceLayoutSteps, ACapturedPacketTakesOneRow) {
    // As a capture gives them: each packet sent and seen at one moment, never arriving.
    viewtest::TraceBuilder b;
    b.send(0, Side::Client, flag::SYN, 100, 0, 0, 0);
    b.send(40, Side::Server, flag::SYN | flag::ACK, 300, 101, 0, 40);
    b.send(40, Side::Client, flag::ACK, 101, 301, 0, 40); // same microsecond
    b.send(90, Side::Client, flag::PSH | flag::ACK, 101, 301, 10, 90);
    const Trace trace = b.take();
    const SequenceLayout steps(trace, SequenceAxis::Steps);
    ASSERT_EQ(steps.rows().size(), 4U);
    for (std::size_t i = 0; i < steps.arrows().size(); ++i) {
        const SegmentArrow& a = steps.arrows()[i];
        EXPECT_DOUBLE_EQ(a.sendAxis, static_cast<double>(i)) << "packet " << i;
        EXPECT_DOUBLE_EQ(a.endAxis, a.sendAxis) << "flat, as in Wireshark's flow graph";
    }
    // On the time axis the two packets of one microsecond would share a height.
    const SequenceLayout time(trace, SequenceAxis::Time);
    EXPECT_DOUBLE_EQ(time.arrows()[1].sendAxis, time.arrows()[2].sendAxis);
}

TEST(SequenceLayoutSteps, AutomaticChoosesStepsOnlyWhereTimeCrowdsTheLabels) {
    std::size_t stepsLessons = 0;
    std::size_t timeLessons = 0;
    for (const Scenario& s : builtinScenarios()) {
        const Trace trace = simulate(s);
        const SequenceLayout time(trace, SequenceAxis::Time);
        const SequenceLayout automatic(trace, SequenceAxis::Automatic);
        // The rule, recomputed: two label centres closer than a label line of a
        // fitted screen on the time axis.
        std::vector<double> mids;
        for (const SegmentArrow& a : time.arrows()) {
            mids.push_back(a.lost ? a.sendAxis + (a.endAxis - a.sendAxis) * 0.45
                                  : (a.sendAxis + a.endAxis) / 2.0);
        }
        std::sort(mids.begin(), mids.end());
        bool crowded = false;
        for (std::size_t i = 1; i < mids.size(); ++i) {
            crowded = crowded ||
                      mids[i] - mids[i - 1] < time.axisLength() / SequenceLayout::kFittedLabelLines;
        }
        EXPECT_EQ(automatic.axis(), crowded ? SequenceAxis::Steps : SequenceAxis::Time) << s.id;
        (crowded ? stepsLessons : timeLessons) += 1;
    }
    std::printf("automatic axis: steps for %zu lessons, time for %zu\n", stepsLessons, timeLessons);
    // Both kinds exist among the lessons: the handshake alone reads well on time.
    EXPECT_GT(stepsLessons, 0U);
    EXPECT_GT(timeLessons, 0U);
    EXPECT_EQ(SequenceLayout(lesson("three-way-handshake"), SequenceAxis::Automatic).axis(),
              SequenceAxis::Time);
    EXPECT_EQ(SequenceLayout(lesson("lecture"), SequenceAxis::Automatic).axis(),
              SequenceAxis::Steps);
}

TEST(SequenceLayoutSteps, TheExportDrawsOnTheAxisOfTheSettings) {
    const Trace trace = lesson("lost-final-ack");
    // The vertical gaps between the arrows' tails as the export draws them: even
    // on the steps axis (one row per segment event), uneven on the time axis.
    const auto tailGaps = [&trace](SequenceAxis axis) {
        ExportOptions options;
        options.settings.sequenceAxis = axis;
        std::vector<double> tails;
        options.onPainted = [&tails](const SequenceDiagramRenderer& r, const QRectF&) {
            tails.clear();
            for (const DrawnArrow& a : r.lastArrows()) {
                tails.push_back(a.line.p1().y());
            }
        };
        const QSizeF size = exportSize(trace, trace.size(), options);
        QImage image(size.toSize(), QImage::Format_ARGB32);
        QPainter painter(&image);
        renderDiagram(painter, QRectF(QPointF(0, 0), size), trace, trace.size(), options);
        std::sort(tails.begin(), tails.end());
        std::vector<double> gaps;
        for (std::size_t i = 1; i < tails.size(); ++i) {
            gaps.push_back(tails[i] - tails[i - 1]);
        }
        return gaps;
    };
    const auto spread = [](const std::vector<double>& gaps) {
        const auto [lo, hi] = std::minmax_element(gaps.begin(), gaps.end());
        return *hi - *lo;
    };
    const std::vector<double> steps = tailGaps(SequenceAxis::Steps);
    const std::vector<double> time = tailGaps(SequenceAxis::Time);
    ASSERT_GE(steps.size(), 5U);
    ASSERT_EQ(time.size(), steps.size());
    // Each arrow starts on a row of its own; rows are evenly spaced, with a
    // segment's arrival taking a row of its own between two sends at most.
    for (const double g : steps) {
        EXPECT_GT(g, 1.0);
    }
    EXPECT_GT(spread(time), spread(steps) + 2.0);
}

} // namespace
} // namespace tcpviz

namespace tcpviz {
namespace {

// A bulk transfer fitted on one screen: thousands of arrows in one frame. The
// label placement checks each label against its neighbours only, so the frame
// stays quick (the whole exchange, 4000 segments, drawn in well under a second
// even on a slow CI machine).
TEST(SequenceLayoutSteps, AFittedBulkTransferDrawsQuickly) {
    const Trace bulk = viewtest::bulkTransfer(2000);
    for (const SequenceAxis axis : {SequenceAxis::Time, SequenceAxis::Steps}) {
        SequenceDiagramRenderer r;
        ViewSettings settings;
        settings.sequenceAxis = axis;
        r.setSettings(settings);
        r.setTrace(&bulk);
        QImage image(QSize(1280, 720), QImage::Format_ARGB32_Premultiplied);
        QPainter p(&image);
        SequenceFrame f;
        f.position = bulk.size();
        f.wholeExchange = true;
        f.pixelsPerAxis = 600.0 / std::max(r.layout().axisLength(), 1.0);
        QElapsedTimer clock;
        clock.start();
        r.paint(p, QRectF(0, 0, 1280, 720), f);
        const double ms = static_cast<double>(clock.nsecsElapsed()) / 1e6;
        std::printf("bulk transfer, %s axis, fitted: %zu arrows drawn, %zu labelled, %.1f ms\n",
                    axis == SequenceAxis::Time ? "time" : "steps", r.lastArrows().size(),
                    r.lastSegmentLabels().size(), ms);
        EXPECT_GT(r.lastArrows().size(), 100U);
        EXPECT_LT(ms, 1000.0);
        // Labels never overlap, however many arrows there are.
        const auto& labels = r.lastSegmentLabels();
        for (std::size_t i = 1; i < labels.size(); ++i) {
            EXPECT_FALSE(labels[i].rect.intersects(labels[i - 1].rect));
        }
    }
}

} // namespace
} // namespace tcpviz
