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
    std::size_t keepLimit = options.keepPacketsLimit;
    const bool fromStdin = path == "-";
    const Status status = readCapturePipelined(
        path, read,
        [&](const DecodedPacket& p) {
            const auto added = analyzer.add(p);
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
    if (connection >= m_packets.size()) {
        m_packets.resize(connection + 1);
    }
    m_packets[connection].push_back(packet);
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
    const auto& all = connections();
    if (connection >= all.size()) {
        return fail(m_path, "no connection " + std::to_string(connection + 1) + " (there are " +
                                std::to_string(all.size()) + ")");
    }
    if (const auto it = m_traces.find(connection); it != m_traces.end()) {
        return &it->second;
    }
    Result<std::vector<DecodedPacket>> packets = connectionPackets(connection);
    if (!packets) {
        return fail(std::move(packets.error()));
    }
    // The capture line is labelled with the interface, or the file's name without
    // its folders (the whole path rarely fits above a lifeline).
    const std::string source =
        isLive() ? m_path : std::filesystem::path(m_path).filename().string();
    const auto it = m_traces.emplace(connection, buildConnectionTrace(*packets, source)).first;
    return &it->second;
}

Result<std::vector<DecodedPacket>>
CaptureDocument::connectionPackets(std::size_t connection) const {
    const auto& all = connections();
    if (connection >= all.size()) {
        return fail(m_path, "no connection " + std::to_string(connection) + " (there are " +
                                std::to_string(all.size()) + ")");
    }
    if (m_packetsKept) {
        return connection < m_packets.size() ? m_packets[connection] : std::vector<DecodedPacket>{};
    }
    if (indexed(connection)) {
        return readIndexedPackets(m_path, m_index.entries(static_cast<std::uint32_t>(connection)));
    }
    return collectConnectionPackets(m_path, AnalyzeOptions{}, all[connection]);
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
