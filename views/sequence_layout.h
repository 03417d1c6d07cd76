#pragma once

#include "trace/trace.h"
#include "view_settings.h"

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
    bool reordered = false;   ///< arrived before a segment sent earlier in the same direction
    double sendAxis = 0.0;    ///< where the arrow leaves its sender, on the layout's axis
    double endAxis = 0.0;     ///< where it ends (arrival, loss, or planned arrival)
    double plannedAxis = 0.0; ///< where a lost segment would have arrived
};

/// A state an endpoint occupied from `startUs` (position `startPosition` onwards).
struct StateInterval {
    State state = State::Closed;
    std::int64_t startUs = 0;
    std::size_t startPosition = 0; ///< first position at which the endpoint is in `state`
    double startAxis = 0.0;
};

/// A running timer, for the brackets on a lifeline.
struct TimerSpan {
    Side side = Side::Client;
    TimerKind kind = TimerKind::Retransmission;
    std::int64_t startUs = 0;
    std::int64_t deadlineUs = 0;
    std::int64_t endUs = 0;        ///< when it fired or was stopped (deadline if never stopped)
    std::size_t startPosition = 0; ///< position from which it is running
    /// Position from which it is no longer running; npos while still running at the end.
    std::size_t endPosition = static_cast<std::size_t>(-1);
    bool fired = false;
    double startAxis = 0.0;
    double endAxis = 0.0;
    double deadlineAxis = 0.0;
};

/// A long idle gap, marked on the lifelines: real times and where it lies on the axis.
struct AxisGap {
    std::int64_t fromUs = 0;
    std::int64_t toUs = 0;
    double fromAxis = 0.0;
    double toAxis = 0.0;
};

/// One row of the steps axis: its axis value, its real time (for the label beside
/// it) and the first event drawn on it (the row is "in the future" before that).
struct AxisRow {
    double axis = 0.0;
    std::int64_t timeUs = 0;
    std::size_t firstEvent = 0;
};

/// Everything the sequence diagram needs, computed once per Trace (O(n)), with
/// O(log n) look-ups by time so that a frame draws only what is visible.
///
/// Everything is placed on a vertical *axis*, one of two kinds:
///
/// * Time: a piecewise-linear axis. Short gaps keep their length, long idle
///   gaps (the 2MSL wait, a backed-off retransmission) are compressed
///   logarithmically so that one screen shows a whole lesson, and are marked.
/// * Steps: one evenly spaced row (axis unit 1) per event that sends, delivers
///   or loses a segment, as the RFC figures and Wireshark's flow graph do; a row
///   before the first segment if something happens earlier (LISTEN), a row after
///   the last one if something happens later (2MSL expiry). A segment delivered
///   or lost at the very moment it was sent, with no other segment event in
///   between (a capture: one packet, one moment), shares its send's row. Other
///   events sit on the row of the segment event at the same time, or between
///   rows in proportion to time.
///
/// Automatic chooses Steps when the time axis, fitted to a screen, would put two
/// arrows' labels closer than a label's height: when two arrows' midpoints lie
/// closer than 1/kFittedLabelLines of the whole axis. A fitted diagram in the
/// window at 1280x720 has about that many label lines of height (its lanes are
/// about 360 px, a label about 16 px at 9 pt).
/// A time axis as the layout uses it: the moments something happens (knots,
/// ascending), the axis value of each, and the idle threshold beyond which a gap
/// between two knots is compressed (and marked as a long gap).
struct TimeAxis {
    std::vector<std::int64_t> times;
    std::vector<double> axis;
    double threshold = 1000.0;

    /// The axis through `knots` (sorted, unique): linear up to `threshold`, a
    /// longer gap `threshold * (1 + longGapLog * ln(gap / threshold))`.
    [[nodiscard]] static TimeAxis through(std::vector<std::int64_t> knots, double threshold,
                                          double longGapLog = 0.6);
};

class SequenceLayout {
public:
    /// Label lines a fitted diagram holds at 1280x720: the Automatic axis threshold.
    static constexpr double kFittedLabelLines = 22.0;

    SequenceLayout() = default;
    /// `fittedLabelLines`: for Automatic, the label lines a fitted diagram holds
    /// (fewer where the text is larger).
    explicit SequenceLayout(const Trace& trace, SequenceAxis axis = SequenceAxis::Time,
                            double fittedLabelLines = kFittedLabelLines);

    /// `trace` on a given time axis (one made for several traces, so that one time
    /// is one height in each: compare mode). Its knots should include the trace's.
    SequenceLayout(const Trace& trace, TimeAxis axis);

    /// The axis in use (Automatic already resolved to Time or Steps).
    [[nodiscard]] SequenceAxis axis() const { return m_axisKind; }

