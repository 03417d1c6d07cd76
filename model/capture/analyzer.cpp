#include "capture/analyzer.h"

#include "capture/pipelined_reader.h"

#include <algorithm>

namespace tcpviz {

std::vector<CapturedStateEntry> ConnectionSummary::states(Side s) const {
    std::vector<CapturedStateEntry> out{{initialState(s), 0, std::nullopt}};
    for (const auto& c : changes) {
        if (c.side == s) {
            out.push_back({c.to, c.packet, c.arc});
        }
    }
    if (summarised && finalState(s) != out.back().state) {
        // Detail dropped: still say where the side ended.
        out.push_back({finalState(s), lastPacket, std::nullopt});
    }
    return out;
}

std::optional<State> ConnectionSummary::stateAt(Side s, std::int64_t timeNs) const {
    if (timeNs < firstTimeNs) {
        return std::nullopt;
    }
    State state = initialState(s);
    for (const auto& c : changes) {
        if (c.timeNs > timeNs) {
            break;
        }
        if (c.side == s) {
            state = c.to;
        }
    }
    if (summarised && timeNs >= lastTimeNs) {
        state = finalState(s);
    }
    return state;
}

std::uint16_t ConnectionSummary::statesEver(Side s) const {
    std::uint16_t mask = 0;
    for (const auto& e : states(s)) {
        mask = static_cast<std::uint16_t>(mask | (1U << static_cast<unsigned>(e.state)));
    }
    return mask;
}

Analyzer::Analyzer(AnalyzeOptions options)
    : m_options(std::move(options)) {}

Analyzer::~Analyzer() {
    if (m_work) {
        for (ConnectionSummary& c : m_connections) {
            releaseWork(c);
        }
    }
}

void Analyzer::releaseWork(ConnectionSummary& c) {
    m_work->deallocate(c.tracker.releaseWork(), PassiveTracker::kWorkBytes);
}

ConnectionSummary& Analyzer::create(const DecodedPacket& p) {
    auto& c = m_connections.emplace_back();
    c.id = m_firstId + static_cast<std::uint32_t>(m_connections.size() - 1);
    c.firstPacket = p.number;
    c.firstTimeNs = p.timeNs;
    c.tracker.useWork(m_work->allocate(PassiveTracker::kWorkBytes));
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
    if (p.icmpQuote || p.badChecksum) {
        return addNoted(p, hash);
    }
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
    if (added.step.captureCopyOf == 0) {
        c->capturePoint.onPacket(added.step.sender, p.tcp, p.timeNs);
    }
    c->lastPacket = p.number;
    c->lastTimeNs = p.timeNs;
    if (added.step.retransmission) {
        c->noted.noteRetransmission(p.number);
    }
    if ((p.tcp.flags & flag::RST) != 0) {
        c->noted.noteRst(p.number);
    }
    if (!c->summarised && added.step.count > 0) {
        for (const auto& t : added.step) {
            c->changes.append(StateChange{p.timeNs, static_cast<std::uint32_t>(p.number), t.side,
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

// An ICMP error names the connection by the packet it quotes: that packet's
// 4-tuple, in either direction (it was sent by either end). A packet with a wrong
// checksum is noted on the connection of its tuple; Zeek would also start a
// connection for it, but nothing in it can be trusted to start one here.
Analyzer::Added Analyzer::addNoted(const DecodedPacket& p, std::uint32_t hash) {
    Added added;
    added.icmpQuote = p.icmpQuote;
    added.badChecksum = p.badChecksum;
    const auto id = m_flows.find(hash, [this, &p](std::uint32_t candidate) {
        const PassiveTracker& t = m_connections[candidate - m_firstId].tracker;
        return (p.src == t.client() && p.dst == t.server()) ||
               (p.src == t.server() && p.dst == t.client());
    });
    if (!id) {
        added.matched = false;
        m_unmatchedIcmp += p.icmpQuote ? 1 : 0;
        return added;
    }
    ConnectionSummary& c = m_connections[*id - m_firstId];
    if (p.icmpQuote) {
        ++c.icmpErrors;
    } else {
        c.tracker.onBadChecksum(p);
    }
    added.connection = c.id;
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
        releaseWork(m_connections.front());
        m_connections.pop_front();
        ++m_firstId;
    }
}

AnalysisResult Analyzer::finish(CaptureInfo info) {
    for (ConnectionSummary& c : m_connections) {
        releaseWork(c);
    }
    m_work = std::make_unique<NodePool>(); // the old chunks go back to the system
    AnalysisResult r;
    r.info = std::move(info);
    r.connections = std::move(m_connections);
    r.summarisedConnections = m_summarised;
    r.detailLimit = m_options.detailLimit;
    r.unmatchedIcmpErrors = m_unmatchedIcmp;
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
    read.onProgress = options.onProgress;
    read.icmpQuotes = true; // counted per connection
    read.checkChecksums = options.checkChecksums;
    const auto add = [&analyzer](const DecodedPacket& p) { analyzer.add(p); };
    if (Status ok = options.pipelined ? readCapturePipelined(path, read, add, info)
                                      : readCapture(path, read, add, info);
        !ok) {
        return fail(std::move(ok.error()));
    }
    return analyzer.finish(std::move(info));
}

} // namespace tcpviz
