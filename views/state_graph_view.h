#pragma once

#include "trace/trace.h"
#include "view_settings.h"

#include <QPainterPath>
#include <QWidget>
#include <array>
#include <optional>
#include <vector>

class QVariantAnimation;

namespace tcpviz {

/// The RFC 9293 state diagram in its familiar layout, with the client's and
/// the server's current states lit at the same time (blue "C" and orange "S",
/// Okabe-Ito colours plus a letter so colour is not the only cue) and the arc
/// each took last drawn in its colour; the arc just taken is animated.
///
/// ```
///                    CLOSED
///                    LISTEN
///     SYN-RECEIVED              SYN-SENT
///                  ESTABLISHED
///     FIN-WAIT-1               CLOSE-WAIT
///     FIN-WAIT-2    CLOSING    LAST-ACK
///                  TIME-WAIT   CLOSED
/// ```
/// CLOSED appears twice, as in the RFC figure: the bottom copy receives the
/// closing arcs so that they need not climb the whole diagram. An endpoint in
/// CLOSED is lit on one copy only: the one its last arc ends at (the top one
/// before it ever opened, the bottom one once its connection is gone).
///
/// Heat-map mode (setStateCounts) shows how many connections of a capture are
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
    [[nodiscard]] std::size_t position() const { return m_position; }

    void setSettings(const ViewSettings& settings);
    [[nodiscard]] const ViewSettings& settings() const { return m_settings; }

    /// Animate the arc just taken (a dot running along it). Off for tests and export.
    void setAnimationsEnabled(bool on);
    /// Draw the section-3.10 arcs (RST, ABORT, give-up, timeouts) that Figure 5 leaves out.
    void setShowExtraArcs(bool show);
    [[nodiscard]] bool showExtraArcs() const { return m_showExtra; }
    void setShowArcLabels(bool show);

    /// Heat-map mode: how many connections are in each state (indexed by State).
    void setStateCounts(const std::array<std::size_t, kStateCount>& counts);
    /// Back to showing the Trace's two endpoints.
    void clearStateCounts();
    [[nodiscard]] bool heatMap() const { return m_counts.has_value(); }

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

    /// Paints the diagram into any painter (export, tests), fitting `target`.
    void paintGraph(QPainter& painter, const QRectF& target) const;

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
    struct Node {
        State state;
        QPointF at; ///< normalised centre
        bool ghost = false;
    };
    struct Edge {
        std::vector<ArcId> arcs; ///< first is the one whose label is drawn
        int from = 0;            ///< node indices
        int to = 0;
        double bend = 0.0;
        bool figure = true;
        QPointF labelShift;         ///< in node-height units, to dodge crowded spots
        std::optional<QPointF> via; ///< normalised control point, overrides bend
    };
    struct Geometry {
        QRectF rect;
        QFont nodeFont;
        QFont labelFont;
        std::vector<QRectF> nodes;
        std::vector<QPainterPath> edges;
        std::vector<QPointF> labels;
    };

    void buildDiagram();
    [[nodiscard]] Geometry layout(const QRectF& rect) const;
    void placeLabelsApart(Geometry& g) const;
    [[nodiscard]] int edgeOf(ArcId arc) const;
    /// Index into m_nodes of the node `side` is lit on, -1 when none.
    [[nodiscard]] int litNode(Side side) const;
    [[nodiscard]] bool edgeVisible(const Edge& e) const;
    void relayout();
    [[nodiscard]] const Geometry& geometryNow() const;

    const Trace* m_trace = nullptr;
    std::size_t m_position = 0;
    ViewSettings m_settings;
    bool m_animate = true;
    bool m_showExtra = true;
    bool m_showLabels = true;
    std::optional<std::array<std::size_t, kStateCount>> m_counts;
    std::array<std::optional<ArcId>, 2> m_lastArc{};
    std::array<std::vector<std::uint32_t>, 2> m_transitions; ///< transition events per side
    std::optional<Side> m_animatedSide;
    double m_progress = 1.0;
    QVariantAnimation* m_animation = nullptr;

    std::vector<Node> m_nodes;
    std::vector<Edge> m_edges;
    mutable Geometry m_geometry;
};

} // namespace tcpviz
