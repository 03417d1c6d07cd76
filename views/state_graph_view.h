#pragma once

#include "state_graph_renderer.h"
#include "trace/trace.h"
#include "view_settings.h"

#include <QPainterPath>
#include <QWidget>
#include <array>
#include <optional>
#include <vector>

class QVariantAnimation;

namespace tcpviz {

/// The RFC 9293 state diagram as a widget: a thin shell around
/// StateGraphRenderer (painting) and StateGraphLayout (where the nodes, arcs and
/// labels are), adding what needs a window: the animation of the arc just
/// taken, tooltips and clicks. See StateGraphRenderer for what is drawn.
///
/// Heat-map mode (setStateCounts) shows how many endpoints of a capture are
/// in each state instead of one connection's two endpoints.
class StateGraphView : public QWidget {
    Q_OBJECT
    Q_PROPERTY(double arcProgress READ arcProgress WRITE setArcProgress)
public:
    explicit StateGraphView(QWidget* parent = nullptr);
    ~StateGraphView() override;
    StateGraphView(const StateGraphView&) = delete;
    StateGraphView& operator=(const StateGraphView&) = delete;

    /// The Trace must outlive the view or be replaced first; nullptr shows the bare diagram.
    void setTrace(const Trace* trace);
    /// Number of events applied; a step forward animates the arc just taken.
    void setPosition(std::size_t position);
    [[nodiscard]] std::size_t position() const { return m_renderer.position(); }

    void setSettings(const ViewSettings& settings);
    [[nodiscard]] const ViewSettings& settings() const { return m_renderer.settings(); }

    /// Animate the arc just taken (a dot running along it). Off for tests and export.
    void setAnimationsEnabled(bool on);
    /// Draw the section-3.10 arcs (RST, ABORT, give-up, timeouts) that Figure 5 leaves out.
    void setShowExtraArcs(bool show);
    [[nodiscard]] bool showExtraArcs() const { return m_renderer.showExtraArcs(); }
    void setShowArcLabels(bool show);

    /// Heat-map mode: how many endpoints are in each state (indexed by State); the
    /// CLOSED count is written once, on the bottom copy.
    void setStateCounts(const std::array<std::size_t, kStateCount>& counts);
    /// Back to showing the Trace's two endpoints.
    void clearStateCounts();
    /// Counts and the Trace's endpoints drawn together (StateGraphRenderer::setCountsWithTrace).
    void setCountsWithTrace(bool on);
    [[nodiscard]] bool heatMap() const { return m_renderer.heatMap(); }

    // --- Queries (for tests and the app).
    /// The node lit for an endpoint; nullopt without a trace or in heat-map mode.
    [[nodiscard]] std::optional<State> highlightedState(Side side) const;
    /// The arc the endpoint took last (drawn in its colour), if any.
    [[nodiscard]] std::optional<ArcId> highlightedArc(Side side) const;
    /// Where a state's node is, in widget coordinates (the top CLOSED for Closed).
    [[nodiscard]] QRectF nodeRect(State state) const;
    /// The bottom copy of CLOSED, where the closing arcs end.
    [[nodiscard]] QRectF lowerClosedRect() const;
    /// The one node an endpoint is lit on (empty without a trace or in heat-map mode).
    [[nodiscard]] QRectF litNodeRect(Side side) const;
    /// Path of the edge that draws an arc, in widget coordinates (empty if hidden).
    [[nodiscard]] QPainterPath arcPath(ArcId arc) const;
    /// The state or arc under a point, and the text its tooltip shows.
    [[nodiscard]] std::optional<State> stateAt(QPointF point) const;
    [[nodiscard]] std::optional<ArcId> arcAt(QPointF point) const;
    [[nodiscard]] QString toolTipAt(QPointF point) const;
    /// The letter on the badge of an endpoint's node ("C"/"S", in Chinese 客/服):
    /// whatever else shows the badges (the legend) takes them from here.
    [[nodiscard]] static QString badgeLetter(Side side);
    /// 0..1 while the arc just taken animates, 1 when still.
    [[nodiscard]] double arcProgress() const { return m_progress; }
    void setArcProgress(double progress);

    /// Paints the diagram into any painter (tests), fitting `target`; export
    /// uses a StateGraphRenderer of its own, no widget.
    void paintGraph(QPainter& painter, const QRectF& target) const;
    /// The renderer, for what the last paint drew (heat-map numbers).
    [[nodiscard]] const StateGraphRenderer& renderer() const { return m_renderer; }

    [[nodiscard]] QSize sizeHint() const override;
    [[nodiscard]] QSize minimumSizeHint() const override;

signals:
    void stateClicked(State state);

protected:
    void paintEvent(QPaintEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    bool event(QEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;

private:
    [[nodiscard]] const StateGraphGeometry& geometryNow() const;

    // Mutable: painting from a const paintGraph() records what was drawn.
    mutable StateGraphRenderer m_renderer;
    bool m_animate = true;
    double m_progress = 1.0;
    std::optional<Side> m_animatedSide;
    QVariantAnimation* m_animation = nullptr;
};

} // namespace tcpviz
