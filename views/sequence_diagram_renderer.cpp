#include "sequence_diagram_renderer.h"

#include "event_text.h"
#include "view_style.h"

#include <QCoreApplication>
#include <QFontMetricsF>
#include <QPainter>
#include <QPainterPath>
#include <QPolygonF>
#include <QTransform>
#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

namespace tcpviz {

namespace {

/// Above this many candidate arrows in a frame, arrows are drawn without antialiasing.
constexpr std::size_t kDenseArrows = 80;
/// In dense frames, how many of the labels placed last a new label is checked against.
constexpr std::ptrdiff_t kDenseLookBack = 16;

// The context is spelled out: lupdate guesses the context of the file-local
// tr() from the code before it, and here it guessed "std", which nothing looks up.
QString timerTag(TimerKind kind) {
    switch (kind) {
    case TimerKind::Retransmission:
        return QCoreApplication::translate("tcpviz::SequenceDiagramRenderer", "RTO");
    case TimerKind::TimeWait:
        return QCoreApplication::translate("tcpviz::SequenceDiagramRenderer", "2MSL");
    case TimerKind::FinWait2:
        return QCoreApplication::translate("tcpviz::SequenceDiagramRenderer", "FIN-WAIT-2 timer");
    case TimerKind::UserTimeout:
        return QCoreApplication::translate("tcpviz::SequenceDiagramRenderer", "user timeout");
    case TimerKind::DelayedAck:
        return QCoreApplication::translate("tcpviz::SequenceDiagramRenderer", "delayed ACK");
    }
    return {};
}

/// Times, state names in the bands, timer labels: a little smaller than the
/// segments' labels, never under 9 pt (legible at 1280x720).
QFont secondaryFont(const ViewSettings& settings) {
    QFont f = viewFont(settings, 0.85);
    if (f.pointSizeF() > 0 && f.pointSizeF() < 9.0) {
        f.setPointSizeF(std::min(9.0, viewFont(settings).pointSizeF()));
    }
    return f;
}

QColor faded(QColor c, const ViewColors& colors) {
    // Mix with the background rather than using alpha: SVG/PDF viewers and
    // printers all agree on solid colours.
    const auto mix = [](int a, int b) { return (a + 2 * b) / 3; };
    return QColor(mix(c.red(), colors.background.red()), mix(c.green(), colors.background.green()),
                  mix(c.blue(), colors.background.blue()));
}

void drawArrowHead(QPainter& p, const QLineF& line, double size, const QColor& color) {
    if (line.length() < 1e-6) {
        return;
    }
    const QPointF tip = line.p2();
    const QPointF dir = (line.p2() - line.p1()) / line.length();
    const QPointF normal(-dir.y(), dir.x());
    const QPolygonF head{tip, tip - dir * size + normal * size * 0.45,
                         tip - dir * size - normal * size * 0.45};
    p.setPen(Qt::NoPen);
    p.setBrush(color);
    p.drawPolygon(head);
}

} // namespace

void SequenceDiagramRenderer::setTrace(const Trace* trace) {
    m_trace = trace;
    // Automatic decides with the label lines a fitted diagram holds: fewer where
    // the text is larger (presentation mode), see SequenceLayout.
    const double normal = QFontMetricsF(viewFont(ViewSettings{})).height();
    const double here = QFontMetricsF(viewFont(m_settings)).height();
    const double lines = SequenceLayout::kFittedLabelLines * normal / std::max(here, 1.0);
    m_layout = trace != nullptr ? SequenceLayout(*trace, m_settings.sequenceAxis, lines)
                                : SequenceLayout();
    m_drawn.clear();
    m_timerLabels.clear();
    m_bandLabels.clear();
    m_segmentLabels.clear();
}

void SequenceDiagramRenderer::setSettings(const ViewSettings& settings) {
    // The axis, and for Automatic the text size it weighs, decide the layout.
    const bool axisChanged =
        settings.sequenceAxis != m_settings.sequenceAxis ||
        settings.presentation != m_settings.presentation ||
        std::abs(settings.presentationMinTextPx - m_settings.presentationMinTextPx) > 0.01;
    m_settings = settings;
    if (axisChanged && m_trace != nullptr) {
        setTrace(m_trace);
    }
}

double SequenceDiagramRenderer::headerHeight() const {
    const QFontMetricsF fm(viewFont(m_settings));
    return fm.height() * 2.0 + fm.height() * 0.8;
}

double SequenceDiagramRenderer::defaultPixelsPerAxis() const {
    const QFontMetricsF fm(viewFont(m_settings));
    if (m_layout.axis() == SequenceAxis::Steps) {
        // A row is a little less than two lines: a segment (two rows) takes
        // under four lines, its label and the space around it.
        return fm.height() * 1.8;
    }
    return fm.height() * 4.5 / std::max(m_layout.typicalFlightAxis(), 1.0);
}

double SequenceDiagramRenderer::lanesHeight(double pixelsPerAxis) const {
    const QFontMetricsF fm(viewFont(m_settings));
    return m_layout.axisLength() * pixelsPerAxis + fm.height() * 3.0;
}

QSizeF SequenceDiagramRenderer::naturalSize() const {
    const QFontMetricsF fm(viewFont(m_settings));
    const double width = std::max(fm.averageCharWidth() * 110.0, 800.0);
    return {width, headerHeight() + lanesHeight(defaultPixelsPerAxis()) + fm.height()};
}

void SequenceDiagramRenderer::computeGeometry(QPainter& painter, const QRectF& rect) {
    const QFontMetricsF fm(viewFont(m_settings), painter.device());
    const QFontMetricsF small(secondaryFont(m_settings), painter.device());
    // The widest times the gutter shows: "12.345 s", "123.4 ms", "+239.9 s".
    // The widest times the gutter shows: "12.345 s", "123.4 ms".
    m_gutter = std::max(small.horizontalAdvance(QStringLiteral("00.000 s")),
                        small.horizontalAdvance(QStringLiteral("000.0 ms"))) +
               fm.averageCharWidth();
    double band = 0.0;
    for (State s : kAllStates) {
        band = std::max(band, small.horizontalAdvance(stateLabel(s, m_settings)));
    }
    m_bandWidth = band + small.averageCharWidth() * 2.0;
    const double header = headerHeight();
    m_lanes = QRectF(rect.left(), rect.top() + header, rect.width(), rect.height() - header);
    m_clientX = rect.left() + m_gutter + m_bandWidth;
    m_serverX = rect.right() - m_bandWidth - fm.averageCharWidth();
    // Narrow windows: keep at least some room between the lifelines.
    if (m_serverX - m_clientX < fm.averageCharWidth() * 20.0) {
        m_serverX = m_clientX + fm.averageCharWidth() * 20.0;
    }
    m_captureX.reset();
    if (m_trace != nullptr && m_trace->meta.fromCapture) {
        // A packet leaves at c - dC, arrives at c + dS: the straight line between
        // the two crosses x = client + dC / (dC + dS) of the way exactly at c.
        const CaptureView& view = m_trace->meta.capture;
        const double total = static_cast<double>(view.clientUs + view.serverUs);
        const double fraction = view.basis != DelayBasis::None && total > 0.0
                                    ? static_cast<double>(view.clientUs) / total
                                    : 0.5;
        // A capture taken on one of the hosts (a few microseconds from it) would
        // put the dashed line on that host's lifeline, where nobody could tell them
        // apart: keep it a little off, at the cost of a crossing a hair off its time.
        const double margin = fm.averageCharWidth() * 1.5;
        m_captureX = std::clamp(m_clientX + (m_serverX - m_clientX) * fraction, m_clientX + margin,
                                m_serverX - margin);
    }
}

std::int64_t SequenceDiagramRenderer::timeAtY(double y) const {
    return m_layout.timeOfAxis(m_topAxis + (y - m_lanes.top()) / m_ppa);
}

double SequenceDiagramRenderer::yOfTime(std::int64_t timeUs) const {
    return yOfAxis(m_layout.axisOf(timeUs));
}

double SequenceDiagramRenderer::yOfAxis(double axis) const {
    return m_lanes.top() + (axis - m_topAxis) * m_ppa;
}

double SequenceDiagramRenderer::axisAtY(double y) const {
    return m_topAxis + (y - m_lanes.top()) / m_ppa;
}

std::optional<std::size_t> SequenceDiagramRenderer::arrowAt(QPointF point, double tolerance) const {
    std::optional<std::size_t> best;
    double bestDistance = tolerance;
    for (const DrawnArrow& a : m_drawn) {
        const QPointF d = a.line.p2() - a.line.p1();
        const double len2 = d.x() * d.x() + d.y() * d.y();
        double t = 0.0;
        if (len2 > 0.0) {
            const QPointF w = point - a.line.p1();
            t = std::clamp((w.x() * d.x() + w.y() * d.y()) / len2, 0.0, 1.0);
        }
        const QPointF nearest = a.line.p1() + d * t;
        const double dist = std::hypot(point.x() - nearest.x(), point.y() - nearest.y());
        if (dist <= bestDistance) {
            bestDistance = dist;
            best = a.sendIndex;
        }
    }
    return best;
}

void SequenceDiagramRenderer::paint(QPainter& p, const QRectF& rect, const SequenceFrame& frame) {
    m_drawn.clear();
    m_timerLabels.clear();
    m_bandLabels.clear();
    m_segmentLabels.clear();
    const ViewColors colors = viewColors(m_settings);
    const double ls = lineScale(m_settings);
    p.save();
    p.setRenderHint(QPainter::Antialiasing, true);
    p.setRenderHint(QPainter::TextAntialiasing, true);
    p.fillRect(rect, colors.background);
    p.setClipRect(rect);
    computeGeometry(p, rect);
    const QFont font = viewFont(m_settings);
    const QFont smallFont = secondaryFont(m_settings);
    const QFontMetricsF fm(font, p.device());
    const QFontMetricsF sfm(smallFont, p.device());
    m_ppa = frame.pixelsPerAxis > 0.0 ? frame.pixelsPerAxis : defaultPixelsPerAxis();
    m_topAxis = frame.topAxis;

    const Trace* trace = m_trace;
    const std::size_t position =
        trace == nullptr
            ? 0
            : (frame.wholeExchange ? trace->size() : std::min(frame.position, trace->size()));
    const bool future = frame.showFuture && !frame.wholeExchange;
    const std::int64_t now = trace == nullptr ? 0
                             : frame.wholeExchange
                                 ? std::max(m_layout.endUs(), trace->endTimeUs())
                                 : m_layout.playheadUs(*trace, position, frame.fraction);
    const double nowAxis = trace == nullptr ? 0.0
                           : frame.wholeExchange
                               ? m_layout.axisLength()
                               : m_layout.playheadAxis(*trace, position, frame.fraction);
    const double lanesTop = m_lanes.top();
    const double lanesBottom = m_lanes.bottom();
    const double aTop = axisAtY(lanesTop - fm.height());
    const double aBottom = axisAtY(lanesBottom + fm.height());
    const double nowY = yOfAxis(nowAxis);
    // How far down things that have happened reach.
    const double doneY = frame.wholeExchange || future ? lanesBottom : std::min(nowY, lanesBottom);

    // --- State bands along each lifeline.
    if (trace != nullptr) {
        for (Side side : {Side::Client, Side::Server}) {
            const auto& list = m_layout.intervals(side);
            const double x0 = side == Side::Client ? m_clientX - m_bandWidth : m_serverX;
            // First interval still running at the top of the window.
            auto it =
                std::upper_bound(list.begin(), list.end(), aTop,
                                 [](double a, const StateInterval& s) { return a < s.startAxis; });
            std::size_t i =
                it == list.begin() ? 0 : static_cast<std::size_t>(it - list.begin()) - 1;
            p.setFont(smallFont);
            for (; i < list.size(); ++i) {
                const StateInterval& s = list[i];
                const bool isFuture = s.startPosition > position;
                if (isFuture && !future) {
                    break;
                }
                if (s.startAxis > aBottom) {
                    break;
                }
                const bool last =
                    i + 1 >= list.size() || (list[i + 1].startPosition > position && !future);
                double y0 = std::max(yOfAxis(s.startAxis), lanesTop);
                double y1 = last ? (isFuture ? lanesBottom : std::max(doneY, y0))
                                 : std::min(yOfAxis(list[i + 1].startAxis), lanesBottom);
                if (last && !frame.wholeExchange && !future) {
                    // The current state's name stays readable even the moment it is entered.
                    y1 = std::max(nowY, y0 + sfm.height() * 1.2);
                } else if (last) {
                    y1 = std::max(y1, yOfAxis(m_layout.axisLength()) + fm.height());
                }
                y1 = std::min(y1, lanesBottom);
                if (y1 <= y0) {
                    continue;
                }
                QColor tint = stateTint(s.state, m_settings);
                if (isFuture) {
                    tint = faded(tint, colors);
                }
                const QRectF band(x0, y0, m_bandWidth, y1 - y0);
                p.fillRect(band, tint);
                p.setPen(QPen(colors.grid, 1.0));
                p.drawLine(QPointF(x0, y0), QPointF(x0 + m_bandWidth, y0));
                if (y1 - y0 >= sfm.height() * 0.9) {
                    p.setPen(isFuture ? colors.future : colors.text);
                    const QRectF nameBox(x0, y0 + 1.0, m_bandWidth, sfm.height());
                    const QString name = stateLabel(s.state, m_settings);
                    p.drawText(nameBox, Qt::AlignCenter, name);
                    m_bandLabels.push_back(
                        {name, sfm.boundingRect(nameBox, Qt::AlignCenter, name)});
                }
            }
        }
    }

    // --- Long idle gaps: a break mark and the real duration in the gutter. On the
    // steps axis the rows' own times say it (see the row times below).
    const bool steps = m_layout.axis() == SequenceAxis::Steps;
    p.setFont(smallFont);
    for (const AxisGap& g : m_layout.gaps()) {
        if (steps || g.toAxis < aTop || g.fromAxis > aBottom ||
            (!frame.wholeExchange && !future && g.toUs > now)) {
            continue;
        }
        const double ym = (yOfAxis(g.fromAxis) + yOfAxis(g.toAxis)) / 2.0;
        p.setPen(colors.mutedText);
        p.drawText(QRectF(rect.left(), ym - sfm.height() / 2.0, m_gutter, sfm.height()),
                   Qt::AlignRight | Qt::AlignVCenter,
                   QStringLiteral("+%1").arg(formatDuration(g.toUs - g.fromUs)));
    }
    // --- The steps axis: each row's real time beside it, where there is room.
    if (steps && trace != nullptr) {
        double lastY = -1e18;
        std::int64_t lastTime = std::numeric_limits<std::int64_t>::min();
        for (const AxisRow& row : m_layout.rows()) {
            if (row.axis < aTop || row.axis > aBottom) {
                continue;
            }
            if (row.firstEvent >= position && !future) {
                break;
            }
            const double y = yOfAxis(row.axis);
            if (row.timeUs == lastTime || y - lastY < sfm.height()) {
                continue;
            }
            lastY = y;
            lastTime = row.timeUs;
            p.setPen(row.firstEvent >= position ? colors.future : colors.mutedText);
            const QString tick = formatDuration(row.timeUs - m_layout.startUs());
            p.drawText(QPointF(rect.left() + m_gutter - sfm.averageCharWidth() -
                                   sfm.horizontalAdvance(tick),
                               y + (sfm.ascent() - sfm.descent()) / 2.0),
                       tick);
            p.setPen(QPen(colors.grid, 1.0, Qt::DotLine));
            p.drawLine(QPointF(rect.left() + m_gutter - sfm.averageCharWidth() * 0.6, y),
                       QPointF(m_clientX - m_bandWidth, y));
        }
    }

    // --- Lifelines.
    const double lifeTop = lanesTop;
    const double lifeBottom = lanesBottom;
    for (Side side : {Side::Client, Side::Server}) {
        const double x = lifelineX(side);
        p.setPen(QPen(colors.line, 2.0 * ls));
        p.drawLine(QPointF(x, lifeTop), QPointF(x, lifeBottom));
    }
    if (m_captureX) {
        // The capture point: where every packet was seen, not an endpoint.
        QPen dashed(colors.mutedText, 1.5 * ls, Qt::DashLine);
        dashed.setDashPattern({6.0, 4.0});
        p.setPen(dashed);
        p.drawLine(QPointF(*m_captureX, lifeTop), QPointF(*m_captureX, lifeBottom));
    }
    for (const AxisGap& g : m_layout.gaps()) {
        // A break still to come would give away what is hidden.
        if (g.toAxis < aTop || g.fromAxis > aBottom ||
            (!frame.wholeExchange && !future && g.toAxis > nowAxis)) {
            continue;
        }
        const double ym = (yOfAxis(g.fromAxis) + yOfAxis(g.toAxis)) / 2.0;
        const double h = fm.height() * 0.25;
        for (Side side : {Side::Client, Side::Server}) {
            const double x = lifelineX(side);
            const double w = fm.averageCharWidth() * 1.2;
            p.fillRect(QRectF(x - w, ym - h, 2 * w, 2 * h), colors.background);
            p.setPen(QPen(colors.line, 1.2 * ls));
            p.drawLine(QPointF(x - w, ym - h * 0.2), QPointF(x + w, ym - h * 1.2));
            p.drawLine(QPointF(x - w, ym + h * 1.2), QPointF(x + w, ym + h * 0.2));
        }
    }

    // --- Timer brackets, just outside each lifeline, with the duration.
    if (trace != nullptr) {
        for (const TimerSpan& t : m_layout.timers()) {
            if (t.startPosition > position && !future) {
                continue;
            }
            if (t.deadlineAxis < aTop || t.startAxis > aBottom) {
                continue;
            }
            const double dir = t.side == Side::Client ? -1.0 : 1.0;
            const double x = lifelineX(t.side) + dir * fm.averageCharWidth() * 0.9;
            const double y0 = yOfAxis(t.startAxis);
            const bool done = frame.wholeExchange || t.endPosition <= position;
            const double yEnd = yOfAxis(done ? t.endAxis : std::min(nowAxis, t.endAxis));
            const double yDeadline = yOfAxis(t.deadlineAxis);
            const double arm = fm.averageCharWidth() * 0.5;
            const QColor c = t.startPosition > position ? colors.future : colors.endpoint(t.side);
            p.setPen(QPen(c, 1.5 * ls));
            p.drawLine(QPointF(x - dir * arm, y0), QPointF(x, y0));
            p.drawLine(QPointF(x, y0), QPointF(x, yEnd));
            if (done) {
                p.drawLine(QPointF(x, yEnd), QPointF(x - dir * arm, yEnd));
            }
            if (!done && yDeadline > yEnd + 0.5) {
                // The rest of a countdown still to run (or cut short): dotted.
                p.setPen(QPen(c, 1.0 * ls, Qt::DotLine));
                p.drawLine(QPointF(x, yEnd), QPointF(x, yDeadline));
            }
            const QString text = QStringLiteral("%1 %2").arg(
                timerTag(t.kind), formatDuration(t.deadlineUs - t.startUs));
            const double ty =
                (y0 + std::min(yDeadline, std::max(yEnd, y0 + sfm.height() * 2))) / 2.0;
            const double tx0 = t.side == Side::Client ? x - m_bandWidth : x + arm;
            p.setFont(smallFont);
            p.setPen(t.startPosition > position ? colors.future : colors.mutedText);
            const double width = m_bandWidth - arm;
            const int align =
                (t.side == Side::Client ? Qt::AlignRight : Qt::AlignLeft) | Qt::AlignVCenter;
            // A label wider than the band ("FIN-WAIT-2 timer 60 s") wraps at its spaces;
            // a word still too wide is elided: the label never runs past the page.
            QString shown = text;
            int flags = align;
            QRectF box(tx0, ty, width, sfm.height());
            if (sfm.horizontalAdvance(text) > width) {
                flags |= Qt::TextWordWrap;
                box.setHeight(sfm.height() * 3);
                if (sfm.boundingRect(box.toRect(), flags, text).width() > width) {
                    shown = sfm.elidedText(timerTag(t.kind), Qt::ElideRight, width) +
                            QLatin1Char('\n') + formatDuration(t.deadlineUs - t.startUs);
                    flags = align;
                }
            }
            // The label shares the band's column: it must not cover a state's name
            // or another timer's label there. Where time is compressed the next band begins right
            // under the bracket; move the label down (or else up) past the names it meets.
            //
            //   CLOSED |               |    FIN-WAIT-2 timer 60 s  <- was here,
            //   FIN-W2 ]-- bracket     |    on TIME-WAIT's name
            //   TIME-WAIT              |
            //   FIN-WAIT-2 timer 60 s  <- now below it
            QRectF extent = sfm.boundingRect(box, flags, shown);
            box.translate(0.0, extent.top() - box.top()); // the box as tall as the text
            box.setHeight(extent.height());
            const auto clashes = [this, &box, tx0, width](double dy) {
                const QRectF moved = box.translated(0.0, dy);
                if (dy != 0.0 &&
                    (moved.top() < m_lanes.top() || moved.bottom() > m_lanes.bottom())) {
                    return true; // never moved off the lanes
                }
                for (const DrawnText& name : m_bandLabels) {
                    if (name.rect.left() < tx0 + width && name.rect.right() > tx0 &&
                        name.rect.intersects(moved)) {
                        return true;
                    }
                }
                // Nor an earlier timer's label: a timer restarted soon after (an
                // orphan's FIN-WAIT-2 timer re-armed, 2MSL right after it) would
                // otherwise write its label over the first one.
                for (const DrawnText& other : m_timerLabels) {
                    if (other.rect.left() < tx0 + width && other.rect.right() > tx0 &&
                        other.rect.intersects(moved)) {
                        return true;
                    }
                }
                return false;
            };
            if (clashes(0.0)) {
                const double step = sfm.height() * 0.25;
                double shift = 0.0;
                for (int i = 1; i <= 96; ++i) {
                    if (!clashes(i * step)) {
                        shift = i * step;
                        break;
                    }
                    if (!clashes(-i * step)) {
                        shift = -i * step;
                        break;
                    }
                }
                box.translate(0.0, shift);
            }
            p.drawText(box, flags, shown);
            m_timerLabels.push_back({shown, sfm.boundingRect(box, flags, shown)});
        }
    }

    // --- Arrows: only those that can meet the visible part of the axis.
    if (trace != nullptr) {
        const auto [first, last] = m_layout.arrowRange(aTop, aBottom);
        const auto& arrows = m_layout.arrows();
        const double midX = (m_clientX + m_serverX) / 2.0;
        double lastTickY = -1e18;
        std::array<double, 2> lastRowY{-1e18, -1e18};
        const double head = fm.height() * 0.45 * std::sqrt(ls);
        // Dense frames (a bulk transfer) look like hatching whatever we do, and
        // antialiased wide lines cost four times as much: draw them aliased.
        const bool dense = last - first > kDenseArrows;
        // The segment the current step sends keeps its label even where labels
        // crowd: the step shows the arrow, its label and the narration together.
        constexpr std::size_t kNoSend = std::numeric_limits<std::size_t>::max();
        const std::size_t stepSend = !frame.wholeExchange && position > 0 &&
                                             trace->event(position - 1).kind == EventKind::Send
                                         ? position - 1
                                         : kNoSend;
        std::vector<LabelJob> jobs;
        p.setRenderHint(QPainter::Antialiasing, !dense);
        for (std::size_t i = first; i < last; ++i) {
            const SegmentArrow& a = arrows[i];
            if (a.endAxis < aTop && a.plannedAxis < aTop) {
                continue;
            }
            const bool isFuture = a.sendIndex >= position;
            if (isFuture && !future) {
                break; // arrows are in send order: everything after is future too
            }
            const double y0 = yOfAxis(a.sendAxis);
            // Only in dense frames (a bulk transfer squeezed onto one screen): one arrow
            // per two pixel rows and direction. Otherwise every arrow is drawn, so a
            // duplicate made at the moment of sending still shows.
            double& rowY = lastRowY.at(static_cast<std::size_t>(a.from));
            if (dense && y0 - rowY < 2.0 && frame.selectedSend != a.sendIndex) {
                continue;
            }
            rowY = y0;
            const bool ended = isFuture || frame.wholeExchange ||
                               (a.endIndex != kNoEvent && a.endIndex < position);
            const double x0 = a.injected ? midX : lifelineX(a.from);
            const double x1 = lifelineX(a.to);
            // The lost segment's line stops where the network lost it.
            double frac = 1.0;
            if (a.lost) {
                const double span = static_cast<double>(a.plannedUs - a.sendUs);
                frac = span > 0 ? static_cast<double>(a.endUs - a.sendUs) / span : 0.5;
                frac = std::clamp(frac, 0.15, 0.85);
            }
            const double plannedY = yOfAxis(a.lost ? a.plannedAxis : a.endAxis);
            const QLineF full(x0, y0, x1, plannedY);
            const double tipAxis = std::clamp(nowAxis, a.sendAxis, std::max(a.sendAxis, a.endAxis));
            double tipFrac = a.endAxis > a.sendAxis
                                 ? frac * (tipAxis - a.sendAxis) / (a.endAxis - a.sendAxis)
                                 : frac;
            if (!ended && frac > 0.0) {
                // A segment in flight shows at least a stub leaving its sender: at
                // the step that sends it the playhead is still at the send time, and
                // a label with no arrow would not say who sent it to whom. The
                // packet runs from the stub's end to where it arrives or is lost.
                const double length = std::max(full.length(), 1.0);
                const double stub = std::min(std::max(0.2, head * 4.0 / length), frac * 0.6);
                tipFrac = stub + (frac - stub) * (tipFrac / frac);
            }
            const QLineF shown(full.p1(), full.pointAt(ended ? frac : tipFrac));

            QColor color = a.injected ? colors.injected : colors.endpoint(a.from);
            if (isFuture) {
                color = faded(color, colors);
            }
            const bool selected = frame.selectedSend == a.sendIndex;
            QPen pen(color, (selected ? 3.0 : 1.6) * ls);
            if (a.retransmission) {
                pen.setStyle(Qt::DashLine);
            } else if (a.duplicate) {
                pen.setStyle(Qt::DashDotLine);
            } else if (a.captureCopy) {
                // A second recording of one packet: dotted and thin, a shadow of it.
                pen.setStyle(Qt::DotLine);
                pen.setWidthF(pen.widthF() * 0.75);
            }
            pen.setCapStyle(Qt::FlatCap);
            if (selected) {
                p.setPen(QPen(colors.playhead, 7.0 * ls, Qt::SolidLine, Qt::RoundCap));
                p.drawLine(shown);
            }
            p.setPen(pen);
            p.drawLine(shown);
            DrawnArrow drawn;
            drawn.sendIndex = a.sendIndex;
            drawn.line = shown;
            drawn.future = isFuture;
            drawn.inFlight = !ended;
            if (a.lost && ended) {
                drawn.lost = true;
                drawn.cross = shown.p2();
                const double r = fm.height() * 0.38 * std::sqrt(ls);
                p.setPen(QPen(colors.lost, 2.6 * ls, Qt::SolidLine, Qt::RoundCap));
                p.drawLine(drawn.cross + QPointF(-r, -r), drawn.cross + QPointF(r, r));
                p.drawLine(drawn.cross + QPointF(-r, r), drawn.cross + QPointF(r, -r));
            } else if (ended) {
                drawArrowHead(p, shown, head, color);
            } else {
                // In flight: the packet itself, a dot at the front, and the head
                // that says where it is going.
                p.setPen(Qt::NoPen);
                p.setBrush(color);
                p.drawEllipse(shown.p2(), head * 0.45, head * 0.45);
                drawArrowHead(p, shown, head, color);
            }
            if (a.injected) {
                p.setPen(QPen(color, 1.5 * ls));
                p.setBrush(colors.background);
                const double r = head * 0.5;
                p.drawPolygon(QPolygonF{QPointF(x0, y0 - r), QPointF(x0 + r, y0),
                                        QPointF(x0, y0 + r), QPointF(x0 - r, y0)});
            }

            // The label waits for the placement below, once every arrow's ends are known.
            LabelJob job;
            job.drawn = m_drawn.size();
            job.full = full;
            // Lost arrows carry their label on the part that exists, clear of the
            // cross, or where the segment was going when that part is too short;
            // until the loss happens, the label is where any other's would be.
            const bool lostPart = a.lost && ended;
            job.tMid = lostPart ? frac * 0.45 : 0.5;
            job.tMin = lostPart ? 0.08 : 0.15;
            job.tMax = 0.85;
            job.text = segmentLabel(*trace, trace->event(a.sendIndex), m_settings);
            if (a.retransmission) {
                job.tags << tr("retransmission");
            }
            if (a.duplicate) {
                job.tags << tr("duplicate");
            }
            if (a.captureCopy) {
                job.tags << tr("capture copy");
            }
            if (a.injected) {
                job.tags << tr("injected");
            }
            if (a.reordered && ended) {
                job.tags << tr("out of order");
            }
            job.lostTag = a.lost && ended;
            if (job.lostTag) {
                job.tags << tr("lost");
            }
            job.future = isFuture;
            job.priority = selected || stepSend == a.sendIndex;
            jobs.push_back(job);

            // Send time in the gutter (the steps axis labels its rows instead).
            if (!steps && y0 - lastTickY >= sfm.height() && !isFuture) {
                lastTickY = y0;
                p.setFont(smallFont);
                p.setPen(colors.mutedText);
                const QString tick = formatDuration(a.sendUs - m_layout.startUs());
                p.drawText(QPointF(rect.left() + m_gutter - sfm.averageCharWidth() -
                                       sfm.horizontalAdvance(tick),
                                   y0 + (sfm.ascent() - sfm.descent()) / 2.0),
                           tick);
                p.setPen(QPen(colors.grid, 1.0, Qt::DotLine));
                p.drawLine(QPointF(rect.left() + m_gutter - sfm.averageCharWidth() * 0.6, y0),
                           QPointF(m_clientX - m_bandWidth, y0));
            }
            m_drawn.push_back(drawn);
        }
        placeLabels(p, jobs, head, !steps, frame.labelEveryArrow);
    }

    p.setRenderHint(QPainter::Antialiasing, true);

    // --- Playhead.
    if (trace != nullptr && !frame.wholeExchange && nowY >= lanesTop && nowY <= lanesBottom) {
        p.setPen(QPen(colors.playhead, 1.5 * ls, Qt::DashLine));
        p.drawLine(QPointF(rect.left() + m_gutter * 0.2, nowY), QPointF(rect.right(), nowY));
    }

    // --- Sticky header with the lifeline labels.
    const QRectF headerRect(rect.left(), rect.top(), rect.width(), m_lanes.top() - rect.top());
    p.fillRect(headerRect, colors.background);
    p.setFont(font);
    std::array<QRectF, 2> endpointBoxes;
    for (Side side : {Side::Client, Side::Server}) {
        const double x = lifelineX(side);
        QString address;
        if (trace != nullptr) {
            const auto& info = side == Side::Client ? trace->meta.client : trace->meta.server;
            address = QString::fromStdString(info.address.toString());
        }
        const QString title = side == Side::Client ? tr("Client") : tr("Server");
        const double w = std::max(fm.horizontalAdvance(title), fm.horizontalAdvance(address)) +
                         fm.averageCharWidth() * 2.0;
        double left = x - w / 2.0;
        left = std::clamp(left, rect.left() + 1.0, rect.right() - w - 1.0);
        const QRectF box(left, rect.top() + fm.height() * 0.2, w, fm.height() * 2.2);
        endpointBoxes.at(static_cast<std::size_t>(side)) = box;
        p.setPen(QPen(colors.endpoint(side), 2.0 * ls));
        p.setBrush(colors.background);
        p.drawRoundedRect(box, 4.0, 4.0);
        p.setPen(colors.text);
        QFont bold = font;
        bold.setBold(true);
        p.setFont(bold);
        p.drawText(QRectF(box.left(), box.top() + fm.height() * 0.1, box.width(), fm.height()),
                   Qt::AlignCenter, title);
        p.setFont(font);
        p.drawText(QRectF(box.left(), box.top() + fm.height() * 1.1, box.width(), fm.height()),
                   Qt::AlignCenter, address);
    }
    if (m_captureX && trace != nullptr) {
        drawCaptureHeader(p, endpointBoxes.at(0), endpointBoxes.at(1));
    }
    p.setPen(QPen(colors.grid, 1.0));
    p.drawLine(QPointF(rect.left(), m_lanes.top() - 1.0),
               QPointF(rect.right(), m_lanes.top() - 1.0));
    p.restore();
}

void SequenceDiagramRenderer::drawCaptureHeader(QPainter& p, const QRectF& clientBox,
                                                const QRectF& serverBox) {
    const ViewColors colors = viewColors(m_settings);
    const QFont font = viewFont(m_settings);
    const QFont smallFont = secondaryFont(m_settings);
    const QFontMetricsF fm(font, p.device());
    const QFontMetricsF sfm(smallFont, p.device());
    const CaptureView& view = m_trace->meta.capture;
    const QString title = tr("Capture point");
    QString source = QString::fromStdString(view.source);
    if (view.basis == DelayBasis::None) {
        source =
            source.isEmpty() ? tr("no delay estimate") : tr("%1, no delay estimate").arg(source);
    }
    // Between the endpoints' boxes, as near its line as they leave room for.
    const double gap = fm.averageCharWidth();
    const double room = serverBox.left() - clientBox.right() - 2.0 * gap;
    const double pad = fm.averageCharWidth() * 2.0;
    QFont bold = font;
    bold.setBold(true);
    const QFontMetricsF bfm(bold, p.device());
    const double w =
        std::min(std::max(bfm.horizontalAdvance(title), sfm.horizontalAdvance(source)) + pad, room);
    if (w < fm.averageCharWidth() * 6.0) {
        return; // too narrow a window for a third box: the dashed line stays unlabelled
    }
    const double left =
        std::clamp(*m_captureX - w / 2.0, clientBox.right() + gap, serverBox.left() - gap - w);
    const QRectF box(left, clientBox.top(), w, clientBox.height());
    QPen dashed(colors.mutedText, 1.5 * lineScale(m_settings), Qt::DashLine);
    p.setPen(dashed);
    p.setBrush(colors.background);
    p.drawRoundedRect(box, 4.0, 4.0);
    p.setPen(colors.text);
    p.setFont(bold);
    p.drawText(QRectF(box.left(), box.top() + fm.height() * 0.1, box.width(), fm.height()),
               Qt::AlignCenter, bfm.elidedText(title, Qt::ElideRight, w - pad / 2.0));
    p.setFont(smallFont);
    p.setPen(colors.mutedText);
    p.drawText(QRectF(box.left(), box.top() + fm.height() * 1.1, box.width(), fm.height()),
               Qt::AlignCenter, sfm.elidedText(source, Qt::ElideMiddle, w - pad / 2.0));
}

} // namespace tcpviz

