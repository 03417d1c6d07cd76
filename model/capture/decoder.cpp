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
constexpr std::uint32_t kMaxTunnels = 8; // nested encapsulations followed
constexpr std::uint32_t kEthHeader = 14;

// UDP destination ports that announce a tunnel (IANA; tshark's defaults).
constexpr std::uint16_t kVxlanPort = 4789;
constexpr std::uint16_t kGenevePort = 6081;
constexpr std::uint16_t kGtpUserPort = 2152;

inline std::uint16_t be16(const std::uint8_t* p) {
    return static_cast<std::uint16_t>((p[0] << 8) | p[1]);
}

inline std::uint32_t be32(const std::uint8_t* p) {
    return (static_cast<std::uint32_t>(p[0]) << 24) | (static_cast<std::uint32_t>(p[1]) << 16) |
           (static_cast<std::uint32_t>(p[2]) << 8) | p[3];
}

inline std::uint16_t le16(const std::uint8_t* p) {
    return static_cast<std::uint16_t>((p[1] << 8) | p[0]);
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

/// A layer's view of the frame: `cap` readable bytes at `p`, `wire` original bytes,
/// `depth` tunnels entered so far (bounded, so that nested tunnels cannot recurse
/// without end on hostile input).
struct Span {
    const std::uint8_t* p;
    std::uint32_t cap;
    std::uint32_t wire;
    std::uint32_t depth;
    const std::uint8_t* frame; ///< the frame's first byte (offsets for DecodedPacket)

    [[nodiscard]] Span skip(std::uint32_t n) const {
        return {p + n, cap - std::min(n, cap), wire - std::min(n, wire), depth, frame};
    }
    /// The first `n` bytes on the wire (an inner packet's own length).
    [[nodiscard]] Span first(std::uint32_t n) const {
        return {p, std::min(cap, n), std::min(wire, n), depth, frame};
    }
};

DecodeStatus decodeIpProtocol(std::uint8_t protocol, Span s, DecodedPacket& out,
                              std::string& error);
[[nodiscard]] bool carriesTunnel(std::uint8_t protocol, Span s);

DecodeStatus decodeTcp(Span s, std::uint32_t segLen, DecodedPacket& out, std::string& error) {
    if (segLen < 20) {
        return fail(error, "TCP header truncated: the IP payload has only %u of its 20 bytes",
                    segLen);
    }
    if (s.cap < 20) {
        return fail(error, "TCP header truncated: only %u of its 20 bytes were captured", s.cap);
    }
    const std::uint8_t* t = s.p;
    out.tcpOffset = static_cast<std::uint32_t>(t - s.frame);
    out.tcpBytes = segLen;
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
    const std::uint8_t protocol = p[9];
    const bool tcp = protocol == 6;
    if ((frag & 0x1fffU) != 0) {
        return tcp ? DecodeStatus::Fragment : DecodeStatus::NotTcp;
    }
    const Span payload = s.skip(ihl).first(total - ihl);
    if (!tcp) {
        if ((frag & 0x2000U) != 0) {
            // The inner packet is cut at the fragment's end: count it, do not misread it.
            return carriesTunnel(protocol, payload) ? DecodeStatus::Fragment : DecodeStatus::NotTcp;
        }
        return decodeIpProtocol(protocol, payload, out, error);
    }
    out.fragment = (frag & 0x2000U) != 0;
    out.ipId = be16(p + 4);
    out.src.ip.v6 = false;
    out.dst.ip.v6 = false;
    out.src.ip.bytes = {};
    out.dst.ip.bytes = {};
    std::memcpy(out.src.ip.bytes.data(), p + 12, 4);
    std::memcpy(out.dst.ip.bytes.data(), p + 16, 4);
    return decodeTcp(payload, total - ihl, out, error);
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
    bool moreFragments = false;
    for (int n = 0; next != 6; ++n) {
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
            moreFragments = (fo & 1U) != 0;
            len = 8;
            break;
        }
        default: { // a tunnel, or ESP, no next header, plain UDP, ICMPv6, ...
            const Span payload = s.skip(off).first(end - off);
            if (moreFragments) {
                return carriesTunnel(next, payload) ? DecodeStatus::Fragment : DecodeStatus::NotTcp;
            }
            return decodeIpProtocol(next, payload, out, error);
        }
        }
        if (n == kMaxTags) {
            return DecodeStatus::NotTcp;
        }
        next = p[off];
        off += len;
        if (off > end) {
            return fail(error, "IPv6 extension headers (%u bytes) run past the payload length %u",
                        off - 40, end - 40);
        }
    }
    out.fragment = moreFragments;
    out.ipId = 0; // IPv6 has no identification outside a fragment header
    out.src.ip.v6 = true;
    out.dst.ip.v6 = true;
    std::memcpy(out.src.ip.bytes.data(), p + 8, 16);
    std::memcpy(out.dst.ip.bytes.data(), p + 24, 16);
    return decodeTcp(s.skip(off).first(end - off), end - off, out, error);
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

