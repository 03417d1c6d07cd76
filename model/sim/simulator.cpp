// The simulator is a plain discrete-event loop: a priority queue of happenings
// ordered by (time, insertion order), so that equal times always resolve the
// same way and the same scenario gives the same Trace, byte for byte.
//
// Endpoint timers are not owned by the queue: an endpoint exposes its deadlines
// in its TCB, and after every input the simulator queues an entry for each
// deadline that changed. An entry whose deadline has since moved is stale and
// skipped when it comes up.
#include "sim/simulator.h"

#include "sim/host_simulator.h"
#include "sim/reaction_order.h"
#include "tcp/endpoint.h"

#include <algorithm>
#include <array>
#include <queue>
#include <string_view>

namespace tcpviz {

namespace {

constexpr std::array kTimerKinds{TimerKind::Retransmission, TimerKind::TimeWait,
                                 TimerKind::UserTimeout, TimerKind::DelayedAck,
                                 TimerKind::FinWait2};

std::size_t at(Side s) {
    return static_cast<std::size_t>(s);
}

// FNV-1a: a stable, platform-independent default ISN per scenario and side,
// so that two scenarios do not share sequence numbers by accident.
std::uint32_t defaultIsn(const std::string& scenarioId, Side side) {
    std::uint32_t h = 2166136261U;
    auto mix = [&h](std::string_view text) {
        for (const char c : text) {
            h ^= static_cast<unsigned char>(c);
            h *= 16777619U;
        }
    };
    mix(scenarioId);
    mix(":");
    mix(sideName(side));
    return h;
}

} // namespace

SocketAddress defaultAddress(Side side) {
    return side == Side::Client ? SocketAddress{IpAddress{false, {192, 168, 0, 2}}, 52528}
                                : SocketAddress{IpAddress{false, {192, 168, 0, 1}}, 80};
}

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

struct Simulator::Impl {
    enum class ItemKind : std::uint8_t { Step, Deliver, Lose, Timer };
    struct Item {
        std::int64_t timeUs = 0;
        std::uint64_t order = 0;
        ItemKind kind = ItemKind::Step;
        std::size_t stepIndex = 0;
        Side side = Side::Client; ///< Deliver: receiver; Lose: sender; Timer: owner
        Segment segment;
        std::uint32_t segmentId = 0;
        bool duplicate = false;
        TimerKind timer = TimerKind::Retransmission;
    };
    struct Later {
        bool operator()(const Item& a, const Item& b) const {
            return a.timeUs != b.timeUs ? a.timeUs > b.timeUs : a.order > b.order;
        }
    };
    struct FaultState {
        Fault fault;
        std::uint32_t matched = 0;
    };

    Scenario scenario;
    SimulatorOptions options;
    std::array<std::optional<Endpoint>, 2> endpoints;
    std::array<std::uint16_t, 2> ports{};
    std::array<std::array<std::optional<std::int64_t>, kTimerKinds.size()>, 2> scheduled{};
    std::priority_queue<Item, std::vector<Item>, Later> queue;
    std::vector<bool> stepFired;
    std::vector<FaultState> faults;
    Trace trace;
    std::int64_t now = 0;
    std::uint64_t nextOrder = 0;
    std::uint32_t nextSegmentId = 1;
    /// A multi-connection scenario: the host simulator's named connection, whole;
    /// step() reveals it one event at a time.
    std::optional<Trace> precomputed;
    std::size_t revealed = 0;

