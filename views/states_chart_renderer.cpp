#include "states_chart_renderer.h"

#include "event_text.h"
#include "view_style.h"

#include <QFontMetricsF>
#include <QPainter>
#include <QPolygonF>
#include <algorithm>
#include <array>
#include <cmath>
#include <vector>

namespace tcpviz {

namespace {

constexpr double kSwatch = 0.9; ///< legend swatch, in line heights

/// 1, 2 or 5 times a power of ten, at or above `v` (v > 0).
std::int64_t roundStep(double v) {
    if (v <= 1.0) {
        return 1;
    }
    const double p = std::pow(10.0, std::floor(std::log10(v)));
    for (const double m : {1.0, 2.0, 5.0}) {
        if (p * m >= v) {
            return static_cast<std::int64_t>(p * m);
        }
    }
    return static_cast<std::int64_t>(p * 10.0);
}

double legendWidth(const ViewSettings& settings, const QFontMetricsF& fm) {
    double w = 0;
    for (const State s : StatesChartLayout::kStacked) {
        w = std::max(w, fm.horizontalAdvance(stateLabel(s, settings)));
    }
    return w + fm.height() * (kSwatch + 1.2);
}

int presentCount(const StatesChartLayout& l) {
    int n = 0;
    for (std::size_t k = 0; k < StatesChartLayout::kStacked.size(); ++k) {
        n += l.present(k) ? 1 : 0;
    }
    return n;
}

/// The legend's top: it shares the title row above the first plot (the titles
/// are at the plots' left, the legend right of them).
double legendTop(double lh) {
    return lh * 0.15;
}

double legendRowHeight(double lh) {
    return lh * 1.15;
}

/// {rows, columns} of the legend of `l`: as many rows as fit between its top and
/// `foot` pixels above the chart's bottom, then a further column; but never so
/// many columns that the plots keep less than about half the width (a chart that
/// short gets longer columns than fit).
std::array<int, 2> legendGrid(const StatesChartLayout& l, const ViewSettings& settings,
                              double foot) {
    const QFontMetricsF fm(viewFont(settings, 1.0));
    const double lh = fm.height();
    int rows = std::max(1, static_cast<int>(std::floor((l.size().height() - legendTop(lh) - foot) /
                                                       legendRowHeight(lh))));
    const int n = presentCount(l);
    const int most =
        std::max(1, static_cast<int>(l.size().width() * 0.45 / legendWidth(settings, fm)));
    const int columns = std::clamp((n + rows - 1) / rows, 1, most);
    rows = std::max(rows, (n + columns - 1) / columns);
    return {rows, columns};
}

} // namespace

QString StatesChartRenderer::halfTitle(std::optional<Side> side) {
    if (!side) {
        return tr("Endpoints");
    }
    return *side == Side::Client ? tr("Client ends") : tr("Server ends");
}

StatesChartLayout::Margins StatesChartRenderer::margins(const ViewSettings& settings) {
    const QFontMetricsF fm(viewFont(settings, 1.0));
    StatesChartLayout::Margins m;
    m.left = fm.horizontalAdvance(QStringLiteral("00000")) + fm.height() * 0.6;
    // Each half's title stands above it, in the top margin and in the gap: on the
    // plot it covered the first seconds of the data.
    m.top = fm.height() * 1.2;
    m.right = legendWidth(settings, fm) + fm.height() * 0.6;
    m.bottom = fm.height() * 1.8;
    m.gap = fm.height() * 1.25;
    m.tickSpacing = fm.height() * 1.25;
    return m;
}

StatesChartLayout StatesChartRenderer::layout(const StateTimeline& timeline, std::int64_t startNs,
                                              std::int64_t endNs, QSizeF size,
                                              StatesChartSides sides, const ViewSettings& settings,
                                              double legendFoot) {
    StatesChartLayout::Margins m = margins(settings);
    StatesChartLayout l{timeline, startNs, endNs, size, sides, m};
    // Which states occur is known once sampled: a legend taller than the chart
    // (a short chart, many states) takes a second column, and the plots give up
    // its width.
    const QFontMetricsF fm(viewFont(settings, 1.0));
    const int columns = legendGrid(l, settings, legendFoot)[1];
    if (columns > 1) {
        m.right = columns * legendWidth(settings, fm) + fm.height() * 0.6;
        l = StatesChartLayout{timeline, startNs, endNs, size, sides, m};
    }
    return l;
}

std::vector<QRectF> StatesChartRenderer::legendEntries(const StatesChartLayout& l,
                                                       const ViewSettings& settings,
                                                       double legendFoot) {
    const QFontMetricsF fm(viewFont(settings, 1.0));
    const double lh = fm.height();
    const auto grid = legendGrid(l, settings, legendFoot);
    const double width = legendWidth(settings, fm);
    std::vector<QRectF> out;
    const double left = l.plotRect(l.halves() - 1).right() + lh * 0.6;
    int i = 0;
    for (std::size_t k = StatesChartLayout::kStacked.size(); k-- > 0;) {
        if (!l.present(k)) {
            continue;
        }
        const int column = i / grid[0];
        const int row = i % grid[0];
        out.emplace_back(left + column * width, legendTop(lh) + row * legendRowHeight(lh),
                         width - lh * 0.3, lh);
        ++i;
    }
    return out;
}

void StatesChartRenderer::paint(QPainter& p, const StatesChartLayout& l,
                                const StatesChartDecor& decor) {
    const ViewSettings& settings = decor.settings;
    const ViewColors colors = viewColors(settings);
    const QFont font = viewFont(settings, 1.0);
    const QFontMetricsF fm(font);
    const double lh = fm.height();
    p.save();
    p.setFont(font);
    p.fillRect(QRectF(QPointF(0, 0), l.size()), colors.background);

    const int columns = l.columns();
    for (int h = 0; h < l.halves(); ++h) {
        const QRectF plot = l.plotRect(h);
        // Gridlines and the scale.
        p.setRenderHint(QPainter::Antialiasing, false);
        for (const std::uint32_t v : l.ticks(h)) {
            const double y = std::round(l.yOf(h, v));
            p.setPen(QPen(v == 0 ? colors.line : colors.grid, 1));
            p.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y));
            p.setPen(colors.mutedText);
            p.drawText(QRectF(0, y - lh / 2, plot.left() - lh * 0.3, lh),
                       Qt::AlignRight | Qt::AlignVCenter, QString::number(v));
        }
        // The stacked areas: one polygon per state through every column's sample,
        // so the cost is the number of pixel columns, not of connections.
        p.setPen(Qt::NoPen);
        QPolygonF poly;
        poly.reserve(2 * columns + 2);
        for (std::size_t k = 0; k < StatesChartLayout::kStacked.size(); ++k) {
            if (!l.present(k)) {
                continue;
            }
            poly.clear();
            for (int c = 0; c < columns; ++c) {
                poly << QPointF(l.columnX(c), l.yOf(h, l.stackTop(h, c, k)));
            }
            for (int c = columns - 1; c >= 0; --c) {
                const std::uint32_t below = k == 0 ? 0 : l.stackTop(h, c, k - 1);
                poly << QPointF(l.columnX(c), l.yOf(h, below));
            }
            p.setBrush(stateFill(StatesChartLayout::kStacked.at(k), settings));
            p.drawPolygon(poly);
        }
        if (decor.highlight) {
            const auto it = std::find(StatesChartLayout::kStacked.begin(),
                                      StatesChartLayout::kStacked.end(), *decor.highlight);
            if (it != StatesChartLayout::kStacked.end()) {
                // The filtered state's band outlined where it is not empty.
                const auto k = static_cast<std::size_t>(it - StatesChartLayout::kStacked.begin());
                p.setPen(QPen(colors.text, 2 * lineScale(settings)));
                p.setBrush(Qt::NoBrush);
                int c = 0;
                while (c < columns) {
                    if (l.count(h, c, k) == 0) {
                        ++c;
                        continue;
                    }
                    const int first = c;
                    while (c < columns && l.count(h, c, k) > 0) {
                        ++c;
                    }
                    QPolygonF outline;
                    for (int i = first; i < c; ++i) {
                        outline << QPointF(l.columnX(i), l.yOf(h, l.stackTop(h, i, k)));
                    }
                    for (int i = c - 1; i >= first; --i) {
                        outline << QPointF(l.columnX(i),
                                           l.yOf(h, l.stackTop(h, i, k) - l.count(h, i, k)));
                    }
                    p.drawPolygon(outline);
                }
            }
        }
        // Each state named inside its band where the band is thickest, when the
        // name fits there: the reader need not go back and forth to the legend.
        p.setPen(colors.text);
        for (std::size_t k = 0; k < StatesChartLayout::kStacked.size(); ++k) {
            if (!l.present(k)) {
                continue;
            }
            const QString name = stateLabel(StatesChartLayout::kStacked.at(k), settings);
            const int half = static_cast<int>(std::ceil(fm.horizontalAdvance(name) / 2 + lh * 0.3));
            const auto thickness = [&](int c) {
                return l.yOf(h, l.stackTop(h, c, k) - l.count(h, c, k)) -
                       l.yOf(h, l.stackTop(h, c, k));
            };
            int best = -1;
            double bestThickness = lh * 1.3;
            for (int c = half; c + half < columns; c += std::max(1, half / 2)) {
                if (thickness(c) > bestThickness) {
                    best = c;
                    bestThickness = thickness(c);
                }
            }
            if (best < 0) {
                continue;
            }
            bool fits = true;
            double top = -1e9;
            double bottom = 1e9;
            for (int c = best - half; c <= best + half && fits; ++c) {
                fits = thickness(c) >= lh * 1.3;
                top = std::max(top, l.yOf(h, l.stackTop(h, c, k)));
                bottom = std::min(bottom, l.yOf(h, l.stackTop(h, c, k) - l.count(h, c, k)));
            }
            if (fits && bottom - top >= lh * 1.1) {
                p.drawText(QRectF(l.columnX(best) - half, (top + bottom - lh) / 2, 2.0 * half, lh),
                           Qt::AlignCenter, name);
            }
        }

