#include "timeline_slider.h"

#include <QPainter>
#include <QStyle>
#include <QStyleOptionSlider>
#include <vector>

namespace tcpviz::gui {

TimelineSlider::TimelineSlider(QWidget* parent)
    : QSlider(Qt::Horizontal, parent) {
    setMinimumHeight(28);
    setPageStep(10);
}

void TimelineSlider::setMarks(std::vector<Mark> marks) {
    m_marks = std::move(marks);
    update();
}

void TimelineSlider::setBranchPoint(int position) {
    m_branchPoint = position;
    update();
}

void TimelineSlider::paintEvent(QPaintEvent* event) {
    QSlider::paintEvent(event);
    if (maximum() <= minimum()) {
        return;
    }
    QStyleOptionSlider opt;
    initStyleOption(&opt);
    const QRect groove =
        style()->subControlRect(QStyle::CC_Slider, &opt, QStyle::SC_SliderGroove, this);
    const QRect handle =
        style()->subControlRect(QStyle::CC_Slider, &opt, QStyle::SC_SliderHandle, this);
    const int span = groove.width() - handle.width();
    const int x0 = groove.left() + handle.width() / 2;
    QPainter p(this);
    const QColor client(0, 114, 178); // Okabe-Ito blue
    const QColor server(213, 94, 0);  // Okabe-Ito vermillion
    const QColor lost(204, 0, 0);
    // Thousands of segments share a few hundred pixels: draw each pixel column once.
    std::vector<unsigned char> drawn(static_cast<std::size_t>(std::max(span, 1)) + 1, 0);
    const int top = groove.bottom() + 1;
    for (const Mark& m : m_marks) {
        const int offset = QStyle::sliderPositionFromValue(minimum(), maximum(), m.position, span);
        const auto col = static_cast<std::size_t>(std::clamp(offset, 0, span));
        const unsigned char kind = m.lost ? 3 : (m.client ? 1 : 2);
        if (drawn[col] == 3 || drawn[col] == kind) {
            continue;
        }
        drawn[col] = kind;
        p.setPen(QPen(m.lost ? lost : (m.client ? client : server), m.lost ? 2 : 1));
        p.drawLine(x0 + offset, top, x0 + offset, std::min(height() - 1, top + 6));
    }
    if (m_branchPoint >= 0) {
        const int x =
            x0 + QStyle::sliderPositionFromValue(minimum(), maximum(), m_branchPoint, span);
        const int y = groove.top() - 2;
        QPolygon diamond;
        diamond << QPoint(x, y - 5) << QPoint(x + 5, y) << QPoint(x, y + 5) << QPoint(x - 5, y);
        p.setPen(Qt::NoPen);
        p.setBrush(QColor(230, 159, 0));
        p.drawPolygon(diamond);
    }
}

} // namespace tcpviz::gui
