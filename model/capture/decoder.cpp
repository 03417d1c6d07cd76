// Frame -> TCP decoding. Hot path: called once per packet on captures of
// millions of frames, so it works on raw pointers with explicit bounds, writes
// into a caller-owned DecodedPacket and allocates nothing unless it reports an
// error. Each layer gets two lengths: `cap` bytes are readable, `wire` bytes
// existed on the wire (more when the snap length cut the frame); header fields
// are checked against `wire`, reads against `cap`.
#include "capture/decoder.h"

#include <algorithm>
#include <cstdarg>
#include <cstdio>
#include <cstring>

namespace tcpviz {

namespace {

constexpr int kMaxTags = 8; // VLAN tags / MPLS labels / IPv6 extension headers followed
constexpr std::uint32_t kEthHeader = 14;

inline std::uint16_t be16(const std::uint8_t* p) {
    return static_cast<std::uint16_t>((p[0] << 8) | p[1]);
}

inline std::uint32_t be32(const std::uint8_t* p) {
    return (static_cast<std::uint32_t>(p[0]) << 24) | (static_cast<std::uint32_t>(p[1]) << 16) |
           (static_cast<std::uint32_t>(p[2]) << 8) | p[3];
}

inline std::uint32_t le32(const std::uint8_t* p) {
    return (static_cast<std::uint32_t>(p[3]) << 24) | (static_cast<std::uint32_t>(p[2]) << 16) |
           (static_cast<std::uint32_t>(p[1]) << 8) | p[0];
}

[[gnu::format(printf, 2, 3)]] DecodeStatus fail(std::string& error, const char* format, ...) {
    char buf[200];
    va_list args;
    va_start(args, format);
    std::vsnprintf(buf, sizeof buf, format, args);
    va_end(args);
    error = buf;
    return DecodeStatus::Error;
}

/// A layer's view of the frame: `cap` readable bytes at `p`, `wire` original bytes.
struct Span {
    const std::uint8_t* p;
    std::uint32_t cap;
    std::uint32_t wire;

