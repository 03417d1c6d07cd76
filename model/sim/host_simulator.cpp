// The host simulator is the single-connection simulator's event loop with one
// Trace per connection and a listener in the middle: the server end of every
// connection is an Endpoint of its own (a request socket, then the accepted
// connection), and the listener's queues decide, outside the endpoints, what
// happens to a SYN or a handshake's final ACK (listen_queues.h).
//
// Segments are routed by connection, not by port: two clients behind different
// addresses may use the same port, and an old duplicate of a reused 4-tuple is
// outside what this model shows.
#include "sim/host_simulator.h"

#include "sim/port_allocator.h"
#include "sim/reaction.h"
#include "tcp/endpoint.h"

#include <algorithm>
#include <deque>
#include <map>
#include <string_view>
#include <unordered_map>

namespace tcpviz {

namespace {

// tcp_twsk_unique(): the new connection's write_seq starts this far above the
// TIME-WAIT socket's SND.NXT.
constexpr std::uint32_t kTwReuseIsnGap = 65535 + 2;
// The listen() backlog of a server that gives none: SOMAXCONN (4096 since 5.4).
constexpr std::uint32_t kDefaultBacklog = 4096;

std::size_t at(Side s) {
    return static_cast<std::size_t>(s);
}

struct Fnv {
    std::uint32_t h = 2166136261U;
    Fnv& mix(std::string_view text) {
        for (const char c : text) {
            h ^= static_cast<unsigned char>(c);
            h *= 16777619U;
        }
        return *this;
    }
    Fnv& mix(std::uint32_t v) {
        for (int i = 0; i < 4; ++i) {
            h ^= (v >> (8 * i)) & 0xFFU;
            h *= 16777619U;
        }
        return *this;
    }
};

/// `base` + n, counted in the address's last 32 bits (a CIDR's n-th address).
IpAddress nthAddress(const IpAddress& base, std::uint32_t n) {
    IpAddress out = base;
    const std::size_t first = base.v6 ? 12 : 0;
    std::uint32_t v = 0;
    for (std::size_t i = 0; i < 4; ++i) {
        v = (v << 8) | base.bytes.at(first + i);
    }
    v += n;
    for (std::size_t i = 0; i < 4; ++i) {
        out.bytes.at(first + 3 - i) = static_cast<std::uint8_t>(v >> (8 * i));
    }
    return out;
}

bool isLoopback(const IpAddress& ip) {
    if (!ip.v6) {
        return ip.bytes[0] == 127;
    }
    for (std::size_t i = 0; i < 15; ++i) {
        if (ip.bytes.at(i) != 0) {
            return false;
        }
    }
    return ip.bytes[15] == 1;
}

std::string_view synVerdictNote(SynVerdict v, int syncookies) {
    switch (v) {
    case SynVerdict::Queue:
        return {};
    case SynVerdict::Cookie:
        return syncookies == 2 ? "tcp_syncookies = 2: answered with a SYN cookie, no state kept"
                               : "SYN queue full: answered with a SYN cookie, no state kept";
    case SynVerdict::DropSynQueueFull:
        return "SYN queue full and tcp_syncookies = 0: SYN dropped";
    case SynVerdict::DropAcceptQueueFull:
        return "accept queue full: SYN dropped";
    case SynVerdict::DropMaxSynBacklog:
        return "tcp_syncookies = 0 and the SYN queue past 3/4 of tcp_max_syn_backlog: "
               "SYN dropped";
    }
    return {};
}

} // namespace

namespace {

class HostSim {
public:
    HostSim(const Scenario& sc, SimulatorOptions opts)
        : m_sc(sc)
        , m_options(opts) {
        m_server = sc.server.address.value_or(defaultAddress(Side::Server));
        std::size_t total = 1;
        for (const LoadSpec& l : sc.load) {
            total += l.count;
        }
        m_conns.reserve(total);
        m_result.connections.reserve(total);
        makeNamed();
        for (const StepTriggers::Due& due : m_triggers.start(sc.steps)) {
            pushStep(due);
        }
        for (std::size_t l = 0; l < sc.load.size(); ++l) {
            const LoadSpec& spec = sc.load[l];
            for (std::uint32_t k = 0; k < spec.count; ++k) {
                Item item;
                item.kind = ItemKind::Start;
                item.index = l;
                item.k = k;
                const std::int64_t offset =
                    spec.rate > 0
                        ? static_cast<std::int64_t>(static_cast<double>(k) * 1e6 / spec.rate)
                        : 0;
                push(spec.atUs + offset, item);
            }
        }
        for (const Fault& f : sc.faults) {
            m_faults.push_back({f, 0});
        }
    }

    HostSimulation run(const std::vector<HostIntervention>& interventions = {}) {
        std::size_t next = 0;
        const auto intervene = [&] {
            bool any = false;
            while (next < interventions.size() &&
                   m_conns[m_result.named].out.trace.size() >= interventions[next].position) {
                apply(interventions[next]);
                ++next;
                any = true;
            }
            if (any) {
                noteCounts();
            }
        };
        intervene();
        while (const std::optional<Item> item = m_queue.next(m_options.timeLimitUs)) {
            const std::int64_t before = m_now;
            m_now = std::max(m_now, item->timeUs);
            if (!handle(*item)) {
                m_now = before;
                continue;
            }
            noteCounts();
            intervene();
        }

        for (Conn& c : m_conns) {
            m_result.connections.push_back(std::move(c.out));
        }
        return std::move(m_result);
    }

private:
    /// A what-if on the named connection, now.
    void apply(const HostIntervention& iv) {
        const auto named = static_cast<std::uint32_t>(m_result.named);
        m_result.intervenedAt.push_back(m_conns[named].out.trace.size());
        if (iv.call) {
            call(named, iv.side, *iv.call, iv.bytes);
            return;
        }
        Fault f = iv.fault;
        f.sentAtOrAfterUs = m_now;
        m_faults.push_back({f, 0});
    }