constexpr std::uint32_t kSnapHeader = 8;

/// An 802.2 LLC header with SNAP (AA-AA-03, OUI, EtherType): how IP rides on 802.3,
/// FDDI and 802.11. Only the RFC 1042 and 802.1H OUIs make the type an EtherType.
[[nodiscard]] bool isSnap(Span s) {
    return s.cap >= kSnapHeader && s.p[0] == 0xaa && s.p[1] == 0xaa && s.p[2] == 0x03 &&
           s.p[3] == 0x00 && s.p[4] == 0x00 && (s.p[5] == 0x00 || s.p[5] == 0xf8);
}

DecodeStatus decodeSnap(Span s, DecodedPacket& out, std::string& error) {
    if (s.cap < kSnapHeader && s.cap < s.wire) {
        return fail(error, "LLC/SNAP header truncated: %u of its 8 bytes captured", s.cap);
    }
    if (!isSnap(s)) {
        return DecodeStatus::NotTcp; // other LLC (STP, NetBIOS, ...) carries no IP
    }
    return decodeEthertype(be16(s.p + 6), s.skip(kSnapHeader), out, error);
}

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
            // IEEE 802.3 length field: only LLC/SNAP carries an EtherType. The
            // length bounds the frame (what follows is padding).
            s = s.first(type);
            if (!isSnap(s)) {
                return DecodeStatus::NotTcp;
            }
            type = be16(s.p + 6);
            s = s.skip(kSnapHeader);
            continue;
        }
        return decodeEthertype(type, s, out, error);
    }
    return DecodeStatus::NotTcp;
}

// ---- tunnels -----------------------------------------------------------------