    [[nodiscard]] const std::vector<SegmentArrow>& arrows() const { return m_arrows; }
    [[nodiscard]] const std::vector<StateInterval>& intervals(Side side) const {
        return m_intervals.at(static_cast<std::size_t>(side));
    }
    [[nodiscard]] const std::vector<TimerSpan>& timers() const { return m_timers; }
    /// Long idle gaps, marked on the lifelines (on the time axis also compressed).
    [[nodiscard]] const std::vector<AxisGap>& gaps() const { return m_gaps; }
    /// The rows of the steps axis (empty on the time axis).
    [[nodiscard]] const std::vector<AxisRow>& rows() const { return m_rows; }

    /// Arrows (indices into arrows()) whose [sendAxis, endAxis] may meet [a0, a1]:
    /// a half-open index range; callers still test each one. O(log n).
    [[nodiscard]] std::pair<std::size_t, std::size_t> arrowRange(double a0, double a1) const;
    /// Index of the arrow of the Send event `sendIndex`, or npos.
    [[nodiscard]] std::size_t arrowOfSend(std::size_t sendIndex) const;
    /// Index of the arrow that a Send, Arrive or Drop event belongs to, or npos.
    [[nodiscard]] std::size_t arrowOfEvent(std::size_t eventIndex) const;
    /// The last Send/Arrive/Drop event before `position`. O(log n).
    [[nodiscard]] std::optional<std::size_t> lastSegmentEventBefore(std::size_t position) const;

    /// Axis value of a moment. On the steps axis several rows can share a time:
    /// the first of them.
    [[nodiscard]] double axisOf(std::int64_t timeUs) const;
    [[nodiscard]] std::int64_t timeOfAxis(double axis) const;
    /// Axis value of an event (on the steps axis, its row). O(1).
    [[nodiscard]] double axisOfEvent(std::size_t eventIndex) const;
    /// Axis value of the playhead at `position` plus `fraction` of the way to the next event.
    [[nodiscard]] double playheadAxis(const Trace& trace, std::size_t position,
                                      double fraction) const;
    [[nodiscard]] double axisLength() const { return m_axis.empty() ? 0.0 : m_axis.back(); }
    [[nodiscard]] std::int64_t startUs() const { return m_times.empty() ? 0 : m_times.front(); }
    [[nodiscard]] std::int64_t endUs() const { return m_times.empty() ? 0 : m_times.back(); }
    /// Typical one-way flight time (median), the natural unit of vertical scale.
    [[nodiscard]] double typicalFlightAxis() const { return m_typicalFlight; }

    /// Time of the playhead at `position` plus `fraction` of the way to the next event.
    [[nodiscard]] std::int64_t playheadUs(const Trace& trace, std::size_t position,
                                          double fraction) const;

    /// Puts `a` and `b` (the layouts of `ta` and `tb`) on one time axis: the knots
    /// of both traces, the longer of their
    /// idle thresholds. Two ladders drawn side by side at one scale then place
    /// one time at one height (the window's compare mode). `longGapLog` weighs
    /// the logarithmic part of a long gap's length (0.6 as in a single ladder;
    /// less leaves more of the height to the exchange itself).
    static void shareAxis(SequenceLayout& a, const Trace& ta, SequenceLayout& b, const Trace& tb,
                          double longGapLog = 0.6);

private:
    /// Arrows, state intervals and timer spans of `trace` (no axis yet).
    void collect(const Trace& trace);
    /// The moments of `trace` that the time axis must hold: every event, every arrival.
    [[nodiscard]] std::vector<std::int64_t> knots(const Trace& trace) const;
    void buildTimeAxis(const Trace& trace);
    void setTimeAxis(const Trace& trace, TimeAxis axis);
    void buildStepsAxis(const Trace& trace);
    void placeOnAxis(const Trace& trace);
    [[nodiscard]] bool labelsCrowdedOnAxis(double fittedLabelLines) const;

    SequenceAxis m_axisKind = SequenceAxis::Time;
    std::vector<SegmentArrow> m_arrows;
    std::vector<double> m_prefixMaxEnd;         ///< max endAxis of arrows [0, i]
    std::vector<std::uint32_t> m_arrowOfEvent;  ///< event index -> arrow (kNoEvent otherwise)
    std::vector<std::uint32_t> m_segmentEvents; ///< Send/Arrive/Drop event indices, ascending
    std::array<std::vector<StateInterval>, 2> m_intervals;
    std::vector<TimerSpan> m_timers;
    std::vector<AxisGap> m_gaps;
    std::vector<AxisRow> m_rows;
    std::vector<double> m_eventAxis;   ///< axis value of each event
    std::vector<std::int64_t> m_times; ///< knot times, ascending (steps: may repeat)
    std::vector<double> m_axis;        ///< axis value at each knot
    double m_typicalFlight = 1.0;
    double m_threshold = 1000.0;
};

} // namespace tcpviz
