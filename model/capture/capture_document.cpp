#include "capture/capture_document.h"

#include "capture/connection_trace.h"
#include "capture/decoder.h"
#include "capture/frame_builder.h"
#include "capture/pcap_writer.h"
#include "capture/pipelined_reader.h"

#include <algorithm>
#include <filesystem>

namespace tcpviz {

Result<CaptureDocument> CaptureDocument::open(const std::string& path, const OpenOptions& options) {
    CaptureDocument doc;
    doc.m_path = path;
    Analyzer analyzer;
    ReadOptions read;
    read.cancel = options.cancel;
    read.onProgress = options.onProgress;
    CaptureInfo info;
    bool keep = true;
    std::size_t kept = 0;
    const bool fromStdin = path == "-";
    const Status status = readCapturePipelined(
        path, read,
        [&](const DecodedPacket& p) {
            const auto added = analyzer.add(p);
            if (options.tcpPackets != nullptr) {
                options.tcpPackets->fetch_add(1, std::memory_order_relaxed);
            }
            if (!keep) {
                return;
            }
            doc.keep(added.connection, p);
            if (++kept > options.keepPacketsLimit && !fromStdin) {
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
    doc.m_result = analyzer.finish(std::move(info));
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

const std::deque<ConnectionSummary>& CaptureDocument::connections() const {
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
    const ConnectionSummary* summary = this->connection(connection);
    if (summary == nullptr) {
        return fail(m_path, missing(connection));
    }
    std::vector<DecodedPacket> packets;
    if (m_packetsKept) {
        if (const std::size_t i = connection - m_packetsFirstId; i < m_packets.size()) {
            packets = m_packets[i];
        }
    } else {
        Result<std::vector<DecodedPacket>> collected =
            collectConnectionPackets(m_path, AnalyzeOptions{}, *summary);
        if (!collected) {
            return fail(std::move(collected.error()));
        }
        packets = std::move(*collected);
    }
    // The capture line is labelled with the interface, or the file's name without
    // its folders (the whole path rarely fits above a lifeline).
    const std::string source =
        isLive() ? m_path : std::filesystem::path(m_path).filename().string();
    const auto it = m_traces.emplace(connection, buildConnectionTrace(packets, source)).first;
    return &it->second;
}

Result<std::vector<DecodedPacket>>
CaptureDocument::connectionPackets(std::size_t connection) const {
    const ConnectionSummary* summary = this->connection(connection);
    if (summary == nullptr) {
        return fail(m_path, missing(connection));
    }
    if (m_packetsKept) {
        const std::size_t i = connection - m_packetsFirstId;
        return i < m_packets.size() ? m_packets[i] : std::vector<DecodedPacket>{};
    }
    return collectConnectionPackets(m_path, AnalyzeOptions{}, *summary);
}

std::string CaptureDocument::missing(std::size_t id) const {
    if (wasEvicted(id)) {
        return "connection " + std::to_string(id) +
               " was evicted (a finished connection beyond the live capture's retention limit)";
    }
    return "no connection " + std::to_string(id) + " (there are " +
           std::to_string(firstId() + connections().size()) + ")";
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
