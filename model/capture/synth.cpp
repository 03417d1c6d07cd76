// The generator walks all connections in time order with a min-heap of "next
// packet" times: every connection has the same schedule shifted by its start,
// so a heap of (time, connection) is enough and memory stays O(active + N small).
#include "capture/synth.h"

#include "capture/decoder.h"
#include "capture/frame_builder.h"
#include "capture/pcap_writer.h"

#include <algorithm>
#include <queue>
#include <vector>

namespace tcpviz {

namespace {

constexpr std::uint32_t kPortsPerAddress = 28232; // 32768..60999, Linux's ephemeral range
constexpr std::uint16_t kFirstPort = 32768;
constexpr std::uint32_t kWindow = 64240;
constexpr std::uint8_t kWindowScale = 7;

std::uint64_t splitmix(std::uint64_t x) {
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

struct Conn {
    SocketAddress client;
    SocketAddress server;
    std::uint32_t cisn = 0;
    std::uint32_t sisn = 0;
    bool serverFirst = true;
};

Conn makeConnection(const SynthOptions& o, std::uint32_t i) {
    Conn c;
    const std::uint32_t host = 2 + i / kPortsPerAddress;
    c.client.port = static_cast<std::uint16_t>(kFirstPort + i % kPortsPerAddress);
    c.server.port = 80;
    if (o.ipv6) {
        c.client.ip.v6 = c.server.ip.v6 = true;
        c.client.ip.bytes = {0x20, 0x01, 0x0d, 0xb8};
        c.server.ip.bytes = {0x20, 0x01, 0x0d, 0xb8};
        c.server.ip.bytes[15] = 1;
        c.client.ip.bytes[12] = static_cast<std::uint8_t>(host >> 24);
        c.client.ip.bytes[13] = static_cast<std::uint8_t>(host >> 16);
        c.client.ip.bytes[14] = static_cast<std::uint8_t>(host >> 8);
        c.client.ip.bytes[15] = static_cast<std::uint8_t>(host);
    } else {
        c.server.ip.bytes = {192, 168, 100, 1};
        c.client.ip.bytes = {10, static_cast<std::uint8_t>(host >> 16),
                             static_cast<std::uint8_t>(host >> 8), static_cast<std::uint8_t>(host)};
    }
    const std::uint64_t r = splitmix(o.seed * 0x100000001ULL + i);
    c.cisn = static_cast<std::uint32_t>(r);
    c.sisn = static_cast<std::uint32_t>(r >> 32);
    c.serverFirst = o.close == SynthClose::Server || (o.close == SynthClose::Mixed && i % 2 == 0);
    return c;
}

/// Fills `spec` with the connection's packet number `step` (0-based).
void packetAt(const SynthOptions& o, const Conn& c, std::uint32_t k, std::uint32_t step,
              std::int64_t timeNs, FrameSpec& spec) {
    // Data segment j comes from the client when j is even (request), else from the
    // server (response); these count each side's payload bytes before segment j.
    auto clientBytesBefore = [&](std::uint32_t j) { return ((j + 1) / 2) * o.requestBytes; };
    auto serverBytesBefore = [&](std::uint32_t j) { return (j / 2) * o.responseBytes; };
    bool fromClient = true;
    Segment& s = spec.tcp;
    s = Segment{};
    s.window = kWindow;
    const std::uint32_t cdata = clientBytesBefore(k);
    const std::uint32_t sdata = serverBytesBefore(k);
    const std::uint32_t cnxt = c.cisn + 1 + cdata; // client's next seq once all data is sent
    const std::uint32_t snxt = c.sisn + 1 + sdata;
    if (step == 0) {
        s.flags = flag::SYN;
        s.seq = c.cisn;
        s.options.mss = 1460;
        s.options.sackPermitted = true;
        s.options.windowScale = kWindowScale;
    } else if (step == 1) {
        fromClient = false;
        s.flags = flag::SYN | flag::ACK;
        s.seq = c.sisn;
        s.ack = c.cisn + 1;
        s.options.mss = 1460;
        s.options.sackPermitted = true;
        s.options.windowScale = kWindowScale;
    } else if (step == 2) {
        s.flags = flag::ACK;
        s.seq = c.cisn + 1;
        s.ack = c.sisn + 1;
    } else if (step < 3 + 2 * k) {
        const std::uint32_t j = (step - 3) / 2;
        const bool isData = (step - 3) % 2 == 0;
        const bool clientData = j % 2 == 0;
        const std::uint32_t cseq = c.cisn + 1 + clientBytesBefore(j);
        const std::uint32_t sseq = c.sisn + 1 + serverBytesBefore(j);
        const std::uint32_t len = clientData ? o.requestBytes : o.responseBytes;
        fromClient = clientData == isData;
        s.flags = isData ? (flag::PSH | flag::ACK) : flag::ACK;
        if (fromClient) {
            s.seq = cseq;
            s.ack = clientData ? sseq : sseq + len;
        } else {
            s.seq = sseq;
            s.ack = clientData ? cseq + len : cseq;
        }
        s.len = isData ? len : 0;
    } else {
        // Close: closer FIN, peer ACK, peer FIN, closer ACK.
        const std::uint32_t c4 = step - (3 + 2 * k);
        const bool byCloser = c4 == 0 || c4 == 3;
        fromClient = byCloser != c.serverFirst;
        const std::uint32_t closerNxt = c.serverFirst ? snxt : cnxt;
        const std::uint32_t peerNxt = c.serverFirst ? cnxt : snxt;
        s.flags = (c4 == 0 || c4 == 2) ? (flag::FIN | flag::ACK) : flag::ACK;
        if (byCloser) {
            s.seq = closerNxt + (c4 == 3 ? 1 : 0);
            s.ack = peerNxt + (c4 == 3 ? 1 : 0);
        } else {
            s.seq = peerNxt;
            s.ack = closerNxt + 1;
        }
    }
    // Timestamps on every segment, as Linux sends them: exercises option decoding.
    const auto tsNow = static_cast<std::uint32_t>(timeNs / 1'000'000);
    s.options.timestamp = std::pair{tsNow, step == 0 ? 0U : tsNow - 1};
    spec.src = fromClient ? c.client : c.server;
    spec.dst = fromClient ? c.server : c.client;
    s.srcPort = spec.src.port;
    s.dstPort = spec.dst.port;
    spec.windowShift = step < 2 ? 0 : kWindowScale;
    // After the handshake the header says 502 and means 502 << 7 (RFC 7323 scaling).
    s.window = step < 2 ? kWindow : 502U << kWindowScale;
    spec.srcMac = fromClient ? std::array<std::uint8_t, 6>{0x02, 0, 0, 0, 0, 0x01}
                             : std::array<std::uint8_t, 6>{0x02, 0, 0, 0, 0, 0x02};
    spec.dstMac = fromClient ? std::array<std::uint8_t, 6>{0x02, 0, 0, 0, 0, 0x02}
                             : std::array<std::uint8_t, 6>{0x02, 0, 0, 0, 0, 0x01};
    spec.ipId = static_cast<std::uint16_t>(step);
}

struct Pending {
    std::int64_t timeNs;
    std::uint32_t conn;
    std::uint32_t step;
    bool operator>(const Pending& other) const {
        return timeNs != other.timeNs ? timeNs > other.timeNs
               : conn != other.conn   ? conn > other.conn
                                      : step > other.step;
    }
};

} // namespace

Result<SynthResult> writeSynthCapture(const SynthOptions& o, const std::string& path) {
    SynthResult result;
    PcapWriter writer;
    if (Status opened = writer.open(path, linktype::Ethernet, o.snaplen, false); !opened) {
        return fail(std::move(opened.error()));
    }
    const bool hasLong = o.longConnectionSegments > 0;
    const auto segmentsOf = [&o, hasLong](std::uint32_t conn) {
        return hasLong && conn == 0 ? o.longConnectionSegments : o.dataSegments;
    };
    // The long connection's packets are spaced to span the time the others take.
    const std::int64_t span =
        static_cast<std::int64_t>(o.connections) * o.connectionIntervalNs +
        static_cast<std::int64_t>(synthPacketsPerConnection(o.dataSegments)) * o.packetIntervalNs;
    const std::int64_t longInterval =
        hasLong
            ? std::max<std::int64_t>(1, span / static_cast<std::int64_t>(synthPacketsPerConnection(
                                                   o.longConnectionSegments)))
            : o.packetIntervalNs;
    std::priority_queue<Pending, std::vector<Pending>, std::greater<>> heap;
    std::uint32_t nextConn = 0;
    auto startOf = [&o](std::uint32_t i) {
        return o.startNs + static_cast<std::int64_t>(i) * o.connectionIntervalNs;
    };
    FrameSpec spec;
    std::vector<std::uint8_t> frame;
    while (nextConn < o.connections || !heap.empty()) {
        // Admit connections whose SYN comes before the earliest pending packet.
        while (nextConn < o.connections &&
               (heap.empty() || startOf(nextConn) <= heap.top().timeNs)) {
            heap.push({startOf(nextConn), nextConn, 0});
            ++nextConn;
        }
        const Pending p = heap.top();
        heap.pop();
        const Conn c = makeConnection(o, p.conn); // cheap and stateless: no table needed
        packetAt(o, c, segmentsOf(p.conn), p.step, p.timeNs, spec);
        buildTcpFrame(spec, frame);
        const auto len = static_cast<std::uint32_t>(frame.size());
        if (!writer.write(p.timeNs, frame.data(), len, len)) {
            break;
        }
        ++result.packets;
        if (p.step + 1 < synthPacketsPerConnection(segmentsOf(p.conn))) {
            const std::int64_t interval =
                hasLong && p.conn == 0 ? longInterval : o.packetIntervalNs;
            heap.push({p.timeNs + interval, p.conn, p.step + 1});
        } else {
            ++result.connections;
        }
    }
    if (Status closed = writer.close(); !closed) {
        return fail(std::move(closed.error()));
    }
    return result;
}

} // namespace tcpviz