    enum class ItemKind : std::uint8_t {
        Step,
        Start,
        Deliver,
        Lose,
        Timer,
        ClientAct,
        Accept,
        AppClose
    };
    struct Item {
        std::int64_t timeUs = 0;
        std::uint64_t order = 0;
        ItemKind kind = ItemKind::Step;
        std::uint32_t conn = 0;
        std::size_t index = 0; ///< Step: step index; Start: load entry
        std::uint32_t k = 0;   ///< Start: the client's number within its entry
        Side side = Side::Client;
        Segment segment;
        std::uint32_t segmentId = 0;
        bool duplicate = false;
        TimerKind timer = TimerKind::Retransmission;
    };
    struct Conn {
        HostConnection out;
        std::array<std::optional<Endpoint>, 2> ep;
        std::array<TimerSlots, 2> timers;
        std::array<std::optional<State>, 2> counted;
        std::uint32_t host = 0;
        std::uint32_t bytes = 0;
        std::uint32_t cookieIss = 0;
        bool cookieSent = false;
        bool inSynQueue = false;
        bool young = false;       ///< a request whose SYN,ACK has not been retransmitted yet
        bool established = false; ///< the server end got past SYN-RECEIVED
        bool accepted = false;
        bool clientActed = false;
    };
    struct Host {
        PortAllocator ports;
        std::unordered_map<std::uint16_t, std::uint32_t> holder; ///< port -> connection
    };

    // ------------------------------------------------------------ setup

    [[nodiscard]] EndpointConfig config(Side side, std::uint32_t iss, std::uint16_t localPort,
                                        std::uint16_t remotePort) const {
        EndpointConfig cfg;
        cfg.profile = m_sc.profile;
        cfg.timers = m_sc.timers;
        cfg.iss = iss;
        cfg.localPort = localPort;
        cfg.remotePort = remotePort;
        const EndpointSpec& spec = side == Side::Client ? m_sc.client : m_sc.server;
        cfg.window = spec.window.value_or(cfg.window);
        cfg.delaysAcks = spec.delaysAcks;
        cfg.quickAck = spec.quickAck;
        cfg.readsData = spec.reads;
        // A server end is one connection of the listener, never the listener.
        cfg.requestSocket = side == Side::Server;
        return cfg;
    }

    /// A new connection's server end: a copy of the listener while there is one
    /// (LISTEN), else a socket-less CLOSED end that answers RST.
    Endpoint serverEnd(std::uint32_t iss, std::uint16_t clientPort) const {
        Endpoint srv(config(Side::Server, iss, m_server.port, clientPort));
        if (m_listenerOpen) {
            (void)srv.open(false, m_now);
            (void)srv.takeEvents();
        }
        return srv;
    }

    void initTrace(Conn& c, const SocketAddress& client, std::uint32_t clientIsn,
                   std::uint32_t serverIsn) {
        Snapshot initial;
        for (const Side side : {Side::Client, Side::Server}) {
            if (c.ep.at(at(side))) {
                initial.of(side) = c.ep.at(at(side))->tcb();
            }
        }
        if (!c.ep[0]) {
            initial.of(Side::Client).iss = clientIsn;
        }
        Trace& t = c.out.trace;
        t.setInitial(initial);
        t.meta.scenarioId = m_sc.id;
        t.meta.title = m_sc.title;
        t.meta.profile = std::string(profileName(m_sc.profile));
        t.meta.client = {client, clientIsn};
        t.meta.server = {m_server, serverIsn};
    }

    void makeNamed() {
        Conn c;
        const SocketAddress client = m_sc.client.address.value_or(defaultAddress(Side::Client));
        const std::uint32_t cIsn =
            m_sc.client.isn.value_or(Fnv{}.mix(m_sc.id).mix(":").mix("client").h);
        const std::uint32_t sIsn =
            m_sc.server.isn.value_or(Fnv{}.mix(m_sc.id).mix(":").mix("server").h);
        EndpointConfig cc = config(Side::Client, cIsn, client.port, m_server.port);
        cc.laterIss = m_sc.client.laterIsns;
        c.ep[0].emplace(cc);
        EndpointConfig sc = config(Side::Server, sIsn, m_server.port, client.port);
        sc.laterIss = m_sc.server.laterIsns;
        c.ep[1].emplace(sc);
        initTrace(c, client, cIsn, sIsn);
        m_conns.push_back(std::move(c));
    }

    void push(std::int64_t timeUs, Item item) { m_queue.push(timeUs, std::move(item)); }

    // ------------------------------------------------------------ recording

    void pushStep(const StepTriggers::Due& due) {
        Item item;
        item.kind = ItemKind::Step;
        item.index = due.step;
        push(due.atUs, item);
    }

    [[nodiscard]] Snapshot current(const Conn& c) const {
        return currentSnapshot(c.out.trace, c.ep);
    }

