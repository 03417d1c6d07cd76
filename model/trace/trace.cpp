#include "trace.h"

#include <algorithm>
#include <array>

namespace tcpviz {

std::string_view eventKindName(EventKind k) {
    static constexpr std::array<std::string_view, 6> kNames{"call", "send",  "arrive",
                                                            "drop", "timer", "transition"};
    return kNames.at(static_cast<std::size_t>(k));
}

TraceEvent transitionEvent(std::int64_t timeUs, Side side, State from, State to, ArcId arc) {
    TraceEvent e;
    e.kind = EventKind::Transition;
    e.timeUs = timeUs;
    e.endpoint = side;
    e.from = from;
    e.to = to;
    e.arc = arc;
    return e;
}

std::string_view displayNote(const TraceEvent& e) {
    if (!e.note.empty()) {
        return e.note;
    }
    if (e.kind == EventKind::Drop) {
        return "lost in the network";
    }
    if (e.kind == EventKind::Send && e.duplicate) {
        return "duplicated by the network";
    }
    if (e.kind == EventKind::Send && e.injected) {
        return "injected";
    }
    return {};
}

void Trace::append(TraceEvent event, const Snapshot& after) {
    event.index = static_cast<std::uint32_t>(m_events.size());
    if (event.kind == EventKind::Send) {
        m_sendPositions.push_back(event.index);
    }
    m_events.push_back(std::move(event));
    m_after.push_back(after);
}

const Snapshot& Trace::snapshotAt(std::size_t position) const {
    if (position == 0 || m_after.empty()) {
        return m_initial;
    }
    return m_after.at(std::min(position, m_after.size()) - 1);
}

std::vector<StateEntry> Trace::states(Side side) const {
    std::vector<StateEntry> out{{m_initial.of(side).state, 0}};
    for (const auto& e : m_events) {
        if (e.kind == EventKind::Transition && e.endpoint == side) {
            out.push_back({e.to, e.index});
        }
    }
    return out;
}

std::optional<std::size_t> Trace::lastTransitionBefore(std::size_t position, Side side) const {
    for (std::size_t i = std::min(position, m_events.size()); i > 0; --i) {
        const auto& e = m_events[i - 1];
        if (e.kind == EventKind::Transition && e.endpoint == side) {
            return i - 1;
        }
    }
    return std::nullopt;
}

namespace {

/// Whether event `e` is part of a reaction of `side` at `timeUs`.
bool reacts(const TraceEvent& e, Side side, std::int64_t timeUs) {
    return e.endpoint == side && e.timeUs == timeUs &&
           (e.kind == EventKind::Transition || (e.kind == EventKind::Send && !e.injected));
}

bool causes(EventKind k) {
    return k == EventKind::Call || k == EventKind::Arrive || k == EventKind::Timer;
}

} // namespace

Reaction Trace::reaction(std::size_t i) const {
    const TraceEvent& e = m_events.at(i);
    Reaction r;
    r.begin = i + 1;
    r.end = i + 1;
    if (causes(e.kind)) {
        r.cause = i;
    } else if (reacts(e, e.endpoint, e.timeUs)) {
        r.begin = i;
        while (r.begin > 0 && reacts(m_events[r.begin - 1], e.endpoint, e.timeUs)) {
            --r.begin;
        }
        if (r.begin > 0) {
            const TraceEvent& c = m_events[r.begin - 1];
            if (causes(c.kind) && c.endpoint == e.endpoint && c.timeUs == e.timeUs) {
                r.cause = r.begin - 1;
            }
        }
    } else {
        return r; // an injected Send or a Drop
    }
    while (r.end < m_events.size() && reacts(m_events[r.end], e.endpoint, e.timeUs)) {
        ++r.end;
    }
    return r;
}

std::size_t Trace::segmentsSentBefore(std::size_t position) const {
    return static_cast<std::size_t>(
        std::lower_bound(m_sendPositions.begin(), m_sendPositions.end(), position) -
        m_sendPositions.begin());
}

std::size_t Trace::positionAtTime(std::int64_t timeUs) const {
    const auto it =
        std::lower_bound(m_events.begin(), m_events.end(), timeUs,
                         [](const TraceEvent& e, std::int64_t t) { return e.timeUs < t; });
    return static_cast<std::size_t>(it - m_events.begin());
}

} // namespace tcpviz
