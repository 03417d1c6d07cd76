#pragma once

#include "sequence_diagram_renderer.h"
#include "view_settings.h"

#include <QAbstractScrollArea>
#include <optional>

namespace tcpviz {

/// The animated sequence (ladder) diagram: client and server lifelines, one
/// slanted arrow per segment from its send time to its arrival, state bands
/// and timer brackets along the lifelines, the playhead at the current step.
///
/// The view only reads a Trace and a position; the app's Player drives it:
/// `setPosition()` on every step, `setPlayhead(position, fraction)` from a
/// 60 fps timer while playing, so that segments in flight move smoothly.
/// Events after the position are hidden ("as at the current step") unless
/// setShowFuture(true) shows them faded.
class SequenceDiagramView : public QAbstractScrollArea {
    Q_OBJECT
public:
    explicit SequenceDiagramView(QWidget* parent = nullptr);

    /// The Trace must outlive the view or be replaced first; nullptr clears the view.
    void setTrace(const Trace* trace);
    [[nodiscard]] const Trace* trace() const { return m_renderer.trace(); }
    /// Number of events applied (see Trace). Jumps the playhead; no animation.
    void setPosition(std::size_t position);
    /// Playhead between two events: `fraction` in [0, 1) of the way from event
    /// position-1 to event position. For smooth animation of segments in flight.
    void setPlayhead(std::size_t position, double fraction);
    [[nodiscard]] std::size_t position() const { return m_frame.position; }

    void setSettings(const ViewSettings& settings);
    [[nodiscard]] const ViewSettings& settings() const { return m_renderer.settings(); }

    /// Show events after the position faded instead of hiding them.
    void setShowFuture(bool show);
    [[nodiscard]] bool showFuture() const { return m_frame.showFuture; }
    /// Scroll automatically so that the playhead stays in view (default on).
    void setFollowPlayhead(bool follow) { m_follow = follow; }

    /// Vertical zoom relative to the natural scale (1.0), or fit the whole exchange.
    void setZoom(double factor);
    [[nodiscard]] double zoom() const { return m_zoom; }
    void zoomIn() { setZoom(m_zoom * 1.25); }
    void zoomOut() { setZoom(m_zoom / 1.25); }
    void setFitToWindow(bool fit);
    [[nodiscard]] bool fitToWindow() const { return m_fit; }

    /// Emphasise one segment (its Send event index), e.g. the one shown in the details pane.
    void setSelectedSegment(std::optional<std::size_t> sendIndex);
    [[nodiscard]] std::optional<std::size_t> selectedSegment() const {
        return m_frame.selectedSend;
    }

    /// Draws the diagram into any painter (export, printing) with this view's
    /// trace and settings; see also exportDiagram() in diagram_exporter.h.
    void renderDiagram(QPainter& painter, const QRectF& target, bool wholeExchange);

    /// What the last frame drew: one entry per arrow, for hit tests and tests.
    [[nodiscard]] const std::vector<DrawnArrow>& drawnArrows() const {
        return m_renderer.lastArrows();
    }
    [[nodiscard]] std::size_t visibleArrowCount() const { return m_renderer.lastArrows().size(); }
    [[nodiscard]] const SequenceDiagramRenderer& renderer() const { return m_renderer; }

    [[nodiscard]] QSize sizeHint() const override;
    [[nodiscard]] QSize minimumSizeHint() const override;

signals:
    /// The user clicked an arrow: the index of its Send event.
    void segmentClicked(std::size_t eventIndex);
    /// The user double-clicked: seek to this position (after the arrow's arrival,
    /// or to the first event at the clicked time).
    void eventActivated(std::size_t position);
    void zoomChanged(double factor);

protected:
    void paintEvent(QPaintEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseDoubleClickEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;
    void scrollContentsBy(int dx, int dy) override;

private:
    [[nodiscard]] double pixelsPerAxis() const;
    [[nodiscard]] double padAxis() const;
    void updateScrollRange();
    void followPlayhead();

    SequenceDiagramRenderer m_renderer;
    SequenceFrame m_frame;
    double m_zoom = 1.0;
    bool m_fit = false;
    bool m_follow = true;
};

} // namespace tcpviz