/// GRE (RFC 2784, key and sequence of RFC 2890; version 1 is PPTP's, RFC 2637).
/// The payload runs to the end of the IP payload.
DecodeStatus decodeGre(Span s, DecodedPacket& out, std::string& error) {
    if (s.cap < 4) {
        return fail(error, "GRE header truncated: %u of its 4 bytes captured", s.cap);
    }
    const std::uint16_t flags = be16(s.p);
    const std::uint16_t protocol = be16(s.p + 2);
    const bool checksum = (flags & 0x8000U) != 0;
    const bool routing = (flags & 0x4000U) != 0;
    const bool key = (flags & 0x2000U) != 0;
    const bool sequence = (flags & 0x1000U) != 0;
    std::uint32_t len = 4;
    switch (flags & 7U) {
    case 0:
        if (routing) {
            return DecodeStatus::NotTcp; // RFC 1701 source routing: obsolete, not followed
        }
        len += (checksum ? 4U : 0U) + (key ? 4U : 0U) + (sequence ? 4U : 0U);
        break;
    case 1: // enhanced GRE: payload length and call id (the key), optional ack number
        if (protocol != 0x880b) {
            return DecodeStatus::NotTcp;
        }
        len += 4U + (sequence ? 4U : 0U) + ((flags & 0x0080U) != 0 ? 4U : 0U);
        break;
    default:
        return DecodeStatus::NotTcp;
    }
    if (len > s.cap) {
        return fail(error, "GRE header truncated: %u of its %u bytes captured", s.cap, len);
    }
    const Span inner = s.skip(len);
    switch (protocol) {
    case 0x880b: // PPP (PPTP)
        return (flags & 7U) == 1 ? decodePpp(inner, out, error) : DecodeStatus::NotTcp;
    case 0x6558: // transparent Ethernet bridging (NVGRE too)
        return decodeEthernet(inner, out, error);
    case 0x88be: // ERSPAN type II, or type I when GRE has no sequence number
        if (!sequence) {
            return decodeEthernet(inner, out, error);
        }
        if (inner.cap < 8) {
            return fail(error, "ERSPAN type II header truncated: %u of its 8 bytes captured",
                        inner.cap);
        }
        return decodeEthernet(inner.skip(8), out, error);
    case 0x22eb: { // ERSPAN type III: 12 bytes, 8 more when the O bit says a subheader
        if (inner.cap < 12) {
            return fail(error, "ERSPAN type III header truncated: %u of its 12 bytes captured",
                        inner.cap);
        }
        const std::uint32_t erspan = (inner.p[11] & 1U) != 0 ? 20 : 12;
        if (inner.cap < erspan) {
            return fail(error,
                        "ERSPAN type III platform subheader truncated: %u of its %u bytes "
                        "captured",
                        inner.cap, erspan);
        }
        if (((inner.p[10] >> 2) & 0x1fU) != 0) {
            return DecodeStatus::NotTcp; // frame type other than Ethernet
        }
        return decodeEthernet(inner.skip(erspan), out, error);
    }
    default:
        return decodeEthertype(protocol, inner, out, error);
    }
}

/// VXLAN (RFC 7348): 8 bytes, then an Ethernet frame.
DecodeStatus decodeVxlan(Span s, DecodedPacket& out, std::string& error) {
    if (s.cap < 8) {
        return fail(error, "VXLAN header truncated: %u of its 8 bytes captured", s.cap);
    }
    return decodeEthernet(s.skip(8), out, error);
}

/// Geneve (RFC 8926): 8 bytes plus options, then what the protocol type names.
DecodeStatus decodeGeneve(Span s, DecodedPacket& out, std::string& error) {
    if (s.cap < 8) {
        return fail(error, "Geneve header truncated: %u of its 8 bytes captured", s.cap);
    }
    if ((s.p[0] >> 6) != 0) {
        return DecodeStatus::NotTcp; // an unknown version: its layout is not known
    }
    const std::uint32_t len = 8U + (s.p[0] & 0x3fU) * 4U;
    if (len > s.cap) {
        return fail(error, "Geneve options truncated: %u of the header's %u bytes captured", s.cap,
                    len);
    }
    const std::uint16_t protocol = be16(s.p + 2);
    if (protocol == 0x6558) {
        return decodeEthernet(s.skip(len), out, error);
    }
    return decodeEthertype(protocol, s.skip(len), out, error);
}

