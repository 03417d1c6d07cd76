#include "sequence_layout.h"

#include <algorithm>
#include <cmath>
#include <unordered_map>

namespace tcpviz {

namespace {

/// Axis length of an idle gap: linear up to `t`, logarithmic beyond, so a 60 s
/// TIME-WAIT takes a few flight times of screen, yet longer still looks longer.
double compress(double gap, double t) {
    if (gap <= t) {
        return gap;
    }
    return t * (1.0 + 0.6 * std::log(gap / t));
}

struct OpenTimer {
    bool active = false;
    std::int64_t start = 0;
    std::int64_t deadline = 0;
    std::size_t startPosition = 0;
};

} // namespace

SequenceLayout::SequenceLayout(const Trace& trace) {
    const auto& events = trace.events();
    m_arrowOfEvent.assign(events.size(), kNoEvent);

    // Segments: Send opens an arrow, Arrive/Drop with the same id closes it.
    std::unordered_map<std::uint32_t, std::uint32_t> open;
    for (const TraceEvent& e : events) {
        if (e.kind == EventKind::Send) {
            SegmentArrow a;
            a.sendIndex = e.index;
            a.from = e.endpoint;
            a.to = peer(e.endpoint);
            a.sendUs = e.timeUs;
            a.plannedUs = std::max(e.plannedArrivalUs, e.timeUs);
            a.endUs = a.plannedUs;
            a.retransmission = e.retransmission;
            a.duplicate = e.duplicate;
            a.captureCopy = e.captureCopyOf != 0;
            a.injected = e.injected;
            m_arrowOfEvent[e.index] = static_cast<std::uint32_t>(m_arrows.size());
            m_segmentEvents.push_back(e.index);
            open[e.segmentId] = static_cast<std::uint32_t>(m_arrows.size());
            m_arrows.push_back(a);
        } else if (e.kind == EventKind::Arrive || e.kind == EventKind::Drop) {
            const auto it = open.find(e.segmentId);
            if (it == open.end()) {
                continue;
            }
            SegmentArrow& a = m_arrows[it->second];
            a.endIndex = e.index;
            m_arrowOfEvent[e.index] = it->second;
            m_segmentEvents.push_back(e.index);
            if (e.kind == EventKind::Arrive) {
                a.to = e.endpoint;
                a.endUs = e.timeUs;
            } else {
                a.lost = true;
                // A loss at the moment of sending would put the cross on the
                // sender's lifeline; show it half-way, where the network is.
                a.endUs = e.timeUs > a.sendUs ? std::min(e.timeUs, a.plannedUs)
                                              : a.sendUs + (a.plannedUs - a.sendUs) / 2;
            }
            open.erase(it);
        }
    }
    // Reordering: an arrival earlier than that of a segment sent before it.
    std::array<std::int64_t, 2> latestArrival{std::numeric_limits<std::int64_t>::min(),
                                              std::numeric_limits<std::int64_t>::min()};
    m_prefixMaxEnd.reserve(m_arrows.size());
    std::int64_t maxEnd = std::numeric_limits<std::int64_t>::min();
    std::vector<std::int64_t> flights;
    flights.reserve(m_arrows.size());
    for (SegmentArrow& a : m_arrows) {
        if (!a.lost && a.endIndex != kNoEvent) {
            auto& latest = latestArrival.at(static_cast<std::size_t>(a.to));
            a.reordered = a.endUs < latest;
            latest = std::max(latest, a.endUs);
        }
        maxEnd = std::max(maxEnd, a.endUs);
        m_prefixMaxEnd.push_back(maxEnd);
        flights.push_back(a.plannedUs - a.sendUs);
    }
    std::int64_t medianFlight = 50'000;
    if (!flights.empty()) {
        std::nth_element(flights.begin(),
                         flights.begin() + static_cast<std::ptrdiff_t>(flights.size() / 2),
                         flights.end());
        medianFlight = std::max<std::int64_t>(flights[flights.size() / 2], 1);
    }
    m_typicalFlight = static_cast<double>(medianFlight);

    // States: one interval per occupied state.
    const std::int64_t t0 = events.empty() ? 0 : events.front().timeUs;
    for (Side side : {Side::Client, Side::Server}) {
        auto& list = m_intervals.at(static_cast<std::size_t>(side));
        list.push_back({trace.initial().of(side).state, t0, 0});
        for (const TraceEvent& e : events) {
            if (e.kind == EventKind::Transition && e.endpoint == side) {
                list.push_back({e.to, e.timeUs, static_cast<std::size_t>(e.index) + 1});
            }
        }
    }

    // Timers, from the deadlines in the snapshots: a span opens when a deadline
    // appears and closes when it disappears or is re-armed.
    struct Watch {
        TimerKind kind;
        std::optional<std::int64_t> Tcb::*deadline;
        std::optional<std::int64_t> Tcb::*start;
    };
    const std::array<Watch, 3> watches{
        Watch{TimerKind::Retransmission, &Tcb::retransmitDeadlineUs, &Tcb::retransmitStartUs},
        Watch{TimerKind::TimeWait, &Tcb::timeWaitDeadlineUs, &Tcb::timeWaitStartUs},
        Watch{TimerKind::FinWait2, &Tcb::finWait2DeadlineUs, nullptr}};
    std::array<std::array<OpenTimer, 3>, 2> running{};
    const auto close = [&](Side side, std::size_t w, std::int64_t at, bool fired) {
        OpenTimer& o = running.at(static_cast<std::size_t>(side)).at(w);
        if (!o.active) {
            return;
        }
        m_timers.push_back({side, watches.at(w).kind, o.start, o.deadline,
                            std::min(std::max(at, o.start), o.deadline), o.startPosition, fired});
        o.active = false;
    };
    for (std::size_t p = 1; p <= events.size(); ++p) {
        const TraceEvent& e = events[p - 1];
        const Snapshot& snap = trace.snapshotAt(p);
        for (Side side : {Side::Client, Side::Server}) {
            const Tcb& tcb = snap.of(side);
            for (std::size_t w = 0; w < watches.size(); ++w) {
                OpenTimer& o = running.at(static_cast<std::size_t>(side)).at(w);
                const auto& deadline = tcb.*(watches.at(w).deadline);
                const bool firedNow = e.kind == EventKind::Timer && e.endpoint == side &&
                                      e.timer == watches.at(w).kind;
                if (!deadline) {
                    close(side, w, e.timeUs, firedNow);
                    continue;
                }
                std::int64_t start = e.timeUs;
                if (watches.at(w).start != nullptr && (tcb.*(watches.at(w).start))) {
                    start = *(tcb.*(watches.at(w).start));
                }
                if (o.active && (o.deadline != *deadline || o.start != start)) {
                    close(side, w, e.timeUs, firedNow);
                }
                if (!o.active) {
                    o = {true, start, *deadline, p};
                }
            }
        }
    }
    for (Side side : {Side::Client, Side::Server}) {
        for (std::size_t w = 0; w < watches.size(); ++w) {
            const OpenTimer& o = running.at(static_cast<std::size_t>(side)).at(w);
            if (o.active) {
                m_timers.push_back({side, watches.at(w).kind, o.start, o.deadline, o.deadline,
                                    o.startPosition, false});
            }
        }
    }

    // The time axis: knots at every moment something happens.
    m_times.reserve(events.size() + m_arrows.size());
    for (const TraceEvent& e : events) {
        m_times.push_back(e.timeUs);
    }
    for (const SegmentArrow& a : m_arrows) {
        m_times.push_back(a.endUs);
    }
    std::sort(m_times.begin(), m_times.end());
    m_times.erase(std::unique(m_times.begin(), m_times.end()), m_times.end());
    const double threshold = std::max(2.0 * m_typicalFlight, 1000.0);
    m_axis.reserve(m_times.size());
    double axis = 0.0;
    for (std::size_t i = 0; i < m_times.size(); ++i) {
        if (i > 0) {
            const auto gap = static_cast<double>(m_times[i] - m_times[i - 1]);
            axis += compress(gap, threshold);
            if (gap > threshold) {
                m_gaps.emplace_back(m_times[i - 1], m_times[i]);
            }
        }
        m_axis.push_back(axis);
    }
    m_threshold = threshold;
}

std::pair<std::size_t, std::size_t> SequenceLayout::arrowRange(std::int64_t t0,
                                                               std::int64_t t1) const {
    const auto first = std::lower_bound(m_prefixMaxEnd.begin(), m_prefixMaxEnd.end(), t0);
    const auto last =
        std::upper_bound(m_arrows.begin(), m_arrows.end(), t1,
                         [](std::int64_t t, const SegmentArrow& a) { return t < a.sendUs; });
    const auto f = static_cast<std::size_t>(first - m_prefixMaxEnd.begin());
    const auto l = static_cast<std::size_t>(last - m_arrows.begin());
    return {std::min(f, l), l};
}

std::size_t SequenceLayout::arrowOfSend(std::size_t sendIndex) const {
    const std::size_t a = arrowOfEvent(sendIndex);
    return a < m_arrows.size() && m_arrows[a].sendIndex == sendIndex ? a
                                                                     : static_cast<std::size_t>(-1);
}

std::size_t SequenceLayout::arrowOfEvent(std::size_t eventIndex) const {
    if (eventIndex >= m_arrowOfEvent.size() || m_arrowOfEvent[eventIndex] == kNoEvent) {
        return static_cast<std::size_t>(-1);
    }
    return m_arrowOfEvent[eventIndex];
}

std::optional<std::size_t> SequenceLayout::lastSegmentEventBefore(std::size_t position) const {
    const auto it = std::lower_bound(m_segmentEvents.begin(), m_segmentEvents.end(), position);
    if (it == m_segmentEvents.begin()) {
        return std::nullopt;
    }
    return *(it - 1);
}

double SequenceLayout::axisOf(std::int64_t timeUs) const {
    if (m_times.empty()) {
        return static_cast<double>(timeUs) / 1000.0;
    }
    if (timeUs <= m_times.front()) {
        return -compress(static_cast<double>(m_times.front() - timeUs), m_threshold);
    }
    if (timeUs >= m_times.back()) {
        return m_axis.back() + compress(static_cast<double>(timeUs - m_times.back()), m_threshold);
    }
    const auto it = std::upper_bound(m_times.begin(), m_times.end(), timeUs);
    const auto i = static_cast<std::size_t>(it - m_times.begin());
    const double span = static_cast<double>(m_times[i] - m_times[i - 1]);
    const double f = static_cast<double>(timeUs - m_times[i - 1]) / span;
    return m_axis[i - 1] + f * (m_axis[i] - m_axis[i - 1]);
}

std::int64_t SequenceLayout::timeOfAxis(double axis) const {
    if (m_times.empty()) {
        return static_cast<std::int64_t>(axis * 1000.0);
    }
    if (axis <= 0.0) {
        return m_times.front() + static_cast<std::int64_t>(axis);
    }
    if (axis >= m_axis.back()) {
        return m_times.back() + static_cast<std::int64_t>(axis - m_axis.back());
    }
    const auto it = std::upper_bound(m_axis.begin(), m_axis.end(), axis);
    const auto i = static_cast<std::size_t>(it - m_axis.begin());
    const double f = (axis - m_axis[i - 1]) / (m_axis[i] - m_axis[i - 1]);
    return m_times[i - 1] +
           static_cast<std::int64_t>(f * static_cast<double>(m_times[i] - m_times[i - 1]));
}

std::int64_t SequenceLayout::playheadUs(const Trace& trace, std::size_t position,
                                        double fraction) const {
    if (trace.empty()) {
        return 0;
    }
    if (position == 0) {
        return trace.event(0).timeUs;
    }
    position = std::min(position, trace.size());
    const std::int64_t prev = trace.event(position - 1).timeUs;
    if (position >= trace.size() || fraction <= 0.0) {
        return prev;
    }
    const std::int64_t next = trace.event(position).timeUs;
    return prev + static_cast<std::int64_t>(std::clamp(fraction, 0.0, 1.0) *
                                            static_cast<double>(next - prev));
}

} // namespace tcpviz
