#pragma once

#include "sequence_layout.h"
#include "view_settings.h"
#include "view_style.h"

#include <QCoreApplication>
#include <QLineF>
#include <QPointF>
#include <QRectF>
#include <QStringList>
#include <optional>
#include <vector>

class QPainter;

namespace tcpviz {

/// What to draw and where the window onto the time axis is.
struct SequenceFrame {
    std::size_t position = 0;   ///< events applied (Trace positions)
    double fraction = 0.0;      ///< playhead part-way to the next event, for smooth animation
    bool wholeExchange = false; ///< draw every event as done, no playhead (export "whole")
    bool showFuture = false;    ///< draw events after the position faded instead of hiding them
    double pixelsPerAxis = 0.0; ///< vertical scale; 0 = natural scale (defaultPixelsPerAxis)
    double topAxis = 0.0;       ///< axis value at the top of the lanes (scrolling)
    std::optional<std::size_t> selectedSend; ///< Send event drawn emphasised
    /// Label every arrow (slides, export): a label with no room at the middle of
    /// its arrow moves along it to a spot clear of the others, or overlaps.
    bool labelEveryArrow = false;
};

/// One arrow as drawn in the last frame, for hit tests and for tests that
/// check what a person would see.
struct DrawnArrow {
    std::size_t sendIndex = 0;
    QLineF line;       ///< from the sender's lifeline to where the arrow ends now
    bool lost = false; ///< ends in a cross (the Drop has happened)
    QPointF cross;     ///< centre of the cross when lost
    bool inFlight = false;
    bool future = false; ///< drawn faded because it lies after the position
    bool labelled = false;
    QRectF labelRect;          ///< where its label went (bounding box), when labelled
    bool labelCrowded = false; ///< labelEveryArrow found no clear spot: it overlaps another
};

/// A text as drawn in the last frame (its real extent), for tests that check
/// that every label is on the page.
struct DrawnText {
    QString text;
    QRectF rect;
};

/// Paints a sequence (ladder) diagram of a Trace into any QPainter: the widget,
/// an SVG/PDF generator or an image. Holds the per-Trace layout; painting cost
/// depends only on what is visible (binary search of the visible time range).
///
/// ```
///  time | band  client            server  band
///       |      |                    |
///  0 ms |CLOSED|----SYN seq=0---->  |LISTEN
///       |SYN-  |     ...        `-->|SYN-RECEIVED
/// ```
class SequenceDiagramRenderer {
    Q_DECLARE_TR_FUNCTIONS(tcpviz::SequenceDiagramRenderer)

public:
    void setTrace(const Trace* trace);
    /// A change of the sequence axis lays the trace out again.
    void setSettings(const ViewSettings& settings);
    [[nodiscard]] const Trace* trace() const { return m_trace; }
    [[nodiscard]] const ViewSettings& settings() const { return m_settings; }
    [[nodiscard]] const SequenceLayout& layout() const { return m_layout; }
    /// Draws this trace and `other`'s on one time axis (SequenceLayout::shareAxis)
    /// until either's trace is set again.
    void shareAxisWith(SequenceDiagramRenderer& other, double longGapLog = 0.6) {
        if (m_trace != nullptr && other.m_trace != nullptr) {
            SequenceLayout::shareAxis(m_layout, *m_trace, other.m_layout, *other.m_trace,
                                      longGapLog);
        }
    }

    /// Height of the sticky header with the lifeline labels.
    [[nodiscard]] double headerHeight() const;
    /// Vertical scale at which a typical flight spans a few text lines.
    [[nodiscard]] double defaultPixelsPerAxis() const;
    /// Height of the lanes for the whole trace at a scale (header excluded).
    [[nodiscard]] double lanesHeight(double pixelsPerAxis) const;
    /// Size that shows the whole exchange at the natural scale (for export).
    [[nodiscard]] QSizeF naturalSize() const;

    void paint(QPainter& painter, const QRectF& rect, const SequenceFrame& frame);