/// GTP-U (3GPP TS 29.281): the GTPv1 header, its optional sequence number, N-PDU
/// number and extension headers, then the user's IPv4 or IPv6 packet.
DecodeStatus decodeGtpUser(Span s, DecodedPacket& out, std::string& error) {
    if (s.cap < 8) {
        return fail(error, "GTP-U header truncated: %u of its 8 bytes captured", s.cap);
    }
    const std::uint8_t flags = s.p[0];
    if ((flags >> 5) != 1 || (flags & 0x10U) == 0 || s.p[1] != 0xff) {
        return DecodeStatus::NotTcp; // not GTPv1, GTP' or a signalling message: no user IP
    }
    const std::uint32_t end = 8U + be16(s.p + 2);
    if (end > s.wire) {
        return fail(error, "GTP-U length %u exceeds the %u bytes of UDP payload", end - 8,
                    s.wire - 8);
    }
    std::uint32_t off = 8;
    if ((flags & 0x07U) != 0) { // E, S or PN: sequence, N-PDU and next extension type
        if (off + 4 > end || off + 4 > s.cap) {
            return fail(error, "GTP-U optional fields truncated");
        }
        std::uint8_t next = s.p[off + 3];
        off += 4;
        // Each extension header: its length in 4-byte units, its content, the next type.
        for (int n = 0; (flags & 0x04U) != 0 && next != 0; ++n) {
            if (n == kMaxTags) {
                return DecodeStatus::NotTcp;
            }
            if (off + 1 > end || off + 1 > s.cap) {
                return fail(error, "GTP-U extension header truncated");
            }
            const std::uint32_t len = s.p[off] * 4U;
            if (len == 0) {
                return fail(error, "GTP-U extension header of length 0");
            }
            if (off + len > end || off + len > s.cap) {
                return fail(error, "GTP-U extension header truncated: %u bytes do not fit", len);
            }
            next = s.p[off + len - 1];
            off += len;
        }
    }
    return decodeIp(s.first(end).skip(off), out, error);
}

/// UDP: followed only when the destination port names a tunnel; other UDP is not TCP.
DecodeStatus decodeUdp(Span s, DecodedPacket& out, std::string& error) {
    if (s.cap < 4) {
        return DecodeStatus::NotTcp; // the port is not known: nothing says tunnel
    }
    const std::uint16_t port = be16(s.p + 2);
    if (port != kVxlanPort && port != kGenevePort && port != kGtpUserPort) {
        return DecodeStatus::NotTcp;
    }
    if (s.cap < 8) {
        return fail(error, "UDP header truncated: %u of its 8 bytes captured", s.cap);
    }
    std::uint32_t len = be16(s.p + 4);
    if (len == 0) {
        len = s.wire; // offloaded or jumbo datagram: the IP length says how long
    }
    if (len < 8 || len > s.wire) {
        return fail(error, "UDP length %u does not fit the %u bytes of IP payload", len, s.wire);
    }
    const Span inner = s.first(len).skip(8);
    switch (port) {
    case kVxlanPort:
        return decodeVxlan(inner, out, error);
    case kGenevePort:
        return decodeGeneve(inner, out, error);
    default:
        return decodeGtpUser(inner, out, error);
    }
}

/// The packet quoted by an ICMP error: its IP header and the first 8 bytes of its
/// TCP header (ports and sequence number, all RFC 792 promises). Its length fields
/// describe the original packet, not the quote, so they are not checked here.
DecodeStatus decodeQuotedTcp(Span s, DecodedPacket& out, std::string& error) {
    if (s.cap < 1) {
        return s.wire == 0 ? DecodeStatus::NotTcp
                           : fail(error, "ICMP error's quoted packet truncated");
    }
    const std::uint8_t* p = s.p;
    std::uint32_t ipLen = 0;
    const bool v6 = (p[0] >> 4) == 6;
    if (v6) {
        ipLen = 40;
    } else if ((p[0] >> 4) == 4) {
        ipLen = (p[0] & 0x0fU) * 4U;
        if (ipLen < 20) {
            return DecodeStatus::NotTcp;
        }
    } else {
        return DecodeStatus::NotTcp;
    }
    const std::uint32_t need = ipLen + 8;
    if (need > s.wire) {
        return DecodeStatus::NotTcp; // the error quotes less than a TCP header's ports
    }
    if (need > s.cap) {
        return fail(error, "ICMP error's quoted packet truncated: %u of its %u bytes captured",
                    s.cap, need);
    }
    // Only an unfragmented TCP packet (or its first fragment) shows its ports.
    if (v6 ? p[6] != 6 : (p[9] != 6 || (be16(p + 6) & 0x1fffU) != 0)) {
        return DecodeStatus::NotTcp;
    }
    out.src.ip.v6 = v6;
    out.dst.ip.v6 = v6;
    out.src.ip.bytes = {};
    out.dst.ip.bytes = {};
    std::memcpy(out.src.ip.bytes.data(), p + (v6 ? 8 : 12), v6 ? 16 : 4);
    std::memcpy(out.dst.ip.bytes.data(), p + (v6 ? 24 : 16), v6 ? 16 : 4);
    const std::uint8_t* t = p + ipLen;
    out.src.port = be16(t);
    out.dst.port = be16(t + 2);
    out.tcp.srcPort = out.src.port;
    out.tcp.dstPort = out.dst.port;
    out.tcp.seq = be32(t + 4);
    return DecodeStatus::IcmpQuotedTcp;
}