    [[nodiscard]] Span skip(std::uint32_t n) const {
        return {p + n, cap - std::min(n, cap), wire - std::min(n, wire)};
    }
};

DecodeStatus decodeTcp(Span s, std::uint32_t segLen, DecodedPacket& out, std::string& error) {
    if (segLen < 20) {
        return fail(error, "TCP header truncated: the IP payload has only %u of its 20 bytes",
                    segLen);
    }
    if (s.cap < 20) {
        return fail(error, "TCP header truncated: only %u of its 20 bytes were captured", s.cap);
    }
    const std::uint8_t* t = s.p;
    Segment& seg = out.tcp;
    seg.srcPort = be16(t);
    seg.dstPort = be16(t + 2);
    seg.seq = be32(t + 4);
    seg.ack = be32(t + 8);
    seg.flags = t[13];
    seg.window = be16(t + 14);
    TcpOptions& o = seg.options;
    o.mss.reset();
    o.windowScale.reset();
    o.sackPermitted = false;
    o.sackBlocks.clear();
    o.timestamp.reset();
    out.src.port = seg.srcPort;
    out.dst.port = seg.dstPort;

    const std::uint32_t dataOffset = (t[12] >> 4) * 4U;
    if (dataOffset < 20) {
        seg.len = 0;
        out.malformed = true;
        fail(error, "TCP data offset %u is less than the 20-byte minimum", dataOffset);
        return DecodeStatus::Tcp;
    }
    if (dataOffset > segLen) {
        seg.len = 0;
        out.malformed = true;
        fail(error, "TCP header length %u exceeds the %u bytes of IP payload", dataOffset, segLen);
        return DecodeStatus::Tcp;
    }
    seg.len = segLen - dataOffset;
    // Options cut off by the snap length are simply not decoded: not an error.
    const std::uint32_t optEnd = std::min(dataOffset, s.cap);
    std::uint32_t i = 20;
    while (i < optEnd) {
        const std::uint8_t kind = t[i];
        if (kind == 0) {
            break;
        }
        if (kind == 1) {
            ++i;
            continue;
        }
        if (i + 1 >= optEnd) {
            break;
        }
        const std::uint32_t len = t[i + 1];
        if (len < 2 || i + len > optEnd) {
            break; // a malformed option ends option parsing, as in Wireshark
        }
        const std::uint8_t* v = t + i + 2;
        switch (kind) {
        case 2:
            if (len == 4) {
                o.mss = be16(v);
            }
            break;
        case 3:
            if (len == 3) {
                o.windowScale = v[0];
            }
            break;
        case 4:
            if (len == 2) {
                o.sackPermitted = true;
            }
            break;
        case 5:
            for (std::uint32_t b = 0; b + 8 <= len - 2; b += 8) {
                o.sackBlocks.emplace_back(be32(v + b), be32(v + b + 4));
            }
            break;
        case 8:
            if (len == 10) {
                o.timestamp = std::pair{be32(v), be32(v + 4)};
            }
            break;
        default:
            break;
        }
        i += len;
    }
    return DecodeStatus::Tcp;
}

DecodeStatus decodeIpv4(Span s, DecodedPacket& out, std::string& error) {
    if (s.cap < 20) {
        return fail(error, "IPv4 header truncated: %u of its 20 bytes captured", s.cap);
    }
    const std::uint8_t* p = s.p;
    const std::uint32_t ihl = (p[0] & 0x0fU) * 4U;
    if (ihl < 20) {
        return fail(error, "IPv4 header length %u is less than the 20-byte minimum", ihl);
    }
    if (ihl > s.cap) {
        return fail(error, "IPv4 header truncated: %u of its %u bytes captured", s.cap, ihl);
    }
    std::uint32_t total = be16(p + 2);
    if (total == 0) {
        total = s.wire; // TCP segmentation offload: Linux captures show length 0
    }
    if (total < ihl) {
        return fail(error, "IPv4 total length %u is less than its header length %u", total, ihl);
    }
    if (total > s.wire) {
        return fail(error, "IPv4 total length %u exceeds the %u bytes left in the frame", total,
                    s.wire);
    }
    const std::uint16_t frag = be16(p + 6);
    const bool tcp = p[9] == 6;
    if ((frag & 0x1fffU) != 0) {
        return tcp ? DecodeStatus::Fragment : DecodeStatus::NotTcp;
    }
    if (!tcp) {
        return DecodeStatus::NotTcp;
    }
    out.fragment = (frag & 0x2000U) != 0;
    out.src.ip.v6 = false;
    out.dst.ip.v6 = false;
    out.src.ip.bytes = {};
    out.dst.ip.bytes = {};
    std::memcpy(out.src.ip.bytes.data(), p + 12, 4);
    std::memcpy(out.dst.ip.bytes.data(), p + 16, 4);
    Span t = s.skip(ihl);
    t.cap = std::min(t.cap, total - ihl);
    return decodeTcp(t, total - ihl, out, error);
}

DecodeStatus decodeIpv6(Span s, DecodedPacket& out, std::string& error) {
    if (s.cap < 40) {
        return fail(error, "IPv6 header truncated: %u of its 40 bytes captured", s.cap);
    }
    const std::uint8_t* p = s.p;
    std::uint32_t end = 40U + be16(p + 4);
    if (end == 40) {
        end = s.wire; // jumbogram or offloaded segment: the frame says how long
    }
    if (end > s.wire) {
        return fail(error, "IPv6 payload length %u exceeds the %u bytes left in the frame",
                    end - 40, s.wire - 40);
    }
    std::uint8_t next = p[6];
    std::uint32_t off = 40;
    for (int n = 0; next != 6; ++n) {
        if (n == kMaxTags) {
            return DecodeStatus::NotTcp;
        }
        std::uint32_t len = 0;
        switch (next) {
        case 0:   // hop-by-hop options
        case 43:  // routing
        case 60:  // destination options
        case 135: // mobility
        case 139: // HIP
        case 140: // shim6
            if (off + 2 > s.cap || off + 2 > end) {
                return fail(error, "IPv6 extension header %u truncated", next);
            }
            len = (p[off + 1] + 1U) * 8U;
            break;
        case 51: // authentication header
            if (off + 2 > s.cap || off + 2 > end) {
                return fail(error, "IPv6 authentication header truncated");
            }
            len = (p[off + 1] + 2U) * 4U;
            break;
        case 44: { // fragment
            if (off + 8 > s.cap || off + 8 > end) {
                return fail(error, "IPv6 fragment header truncated");
            }
            const std::uint16_t fo = be16(p + off + 2);
            if ((fo & 0xfff8U) != 0) {
                return p[off] == 6 ? DecodeStatus::Fragment : DecodeStatus::NotTcp;
            }
            out.fragment = (fo & 1U) != 0;
            len = 8;
            break;
        }
        default: // ESP, no next header, UDP, ICMPv6, ...
            return DecodeStatus::NotTcp;
        }
        next = p[off];
        off += len;
        if (off > end) {
            return fail(error, "IPv6 extension headers (%u bytes) run past the payload length %u",
                        off - 40, end - 40);
        }
    }
    out.src.ip.v6 = true;
    out.dst.ip.v6 = true;
    std::memcpy(out.src.ip.bytes.data(), p + 8, 16);
    std::memcpy(out.dst.ip.bytes.data(), p + 24, 16);
    Span t = s.skip(off);
    t.cap = std::min(t.cap, end - off);
    return decodeTcp(t, end - off, out, error);
}

/// Raw IP: the version nibble decides.
DecodeStatus decodeIp(Span s, DecodedPacket& out, std::string& error) {
    if (s.cap < 1) {
        return fail(error, "empty IP packet");
    }
    switch (s.p[0] >> 4) {
    case 4:
        return decodeIpv4(s, out, error);
    case 6:
        return decodeIpv6(s, out, error);
    default:
        return DecodeStatus::NotTcp;
    }
}

DecodeStatus decodeMpls(Span s, DecodedPacket& out, std::string& error) {
    for (int n = 0; n < kMaxTags; ++n) {
        if (s.cap < 4) {
            return fail(error, "MPLS label stack truncated");
        }
        const bool bottom = (s.p[2] & 1U) != 0;
        s = s.skip(4);
        if (bottom) {
            // No protocol field after the stack: IP is recognised by its version
            // nibble (a pseudowire control word starts with 0 and is not IP).
            return decodeIp(s, out, error);
        }
    }
    return DecodeStatus::NotTcp;
}

DecodeStatus decodePppProtocol(std::uint16_t protocol, Span s, DecodedPacket& out,
                               std::string& error) {
    switch (protocol) {
    case 0x0021:
        return decodeIpv4(s, out, error);
    case 0x0057:
        return decodeIpv6(s, out, error);
    case 0x0281:
    case 0x0283:
        return decodeMpls(s, out, error);
    default:
        return DecodeStatus::NotTcp;
    }
}

DecodeStatus decodeEthertype(std::uint16_t type, Span s, DecodedPacket& out, std::string& error);

DecodeStatus decodePpp(Span s, DecodedPacket& out, std::string& error) {
    if (s.cap >= 2 && s.p[0] == 0xff && s.p[1] == 0x03) {
        s = s.skip(2); // HDLC address and control
    } else if (s.cap >= 4 && (s.p[0] == 0x0f || s.p[0] == 0x8f)) {
        return decodeEthertype(be16(s.p + 2), s.skip(4), out, error); // Cisco HDLC
    }
    if (s.cap < 1) {
        return fail(error, "PPP header truncated");
    }
    if ((s.p[0] & 1U) != 0) { // protocol field compression: one byte
        return decodePppProtocol(s.p[0], s.skip(1), out, error);
    }
    if (s.cap < 2) {
        return fail(error, "PPP header truncated");
    }
    return decodePppProtocol(be16(s.p), s.skip(2), out, error);
}

DecodeStatus decodeEthertype(std::uint16_t type, Span s, DecodedPacket& out, std::string& error) {
    switch (type) {
    case 0x0800:
        return decodeIpv4(s, out, error);
    case 0x86dd:
        return decodeIpv6(s, out, error);
    case 0x8847:
    case 0x8848:
        return decodeMpls(s, out, error);
    case 0x8864: // PPPoE session: 6-byte header, then the PPP protocol
        if (s.cap < 8) {
            return fail(error, "PPPoE header truncated");
        }
        return decodePppProtocol(be16(s.p + 6), s.skip(8), out, error);
    default:
        return DecodeStatus::NotTcp;
    }
}

DecodeStatus decodeEthernet(Span s, DecodedPacket& out, std::string& error) {
    if (s.cap < kEthHeader) {
        return fail(error, "Ethernet header truncated: %u of its 14 bytes captured", s.cap);
    }
    std::uint16_t type = be16(s.p + 12);
    s = s.skip(kEthHeader);
    for (int n = 0; n <= kMaxTags; ++n) {
        if (type == 0x8100 || type == 0x88a8 || type == 0x9100 || type == 0x9200) {
            if (s.cap < 4) {
                return fail(error, "802.1Q VLAN tag truncated");
            }
            type = be16(s.p + 2);
            s = s.skip(4);
            continue;
        }
        if (type <= 1500) {
            // 802.3 length field: only LLC/SNAP carries an EtherType.
            if (s.cap >= 8 && s.p[0] == 0xaa && s.p[1] == 0xaa && s.p[2] == 0x03) {
                type = be16(s.p + 6);
                s = s.skip(8);
                continue;
            }
            return DecodeStatus::NotTcp;
        }
        return decodeEthertype(type, s, out, error);
    }
    return DecodeStatus::NotTcp;
}

/// BSD loopback: a 4-byte address family, in the capturing host's byte order
/// for NULL and in network order for LOOP; both orders are accepted for both,
/// since a family value is always below 256.
DecodeStatus decodeLoopback(Span s, DecodedPacket& out, std::string& error) {
    if (s.cap < 4) {
        return fail(error, "loopback header truncated: %u of its 4 bytes captured", s.cap);
    }
    std::uint32_t family = le32(s.p);
    if (family > 0xffff) {
        family = be32(s.p);
    }
    s = s.skip(4);
    switch (family) {
    case 2: // AF_INET everywhere
        return decodeIpv4(s, out, error);
    case 10: // Linux
    case 24: // NetBSD, OpenBSD, BSD/OS
    case 28: // FreeBSD, DragonFly BSD
    case 30: // macOS, iOS
        return decodeIpv6(s, out, error);
    default:
        return DecodeStatus::NotTcp;
    }
}

} // namespace

bool isSupportedLinkType(int linkType) {
    switch (linkType) {
    case linktype::Null:
    case linktype::Ethernet:
    case linktype::Ppp:
    case linktype::RawBsd:
    case linktype::RawOpenBsd:
    case linktype::PppHdlc:
    case linktype::Raw:
    case linktype::Loop:
    case linktype::LinuxSll:
    case linktype::Ipv4:
    case linktype::Ipv6:
    case linktype::LinuxSll2:
        return true;
    default:
        return false;
    }
}

DecodeStatus decodeFrame(int linkType, const std::uint8_t* data, std::uint32_t capturedLen,
                         std::uint32_t wireLen, DecodedPacket& out, std::string& error) {
    out.capturedLen = capturedLen;
    out.wireLen = wireLen;
    out.malformed = false;
    out.fragment = false;
    const Span s{data, capturedLen, std::max(wireLen, capturedLen)};
    switch (linkType) {
    case linktype::Ethernet:
        return decodeEthernet(s, out, error);
    case linktype::Null:
    case linktype::Loop:
        return decodeLoopback(s, out, error);
    case linktype::RawBsd:
    case linktype::RawOpenBsd:
    case linktype::Raw:
        return decodeIp(s, out, error);
    case linktype::Ipv4:
        return decodeIpv4(s, out, error);
    case linktype::Ipv6:
        return decodeIpv6(s, out, error);
    case linktype::LinuxSll:
        if (s.cap < 16) {
            return fail(error, "Linux cooked header truncated: %u of its 16 bytes captured", s.cap);
        }
        return decodeEthertype(be16(s.p + 14), s.skip(16), out, error);
    case linktype::LinuxSll2:
        if (s.cap < 20) {
            return fail(error, "Linux cooked v2 header truncated: %u of its 20 bytes captured",
                        s.cap);
        }
        return decodeEthertype(be16(s.p), s.skip(20), out, error);
    case linktype::Ppp:
    case linktype::PppHdlc:
        return decodePpp(s, out, error);
    default:
        return DecodeStatus::UnsupportedLink;
    }
}

} // namespace tcpviz