    /// Arrows of the last paint(), in send order.
    [[nodiscard]] const std::vector<DrawnArrow>& lastArrows() const { return m_drawn; }
    /// The timer brackets' labels of the last paint(), as drawn.
    [[nodiscard]] const std::vector<DrawnText>& lastTimerLabels() const { return m_timerLabels; }
    /// The state names written in the bands of the last paint(), as drawn.
    [[nodiscard]] const std::vector<DrawnText>& lastBandLabels() const { return m_bandLabels; }
    /// The segments' labels of the last paint(), as drawn (bounding boxes, tags included).
    [[nodiscard]] const std::vector<DrawnText>& lastSegmentLabels() const {
        return m_segmentLabels;
    }
    /// Send event of the arrow nearest `point` within `tolerance` pixels, from the last paint().
    [[nodiscard]] std::optional<std::size_t> arrowAt(QPointF point, double tolerance) const;
    /// Time under a y coordinate of the last paint().
    [[nodiscard]] std::int64_t timeAtY(double y) const;
    /// y coordinate of a time in the last paint().
    [[nodiscard]] double yOfTime(std::int64_t timeUs) const;
    /// y coordinate of an axis value (see SequenceLayout) in the last paint().
    [[nodiscard]] double yOfAxis(double axis) const;
    /// Axis value under a y coordinate of the last paint().
    [[nodiscard]] double axisAtY(double y) const;
    /// The lanes' rectangle (below the header) of the last paint().
    [[nodiscard]] QRectF lanesRect() const { return m_lanes; }
    /// x of an endpoint's lifeline in the last paint().
    [[nodiscard]] double lifelineX(Side side) const {
        return side == Side::Client ? m_clientX : m_serverX;
    }
    /// x of the capture point's (dashed) lifeline in the last paint(), for a Trace
    /// from a capture: between the ends in proportion to the estimated delays, so
    /// that each packet's arrow crosses it at the packet's capture time (the middle
    /// when there is no estimate; never on an endpoint's lifeline, even for a
    /// capture taken on a host).
    [[nodiscard]] std::optional<double> captureLineX() const { return m_captureX; }

private:
    /// A segment's label waiting to be placed along its arrow.
    struct LabelJob {
        std::size_t drawn = 0; ///< index into m_drawn
        QLineF full;           ///< the whole arrow (to the planned arrival when lost)
        double tMid = 0.5;     ///< preferred place along `full`
        double tMin = 0.15;
        double tMax = 0.85;
        QString text;
        QStringList tags;
        bool lostTag = false;
        bool future = false;
        bool priority = false; ///< the current step's or the selected segment
    };
    void computeGeometry(QPainter& painter, const QRectF& rect);
    /// Labels each arrow where its label covers no other label and no arrow's end,
    /// inside the lanes; a label that finds no such place is left out (unless it
    /// is the step's own). `rotate`: along the arrow (time axis), else upright.
    void placeLabels(QPainter& painter, std::vector<LabelJob>& jobs, double head, bool rotate,
                     bool everyArrow);
    /// The capture point's label above its dashed line, between the endpoints' boxes.
    void drawCaptureHeader(QPainter& painter, const QRectF& clientBox, const QRectF& serverBox);

    const Trace* m_trace = nullptr;
    SequenceLayout m_layout;
    ViewSettings m_settings;

    // Geometry of the last paint().
    QRectF m_lanes;
    double m_clientX = 0.0;
    double m_serverX = 0.0;
    std::optional<double> m_captureX;
    double m_bandWidth = 0.0;
    double m_gutter = 0.0;
    double m_ppa = 1.0;
    double m_topAxis = 0.0;
    std::vector<DrawnArrow> m_drawn;
    std::vector<DrawnText> m_timerLabels;
    std::vector<DrawnText> m_bandLabels;
    std::vector<DrawnText> m_segmentLabels;
};

} // namespace tcpviz