/// ICMP (`v6` false) or ICMPv6 error messages quote the packet that caused them.
DecodeStatus decodeIcmp(bool v6, Span s, DecodedPacket& out, std::string& error) {
    if (s.cap < 1) {
        return DecodeStatus::NotTcp;
    }
    const std::uint8_t type = s.p[0];
    // v4: unreachable, source quench, redirect, time exceeded, parameter problem;
    // v6: unreachable, packet too big, time exceeded, parameter problem.
    const bool isError = v6 ? type >= 1 && type <= 4
                            : type == 3 || type == 4 || type == 5 || type == 11 || type == 12;
    if (!isError) {
        return DecodeStatus::NotTcp; // echo, neighbour discovery, ...
    }
    if (s.cap < 8) {
        return s.wire < 8 ? DecodeStatus::NotTcp
                          : fail(error, "ICMP header truncated: %u of its 8 bytes captured", s.cap);
    }
    return decodeQuotedTcp(s.skip(8), out, error);
}

/// An IP payload other than TCP: a tunnel is followed, anything else is not TCP.
DecodeStatus decodeIpProtocol(std::uint8_t protocol, Span s, DecodedPacket& out,
                              std::string& error) {
    if (s.depth >= kMaxTunnels) {
        return DecodeStatus::NotTcp;
    }
    ++s.depth;
    switch (protocol) {
    case 4: // IP in IP
        return decodeIpv4(s, out, error);
    case 41: // IPv6 in IP
        return decodeIpv6(s, out, error);
    case 47:
        return decodeGre(s, out, error);
    case 17:
        return decodeUdp(s, out, error);
    case 1:
        return decodeIcmp(false, s, out, error);
    case 58:
        return decodeIcmp(true, s, out, error);
    default:
        return DecodeStatus::NotTcp;
    }
}

/// Whether an IP payload is a tunnel, for the first fragment of a datagram.
bool carriesTunnel(std::uint8_t protocol, Span s) {
    switch (protocol) {
    case 4:
    case 41:
    case 47:
        return true;
    case 17: {
        if (s.cap < 4) {
            return false;
        }
        const std::uint16_t port = be16(s.p + 2);
        return port == kVxlanPort || port == kGenevePort || port == kGtpUserPort;
    }
    default:
        return false;
    }
}

// ---- link layers -------------------------------------------------------------