    void append(Conn& c, TraceEvent e, const Snapshot& snap) {
        appendEvent(c.out.trace, m_sc, std::move(e), snap, m_now);
    }

    /// What recordReaction() records into: connection `ci`.
    class Recorder final : public ConnectionRecorder {
    public:
        Recorder(HostSim& sim, std::uint32_t ci)
            : m_sim(sim)
            , m_ci(ci) {}
        [[nodiscard]] Snapshot current() const override {
            return m_sim.current(m_sim.m_conns[m_ci]);
        }
        void record(TraceEvent e, const Snapshot& snap) override {
            m_sim.append(m_sim.m_conns[m_ci], std::move(e), snap);
        }
        void send(TraceEvent e, const Snapshot& snap) override {
            m_sim.send(m_ci, std::move(e), snap);
        }
        void entered(Side side, State state) override { m_sim.entered(m_ci, side, state); }
        [[nodiscard]] std::int64_t nowUs() const override { return m_sim.m_now; }

    private:
        HostSim& m_sim;
        std::uint32_t m_ci;
    };

    /// Runs `work` on one end of connection `ci` and records `lead` (when given)
    /// and what the end did, as the single-connection simulator does.
    template <typename Work>
    void drive(std::uint32_t ci, Side side, std::optional<TraceEvent> lead, Work&& work) {
        Recorder rec(*this, ci);
        react(rec, *m_conns[ci].ep.at(at(side)), side, std::move(lead), std::forward<Work>(work));
        if (side == Side::Server) {
            updateQueues(ci);
        }
        recount(ci, side);
        syncTimers(ci, side);
    }

    void entered(std::uint32_t ci, Side side, State state) {
        Conn& c = m_conns[ci];
        if (ci == m_result.named) {
            for (const StepTriggers::Due& due :
                 m_triggers.entered(m_sc.steps, side, state, m_now)) {
                pushStep(due);
            }
        }
        if (side == Side::Client && state == State::Established && c.out.load && !c.clientActed) {
            c.clientActed = true;
            Item item;
            item.kind = ItemKind::ClientAct;
            item.conn = ci;
            push(m_now, item);
        }
        if (side == Side::Server && state == State::CloseWait && c.accepted &&
            m_sc.app.close == AppSpec::Close::OnEof) {
            Item item;
            item.kind = ItemKind::AppClose;
            item.conn = ci;
            item.side = Side::Server;
            push(m_now, item);
        }
        if (side == Side::Client && state == State::CloseWait && c.out.load &&
            c.out.behaviour == LoadBehaviour::ConnectHold) {
            // A holding client closes only when the server has closed (EOF).
            Item item;
            item.kind = ItemKind::AppClose;
            item.conn = ci;
            item.side = Side::Client;
            push(m_now, item);
        }
    }

    void syncTimers(std::uint32_t ci, Side side) {
        Conn& c = m_conns[ci];
        for (const TimerDue& due : c.timers.at(at(side)).changed(*c.ep.at(at(side)))) {
            Item item;
            item.kind = ItemKind::Timer;
            item.conn = ci;
            item.side = side;
            item.timer = due.kind;
            push(due.atUs, item);
        }
    }

    [[nodiscard]] std::int64_t latency(Side from) const {
        return from == Side::Client ? m_sc.network.clientToServerUs : m_sc.network.serverToClientUs;
    }

    /// A segment leaves one end of connection `ci`; faults apply to the named
    /// connection only.
    void send(std::uint32_t ci, TraceEvent e, const Snapshot& snap) {
        const Side from = e.endpoint;
        std::vector<FaultState>* faults = ci == m_result.named ? &m_faults : nullptr;
        for (Transit& t : network(std::move(e), m_now, latency(from), faults, m_nextSegmentId)) {
            Item item;
            item.kind = t.lost ? ItemKind::Lose : ItemKind::Deliver;
            item.conn = ci;
            item.side = t.at;
            item.segment = t.send.segment;
            item.segmentId = t.send.segmentId;
            item.duplicate = t.send.duplicate;
            append(m_conns[ci], std::move(t.send), snap);
            push(t.atUs, item);
        }
    }

    // ------------------------------------------------------------ counting

    [[nodiscard]] static std::optional<State> countable(const Conn& c, Side side) {
        const auto& ep = c.ep.at(at(side));
        if (!ep) {
            return std::nullopt;
        }
        const State s = ep->state();
        if (s == State::Closed || (side == Side::Server && s == State::Listen)) {
            return std::nullopt;
        }
        return s;
    }

    void recount(std::uint32_t ci, Side side) {
        Conn& c = m_conns[ci];
        const auto now = countable(c, side);
        auto& was = c.counted.at(at(side));
        if (now == was) {
            return;
        }
        auto& counts = side == Side::Client ? m_counts.client : m_counts.server;
        if (was) {
            --counts.at(index(*was));
        }
        if (now) {
            ++counts.at(index(*now));
        }
        was = now;
    }

    void noteCounts() {
        StateCounts snap = m_counts;
        snap.timeUs = m_now;
        if (m_listenerOpen) {
            ++snap.server.at(index(State::Listen));
        }
        auto& out = m_result.counts;
        if (!out.empty() && out.back().client == snap.client && out.back().server == snap.server) {
            return;
        }
        if (!out.empty() && out.back().timeUs == m_now) {
            out.back() = snap;
        } else {
            out.push_back(snap);
        }
        // Equal to the entry before after all (a change undone at the same instant).
        if (out.size() >= 2 && out[out.size() - 2].client == out.back().client &&
            out[out.size() - 2].server == out.back().server) {
            out.pop_back();
        }
    }

