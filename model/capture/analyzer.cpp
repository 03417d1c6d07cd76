#include "capture/analyzer.h"

#include <algorithm>

namespace tcpviz {

std::vector<CapturedStateEntry> ConnectionSummary::states(Side s) const {
    std::vector<CapturedStateEntry> out{{tracker.initialState(s), 0, std::nullopt}};
    for (const auto& c : changes) {
        if (c.side == s) {
            out.push_back({c.to, c.packet, c.arc});
        }
    }
    if (summarised && tracker.state(s) != out.back().state) {
        // Detail dropped: still say where the side ended.
        out.push_back({tracker.state(s), lastPacket, std::nullopt});
    }
    return out;
}

Analyzer::Analyzer(AnalyzeOptions options)
    : m_options(std::move(options)) {}

ConnectionSummary& Analyzer::create(const DecodedPacket& p) {
    auto& c = m_connections.emplace_back();
    c.id = m_firstId + static_cast<std::uint32_t>(m_connections.size() - 1);
    c.firstPacket = p.number;
    c.firstTimeNs = p.timeNs;
    c.summarised = m_connections.size() > m_options.detailLimit;
    if (c.summarised) {
        ++m_summarised;
    }
    return c;
}

Analyzer::Added Analyzer::add(const DecodedPacket& p) {
    // Evict before, not after, this packet: the caller may read the connection
    // add() returns until its next call.
    if (m_options.retainFinished > 0 && m_finishedSeen > m_options.retainFinished) {
        evictFinished(p.timeNs);
    }
    Added added;
    const std::uint32_t hash = flowHash(p);
    const auto next = m_firstId + static_cast<std::uint32_t>(m_connections.size());
    const auto slot = m_flows.findOrAdd(hash, next, [this, &p](std::uint32_t id) {
        const PassiveTracker& t = m_connections[id - m_firstId].tracker;
        return (p.src == t.client() && p.dst == t.server()) ||
               (p.src == t.server() && p.dst == t.client());
    });
    ConnectionSummary* c = nullptr;
    if (slot.created) {
        c = &create(p);
        added.newConnection = true;
    } else {
        c = &m_connections[slot.connection - m_firstId];
        if (c->tracker.isNewIncarnation(p)) {
            // Port reuse: the tuple now belongs to a new connection.
            const std::uint32_t old = c->id;
            c = &create(p);
            m_flows.reassign(hash, old, c->id);
            added.newConnection = true;
        }
    }
    added.connection = c->id;
    const bool wasClosed = m_options.retainFinished > 0 && closed(*c);
    added.step = c->tracker.onPacket(p);
    c->capturePoint.onPacket(added.step.sender, p.tcp, p.timeNs);
    c->lastPacket = p.number;
    c->lastTimeNs = p.timeNs;
    if (!c->summarised && added.step.count > 0) {
        if (c->changes.empty()) {
            c->changes.reserve(12); // a full open and close: one allocation per connection
        }
        for (const auto& t : added.step) {
            c->changes.push_back(StateChange{p.timeNs, static_cast<std::uint32_t>(p.number), t.side,
                                             t.from, t.to, t.arc});
        }
    }
    if (m_options.retainFinished > 0) {
        if (!wasClosed && closed(*c)) {
            ++m_finishedSeen;
        } else if (wasClosed && !closed(*c)) {
            --m_finishedSeen; // cannot happen today; keeps the count honest if it does
        }
    }
    return added;
}

bool Analyzer::closed(const ConnectionSummary& c) {
    const auto done = [](State s) { return s == State::Closed || s == State::TimeWait; };
    return done(c.finalState(Side::Client)) && done(c.finalState(Side::Server));
}

bool Analyzer::finished(const ConnectionSummary& c, std::int64_t nowNs) const {
    return closed(c) || nowNs - c.lastTimeNs > m_options.idleTimeoutNs;
}

// Evicts from the front (oldest first) so that ids stay an offset into the deque.
// A long-lived connection at the front holds eviction back until it finishes or
// goes idle; the connections behind it are evicted in order afterwards.
void Analyzer::evictFinished(std::int64_t nowNs) {
    while (!m_connections.empty() && m_finishedSeen > m_options.retainFinished &&
           finished(m_connections.front(), nowNs)) {
        const ConnectionSummary& c = m_connections.front();
        if (closed(c)) {
            --m_finishedSeen;
        }
        m_flows.erase(flowHash(c.client(), c.server()), c.id);
        ++m_evicted.connections;
        m_evicted.packets += c.packets();
        ++m_evicted.finalClient.at(index(c.finalState(Side::Client)));
        ++m_evicted.finalServer.at(index(c.finalState(Side::Server)));
        m_connections.pop_front();
        ++m_firstId;
    }
}

AnalysisResult Analyzer::finish(CaptureInfo info) {
    AnalysisResult r;
    r.info = std::move(info);
    r.connections = std::move(m_connections);
    r.summarisedConnections = m_summarised;
    r.detailLimit = m_options.detailLimit;
    m_connections.clear();
    m_flows = FlowTable{};
    m_summarised = 0;
    return r;
}

Result<AnalysisResult> analyzeCapture(const std::string& path, const AnalyzeOptions& options) {
    Analyzer analyzer(options);
    CaptureInfo info;
    ReadOptions read;
    read.bpfFilter = options.bpfFilter;
    if (Status ok =
            readCapture(path, read, [&analyzer](const DecodedPacket& p) { analyzer.add(p); }, info);
        !ok) {
        return fail(std::move(ok.error()));
    }
    return analyzer.finish(std::move(info));
}

Trace buildConnectionTrace(std::span<const DecodedPacket> packets) {
    PassiveTracker tracker;
    Trace trace;
    if (packets.empty()) {
        return trace;
    }
    const std::int64_t origin = packets.front().timeNs;
    Snapshot current;
    bool first = true;
    for (const auto& p : packets) {
        const TrackerStep step = tracker.onPacket(p);
        if (first) {
            // The tracker decides roles and initial states at the first packet.
            current.of(Side::Client).state = tracker.initialState(Side::Client);
            current.of(Side::Server).state = tracker.initialState(Side::Server);
            first = false;
        }
        // Sequence variables after the packet, states advanced event by event.
        Snapshot after;
        after.of(Side::Client) = tracker.tcb(Side::Client);
        after.of(Side::Server) = tracker.tcb(Side::Server);
        const std::int64_t timeUs = (p.timeNs - origin) / 1000;
        const auto withStates = [&after](const Snapshot& states) {
            Snapshot s = after;
            s.of(Side::Client).state = states.of(Side::Client).state;
            s.of(Side::Server).state = states.of(Side::Server).state;
            return s;
        };
        const auto transition = [&](const TrackerTransition& t) {
            current.of(t.side).state = t.to;
            TraceEvent e = transitionEvent(timeUs, t.side, t.from, t.to, t.arc);
            e.packet = static_cast<std::uint32_t>(p.number);
            trace.append(std::move(e), withStates(current));
        };
        for (const auto& t : step) {
            if (t.bySender) {
                transition(t);
            }
        }
        TraceEvent send;
        send.kind = EventKind::Send;
        send.timeUs = timeUs;
        send.endpoint = step.sender;
        send.segment = p.tcp;
        send.segmentId = static_cast<std::uint32_t>(p.number);
        send.plannedArrivalUs = timeUs;
        send.retransmission = step.retransmission;
        send.packet = static_cast<std::uint32_t>(p.number);
        if (step.ignoredRst) {
            send.note = "RST outside the receiver's window: ignored";
        }
        trace.append(std::move(send), withStates(current));
        for (const auto& t : step) {
            if (!t.bySender) {
                transition(t);
            }
        }
    }
    // Evidence seen later can correct an initial state (a refused SYN: no listener).
    Snapshot initial;
    initial.of(Side::Client).state = tracker.initialState(Side::Client);
    initial.of(Side::Server).state = tracker.initialState(Side::Server);
    initial.of(Side::Client).passiveOpen = false;
    trace.setInitial(initial);

    trace.meta.scenarioId = "capture";
    trace.meta.title.en = tracker.client().toString() + " -> " + tracker.server().toString();
    trace.meta.title.zh = trace.meta.title.en;
    trace.meta.profile = "capture";
    trace.meta.fromCapture = true;
    trace.meta.captureStartNs = origin;
    trace.meta.client = {tracker.client(), tracker.tcb(Side::Client).iss};
    trace.meta.server = {tracker.server(), tracker.tcb(Side::Server).iss};
    return trace;
}

Result<std::vector<DecodedPacket>> collectConnectionPackets(const std::string& path,
                                                            const AnalyzeOptions& options,
                                                            const ConnectionSummary& connection) {
    std::vector<DecodedPacket> packets;
    const SocketAddress client = connection.client();
    const SocketAddress server = connection.server();
    CaptureInfo info;
    ReadOptions read;
    read.bpfFilter = options.bpfFilter;
    Status ok = readCapture(
        path, read,
        [&](const DecodedPacket& p) {
            if (p.number < connection.firstPacket || p.number > connection.lastPacket) {
                return;
            }
            if ((p.src == client && p.dst == server) || (p.src == server && p.dst == client)) {
                packets.push_back(p);
            }
        },
        info);
    if (!ok) {
        return fail(std::move(ok.error()));
    }
    return packets;
}

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
    std::size_t total = 0;
    for (const auto& c : connections) {
        total += 2 + c.changes.size();
    }
    m_deltas.reserve(total);
    bool any = false;
    for (const auto& c : connections) {
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
    SideCounts counts = m_checkpoints.at(cp);
    for (std::size_t i = cp * kCheckpointEvery; i < n; ++i) {
        const Delta& d = m_deltas[i];
        apply(counts, d.from, d.to, d.side);
    }
    return counts;
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
