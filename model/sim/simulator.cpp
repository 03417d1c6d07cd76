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
#include "sim/reaction.h"
#include "tcp/endpoint.h"

#include <algorithm>
#include <array>
#include <string_view>

namespace tcpviz {

namespace {

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
    Scenario scenario;
    SimulatorOptions options;
    std::array<std::optional<Endpoint>, 2> endpoints;
    std::array<std::uint16_t, 2> ports{};
    std::array<TimerSlots, 2> timers;
    EventQueue<Item> queue;
    StepTriggers triggers;
    std::vector<FaultState> faults;
    Trace trace;
    std::int64_t now = 0;
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

        for (const StepTriggers::Due& due : triggers.start(scenario.steps)) {
            pushStep(due);
        }
        for (const Fault& f : scenario.faults) {
            faults.push_back({f, 0});
        }
    }

    void push(std::int64_t timeUs, Item item) { queue.push(timeUs, std::move(item)); }

    void pushStep(const StepTriggers::Due& due) {
        Item item;
        item.kind = ItemKind::Step;
        item.stepIndex = due.step;
        push(due.atUs, item);
    }

    [[nodiscard]] Snapshot current() const { return currentSnapshot(trace, endpoints); }

    void append(TraceEvent e, const Snapshot& snap) {
        appendEvent(trace, scenario, std::move(e), snap, now);
    }

    [[nodiscard]] std::int64_t latency(Side from) const {
        return from == Side::Client ? scenario.network.clientToServerUs
                                    : scenario.network.serverToClientUs;
    }

    /// What recordReaction() records into: this simulation's one connection.
    class Recorder final : public ConnectionRecorder {
    public:
        explicit Recorder(Impl& sim)
            : m_sim(sim) {}
        [[nodiscard]] Snapshot current() const override { return m_sim.current(); }
        void record(TraceEvent e, const Snapshot& snap) override {
            m_sim.append(std::move(e), snap);
        }
        void send(TraceEvent e, const Snapshot& snap) override {
            m_sim.transmit(std::move(e), snap);
        }
        void entered(Side side, State state) override { m_sim.entered(side, state); }
        [[nodiscard]] std::int64_t nowUs() const override { return m_sim.now; }

    private:
        Impl& m_sim;
    };

    /// Runs `work` on the endpoint of `side` and records `lead` (the Call,
    /// Arrive or Timer that caused it) followed by what the endpoint did
    /// (recordReaction()).
    template <typename Work> void drive(Side side, TraceEvent lead, Work&& work) {
        Recorder rec(*this);
        react(rec, *endpoints.at(at(side)), side, std::move(lead), std::forward<Work>(work));
        syncTimers(side);
    }

    /// A state was entered: start the steps waiting for it (each step runs once).
    void entered(Side side, State state) {
        for (const StepTriggers::Due& due : triggers.entered(scenario.steps, side, state, now)) {
            pushStep(due);
        }
    }

    void syncTimers(Side side) {
        for (const TimerDue& due : timers.at(at(side)).changed(*endpoints.at(at(side)))) {
            Item item;
            item.kind = ItemKind::Timer;
            item.side = side;
            item.timer = due.kind;
            push(due.atUs, item);
        }
    }

    /// A segment leaves `from`: the network applies the faults and schedules
    /// its arrival or its loss (and its copies' arrivals).
    void transmit(TraceEvent sent, const Snapshot& snap) {
        const Side from = sent.endpoint;
        for (Transit& t : network(std::move(sent), now, latency(from), &faults, nextSegmentId)) {
            Item item;
            item.kind = t.lost ? ItemKind::Lose : ItemKind::Deliver;
            item.side = t.at;
            item.segment = t.send.segment;
            item.segmentId = t.send.segmentId;
            item.duplicate = t.send.duplicate;
            append(std::move(t.send), snap);
            push(t.atUs, item);
        }
    }

    void deliver(Side to, const Segment& seg, std::uint32_t segmentId, bool duplicate,
                 bool injected) {
        TraceEvent a = arriveEvent(to, seg, segmentId, duplicate, injected);
        if (!endpoints.at(at(to))) {
            // A scripted endpoint has no TCP: it takes the segment and says nothing.
            append(std::move(a), current());
            return;
        }
        drive(to, std::move(a), [&](Endpoint& ep) { ep.segmentArrives(seg, now); });
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
        TraceEvent e = injectedSend(spec, ports.at(at(peer(spec.to))), ports.at(at(spec.to)), step,
                                    nextSegmentId++, now);
        const Segment seg = e.segment;
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
        case ItemKind::Lose:
            append(dropEvent(item.side, item.segment, item.segmentId), current());
            return true;
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
        while (const std::optional<Item> item = queue.next(options.timeLimitUs)) {
            const std::int64_t before = now;
            now = std::max(now, item->timeUs);
            if (handle(*item)) {
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