    // ------------------------------------------------------------ the listener

    void updateQueues(std::uint32_t ci) {
        Conn& c = m_conns[ci];
        const Endpoint& srv = *c.ep[1];
        const State s = srv.state();
        const bool request = s == State::SynReceived && srv.tcb().passiveOpen;
        if (request != c.inSynQueue) {
            c.inSynQueue = request;
            if (c.young) {
                c.young = false;
                --m_young;
            }
            if (request) {
                c.young = true;
                ++m_young;
                ++m_queues.synQueue;
                ++m_result.stats.requestsQueued;
                m_result.stats.maxSynQueue =
                    std::max(m_result.stats.maxSynQueue, m_queues.synQueue);
            } else {
                --m_queues.synQueue;
            }
        }
        const bool past = s != State::Closed && s != State::Listen && s != State::SynSent &&
                          s != State::SynReceived;
        if (past && !c.established) {
            c.established = true;
            m_acceptQueue.push_back(ci);
            ++m_queues.acceptQueue;
            m_result.stats.maxAcceptQueue =
                std::max(m_result.stats.maxAcceptQueue, m_queues.acceptQueue);
            scheduleAccept();
        }
    }

    void scheduleAccept() {
        if (m_acceptPending || m_acceptQueue.empty() || m_sc.app.accept == AppSpec::Accept::Never) {
            return;
        }
        m_acceptPending = true;
        Item item;
        item.kind = ItemKind::Accept;
        std::int64_t when = m_now;
        if (m_sc.app.accept == AppSpec::Accept::Every && m_lastAcceptUs) {
            when = std::max(when, *m_lastAcceptUs + m_sc.app.acceptEveryUs);
        }
        push(when, item);
    }

    void acceptOne() {
        m_acceptPending = false;
        if (m_acceptQueue.empty()) {
            return;
        }
        const std::uint32_t ci = m_acceptQueue.front();
        m_acceptQueue.pop_front();
        --m_queues.acceptQueue;
        m_lastAcceptUs = m_now;
        Conn& c = m_conns[ci];
        c.accepted = true;
        c.out.acceptedUs = m_now;
        ++m_result.stats.accepted;
        Item close;
        close.kind = ItemKind::AppClose;
        close.conn = ci;
        close.side = Side::Server;
        if (m_sc.app.close == AppSpec::Close::OnEof && c.ep[1]->state() == State::CloseWait) {
            push(m_now, close);
        } else if (m_sc.app.close == AppSpec::Close::After) {
            push(m_now + m_sc.app.closeAfterUs, close);
        }
        scheduleAccept();
    }

    /// reqsk_timer_handler(): when the SYN queue is more than half full
    /// (`2 * qlen > max(8, backlog)`), old requests (whose SYN,ACK was already
    /// retransmitted) get fewer retries, down to 2, the fewer young ones there are:
    /// "reserve half of room for young embrions; and abort old ones without pity".
    /// In a flood, where nothing is young after a second, a request lives 1 + 2 + 4
    /// = 7 s whatever tcp_synack_retries says (when it says more than 2).
    [[nodiscard]] int synAckRetriesNow() const {
        int retries = m_sc.timers.synackRetries;
        const std::uint32_t qlen = m_queues.synQueue;
        if ((qlen << 1U) > std::max<std::uint32_t>(8, m_queues.maxAckBacklog)) {
            std::uint64_t young = static_cast<std::uint64_t>(m_young) << 1U;
            while (retries > 2) {
                if (qlen < young) {
                    break;
                }
                --retries;
                young <<= 1U;
            }
        }
        return retries;
    }

    /// Would this segment complete the handshake of SYN-RECEIVED end `srv`? As in
    /// tcp_check_req(), any ACK of the SYN,ACK does (the final ACK, data, or the
    /// ACK answering a retransmitted SYN,ACK), wherever its sequence number lies.
    [[nodiscard]] static bool completes(const Endpoint& srv, const Segment& seg) {
        return seg.has(flag::ACK) && !seg.has(flag::SYN) && !seg.has(flag::RST) &&
               seg.ack == srv.tcb().sndNxt;
    }

    [[nodiscard]] std::uint32_t cookieOf(const Conn& c) const {
        const TraceMeta& m = c.out.trace.meta;
        return Fnv{}
            .mix("cookie")
            .mix(m.client.address.toString())
            .mix(m.client.address.port)
            .mix(m_sc.id)
            .h;
    }

