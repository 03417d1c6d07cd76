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
    setPalette(viewPalette(m_renderer.settings()));
}

StateGraphView::~StateGraphView() = default;

void StateGraphView::setTrace(const Trace* trace) {
    m_animation->stop();
    m_progress = 1.0;
    m_animatedSide.reset();
    m_renderer.setTrace(trace);
    setPosition(0);
}

void StateGraphView::setPosition(std::size_t position) {
    const std::optional<Side> changed = m_renderer.setPosition(position);
    if (changed && m_animate) {
        m_animatedSide = changed;
        m_animation->stop();
        m_progress = 0.0;
        m_animation->start();
    } else if (!changed) {
        m_animation->stop();
        m_progress = 1.0;
    }
    m_renderer.setAnimatedArc(m_animatedSide, m_progress);
    update();
}

void StateGraphView::setSettings(const ViewSettings& settings) {
    m_renderer.setSettings(settings);
    setPalette(viewPalette(settings));
    updateGeometry();
    update();
}

void StateGraphView::setAnimationsEnabled(bool on) {
    m_animate = on;
    if (!on) {
        m_animation->stop();
        m_progress = 1.0;
        m_renderer.setAnimatedArc(m_animatedSide, m_progress);
        update();
    }
}

void StateGraphView::setShowExtraArcs(bool show) {
    m_renderer.setShowExtraArcs(show);
    update();
}

void StateGraphView::setShowArcLabels(bool show) {
    m_renderer.setShowArcLabels(show);
    update();
}

void StateGraphView::setStateCounts(const std::array<std::size_t, kStateCount>& counts) {
    m_renderer.setStateCounts(counts);
    update();
}

void StateGraphView::setCountsWithTrace(bool on) {
    m_renderer.setCountsWithTrace(on);
    update();
}

void StateGraphView::clearStateCounts() {
    m_renderer.clearStateCounts();
    update();
}

void StateGraphView::setArcProgress(double progress) {
    m_progress = std::clamp(progress, 0.0, 1.0);
    m_renderer.setAnimatedArc(m_animatedSide, m_progress);
    update();
}

std::optional<State> StateGraphView::highlightedState(Side side) const {
    return m_renderer.highlightedState(side);
}

std::optional<ArcId> StateGraphView::highlightedArc(Side side) const {
    return m_renderer.highlightedArc(side);
}

const StateGraphGeometry& StateGraphView::geometryNow() const {
    // Hidden widgets get no resize event; queries must still see the current size.
    return m_renderer.geometry(QRectF(rect()));
}

QRectF StateGraphView::nodeRect(State state) const {
    return geometryNow().nodes.at(index(state));
}

QRectF StateGraphView::lowerClosedRect() const {
    return geometryNow().nodes.at(static_cast<std::size_t>(StateGraphLayout::kLowerClosed));
}

QRectF StateGraphView::litNodeRect(Side side) const {
    const int node = m_renderer.litNode(side);
    return node < 0 ? QRectF() : geometryNow().nodes.at(static_cast<std::size_t>(node));
}

QPainterPath StateGraphView::arcPath(ArcId id) const {
    const StateGraphLayout& layout = m_renderer.layout();
    const int e = layout.edgeOf(id);
    if (e < 0 || !m_renderer.edgeVisible(layout.edges().at(static_cast<std::size_t>(e)))) {
        return {};
    }
    return geometryNow().edges.at(static_cast<std::size_t>(e));
}

std::optional<State> StateGraphView::stateAt(QPointF point) const {
    const StateGraphGeometry& g = geometryNow();
    for (std::size_t i = 0; i < g.nodes.size(); ++i) {
        if (g.nodes[i].contains(point)) {
            return m_renderer.layout().nodes().at(i).state;
        }
    }
    return std::nullopt;
}

std::optional<ArcId> StateGraphView::arcAt(QPointF point) const {
    QPainterPathStroker stroker;
    const StateGraphGeometry& g = geometryNow();
    const auto& edges = m_renderer.layout().edges();
    stroker.setWidth(QFontMetricsF(g.labelFont).height() * 0.6);
    for (std::size_t i = 0; i < edges.size(); ++i) {
        if (!m_renderer.edgeVisible(edges[i])) {
            continue;
        }
        if (stroker.createStroke(g.edges.at(i)).contains(point)) {
            return edges[i].arcs.front();
        }
    }
    return std::nullopt;
}

QString StateGraphView::toolTipAt(QPointF point) const {
    if (const auto s = stateAt(point)) {
        // The narrator's explanation (English or Chinese, as the model's texts);
        // the short built-in one if it has none.
        QString explanation = QString::fromStdString(stateExplanation(*s).in(settings().language));
        if (explanation.isEmpty()) {
            explanation = explainState(*s);
        }
        QString text = QStringLiteral("<b>%1</b><br>%2")
                           .arg(stateLabel(*s, settings()), explanation.toHtmlEscaped());
        if (const auto& counts = m_renderer.stateCounts()) {
            text += QStringLiteral("<br>") + tr("%n connection(s) in this state", nullptr,
                                                static_cast<int>(counts->at(index(*s))));
        }
        return text;
    }
    if (const auto id = arcAt(point)) {
        const StateGraphEdge& e = m_renderer.layout().edges().at(
            static_cast<std::size_t>(m_renderer.layout().edgeOf(*id)));
        QStringList lines;
        for (ArcId member : e.arcs) {
            const Arc& a = arc(member);
            lines << QStringLiteral("<b>%1 \u2192 %2</b>: %3%4")
                         .arg(stateLabel(a.from, settings()), stateLabel(a.to, settings()),
                              toQString(a.label()).toHtmlEscaped(),
                              a.inFigure ? tr(" (RFC 9293 Figure 5)")
                                         : tr(" (RFC 9293 section 3.10)"));
            const QString why =
                QString::fromStdString(arcExplanation(member).in(settings().language));
            if (!why.isEmpty() && e.arcs.size() <= 3) {
                lines << why.toHtmlEscaped();
            }
        }
        return lines.join(QStringLiteral("<br>"));
    }
    return {};
}

void StateGraphView::paintGraph(QPainter& p, const QRectF& target) const {
    m_renderer.paint(p, target);
}

QString StateGraphView::badgeLetter(Side side) {
    return StateGraphRenderer::badgeLetter(side);
}

QSize StateGraphView::sizeHint() const {
    const QFontMetricsF fm(viewFont(settings()));
    return {static_cast<int>(fm.averageCharWidth() * 80), static_cast<int>(fm.height() * 34)};
}

QSize StateGraphView::minimumSizeHint() const {
    const QFontMetricsF fm(viewFont(settings()));
    return {static_cast<int>(fm.averageCharWidth() * 40), static_cast<int>(fm.height() * 16)};
}

void StateGraphView::paintEvent(QPaintEvent* /*event*/) {
    QPainter p(this);
    paintGraph(p, QRectF(rect()));
}

void StateGraphView::resizeEvent(QResizeEvent* event) {
    QWidget::resizeEvent(event);
    (void)geometryNow();
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
