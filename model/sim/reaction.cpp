#include "sim/reaction.h"

#include <algorithm>

namespace tcpviz {

/// The endpoint reports in the RFC's prose order ("send a SYN, enter
/// SYN-SENT"); the trace records the figure's: the arc is taken to send the
/// segment ("CLOSED -> SYN-SENT / snd SYN"). Each transition moves ahead of
/// the segments sent since the reaction's previous transition, and those
/// segments leave in the new state, so that the step that sends a segment
/// shows the sender's new state and arc with it.
std::vector<EndpointEvent> arcBeforeItsSegments(std::vector<EndpointEvent> events) {
    std::size_t runStart = 0; // first Send after the last transition
    for (std::size_t i = 0; i < events.size(); ++i) {
        if (events[i].kind != EndpointEvent::Kind::Transition) {
            continue;
        }
        for (std::size_t k = runStart; k < i; ++k) {
            events[k].after.state = events[i].to;
        }
        std::rotate(events.begin() + static_cast<std::ptrdiff_t>(runStart),
                    events.begin() + static_cast<std::ptrdiff_t>(i),
                    events.begin() + static_cast<std::ptrdiff_t>(i) + 1);
        runStart = i + 1;
    }
    return events;
}

void recordReaction(ConnectionRecorder& rec, Side side, std::optional<TraceEvent> lead,
                    const Snapshot& before, std::vector<EndpointEvent> events) {
    events = arcBeforeItsSegments(std::move(events));
    if (lead) {
        rec.record(std::move(*lead), events.empty() ? rec.current() : before);
    }
    for (std::size_t i = 0; i < events.size(); ++i) {
        Snapshot snap = rec.current();
        if (i + 1 < events.size()) {
            snap.of(side) = events[i].after;
        }
        EndpointEvent& ev = events[i];
        switch (ev.kind) {
        case EndpointEvent::Kind::Send: {
            TraceEvent e;
            e.kind = EventKind::Send;
            e.endpoint = side;
            e.segment = ev.segment;
            e.reason = ev.reason;
            e.retransmission = ev.retransmission;
            e.note = std::move(ev.note);
            rec.send(std::move(e), snap);
            break;
        }
        case EndpointEvent::Kind::Error:
            rec.record(errorEvent(side, ev.error, ev.call), snap);
            break;
        case EndpointEvent::Kind::Transition: {
            TraceEvent t = transitionEvent(rec.nowUs(), side, ev.from, ev.to, ev.arc);
            t.note = std::move(ev.note);
            rec.record(std::move(t), snap);
            rec.entered(side, ev.to);
            break;
        }
        }
    }
}

namespace {

/// Whether `side` has sent a SYN of its own in `trace` already.
bool sentSyn(const Trace& trace, Side side) {
    return std::any_of(trace.events().begin(), trace.events().end(), [side](const TraceEvent& e) {
        return e.kind == EventKind::Send && e.endpoint == side && e.segment.has(flag::SYN) &&
               !e.injected && !e.duplicate;
    });
}

} // namespace

Snapshot currentSnapshot(const Trace& trace,
                         const std::array<std::optional<Endpoint>, 2>& endpoints) {
    Snapshot s = trace.snapshotAt(trace.size());
    for (const Side side : {Side::Client, Side::Server}) {
        if (const auto& ep = endpoints.at(static_cast<std::size_t>(side))) {
            s.of(side) = ep->tcb();
        }
    }
    return s;
}

void appendEvent(Trace& trace, const Scenario& scenario, TraceEvent e, const Snapshot& snap,
                 std::int64_t nowUs) {
    e.timeUs = nowUs;
    const auto step = e.step;
    // Relative numbers count from meta's ISNs: they are the ISN each side
    // really sent in its first SYN or SYN,ACK, which is not always the one it
    // was configured with (a SYN cookie is the listener's own ISN).
    if (e.kind == EventKind::Send && e.segment.has(flag::SYN) && !e.injected && !e.duplicate &&
        !sentSyn(trace, e.endpoint)) {
        (e.endpoint == Side::Client ? trace.meta.client : trace.meta.server).isn = e.segment.seq;
    }
    trace.append(std::move(e), snap);
    // A step's note goes on the event the step made happen.
    if (step && !scenario.steps.at(*step).note.empty()) {
        trace.meta.stepNotes.push_back(
            {static_cast<std::uint32_t>(trace.size() - 1), scenario.steps.at(*step).note});
    }
}

TraceEvent arriveEvent(Side to, const Segment& seg, std::uint32_t segmentId, bool duplicate,
                       bool injected) {
    TraceEvent a;
    a.kind = EventKind::Arrive;
    a.endpoint = to;
    a.segment = seg;
    a.segmentId = segmentId;
    a.duplicate = duplicate;
    a.injected = injected;
    return a;
}

TraceEvent dropEvent(Side from, const Segment& seg, std::uint32_t segmentId) {
    TraceEvent e;
    e.kind = EventKind::Drop;
    e.endpoint = from;
    e.segment = seg;
    e.segmentId = segmentId;
    return e;
}

TraceEvent errorEvent(Side side, SocketError error, ErrorCall call) {
    TraceEvent e;
    e.kind = EventKind::Error;
    e.endpoint = side;
    e.socketError = error;
    e.errorCall = call;
    return e;
}

TraceEvent injectedSend(const InjectSpec& spec, std::uint16_t fromPort, std::uint16_t toPort,
                        std::uint32_t step, std::uint32_t segmentId, std::int64_t nowUs) {
    Segment seg;
    seg.srcPort = fromPort;
    seg.dstPort = toPort;
    seg.flags = spec.flags;
    seg.seq = spec.seq;
    seg.ack = spec.ack;
    seg.len = spec.len;
    seg.window = spec.window.value_or((spec.flags & flag::RST) != 0 ? 0U : 65535U);
    TraceEvent e;
    e.kind = EventKind::Send;
    e.endpoint = peer(spec.to);
    e.segment = seg;
    e.segmentId = segmentId;
    e.plannedArrivalUs = nowUs;
    e.injected = true;
    e.reason = SendReason::Injected;
    e.step = step;
    return e;
}

std::vector<StepTriggers::Due> StepTriggers::start(const std::vector<Step>& steps) {
    m_fired.assign(steps.size(), false);
    std::vector<Due> due;
    for (std::size_t i = 0; i < steps.size(); ++i) {
        const Trigger& t = steps[i].trigger;
        if (!t.whenState) {
            m_fired[i] = true;
            due.push_back({i, t.atUs.value_or(0) + t.afterUs});
        }
    }
    return due;
}

std::vector<StepTriggers::Due> StepTriggers::entered(const std::vector<Step>& steps, Side side,
                                                     State state, std::int64_t nowUs) {
    std::vector<Due> due;
    for (std::size_t i = 0; i < steps.size() && i < m_fired.size(); ++i) {
        const Trigger& t = steps[i].trigger;
        if (!m_fired[i] && t.whenSide == side && t.whenState == state) {
            m_fired[i] = true;
            due.push_back({i, nowUs + t.afterUs});
        }
    }
    return due;
}

std::vector<Transit> network(TraceEvent send, std::int64_t nowUs, std::int64_t latencyUs,
                             std::vector<FaultState>* faults, std::uint32_t& nextSegmentId) {
    const Side from = send.endpoint;
    const std::uint8_t flags = send.segment.flags;
    send.segmentId = nextSegmentId++;
    std::int64_t arrival = nowUs + latencyUs;
    bool lost = false;
    std::vector<std::int64_t> copies;
    std::vector<FaultState> none;
    for (FaultState& fs : faults != nullptr ? *faults : none) {
        const Fault& f = fs.fault;
        if (f.from != from || f.flags != flags || nowUs < f.sentAtOrAfterUs) {
            continue;
        }
        ++fs.matched;
        if (!f.every && fs.matched != f.nth.value_or(1)) {
            continue;
        }
        switch (f.kind) {
        case FaultKind::Drop:
            lost = true;
            break;
        case FaultKind::Delay:
            arrival += f.byUs;
            break;
        case FaultKind::Duplicate:
            copies.push_back(f.afterUs);
            break;
        }
    }
    send.plannedArrivalUs = arrival;
    std::vector<Transit> out;
    out.reserve(1 + copies.size());
    // A lost segment's Drop is recorded half-way, for the diagram.
    const std::int64_t atUs = lost ? nowUs + (arrival - nowUs) / 2 : arrival;
    out.push_back({std::move(send), lost, atUs, lost ? from : peer(from)});
    for (const std::int64_t after : copies) {
        TraceEvent copy = out.front().send; // no reallocation: reserved above
        copy.segmentId = nextSegmentId++;
        copy.duplicate = true;
        copy.plannedArrivalUs = arrival + after;
        copy.note.clear(); // the network's copy: displayNote() says so
        out.push_back({std::move(copy), false, arrival + after, peer(from)});
    }
    return out;
}

std::vector<TimerDue> TimerSlots::changed(const Endpoint& ep) {
    std::vector<TimerDue> due;
    for (std::size_t k = 0; k < kKinds.size(); ++k) {
        const std::optional<std::int64_t> d = ep.deadline(kKinds.at(k));
        std::optional<std::int64_t>& slot = m_slots.at(k);
        if (d && d != slot) {
            due.push_back({kKinds.at(k), *d});
        }
        slot = d;
    }
    return due;
}

} // namespace tcpviz
