#include "states_chart_view.h"

#include "event_text.h"
#include "view_style.h"

#include <QEvent>
#include <QHelpEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QToolButton>
#include <QToolTip>

namespace tcpviz {

StatesChartView::StatesChartView(QWidget* parent)
    : QWidget(parent) {
    setObjectName(QStringLiteral("statesChart"));
    setMouseTracking(true);
    setAttribute(Qt::WA_OpaquePaintEvent);
    m_sidesButton = new QToolButton(this);
    m_sidesButton->setObjectName(QStringLiteral("statesChartSides"));
    m_sidesButton->setCheckable(true);
    m_sidesButton->setChecked(true);
    m_sidesButton->setAutoRaise(true);
    connect(m_sidesButton, &QToolButton::toggled, this, [this](bool apart) {
        setSides(apart ? StatesChartSides::Apart : StatesChartSides::Together);
    });
    retranslate();
}

void StatesChartView::retranslate() {
    m_sidesButton->setText(tr("Client | server"));
    m_sidesButton->setToolTip(tr("Client ends and server ends as two charts; off: summed"));
    m_sidesButton->adjustSize();
    m_sidesButton->move(width() - m_sidesButton->width() - 2,
                        height() - m_sidesButton->height() - 2);
}

void StatesChartView::setTimeline(const StateTimeline* timeline, std::int64_t startNs,
                                  std::int64_t endNs) {
    m_timeline = timeline;
    m_startNs = startNs;
    m_endNs = endNs;
    invalidate();
}

void StatesChartView::setOrigin(std::int64_t originNs) {
    m_originNs = originNs;
    update();
}

void StatesChartView::setCursorTime(std::int64_t timeNs) {
    if (timeNs != m_cursorNs) {
        m_cursorNs = timeNs;
        update();
    }
}

void StatesChartView::setSettings(const ViewSettings& settings) {
    m_settings = settings;
    setPalette(viewPalette(settings));
    m_sidesButton->setFont(viewFont(settings, 0.9));
    retranslate();
    invalidate();
}

void StatesChartView::setSides(StatesChartSides sides) {
    if (sides == m_sides) {
        return;
    }
    m_sides = sides;
    {
        const QSignalBlocker block(m_sidesButton);
        m_sidesButton->setChecked(sides == StatesChartSides::Apart);
    }
    invalidate();
    emit sidesChanged(sides);
}

void StatesChartView::setHighlight(std::optional<State> state) {
    m_highlight = state;
    update();
}

void StatesChartView::setEmptyText(const QString& text) {
    m_emptyText = text;
    update();
}

void StatesChartView::invalidate() {
    m_layout.reset();
    update();
}

const StatesChartLayout& StatesChartView::chartLayout() const {
    if (!m_layout) {
        static const StateTimeline kEmpty;
        m_layout =
            StatesChartRenderer::layout(m_timeline != nullptr ? *m_timeline : kEmpty, m_startNs,
                                        m_endNs, QSizeF(size()), m_sides, m_settings, legendFoot());
    }
    return *m_layout;
}

double StatesChartView::legendFoot() const {
    return m_sidesButton->height() + 4.0;
}

StatesChartDecor StatesChartView::decor() const {
    StatesChartDecor d;
    d.settings = m_settings;
    if (m_timeline != nullptr) {
        d.cursorNs = m_cursorNs;
    }
    d.highlight = m_highlight;
    d.originNs = m_originNs;
    d.emptyText = m_timeline != nullptr ? m_emptyText : QString();
    d.legendFoot = legendFoot();
    return d;
}

void StatesChartView::render(QPainter& painter, QSizeF size) const {
    static const StateTimeline kEmpty;
    // A picture has no button: its legend runs to the bottom.
    const StatesChartLayout l =
        StatesChartRenderer::layout(m_timeline != nullptr ? *m_timeline : kEmpty, m_startNs,
                                    m_endNs, size, m_sides, m_settings);
    StatesChartDecor d = decor();
    d.legendFoot = 0;
    StatesChartRenderer::paint(painter, l, d);
}

void StatesChartView::paintEvent(QPaintEvent*) {
    QPainter p(this);
    StatesChartRenderer::paint(p, chartLayout(), decor());
}

void StatesChartView::resizeEvent(QResizeEvent* event) {
    QWidget::resizeEvent(event);
    m_sidesButton->move(width() - m_sidesButton->width() - 2,
                        height() - m_sidesButton->height() - 2);
    invalidate();
}

void StatesChartView::mousePressEvent(QMouseEvent* event) {
    if (event->button() != Qt::LeftButton || m_timeline == nullptr) {
        QWidget::mousePressEvent(event);
        return;
    }
    const QPointF at = event->position();
    if (chartLayout().halfAt(at) < 0) {
        return;
    }
    m_pressAt = at;
    m_dragged = false;
    const auto band = chartLayout().bandAt(at);
    const std::int64_t t = band ? band->timeNs : chartLayout().timeAtX(at.x());
    m_cursorNs = t;
    update();
    emit cursorMoved(t);
}

void StatesChartView::mouseMoveEvent(QMouseEvent* event) {
    if (!m_pressAt || (event->buttons() & Qt::LeftButton) == 0) {
        return;
    }
    if (std::abs(event->position().x() - m_pressAt->x()) > 3) {
        m_dragged = true;
    }
    const std::int64_t t = chartLayout().timeAtX(event->position().x());
    if (t != m_cursorNs) {
        m_cursorNs = t;
        update();
        emit cursorMoved(t);
    }
    if (QToolTip::isVisible()) {
        QToolTip::showText(event->globalPosition().toPoint(), toolTipAt(event->position()), this);
    }
}

void StatesChartView::mouseReleaseEvent(QMouseEvent* event) {
    if (!m_pressAt || event->button() != Qt::LeftButton) {
        return;
    }
    const QPointF at = *m_pressAt;
    m_pressAt.reset();
    if (m_dragged) {
        return;
    }
    if (const auto band = chartLayout().bandAt(at)) {
        emit bandClicked(band->side, band->state, band->timeNs);
    }
}

void StatesChartView::changeEvent(QEvent* event) {
    if (event->type() == QEvent::LanguageChange) {
        retranslate();
        update();
    }
    QWidget::changeEvent(event);
}

bool StatesChartView::event(QEvent* event) {
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

QString StatesChartView::countsHtml(std::int64_t timeNs) const {
    if (m_timeline == nullptr) {
        return {};
    }
    const auto counts = m_timeline->sideCountsAt(timeNs);
    QString rows;
    std::uint32_t total[2] = {0, 0};
    for (std::size_t k = StatesChartLayout::kStacked.size(); k-- > 0;) {
        const State s = StatesChartLayout::kStacked.at(k);
        const auto i = static_cast<std::size_t>(s);
        const std::uint32_t c = counts[0].at(i);
        const std::uint32_t v = counts[1].at(i);
        total[0] += c;
        total[1] += v;
        if (c == 0 && v == 0) {
            continue;
        }
        rows += QStringLiteral("<tr><td><span style=\"color:%1\">■</span> %2</td>"
                               "<td align=right>%3</td><td align=right>%4</td></tr>")
                    .arg(stateFill(s, m_settings).name(), stateLabel(s, m_settings).toHtmlEscaped())
                    .arg(c)
                    .arg(v);
    }
    const auto closed = static_cast<std::size_t>(State::Closed);
    QString html = QStringLiteral("<b>%1</b><br>")
                       .arg(tr("At %1: endpoints as <tt>ss -tan</tt> would list them")
                                .arg(formatDuration((timeNs - m_originNs) / 1000)));
    html += QStringLiteral("<table cellspacing=0 cellpadding=2><tr><th></th><th>%1</th><th>%2</th>"
                           "</tr>%3<tr><td><i>%4</i></td><td align=right><i>%5</i></td>"
                           "<td align=right><i>%6</i></td></tr></table>")
                .arg(tr("client ends"), tr("server ends"), rows, tr("total"))
                .arg(total[0])
                .arg(total[1]);
    html += QStringLiteral("<small>%1</small>")
                .arg(tr("Besides: %1 client and %2 server ends CLOSED (no socket, not listed).")
                         .arg(counts[0].at(closed))
                         .arg(counts[1].at(closed)));
    return html;
}

QString StatesChartView::toolTipAt(QPointF point) const {
    if (m_timeline == nullptr || chartLayout().halfAt(point) < 0) {
        return {};
    }
    const auto band = chartLayout().bandAt(point);
    const std::int64_t t = band ? band->timeNs : chartLayout().timeAtX(point.x());
    QString html = countsHtml(t);
    if (band) {
        html +=
            QStringLiteral("<br>") + tr("Click to list the connections in %1 at this time.")
                                         .arg(stateLabel(band->state, m_settings).toHtmlEscaped());
    }
    return html;
}

QSize StatesChartView::sizeHint() const {
    return {560, 420};
}

QSize StatesChartView::minimumSizeHint() const {
    return {240, 160};
}

} // namespace tcpviz
