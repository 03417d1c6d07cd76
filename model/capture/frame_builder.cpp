#include "capture/frame_builder.h"

#include <algorithm>
#include <cstring>

namespace tcpviz {

namespace {

constexpr std::size_t kEthLen = 14;
constexpr std::size_t kIpv4Len = 20;
constexpr std::size_t kIpv6Len = 40;
constexpr std::size_t kTcpLen = 20;
constexpr std::size_t kMaxIpDatagram = 65535;

void put16(std::uint8_t* p, std::uint32_t v) {
    p[0] = static_cast<std::uint8_t>(v >> 8);
    p[1] = static_cast<std::uint8_t>(v);
}

void put32(std::uint8_t* p, std::uint32_t v) {
    p[0] = static_cast<std::uint8_t>(v >> 24);
    p[1] = static_cast<std::uint8_t>(v >> 16);
    p[2] = static_cast<std::uint8_t>(v >> 8);
    p[3] = static_cast<std::uint8_t>(v);
}

/// One's-complement sum of 16-bit big-endian words (RFC 1071), not yet folded.
std::uint32_t sumWords(const std::uint8_t* p, std::size_t n, std::uint32_t sum) {
    for (std::size_t i = 0; i + 1 < n; i += 2) {
        sum += (static_cast<std::uint32_t>(p[i]) << 8) | p[i + 1];
    }
    if ((n & 1U) != 0) {
        sum += static_cast<std::uint32_t>(p[n - 1]) << 8;
    }
    return sum;
}

std::uint16_t fold(std::uint32_t sum) {
    while ((sum >> 16) != 0) {
        sum = (sum & 0xffffU) + (sum >> 16);
    }
    return static_cast<std::uint16_t>(~sum & 0xffffU);
}

} // namespace

std::vector<std::uint8_t> encodeTcpOptions(const TcpOptions& o) {
    std::vector<std::uint8_t> out;
    out.reserve(40);
    auto room = [&out](std::size_t n) { return out.size() + n <= 40; };
    if (o.mss && room(4)) {
        out.insert(out.end(), {2, 4, static_cast<std::uint8_t>(*o.mss >> 8),
                               static_cast<std::uint8_t>(*o.mss)});
    }
    // Linux's SYN layout: SACK-permitted shares a word with the timestamp option.
    if (o.sackPermitted && o.timestamp && room(12)) {
        out.insert(out.end(), {4, 2, 8, 10});
    } else if (o.timestamp && room(12)) {
        out.insert(out.end(), {1, 1, 8, 10});
    } else if (o.sackPermitted && room(4)) {
        out.insert(out.end(), {1, 1, 4, 2});
    }
    if (o.timestamp && out.size() >= 4 && out[out.size() - 2] == 8) {
        std::uint8_t ts[8];
        put32(ts, o.timestamp->first);
        put32(ts + 4, o.timestamp->second);
        out.insert(out.end(), ts, ts + 8);
    }
    if (o.windowScale && room(4)) {
        out.insert(out.end(), {1, 3, 3, *o.windowScale});
    }
    if (!o.sackBlocks.empty() && room(2 + 2 + 8)) {
        const std::size_t fit =
            std::min<std::size_t>(o.sackBlocks.size(), (40 - out.size() - 4) / 8);
        out.insert(out.end(), {1, 1, 5, static_cast<std::uint8_t>(2 + 8 * fit)});
        for (std::size_t i = 0; i < fit; ++i) {
            std::uint8_t b[8];
            put32(b, o.sackBlocks[i].first);
            put32(b + 4, o.sackBlocks[i].second);
            out.insert(out.end(), b, b + 8);
        }
    }
    while (out.size() % 4 != 0) {
        out.push_back(0); // EOL padding
    }
    return out;
}

void buildTcpFrame(const FrameSpec& spec, std::vector<std::uint8_t>& out) {
    const bool v6 = spec.src.ip.v6;
    const std::vector<std::uint8_t> options = encodeTcpOptions(spec.tcp.options);
    const std::size_t tcpHeader = kTcpLen + options.size();
    const std::size_t ipHeader = v6 ? kIpv6Len : kIpv4Len;
    const std::size_t maxPayload = kMaxIpDatagram - tcpHeader - (v6 ? 0 : ipHeader);
    const std::size_t payload = std::min<std::size_t>(spec.tcp.len, maxPayload);
    const std::size_t tcpTotal = tcpHeader + payload;

    out.assign(kEthLen + ipHeader + tcpTotal, 0);
    std::uint8_t* p = out.data();
    std::memcpy(p, spec.dstMac.data(), 6);
    std::memcpy(p + 6, spec.srcMac.data(), 6);
    put16(p + 12, v6 ? 0x86dd : 0x0800);

    std::uint8_t* ip = p + kEthLen;
    std::uint32_t pseudo = 0;
    if (v6) {
        ip[0] = 0x60;
        put16(ip + 4, static_cast<std::uint32_t>(tcpTotal));
        ip[6] = 6;
        ip[7] = spec.ttl;
        std::memcpy(ip + 8, spec.src.ip.bytes.data(), 16);
        std::memcpy(ip + 24, spec.dst.ip.bytes.data(), 16);
        pseudo = sumWords(ip + 8, 32, 0);
    } else {
        ip[0] = 0x45;
        put16(ip + 2, static_cast<std::uint32_t>(ipHeader + tcpTotal));
        put16(ip + 4, spec.ipId);
        put16(ip + 6, 0x4000); // DF, as Linux sends TCP
        ip[8] = spec.ttl;
        ip[9] = 6;
        std::memcpy(ip + 12, spec.src.ip.bytes.data(), 4);
        std::memcpy(ip + 16, spec.dst.ip.bytes.data(), 4);
        put16(ip + 10, fold(sumWords(ip, kIpv4Len, 0)));
        pseudo = sumWords(ip + 12, 8, 0);
    }
    pseudo += 6 + static_cast<std::uint32_t>(tcpTotal);

    std::uint8_t* tcp = ip + ipHeader;
    const Segment& s = spec.tcp;
    put16(tcp, s.srcPort);
    put16(tcp + 2, s.dstPort);
    put32(tcp + 4, s.seq);
    put32(tcp + 8, s.ack);
    tcp[12] = static_cast<std::uint8_t>((tcpHeader / 4) << 4);
    tcp[13] = s.flags;
    // SYN segments are never scaled (RFC 7323 section 2.2).
    const std::uint32_t shift = (s.flags & flag::SYN) != 0 ? 0 : spec.windowShift;
    put16(tcp + 14, std::min<std::uint32_t>(s.window >> shift, 0xffff));
    std::copy(options.begin(), options.end(), tcp + kTcpLen);
    // The payload is zeros, so only the header contributes to the checksum.
    put16(tcp + 16, fold(sumWords(tcp, tcpHeader, pseudo)));
}

} // namespace tcpviz
