#include "capture/state_timeline.h"

#include <algorithm>

namespace tcpviz {

namespace {

void apply(StateTimeline::SideCounts& counts, std::int8_t from, std::int8_t to, Side side) {
    auto& c = counts.at(static_cast<std::size_t>(side));
    if (from >= 0) {
        --c.at(static_cast<std::size_t>(from));
    }
    if (to >= 0) {
        ++c.at(static_cast<std::size_t>(to));
    }
}

std::int8_t stateIndex(State s) {
    return static_cast<std::int8_t>(static_cast<std::size_t>(s));
}

} // namespace

StateTimeline::StateTimeline(const ConnectionList& connections) {
    build(connections, nullptr, Rule{});
}

StateTimeline::StateTimeline(const ConnectionList& connections,
                             const std::vector<bool>& keep) {
    build(connections, &keep, Rule{});
}

StateTimeline::StateTimeline(const ConnectionList& connections,
                             const std::vector<bool>& keep, const Rule& rule) {
    build(connections, &keep, rule);
}

void StateTimeline::build(const ConnectionList& connections,
                          const std::vector<bool>* keep, const Rule& rule) {
    // The index a state is counted under, -1 when the rule does not count it.
    const auto counted = [&rule](State s, Side side) -> std::int8_t {
        if (rule.socketsOnly &&
            (s == State::Closed || (side == Side::Server && s == State::Listen))) {
            return -1;
        }
        return stateIndex(s);
    };
    const auto push = [this](std::int64_t t, std::int8_t from, std::int8_t to, Side side) {
        if (from != to) {
            m_deltas.push_back({t, from, to, side});
        }
    };
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
            push(c.firstTimeNs, -1, counted(c.initialState(s), s), s);
        }
        for (const auto& ch : c.changes) {
            push(ch.timeNs, counted(ch.from, ch.side), counted(ch.to, ch.side), ch.side);
        }
        if (c.summarised) {
            // Only the end is known: jump from the initial to the final state at the last packet.
            for (const Side s : {Side::Client, Side::Server}) {
                push(c.lastTimeNs, counted(c.initialState(s), s), counted(c.finalState(s), s), s);
            }
        }
        m_startNs = any ? std::min(m_startNs, c.firstTimeNs) : c.firstTimeNs;
        m_endNs = any ? std::max(m_endNs, c.lastTimeNs) : c.lastTimeNs;
        any = true;
    }
    for (const auto& [timeNs, change] : rule.listeners) {
        const std::int8_t listen = stateIndex(State::Listen);
        push(timeNs, change > 0 ? -1 : listen, change > 0 ? listen : -1, Side::Server);
        m_startNs = any ? std::min(m_startNs, timeNs) : timeNs;
        m_endNs = any ? std::max(m_endNs, timeNs) : timeNs;
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

StateTimeline StateTimeline::fromSamples(std::span<const Sample> samples) {
    StateTimeline out;
    SideCounts now{};
    for (const Sample& sample : samples) {
        for (const Side side : {Side::Client, Side::Server}) {
            const auto k = static_cast<std::size_t>(side);
            for (std::size_t i = 0; i < kStateCount; ++i) {
                const auto state = static_cast<std::int8_t>(i);
                for (auto n = now[k][i]; n < sample.counts[k][i]; ++n) {
                    out.m_deltas.push_back({sample.timeNs, -1, state, side});
                }
                for (auto n = sample.counts[k][i]; n < now[k][i]; ++n) {
                    out.m_deltas.push_back({sample.timeNs, state, -1, side});
                }
            }
        }
        now = sample.counts;
    }
    if (!samples.empty()) {
        out.m_startNs = samples.front().timeNs;
        out.m_endNs = samples.back().timeNs;
    }
    SideCounts counts{};
    out.m_checkpoints.push_back(counts);
    for (std::size_t i = 0; i < out.m_deltas.size(); ++i) {
        const Delta& d = out.m_deltas[i];
        apply(counts, d.from, d.to, d.side);
        if ((i + 1) % kCheckpointEvery == 0) {
            out.m_checkpoints.push_back(counts);
        }
    }
    return out;
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