    void toServer(std::uint32_t ci, const Segment& seg, std::uint32_t segmentId, bool duplicate,
                  bool injected) {
        Conn& c = m_conns[ci];
        TraceEvent a = arriveEvent(Side::Server, seg, segmentId, duplicate, injected);
        Endpoint& srv = *c.ep[1];
        const State s = srv.state();
        if (s != State::Closed && s != State::Listen) {
            if (s == State::SynReceived && srv.tcb().passiveOpen && completes(srv, seg)) {
                switch (finalAckVerdict(m_queues, m_sc.sysctls)) {
                case FinalAckVerdict::Accept:
                    break;
                case FinalAckVerdict::Ignore:
                    ++m_result.stats.finalAcksIgnored;
                    a.note = "accept queue full (tcp_abort_on_overflow = 0): ACK ignored, "
                             "the request stays in SYN-RECEIVED";
                    append(c, std::move(a), current(c));
                    return;
                case FinalAckVerdict::Reset:
                    ++m_result.stats.finalAcksReset;
                    drive(ci, Side::Server, std::move(a),
                          [&](Endpoint& ep) { ep.resetOnOverflow(seg, m_now); });
                    return;
                }
            }
            drive(ci, Side::Server, std::move(a),
                  [&](Endpoint& ep) { ep.segmentArrives(seg, m_now); });
            return;
        }
        // No socket of this connection: the listener's business, or nobody's.
        if (!m_listenerOpen) {
            if (s == State::Listen) {
                // The listener closed while this end was only its copy.
                drive(ci, Side::Server, std::nullopt, [&](Endpoint& ep) { (void)ep.close(m_now); });
            }
            drive(ci, Side::Server, std::move(a),
                  [&](Endpoint& ep) { ep.segmentArrives(seg, m_now); });
            return;
        }
        const bool syn = seg.has(flag::SYN) && !seg.has(flag::ACK) && !seg.has(flag::RST);
        if (s == State::Closed) {
            if (!syn) {
                // The listener answers anything but a SYN as a closed end does (an
                // ACK with a RST, a RST with nothing); no new request socket.
                drive(ci, Side::Server, std::move(a),
                      [&](Endpoint& ep) { ep.segmentArrives(seg, m_now); });
                return;
            }
            drive(ci, Side::Server, std::nullopt,
                  [&](Endpoint& ep) { (void)ep.open(false, m_now); });
        }
        if (syn) {
            ++m_result.stats.synsReceived;
            const SynVerdict v = synVerdict(m_queues, m_sc.sysctls);
            switch (v) {
            case SynVerdict::Queue:
                drive(ci, Side::Server, std::move(a),
                      [&](Endpoint& ep) { ep.segmentArrives(seg, m_now); });
                return;
            case SynVerdict::Cookie:
                sendCookie(ci, seg, std::move(a));
                return;
            case SynVerdict::DropSynQueueFull:
                ++m_result.stats.synDroppedSynQueueFull;
                break;
            case SynVerdict::DropAcceptQueueFull:
                ++m_result.stats.synDroppedAcceptQueueFull;
                break;
            case SynVerdict::DropMaxSynBacklog:
                ++m_result.stats.synDroppedMaxSynBacklog;
                break;
            }
            a.note = std::string(synVerdictNote(v, m_sc.sysctls.tcpSyncookies));
            append(c, std::move(a), current(c));
            return;
        }
        const bool pureAck = seg.has(flag::ACK) && !seg.has(flag::SYN) && !seg.has(flag::RST);
        if (pureAck && m_sc.sysctls.tcpSyncookies != 0 && c.cookieSent &&
            seg.ack - 1 == c.cookieIss) {
            if (m_queues.acceptQueueFull()) {
                ++m_result.stats.finalAcksIgnored;
                a.note = "valid SYN cookie, but the accept queue is full: ACK dropped";
                append(c, std::move(a), current(c));
                return;
            }
            ++m_result.stats.cookiesAccepted;
            c.out.cookie = true;
            const std::uint32_t iss = c.cookieIss;
            drive(ci, Side::Server, std::move(a),
                  [&](Endpoint& ep) { ep.acceptCookie(seg, iss, m_now); });
            return;
        }
        drive(ci, Side::Server, std::move(a), [&](Endpoint& ep) { ep.segmentArrives(seg, m_now); });
    }

    /// tcp_conn_request() with want_cookie: the SYN,ACK's ISN is the cookie, and
    /// the listener forgets the SYN.
    void sendCookie(std::uint32_t ci, const Segment& syn, TraceEvent arrive) {
        Conn& c = m_conns[ci];
        ++m_result.stats.cookiesSent;
        arrive.note = std::string(synVerdictNote(SynVerdict::Cookie, m_sc.sysctls.tcpSyncookies));
        append(c, std::move(arrive), current(c));
        c.cookieIss = cookieOf(c);
        c.cookieSent = true;
        Segment s;
        s.srcPort = m_server.port;
        s.dstPort = syn.srcPort;
        s.seq = c.cookieIss;
        s.ack = syn.seq + 1;
        s.flags = flag::SYN | flag::ACK;
        s.window = c.ep[1]->config().window;
        // The cookie keeps the largest of 536, 1300, 1440, 1460 not above the peer's MSS.
        const std::uint16_t peerMss = syn.options.mss.value_or(536);
        std::uint16_t mss = 536;
        for (const std::uint16_t m : {1300, 1440, 1460}) {
            if (m <= peerMss) {
                mss = m;
            }
        }
        s.options.mss = mss;
        TraceEvent e;
        e.kind = EventKind::Send;
        e.endpoint = Side::Server;
        e.segment = s;
        e.reason = SendReason::Handshake;
        e.note = "SYN cookie: the ISN encodes the connection; nothing is kept, nothing "
                 "retransmitted";
        send(ci, std::move(e), current(c));
    }

    // ------------------------------------------------------------ clients