    Impl(const Scenario& sc, SimulatorOptions opts)
        : scenario(sc)
        , options(opts) {
        if (scenario.manyConnections()) {
            HostSimulation hosts = simulateHosts(scenario, options);
            precomputed = std::move(hosts.connections.at(hosts.named).trace);
            trace.setInitial(precomputed->initial());
            trace.meta = precomputed->meta;
            trace.meta.stepNotes.clear();
            return;
        }
        std::array<std::uint32_t, 2> isn{};
        std::array<SocketAddress, 2> address;
        for (const Side side : {Side::Client, Side::Server}) {
            const EndpointSpec& spec = side == Side::Client ? scenario.client : scenario.server;
            address.at(at(side)) = spec.address.value_or(defaultAddress(side));
            ports.at(at(side)) = address.at(at(side)).port;
            isn.at(at(side)) = spec.isn.value_or(defaultIsn(scenario.id, side));
        }
        Snapshot initial;
        for (const Side side : {Side::Client, Side::Server}) {
            const EndpointSpec& spec = side == Side::Client ? scenario.client : scenario.server;
            if (!spec.scripted) {
                EndpointConfig cfg;
                cfg.profile = scenario.profile;
                cfg.timers = scenario.timers;
                cfg.iss = isn.at(at(side));
                cfg.laterIss = spec.laterIsns;
                cfg.localPort = ports.at(at(side));
                cfg.remotePort = ports.at(at(peer(side)));
                cfg.readsData = spec.reads && options.applicationReads.at(at(side));
                cfg.window = spec.window.value_or(cfg.window);
                cfg.delaysAcks = spec.delaysAcks;
                cfg.fastOpen = spec.fastOpen;
                cfg.quickAck = spec.quickAck;
                // With an `accept` step the application takes the connection only
                // there; without one it accepts at once (the older scenarios).
                cfg.acceptsAtOnce =
                    std::none_of(scenario.steps.begin(), scenario.steps.end(), [&](const Step& st) {
                        return st.action == Action::Accept && st.endpoint == side;
                    });
                endpoints.at(at(side)).emplace(cfg);
                initial.of(side) = endpoints.at(at(side))->tcb();
            } else {
                initial.of(side).iss = isn.at(at(side));
            }
        }
        trace.setInitial(initial);
        trace.meta.scenarioId = scenario.id;
        trace.meta.title = scenario.title;
        trace.meta.profile = std::string(profileName(scenario.profile));
        trace.meta.client = {address.at(0), isn.at(0)};
        trace.meta.server = {address.at(1), isn.at(1)};

        stepFired.assign(scenario.steps.size(), false);
        for (std::size_t i = 0; i < scenario.steps.size(); ++i) {
            const Trigger& t = scenario.steps[i].trigger;
            if (!t.whenState) {
                stepFired[i] = true;
                Item item;
                item.kind = ItemKind::Step;
                item.stepIndex = i;
                push(t.atUs.value_or(0) + t.afterUs, item);
            }
        }
        for (const Fault& f : scenario.faults) {
            faults.push_back({f, 0});
        }
    }

    void push(std::int64_t timeUs, Item item) {
        item.timeUs = timeUs;
        item.order = nextOrder++;
        queue.push(std::move(item));
    }

    [[nodiscard]] Snapshot current() const {
        Snapshot s = trace.snapshotAt(trace.size());
        for (const Side side : {Side::Client, Side::Server}) {
            if (endpoints.at(at(side))) {
                s.of(side) = endpoints.at(at(side))->tcb();
            }
        }
        return s;
    }

    void append(TraceEvent e, const Snapshot& snap) {
        e.timeUs = now;
        const auto step = e.step;
        trace.append(std::move(e), snap);
        // A step's note goes on the event the step made happen.
        if (step && !scenario.steps.at(*step).note.empty()) {
            trace.meta.stepNotes.push_back(
                {static_cast<std::uint32_t>(trace.size() - 1), scenario.steps.at(*step).note});
        }
    }

    [[nodiscard]] std::int64_t latency(Side from) const {
        return from == Side::Client ? scenario.network.clientToServerUs
                                    : scenario.network.serverToClientUs;
    }

