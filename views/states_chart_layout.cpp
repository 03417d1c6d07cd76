#include "states_chart_layout.h"

#include <algorithm>
#include <cmath>

namespace tcpviz {

std::array<std::uint32_t, 2> StatesChartLayout::scaleFor(std::uint32_t largest, double plotHeight,
                                                         double spacing) {
    const std::uint64_t most = std::max<std::uint64_t>(1, largest);
    // 1, 2, 5, 10, 20, 50, ...: the smallest step whose gridlines, enough to reach
    // `most`, stand `spacing` apart. One step reaching past `most` always ends it:
    // then the only labels are 0 and the top.
    std::uint64_t step = 1;
    for (int i = 0;; ++i) {
        const std::uint64_t intervals = (most + step - 1) / step;
        if (intervals <= 1 || plotHeight / static_cast<double>(intervals) >= spacing) {
            return {static_cast<std::uint32_t>(step), static_cast<std::uint32_t>(intervals * step)};
        }
        step = (i % 3 == 1) ? step / 2 * 5 : step * 2; // 1 -> 2 -> 5 -> 10 -> 20 -> 50
    }
}

StatesChartLayout::StatesChartLayout(const StateTimeline& timeline, std::int64_t startNs,
                                     std::int64_t endNs, QSizeF size, StatesChartSides sides,
                                     const Margins& margins)
    : m_size(size)
    , m_sides(sides)
    , m_margins(margins)
    , m_startNs(startNs)
    , m_endNs(std::max(startNs, endNs)) {
    const QRectF content(margins.left, margins.top,
                         std::max(1.0, size.width() - margins.left - margins.right),
                         std::max(2.0, size.height() - margins.top - margins.bottom));
    if (sides == StatesChartSides::Apart) {
        const double h = std::max(1.0, (content.height() - margins.gap) / 2.0);
        m_plots[0] = QRectF(content.left(), content.top(), content.width(), h);
        m_plots[1] = QRectF(content.left(), content.bottom() - h, content.width(), h);
    } else {
        m_plots[0] = content;
        m_plots[1] = content;
    }
    m_columns = std::max(1, static_cast<int>(std::floor(content.width())));

    std::vector<std::int64_t> times(static_cast<std::size_t>(m_columns));
    for (int c = 0; c < m_columns; ++c) {
        times[static_cast<std::size_t>(c)] = columnTimeNs(c);
    }
    const std::vector<StateTimeline::SideCounts> samples = timeline.sideCountsAtEach(times);

    const auto halvesN = static_cast<std::size_t>(halves());
    m_stack.assign(halvesN * static_cast<std::size_t>(m_columns) * kStacked.size(), 0);
    std::array<std::uint32_t, 2> largest{};
    for (std::size_t c = 0; c < samples.size(); ++c) {
        const auto& s = samples[c];
        for (std::size_t h = 0; h < halvesN; ++h) {
            std::uint32_t sum = 0;
            for (std::size_t k = 0; k < kStacked.size(); ++k) {
                const auto state = static_cast<std::size_t>(kStacked.at(k));
                const std::uint32_t n =
                    halvesN == 2 ? s.at(h).at(state) : s[0].at(state) + s[1].at(state);
                if (n > 0) {
                    m_present.at(k) = true;
                }
                sum += n;
                m_stack[at(static_cast<int>(h), static_cast<int>(c), k)] = sum;
            }
            largest.at(h) = std::max(largest.at(h), sum);
        }
    }
    for (std::size_t h = 0; h < 2; ++h) {
        const auto scale =
            scaleFor(largest.at(h), m_plots.at(h).height(), std::max(1.0, margins.tickSpacing));
        m_tickStep.at(h) = scale[0];
        m_scaleMax.at(h) = scale[1];
    }
}

std::size_t StatesChartLayout::at(int half, int column, std::size_t stackIndex) const {
    return (static_cast<std::size_t>(half) * static_cast<std::size_t>(m_columns) +
            static_cast<std::size_t>(column)) *
               kStacked.size() +
           stackIndex;
}

std::optional<Side> StatesChartLayout::halfSide(int half) const {
    if (m_sides == StatesChartSides::Together) {
        return std::nullopt;
    }
    return half == 0 ? Side::Client : Side::Server;
}

QRectF StatesChartLayout::plotRect(int half) const {
    return m_plots.at(static_cast<std::size_t>(std::clamp(half, 0, 1)));
}

std::int64_t StatesChartLayout::columnTimeNs(int column) const {
    if (m_columns <= 1) {
        return m_endNs;
    }
    const double f = static_cast<double>(column) / static_cast<double>(m_columns - 1);
    return m_startNs +
           static_cast<std::int64_t>(std::llround(f * static_cast<double>(m_endNs - m_startNs)));
}

double StatesChartLayout::columnX(int column) const {
    return m_plots[0].left() + column + 0.5;
}

double StatesChartLayout::xOfTime(std::int64_t timeNs) const {
    if (m_endNs <= m_startNs || m_columns <= 1) {
        return columnX(m_columns - 1);
    }
    const double f =
        static_cast<double>(timeNs - m_startNs) / static_cast<double>(m_endNs - m_startNs);
    return columnX(0) + std::clamp(f, 0.0, 1.0) * (m_columns - 1);
}

std::int64_t StatesChartLayout::timeAtX(double x) const {
    if (m_endNs <= m_startNs || m_columns <= 1) {
        return m_endNs;
    }
    const double f = std::clamp((x - columnX(0)) / (m_columns - 1), 0.0, 1.0);
    return m_startNs +
           static_cast<std::int64_t>(std::llround(f * static_cast<double>(m_endNs - m_startNs)));
}

std::uint32_t StatesChartLayout::scaleMax(int half) const {
    return m_scaleMax.at(static_cast<std::size_t>(std::clamp(half, 0, 1)));
}

std::uint32_t StatesChartLayout::tickStep(int half) const {
    return m_tickStep.at(static_cast<std::size_t>(std::clamp(half, 0, 1)));
}

std::vector<std::uint32_t> StatesChartLayout::ticks(int half) const {
    const std::uint32_t top = scaleMax(half);
    const std::uint32_t step = std::max(1U, tickStep(half));
    std::vector<std::uint32_t> out;
    for (std::uint32_t v = 0; v <= top; v += step) {
        out.push_back(v);
    }
    return out;
}

std::uint32_t StatesChartLayout::stackTop(int half, int column, std::size_t stackIndex) const {
    return m_stack.at(at(half, column, stackIndex));
}

std::uint32_t StatesChartLayout::count(int half, int column, std::size_t stackIndex) const {
    const std::uint32_t top = stackTop(half, column, stackIndex);
    return stackIndex == 0 ? top : top - stackTop(half, column, stackIndex - 1);
}

double StatesChartLayout::yOf(int half, double endpoints) const {
    const QRectF r = plotRect(half);
    return r.bottom() - endpoints / static_cast<double>(scaleMax(half)) * r.height();
}

int StatesChartLayout::halfAt(QPointF point) const {
    for (int h = 0; h < halves(); ++h) {
        const QRectF r = plotRect(h).adjusted(0, 0, 0, 0.5);
        if (r.contains(point)) {
            return h;
        }
    }
    return -1;
}

std::optional<StatesChartLayout::Band> StatesChartLayout::bandAt(QPointF point) const {
    const int half = halfAt(point);
    if (half < 0) {
        return std::nullopt;
    }
    const int column =
        std::clamp(static_cast<int>(std::floor(point.x() - m_plots[0].left())), 0, m_columns - 1);
    for (std::size_t k = 0; k < kStacked.size(); ++k) {
        if (count(half, column, k) == 0) {
            continue;
        }
        const double top = yOf(half, stackTop(half, column, k));
        const double bottom = yOf(half, stackTop(half, column, k) - count(half, column, k));
        if (point.y() >= top - 0.5 && point.y() <= bottom + 0.5) {
            return Band{halfSide(half), kStacked.at(k), columnTimeNs(column)};
        }
    }
    return std::nullopt;
}

} // namespace tcpviz
