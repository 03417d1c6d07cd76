#include "sequence_diagram_renderer.h"

#include "event_text.h"
#include "view_style.h"

#include <QCoreApplication>
#include <QFontMetricsF>
#include <QPainter>
#include <QPainterPath>
#include <QPolygonF>
#include <algorithm>
#include <cmath>
#include <limits>

namespace tcpviz {

namespace {

/// Above this many candidate arrows in a frame, arrows are drawn without antialiasing.
constexpr std::size_t kDenseArrows = 80;

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
    m_layout = trace != nullptr ? SequenceLayout(*trace) : SequenceLayout();
    m_drawn.clear();
    m_timerLabels.clear();
}

double SequenceDiagramRenderer::headerHeight() const {
    const QFontMetricsF fm(viewFont(m_settings));
    return fm.height() * 2.0 + fm.height() * 0.8;
}

double SequenceDiagramRenderer::defaultPixelsPerAxis() const {
    const QFontMetricsF fm(viewFont(m_settings));
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
    const QFontMetricsF small(viewFont(m_settings, 0.85), painter.device());
    m_gutter = small.horizontalAdvance(QStringLiteral("00.000 s")) + fm.averageCharWidth();
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
}

std::int64_t SequenceDiagramRenderer::timeAtY(double y) const {
    return m_layout.timeOfAxis(m_topAxis + (y - m_lanes.top()) / m_ppa);
}

double SequenceDiagramRenderer::yOfTime(std::int64_t timeUs) const {
    return m_lanes.top() + (m_layout.axisOf(timeUs) - m_topAxis) * m_ppa;
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
    const ViewColors colors = viewColors(m_settings);
    const double ls = lineScale(m_settings);
    p.save();
    p.setRenderHint(QPainter::Antialiasing, true);
    p.setRenderHint(QPainter::TextAntialiasing, true);
    p.fillRect(rect, colors.background);
    p.setClipRect(rect);
    computeGeometry(p, rect);
    const QFont font = viewFont(m_settings);
    const QFont smallFont = viewFont(m_settings, 0.85);
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
    const double lanesTop = m_lanes.top();
    const double lanesBottom = m_lanes.bottom();
    const std::int64_t tTop = timeAtY(lanesTop - fm.height());
    const std::int64_t tBottom = timeAtY(lanesBottom + fm.height());
    const double nowY = yOfTime(now);
    // How far down things that have happened reach.
    const double doneY = frame.wholeExchange || future ? lanesBottom : std::min(nowY, lanesBottom);

    // --- State bands along each lifeline.
    if (trace != nullptr) {
        for (Side side : {Side::Client, Side::Server}) {
            const auto& list = m_layout.intervals(side);
            const double x0 = side == Side::Client ? m_clientX - m_bandWidth : m_serverX;
            // First interval still running at the top of the window.
            auto it = std::upper_bound(
                list.begin(), list.end(), tTop,
                [](std::int64_t t, const StateInterval& s) { return t < s.startUs; });
            std::size_t i =
                it == list.begin() ? 0 : static_cast<std::size_t>(it - list.begin()) - 1;
            p.setFont(smallFont);
            for (; i < list.size(); ++i) {
                const StateInterval& s = list[i];
                const bool isFuture = s.startPosition > position;
                if (isFuture && !future) {
                    break;
                }
                if (s.startUs > tBottom) {
                    break;
                }
                const bool last =
                    i + 1 >= list.size() || (list[i + 1].startPosition > position && !future);
                double y0 = std::max(yOfTime(s.startUs), lanesTop);
                double y1 = last ? (isFuture ? lanesBottom : std::max(doneY, y0))
                                 : std::min(yOfTime(list[i + 1].startUs), lanesBottom);
                if (last && !frame.wholeExchange && !future) {
                    // The current state's name stays readable even the moment it is entered.
                    y1 = std::max(nowY, y0 + sfm.height() * 1.2);
                } else if (last) {
                    y1 = std::max(y1, yOfTime(m_layout.endUs()) + fm.height());
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
                    p.drawText(QRectF(x0, y0 + 1.0, m_bandWidth, sfm.height()), Qt::AlignCenter,
                               stateLabel(s.state, m_settings));
                }
            }
        }
    }

    // --- Long idle gaps: a break mark and the real duration in the gutter.
    p.setFont(smallFont);
    for (const auto& [g0, g1] : m_layout.gaps()) {
        if (g1 < tTop || g0 > tBottom || (!frame.wholeExchange && !future && g1 > now)) {
            continue;
        }
        const double ym = (yOfTime(g0) + yOfTime(g1)) / 2.0;
        p.setPen(colors.mutedText);
        p.drawText(QRectF(rect.left(), ym - sfm.height() / 2.0, m_gutter, sfm.height()),
                   Qt::AlignRight | Qt::AlignVCenter,
                   QStringLiteral("+%1").arg(formatDuration(g1 - g0)));
    }

    // --- Lifelines.
    const double lifeTop = lanesTop;
    const double lifeBottom = lanesBottom;
    for (Side side : {Side::Client, Side::Server}) {
        const double x = lifelineX(side);
        p.setPen(QPen(colors.line, 2.0 * ls));
        p.drawLine(QPointF(x, lifeTop), QPointF(x, lifeBottom));
    }
    for (const auto& [g0, g1] : m_layout.gaps()) {
        if (g1 < tTop || g0 > tBottom) {
            continue;
        }
        const double ym = (yOfTime(g0) + yOfTime(g1)) / 2.0;
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
            if (t.deadlineUs < tTop || t.startUs > tBottom) {
                continue;
            }
            const double dir = t.side == Side::Client ? -1.0 : 1.0;
            const double x = lifelineX(t.side) + dir * fm.averageCharWidth() * 0.9;
            const double y0 = yOfTime(t.startUs);
            const bool done = frame.wholeExchange || t.endUs <= now;
            const double yEnd = yOfTime(done ? t.endUs : std::min(now, t.endUs));
            const double yDeadline = yOfTime(t.deadlineUs);
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
            p.drawText(box, flags, shown);
            m_timerLabels.push_back({shown, sfm.boundingRect(box, flags, shown)});
        }
    }

