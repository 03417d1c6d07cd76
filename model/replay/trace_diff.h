#pragma once

#include "tcp/state.h"
#include "trace/trace.h"

#include <cstddef>
#include <cstdint>
#include <vector>

// What a what-if changed: two Traces of one connection (the captured or
// scenario path, and a branch of it) compared the way a reader compares two
// ladders — segment by segment in each direction, state by state on each side.

namespace tcpviz {

/// A segment present in both traces (Send event indices into each).
struct MatchedSegment {
    std::size_t a = 0;
    std::size_t b = 0;
    bool lostInA = false;
    bool lostInB = false;
    /// Send time in b minus send time in a.
    std::int64_t shiftUs = 0;
};

/// A transition present in both traces (Transition event indices into each).
struct MatchedState {
    std::size_t a = 0;
    std::size_t b = 0;
    Side side = Side::Client;
    State state = State::Closed; ///< the state entered
    /// Time in b minus time in a: non-zero when the state is reached at another time.
    std::int64_t shiftUs = 0;
};

/// The difference of two traces, `a` (the original) and `b` (the branch).
///
/// Segments are matched per sender, in order, by flags, sequence and
/// acknowledgment numbers relative to each side's ISN and payload length (the
/// longest common subsequence, so a dropped or added segment does not make
/// every later one differ); a dropped copy and its retransmission are two
/// segments. States are matched per side, in order, by (from, to). Times do not
/// take part in matching; a matched state with a different time is "shifted".
struct TraceDiff {
    std::vector<MatchedSegment> segments;
    std::vector<std::size_t> segmentsOnlyInA; ///< Send event indices of a, ascending
    std::vector<std::size_t> segmentsOnlyInB; ///< Send event indices of b, ascending
    std::vector<MatchedState> states;
    std::vector<std::size_t> statesOnlyInA; ///< Transition event indices of a, ascending
    std::vector<std::size_t> statesOnlyInB; ///< Transition event indices of b, ascending

    /// Matched segments that were lost in one trace and not in the other.
    [[nodiscard]] std::size_t segmentsWithOtherFate() const;
    /// Matched states reached at another time.
    [[nodiscard]] std::size_t shiftedStates() const;
    /// True when nothing differs (same segments with the same fates, same states
    /// at the same times).
    [[nodiscard]] bool same() const;
};

/// Compares `a` with `b` (see TraceDiff). O(n + d²) for n segments of which d
/// differ, with a bounded in-order fallback for very long divergent tails.
[[nodiscard]] TraceDiff diffTraces(const Trace& a, const Trace& b);

} // namespace tcpviz
