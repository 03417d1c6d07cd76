#pragma once

#include "sequence_layout.h"
#include "view_settings.h"
#include "view_style.h"

#include <QCoreApplication>
#include <QLineF>
#include <QPointF>
#include <QRectF>
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
    void setSettings(const ViewSettings& settings) { m_settings = settings; }
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
    /// Send event of the arrow nearest `point` within `tolerance` pixels, from the last paint().
    [[nodiscard]] std::optional<std::size_t> arrowAt(QPointF point, double tolerance) const;
    /// Time under a y coordinate of the last paint().
    [[nodiscard]] std::int64_t timeAtY(double y) const;
    /// y coordinate of a time in the last paint().
    [[nodiscard]] double yOfTime(std::int64_t timeUs) const;
    /// The lanes' rectangle (below the header) of the last paint().
    [[nodiscard]] QRectF lanesRect() const { return m_lanes; }
    /// x of an endpoint's lifeline in the last paint().
    [[nodiscard]] double lifelineX(Side side) const {
        return side == Side::Client ? m_clientX : m_serverX;
    }

private:
    void computeGeometry(QPainter& painter, const QRectF& rect);

    const Trace* m_trace = nullptr;
    SequenceLayout m_layout;
    ViewSettings m_settings;

    // Geometry of the last paint().
    QRectF m_lanes;
    double m_clientX = 0.0;
    double m_serverX = 0.0;
    double m_bandWidth = 0.0;
    double m_gutter = 0.0;
    double m_ppa = 1.0;
    double m_topAxis = 0.0;
    std::vector<DrawnArrow> m_drawn;
    std::vector<DrawnText> m_timerLabels;
};

} // namespace tcpviz