    // --- Arrows: only those that can meet the visible time range.
    if (trace != nullptr) {
        const auto [first, last] = m_layout.arrowRange(tTop, tBottom);
        const auto& arrows = m_layout.arrows();
        const double midX = (m_clientX + m_serverX) / 2.0;
        double lastLabelY = -1e18;
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
        const auto labelY = [&](const SegmentArrow& n) {
            if (n.lost) {
                const double span = static_cast<double>(n.plannedUs - n.sendUs);
                double f = span > 0 ? static_cast<double>(n.endUs - n.sendUs) / span : 0.5;
                f = std::clamp(f, 0.15, 0.85);
                const double y0 = yOfTime(n.sendUs);
                return y0 + (yOfTime(n.plannedUs) - y0) * f * 0.45;
            }
            return (yOfTime(n.sendUs) + yOfTime(n.endUs)) / 2.0;
        };
        p.setRenderHint(QPainter::Antialiasing, !dense);
        for (std::size_t i = first; i < last; ++i) {
            const SegmentArrow& a = arrows[i];
            if (a.endUs < tTop) {
                continue;
            }
            const bool isFuture = a.sendIndex >= position;
            if (isFuture && !future) {
                break; // arrows are in send order: everything after is future too
            }
            const double y0 = yOfTime(a.sendUs);
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
            const std::int64_t tipUs = ended ? a.endUs : std::clamp(now, a.sendUs, a.endUs);
            const double x0 = a.injected ? midX : lifelineX(a.from);
            const double x1 = lifelineX(a.to);
            const double fullY1 = yOfTime(a.endUs);
            const double tipY = yOfTime(tipUs);
            // The lost segment's line stops where the network lost it.
            double frac = 1.0;
            if (a.lost) {
                const double span = static_cast<double>(a.plannedUs - a.sendUs);
                frac = span > 0 ? static_cast<double>(a.endUs - a.sendUs) / span : 0.5;
                frac = std::clamp(frac, 0.15, 0.85);
            }
            const double plannedY = a.lost ? yOfTime(a.plannedUs) : fullY1;
            const QLineF full(x0, y0, x1, plannedY);
            double tipFrac = a.endUs > a.sendUs ? frac * static_cast<double>(tipUs - a.sendUs) /
                                                      static_cast<double>(a.endUs - a.sendUs)
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
            (void)tipY;

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

            // Label along the full arrow, above it, when there is room.
            // Lost arrows carry their label on the part that exists, clear of the cross.
            const QPointF mid = full.pointAt(a.lost ? frac * 0.45 : 0.5);
            const bool stepsOwn = stepSend == a.sendIndex;
            bool room = std::abs(mid.y() - lastLabelY) >= fm.height() * 1.05;
            if (room && !stepsOwn && stepSend != kNoSend && i + 1 < last &&
                arrows[i + 1].sendIndex == stepSend &&
                std::abs(labelY(arrows[i + 1]) - mid.y()) < fm.height() * 1.05) {
                room = false; // leave the room to the current step's segment
            }
            if (room || selected || stepsOwn) {
                lastLabelY = mid.y();
                drawn.labelled = true;
                QString label = segmentLabel(*trace, trace->event(a.sendIndex), m_settings);
                QStringList tags;
                if (a.retransmission) {
                    tags << tr("retransmission");
                }
                if (a.duplicate) {
                    tags << tr("duplicate");
                }
                if (a.captureCopy) {
                    tags << tr("capture copy");
                }
                if (a.injected) {
                    tags << tr("injected");
                }
                if (a.reordered && ended) {
                    tags << tr("out of order");
                }
                if (a.lost && ended) {
                    tags << tr("lost");
                }
                // QLineF::angle() counts counter-clockwise; keep text upright.
                double rot = -full.angle();
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
                p.save();
                p.translate(mid);
                p.rotate(rot);
                p.setFont(font);
                p.setPen(isFuture ? colors.future : colors.text);
                // Point-anchored drawText: the rectangle overloads run a full text layout.
                const double w = fm.horizontalAdvance(label);
                p.drawText(QPointF(-w / 2.0, -fm.descent() - 2.0), label);
                // Tags take a second line; leave them out when the next label needs the room.
                if (i + 1 < last) {
                    const SegmentArrow& n = arrows[i + 1];
                    const double nextMid =
                        (yOfTime(n.sendUs) + yOfTime(n.lost ? n.plannedUs : n.endUs)) / 2.0;
                    if (std::abs(nextMid - mid.y()) < fm.height() * 2.1 && !(a.lost && ended)) {
                        tags.clear();
                    }
                }
                if (!tags.isEmpty()) {
                    const QString tagText = tags.join(QStringLiteral(", "));
                    const double tw = sfm.horizontalAdvance(tagText);
                    p.setFont(smallFont);
                    p.setPen(a.lost && ended ? colors.lost
                                             : (isFuture ? colors.future : colors.mutedText));
                    p.drawText(QPointF(-tw / 2.0, sfm.ascent() + 2.0), tagText);
                }
                p.restore();
            }
            // Send time in the gutter.
            if (y0 - lastTickY >= sfm.height() && !isFuture) {
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
    p.setPen(QPen(colors.grid, 1.0));
    p.drawLine(QPointF(rect.left(), m_lanes.top() - 1.0),
               QPointF(rect.right(), m_lanes.top() - 1.0));
    p.restore();
}

} // namespace tcpviz
