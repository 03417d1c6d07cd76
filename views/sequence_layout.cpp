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
    /// Its timer event was seen (the TCB may drop the deadline only with the
    /// transition the expiry causes, one event later).
    bool expired = false;
};

} // namespace

TimeAxis TimeAxis::through(std::vector<std::int64_t> knots, double threshold, double longGapLog) {
    TimeAxis out;
    out.times = std::move(knots);
    out.threshold = threshold;
    out.axis.reserve(out.times.size());
    double at = 0.0;
    for (std::size_t i = 0; i < out.times.size(); ++i) {
        if (i > 0) {
            const auto gap = static_cast<double>(out.times[i] - out.times[i - 1]);
            at +=
                gap <= threshold ? gap : threshold * (1.0 + longGapLog * std::log(gap / threshold));
        }
        out.axis.push_back(at);
    }
    return out;
}

SequenceLayout::SequenceLayout(const Trace& trace, SequenceAxis axis, double fittedLabelLines) {
    collect(trace);
    m_axisKind = axis == SequenceAxis::Steps ? SequenceAxis::Steps : SequenceAxis::Time;
    if (m_axisKind == SequenceAxis::Steps) {
        buildStepsAxis(trace);
    } else {
        buildTimeAxis(trace);
    }
    placeOnAxis(trace);
    if (axis == SequenceAxis::Automatic && labelsCrowdedOnAxis(fittedLabelLines)) {
        m_axisKind = SequenceAxis::Steps;
        buildStepsAxis(trace);
        placeOnAxis(trace);
    }
}

SequenceLayout::SequenceLayout(const Trace& trace, TimeAxis axis) {
    collect(trace);
    // Always the time axis: one time, one height in every layout sharing it.
    m_axisKind = SequenceAxis::Time;
    setTimeAxis(trace, std::move(axis));
    placeOnAxis(trace);
}

void SequenceLayout::collect(const Trace& trace) {
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
    std::vector<std::int64_t> flights;
    flights.reserve(m_arrows.size());
    for (SegmentArrow& a : m_arrows) {
        if (!a.lost && a.endIndex != kNoEvent) {
            auto& latest = latestArrival.at(static_cast<std::size_t>(a.to));
            a.reordered = a.endUs < latest;
            latest = std::max(latest, a.endUs);
        }
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
    std::size_t position = 0; // of the event being looked at, for `close`
    const auto close = [&](Side side, std::size_t w, std::int64_t at, bool fired) {
        OpenTimer& o = running.at(static_cast<std::size_t>(side)).at(w);
        if (!o.active) {
            return;
        }
        TimerSpan span;
        span.side = side;
        span.kind = watches.at(w).kind;
        span.startUs = o.start;
        span.deadlineUs = o.deadline;
        span.endUs = std::min(std::max(at, o.start), o.deadline);
        span.startPosition = o.startPosition;
        span.endPosition = position;
        span.fired = fired || o.expired;
        m_timers.push_back(span);
        o.active = false;
    };
    for (std::size_t p = 1; p <= events.size(); ++p) {
        position = p;
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
                if (firedNow && o.active) {
                    o.expired = true;
                }
                // A timer without a recorded start (FIN-WAIT-2) starts when its
                // deadline first appears, and is re-armed only when the deadline
                // moves: comparing starts there would close and reopen it at
                // every event, labelling it again each time.
                const bool startKnown =
                    watches.at(w).start != nullptr && (tcb.*(watches.at(w).start));
                const std::int64_t start =
                    startKnown ? *(tcb.*(watches.at(w).start)) : (o.active ? o.start : e.timeUs);
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
                TimerSpan span;
                span.side = side;
                span.kind = watches.at(w).kind;
                span.startUs = o.start;
                span.deadlineUs = o.deadline;
                span.endUs = o.deadline;
                span.startPosition = o.startPosition;
                m_timers.push_back(span);
            }
        }
    }
}

std::vector<std::int64_t> SequenceLayout::knots(const Trace& trace) const {
    std::vector<std::int64_t> times;
    times.reserve(trace.events().size() + m_arrows.size());
    for (const TraceEvent& e : trace.events()) {
        times.push_back(e.timeUs);
    }
    for (const SegmentArrow& a : m_arrows) {
        times.push_back(a.endUs);
    }
    std::sort(times.begin(), times.end());
    times.erase(std::unique(times.begin(), times.end()), times.end());
    return times;
}

