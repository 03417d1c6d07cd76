// Per direction and per side, because that is how the two ladders are read and
// how replay_check compares a replay with its capture: two directions'
// segments may cross in another order without either endpoint behaving
// differently.
#include "replay/trace_diff.h"

#include <algorithm>
#include <array>
#include <utility>

namespace tcpviz {

namespace {

struct SegmentKey {
    std::size_t event = 0;
    std::uint8_t flags = 0;
    std::uint32_t seq = 0;
    std::uint32_t ack = 0; ///< 0 without the ACK flag
    std::uint32_t len = 0;
    std::int64_t timeUs = 0;
    bool lost = false;
    [[nodiscard]] bool same(const SegmentKey& o) const {
        return flags == o.flags && seq == o.seq && ack == o.ack && len == o.len;
    }
};

struct StateKey {
    std::size_t event = 0;
    State from = State::Closed;
    State to = State::Closed;
    std::int64_t timeUs = 0;
    [[nodiscard]] bool same(const StateKey& o) const { return from == o.from && to == o.to; }
};

// Each side's ISN: the sequence number of its first SYN, else the trace's meta.
std::array<std::uint32_t, 2> isns(const Trace& trace) {
    std::array<std::uint32_t, 2> isn{trace.meta.client.isn, trace.meta.server.isn};
    std::array<bool, 2> seen{};
    for (const TraceEvent& e : trace.events()) {
        const auto s = static_cast<std::size_t>(e.endpoint);
        if (e.kind == EventKind::Send && e.segment.has(flag::SYN) && !seen.at(s)) {
            isn.at(s) = e.segment.seq;
            seen.at(s) = true;
        }
    }
    return isn;
}

std::array<std::vector<SegmentKey>, 2> segmentsOf(const Trace& trace) {
    const std::array<std::uint32_t, 2> isn = isns(trace);
    std::vector<bool> lostIds;
    for (const TraceEvent& e : trace.events()) {
        if (e.kind == EventKind::Drop) {
            if (e.segmentId >= lostIds.size()) {
                lostIds.resize(e.segmentId + 1, false);
            }
            lostIds[e.segmentId] = true;
        }
    }
    std::array<std::vector<SegmentKey>, 2> out;
    for (const TraceEvent& e : trace.events()) {
        if (e.kind != EventKind::Send) {
            continue;
        }
        const auto s = static_cast<std::size_t>(e.endpoint);
        SegmentKey k;
        k.event = e.index;
        k.flags = e.segment.flags;
        k.seq = e.segment.seq - isn.at(s);
        k.ack = e.segment.has(flag::ACK) ? e.segment.ack - isn.at(1 - s) : 0;
        k.len = e.segment.len;
        k.timeUs = e.timeUs;
        k.lost = e.segmentId < lostIds.size() && lostIds[e.segmentId];
        out.at(s).push_back(k);
    }
    return out;
}

std::array<std::vector<StateKey>, 2> statesOf(const Trace& trace) {
    std::array<std::vector<StateKey>, 2> out;
    for (const TraceEvent& e : trace.events()) {
        if (e.kind == EventKind::Transition) {
            out.at(static_cast<std::size_t>(e.endpoint))
                .push_back({e.index, e.from, e.to, e.timeUs});
        }
    }
    return out;
}

/// Pairs (i, j) of a longest common subsequence of x and y under `same`. The
/// common head and tail are matched directly; the middle by dynamic
/// programming while it stays small, else in order with a bounded look-ahead.
template <typename Key>
std::vector<std::pair<std::size_t, std::size_t>> commonSubsequence(const std::vector<Key>& x,
                                                                   const std::vector<Key>& y) {
    std::vector<std::pair<std::size_t, std::size_t>> pairs;
    std::size_t head = 0;
    while (head < x.size() && head < y.size() && x[head].same(y[head])) {
        pairs.emplace_back(head, head);
        ++head;
    }
    std::size_t tail = 0;
    while (tail < x.size() - head && tail < y.size() - head &&
           x[x.size() - 1 - tail].same(y[y.size() - 1 - tail])) {
        ++tail;
    }
    const std::size_t n = x.size() - head - tail;
    const std::size_t m = y.size() - head - tail;
    constexpr std::size_t kMaxCells = 4'000'000;
    if (n > 0 && m > 0 && (n + 1) * (m + 1) <= kMaxCells) {
        // lcs[i][j]: length of the LCS of x[head + i ..] and y[head + j ..] (middle only).
        std::vector<std::uint32_t> lcs((n + 1) * (m + 1), 0);
        const auto at = [m](std::size_t i, std::size_t j) { return i * (m + 1) + j; };
        for (std::size_t i = n; i-- > 0;) {
            for (std::size_t j = m; j-- > 0;) {
                lcs[at(i, j)] = x[head + i].same(y[head + j])
                                    ? lcs[at(i + 1, j + 1)] + 1
                                    : std::max(lcs[at(i + 1, j)], lcs[at(i, j + 1)]);
            }
        }
        std::size_t i = 0;
        std::size_t j = 0;
        while (i < n && j < m) {
            if (x[head + i].same(y[head + j])) {
                pairs.emplace_back(head + i, head + j);
                ++i;
                ++j;
            } else if (lcs[at(i + 1, j)] >= lcs[at(i, j + 1)]) {
                ++i;
            } else {
                ++j;
            }
        }
    } else if (n > 0 && m > 0) {
        constexpr std::size_t kLookAhead = 64;
        std::size_t j = 0;
        for (std::size_t i = 0; i < n && j < m; ++i) {
            for (std::size_t k = j; k < m && k < j + kLookAhead; ++k) {
                if (x[head + i].same(y[head + k])) {
                    pairs.emplace_back(head + i, head + k);
                    j = k + 1;
                    break;
                }
            }
        }
    }
    for (std::size_t t = tail; t-- > 0;) {
        pairs.emplace_back(x.size() - 1 - t, y.size() - 1 - t);
    }
    return pairs;
}

/// Indices of `list` not named in `pairs` (by `first` or `second`), as events.
template <typename Key, typename Pick>
void unmatched(const std::vector<Key>& list,
               const std::vector<std::pair<std::size_t, std::size_t>>& pairs, Pick pick,
               std::vector<std::size_t>& out) {
    std::vector<bool> used(list.size(), false);
    for (const auto& p : pairs) {
        used.at(pick(p)) = true;
    }
    for (std::size_t i = 0; i < list.size(); ++i) {
        if (!used[i]) {
            out.push_back(list[i].event);
        }
    }
}

} // namespace

std::size_t TraceDiff::segmentsWithOtherFate() const {
    return static_cast<std::size_t>(
        std::count_if(segments.begin(), segments.end(),
                      [](const MatchedSegment& s) { return s.lostInA != s.lostInB; }));
}

std::size_t TraceDiff::shiftedStates() const {
    return static_cast<std::size_t>(std::count_if(
        states.begin(), states.end(), [](const MatchedState& s) { return s.shiftUs != 0; }));
}

bool TraceDiff::same() const {
    return segmentsOnlyInA.empty() && segmentsOnlyInB.empty() && statesOnlyInA.empty() &&
           statesOnlyInB.empty() && segmentsWithOtherFate() == 0 && shiftedStates() == 0;
}

TraceDiff diffTraces(const Trace& a, const Trace& b) {
    TraceDiff d;
    const auto segA = segmentsOf(a);
    const auto segB = segmentsOf(b);
    const auto stA = statesOf(a);
    const auto stB = statesOf(b);
    const auto first = [](const std::pair<std::size_t, std::size_t>& p) { return p.first; };
    const auto second = [](const std::pair<std::size_t, std::size_t>& p) { return p.second; };
    for (const Side side : {Side::Client, Side::Server}) {
        const auto s = static_cast<std::size_t>(side);
        const auto& x = segA.at(s);
        const auto& y = segB.at(s);
        const auto pairs = commonSubsequence(x, y);
        for (const auto& [i, j] : pairs) {
            d.segments.push_back(
                {x[i].event, y[j].event, x[i].lost, y[j].lost, y[j].timeUs - x[i].timeUs});
        }
        unmatched(x, pairs, first, d.segmentsOnlyInA);
        unmatched(y, pairs, second, d.segmentsOnlyInB);

        const auto& u = stA.at(s);
        const auto& v = stB.at(s);
        const auto statePairs = commonSubsequence(u, v);
        for (const auto& [i, j] : statePairs) {
            d.states.push_back({u[i].event, v[j].event, side, u[i].to, v[j].timeUs - u[i].timeUs});
        }
        unmatched(u, statePairs, first, d.statesOnlyInA);
        unmatched(v, statePairs, second, d.statesOnlyInB);
    }
    std::sort(d.segments.begin(), d.segments.end(),
              [](const MatchedSegment& l, const MatchedSegment& r) { return l.a < r.a; });
    std::sort(d.states.begin(), d.states.end(),
              [](const MatchedState& l, const MatchedState& r) { return l.a < r.a; });
    for (auto* list :
         {&d.segmentsOnlyInA, &d.segmentsOnlyInB, &d.statesOnlyInA, &d.statesOnlyInB}) {
        std::sort(list->begin(), list->end());
    }
    return d;
}

} // namespace tcpviz
