// A simulated Trace written as a capture: one Ethernet frame per Send event, at
// the time it was sent, as a sniffer next to the sender would see it. That is
// also where dropped segments are still visible, and injected segments appear
// from the side they pretend to come from.
#include "capture/trace_pcap.h"

#include "capture/decoder.h"
#include "capture/frame_builder.h"
#include "capture/pcap_writer.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <optional>
#include <unordered_map>
#include <utility>
#include <vector>

namespace tcpviz {

namespace {

constexpr std::uint32_t kSnaplen = 262144;

using LossTimes = std::unordered_map<std::uint32_t, std::int64_t>;

// When each lost segment was lost, to place the loss on the path.
LossTimes lossTimes(const Trace& trace) {
    LossTimes lostAt;
    for (const TraceEvent& e : trace.events()) {
        if (e.kind == EventKind::Drop) {
            lostAt.emplace(e.segmentId, e.timeUs);
        }
    }
    return lostAt;
}

// When Send `e` passes the tap (its send time without one); none when it was
// lost before reaching the tap.
std::optional<std::int64_t> tapTimeUs(const TraceEvent& e, std::optional<double> tap,
                                      const LossTimes& lostAt) {
    if (!tap) {
        return e.timeUs;
    }
    // Distance of the tap from this segment's sender, as a fraction of the path.
    const double fromSender = e.endpoint == Side::Client ? *tap : 1.0 - *tap;
    const double transit = static_cast<double>(e.plannedArrivalUs - e.timeUs);
    if (const auto lost = lostAt.find(e.segmentId); lost != lostAt.end()) {
        const double lossPoint =
            transit > 0 ? static_cast<double>(lost->second - e.timeUs) / transit : 0.0;
        if (fromSender >= lossPoint) {
            return std::nullopt; // lost before it reached the tap
        }
    }
    return e.timeUs + std::llround(fromSender * transit);
}

/// Every Send a sniffer at `tap` records, with the time it passes the tap, in
/// send order (lost ones only if lost after the tap).
std::vector<std::pair<const TraceEvent*, std::int64_t>> tappedSends(const Trace& trace,
                                                                    std::optional<double> tap) {
    const LossTimes lostAt = tap ? lossTimes(trace) : LossTimes{};
    std::vector<std::pair<const TraceEvent*, std::int64_t>> out;
    for (const TraceEvent& e : trace.events()) {
        if (e.kind != EventKind::Send) {
            continue;
        }
        if (const std::optional<std::int64_t> stampUs = tapTimeUs(e, tap, lostAt)) {
            out.emplace_back(&e, *stampUs);
        }
    }
    return out;
}

} // namespace

std::vector<DecodedPacket> tracePackets(const Trace& trace, std::optional<double> tap) {
    const std::array<SocketAddress, 2> address{trace.meta.client.address,
                                               trace.meta.server.address};
    std::vector<DecodedPacket> packets;
    for (const auto& [event, stampUs] : tappedSends(trace, tap)) {
        const TraceEvent& e = *event;
        DecodedPacket p;
        p.timeNs = stampUs * 1000;
        p.src = address.at(static_cast<std::size_t>(e.endpoint));
        p.dst = address.at(static_cast<std::size_t>(peer(e.endpoint)));
        p.tcp = e.segment;
        if (p.tcp.srcPort == 0 && p.tcp.dstPort == 0) {
            p.tcp.srcPort = p.src.port;
            p.tcp.dstPort = p.dst.port;
        } else {
            p.src.port = p.tcp.srcPort;
            p.dst.port = p.tcp.dstPort;
        }
        packets.push_back(std::move(p));
    }
    std::stable_sort(
        packets.begin(), packets.end(),
        [](const DecodedPacket& a, const DecodedPacket& b) { return a.timeNs < b.timeNs; });
    for (std::size_t i = 0; i < packets.size(); ++i) {
        packets[i].number = i + 1;
    }
    return packets;
}

namespace {

struct Frame {
    std::int64_t timeUs = 0;
    std::vector<std::uint8_t> bytes;
};

/// The frames of one Trace, in send order; an Error naming `path` when its two
/// ends are not of one address family.
Status appendFrames(const Trace& trace, const std::string& path, std::optional<double> tap,
                    std::vector<Frame>& frames) {
    const std::array<SocketAddress, 2> address{trace.meta.client.address,
                                               trace.meta.server.address};
    if (address[0].ip.v6 != address[1].ip.v6) {
        return fail(path, "cannot write a capture: client " + address[0].toString() +
                              " and server " + address[1].toString() +
                              " are not the same address family");
    }
    // Window scaling applies once both SYNs carried the option (RFC 7323); each
    // side's header window is shifted by the scale that side announced.
    std::array<std::optional<std::uint8_t>, 2> announcedScale;
    std::array<std::uint16_t, 2> ipId{0x1000, 0x2000};
    for (const auto& [event, stampUs] : tappedSends(trace, tap)) {
        const TraceEvent& e = *event;
        const auto from = static_cast<std::size_t>(e.endpoint);
        const auto to = static_cast<std::size_t>(peer(e.endpoint));
        FrameSpec spec;
        spec.src = address[from];
        spec.dst = address[to];
        spec.tcp = e.segment;
        if (spec.tcp.srcPort == 0 && spec.tcp.dstPort == 0) {
            spec.tcp.srcPort = spec.src.port;
            spec.tcp.dstPort = spec.dst.port;
        } else {
            spec.src.port = spec.tcp.srcPort;
            spec.dst.port = spec.tcp.dstPort;
        }
        if (e.segment.has(flag::SYN)) {
            announcedScale[from] = e.segment.options.windowScale;
        }
        if (announcedScale[0] && announcedScale[1]) {
            spec.windowShift = std::min<std::uint8_t>(*announcedScale[from], 14);
        }
        spec.ipId = ipId[from]++;
        if (from == 1) {
            std::swap(spec.srcMac, spec.dstMac);
        }
        Frame f;
        f.timeUs = stampUs;
        buildTcpFrame(spec, f.bytes);
        frames.push_back(std::move(f));
    }
    return {};
}

} // namespace

Status writeTracePcap(const Trace& trace, const std::string& path, std::optional<double> tap) {
    const Trace* one = &trace;
    return writeTracesPcap(std::span<const Trace* const>(&one, 1), path, tap);
}

Status writeTracesPcap(std::span<const Trace* const> traces, const std::string& path,
                       std::optional<double> tap) {
    std::vector<Frame> frames;
    for (const Trace* trace : traces) {
        if (Status built = appendFrames(*trace, path, tap, frames); !built) {
            return built;
        }
    }
    PcapWriter writer;
    if (Status opened = writer.open(path, linktype::Ethernet, kSnaplen, false); !opened) {
        return opened;
    }
    // A tap sees the segments in the order they pass it, not the order they were sent.
    std::stable_sort(frames.begin(), frames.end(),
                     [](const Frame& a, const Frame& b) { return a.timeUs < b.timeUs; });
    for (const Frame& f : frames) {
        const auto len = static_cast<std::uint32_t>(f.bytes.size());
        writer.write(f.timeUs * 1000, f.bytes.data(), len, len);
    }
    return writer.close();
}

std::vector<DecodedPacket> tracesPackets(std::span<const Trace* const> traces,
                                         std::optional<double> tap,
                                         std::vector<std::uint32_t>* owner) {
    struct Owned {
        DecodedPacket packet;
        std::uint32_t owner = 0;
    };
    std::vector<Owned> all;
    for (std::size_t i = 0; i < traces.size(); ++i) {
        for (DecodedPacket& p : tracePackets(*traces[i], tap)) {
            all.push_back({std::move(p), static_cast<std::uint32_t>(i)});
        }
    }
    std::stable_sort(all.begin(), all.end(), [](const Owned& a, const Owned& b) {
        return a.packet.timeNs < b.packet.timeNs;
    });
    std::vector<DecodedPacket> out;
    out.reserve(all.size());
    if (owner != nullptr) {
        owner->clear();
        owner->reserve(all.size());
    }
    for (Owned& o : all) {
        o.packet.number = out.size() + 1;
        out.push_back(std::move(o.packet));
        if (owner != nullptr) {
            owner->push_back(o.owner);
        }
    }
    return out;
}

} // namespace tcpviz