void SequenceLayout::buildTimeAxis(const Trace& trace) {
    setTimeAxis(trace, TimeAxis::through(knots(trace), std::max(2.0 * m_typicalFlight, 1000.0)));
}

void SequenceLayout::setTimeAxis(const Trace& trace, TimeAxis axis) {
    const auto& events = trace.events();
    m_times = std::move(axis.times);
    m_axis = std::move(axis.axis);
    m_threshold = axis.threshold;
    m_rows.clear();
    // A gap longer than the threshold is compressed: marked on the lifelines.
    m_gaps.clear();
    for (std::size_t i = 1; i < m_times.size(); ++i) {
        if (static_cast<double>(m_times[i] - m_times[i - 1]) > m_threshold) {
            m_gaps.push_back({m_times[i - 1], m_times[i], 0.0, 0.0});
        }
    }
    for (AxisGap& g : m_gaps) {
        g.fromAxis = axisOf(g.fromUs);
        g.toAxis = axisOf(g.toUs);
    }
    m_eventAxis.resize(events.size());
    for (std::size_t i = 0; i < events.size(); ++i) {
        m_eventAxis[i] = axisOf(events[i].timeUs);
    }
}

void SequenceLayout::buildStepsAxis(const Trace& trace) {
    const auto& events = trace.events();
    m_times.clear();
    m_axis.clear();
    m_gaps.clear();
    m_rows.clear();
    m_threshold = std::max(2.0 * m_typicalFlight, 1000.0);
    m_eventAxis.assign(events.size(), -1.0);
    const auto addRow = [this](std::int64_t timeUs, std::size_t firstEvent) {
        m_rows.push_back({static_cast<double>(m_rows.size()), timeUs, firstEvent});
    };
    const auto isSegmentEvent = [this](const TraceEvent& e) {
        return m_arrowOfEvent[e.index] != kNoEvent;
    };
    const auto firstSegment = std::find_if(events.begin(), events.end(), isSegmentEvent);
    if (!events.empty() &&
        (firstSegment == events.end() || events.front().timeUs < firstSegment->timeUs)) {
        addRow(events.front().timeUs, 0); // what happens before the first segment (LISTEN)
    }
    // The arrow whose Send alone made the last row, for the one-packet-one-row rule.
    std::uint32_t loneSend = kNoEvent;
    for (const TraceEvent& e : events) {
        if (!isSegmentEvent(e)) {
            continue;
        }
        const std::uint32_t arrow = m_arrowOfEvent[e.index];
        if (e.kind != EventKind::Send && arrow == loneSend && !m_rows.empty() &&
            m_rows.back().timeUs == e.timeUs) {
            // Delivered (or lost) the moment it was sent: one packet, one row.
            m_eventAxis[e.index] = m_rows.back().axis;
            loneSend = kNoEvent;
            continue;
        }
        addRow(e.timeUs, e.index);
        m_eventAxis[e.index] = m_rows.back().axis;
        loneSend = e.kind == EventKind::Send ? arrow : kNoEvent;
    }
    if (!events.empty() && events.back().timeUs > m_rows.back().timeUs) {
        const std::int64_t last = m_rows.back().timeUs;
        const auto after = std::find_if(events.begin(), events.end(),
                                        [last](const TraceEvent& e) { return e.timeUs > last; });
        addRow(events.back().timeUs, after->index); // what happens after the last (2MSL expiry)
    }
    for (const AxisRow& r : m_rows) {
        m_times.push_back(r.timeUs);
        m_axis.push_back(r.axis);
    }
    for (std::size_t r = 1; r < m_rows.size(); ++r) {
        const auto gap = static_cast<double>(m_rows[r].timeUs - m_rows[r - 1].timeUs);
        if (gap > m_threshold) {
            m_gaps.push_back(
                {m_rows[r - 1].timeUs, m_rows[r].timeUs, m_rows[r - 1].axis, m_rows[r].axis});
        }
    }
    // Other events: on the row of a segment event at the same moment (the
    // transition an arrival causes, the call that makes a send), else between
    // the rows around them in proportion to time.
    std::size_t row = 0; // last row starting at or before the event
    for (std::size_t i = 0; i < events.size(); ++i) {
        while (row + 1 < m_rows.size() && m_rows[row + 1].firstEvent <= i) {
            ++row;
        }
        if (m_eventAxis[i] >= 0.0) {
            continue;
        }
        const std::int64_t t = events[i].timeUs;
        const AxisRow& prev = m_rows[row];
        const bool hasNext = row + 1 < m_rows.size();
        if (prev.firstEvent > i) { // before every row: cannot happen, a row starts at event 0
            m_eventAxis[i] = prev.axis;
        } else if (t <= prev.timeUs || !hasNext) {
            m_eventAxis[i] = prev.axis;
        } else {
            const AxisRow& next = m_rows[row + 1];
            const double span = static_cast<double>(next.timeUs - prev.timeUs);
            const double f = span > 0.0
                                 ? std::clamp(static_cast<double>(t - prev.timeUs) / span, 0.0, 1.0)
                                 : 1.0;
            m_eventAxis[i] = prev.axis + f * (next.axis - prev.axis);
        }
    }
}

