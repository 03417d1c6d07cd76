#include "sequence_diagram_view.h"

#include "event_text.h"

#include <QFontMetricsF>
#include <QMouseEvent>
#include <QPainter>
#include <QScrollBar>
#include <QToolTip>
#include <QWheelEvent>
#include <algorithm>
#include <cmath>

namespace tcpviz {

SequenceDiagramView::SequenceDiagramView(QWidget* parent)
    : QAbstractScrollArea(parent) {
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    setVerticalScrollBarPolicy(Qt::ScrollBarAsNeeded);
    viewport()->setMouseTracking(true);
    viewport()->setAutoFillBackground(false);
    setFrameShape(QFrame::NoFrame);
}

void SequenceDiagramView::setTrace(const Trace* trace) {
    m_renderer.setTrace(trace);
    m_frame.position = 0;
    m_frame.fraction = 0.0;
    m_frame.selectedSend.reset();
    updateScrollRange();
    verticalScrollBar()->setValue(0);
    viewport()->update();
}

void SequenceDiagramView::setPosition(std::size_t position) {
    setPlayhead(position, 0.0);
}

void SequenceDiagramView::setPlayhead(std::size_t position, double fraction) {
    const Trace* t = trace();
    m_frame.position = t == nullptr ? 0 : std::min(position, t->size());
    m_frame.fraction = std::clamp(fraction, 0.0, 1.0);
    followPlayhead();
    viewport()->update();
}

void SequenceDiagramView::setSettings(const ViewSettings& settings) {
    m_renderer.setSettings(settings);
    setPalette(viewPalette(settings));
    updateScrollRange();
    viewport()->update();
}

void SequenceDiagramView::setShowFuture(bool show) {
    m_frame.showFuture = show;
    viewport()->update();
}

void SequenceDiagramView::setZoom(double factor) {
    const double keepAxis = m_frame.topAxis;
    m_fit = false;
    m_zoom = std::clamp(factor, 1e-4, 1e3);
    updateScrollRange();
    verticalScrollBar()->setValue(static_cast<int>((keepAxis + padAxis()) * pixelsPerAxis()));
    viewport()->update();
    emit zoomChanged(m_zoom);
}

void SequenceDiagramView::setFitToWindow(bool fit) {
    m_fit = fit;
    updateScrollRange();
    viewport()->update();
    emit zoomChanged(m_zoom);
}

void SequenceDiagramView::setSelectedSegment(std::optional<std::size_t> sendIndex) {
    m_frame.selectedSend = sendIndex;
    viewport()->update();
}

double SequenceDiagramView::pixelsPerAxis() const {
    if (m_fit) {
        const double axis = std::max(m_renderer.layout().axisLength(), 1.0);
        const QFontMetricsF fm(viewFont(settings()));
        const double room = viewport()->height() - m_renderer.headerHeight() - fm.height() * 3.0;
        return std::max(room, 10.0) / axis;
    }
    return m_renderer.defaultPixelsPerAxis() * m_zoom;
}

double SequenceDiagramView::padAxis() const {
    const QFontMetricsF fm(viewFont(settings()));
    return fm.height() * 1.5 / pixelsPerAxis();
}

void SequenceDiagramView::updateScrollRange() {
    const double ppa = pixelsPerAxis();
    const double content = m_renderer.lanesHeight(ppa);
    const double visible = viewport()->height() - m_renderer.headerHeight();
    const double range = std::clamp(content - visible, 0.0, 2.0e9);
    verticalScrollBar()->setRange(0, static_cast<int>(range));
    verticalScrollBar()->setPageStep(std::max(1, static_cast<int>(visible * 0.9)));
    verticalScrollBar()->setSingleStep(
        std::max(1, static_cast<int>(QFontMetricsF(font()).height() * 2)));
    m_frame.pixelsPerAxis = ppa;
    m_frame.topAxis = verticalScrollBar()->value() / ppa - padAxis();
}

void SequenceDiagramView::followPlayhead() {
    const Trace* t = trace();
    if (!m_follow || t == nullptr || t->empty()) {
        return;
    }
    const double ppa = pixelsPerAxis();
    const double visible = viewport()->height() - m_renderer.headerHeight();
    const double y =
        (m_renderer.layout().playheadAxis(*t, m_frame.position, m_frame.fraction) + padAxis()) *
        ppa;
    const double top = verticalScrollBar()->value();
    if (y < top + visible * 0.1 || y > top + visible * 0.9) {
        // Keep most of the screen for what has happened: the story so far.
        verticalScrollBar()->setValue(static_cast<int>(y - visible * 0.75));
    }
}

void SequenceDiagramView::renderDiagram(QPainter& painter, const QRectF& target,
                                        bool wholeExchange) {
    SequenceFrame frame = m_frame;
    frame.wholeExchange = wholeExchange;
    const QFontMetricsF fm(viewFont(settings()));
    const double lanes = target.height() - m_renderer.headerHeight() - fm.height() * 3.0;
    frame.pixelsPerAxis = std::max(lanes, 10.0) / std::max(m_renderer.layout().axisLength(), 1.0);
    frame.topAxis = -fm.height() * 1.5 / frame.pixelsPerAxis;
    // A private renderer: exporting must not disturb the hit-test list on screen.
    SequenceDiagramRenderer r;
    r.setTrace(trace());
    r.setSettings(settings());
    r.paint(painter, target, frame);
}

QSize SequenceDiagramView::sizeHint() const {
    const QFontMetricsF fm(viewFont(settings()));
    return {static_cast<int>(fm.averageCharWidth() * 90), static_cast<int>(fm.height() * 30)};
}

QSize SequenceDiagramView::minimumSizeHint() const {
    const QFontMetricsF fm(viewFont(settings()));
    return {static_cast<int>(fm.averageCharWidth() * 50), static_cast<int>(fm.height() * 10)};
}

void SequenceDiagramView::paintEvent(QPaintEvent* /*event*/) {
    QPainter p(viewport());
    m_frame.pixelsPerAxis = pixelsPerAxis();
    m_frame.topAxis = verticalScrollBar()->value() / m_frame.pixelsPerAxis - padAxis();
    m_renderer.paint(p, QRectF(viewport()->rect()), m_frame);
}

void SequenceDiagramView::resizeEvent(QResizeEvent* event) {
    QAbstractScrollArea::resizeEvent(event);
    updateScrollRange();
}

void SequenceDiagramView::mousePressEvent(QMouseEvent* event) {
    if (event->button() != Qt::LeftButton) {
        QAbstractScrollArea::mousePressEvent(event);
        return;
    }
    const QFontMetricsF fm(viewFont(settings()));
    if (const auto hit = m_renderer.arrowAt(event->position(), fm.height() * 0.5)) {
        setSelectedSegment(*hit);
        emit segmentClicked(*hit);
    }
}

void SequenceDiagramView::mouseDoubleClickEvent(QMouseEvent* event) {
    const Trace* t = trace();
    if (t == nullptr || event->button() != Qt::LeftButton) {
        return;
    }
    const QFontMetricsF fm(viewFont(settings()));
    if (const auto hit = m_renderer.arrowAt(event->position(), fm.height() * 0.5)) {
        const std::size_t a = m_renderer.layout().arrowOfSend(*hit);
        const SegmentArrow& arrow = m_renderer.layout().arrows().at(a);
        emit eventActivated(arrow.endIndex != kNoEvent ? arrow.endIndex + 1U
                                                       : arrow.sendIndex + 1U);
        return;
    }
    const std::int64_t time = m_renderer.timeAtY(event->position().y());
    emit eventActivated(std::min(t->positionAtTime(time) + 1, t->size()));
}

void SequenceDiagramView::mouseMoveEvent(QMouseEvent* event) {
    const Trace* t = trace();
    if (t == nullptr) {
        return;
    }
    const QFontMetricsF fm(viewFont(settings()));
    if (const auto hit = m_renderer.arrowAt(event->position(), fm.height() * 0.5)) {
        viewport()->setCursor(Qt::PointingHandCursor);
        viewport()->setToolTip(eventDescription(*t, *hit, settings()));
    } else {
        viewport()->unsetCursor();
        viewport()->setToolTip({});
    }
}

void SequenceDiagramView::wheelEvent(QWheelEvent* event) {
    if ((event->modifiers() & Qt::ControlModifier) != 0) {
        // Zoom around the cursor: the time under it stays under it.
        const double y = event->position().y();
        const double axisAtCursor =
            m_frame.topAxis + (y - m_renderer.lanesRect().top()) / pixelsPerAxis();
        const double factor = std::pow(1.0015, event->angleDelta().y());
        m_fit = false;
        m_zoom = std::clamp(m_zoom * factor, 1e-4, 1e3);
        updateScrollRange();
        const double ppa = pixelsPerAxis();
        const double top = axisAtCursor - (y - m_renderer.lanesRect().top()) / ppa;
        verticalScrollBar()->setValue(static_cast<int>((top + padAxis()) * ppa));
        viewport()->update();
        emit zoomChanged(m_zoom);
        event->accept();
        return;
    }
    QAbstractScrollArea::wheelEvent(event);
}

void SequenceDiagramView::scrollContentsBy(int /*dx*/, int /*dy*/) {
    viewport()->update();
}

} // namespace tcpviz