    std::uint32_t hostIndex(const IpAddress& ip) {
        const auto it = m_hostIds.find(ip.bytes);
        if (it != m_hostIds.end()) {
            return it->second;
        }
        const auto id = static_cast<std::uint32_t>(m_hosts.size());
        m_hosts.push_back(Host{PortAllocator(m_sc.sysctls.portLow, m_sc.sysctls.portHigh), {}});
        m_hostIds.emplace(ip.bytes, id);
        return id;
    }

    [[nodiscard]] bool timeWaitReusable(const Conn& holder) const {
        const Sysctls& s = m_sc.sysctls;
        const bool enabled = s.tcpTwReuse == 1 || (s.tcpTwReuse == 2 && isLoopback(m_server.ip));
        const Tcb& t = holder.ep[0]->tcb();
        return enabled && s.tcpTimestamps && t.timeWaitStartUs &&
               m_now > *t.timeWaitStartUs + s.tcpTwReuseDelayUs;
    }

    [[nodiscard]] PortUse portUse(const Host& host, std::uint16_t port) const {
        const auto it = host.holder.find(port);
        if (it == host.holder.end()) {
            return PortUse::Free;
        }
        const Conn& h = m_conns[it->second];
        const State s = h.ep[0]->state();
        if (s == State::Closed) {
            return PortUse::Free;
        }
        if (s == State::TimeWait && timeWaitReusable(h)) {
            return PortUse::TimeWaitReusable;
        }
        return PortUse::Busy;
    }

    void start(std::size_t loadIndex, std::uint32_t k) {
        const LoadSpec& spec = m_sc.load.at(loadIndex);
        const auto ci = static_cast<std::uint32_t>(m_conns.size());
        m_conns.emplace_back();
        Conn& c = m_conns.back();
        c.out.load = loadIndex;
        c.out.behaviour = spec.behaviour;
        c.bytes = spec.bytes;
        const IpAddress ip = nthAddress(spec.base, k % std::max<std::uint32_t>(spec.hosts, 1));
        const std::uint32_t cIsn = Fnv{}.mix(m_sc.id).mix(ci).mix("client").h;
        const std::uint32_t sIsn = Fnv{}.mix(m_sc.id).mix(ci).mix("server").h;

        if (spec.behaviour == LoadBehaviour::SynOnly) {
            c.out.spoofed = true;
            const auto port = static_cast<std::uint16_t>(1024 + Fnv{}.mix(ci).h % 64000);
            c.ep[1].emplace(serverEnd(sIsn, port));
            initTrace(c, {ip, port}, cIsn, sIsn);
            Segment syn;
            syn.srcPort = port;
            syn.dstPort = m_server.port;
            syn.seq = cIsn;
            syn.flags = flag::SYN;
            syn.window = 65535;
            syn.options.mss = 1460;
            TraceEvent e;
            e.kind = EventKind::Send;
            e.endpoint = Side::Client;
            e.segment = syn;
            e.injected = true;
            e.reason = SendReason::Injected;
            e.note = "SYN from a forged source address";
            send(ci, std::move(e), current(c));
            return;
        }

        c.host = hostIndex(ip);
        Host& host = m_hosts[c.host];
        std::optional<std::uint32_t> reusedFrom;
        const auto port = host.ports.allocate([&](std::uint16_t p) {
            const PortUse use = portUse(host, p);
            if (use == PortUse::TimeWaitReusable) {
                reusedFrom = host.holder.at(p);
            }
            return use;
        });
        std::uint32_t iss = cIsn;
        if (port && reusedFrom) {
            const Conn& old = m_conns[*reusedFrom];
            iss = old.ep[0]->tcb().sndNxt + kTwReuseIsnGap;
        }
        c.ep[0].emplace(config(Side::Client, iss, port.value_or(0), m_server.port));
        c.ep[1].emplace(serverEnd(sIsn, port.value_or(0)));
        initTrace(c, {ip, port.value_or(0)}, iss, sIsn);
        TraceEvent call;
        call.kind = EventKind::Call;
        call.endpoint = Side::Client;
        call.call = UserCall::Connect;
        if (!port) {
            ++m_result.stats.connectFailures;
            c.out.connectError = "EADDRNOTAVAIL: no local port free in ip_local_port_range " +
                                 std::to_string(m_sc.sysctls.portLow) + "-" +
                                 std::to_string(m_sc.sysctls.portHigh) + " towards " +
                                 m_server.toString();
            call.callError = c.out.connectError;
            append(c, std::move(call), current(c));
            return;
        }
        if (reusedFrom) {
            ++m_result.stats.timeWaitReused;
            c.out.reusedTimeWait = true;
            drive(*reusedFrom, Side::Client, std::nullopt, [&](Endpoint& ep) {
                ep.killTimeWait(m_now, "tcp_tw_reuse: port " + std::to_string(*port) +
                                           " taken by a new connection");
            });
        }
        host.holder[*port] = ci;
        drive(ci, Side::Client, std::move(call), [&](Endpoint& ep) { (void)ep.open(true, m_now); });
    }

    // ------------------------------------------------------------ calls

