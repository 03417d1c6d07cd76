#pragma once

#include "trace/trace.h"

#include <array>
#include <cstdint>
#include <limits>
#include <optional>
#include <utility>
#include <vector>

namespace tcpviz {

inline constexpr std::uint32_t kNoEvent = std::numeric_limits<std::uint32_t>::max();

/// One segment's journey: its Send event matched by segmentId with the Arrive
/// or Drop event that ends it.
struct SegmentArrow {
    std::uint32_t sendIndex = 0;
    std::uint32_t endIndex = kNoEvent; ///< Arrive/Drop event; kNoEvent while still in flight
    Side from = Side::Client;
    Side to = Side::Server;
    std::int64_t sendUs = 0;
    std::int64_t endUs = 0;     ///< arrival, or the moment of loss, or the planned arrival
    std::int64_t plannedUs = 0; ///< when the network would deliver it
    bool lost = false;
    bool retransmission = false;
    bool duplicate = false;
    bool captureCopy = false; ///< recorded twice by the capture, not sent twice
    bool injected = false;
    bool reordered = false; ///< arrived before a segment sent earlier in the same direction
};

/// A state an endpoint occupied from `startUs` (position `startPosition` onwards).
struct StateInterval {
    State state = State::Closed;
    std::int64_t startUs = 0;
    std::size_t startPosition = 0; ///< first position at which the endpoint is in `state`
};

/// A running timer, for the brackets on a lifeline.
struct TimerSpan {
    Side side = Side::Client;
    TimerKind kind = TimerKind::Retransmission;
    std::int64_t startUs = 0;
    std::int64_t deadlineUs = 0;
    std::int64_t endUs = 0;        ///< when it fired or was stopped (deadline if never stopped)
    std::size_t startPosition = 0; ///< position from which it is running
    bool fired = false;
};

/// Everything the sequence diagram needs, computed once per Trace (O(n)), with
/// O(log n) look-ups by time so that a frame draws only what is visible.
///
/// Time runs down a piecewise-linear *axis*: short gaps keep their length, long
/// idle gaps (the 2MSL wait, a backed-off retransmission) are compressed
/// logarithmically so that one screen shows a whole lesson, and are marked.
class SequenceLayout {
public:
    SequenceLayout() = default;
    explicit SequenceLayout(const Trace& trace);

    [[nodiscard]] const std::vector<SegmentArrow>& arrows() const { return m_arrows; }
    [[nodiscard]] const std::vector<StateInterval>& intervals(Side side) const {
        return m_intervals.at(static_cast<std::size_t>(side));
    }
    [[nodiscard]] const std::vector<TimerSpan>& timers() const { return m_timers; }
    /// Long gaps that the axis compresses: [from, to] in microseconds.
    [[nodiscard]] const std::vector<std::pair<std::int64_t, std::int64_t>>& gaps() const {
        return m_gaps;
    }

    /// Arrows (indices into arrows()) whose [sendUs, endUs] may meet [t0, t1]:
    /// a half-open index range; callers still test each one. O(log n).
    [[nodiscard]] std::pair<std::size_t, std::size_t> arrowRange(std::int64_t t0,
                                                                 std::int64_t t1) const;
    /// Index of the arrow of the Send event `sendIndex`, or npos.
    [[nodiscard]] std::size_t arrowOfSend(std::size_t sendIndex) const;
    /// Index of the arrow that a Send, Arrive or Drop event belongs to, or npos.
    [[nodiscard]] std::size_t arrowOfEvent(std::size_t eventIndex) const;
    /// The last Send/Arrive/Drop event before `position`. O(log n).
    [[nodiscard]] std::optional<std::size_t> lastSegmentEventBefore(std::size_t position) const;

    [[nodiscard]] double axisOf(std::int64_t timeUs) const;
    [[nodiscard]] std::int64_t timeOfAxis(double axis) const;
    [[nodiscard]] double axisLength() const { return m_axis.empty() ? 0.0 : m_axis.back(); }
    [[nodiscard]] std::int64_t startUs() const { return m_times.empty() ? 0 : m_times.front(); }
    [[nodiscard]] std::int64_t endUs() const { return m_times.empty() ? 0 : m_times.back(); }
    /// Typical one-way flight time (median), the natural unit of vertical scale.
    [[nodiscard]] double typicalFlightAxis() const { return m_typicalFlight; }

    /// Time of the playhead at `position` plus `fraction` of the way to the next event.
    [[nodiscard]] std::int64_t playheadUs(const Trace& trace, std::size_t position,
                                          double fraction) const;

private:
    std::vector<SegmentArrow> m_arrows;
    std::vector<std::int64_t> m_prefixMaxEnd;   ///< max endUs of arrows [0, i]
    std::vector<std::uint32_t> m_arrowOfEvent;  ///< event index -> arrow (kNoEvent otherwise)
    std::vector<std::uint32_t> m_segmentEvents; ///< Send/Arrive/Drop event indices, ascending
    std::array<std::vector<StateInterval>, 2> m_intervals;
    std::vector<TimerSpan> m_timers;
    std::vector<std::pair<std::int64_t, std::int64_t>> m_gaps;
    std::vector<std::int64_t> m_times; ///< distinct knot times, ascending
    std::vector<double> m_axis;        ///< axis value at each knot
    double m_typicalFlight = 1.0;
    double m_threshold = 1000.0;
};

} // namespace tcpviz