    /// Runs `work` on the endpoint of `side` and records `lead` (the Call,
    /// Arrive or Timer that caused it) followed by what the endpoint did. The
    /// last event carries the endpoint's final TCB, so a change without any
    /// visible consequence (SND.UNA advancing on a pure ACK) still shows.
    template <typename Work> void drive(Side side, TraceEvent lead, Work&& work) {
        const Snapshot before = current();
        Endpoint& ep = *endpoints.at(at(side));
        work(ep);
        std::vector<EndpointEvent> events = arcBeforeItsSegments(ep.takeEvents());
        if (events.empty()) {
            append(std::move(lead), current());
        } else {
            append(std::move(lead), before);
        }
        for (std::size_t i = 0; i < events.size(); ++i) {
            Snapshot snap = current();
            if (i + 1 < events.size()) {
                snap.of(side) = events[i].after;
            }
            EndpointEvent& ev = events[i];
            if (ev.kind == EndpointEvent::Kind::Send) {
                transmit(side, ev, snap);
            } else if (ev.kind == EndpointEvent::Kind::Error) {
                append(errorEvent(side, ev.error, ev.call), snap);
            } else {
                TraceEvent t = transitionEvent(now, side, ev.from, ev.to, ev.arc);
                t.note = std::move(ev.note);
                append(std::move(t), snap);
                entered(side, ev.to);
            }
        }
        syncTimers(side);
    }

    /// A state was entered: start the steps waiting for it (each step runs once).
    void entered(Side side, State state) {
        for (std::size_t i = 0; i < scenario.steps.size(); ++i) {
            const Trigger& t = scenario.steps[i].trigger;
            if (!stepFired[i] && t.whenSide == side && t.whenState == state) {
                stepFired[i] = true;
                Item item;
                item.kind = ItemKind::Step;
                item.stepIndex = i;
                push(now + t.afterUs, item);
            }
        }
    }

    void syncTimers(Side side) {
        const Endpoint& ep = *endpoints.at(at(side));
        for (std::size_t k = 0; k < kTimerKinds.size(); ++k) {
            const auto d = ep.deadline(kTimerKinds.at(k));
            auto& slot = scheduled.at(at(side)).at(k);
            if (d && d != slot) {
                Item item;
                item.kind = ItemKind::Timer;
                item.side = side;
                item.timer = kTimerKinds.at(k);
                push(*d, item);
            }
            slot = d;
        }
    }

