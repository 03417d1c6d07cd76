#include "state_graph_renderer.h"

#include "event_text.h"
#include "view_style.h"

#include <QCoreApplication>
#include <QFontMetricsF>
#include <QPainter>
#include <QPolygonF>
#include <algorithm>
#include <cmath>

namespace tcpviz {

namespace {

QColor mixColor(const QColor& a, const QColor& b, double t) {
    const auto m = [t](int x, int y) { return static_cast<int>(x * (1.0 - t) + y * t); };
    return QColor(m(a.red(), b.red()), m(a.green(), b.green()), m(a.blue(), b.blue()));
}

QColor readableOn(const QColor& fill) {
    return fill.lightness() > 140 ? QColor(0, 0, 0) : QColor(255, 255, 255);
}

} // namespace

void StateGraphRenderer::setTrace(const Trace* trace) {
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
    m_animatedSide.reset();
    m_progress = 1.0;
    (void)setPosition(0);
}

std::optional<Side> StateGraphRenderer::setPosition(std::size_t position) {
    const std::size_t old = m_position;
    m_position = m_trace == nullptr ? 0 : std::min(position, m_trace->size());
    std::optional<Side> changed;
    for (Side side : {Side::Client, Side::Server}) {
        std::optional<ArcId> last;
        if (m_trace != nullptr) {
            const auto& list = m_transitions.at(static_cast<std::size_t>(side));
            const auto it = std::lower_bound(list.begin(), list.end(), m_position);
            if (it != list.begin()) {
                const std::size_t i = *(it - 1);
                last = m_trace->event(i).arc;
                // Animate only a transition that this step (forward) just made.
                if (m_position > old && i >= old) {
                    changed = side;
                }
            }
        }
        m_lastArc.at(static_cast<std::size_t>(side)) = last;
    }
    return changed;
}

void StateGraphRenderer::setSettings(const ViewSettings& settings) {
    m_settings = settings;
    m_geometryValid = false;
}

void StateGraphRenderer::setAnimatedArc(std::optional<Side> side, double progress) {
    m_animatedSide = side;
    m_progress = std::clamp(progress, 0.0, 1.0);
}

const StateGraphGeometry& StateGraphRenderer::geometry(const QRectF& rect) const {
    if (!m_geometryValid || m_geometry.rect != rect) {
        m_geometry = m_layout.compute(rect, m_settings);
        m_geometryValid = true;
    }
    return m_geometry;
}

std::optional<State> StateGraphRenderer::highlightedState(Side side) const {
    if (!endpointsShown()) {
        return std::nullopt;
    }
    return m_trace->stateAt(side, m_position);
}

std::optional<ArcId> StateGraphRenderer::highlightedArc(Side side) const {
    if (!endpointsShown()) {
        return std::nullopt;
    }
    return m_lastArc.at(static_cast<std::size_t>(side));
}

bool StateGraphRenderer::edgeVisible(const StateGraphEdge& e) const {
    if (e.figure || m_showExtra) {
        return true;
    }
    // A hidden extra arc still shows when an endpoint has just taken it.
    for (Side side : {Side::Client, Side::Server}) {
        const auto& last = m_lastArc.at(static_cast<std::size_t>(side));
        if (last && std::find(e.arcs.begin(), e.arcs.end(), *last) != e.arcs.end() &&
            endpointsShown()) {
            return true;
        }
    }
    return false;
}

int StateGraphRenderer::litNode(Side side) const {
    if (!endpointsShown()) {
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
    const int e = m_layout.edgeOf(*last);
    return e >= 0 && m_layout.edges().at(static_cast<std::size_t>(e)).to ==
                         StateGraphLayout::kLowerClosed
               ? StateGraphLayout::kLowerClosed
               : node;
}

int StateGraphRenderer::countNode(State state) {
    return state == State::Closed ? StateGraphLayout::kLowerClosed : static_cast<int>(index(state));
}

QString StateGraphRenderer::badgeLetter(Side side) {
    // The context is the widget's, where these strings have always been translated.
    return side == Side::Client ? QCoreApplication::translate("tcpviz::StateGraphView", "C")
                                : QCoreApplication::translate("tcpviz::StateGraphView", "S");
}

void StateGraphRenderer::paint(QPainter& p, const QRectF& target) {
    m_drawnCounts.clear();
    const StateGraphGeometry& g = geometry(target);
    const ViewColors colors = viewColors(m_settings);
    const double ls = lineScale(m_settings);
    p.save();
    p.setRenderHint(QPainter::Antialiasing, true);
    p.fillRect(target, colors.background);

    const QFontMetricsF lfm(g.labelFont, p.device());
    const auto lastOf = [this](Side s) { return m_lastArc.at(static_cast<std::size_t>(s)); };
    const bool lit = endpointsShown();
    const auto& edges = m_layout.edges();
    const auto& nodes = m_layout.nodes();

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
    for (std::size_t i = 0; i < edges.size(); ++i) {
        const StateGraphEdge& e = edges[i];
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
        for (std::size_t i = 0; i < edges.size(); ++i) {
            const StateGraphEdge& e = edges[i];
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
            const QString ev = StateGraphLayout::labelEvent(a);
            const QString act = StateGraphLayout::labelAction(a);
            const QSizeF size = StateGraphLayout::labelSize(a, lfm);
            const double w = size.width();
            const double h = size.height();
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
        const int e = last ? m_layout.edgeOf(*last) : -1;
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
    for (std::size_t i = 0; i < nodes.size(); ++i) {
        const StateGraphNode& n = nodes[i];
        const QRectF r = g.nodes.at(i);
        const bool client = lit && litNode(Side::Client) == static_cast<int>(i);
        const bool server = lit && litNode(Side::Server) == static_cast<int>(i);
        QColor fill = stateTint(n.state, m_settings);
        QString second;
        // CLOSED is drawn twice; its number is written once (countNode), or the
        // numbers would add up to more endpoints than there are.
        const bool counted = m_counts && countNode(n.state) == static_cast<int>(i);
        if (counted) {
            const std::size_t count = m_counts->at(index(n.state));
            const double t =
                maxCount == 0
                    ? 0.0
                    : std::sqrt(static_cast<double>(count) / static_cast<double>(maxCount));
            fill = mixColor(colors.background, heat, 0.08 + 0.92 * t);
            second = QString::number(count);
            m_drawnCounts.push_back({n.state, n.lowerCopy, count,
                                     QRectF(r.left(), r.center().y(), r.width(), r.height() / 2)});
        }
        QPainterPath shape;
        shape.addRoundedRect(r, r.height() * 0.25, r.height() * 0.25);
        p.setPen(Qt::NoPen);
        // Counts with a Trace: the node keeps its heat and its number, the
        // endpoints are a ring in their colours.
        const bool ringed = counted && (client || server);
        if (ringed) {
            p.setBrush(fill);
            p.drawPath(shape);
        } else if (client && server) {
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
        if (n.lowerCopy) {
            border.setStyle(Qt::DashLine);
        }
        if (ringed) {
            // The client's ring outside, the server's inside when both are here.
            border = QPen(client ? colors.client : colors.server, (client && server ? 7 : 4) * ls);
        }
        p.setPen(border);
        p.setBrush(Qt::NoBrush);
        p.drawPath(shape);
        if (ringed && client && server) {
            p.setPen(QPen(colors.server, 3 * ls));
            p.drawPath(shape);
        }
        QColor textColor = colors.text;
        if (ringed) {
            textColor = readableOn(fill);
        } else if (client && !server) {
            textColor = readableOn(colors.client);
        } else if (server && !client) {
            textColor = readableOn(colors.server);
        } else if (client && server) {
            textColor = QColor(255, 255, 255);
        } else if (counted) {
            textColor = readableOn(fill);
        }
        p.setFont(g.nodeFont);
        if (client && server && !ringed) {
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

} // namespace tcpviz
