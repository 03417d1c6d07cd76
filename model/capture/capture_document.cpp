#include "capture/capture_document.h"

#include "capture/connection_trace.h"
#include "capture/decoder.h"
#include "capture/frame_builder.h"
#include "capture/pcap_writer.h"
#include "capture/pipelined_reader.h"
#include "capture/trace_pcap.h"

#include <algorithm>
#include <filesystem>

namespace tcpviz {

Result<CaptureDocument> CaptureDocument::open(const std::string& path, const OpenOptions& options) {
    CaptureDocument doc;
    doc.m_path = path;
    doc.m_index = PacketIndex(options.indexPacketsLimit);
    auto analyzer = std::make_unique<Analyzer>();
    ReadOptions read;
    read.cancel = options.cancel;
    read.onProgress = options.onProgress;
    read.icmpQuotes = true; // counted per connection (its icmpErrors), as analyze does
    CaptureInfo info;
    bool keep = true;
    std::size_t kept = 0;
    std::size_t keepLimit = options.keepPacketsLimit;
    const bool fromStdin = path == "-";
    const Status status = readCapturePipelined(
        path, read,
        [&](const DecodedPacket& p) {
            const auto added = analyzer->add(p);
            if (added.icmpQuote) {
                return; // a quote inside an ICMP error: counted, not one of its packets
            }
            if (options.tcpPackets != nullptr) {
                options.tcpPackets->fetch_add(1, std::memory_order_relaxed);
            }
            if (kept == 0 && p.fileOffset != 0) {
                keepLimit = std::min(keepLimit, options.keepIndexedPacketsLimit);
            }
            doc.m_index.add(added.connection, p);
            if (!keep) {
                return;
            }
            doc.keep(added.connection, p);
            if (++kept > keepLimit && !fromStdin) {
                keep = false;
                doc.m_packets.clear();
                doc.m_packets.shrink_to_fit();
            }
        },
        info);
    if (!status) {
        return fail(status.error());
    }
    doc.m_packetsKept = keep;
    doc.m_result = analyzer->finish(std::move(info));
    // Its flow table goes before the timeline is built: the moment memory peaks.
    analyzer.reset();
    doc.refreshDerived();
    return doc;
}

CaptureDocument CaptureDocument::live(const std::string& source, const AnalyzeOptions& options) {
    CaptureDocument doc;
    doc.m_path = source;
    doc.m_result.info.file = source;
    doc.m_live = std::make_unique<Analyzer>(options);
    doc.m_packetsKept = true;
    return doc;
}

CaptureDocument CaptureDocument::fromSimulation(Simulation simulation) {
    CaptureDocument doc;
    doc.m_path = simulation.name;
    doc.m_result.info.file = simulation.name;
    doc.m_simulation = true;
    doc.m_packetsKept = true;
    const std::size_t n = simulation.traces.size();
    if (n > 0) {
        doc.m_named = std::min(simulation.named, n - 1);
    }
    std::vector<const Trace*> traces;
    traces.reserve(n);
    for (const Trace& t : simulation.traces) {
        traces.push_back(&t);
    }
    std::vector<std::uint32_t> owner;
    std::vector<DecodedPacket> packets = tracesPackets(traces, std::nullopt, &owner);
    doc.m_result.info.packets = packets.size();
    doc.m_result.info.tcpPackets = packets.size();
    doc.m_packets.resize(n);
    for (std::size_t i = 0; i < packets.size(); ++i) {
        doc.m_packets[owner[i]].push_back(std::move(packets[i]));
    }
    for (std::size_t i = 0; i < n; ++i) {
        const Trace& t = simulation.traces[i];
        const std::vector<DecodedPacket>& own = doc.m_packets[i];
        ConnectionSummary& c = doc.m_result.connections.emplace_back();
        c.id = static_cast<std::uint32_t>(i);
        // The tracker reads the packets for what a table shows of them (counters,
        // history, retransmissions); the states are the simulation's own.
        for (const DecodedPacket& p : own) {
            const TrackerStep step = c.tracker.onPacket(p);
            if (step.retransmission) {
                c.noted.noteRetransmission(p.number);
            } else if (p.tcp.has(flag::RST)) {
                c.noted.noteRst(p.number);
            }
        }
        // Its own working state (no pool gave it any): freed, nothing to hand back.
        static_cast<void>(c.tracker.releaseWork());
        ConnectionSummary::Known known;
        known.client = t.meta.client.address;
        known.server = t.meta.server.address;
        for (const Side s : {Side::Client, Side::Server}) {
            known.initial.at(static_cast<std::size_t>(s)) = t.initial().of(s).state;
            known.final.at(static_cast<std::size_t>(s)) = t.stateAt(s, t.size());
        }
        c.known = ConnectionSummary::KnownPtr(known);
        if (!own.empty()) {
            c.firstPacket = own.front().number;
            c.lastPacket = own.back().number;
        }
        if (!t.empty()) {
            c.firstTimeNs = t.events().front().timeUs * 1000;
            c.lastTimeNs = t.events().back().timeUs * 1000;
        }
        std::size_t seen = 0; // packets of this connection sent by the event's time
        for (const TraceEvent& e : t.events()) {
            while (seen < own.size() && own[seen].timeNs <= e.timeUs * 1000) {
                ++seen;
            }
            if (e.kind == EventKind::Transition) {
                c.changes.append({e.timeUs * 1000,
                                  seen == 0 ? 0U : static_cast<std::uint32_t>(own[seen - 1].number),
                                  e.endpoint, e.from, e.to, e.arc});
            }
        }
    }
    doc.m_rule.socketsOnly = true;
    for (const auto& [timeUs, change] : simulation.listenerUs) {
        doc.m_rule.listeners.emplace_back(timeUs * 1000, change);
    }
    doc.m_timeline = StateTimeline(doc.m_result.connections, {}, doc.m_rule);
    for (std::size_t i = 0; i < n; ++i) {
        doc.m_traces.emplace(i, std::move(simulation.traces[i]));
    }
    return doc;
}

StateTimeline CaptureDocument::timelineOver(const std::vector<bool>& keep) const {
    return StateTimeline(connections(), keep, m_rule);
}

void CaptureDocument::keep(std::size_t connection, const DecodedPacket& packet) {
    // Packets of connections evicted meanwhile stay until the end of the batch
    // (forgetEvicted): the pinned one's Trace is built from them.
    const std::size_t i = connection - m_packetsFirstId;
    if (i >= m_packets.size()) {
        m_packets.resize(i + 1);
    }
    m_packets[i].push_back(packet);
}

void CaptureDocument::forgetEvicted() {
    if (m_pinned && *m_pinned < firstId() && m_traces.count(*m_pinned) == 0 &&
        *m_pinned >= m_packetsFirstId && *m_pinned - m_packetsFirstId < m_packets.size()) {
        // The pinned connection is being evicted: its Trace is built while its
        // packets are still here, so that the window keeps showing it.
        m_traces.emplace(*m_pinned,
                         buildConnectionTrace(m_packets[*m_pinned - m_packetsFirstId], m_path));
    }
    while (m_packetsFirstId < firstId()) {
        if (!m_packets.empty()) {
            m_packets.pop_front();
        }
        ++m_packetsFirstId;
    }
    const std::size_t first = firstId();
    for (auto it = m_traces.begin(); it != m_traces.end() && it->first < first;) {
        it = it->first == m_pinned ? std::next(it) : m_traces.erase(it);
    }
}

const EvictedTotals& CaptureDocument::evicted() const {
    static const EvictedTotals none;
    return m_live ? m_live->evicted() : none;
}

const ConnectionSummary* CaptureDocument::connection(std::size_t id) const {
    const auto& all = connections();
    if (id < firstId() || id - firstId() >= all.size()) {
        return nullptr;
    }
    return &all[id - firstId()];
}

void CaptureDocument::pin(std::optional<std::size_t> id) {
    if (m_pinned && m_pinned != id && *m_pinned < firstId()) {
        m_traces.erase(*m_pinned); // nobody shows it any more
    }
    m_pinned = id;
}

std::set<std::size_t> CaptureDocument::add(std::span<const DecodedPacket> packets) {
    std::set<std::size_t> touched;
    if (!m_live) {
        return touched;
    }
    for (const DecodedPacket& p : packets) {
        const auto added = m_live->add(p);
        if (added.icmpQuote || added.badChecksum) {
            // Counted on its connection (icmpErrors, history 'C'), not one of its
            // packets: its Trace is built from the packets followed. Unmatched, it
            // names no connection at all.
            if (added.matched) {
                touched.insert(added.connection); // its row's counts changed
            }
            continue;
        }
        keep(added.connection, p);
        touched.insert(added.connection);
    }
    for (const std::size_t id : touched) {
        m_traces.erase(id); // rebuilt on demand with the new packets
    }
    // A connection touched early in the batch may have been evicted later in it;
    // the pinned one stays named: its (last) Trace was rebuilt.
    std::erase_if(touched, [this](std::size_t id) { return id < firstId() && id != m_pinned; });
    forgetEvicted();
    refreshDerived();
    return touched;
}

void CaptureDocument::refreshDerived() {
    const auto& all = connections();
    if (m_originNs == 0 && !all.empty()) {
        m_originNs = all.front().firstTimeNs;
    }
    m_timeline = StateTimeline(all);
}

const ConnectionList& CaptureDocument::connections() const {
    return m_live ? m_live->connections() : m_result.connections;
}

StateTimeline::Counts CaptureDocument::countsAt(std::int64_t timeUs) const {
    return m_timeline.countsAt(m_originNs + timeUs * 1000);
}

std::int64_t CaptureDocument::endUs() const {
    return (m_timeline.endNs() - m_originNs) / 1000;
}

Result<const Trace*> CaptureDocument::connectionTrace(std::size_t connection) {
    if (const auto it = m_traces.find(connection); it != m_traces.end()) {
        return &it->second; // a pinned Trace outlives its connection's eviction
    }
    Result<Trace> trace = readTrace(connection);
    if (!trace) {
        return fail(std::move(trace.error()));
    }
    return keepTrace(connection, std::move(*trace));
}

bool CaptureDocument::traceNeedsRead(std::size_t connection) const {
    return !m_packetsKept && !m_traces.contains(connection) &&
           this->connection(connection) != nullptr;
}

Result<Trace> CaptureDocument::readTrace(std::size_t connection,
                                         const std::atomic<bool>* cancel) const {
    Result<std::vector<DecodedPacket>> packets = connectionPackets(connection, cancel);
    if (!packets) {
        return fail(std::move(packets.error()));
    }
    if (cancel != nullptr && cancel->load(std::memory_order_relaxed)) {
        return cancelledError(m_path); // read, but no longer wanted: not built
    }
    // The capture line is labelled with the interface, or the file's name without
    // its folders (the whole path rarely fits above a lifeline).
    const std::string source =
        isLive() ? m_path : std::filesystem::path(m_path).filename().string();
    Result<Trace> trace = buildConnectionTrace(*packets, source, cancel);
    if (!trace && trace.error().cancelled) {
        return cancelledError(m_path); // the build is stopped too, as the read is
    }
    return trace;
}

const Trace* CaptureDocument::keepTrace(std::size_t connection, Trace&& trace) {
    return &m_traces.try_emplace(connection, std::move(trace)).first->second;
}

Result<std::vector<DecodedPacket>>
CaptureDocument::connectionPackets(std::size_t connection, const std::atomic<bool>* cancel) const {
    const ConnectionSummary* summary = this->connection(connection);
    if (summary == nullptr) {
        return fail(m_path, missing(connection));
    }
    if (cancel != nullptr && cancel->load(std::memory_order_relaxed)) {
        return cancelledError(m_path); // not wanted any more: not even a copy
    }
    if (m_packetsKept) {
        const std::size_t i = connection - m_packetsFirstId;
        return i < m_packets.size() ? m_packets[i] : std::vector<DecodedPacket>{};
    }
    if (indexed(connection)) {
        return readIndexedPackets(m_path, m_index.entries(static_cast<std::uint32_t>(connection)),
                                  cancel);
    }
    if (const auto from =
            isLive() ? std::nullopt : m_index.firstOffset(static_cast<std::uint32_t>(connection))) {
        // Past the index's limit: only the stretch of the file from its first packet
        // to its last, not the whole file.
        const SocketAddress client = summary->client();
        const SocketAddress server = summary->server();
        Result<std::vector<DecodedPacket>> range = readPacketRange(
            m_path, *from, summary->firstPacket, summary->lastPacket,
            [&client, &server](const DecodedPacket& p) {
                return (p.src == client && p.dst == server) || (p.src == server && p.dst == client);
            },
            cancel);
        if (range || range.error().cancelled) {
            return range;
        }
        // A record the quick reader does not take as plain: the whole file, as before.
    }
    return collectConnectionPackets(m_path, AnalyzeOptions{}, *summary, cancel);
}

std::string CaptureDocument::missing(std::size_t id) const {
    if (wasEvicted(id)) {
        return "connection " + std::to_string(id) +
               " was evicted (a finished connection beyond the live capture's retention limit)";
    }
    return "no connection " + std::to_string(id) + " (there are " +
           std::to_string(firstId() + connections().size()) + ")";
}

bool CaptureDocument::indexed(std::size_t connection) const {
    return !isLive() && connection < connections().size() &&
           m_index.covers(static_cast<std::uint32_t>(connection));
}

Status CaptureDocument::savePcap(const std::string& path) const {
    if (!m_packetsKept || m_packets.empty()) {
        return fail(path, "nothing captured to save");
    }
    std::vector<const DecodedPacket*> all;
    for (const auto& c : m_packets) {
        for (const auto& p : c) {
            all.push_back(&p);
        }
    }
    std::sort(all.begin(), all.end(),
              [](const DecodedPacket* a, const DecodedPacket* b) { return a->number < b->number; });
    PcapWriter writer;
    if (Status opened = writer.open(path, linktype::Ethernet, 262144, true); !opened) {
        return opened;
    }
    std::vector<std::uint8_t> frame;
    for (const DecodedPacket* p : all) {
        FrameSpec spec;
        spec.src = p->src;
        spec.dst = p->dst;
        spec.tcp = p->tcp;
        buildTcpFrame(spec, frame);
        writer.write(p->timeNs, frame.data(), static_cast<std::uint32_t>(frame.size()),
                     static_cast<std::uint32_t>(frame.size()));
    }
    return writer.close();
}

} // namespace tcpviz
