#include "state_graph_view.h"

#include "event_text.h"
#include "narration/glossary.h"
#include "narration/narrator.h"
#include "view_style.h"

#include <QCoreApplication>
#include <QFontMetricsF>
#include <QHelpEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QPainterPathStroker>
#include <QToolTip>
#include <QVariantAnimation>
#include <algorithm>
#include <cmath>

namespace tcpviz {

namespace {

constexpr int kGhostClosed = static_cast<int>(kStateCount); // bottom-right CLOSED, as in the RFC

QString explainState(State s) {
    switch (s) {
    case State::Closed:
        return StateGraphView::tr("No connection: no TCB exists.");
    case State::Listen:
        return StateGraphView::tr(
            "Waiting for a connection request (SYN) from any remote endpoint.");
    case State::SynSent:
        return StateGraphView::tr("SYN sent; waiting for a matching SYN,ACK.");
    case State::SynReceived:
        return StateGraphView::tr("SYN received and SYN,ACK sent; waiting for the ACK of our SYN.");
    case State::Established:
        return StateGraphView::tr("The connection is open: data flows both ways.");
    case State::FinWait1:
        return StateGraphView::tr("Our FIN is sent; waiting for its ACK or for the peer's FIN.");
    case State::FinWait2:
        return StateGraphView::tr("Our FIN is acknowledged; waiting for the peer's FIN.");
    case State::CloseWait:
        return StateGraphView::tr(
            "The peer has closed its side; waiting for our application to close.");
    case State::Closing:
        return StateGraphView::tr("Both sides closed at once; waiting for the ACK of our FIN.");
    case State::LastAck:
        return StateGraphView::tr("Our FIN (after the peer's) is sent; waiting for its ACK.");
    case State::TimeWait:
        return StateGraphView::tr(
            "Waiting 2\u00d7MSL so that old duplicates die out and the last ACK can be resent.");
    }
    return {};
}

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

QColor mixColor(const QColor& a, const QColor& b, double t) {
    const auto m = [t](int x, int y) { return static_cast<int>(x * (1.0 - t) + y * t); };
    return QColor(m(a.red(), b.red()), m(a.green(), b.green()), m(a.blue(), b.blue()));
}

QColor readableOn(const QColor& fill) {
    return fill.lightness() > 140 ? QColor(0, 0, 0) : QColor(255, 255, 255);
}

} // namespace

StateGraphView::StateGraphView(QWidget* parent)
    : QWidget(parent)
    , m_animation(new QVariantAnimation(this)) {
    setMouseTracking(true);
    setAttribute(Qt::WA_OpaquePaintEvent, true);
    m_animation->setStartValue(0.0);
    m_animation->setEndValue(1.0);
    m_animation->setDuration(700);
    m_animation->setEasingCurve(QEasingCurve::InOutQuad);
    connect(m_animation, &QVariantAnimation::valueChanged, this,
            [this](const QVariant& v) { setArcProgress(v.toDouble()); });
    buildDiagram();
    setPalette(viewPalette(m_settings));
}

StateGraphView::~StateGraphView() = default;

void StateGraphView::buildDiagram() {
    // Normalised centres: the RFC 9293 Figure 5 arrangement.
    const auto at = [this](State s, double x, double y) {
        m_nodes.at(index(s)) = Node{s, QPointF(x, y), false};
    };
    m_nodes.assign(kStateCount + 1, Node{State::Closed, {}, false});
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
    m_nodes.at(kGhostClosed) = Node{State::Closed, QPointF(0.87, 0.96), true};

    struct Spec {
        ArcId arc;
        double bend;
        bool toGhost;
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
        Edge e;
        e.arcs = {s.arc};
        e.from = static_cast<int>(index(a.from));
        e.to = s.toGhost ? kGhostClosed : static_cast<int>(index(a.to));
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
        const int to = lower ? kGhostClosed : static_cast<int>(index(a.to));
        auto it = std::find_if(m_edges.begin(), m_edges.end(),
                               [&](const Edge& e) { return e.from == from && e.to == to; });
        if (it != m_edges.end()) {
            it->arcs.push_back(a.id);
            continue;
        }
        Edge e;
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

void StateGraphView::setTrace(const Trace* trace) {
    m_trace = trace;
    // Transition indices per side, so that a seek is a binary search.
    for (auto& list : m_transitions) {
        list.clear();
    }
    if (trace != nullptr) {
        for (const TraceEvent& e : trace->events()) {
            if (e.kind == EventKind::Transition) {
                m_transitions.at(static_cast<std::size_t>(e.endpoint)).push_back(e.index);
            }
        }
    }
    m_position = 0;
    m_animation->stop();
    m_progress = 1.0;
    setPosition(0);
}

void StateGraphView::setPosition(std::size_t position) {
    const std::size_t old = m_position;
    m_position = m_trace == nullptr ? 0 : std::min(position, m_trace->size());
    std::optional<Side> changed;
    for (Side side : {Side::Client, Side::Server}) {
        std::optional<ArcId> last;
        if (m_trace != nullptr) {
            const auto& list = m_transitions.at(static_cast<std::size_t>(side));
            const auto it = std::lower_bound(list.begin(), list.end(), m_position);
            if (it != list.begin()) {
                const std::optional<std::size_t> i = *(it - 1);
                last = m_trace->event(*i).arc;
                // Animate only a transition that this step (forward) just made.
                if (m_position > old && *i >= old) {
                    changed = side;
                }
            }
        }
        m_lastArc.at(static_cast<std::size_t>(side)) = last;
    }
    if (changed && m_animate) {
        m_animatedSide = changed;
        m_animation->stop();
        m_progress = 0.0;
        m_animation->start();
    } else if (!changed) {
        m_animation->stop();
        m_progress = 1.0;
    }
    update();
}

void StateGraphView::setSettings(const ViewSettings& settings) {
    m_settings = settings;
    setPalette(viewPalette(settings));
    relayout();
    updateGeometry();
    update();
}

void StateGraphView::setAnimationsEnabled(bool on) {
    m_animate = on;
    if (!on) {
        m_animation->stop();
        m_progress = 1.0;
        update();
    }
}

void StateGraphView::setShowExtraArcs(bool show) {
    m_showExtra = show;
    update();
}

void StateGraphView::setShowArcLabels(bool show) {
    m_showLabels = show;
    update();
}

void StateGraphView::setStateCounts(const std::array<std::size_t, kStateCount>& counts) {
    m_counts = counts;
    update();
}

void StateGraphView::clearStateCounts() {
    m_counts.reset();
    update();
}

void StateGraphView::setArcProgress(double progress) {
    m_progress = std::clamp(progress, 0.0, 1.0);
    update();
}

std::optional<State> StateGraphView::highlightedState(Side side) const {
    if (m_trace == nullptr || m_counts) {
        return std::nullopt;
    }
    return m_trace->stateAt(side, m_position);
}

std::optional<ArcId> StateGraphView::highlightedArc(Side side) const {
    if (m_trace == nullptr || m_counts) {
        return std::nullopt;
    }
    return m_lastArc.at(static_cast<std::size_t>(side));
}

int StateGraphView::edgeOf(ArcId id) const {
    for (std::size_t i = 0; i < m_edges.size(); ++i) {
        const auto& arcs = m_edges[i].arcs;
        if (std::find(arcs.begin(), arcs.end(), id) != arcs.end()) {
            return static_cast<int>(i);
        }
    }
    return -1;
}

bool StateGraphView::edgeVisible(const Edge& e) const {
    if (e.figure || m_showExtra) {
        return true;
    }
    // A hidden extra arc still shows when an endpoint has just taken it.
    for (Side side : {Side::Client, Side::Server}) {
        const auto& last = m_lastArc.at(static_cast<std::size_t>(side));
        if (last && std::find(e.arcs.begin(), e.arcs.end(), *last) != e.arcs.end() && !m_counts) {
            return true;
        }
    }
    return false;
}

StateGraphView::Geometry StateGraphView::layout(const QRectF& rect) const {
    Geometry g;
    g.rect = rect;
    // Node size from the longest state name; shrink the font when the widget is small.
    QFont font = viewFont(m_settings);
    font.setBold(true);
    double longest = 0.0;
    {
        const QFontMetricsF fm(font);
        for (State s : kAllStates) {
            longest = std::max(longest, fm.horizontalAdvance(stateLabel(s, m_settings)));
        }
        const double nodeW = longest + fm.averageCharWidth() * 2.0;
        const double nodeH = fm.height() * 2.0;
        const double scale =
            std::min({1.0, rect.width() * 0.22 / nodeW, rect.height() * 0.075 / nodeH});
        // On a projector the labels stay readable from the back row: the node
        // font shrinks no further than keeps the arc labels (0.8 of it) at the minimum.
        font.setPointSizeF(
            std::max({font.pointSizeF() * scale, 5.0, minimumPointSize(m_settings) / 0.8}));
    }
    const QFontMetricsF fm(font);
    longest = 0.0;
    for (State s : kAllStates) {
        longest = std::max(longest, fm.horizontalAdvance(stateLabel(s, m_settings)));
    }
    const double nodeW = longest + fm.averageCharWidth() * 2.0;
    const double nodeH = fm.height() * 1.9;
    g.nodeFont = font;
    g.labelFont = font;
    g.labelFont.setBold(false);
    g.labelFont.setPointSizeF(std::max(font.pointSizeF() * 0.8, minimumPointSize(m_settings)));

    const QRectF area = rect.adjusted(nodeW / 2 + 4, nodeH / 2 + 4, -nodeW / 2 - 4, -nodeH / 2 - 4);
    for (const Node& n : m_nodes) {
        const QPointF c(area.left() + n.at.x() * area.width(),
                        area.top() + n.at.y() * area.height());
        g.nodes.emplace_back(c.x() - nodeW / 2, c.y() - nodeH / 2, nodeW, nodeH);
    }
    for (const Edge& e : m_edges) {
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

// On a small widget (a 1280x720 projector) the hand-tuned label spots collide
// with nodes and with each other. Each figure label that overlaps something
// already placed moves to the nearest free spot on a small ring of candidates
// around its preferred position; if none is free it stays where it was.
void StateGraphView::placeLabelsApart(Geometry& g) const {
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
        const Edge& e = m_edges[i];
        if (!e.figure || !edgeVisible(e)) {
            continue;
        }
        const Arc& a = arc(e.arcs.front());
        const QString ev = toQString(a.event);
        const QString act = a.action == "x" ? QString() : toQString(a.action);
        const QSizeF size(std::max(lfm.horizontalAdvance(ev), lfm.horizontalAdvance(act)) + 6.0,
                          act.isEmpty() ? lfm.height() : lfm.height() * 2.0 + 2.0);
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

void StateGraphView::relayout() {
    m_geometry = layout(QRectF(rect()));
}

const StateGraphView::Geometry& StateGraphView::geometryNow() const {
    // Hidden widgets get no resize event; queries must still see the current size.
    if (m_geometry.rect != QRectF(rect()) || m_geometry.nodes.empty()) {
        m_geometry = layout(QRectF(rect()));
    }
    return m_geometry;
}

QRectF StateGraphView::nodeRect(State state) const {
    return geometryNow().nodes.at(index(state));
}

QRectF StateGraphView::lowerClosedRect() const {
    return geometryNow().nodes.at(static_cast<std::size_t>(kGhostClosed));
}

int StateGraphView::litNode(Side side) const {
    if (m_trace == nullptr || m_counts) {
        return -1;
    }
    const State state = m_trace->stateAt(side, m_position);
    const int node = static_cast<int>(index(state));
    if (state != State::Closed) {
        return node;
    }
    // CLOSED is drawn twice: light the copy the endpoint's last arc ends at, so
    // that the badge is not on both (the top one before the endpoint opened).
    const auto& last = m_lastArc.at(static_cast<std::size_t>(side));
    if (!last) {
        return node;
    }
    const int e = edgeOf(*last);
    return e >= 0 && m_edges.at(static_cast<std::size_t>(e)).to == kGhostClosed ? kGhostClosed
                                                                                : node;
}

QRectF StateGraphView::litNodeRect(Side side) const {
    const int node = litNode(side);
    return node < 0 ? QRectF() : geometryNow().nodes.at(static_cast<std::size_t>(node));
}

QPainterPath StateGraphView::arcPath(ArcId id) const {
    const int e = edgeOf(id);
    if (e < 0 || !edgeVisible(m_edges.at(static_cast<std::size_t>(e)))) {
        return {};
    }
    return geometryNow().edges.at(static_cast<std::size_t>(e));
}

std::optional<State> StateGraphView::stateAt(QPointF point) const {
    const Geometry& g = geometryNow();
    for (std::size_t i = 0; i < g.nodes.size(); ++i) {
        if (g.nodes[i].contains(point)) {
            return m_nodes.at(i).state;
        }
    }
    return std::nullopt;
}

std::optional<ArcId> StateGraphView::arcAt(QPointF point) const {
    QPainterPathStroker stroker;
    const Geometry& g = geometryNow();
    stroker.setWidth(QFontMetricsF(g.labelFont).height() * 0.6);
    for (std::size_t i = 0; i < m_edges.size(); ++i) {
        if (!edgeVisible(m_edges[i])) {
            continue;
        }
        if (stroker.createStroke(g.edges.at(i)).contains(point)) {
            return m_edges[i].arcs.front();
        }
    }
    return std::nullopt;
}

QString StateGraphView::toolTipAt(QPointF point) const {
    if (const auto s = stateAt(point)) {
        // The narrator's explanation (English or Chinese, as the model's texts);
        // the short built-in one if it has none.
        QString explanation = QString::fromStdString(stateExplanation(*s).in(m_settings.language));
        if (explanation.isEmpty()) {
            explanation = explainState(*s);
        }
        QString text = QStringLiteral("<b>%1</b><br>%2")
                           .arg(stateLabel(*s, m_settings), explanation.toHtmlEscaped());
        if (m_counts) {
            text += QStringLiteral("<br>") + tr("%n connection(s) in this state", nullptr,
                                                static_cast<int>(m_counts->at(index(*s))));
        }
        return text;
    }
    if (const auto id = arcAt(point)) {
        const Edge& e = m_edges.at(static_cast<std::size_t>(edgeOf(*id)));
        QStringList lines;
        for (ArcId member : e.arcs) {
            const Arc& a = arc(member);
            lines << QStringLiteral("<b>%1 \u2192 %2</b>: %3%4")
                         .arg(stateLabel(a.from, m_settings), stateLabel(a.to, m_settings),
                              toQString(a.label()).toHtmlEscaped(),
                              a.inFigure ? tr(" (RFC 9293 Figure 5)")
                                         : tr(" (RFC 9293 section 3.10)"));
            const QString why =
                QString::fromStdString(arcExplanation(member).in(m_settings.language));
            if (!why.isEmpty() && e.arcs.size() <= 3) {
                lines << why.toHtmlEscaped();
            }
        }
        return lines.join(QStringLiteral("<br>"));
    }
    return {};
}

void StateGraphView::paintGraph(QPainter& p, const QRectF& target) const {
    const Geometry g = target == QRectF(rect()) ? geometryNow() : layout(target);
    const ViewColors colors = viewColors(m_settings);
    const double ls = lineScale(m_settings);
    p.save();
    p.setRenderHint(QPainter::Antialiasing, true);
    p.fillRect(target, colors.background);

    const QFontMetricsF lfm(g.labelFont, p.device());
    const auto lastOf = [this](Side s) { return m_lastArc.at(static_cast<std::size_t>(s)); };
    const bool lit = m_trace != nullptr && !m_counts;

    // Edges first, under the nodes; the endpoints' last arcs on top of the others.
    const auto drawHead = [&p](const QPainterPath& path, const QColor& color, double size) {
        const int n = path.elementCount();
        if (n < 2) {
            return;
        }
        const QPointF tip = path.elementAt(n - 1);
        const QPointF prev = path.elementAt(n - 2);
        QPointF dir = tip - prev;
        const double len = std::hypot(dir.x(), dir.y());
        if (len <= 0) {
            return;
        }
        dir /= len;
        const QPointF nrm(-dir.y(), dir.x());
        p.setPen(Qt::NoPen);
        p.setBrush(color);
        p.drawPolygon(QPolygonF{tip, tip - dir * size + nrm * size * 0.45,
                                tip - dir * size - nrm * size * 0.45});
    };
    const double head = lfm.height() * 0.55;
    std::vector<std::pair<std::size_t, Side>> litEdges;
    for (std::size_t i = 0; i < m_edges.size(); ++i) {
        const Edge& e = m_edges[i];
        if (!edgeVisible(e)) {
            continue;
        }
        std::optional<Side> takenBy;
        if (lit) {
            for (Side s : {Side::Client, Side::Server}) {
                const auto last = lastOf(s);
                if (last && std::find(e.arcs.begin(), e.arcs.end(), *last) != e.arcs.end()) {
                    litEdges.emplace_back(i, s);
                    takenBy = s;
                }
            }
        }
        if (takenBy) {
            continue;
        }
        const QColor c = e.figure ? colors.line : mixColor(colors.line, colors.background, 0.55);
        QPen pen(c, (e.figure ? 1.3 : 1.0) * ls);
        if (!e.figure) {
            pen.setStyle(Qt::DashLine);
        }
        p.setPen(pen);
        p.setBrush(Qt::NoBrush);
        p.drawPath(g.edges.at(i));
        drawHead(g.edges.at(i), c, e.figure ? head : head * 0.75);
    }
    for (const auto& [i, side] : litEdges) {
        const QColor c = colors.endpoint(side);
        p.setPen(QPen(c, 3.2 * ls));
        p.setBrush(Qt::NoBrush);
        p.drawPath(g.edges.at(i));
        drawHead(g.edges.at(i), c, head * 1.3);
    }

    // Labels of the figure arcs (and of a lit extra arc), RFC style: event over action.
    if (m_showLabels) {
        p.setFont(g.labelFont);
        for (std::size_t i = 0; i < m_edges.size(); ++i) {
            const Edge& e = m_edges[i];
            const bool isLit = std::any_of(litEdges.begin(), litEdges.end(),
                                           [i](const auto& le) { return le.first == i; });
            if (!edgeVisible(e) || (!e.figure && !isLit)) {
                continue;
            }
            ArcId shown = e.arcs.front();
            for (const auto& [li, side] : litEdges) {
                if (li == i) {
                    shown = *lastOf(side);
                }
            }
            const Arc& a = arc(shown);
            const QString ev = toQString(a.event);
            const QString act = a.action == "x" ? QString() : toQString(a.action);
            const double w = std::max(lfm.horizontalAdvance(ev), lfm.horizontalAdvance(act)) + 6.0;
            const double h = act.isEmpty() ? lfm.height() : lfm.height() * 2.0 + 2.0;
            const QRectF box(g.labels.at(i).x() - w / 2, g.labels.at(i).y() - h / 2, w, h);
            QColor bg = colors.background;
            bg.setAlpha(220);
            p.setPen(Qt::NoPen);
            p.setBrush(bg);
            p.drawRoundedRect(box, 3, 3);
            p.setPen(isLit ? colors.text : colors.mutedText);
            p.drawText(QRectF(box.left(), box.top(), w, lfm.height()), Qt::AlignCenter, ev);
            if (!act.isEmpty()) {
                p.setPen(QPen(colors.grid, 1.0));
                p.drawLine(QPointF(box.left() + 3, box.top() + lfm.height() + 1),
                           QPointF(box.right() - 3, box.top() + lfm.height() + 1));
                p.setPen(isLit ? colors.text : colors.mutedText);
                p.drawText(QRectF(box.left(), box.top() + lfm.height() + 2, w, lfm.height()),
                           Qt::AlignCenter, act);
            }
        }
    }

    // The arc just taken: a dot running along it.
    if (lit && m_animatedSide && m_progress < 1.0) {
        const auto last = lastOf(*m_animatedSide);
        const int e = last ? edgeOf(*last) : -1;
        if (e >= 0) {
            const QPainterPath& path = g.edges.at(static_cast<std::size_t>(e));
            const QPointF dot = path.pointAtPercent(std::clamp(m_progress, 0.0, 1.0));
            p.setPen(QPen(colors.background, 2.0));
            p.setBrush(colors.endpoint(*m_animatedSide));
            p.drawEllipse(dot, head * 0.7, head * 0.7);
        }
    }

    // Nodes.
    std::size_t maxCount = 0;
    if (m_counts) {
        maxCount = *std::max_element(m_counts->begin(), m_counts->end());
    }
    const QColor heat = m_settings.dark ? QColor(0xb4, 0x8c, 0xff) : QColor(0x4b, 0x2a, 0x8c);
    const QFontMetricsF nfm(g.nodeFont, p.device());
    for (std::size_t i = 0; i < m_nodes.size(); ++i) {
        const Node& n = m_nodes[i];
        const QRectF r = g.nodes.at(i);
        const bool client = lit && litNode(Side::Client) == static_cast<int>(i);
        const bool server = lit && litNode(Side::Server) == static_cast<int>(i);
        QColor fill = stateTint(n.state, m_settings);
        QString second;
        if (m_counts) {
            const std::size_t count = m_counts->at(index(n.state));
            const double t =
                maxCount == 0
                    ? 0.0
                    : std::sqrt(static_cast<double>(count) / static_cast<double>(maxCount));
            fill = mixColor(colors.background, heat, 0.08 + 0.92 * t);
            second = QString::number(count);
        }
        QPainterPath shape;
        shape.addRoundedRect(r, r.height() * 0.25, r.height() * 0.25);
        p.setPen(Qt::NoPen);
        if (client && server) {
            p.setBrush(colors.client);
            p.save();
            p.setClipRect(QRectF(r.left(), r.top(), r.width() / 2, r.height()));
            p.drawPath(shape);
            p.restore();
            p.save();
            p.setBrush(colors.server);
            p.setClipRect(QRectF(r.center().x(), r.top(), r.width() / 2, r.height()));
            p.drawPath(shape);
            p.restore();
        } else {
            p.setBrush(client ? colors.client : server ? colors.server : fill);
            p.drawPath(shape);
        }
        QPen border(colors.line, (client || server ? 2.4 : 1.2) * ls);
        if (n.ghost) {
            border.setStyle(Qt::DashLine);
        }
        p.setPen(border);
        p.setBrush(Qt::NoBrush);
        p.drawPath(shape);
        QColor textColor = colors.text;
        if (client && !server) {
            textColor = readableOn(colors.client);
        } else if (server && !client) {
            textColor = readableOn(colors.server);
        } else if (client && server) {
            textColor = QColor(255, 255, 255);
        } else if (m_counts) {
            textColor = readableOn(fill);
        }
        p.setFont(g.nodeFont);
        if (client && server) {
            // Outline the text so it reads over both halves.
            QPainterPath text;
            const QString label = stateLabel(n.state, m_settings);
            const double tw = nfm.horizontalAdvance(label);
            text.addText(QPointF(r.center().x() - tw / 2,
                                 r.center().y() + nfm.ascent() / 2 - nfm.descent() / 2),
                         g.nodeFont, label);
            p.setPen(QPen(QColor(0, 0, 0), 2.5));
            p.drawPath(text);
            p.fillPath(text, QColor(255, 255, 255));
        } else if (second.isEmpty()) {
            p.setPen(textColor);
            p.drawText(r, Qt::AlignCenter, stateLabel(n.state, m_settings));
        } else {
            p.setPen(textColor);
            p.drawText(QRectF(r.left(), r.top() + r.height() * 0.05, r.width(), r.height() / 2),
                       Qt::AlignCenter, stateLabel(n.state, m_settings));
            QFont f = g.nodeFont;
            f.setBold(false);
            p.setFont(f);
            p.drawText(QRectF(r.left(), r.center().y(), r.width(), r.height() / 2), Qt::AlignCenter,
                       second);
        }
        // Badges: the letter says whose state this is, independent of colour.
        const double br = nfm.height() * 0.55;
        const auto badge = [&](const QPointF& c, const QColor& color, const QString& letter) {
            p.setPen(QPen(colors.background, 1.5));
            p.setBrush(color);
            p.drawEllipse(c, br, br);
            p.setPen(readableOn(color));
            QFont f = g.nodeFont;
            f.setPointSizeF(std::max(f.pointSizeF() * 0.85, minimumPointSize(m_settings)));
            p.setFont(f);
            p.drawText(QRectF(c.x() - br, c.y() - br, 2 * br, 2 * br), Qt::AlignCenter, letter);
        };
        if (client) {
            badge(QPointF(r.left() + br * 0.3, r.top() + br * 0.1), colors.client,
                  badgeLetter(Side::Client));
        }
        if (server) {
            badge(QPointF(r.right() - br * 0.3, r.top() + br * 0.1), colors.server,
                  badgeLetter(Side::Server));
        }
    }
    p.restore();
}

QString StateGraphView::badgeLetter(Side side) {
    return side == Side::Client ? tr("C") : tr("S");
}

QSize StateGraphView::sizeHint() const {
    const QFontMetricsF fm(viewFont(m_settings));
    return {static_cast<int>(fm.averageCharWidth() * 80), static_cast<int>(fm.height() * 34)};
}

QSize StateGraphView::minimumSizeHint() const {
    const QFontMetricsF fm(viewFont(m_settings));
    return {static_cast<int>(fm.averageCharWidth() * 40), static_cast<int>(fm.height() * 16)};
}

void StateGraphView::paintEvent(QPaintEvent* /*event*/) {
    QPainter p(this);
    paintGraph(p, QRectF(rect()));
}

void StateGraphView::resizeEvent(QResizeEvent* event) {
    QWidget::resizeEvent(event);
    relayout();
}

bool StateGraphView::event(QEvent* event) {
    if (event->type() == QEvent::ToolTip) {
        auto* help = static_cast<QHelpEvent*>(event);
        const QString text = toolTipAt(help->pos());
        if (text.isEmpty()) {
            QToolTip::hideText();
            event->ignore();
        } else {
            QToolTip::showText(help->globalPos(), text, this);
        }
        return true;
    }
    return QWidget::event(event);
}

void StateGraphView::mousePressEvent(QMouseEvent* event) {
    if (const auto s = stateAt(event->position())) {
        emit stateClicked(*s);
    }
}

} // namespace tcpviz