/// 802.11 behind radiotap: data frames only, their header sized by the ToDS/FromDS
/// bits (a fourth address), QoS and HT control; then LLC/SNAP.
DecodeStatus decodeRadiotap(Span s, DecodedPacket& out, std::string& error) {
    if (s.cap < 8) {
        return fail(error, "radiotap header truncated: %u of its 8 bytes captured", s.cap);
    }
    const std::uint32_t radiotap = le16(s.p + 2);
    if (s.p[0] != 0 || radiotap < 8) {
        return fail(error, "radiotap header version %u, length %u: not radiotap", s.p[0], radiotap);
    }
    if (radiotap > s.cap) {
        return fail(error, "radiotap header truncated: %u of its %u bytes captured", s.cap,
                    radiotap);
    }
    s = s.skip(radiotap);
    if (s.cap < 2) {
        return fail(error, "802.11 frame control truncated");
    }
    const std::uint8_t fc0 = s.p[0];
    const std::uint8_t fc1 = s.p[1];
    if ((fc0 & 0x0fU) != 0x08) { // version 0, type data
        return DecodeStatus::NotTcp;
    }
    const std::uint8_t subtype = fc0 >> 4;
    if ((subtype & 0x04U) != 0) {
        return DecodeStatus::NotTcp; // null function: no body
    }
    const bool qos = (subtype & 0x08U) != 0;
    std::uint32_t len = 24;
    if ((fc1 & 0x03U) == 0x03) {
        len += 6; // ToDS and FromDS: the wireless distribution system's fourth address
    }
    const std::uint32_t qosAt = len;
    if (qos) {
        len += 2;
        if ((fc1 & 0x80U) != 0) {
            len += 4; // +HTC: HT control field
        }
    }
    if (len > s.cap) {
        return fail(error, "802.11 data header truncated: %u of its %u bytes captured", s.cap, len);
    }
    if ((fc1 & 0x40U) != 0) {
        return fail(error, "802.11 frame is protected: its encrypted payload cannot be decoded");
    }
    const bool amsdu = qos && (s.p[qosAt] & 0x80U) != 0;
    s = s.skip(len);
    if (amsdu) {
        // A-MSDU: subframes of DA, SA and length, then LLC/SNAP; the first is decoded.
        if (s.cap < 14) {
            return fail(error, "A-MSDU subframe header truncated: %u of its 14 bytes captured",
                        s.cap);
        }
        s = s.skip(14).first(be16(s.p + 12));
    }
    return decodeSnap(s, out, error);
}

/// FDDI: frame control and two addresses (13 bytes), then LLC/SNAP for LLC frames.
DecodeStatus decodeFddi(Span s, DecodedPacket& out, std::string& error) {
    if (s.cap < 13) {
        return fail(error, "FDDI header truncated: %u of its 13 bytes captured", s.cap);
    }
    if ((s.p[0] & 0x30U) != 0x10) {
        return DecodeStatus::NotTcp; // SMT, MAC or reserved frame: no LLC
    }
    return decodeSnap(s.skip(13), out, error);
}

/// Linux NFLOG: family, version and group (4 bytes), then TLVs whose length and
/// type are in the capturing host's byte order; the payload TLV (9) is the packet.
DecodeStatus decodeNflog(Span s, DecodedPacket& out, std::string& error) {
    if (s.cap < 4) {
        return fail(error, "NFLOG header truncated: %u of its 4 bytes captured", s.cap);
    }
    std::uint32_t off = 4;
    // TLV types are small: a zero high byte tells the writer's byte order.
    const bool bigEndian = s.cap >= 8 && s.p[6] == 0 && s.p[7] != 0;
    for (;;) {
        if (off >= s.wire) {
            return DecodeStatus::NotTcp; // no payload logged
        }
        if (off + 4 > s.cap) {
            return fail(error, "NFLOG TLV header truncated at byte %u", off);
        }
        const std::uint32_t len = bigEndian ? be16(s.p + off) : le16(s.p + off);
        const std::uint32_t type = bigEndian ? be16(s.p + off + 2) : le16(s.p + off + 2);
        if (len < 4) {
            return fail(error, "NFLOG TLV length %u is less than its 4-byte header", len);
        }
        if (type == 9) {
            if (off + len > s.wire) {
                return fail(error, "NFLOG payload of %u bytes exceeds the %u bytes left", len - 4,
                            s.wire - off - 4);
            }
            return decodeIp(s.skip(off + 4).first(len - 4), out, error);
        }
        off += (len + 3U) & ~3U; // TLVs are padded to 4 bytes
    }
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
    case linktype::Fddi:
    case linktype::Ieee80211Radiotap:
    case linktype::Nflog:
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
    out.ipId = 0;
    out.tcpOffset = 0;
    out.tcpBytes = 0;
    const Span s{data, capturedLen, std::max(wireLen, capturedLen), 0, data};
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
    case linktype::Fddi:
        return decodeFddi(s, out, error);
    case linktype::Ieee80211Radiotap:
        return decodeRadiotap(s, out, error);
    case linktype::Nflog:
        return decodeNflog(s, out, error);
    default:
        return DecodeStatus::UnsupportedLink;
    }
}

} // namespace tcpviz
