#include "capture/state_timeline.h"

#include <algorithm>

namespace tcpviz {

namespace {

void apply(StateTimeline::SideCounts& counts, std::int8_t from, std::int8_t to, Side side) {
    auto& c = counts.at(static_cast<std::size_t>(side));
    if (from >= 0) {
        --c.at(static_cast<std::size_t>(from));
    }
    ++c.at(static_cast<std::size_t>(to));
}

std::int8_t stateIndex(State s) {
    return static_cast<std::int8_t>(static_cast<std::size_t>(s));
}

} // namespace

StateTimeline::StateTimeline(const std::deque<ConnectionSummary>& connections) {
    build(connections, nullptr);
}

StateTimeline::StateTimeline(const std::deque<ConnectionSummary>& connections,
                             const std::vector<bool>& keep) {
    build(connections, &keep);
}

void StateTimeline::build(const std::deque<ConnectionSummary>& connections,
                          const std::vector<bool>* keep) {
    const auto kept = [keep](std::size_t i) {
        return keep == nullptr || i >= keep->size() || (*keep)[i];
    };
    std::size_t total = 0;
    for (std::size_t i = 0; i < connections.size(); ++i) {
        if (kept(i)) {
            total += 2 + connections[i].changes.size();
        }
    }
    m_deltas.reserve(total);
    bool any = false;
    for (std::size_t i = 0; i < connections.size(); ++i) {
        if (!kept(i)) {
            continue;
        }
        const ConnectionSummary& c = connections[i];
        for (const Side s : {Side::Client, Side::Server}) {
            m_deltas.push_back({c.firstTimeNs, -1, stateIndex(c.tracker.initialState(s)), s});
        }
        for (const auto& ch : c.changes) {
            m_deltas.push_back({ch.timeNs, stateIndex(ch.from), stateIndex(ch.to), ch.side});
        }
        if (c.summarised) {
            // Only the end is known: jump from the initial to the final state at the last packet.
            for (const Side s : {Side::Client, Side::Server}) {
                if (c.tracker.initialState(s) != c.tracker.state(s)) {
                    m_deltas.push_back({c.lastTimeNs, stateIndex(c.tracker.initialState(s)),
                                        stateIndex(c.tracker.state(s)), s});
                }
            }
        }
        m_startNs = any ? std::min(m_startNs, c.firstTimeNs) : c.firstTimeNs;
        m_endNs = any ? std::max(m_endNs, c.lastTimeNs) : c.lastTimeNs;
        any = true;
    }
    // Stable: a connection's own deltas keep their order at equal times.
    std::stable_sort(m_deltas.begin(), m_deltas.end(),
                     [](const Delta& a, const Delta& b) { return a.timeNs < b.timeNs; });
    SideCounts counts{};
    m_checkpoints.push_back(counts);
    for (std::size_t i = 0; i < m_deltas.size(); ++i) {
        const Delta& d = m_deltas[i];
        apply(counts, d.from, d.to, d.side);
        if ((i + 1) % kCheckpointEvery == 0) {
            m_checkpoints.push_back(counts);
        }
    }
}

StateTimeline::SideCounts StateTimeline::sideCountsAt(std::int64_t timeNs) const {
    // Deltas at or before t apply.
    const auto end = std::upper_bound(m_deltas.begin(), m_deltas.end(), timeNs,
                                      [](std::int64_t t, const Delta& d) { return t < d.timeNs; });
    const auto n = static_cast<std::size_t>(end - m_deltas.begin());
    const std::size_t cp = n / kCheckpointEvery;
    if (cp >= m_checkpoints.size()) {
        return {}; // an empty timeline (a live capture before its first packet)
    }
    SideCounts counts = m_checkpoints.at(cp);
    for (std::size_t i = cp * kCheckpointEvery; i < n; ++i) {
        const Delta& d = m_deltas[i];
        apply(counts, d.from, d.to, d.side);
    }
    return counts;
}

std::vector<StateTimeline::SideCounts>
StateTimeline::sideCountsAtEach(std::span<const std::int64_t> timesNs) const {
    std::vector<SideCounts> out;
    out.reserve(timesNs.size());
    SideCounts counts{};
    std::size_t next = 0; // first delta not yet applied
    for (const std::int64_t t : timesNs) {
        while (next < m_deltas.size() && m_deltas[next].timeNs <= t) {
            const Delta& d = m_deltas[next];
            apply(counts, d.from, d.to, d.side);
            ++next;
        }
        out.push_back(counts);
    }
    return out;
}

StateTimeline::Counts StateTimeline::countsAt(std::int64_t timeNs) const {
    const SideCounts sides = sideCountsAt(timeNs);
    Counts sum{};
    for (std::size_t i = 0; i < sum.size(); ++i) {
        sum.at(i) = sides[0].at(i) + sides[1].at(i);
    }
    return sum;
}

} // namespace tcpviz