namespace tcpviz {

namespace {

/// Distance from `point` to the segment `line`.
double distanceToLine(const QLineF& line, QPointF point) {
    const QPointF d = line.p2() - line.p1();
    const double len2 = d.x() * d.x() + d.y() * d.y();
    double t = 0.0;
    if (len2 > 0.0) {
        const QPointF w = point - line.p1();
        t = std::clamp((w.x() * d.x() + w.y() * d.y()) / len2, 0.0, 1.0);
    }
    const QPointF nearest = line.p1() + d * t;
    return std::hypot(point.x() - nearest.x(), point.y() - nearest.y());
}

/// Where along an arrow, and on which side of it, a label may go: above it,
/// the middle first, then further out; below it only when no place above is
/// free (a label below one arrow reads as the next one's).
std::vector<std::pair<double, bool>> labelCandidates(double mid, double lo, double hi) {
    std::vector<std::pair<double, bool>> out;
    for (const bool above : {true, false}) {
        for (const double step : {0.0, -0.12, 0.12, -0.24, 0.24, -0.36, 0.36, 0.48, 0.6}) {
            const double t = mid + step;
            if (t < lo - 1e-9 || t > hi + 1e-9) {
                continue;
            }
            out.emplace_back(t, above);
        }
    }
    if (out.empty()) {
        out.emplace_back(mid, true);
    }
    return out;
}

} // namespace

void SequenceDiagramRenderer::placeLabels(QPainter& p, std::vector<LabelJob>& jobs, double head,
                                          bool rotate, bool everyArrow) {
    const ViewColors colors = viewColors(m_settings);
    // Tags ("lost", "retransmission") are part of the label and as large. In
    // presentation mode a label may shrink to the smallest text the mode allows
    // (the lifelines are closer there and its labels wider); elsewhere the label
    // size is the floor (9 pt at least).
    std::vector<QFont> fonts{viewFont(m_settings)};
    if (m_settings.presentation) {
        fonts.push_back(viewFont(m_settings, 0.8));
    }
    // A bulk transfer on one screen: one place per label, checked against its
    // neighbours only, so that a frame costs what it did.
    const bool dense = jobs.size() > kDenseArrows;
    // What a label must not cover: the ends of the arrows (heads, tails, crosses).
    std::vector<QRectF> taken;
    taken.reserve(m_drawn.size() * 2 + jobs.size() + m_timerLabels.size());
    for (std::size_t i = 0; i < (dense ? 0 : m_drawn.size()); ++i) {
        const double r = head * 0.8;
        taken.emplace_back(m_drawn[i].line.p1() - QPointF(r, r), QSizeF(2 * r, 2 * r));
        taken.emplace_back(m_drawn[i].line.p2() - QPointF(r, r), QSizeF(2 * r, 2 * r));
    }
    // Nor the timer brackets' labels beside the lifelines.
    for (const DrawnText& t : m_timerLabels) {
        taken.push_back(t.rect);
    }
    // The room labels may use: between the header and the bottom, inside the page.
    const QRectF page = m_lanes.adjusted(1.0, 1.0, -1.0, -1.0);
    std::stable_sort(jobs.begin(), jobs.end(), [](const LabelJob& a, const LabelJob& b) {
        return a.priority && !b.priority;
    });
    struct Choice {
        QTransform where;
        QRectF local;
        QRectF box;
        std::size_t font = 0;
        bool tags = false;
    };
    for (LabelJob& job : jobs) {
        const QString tagText = job.tags.join(QStringLiteral(", "));
        std::optional<Choice> placed;
        std::optional<Choice> best; // the step's own label when nothing is clear
        double bestCost = std::numeric_limits<double>::infinity();
        // Larger text first; with tags first, without them (the cross, the
        // dashes still tell) if that is what makes room.
        for (std::size_t f = 0; f < fonts.size() && !placed; ++f) {
            const QFontMetricsF fm(fonts[f], p.device());
            for (const bool withTags : {true, false}) {
                if (placed || (withTags && tagText.isEmpty())) {
                    continue;
                }
                const double w = fm.horizontalAdvance(
                    withTags ? job.text + QStringLiteral("  ") + tagText : job.text);
                const auto candidates = dense
                                            ? std::vector<std::pair<double, bool>>{{job.tMid, true}}
                                            : labelCandidates(job.tMid, job.tMin, job.tMax);
                for (const auto& [t, above] : candidates) {
                    const QPointF at = job.full.pointAt(t);
                    QTransform xf;
                    xf.translate(at.x(), at.y());
                    double lift = 2.0;
                    if (rotate) {
                        // QLineF::angle() counts counter-clockwise; keep text upright.
                        double rot = -job.full.angle();
                        while (rot <= -180.0) {
                            rot += 360.0;
                        }
                        while (rot > 180.0) {
                            rot -= 360.0;
                        }
                        if (rot > 90.0) {
                            rot -= 180.0;
                        } else if (rot < -90.0) {
                            rot += 180.0;
                        }
                        xf.rotate(rot);
                    } else {
                        // Upright text over a gently sloping arrow: clear of the line
                        // at both ends of the text, not only in the middle.
                        const double dx = std::abs(job.full.dx());
                        const double slope = dx > 1e-6 ? std::abs(job.full.dy()) / dx : 0.0;
                        lift += std::min(slope, 1.0) * w / 2.0;
                    }
                    const QRectF r = above ? QRectF(-w / 2.0, -lift - fm.height(), w, fm.height())
                                           : QRectF(-w / 2.0, lift, w, fm.height());
                    const QRectF mapped = xf.mapRect(r);
                    const bool inside = page.contains(mapped);
                    // Dense frames: labels come in send order, so only the last few
                    // can be in the way (and the arrows' ends are left out).
                    const auto from = dense && taken.size() > kDenseLookBack
                                          ? taken.end() - kDenseLookBack
                                          : taken.begin();
                    auto hits = std::count_if(from, taken.end(), [&mapped](const QRectF& o) {
                        return o.intersects(mapped);
                    });
                    // Labels are read as sitting above their arrows; one below its
                    // arrow reads as the nearest arrow's, so it must be clearly
                    // nearer its own than any other.
                    if (!above) {
                        const QPointF centre = mapped.center();
                        const double own = distanceToLine(job.full, centre);
                        const DrawnArrow* self = &m_drawn[job.drawn];
                        hits +=
                            std::count_if(m_drawn.begin(), m_drawn.end(), [&](const DrawnArrow& d) {
                                return &d != self && distanceToLine(d.line, centre) < own * 1.5;
                            });
                    }
                    if (inside && hits == 0) {
                        placed = Choice{xf, r, mapped, f, withTags};
                        break;
                    }
                    // The step's own segment is labelled wherever it goes: where it
                    // covers least (on the page first), in the largest text.
                    const double cost = static_cast<double>(hits) + (inside ? 0.0 : 1000.0) +
                                        static_cast<double>(f) * 0.5;
                    if ((job.priority || everyArrow) && cost < bestCost) {
                        bestCost = cost;
                        best = Choice{xf, r, mapped, f, withTags};
                    }
                }
            }
        }
        bool crowded = false;
        if (!placed) {
            // Crowded: no label rather than one over another; but the step's own,
            // and on a slide (labelEveryArrow) every one, goes where it covers least.
            if ((!job.priority && !everyArrow) || !best) {
                continue;
            }
            placed = best;
            crowded = bestCost > 0.0;
        }
        const Choice& c = *placed;
        taken.push_back(c.box);
        DrawnArrow& drawn = m_drawn[job.drawn];
        drawn.labelCrowded = crowded;
        drawn.labelled = true;
        drawn.labelRect = c.box;
        const QFontMetricsF fm(fonts[c.font], p.device());
        p.save();
        p.setTransform(c.where, true);
        p.setFont(fonts[c.font]);
        p.setPen(job.future ? colors.future : colors.text);
        // Point-anchored drawText: the rectangle overloads run a full text layout.
        const double baseline = c.local.top() + fm.ascent();
        p.drawText(QPointF(c.local.left(), baseline), job.text);
        QString shown = job.text;
        if (c.tags) {
            p.setPen(job.lostTag ? colors.lost : (job.future ? colors.future : colors.mutedText));
            const QString tail = QStringLiteral("  ") + tagText;
            p.drawText(QPointF(c.local.left() + fm.horizontalAdvance(job.text), baseline), tail);
            shown += tail;
        }
        p.restore();
        m_segmentLabels.push_back({shown, c.box});
    }
}

} // namespace tcpviz