    /// A user call on one end of a connection, recorded as the single simulator
    /// records it (the error, if any, on the Call itself).
    void call(std::uint32_t ci, Side side, UserCall uc, std::uint32_t bytes,
              std::optional<std::uint32_t> step = {}) {
        Conn& c = m_conns[ci];
        TraceEvent e;
        e.kind = EventKind::Call;
        e.endpoint = side;
        e.call = uc;
        e.bytes = bytes;
        e.step = step;
        Endpoint probe = *c.ep.at(at(side));
        if (const Status called = invoke(probe, uc, bytes); !called) {
            e.callError = called.error().message;
            append(c, std::move(e), current(c));
            return;
        }
        drive(ci, side, std::move(e), [&](Endpoint& ep) { (void)invoke(ep, uc, bytes); });
    }

    Status invoke(Endpoint& ep, UserCall c, std::uint32_t bytes) const {
        switch (c) {
        case UserCall::Listen:
            return ep.open(false, m_now);
        case UserCall::Connect:
            return ep.open(true, m_now);
        case UserCall::Send:
            return ep.send(bytes, m_now);
        case UserCall::Close:
            return ep.close(m_now);
        case UserCall::Shutdown:
            return ep.shutdown(m_now);
        case UserCall::Abort:
            return ep.abort(m_now);
        default:
            return callEndpoint(ep, c, bytes, m_now);
        }
    }

    /// bind() + listen() of the server process.
    void listen(std::optional<std::uint32_t> step) {
        Conn& named = m_conns[m_result.named];
        TraceEvent e;
        e.kind = EventKind::Call;
        e.endpoint = Side::Server;
        e.call = UserCall::Listen;
        e.step = step;
        if (m_listenerOpen) {
            e.callError = callerror::kAlreadyExists;
            append(named, std::move(e), current(named));
            return;
        }
        std::uint32_t timeWait = 0;
        for (const Conn& c : m_conns) {
            timeWait += c.ep[1] && c.ep[1]->state() == State::TimeWait ? 1 : 0;
        }
        if (timeWait > 0 && !m_sc.server.reuseaddr) {
            ++m_result.stats.bindFailures;
            e.callError = "EADDRINUSE: port " + std::to_string(m_server.port) + " is held by " +
                          std::to_string(timeWait) +
                          " connection(s) in TIME-WAIT and SO_REUSEADDR is not set";
            append(named, std::move(e), current(named));
            return;
        }
        m_listenerOpen = true;
        m_queues = {};
        m_young = 0;
        for (Conn& c : m_conns) {
            c.inSynQueue = false;
            c.young = false;
        }
        m_queues.maxAckBacklog =
            maxAckBacklog(m_sc.server.backlog.value_or(kDefaultBacklog), m_sc.sysctls);
        m_acceptQueue.clear();
        if (named.ep[1]->state() == State::Closed) {
            drive(m_result.named, Side::Server, std::move(e),
                  [&](Endpoint& ep) { (void)ep.open(false, m_now); });
        } else {
            append(named, std::move(e), current(named));
        }
    }

    /// The server process closes its listener and every connection it has
    /// (`abort`: with RST); request sockets die with their timers.
    void exitServer(bool abort, std::optional<std::uint32_t> step) {
        const UserCall uc = abort ? UserCall::Abort : UserCall::Close;
        Conn& named = m_conns[m_result.named];
        if (!m_listenerOpen) {
            TraceEvent e;
            e.kind = EventKind::Call;
            e.endpoint = Side::Server;
            e.call = uc;
            e.step = step;
            e.callError = callerror::kDoesNotExist;
            append(named, std::move(e), current(named));
            return;
        }
        m_listenerOpen = false;
        m_acceptQueue.clear();
        m_queues.acceptQueue = 0;
        const std::size_t namedEvents = named.out.trace.size();
        for (std::uint32_t ci = 0; ci < m_conns.size(); ++ci) {
            Conn& c = m_conns[ci];
            if (!c.ep[1]) {
                continue;
            }
            const State s = c.ep[1]->state();
            const bool isNamed = ci == m_result.named;
            if (s == State::Listen ||
                (c.established && (s == State::Established || s == State::CloseWait))) {
                if (isNamed || s != State::Listen) {
                    call(ci, Side::Server, uc, 0, isNamed ? step : std::nullopt);
                } else {
                    drive(ci, Side::Server, std::nullopt,
                          [&](Endpoint& ep) { (void)ep.close(m_now); });
                }
            }
        }
        Conn& namedAfter = m_conns[m_result.named];
        if (namedAfter.out.trace.size() == namedEvents) {
            // The named connection's server end had nothing to close: the call is
            // still the process's, recorded where the steps are.
            TraceEvent e;
            e.kind = EventKind::Call;
            e.endpoint = Side::Server;
            e.call = uc;
            e.step = step;
            append(namedAfter, std::move(e), current(namedAfter));
        }
    }

    void runStep(std::size_t index) {
        const Step& step = m_sc.steps.at(index);
        const auto id = static_cast<std::uint32_t>(index);
        const std::uint32_t ci = m_result.named;
        if (step.action == Action::Inject) {
            inject(step.inject, id);
            return;
        }
        if (step.endpoint == Side::Server) {
            switch (step.action) {
            case Action::Listen:
                listen(id);
                return;
            case Action::Close:
                exitServer(false, id);
                return;
            case Action::Abort:
                exitServer(true, id);
                return;
            default:
                break;
            }
        }
        const std::optional<UserCall> uc = userCallOf(step); // the parser allows no newer call here
        if (!uc) {
            return;
        }
        if (*uc == UserCall::Connect && step.endpoint == Side::Client) {
            holdNamedPort();
        }
        call(ci, step.endpoint, *uc, step.bytes, id);
    }