void SequenceLayout::placeOnAxis(const Trace& trace) {
    const bool steps = m_axisKind == SequenceAxis::Steps;
    const double end = axisLength();
    for (SegmentArrow& a : m_arrows) {
        a.sendAxis = m_eventAxis[a.sendIndex];
        if (!steps) {
            a.endAxis = axisOf(a.endUs);
            a.plannedAxis = axisOf(a.plannedUs);
            continue;
        }
        if (a.endIndex != kNoEvent) {
            a.endAxis = m_eventAxis[a.endIndex];
        } else {
            // Still in flight at the end of the trace, or a captured packet (sent
            // and seen at one moment): its own row.
            a.endAxis = a.endUs > a.sendUs ? std::max(axisOf(a.endUs), a.sendAxis) : a.sendAxis;
        }
        a.plannedAxis = a.endAxis;
        if (a.lost && a.endAxis > a.sendAxis) {
            // The cross stays on the Drop's row, at the same fraction of the way
            // as on the time axis (see the renderer).
            const double span = static_cast<double>(a.plannedUs - a.sendUs);
            const double frac = std::clamp(
                span > 0 ? static_cast<double>(a.endUs - a.sendUs) / span : 0.5, 0.15, 0.85);
            a.plannedAxis = a.sendAxis + (a.endAxis - a.sendAxis) / frac;
        }
    }
    m_prefixMaxEnd.clear();
    m_prefixMaxEnd.reserve(m_arrows.size());
    double maxEnd = -std::numeric_limits<double>::infinity();
    for (const SegmentArrow& a : m_arrows) {
        maxEnd = std::max({maxEnd, a.endAxis, a.sendAxis});
        m_prefixMaxEnd.push_back(maxEnd);
    }
    for (auto& list : m_intervals) {
        for (StateInterval& s : list) {
            s.startAxis = s.startPosition == 0 ? (steps ? 0.0 : axisOf(s.startUs))
                                               : m_eventAxis[s.startPosition - 1];
        }
    }
    const std::size_t events = trace.size();
    for (TimerSpan& t : m_timers) {
        if (!steps) {
            t.startAxis = axisOf(t.startUs);
            t.endAxis = axisOf(t.endUs);
            t.deadlineAxis = axisOf(t.deadlineUs);
            continue;
        }
        t.startAxis = m_eventAxis[t.startPosition - 1];
        t.endAxis = t.endPosition <= events ? m_eventAxis[t.endPosition - 1]
                                            : std::max(axisOf(t.endUs), t.startAxis);
        t.deadlineAxis = t.fired ? t.endAxis : std::max(axisOf(t.deadlineUs), t.endAxis);
        if (t.deadlineUs > endUs() && !t.fired) {
            t.deadlineAxis = std::max(end, t.endAxis);
        }
    }
}

bool SequenceLayout::labelsCrowdedOnAxis(double fittedLabelLines) const {
    if (m_arrows.size() < 2 || axisLength() <= 0.0) {
        return false;
    }
    std::vector<double> mids;
    mids.reserve(m_arrows.size());
    for (const SegmentArrow& a : m_arrows) {
        // Where the renderer puts the label: the middle, or on a lost segment's
        // existing part.
        mids.push_back(a.lost ? a.sendAxis + (a.endAxis - a.sendAxis) * 0.45
                              : (a.sendAxis + a.endAxis) / 2.0);
    }
    std::sort(mids.begin(), mids.end());
    const double lineOfLabel = axisLength() / std::max(fittedLabelLines, 1.0);
    for (std::size_t i = 1; i < mids.size(); ++i) {
        if (mids[i] - mids[i - 1] < lineOfLabel) {
            return true;
        }
    }
    return false;
}