        // The half's title, just above it.
        const QString title = halfTitle(l.halfSide(h));
        QFont bold = font;
        bold.setBold(true);
        p.setFont(bold);
        const QFontMetricsF bfm(bold);
        p.setPen(l.halfSide(h) ? colors.endpoint(*l.halfSide(h)) : colors.text);
        p.drawText(QRectF(plot.left(), plot.top() - lh * 1.1, bfm.horizontalAdvance(title) + 2, lh),
                   Qt::AlignLeft | Qt::AlignVCenter, title);
        p.setFont(font);
        p.setPen(QPen(colors.line, 1));
        p.setBrush(Qt::NoBrush);
        p.drawRect(plot);
    }

    // Time axis under the last plot: round steps at least ~7 characters apart.
    const QRectF last = l.plotRect(l.halves() - 1);
    const std::int64_t spanNs = l.endNs() - l.startNs();
    const std::int64_t originNs = decor.originNs;
    p.setPen(colors.mutedText);
    if (spanNs > 0) {
        const double minGap = fm.horizontalAdvance(QStringLiteral("000.0 ms")) * 1.4;
        const double perPx = static_cast<double>(spanNs) / 1000.0 / std::max(1.0, last.width());
        const std::int64_t stepUs = roundStep(perPx * minGap);
        const std::int64_t firstUs =
            ((l.startNs() - originNs) / 1000 + stepUs - 1) / stepUs * stepUs;
        for (std::int64_t us = firstUs; originNs + us * 1000 <= l.endNs(); us += stepUs) {
            const double x = l.xOfTime(originNs + us * 1000);
            p.drawLine(QPointF(x, last.bottom()), QPointF(x, last.bottom() + lh * 0.25));
            const QString text = formatDuration(us);
            const double w = fm.horizontalAdvance(text);
            const double left = std::clamp(x - w / 2, 0.0, l.size().width() - w);
            p.drawText(QRectF(left, last.bottom() + lh * 0.3, w + 1, lh), Qt::AlignCenter, text);
        }
    }

    // Legend: the states that occur, top down as they are stacked (a second
    // column when the chart is too short for one).
    const std::vector<QRectF> entries = legendEntries(l, settings, decor.legendFoot);
    std::size_t entry = 0;
    for (std::size_t k = StatesChartLayout::kStacked.size(); k-- > 0;) {
        if (!l.present(k)) {
            continue;
        }
        const QRectF e = entries.at(entry++);
        const State s = StatesChartLayout::kStacked.at(k);
        const QRectF swatch(e.left(), e.top() + lh * (1 - kSwatch) / 2, lh * kSwatch, lh * kSwatch);
        p.fillRect(swatch, stateFill(s, settings));
        if (decor.highlight == s) {
            p.setPen(QPen(colors.text, 2));
            p.drawRect(swatch);
        }
        p.setPen(colors.text);
        p.drawText(QRectF(swatch.right() + lh * 0.3, e.top(), e.right() - swatch.right(), lh),
                   Qt::AlignLeft | Qt::AlignVCenter, stateLabel(s, settings));
    }

    bool any = false;
    for (std::size_t k = 0; k < StatesChartLayout::kStacked.size(); ++k) {
        any = any || l.present(k);
    }
    if (!any && !decor.emptyText.isEmpty()) {
        p.setPen(colors.mutedText);
        const QRectF all = l.plotRect(0).united(last);
        p.drawText(all.adjusted(lh, lh, -lh, -lh), Qt::AlignCenter | Qt::TextWordWrap,
                   decor.emptyText);
    }

    // The cursor: the heat map's time, across both halves.
    if (decor.cursorNs) {
        const double x = std::round(l.xOfTime(*decor.cursorNs));
        p.setRenderHint(QPainter::Antialiasing, false);
        p.setPen(QPen(colors.playhead, 2 * lineScale(settings)));
        p.drawLine(QPointF(x, l.plotRect(0).top()), QPointF(x, last.bottom()));
    }
    p.restore();
}

} // namespace tcpviz
