#pragma once

#include "capture/state_timeline.h"

#include <QPointF>
#include <QRectF>
#include <QSizeF>
#include <array>
#include <cstdint>
#include <optional>
#include <vector>

namespace tcpviz {

/// Whether the chart shows client ends and server ends as two stacked halves
/// or summed in one.
enum class StatesChartSides : std::uint8_t { Apart, Together };

/// The states-over-time chart of a capture, reduced to what a screen can show:
/// the counts are sampled once per pixel column (one pass over the timeline's
/// changes, never one per connection), stacked in RFC 9293 order from the bottom,
/// client ends above server ends (or summed). Geometry only (Qt Core types), so
/// that the widget, the export and the benchmark share it; painting is
/// StatesChartRenderer's.
class StatesChartLayout {
public:
    /// Room around the plots for the axes' labels, set by the renderer from its fonts.
    struct Margins {
        double left = 48;
        double top = 8;
        double right = 12;
        double bottom = 24;
        double gap = 18; ///< between the client and the server half
        /// Least height between two labelled gridlines: a label's line height and
        /// some air, so that the scale's numbers never touch.
        double tickSpacing = 20;
    };
    /// The states stacked, bottom up: every state but CLOSED (no socket, so `ss`
    /// lists none; a finished connection would otherwise grow forever).
    static constexpr std::array<State, kStateCount - 1> kStacked{
        State::Listen,   State::SynSent,   State::SynReceived, State::Established, State::FinWait1,
        State::FinWait2, State::CloseWait, State::Closing,     State::LastAck,     State::TimeWait};

    /// A state's band under a point, and the time there.
    struct Band {
        std::optional<Side> side; ///< nullopt when the halves are summed
        State state = State::Established;
        std::int64_t timeNs = 0;
    };

    StatesChartLayout() = default;
    /// Samples `timeline` over [startNs, endNs] at every whole pixel column of the
    /// plots inside `size` less `margins`.
    StatesChartLayout(const StateTimeline& timeline, std::int64_t startNs, std::int64_t endNs,
                      QSizeF size, StatesChartSides sides, const Margins& margins);

    [[nodiscard]] QSizeF size() const { return m_size; }
    [[nodiscard]] StatesChartSides sides() const { return m_sides; }
    /// 2 when apart (client, then server), 1 when summed.
    [[nodiscard]] int halves() const { return m_sides == StatesChartSides::Apart ? 2 : 1; }
    /// The side a half shows; nullopt for the summed chart.
    [[nodiscard]] std::optional<Side> halfSide(int half) const;
    [[nodiscard]] QRectF plotRect(int half) const;
    [[nodiscard]] int columns() const { return m_columns; }
    [[nodiscard]] std::int64_t startNs() const { return m_startNs; }
    [[nodiscard]] std::int64_t endNs() const { return m_endNs; }

    /// Capture time sampled by a column (the first column is startNs, the last endNs).
    [[nodiscard]] std::int64_t columnTimeNs(int column) const;
    /// Centre x of a column.
    [[nodiscard]] double columnX(int column) const;
    [[nodiscard]] double xOfTime(std::int64_t timeNs) const;
    /// The time under x, clamped to the capture.
    [[nodiscard]] std::int64_t timeAtX(double x) const;

    /// Top of a half's vertical scale, in endpoints: the first multiple of
    /// tickStep(half) at or above its largest stacked total (at least one step).
    /// Each half has its own, so that a few client ends stay visible beside a
    /// pile-up of server ends.
    [[nodiscard]] std::uint32_t scaleMax(int half) const;
    /// The step between a half's gridlines: the smallest of 1, 2, 5, 10, 20, ...
    /// that leaves Margins::tickSpacing pixels between labels in the plot's height.
    [[nodiscard]] std::uint32_t tickStep(int half) const;
    /// Gridline values from 0 to scaleMax(half), tickStep(half) apart.
    [[nodiscard]] std::vector<std::uint32_t> ticks(int half) const;
    /// The scale of a plot `plotHeight` pixels high showing up to `largest`
    /// endpoints with labels at least `spacing` pixels apart: {step, top}.
    [[nodiscard]] static std::array<std::uint32_t, 2> scaleFor(std::uint32_t largest,
                                                               double plotHeight, double spacing);
    /// Endpoints stacked up to and including kStacked[stackIndex] in a column.
    [[nodiscard]] std::uint32_t stackTop(int half, int column, std::size_t stackIndex) const;
    /// Endpoints in kStacked[stackIndex] in a column.
    [[nodiscard]] std::uint32_t count(int half, int column, std::size_t stackIndex) const;
    [[nodiscard]] double yOf(int half, double endpoints) const;
    /// Whether kStacked[stackIndex] is ever non-zero in the chart.
    [[nodiscard]] bool present(std::size_t stackIndex) const { return m_present.at(stackIndex); }

    /// The band under `point` (nothing outside the plots or above the stack).
    [[nodiscard]] std::optional<Band> bandAt(QPointF point) const;
    /// The half under `point` (-1 outside every plot).
    [[nodiscard]] int halfAt(QPointF point) const;

private:
    [[nodiscard]] std::size_t at(int half, int column, std::size_t stackIndex) const;

    QSizeF m_size;
    StatesChartSides m_sides = StatesChartSides::Apart;
    Margins m_margins;
    std::array<QRectF, 2> m_plots;
    int m_columns = 0;
    std::int64_t m_startNs = 0;
    std::int64_t m_endNs = 0;
    std::array<std::uint32_t, 2> m_scaleMax{1, 1};
    std::array<std::uint32_t, 2> m_tickStep{1, 1};
    std::array<bool, kStacked.size()> m_present{};
    /// Cumulative counts: [half][column][stackIndex].
    std::vector<std::uint32_t> m_stack;
};

} // namespace tcpviz
