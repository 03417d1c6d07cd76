#include "trace_compare_view.h"

#include "event_text.h"
#include "view_style.h"

#include <QFontMetricsF>
#include <QPainter>
#include <QPainterPath>
#include <QPolygonF>
#include <QWheelEvent>
#include <algorithm>
#include <cmath>

namespace tcpviz {

namespace {

// Okabe-Ito, apart from the client (blue), the server (orange) and the
// playhead (bluish green in the ladder, but the compare view draws its own).
const QColor kOnlyLeft(0xd5, 0x5e, 0x00);  // vermillion: gone in the what-if
const QColor kOnlyRight(0x00, 0x9e, 0x73); // bluish green: new in the what-if
const QColor kChanged(0xcc, 0x79, 0xa7);   // reddish purple: same thing, other fate or time

// Long idle gaps (2MSL, a backed-off RTO) shorter than in one ladder: the
// comparison is about the exchange, and the gutter gives each gap's length.
constexpr double kLongGapLog = 0.15;

QColor translucent(QColor c, int alpha) {
    c.setAlpha(alpha);
    return c;
}

QString signedDuration(std::int64_t us) {
    return (us > 0 ? QStringLiteral("+") : QStringLiteral("−")) + formatDuration(std::abs(us));
}

bool contains(const std::vector<std::size_t>& sorted, std::size_t v) {
    return std::binary_search(sorted.begin(), sorted.end(), v);
}

void drawBadge(QPainter& p, QPointF centre, double radius, const QColor& color, const QString& text,
               const QFont& font) {
    p.setPen(QPen(Qt::white, std::max(1.0, radius * 0.15)));
    p.setBrush(color);
    p.drawEllipse(centre, radius, radius);
    p.setFont(font);
    p.setPen(Qt::white);
    p.drawText(QRectF(centre.x() - radius, centre.y() - radius, radius * 2, radius * 2),
               Qt::AlignCenter, text);
}

void drawDiamond(QPainter& p, QPointF c, double r, const QColor& color, const QColor& outline) {
    const QPolygonF d{QPointF(c.x(), c.y() - r), QPointF(c.x() + r, c.y()),
                      QPointF(c.x(), c.y() + r), QPointF(c.x() - r, c.y())};
    p.setPen(QPen(outline, std::max(1.0, r * 0.2)));
    p.setBrush(color);
    p.drawPolygon(d);
}

} // namespace

TraceCompareView::TraceCompareView(QWidget* parent)
    : QWidget(parent) {
    setObjectName(QStringLiteral("traceCompareView"));
    setAutoFillBackground(false);
}

void TraceCompareView::setTraces(const Trace* original, const Trace* branch, TraceDiff diff,
                                 const QString& originalTitle, const QString& branchTitle,
                                 const QString& originalName) {
    m_left.setTrace(original);
    m_right.setTrace(branch);
    if (original != nullptr && branch != nullptr) {
        m_left.shareAxisWith(m_right, kLongGapLog);
    }
    m_diff = std::move(diff);
    m_leftTitle = originalTitle;
    m_rightTitle = branchTitle;
    m_leftName = originalName;
    m_markedLeft.clear();
    m_markedRight.clear();
    update();
}

void TraceCompareView::clear() {
    setTraces(nullptr, nullptr, {}, {}, {}, {});
}

void TraceCompareView::setSettings(const ViewSettings& settings) {
    m_settings = settings;
    m_left.setSettings(settings);
    m_right.setSettings(settings);
    // New settings may lay a ladder out again (another axis, another text
    // size): share the time axis again.
    m_left.shareAxisWith(m_right, kLongGapLog);
    update();
}

void TraceCompareView::setZoom(double factor) {
    m_zoom = std::clamp(factor, 1.0, 64.0);
    if (m_zoom <= 1.0) {
        m_scrollAxis = 0.0;
    }
    update();
}

void TraceCompareView::wheelEvent(QWheelEvent* event) {
    if (!hasTraces()) {
        return;
    }
    const double steps = event->angleDelta().y() / 120.0;
    const double ppa = m_fitPpa * m_zoom;
    if ((event->modifiers() & Qt::ControlModifier) != 0) {
        // Zoom about the pointer: the time under it stays under it.
        const double y = event->position().y() - m_lanesTop;
        const double axisAtPointer = m_scrollAxis + y / ppa;
        setZoom(m_zoom * std::pow(1.25, steps));
        m_scrollAxis = m_zoom <= 1.0 ? 0.0 : axisAtPointer - y / (m_fitPpa * m_zoom);
    } else if (m_zoom > 1.0) {
        m_scrollAxis -= steps * height() * 0.1 / ppa;
    }
    const double total = m_left.layout().axisLength();
    m_scrollAxis = std::clamp(m_scrollAxis, 0.0, std::max(0.0, total - total / m_zoom));
    update();
    event->accept();
}

void TraceCompareView::setPosition(std::size_t branchPosition) {
    m_position = branchPosition;
    update();
}

QStringList TraceCompareView::legendLines() const {
    std::size_t statesShifted = m_diff.shiftedStates();
    return {tr("Only in %1 — segments: %2, states: %3")
                .arg(m_leftName)
                .arg(m_diff.segmentsOnlyInA.size())
                .arg(m_diff.statesOnlyInA.size()),
            tr("Only in the what-if — segments: %1, states: %2")
                .arg(m_diff.segmentsOnlyInB.size())
                .arg(m_diff.statesOnlyInB.size()),
            tr("Changed — lost on one side only: %1, states at another time: %2")
                .arg(m_diff.segmentsWithOtherFate())
                .arg(statesShifted)};
}

QSize TraceCompareView::sizeHint() const {
    const QFontMetricsF fm(viewFont(m_settings));
    return {static_cast<int>(fm.averageCharWidth() * 150), static_cast<int>(fm.height() * 30)};
}

QSize TraceCompareView::minimumSizeHint() const {
    const QFontMetricsF fm(viewFont(m_settings));
    return {static_cast<int>(fm.averageCharWidth() * 80), static_cast<int>(fm.height() * 12)};
}

void TraceCompareView::paintEvent(QPaintEvent* /*event*/) {
    QPainter p(this);
    render(p, QRectF(rect()));
}

void TraceCompareView::render(QPainter& p, const QRectF& rect) {
    const ViewColors colors = viewColors(m_settings);
    p.save();
    p.setRenderHint(QPainter::Antialiasing, true);
    p.setRenderHint(QPainter::TextAntialiasing, true);
    p.fillRect(rect, colors.background);
    m_markedLeft.clear();
    m_markedRight.clear();
    if (!hasTraces() || m_right.trace() == nullptr) {
        p.restore();
        return;
    }
    const QFont font = viewFont(m_settings);
    QFont bold = font;
    bold.setBold(true);
    const QFontMetricsF fm(font, p.device());
    const QFontMetricsF bfm(bold, p.device());
    const double cw = fm.averageCharWidth();
    const double pad = cw;

    // --- Legend: a swatch and a line per kind of difference, wrapped to the width.
    const QStringList lines = legendLines();
    const std::array<QColor, 3> swatches{kOnlyLeft, kOnlyRight, kChanged};
    const std::array<QString, 3> marks{QStringLiteral("−"), QStringLiteral("+"),
                                       QStringLiteral("Δ")};
    const double rowH = fm.height() * 1.35;
    const double swatch = fm.height() * 0.95;
    double x = rect.left() + pad;
    double y = rect.top() + pad * 0.5;
    p.setFont(font);
    for (int i = 0; i < lines.size(); ++i) {
        const double w = swatch + cw + fm.horizontalAdvance(lines[i]) + cw * 3;
        if (x > rect.left() + pad && x + w > rect.right() - pad) {
            x = rect.left() + pad;
            y += rowH;
        }
        const auto c = static_cast<std::size_t>(i);
        drawBadge(p, QPointF(x + swatch / 2, y + rowH / 2), swatch / 2, swatches.at(c), marks.at(c),
                  bold);
        p.setFont(font);
        p.setPen(colors.text);
        p.drawText(QRectF(x + swatch + cw, y, w, rowH), Qt::AlignLeft | Qt::AlignVCenter, lines[i]);
        x += w;
    }
    y += rowH + pad * 0.5;

    // --- The two halves under their titles, one time axis.
    const double gap = cw * 2.0;
    const double halfW = (rect.width() - gap) / 2.0;
    const double titleH = bfm.height() * 1.3;
    p.setFont(bold);
    p.setPen(colors.text);
    const QRectF leftTitle(rect.left() + pad, y, halfW - pad, titleH);
    const QRectF rightTitle(rect.left() + halfW + gap, y, halfW - pad, titleH);
    p.drawText(leftTitle, Qt::AlignLeft | Qt::AlignVCenter,
               bfm.elidedText(m_leftTitle, Qt::ElideRight, leftTitle.width()));
    p.drawText(rightTitle, Qt::AlignLeft | Qt::AlignVCenter,
               bfm.elidedText(m_rightTitle, Qt::ElideRight, rightTitle.width()));
    y += titleH;
    const QRectF leftRect(rect.left(), y, halfW, rect.bottom() - y);
    const QRectF rightRect(rect.left() + halfW + gap, y, halfW, rect.bottom() - y);

    SequenceFrame frame;
    frame.wholeExchange = true;
    const double lanes = leftRect.height() - m_left.headerHeight() - fm.height() * 3.0;
    m_fitPpa = std::max(lanes, 10.0) / std::max(m_left.layout().axisLength(), 1.0);
    frame.pixelsPerAxis = m_fitPpa * m_zoom;
    frame.topAxis = m_scrollAxis - fm.height() * 1.5 / frame.pixelsPerAxis;
    paintHalf(p, m_left, leftRect, frame, true);
    m_lanesTop = m_left.lanesRect().top() + fm.height() * 1.5;
    paintHalf(p, m_right, rightRect, frame, false);

    // The divide, and the branch's playhead across both: one time, one height.
    p.setPen(QPen(colors.line, 1.0));
    p.drawLine(QPointF(rect.left() + halfW + gap / 2, y),
               QPointF(rect.left() + halfW + gap / 2, rect.bottom()));
    const Trace& b = *m_right.trace();
    if (m_position > 0 && m_position < b.size()) {
        const double py = m_right.yOfTime(b.event(m_position - 1).timeUs);
        const QRectF lanesR = m_right.lanesRect();
        if (py >= lanesR.top() && py <= lanesR.bottom()) {
            QPen pen(colors.playhead, 1.5 * lineScale(m_settings), Qt::DashLine);
            p.setPen(pen);
            p.drawLine(QPointF(rect.left(), py), QPointF(rect.right(), py));
        }
    }
    p.restore();
}

void TraceCompareView::paintHalf(QPainter& p, SequenceDiagramRenderer& r, const QRectF& rect,
                                 const SequenceFrame& frame, bool left) {
    r.paint(p, rect, frame);
    const ViewColors colors = viewColors(m_settings);
    const double ls = lineScale(m_settings);
    const QFont small = viewFont(m_settings, 0.85);
    QFont badgeFont = small;
    badgeFont.setBold(true);
    const QFontMetricsF fm(small, p.device());
    const QFontMetricsF nfm(viewFont(m_settings), p.device());
    const std::vector<std::size_t>& only = left ? m_diff.segmentsOnlyInA : m_diff.segmentsOnlyInB;
    std::vector<std::size_t> otherFate;
    for (const MatchedSegment& s : m_diff.segments) {
        if (s.lostInA != s.lostInB) {
            otherFate.push_back(left ? s.a : s.b);
        }
    }
    std::sort(otherFate.begin(), otherFate.end());
    std::vector<std::size_t>& marked = left ? m_markedLeft : m_markedRight;
    const QColor onlyColor = left ? kOnlyLeft : kOnlyRight;
    p.save();
    p.setClipRect(r.lanesRect().intersected(rect));
    const double radius = nfm.height() * 0.55;
    for (const DrawnArrow& a : r.lastArrows()) {
        const bool isOnly = contains(only, a.sendIndex);
        const bool isOther = !isOnly && contains(otherFate, a.sendIndex);
        if (!isOnly && !isOther) {
            continue;
        }
        marked.push_back(a.sendIndex);
        const QColor c = isOnly ? onlyColor : kChanged;
        const QLineF line = a.line;
        QPen halo(translucent(c, 110), 8.0 * ls, Qt::SolidLine, Qt::RoundCap);
        p.setPen(halo);
        p.drawLine(line);
        // The badge near the sender, where no label sits.
        const double t = line.length() > 0 ? std::min(0.5, radius * 2.2 / line.length()) : 0.0;
        drawBadge(p, line.pointAt(t), radius, c,
                  isOnly ? (left ? QStringLiteral("−") : QStringLiteral("+")) : QStringLiteral("Δ"),
                  badgeFont);
    }
    // States: a diamond on the lifeline where the state begins.
    const Trace& trace = *r.trace();
    const auto mark = [&](std::size_t event, const QColor& c, const QString& note) {
        if (event >= trace.size()) {
            return;
        }
        const TraceEvent& e = trace.event(event);
        const double x = r.lifelineX(e.endpoint);
        const double yy = r.yOfTime(e.timeUs);
        drawDiamond(p, QPointF(x, yy), radius * 0.9, c, colors.background);
        if (!note.isEmpty()) {
            p.setFont(small);
            p.setPen(c.darker(130));
            const double w = fm.horizontalAdvance(note);
            const double tx = e.endpoint == Side::Client ? x + radius * 1.4 : x - radius * 1.4 - w;
            p.drawText(QRectF(tx, yy - fm.height(), w + 2, fm.height()),
                       Qt::AlignLeft | Qt::AlignBottom, note);
        }
    };
    for (const std::size_t e : left ? m_diff.statesOnlyInA : m_diff.statesOnlyInB) {
        mark(e, onlyColor, {});
    }
    for (const MatchedState& s : m_diff.states) {
        if (s.shiftUs != 0) {
            mark(left ? s.a : s.b, kChanged, left ? QString() : signedDuration(s.shiftUs));
        }
    }
    p.restore();
}

} // namespace tcpviz
