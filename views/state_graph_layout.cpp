#include "state_graph_layout.h"

#include "event_text.h"
#include "view_style.h"

#include <QFontMetricsF>
#include <algorithm>
#include <array>
#include <cmath>

namespace tcpviz {

namespace {

QPointF bezier(const QPointF& a, const QPointF& c, const QPointF& b, double t) {
    const double u = 1.0 - t;
    return a * (u * u) + c * (2.0 * u * t) + b * (t * t);
}

/// Parameter where the curve a-c-b crosses out of `box` (searching from `inside` towards
/// `outside`).
double exitParam(const QPointF& a, const QPointF& c, const QPointF& b, const QRectF& box,
                 double inside, double outside) {
    for (int i = 0; i < 30; ++i) {
        const double mid = (inside + outside) / 2.0;
        if (box.contains(bezier(a, c, b, mid))) {
            inside = mid;
        } else {
            outside = mid;
        }
    }
    return outside;
}

} // namespace

StateGraphLayout::StateGraphLayout() {
    // Normalised centres: the RFC 9293 Figure 5 arrangement.
    const auto at = [this](State s, double x, double y) {
        m_nodes.at(index(s)) = StateGraphNode{s, QPointF(x, y), false};
    };
    m_nodes.assign(kStateCount + 1, StateGraphNode{State::Closed, {}, false});
    at(State::Closed, 0.5, 0.04);
    at(State::Listen, 0.5, 0.19);
    at(State::SynReceived, 0.13, 0.35);
    at(State::SynSent, 0.87, 0.35);
    at(State::Established, 0.5, 0.5);
    at(State::FinWait1, 0.13, 0.65);
    at(State::CloseWait, 0.87, 0.65);
    at(State::FinWait2, 0.13, 0.8);
    at(State::Closing, 0.5, 0.8);
    at(State::LastAck, 0.87, 0.8);
    at(State::TimeWait, 0.5, 0.96);
    m_nodes.at(kLowerClosed) = StateGraphNode{State::Closed, QPointF(0.87, 0.96), true};

    struct Spec {
        ArcId arc;
        double bend;
        bool toLower;
        QPointF shift;
    };
    // Bends bow each edge to one side (positive: to the left of its direction
    // of travel as drawn on screen), separating arcs that run both ways.
    const std::array<Spec, 20> figure{{
        {ArcId::PassiveOpen, 0.35, false, {-0.9, 0.0}},
        {ArcId::ListenClose, 0.35, false, {0.9, 0.0}},
        {ArcId::ActiveOpen, -0.32, false, {0.2, -0.5}},
        {ArcId::SynSentClose, 0.0, false, {0.5, 0.4}},
        {ArcId::ListenSend, 0.0, false, {0.2, 0.3}},
        {ArcId::RcvSyn, 0.0, false, {-0.2, 0.3}},
        {ArcId::SynReceivedRst, -0.3, false, {-0.2, -0.4}},
        {ArcId::SimultaneousOpen, 0.0, false, {0.0, 0.0}},
        {ArcId::RcvSynAck, 0.0, false, {0.3, 0.0}},
        {ArcId::RcvAckOfSyn, 0.0, false, {-0.3, 0.0}},
        {ArcId::SynReceivedClose, 0.0, false, {0.0, 0.0}},
        {ArcId::EstablishedClose, 0.0, false, {0.0, -0.3}},
        {ArcId::RcvFin, 0.0, false, {0.0, -0.3}},
        {ArcId::FinWait1AckOfFin, 0.0, false, {0.0, 0.0}},
        {ArcId::SimultaneousClose, 0.0, false, {0.0, 0.0}},
        {ArcId::FinWait2RcvFin, 0.0, false, {-0.3, 0.2}},
        {ArcId::ClosingAckOfFin, 0.0, false, {0.0, 0.0}},
        {ArcId::CloseWaitClose, 0.0, false, {0.0, 0.0}},
        {ArcId::LastAckAckOfFin, 0.0, true, {0.0, 0.0}},
        {ArcId::TimeWaitTimeout, 0.0, true, {0.0, 0.35}},
    }};
    m_edges.clear();
    for (const Spec& s : figure) {
        const Arc& a = arc(s.arc);
        StateGraphEdge e;
        e.arcs = {s.arc};
        e.from = static_cast<int>(index(a.from));
        e.to = s.toLower ? kLowerClosed : static_cast<int>(index(a.to));
        e.bend = s.bend;
        e.figure = true;
        e.labelShift = s.shift;
        m_edges.push_back(e);
    }
    // Section 3.10 arcs: join a figure edge with the same ends, else one light edge per pair.
    const auto bendFor = [](State from) {
        switch (from) {
        case State::SynReceived:
            return -0.3;
        case State::FinWait1:
        case State::Established:
            return 0.12;
        case State::FinWait2:
            return 0.1;
        case State::CloseWait:
            return -0.45;
        case State::Closing:
            return 0.15;
        default:
            return 0.0;
        }
    };
    for (const Arc& a : arcCatalog()) {
        if (a.inFigure) {
            continue;
        }
        const bool lower = a.to == State::Closed && a.from != State::Listen &&
                           a.from != State::SynSent && a.from != State::SynReceived;
        const int from = static_cast<int>(index(a.from));
        const int to = lower ? kLowerClosed : static_cast<int>(index(a.to));
        auto it = std::find_if(m_edges.begin(), m_edges.end(), [&](const StateGraphEdge& e) {
            return e.from == from && e.to == to;
        });
        if (it != m_edges.end()) {
            it->arcs.push_back(a.id);
            continue;
        }
        StateGraphEdge e;
        e.arcs = {a.id};
        e.from = from;
        e.to = to;
        e.bend = a.to == State::TimeWait ? -0.2 : bendFor(a.from);
        if (a.from == State::CloseWait) {
            // Between CLOSING and LAST-ACK rather than through LAST-ACK.
            e.via = QPointF(0.6, 0.8);
        }
        e.figure = false;
        m_edges.push_back(e);
    }
}

int StateGraphLayout::edgeOf(ArcId id) const {
    for (std::size_t i = 0; i < m_edges.size(); ++i) {
        const auto& arcs = m_edges[i].arcs;
        if (std::find(arcs.begin(), arcs.end(), id) != arcs.end()) {
            return static_cast<int>(i);
        }
    }
    return -1;
}

QString StateGraphLayout::labelEvent(const Arc& a) {
    return toQString(a.event);
}

QString StateGraphLayout::labelAction(const Arc& a) {
    return a.action == "x" ? QString() : toQString(a.action);
}

QSizeF StateGraphLayout::labelSize(const Arc& a, const QFontMetricsF& fm) {
    const QString ev = labelEvent(a);
    const QString act = labelAction(a);
    return {std::max(fm.horizontalAdvance(ev), fm.horizontalAdvance(act)) + 6.0,
            act.isEmpty() ? fm.height() : fm.height() * 2.0 + 2.0};
}

StateGraphGeometry StateGraphLayout::compute(const QRectF& rect,
                                             const ViewSettings& settings) const {
    StateGraphGeometry g;
    g.rect = rect;
    // Node size from the longest state name; shrink the font when the rectangle is small.
    QFont font = viewFont(settings);
    font.setBold(true);
    double longest = 0.0;
    {
        const QFontMetricsF fm(font);
        for (State s : kAllStates) {
            longest = std::max(longest, fm.horizontalAdvance(stateLabel(s, settings)));
        }
        const double nodeW = longest + fm.averageCharWidth() * 2.0;
        const double nodeH = fm.height() * 2.0;
        const double scale =
            std::min({1.0, rect.width() * 0.22 / nodeW, rect.height() * 0.075 / nodeH});
        // On a projector the labels stay readable from the back row: the node
        // font shrinks no further than keeps the arc labels (0.8 of it) at the minimum.
        font.setPointSizeF(
            std::max({font.pointSizeF() * scale, 5.0, minimumPointSize(settings) / 0.8}));
    }
    const QFontMetricsF fm(font);
    longest = 0.0;
    for (State s : kAllStates) {
        longest = std::max(longest, fm.horizontalAdvance(stateLabel(s, settings)));
    }
    const double nodeW = longest + fm.averageCharWidth() * 2.0;
    const double nodeH = fm.height() * 1.9;
    g.nodeFont = font;
    g.labelFont = font;
    g.labelFont.setBold(false);
    g.labelFont.setPointSizeF(std::max(font.pointSizeF() * 0.8, minimumPointSize(settings)));

    const QRectF area = rect.adjusted(nodeW / 2 + 4, nodeH / 2 + 4, -nodeW / 2 - 4, -nodeH / 2 - 4);
    for (const StateGraphNode& n : m_nodes) {
        const QPointF c(area.left() + n.at.x() * area.width(),
                        area.top() + n.at.y() * area.height());
        g.nodes.emplace_back(c.x() - nodeW / 2, c.y() - nodeH / 2, nodeW, nodeH);
    }
    for (const StateGraphEdge& e : m_edges) {
        const QRectF& ra = g.nodes.at(static_cast<std::size_t>(e.from));
        const QRectF& rb = g.nodes.at(static_cast<std::size_t>(e.to));
        const QPointF a = ra.center();
        const QPointF b = rb.center();
        const QPointF d = b - a;
        const double len = std::hypot(d.x(), d.y());
        const QPointF normal = len > 0 ? QPointF(-d.y(), d.x()) / len : QPointF();
        QPointF c = (a + b) / 2.0 + normal * (e.bend * len);
        if (e.via) {
            c = QPointF(area.left() + e.via->x() * area.width(),
                        area.top() + e.via->y() * area.height());
        }
        const double t0 = exitParam(a, c, b, ra, 0.0, 1.0);
        const double t1 = exitParam(a, c, b, rb, 1.0, 0.0);
        QPainterPath path(bezier(a, c, b, t0));
        constexpr int kSteps = 24;
        for (int i = 1; i <= kSteps; ++i) {
            path.lineTo(bezier(a, c, b, t0 + (t1 - t0) * i / kSteps));
        }
        g.edges.push_back(path);
        g.labels.push_back(bezier(a, c, b, (t0 + t1) / 2.0) +
                           QPointF(e.labelShift.x() * nodeW * 0.5, e.labelShift.y() * nodeH));
    }
    placeLabelsApart(g);
    return g;
}

// On a small rectangle (a 1280x720 projector) the hand-tuned label spots collide
// with nodes and with each other. Each figure label that overlaps something
// already placed moves to the nearest free spot on a small ring of candidates
// around its preferred position; if none is free it stays where it was. Only
// the figure's labels are placed (they always show); a lit extra arc's label
// sits at its preferred spot.
void StateGraphLayout::placeLabelsApart(StateGraphGeometry& g) const {
    const QFontMetricsF lfm(g.labelFont);
    std::vector<QRectF> taken;
    taken.reserve(g.nodes.size() + g.labels.size());
    for (const QRectF& n : g.nodes) {
        taken.push_back(n.adjusted(-2, -2, 2, 2));
    }
    const auto boxAt = [](QPointF centre, QSizeF size) {
        return QRectF(centre.x() - size.width() / 2, centre.y() - size.height() / 2, size.width(),
                      size.height());
    };
    const auto freeAt = [&](const QRectF& box) {
        return g.rect.contains(box) &&
               std::none_of(taken.begin(), taken.end(),
                            [&](const QRectF& t) { return t.intersects(box); });
    };
    for (std::size_t i = 0; i < m_edges.size(); ++i) {
        const StateGraphEdge& e = m_edges[i];
        if (!e.figure) {
            continue;
        }
        const QSizeF size = labelSize(arc(e.arcs.front()), lfm);
        QPointF best = g.labels.at(i);
        if (!freeAt(boxAt(best, size))) {
            const double dy = size.height() * 0.5;
            const double dx = size.width() * 0.35;
            bool found = false;
            for (int ring = 1; ring <= 7 && !found; ++ring) {
                for (const QPointF dir :
                     {QPointF(0, 1), QPointF(0, -1), QPointF(1, 0), QPointF(-1, 0), QPointF(1, 1),
                      QPointF(-1, 1), QPointF(1, -1), QPointF(-1, -1)}) {
                    const QPointF cand =
                        g.labels.at(i) + QPointF(dir.x() * dx * ring, dir.y() * dy * ring);
                    if (freeAt(boxAt(cand, size))) {
                        best = cand;
                        found = true;
                        break;
                    }
                }
            }
        }
        g.labels.at(i) = best;
        taken.push_back(boxAt(best, size));
    }
}

} // namespace tcpviz