std::pair<std::size_t, std::size_t> SequenceLayout::arrowRange(double a0, double a1) const {
    const auto first = std::lower_bound(m_prefixMaxEnd.begin(), m_prefixMaxEnd.end(), a0);
    const auto last =
        std::upper_bound(m_arrows.begin(), m_arrows.end(), a1,
                         [](double v, const SegmentArrow& a) { return v < a.sendAxis; });
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

// Knots from the traces themselves (every event, every arrow's end), as the
// time axis of one ladder takes them.
void SequenceLayout::shareAxis(SequenceLayout& a, const Trace& ta, SequenceLayout& b,
                               const Trace& tb, double longGapLog) {
    std::vector<std::int64_t> times = a.knots(ta);
    const std::vector<std::int64_t> more = b.knots(tb);
    times.insert(times.end(), more.begin(), more.end());
    std::sort(times.begin(), times.end());
    times.erase(std::unique(times.begin(), times.end()), times.end());
    const TimeAxis shared =
        TimeAxis::through(std::move(times), std::max(a.m_threshold, b.m_threshold), longGapLog);
    a = SequenceLayout(ta, shared);
    b = SequenceLayout(tb, shared);
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
    const bool steps = m_axisKind == SequenceAxis::Steps;
    if (timeUs <= m_times.front()) {
        return steps ? m_axis.front()
                     : -compress(static_cast<double>(m_times.front() - timeUs), m_threshold);
    }
    const auto it = std::lower_bound(m_times.begin(), m_times.end(), timeUs);
    if (it == m_times.end()) {
        return steps ? m_axis.back()
                     : m_axis.back() +
                           compress(static_cast<double>(timeUs - m_times.back()), m_threshold);
    }
    const auto i = static_cast<std::size_t>(it - m_times.begin());
    if (*it == timeUs) {
        return m_axis[i]; // the first row at that moment
    }
    const double span = static_cast<double>(m_times[i] - m_times[i - 1]);
    const double f = static_cast<double>(timeUs - m_times[i - 1]) / span;
    return m_axis[i - 1] + f * (m_axis[i] - m_axis[i - 1]);
}

std::int64_t SequenceLayout::timeOfAxis(double axis) const {
    if (m_times.empty()) {
        return static_cast<std::int64_t>(axis * 1000.0);
    }
    const bool steps = m_axisKind == SequenceAxis::Steps;
    if (axis <= 0.0) {
        return m_times.front() + (steps ? 0 : static_cast<std::int64_t>(axis));
    }
    if (axis >= m_axis.back()) {
        return m_times.back() + (steps ? 0 : static_cast<std::int64_t>(axis - m_axis.back()));
    }
    const auto it = std::upper_bound(m_axis.begin(), m_axis.end(), axis);
    const auto i = static_cast<std::size_t>(it - m_axis.begin());
    const double f = (axis - m_axis[i - 1]) / (m_axis[i] - m_axis[i - 1]);
    return m_times[i - 1] +
           static_cast<std::int64_t>(f * static_cast<double>(m_times[i] - m_times[i - 1]));
}

double SequenceLayout::axisOfEvent(std::size_t eventIndex) const {
    if (m_eventAxis.empty()) {
        return 0.0;
    }
    return m_eventAxis[std::min(eventIndex, m_eventAxis.size() - 1)];
}

double SequenceLayout::playheadAxis(const Trace& trace, std::size_t position,
                                    double fraction) const {
    if (m_axisKind != SequenceAxis::Steps) {
        return axisOf(playheadUs(trace, position, fraction));
    }
    if (trace.empty() || m_eventAxis.empty()) {
        return 0.0;
    }
    if (position == 0) {
        return axisOfEvent(0);
    }
    position = std::min(position, trace.size());
    const double prev = axisOfEvent(position - 1);
    if (position >= trace.size() || fraction <= 0.0) {
        return prev;
    }
    return prev + std::clamp(fraction, 0.0, 1.0) * (axisOfEvent(position) - prev);
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