    /// The named client's socket holds its port on its host like any other, so
    /// generated clients from the same address do not take it while it is in use
    /// and tcp_tw_reuse may take it from its TIME-WAIT.
    void holdNamedPort() {
        const TraceMeta& m = m_conns[m_result.named].out.trace.meta;
        m_hosts[hostIndex(m.client.address.ip)].holder[m.client.address.port] = m_result.named;
    }

    void inject(const InjectSpec& spec, std::uint32_t step) {
        const std::uint32_t ci = m_result.named;
        Conn& c = m_conns[ci];
        const TraceMeta& m = c.out.trace.meta;
        const bool fromClient = spec.to == Side::Server;
        TraceEvent e =
            injectedSend(spec, fromClient ? m.client.address.port : m.server.address.port,
                         fromClient ? m.server.address.port : m.client.address.port, step,
                         m_nextSegmentId++, m_now);
        const Segment seg = e.segment;
        const std::uint32_t id = e.segmentId;
        append(c, std::move(e), current(c));
        deliver(ci, spec.to, seg, id, false, true);
    }

    void deliver(std::uint32_t ci, Side to, const Segment& seg, std::uint32_t id, bool duplicate,
                 bool injected) {
        if (to == Side::Server) {
            toServer(ci, seg, id, duplicate, injected);
            return;
        }
        Conn& c = m_conns[ci];
        TraceEvent a = arriveEvent(Side::Client, seg, id, duplicate, injected);
        if (!c.ep[0]) {
            a.note = "nobody at the forged address answers";
            append(c, std::move(a), current(c));
            return;
        }
        drive(ci, Side::Client, std::move(a), [&](Endpoint& ep) { ep.segmentArrives(seg, m_now); });
    }

    void clientAct(std::uint32_t ci) {
        Conn& c = m_conns[ci];
        const State s = c.ep[0]->state();
        if (s != State::Established && s != State::CloseWait) {
            return;
        }
        if (c.bytes > 0) {
            call(ci, Side::Client, UserCall::Send, c.bytes);
        }
        if (c.out.behaviour == LoadBehaviour::ConnectClose) {
            call(ci, Side::Client, UserCall::Close, 0);
        }
    }

    void appClose(std::uint32_t ci, Side side) {
        Conn& c = m_conns[ci];
        const State s = c.ep.at(at(side))->state();
        if (s == State::Established || s == State::CloseWait) {
            call(ci, side, UserCall::Close, 0);
        }
    }

    bool handle(const Item& item) {
        switch (item.kind) {
        case ItemKind::Step:
            runStep(item.index);
            return true;
        case ItemKind::Start:
            start(item.index, item.k);
            return true;
        case ItemKind::Deliver:
            deliver(item.conn, item.side, item.segment, item.segmentId, item.duplicate, false);
            return true;
        case ItemKind::Lose: {
            Conn& c = m_conns[item.conn];
            append(c, dropEvent(item.side, item.segment, item.segmentId), current(c));
            return true;
        }
        case ItemKind::Timer: {
            auto& ep = m_conns[item.conn].ep.at(at(item.side));
            if (!ep || ep->deadline(item.timer) != item.timeUs) {
                return false;
            }
            Conn& c = m_conns[item.conn];
            const bool request = item.side == Side::Server && c.inSynQueue &&
                                 item.timer == TimerKind::Retransmission;
            if (request) {
                ep->setSynAckRetries(synAckRetriesNow());
            }
            TraceEvent e;
            e.kind = EventKind::Timer;
            e.endpoint = item.side;
            e.timer = item.timer;
            drive(item.conn, item.side, std::move(e),
                  [&](Endpoint& target) { (void)target.timerFires(item.timer, m_now); });
            if (request && c.young && c.inSynQueue) {
                c.young = false; // its SYN,ACK has been retransmitted: no longer young
                --m_young;
            }
            return true;
        }
        case ItemKind::ClientAct:
            clientAct(item.conn);
            return true;
        case ItemKind::Accept:
            acceptOne();
            return true;
        case ItemKind::AppClose:
            appClose(item.conn, item.side);
            return true;
        }
        return false;
    }

    const Scenario& m_sc;
    SimulatorOptions m_options;
    SocketAddress m_server;
    std::vector<Conn> m_conns;
    std::vector<Host> m_hosts;
    std::map<std::array<std::uint8_t, 16>, std::uint32_t> m_hostIds;
    EventQueue<Item> m_queue;
    StepTriggers m_triggers;
    std::vector<FaultState> m_faults;
    std::int64_t m_now = 0;
    std::uint32_t m_nextSegmentId = 1;
    bool m_listenerOpen = false;
    ListenQueues m_queues;
    std::uint32_t m_young = 0; ///< requests in the SYN queue still young
    std::deque<std::uint32_t> m_acceptQueue;
    bool m_acceptPending = false;
    std::optional<std::int64_t> m_lastAcceptUs;
    StateCounts m_counts;
    HostSimulation m_result;
};

} // namespace

HostSimulation simulateHosts(const Scenario& scenario, SimulatorOptions options) {
    HostSim sim(scenario, options);
    return sim.run();
}

HostSimulation simulateHosts(const Scenario& scenario, SimulatorOptions options,
                             const std::vector<HostIntervention>& interventions) {
    HostSim sim(scenario, options);
    return sim.run(interventions);
}

} // namespace tcpviz
