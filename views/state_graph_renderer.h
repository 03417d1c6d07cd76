#pragma once

#include "state_graph_layout.h"
#include "trace/trace.h"
#include "view_settings.h"

#include <QPainterPath>
#include <QRectF>
#include <QString>
#include <array>
#include <optional>
#include <vector>

class QPainter;

namespace tcpviz {

/// A heat-map number as drawn in the last paint(), for tests that check what a
/// person would read off the figure.
struct DrawnCount {
    State state = State::Closed;
    bool lowerCopy = false; ///< drawn on the bottom copy of CLOSED
    std::size_t count = 0;
    QRectF rect;
};

/// Paints the RFC 9293 state diagram into any QPainter (the widget, an
/// SVG/PDF generator, an image): one connection's two endpoints lit (blue "C"
/// and orange "S", Okabe-Ito colours plus a letter so colour is not the only
/// cue) with the arc each took last in its colour, or, in heat-map mode, how
/// many endpoints are in each state. Needs no widget; the geometry comes from
/// StateGraphLayout.
///
/// CLOSED appears twice, as in the RFC figure: the bottom copy receives the
/// closing arcs so that they need not climb the whole diagram. An endpoint in
/// CLOSED is lit on one copy only: the one its last arc ends at (the top one
/// before it ever opened, the bottom one once its connection is gone). In the
/// heat map the CLOSED count is written once, on the bottom copy (where a
/// capture's finished connections are), so the numbers add up to the endpoints.
class StateGraphRenderer {
public:
    using Counts = std::array<std::size_t, kStateCount>;

    /// The Trace must outlive the renderer or be replaced first; nullptr: the bare diagram.
    /// Resets the position to 0.
    void setTrace(const Trace* trace);
    [[nodiscard]] const Trace* trace() const { return m_trace; }
    /// Number of events applied. Returns the endpoint whose transition this step
    /// (forward) just made, if any: the one to animate.
    std::optional<Side> setPosition(std::size_t position);
    [[nodiscard]] std::size_t position() const { return m_position; }

    void setSettings(const ViewSettings& settings);
    [[nodiscard]] const ViewSettings& settings() const { return m_settings; }
    /// Draw the section-3.10 arcs (RST, ABORT, give-up, timeouts) that Figure 5 leaves out.
    void setShowExtraArcs(bool show) { m_showExtra = show; }
    [[nodiscard]] bool showExtraArcs() const { return m_showExtra; }
    void setShowArcLabels(bool show) { m_showLabels = show; }
    [[nodiscard]] bool showArcLabels() const { return m_showLabels; }

    /// Heat-map mode: how many endpoints are in each state (indexed by State).
    void setStateCounts(const Counts& counts) { m_counts = counts; }
    void clearStateCounts() { m_counts.reset(); }
    /// With a Trace and counts both set: the heat map's numbers and the Trace's two
    /// endpoints together (their nodes ringed in their colours, badges and arcs as
    /// usual), for one connection of a crowd followed through it. Off: the counts
    /// replace the endpoints.
    void setCountsWithTrace(bool on) { m_countsWithTrace = on; }
    [[nodiscard]] bool countsWithTrace() const { return m_countsWithTrace; }
    [[nodiscard]] bool heatMap() const { return m_counts.has_value(); }
    [[nodiscard]] const std::optional<Counts>& stateCounts() const { return m_counts; }

    /// The arc just taken by `side` is drawn with a dot at `progress` (0..1) along it.
    void setAnimatedArc(std::optional<Side> side, double progress);

    [[nodiscard]] const StateGraphLayout& layout() const { return m_layout; }
    /// The geometry for a rectangle (kept for the last rectangle asked for).
    [[nodiscard]] const StateGraphGeometry& geometry(const QRectF& rect) const;

    /// The node lit for an endpoint; nullopt without a trace or in heat-map mode
    /// (unless the counts are shown with the Trace).
    [[nodiscard]] std::optional<State> highlightedState(Side side) const;
    /// The arc the endpoint took last (drawn in its colour), if any.
    [[nodiscard]] std::optional<ArcId> highlightedArc(Side side) const;
    /// Node index (see StateGraphLayout) an endpoint is lit on, -1 when none.
    [[nodiscard]] int litNode(Side side) const;
    /// Whether an edge is drawn: the figure's always, the extras when shown or just taken.
    [[nodiscard]] bool edgeVisible(const StateGraphEdge& edge) const;
    /// The node a state's heat-map number is written on (the bottom copy for CLOSED).
    [[nodiscard]] static int countNode(State state);

    /// Paints the diagram fitting `target`.
    void paint(QPainter& painter, const QRectF& target);
    /// Heat-map numbers of the last paint(), one per state.
    [[nodiscard]] const std::vector<DrawnCount>& lastCounts() const { return m_drawnCounts; }

    /// The letter on the badge of an endpoint's node ("C"/"S", in Chinese 客/服).
    [[nodiscard]] static QString badgeLetter(Side side);

private:
    StateGraphLayout m_layout;
    const Trace* m_trace = nullptr;
    std::size_t m_position = 0;
    ViewSettings m_settings;
    bool m_showExtra = true;
    bool m_showLabels = true;
    std::optional<Counts> m_counts;
    bool m_countsWithTrace = false;
    /// The Trace's endpoints are drawn (no counts, or counts with the Trace).
    [[nodiscard]] bool endpointsShown() const {
        return m_trace != nullptr && (!m_counts || m_countsWithTrace);
    }
    std::array<std::optional<ArcId>, 2> m_lastArc{};
    std::array<std::vector<std::uint32_t>, 2> m_transitions; ///< transition events per side
    std::optional<Side> m_animatedSide;
    double m_progress = 1.0;
    mutable StateGraphGeometry m_geometry;
    mutable bool m_geometryValid = false;
    std::vector<DrawnCount> m_drawnCounts;
};

} // namespace tcpviz