    /// A segment leaves `from`: the network applies the faults and schedules
    /// its arrival or its loss.
    void transmit(Side from, EndpointEvent& sent, const Snapshot& snap) {
        const Segment& seg = sent.segment;
        TraceEvent e;
        e.kind = EventKind::Send;
        e.endpoint = from;
        e.segment = seg;
        e.reason = sent.reason;
        e.segmentId = nextSegmentId++;
        e.retransmission = sent.retransmission;
        e.note = std::move(sent.note);
        std::int64_t arrival = now + latency(from);
        bool lost = false;
        std::vector<std::int64_t> copies;
        for (FaultState& fs : faults) {
            const Fault& f = fs.fault;
            if (f.from != from || f.flags != seg.flags || now < f.sentAtOrAfterUs) {
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
        e.plannedArrivalUs = arrival;
        const std::uint32_t id = e.segmentId;
        append(e, snap);

        Item item;
        item.segment = seg;
        item.segmentId = id;
        if (lost) {
            item.kind = ItemKind::Lose;
            item.side = from;
            push(now + (arrival - now) / 2, item); // lost half-way, for the diagram
        } else {
            item.kind = ItemKind::Deliver;
            item.side = peer(from);
            push(arrival, item);
        }
        for (const std::int64_t after : copies) {
            TraceEvent copy = e;
            copy.segmentId = nextSegmentId++;
            copy.duplicate = true;
            copy.plannedArrivalUs = arrival + after;
            copy.note.clear(); // the network's copy: displayNote() says so
            append(copy, snap);
            Item c;
            c.kind = ItemKind::Deliver;
            c.side = peer(from);
            c.segment = seg;
            c.segmentId = copy.segmentId;
            c.duplicate = true;
            push(copy.plannedArrivalUs, c);
        }
    }

    void deliver(Side to, const Segment& seg, std::uint32_t segmentId, bool duplicate,
                 bool injected) {
        TraceEvent a;
        a.kind = EventKind::Arrive;
        a.endpoint = to;
        a.segment = seg;
        a.segmentId = segmentId;
        a.duplicate = duplicate;
        a.injected = injected;
        if (!endpoints.at(at(to))) {
            // A scripted endpoint has no TCP: it takes the segment and says nothing.
            append(std::move(a), current());
            return;
        }
        drive(to, std::move(a), [&](Endpoint& ep) { ep.segmentArrives(seg, now); });
    }

    TraceEvent errorEvent(Side side, SocketError error, ErrorCall call) const {
        TraceEvent e;
        e.kind = EventKind::Error;
        e.endpoint = side;
        e.socketError = error;
        e.errorCall = call;
        return e;
    }

    /// A user call, made by scenario step `step` or (none) by a what-if intervention.
    void call(Side side, UserCall c, std::uint32_t bytes, std::optional<std::uint32_t> step = {}) {
        TraceEvent e;
        e.kind = EventKind::Call;
        e.endpoint = side;
        e.call = c;
        e.bytes = bytes;
        e.step = step;
        if (precomputed) {
            e.callError = "what-if calls are not available in a multi-connection scenario";
            append(std::move(e), current());
            return;
        }
        if (!endpoints.at(at(side))) {
            e.callError = "scripted endpoint: its segments come only from inject steps";
            append(std::move(e), current());
            return;
        }
        // The error is only known after the call, but the Call event comes first.
        Endpoint& ep = *endpoints.at(at(side));
        Endpoint probe = ep;
        if (const Status called = invoke(probe, c, bytes); !called) {
            e.callError = called.error().message;
            append(std::move(e), current());
            if (c == UserCall::Send) {
                // send() on a connection that is closing or gone: EPIPE (Linux's
                // tcp_sendmsg, SEND_SHUTDOWN or no connection; SIGPIPE aside).
                append(errorEvent(side, SocketError::BrokenPipe, ErrorCall::Send), current());
            }
            return;
        }
        drive(side, std::move(e), [&](Endpoint& target) { (void)invoke(target, c, bytes); });
    }

    Status invoke(Endpoint& ep, UserCall c, std::uint32_t bytes) const {
        return callEndpoint(ep, c, bytes, now);
    }

    void inject(const InjectSpec& spec, std::uint32_t step) {
        const Side from = peer(spec.to);
        Segment seg;
        seg.srcPort = ports.at(at(from));
        seg.dstPort = ports.at(at(spec.to));
        seg.flags = spec.flags;
        seg.seq = spec.seq;
        seg.ack = spec.ack;
        seg.len = spec.len;
        seg.window = spec.window.value_or((spec.flags & flag::RST) != 0 ? 0U : 65535U);
        TraceEvent e;
        e.kind = EventKind::Send;
        e.endpoint = from;
        e.segment = seg;
        e.segmentId = nextSegmentId++;
        e.plannedArrivalUs = now;
        e.injected = true;
        e.reason = SendReason::Injected;
        e.step = step;
        const std::uint32_t id = e.segmentId;
        append(std::move(e), current());
        deliver(spec.to, seg, id, false, true);
    }

    void runStep(std::size_t index) {
        const Step& step = scenario.steps.at(index);
        const auto id = static_cast<std::uint32_t>(index);
        if (step.action == Action::Inject) {
            inject(step.inject, id);
            return;
        }
        if (const auto c = userCallOf(step)) {
            call(step.endpoint, *c, step.bytes, id);
        }
    }

    /// Handles one queue entry; false when it turned out to be stale.
    bool handle(const Item& item) {
        switch (item.kind) {
        case ItemKind::Step:
            runStep(item.stepIndex);
            return true;
        case ItemKind::Deliver:
            deliver(item.side, item.segment, item.segmentId, item.duplicate, false);
            return true;
        case ItemKind::Lose: {
            TraceEvent e;
            e.kind = EventKind::Drop;
            e.endpoint = item.side;
            e.segment = item.segment;
            e.segmentId = item.segmentId;
            append(std::move(e), current());
            return true;
        }
        case ItemKind::Timer: {
            auto& ep = endpoints.at(at(item.side));
            if (!ep || ep->deadline(item.timer) != item.timeUs) {
                return false;
            }
            TraceEvent e;
            e.kind = EventKind::Timer;
            e.endpoint = item.side;
            e.timer = item.timer;
            drive(item.side, std::move(e),
                  [&](Endpoint& target) { (void)target.timerFires(item.timer, now); });
            return true;
        }
        }
        return false;
    }

    bool step() {
        if (precomputed) {
            if (revealed >= precomputed->size()) {
                return false;
            }
            const std::size_t i = revealed++;
            TraceEvent e = precomputed->event(i);
            now = e.timeUs;
            trace.append(std::move(e), precomputed->snapshotAt(i + 1));
            for (const EventNote& n : precomputed->meta.stepNotes) {
                if (n.event == i) {
                    trace.meta.stepNotes.push_back(
                        {static_cast<std::uint32_t>(trace.size() - 1), n.text});
                }
            }
            return true;
        }
        while (!queue.empty()) {
            const Item item = queue.top();
            if (item.timeUs > options.timeLimitUs) {
                return false;
            }
            queue.pop();
            const std::int64_t before = now;
            now = std::max(now, item.timeUs);
            if (handle(item)) {
                return true;
            }
            now = before; // a stale timer is no happening: time stays put
        }
        return false;
    }
};

Simulator::Simulator(const Scenario& scenario)
    : Simulator(scenario, SimulatorOptions{}) {}

Simulator::Simulator(const Scenario& scenario, SimulatorOptions options)
    : m_impl(std::make_unique<Impl>(scenario, options)) {}

Simulator::~Simulator() = default;

Simulator::Simulator(const Simulator& other)
    : m_impl(std::make_unique<Impl>(*other.m_impl)) {}

Simulator& Simulator::operator=(const Simulator& other) {
    if (this != &other) {
        m_impl = std::make_unique<Impl>(*other.m_impl);
    }
    return *this;
}

Simulator::Simulator(Simulator&&) noexcept = default;
Simulator& Simulator::operator=(Simulator&&) noexcept = default;

bool Simulator::step() {
    return m_impl->step();
}

void Simulator::runUntil(std::size_t eventCount) {
    while (m_impl->trace.size() < eventCount && m_impl->step()) {
    }
}

void Simulator::runToEnd() {
    while (m_impl->step()) {
    }
}

void Simulator::userCall(Side side, UserCall call, std::uint32_t bytes) {
    m_impl->call(side, call, bytes);
}

void Simulator::addFault(Fault fault) {
    fault.sentAtOrAfterUs = m_impl->now;
    m_impl->faults.push_back({fault, 0});
}

const Trace& Simulator::trace() const {
    return m_impl->trace;
}

std::int64_t Simulator::nowUs() const {
    return m_impl->now;
}

Trace simulate(const Scenario& scenario) {
    return simulate(scenario, SimulatorOptions{});
}

Trace simulate(const Scenario& scenario, SimulatorOptions options) {
    if (scenario.manyConnections()) {
        HostSimulation hosts = simulateHosts(scenario, options);
        return std::move(hosts.connections.at(hosts.named).trace);
    }
    Simulator sim(scenario, options);
    sim.runToEnd();
    return sim.trace();
}

} // namespace tcpviz
