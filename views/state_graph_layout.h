#pragma once

#include "tcp/arc.h"
#include "tcp/state.h"
#include "view_settings.h"

#include <QFont>
#include <QFontMetricsF>
#include <QPainterPath>
#include <QPointF>
#include <QRectF>
#include <QSizeF>
#include <QString>
#include <optional>
#include <vector>

namespace tcpviz {

/// A box of the figure: a state at a normalised centre (0..1 across and down).
struct StateGraphNode {
    State state = State::Closed;
    QPointF at;
    bool lowerCopy = false; ///< the second CLOSED, bottom right, where the closing arcs end
};

/// One drawn edge: the arcs with the same ends share it.
struct StateGraphEdge {
    std::vector<ArcId> arcs; ///< first is the one whose label is drawn
    int from = 0;            ///< node indices
    int to = 0;
    double bend = 0.0;
    bool figure = true;         ///< in RFC 9293 Figure 5 (else a section-3.10 arc)
    QPointF labelShift;         ///< in node-height units, to dodge crowded spots
    std::optional<QPointF> via; ///< normalised control point, overrides bend
};

/// Where everything is for one rectangle: fonts, node boxes, edge paths, label centres.
struct StateGraphGeometry {
    QRectF rect;
    QFont nodeFont;
    QFont labelFont;
    std::vector<QRectF> nodes;       ///< by node index
    std::vector<QPainterPath> edges; ///< by edge index
    std::vector<QPointF> labels;     ///< centre of each edge's label, by edge index
};

/// The RFC 9293 state diagram as data, without painting: the node catalog in the
/// figure's arrangement, the edges with their bends, and the geometry (node size
/// from the longest state name, edge paths, label spots kept apart) for any
/// rectangle. StateGraphRenderer paints it; StateGraphView shows it.
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
class StateGraphLayout {
public:
    /// Node index of the bottom copy of CLOSED; the others are index(State).
    static constexpr int kLowerClosed = static_cast<int>(kStateCount);

    StateGraphLayout();

    [[nodiscard]] const std::vector<StateGraphNode>& nodes() const { return m_nodes; }
    [[nodiscard]] const std::vector<StateGraphEdge>& edges() const { return m_edges; }
    /// Index of the edge that draws an arc, -1 if none.
    [[nodiscard]] int edgeOf(ArcId arc) const;

    /// Geometry for `rect` (fonts shrink on a small rectangle, never below the
    /// presentation minimum). Label spots are kept off the nodes and each other.
    [[nodiscard]] StateGraphGeometry compute(const QRectF& rect,
                                             const ViewSettings& settings) const;

    /// An arc's label as the figure writes it: the event over the action (empty: none).
    [[nodiscard]] static QString labelEvent(const Arc& arc);
    [[nodiscard]] static QString labelAction(const Arc& arc);
    /// Size of an arc's label box in the given metrics.
    [[nodiscard]] static QSizeF labelSize(const Arc& arc, const QFontMetricsF& fm);

private:
    void placeLabelsApart(StateGraphGeometry& g) const;

    std::vector<StateGraphNode> m_nodes;
    std::vector<StateGraphEdge> m_edges;
};

} // namespace tcpviz
