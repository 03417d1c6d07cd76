#pragma once

#include "capture/packet.h"

#include <cstdint>
#include <string>

namespace tcpviz {

/// LINKTYPE_ values tcpviz decodes (https://www.tcpdump.org/linktypes.html).
namespace linktype {
inline constexpr int Null = 0; ///< BSD loopback, family in the capturing host's order
inline constexpr int Ethernet = 1;
inline constexpr int Ppp = 9;
inline constexpr int Fddi = 10;
inline constexpr int RawBsd = 12;     ///< DLT_RAW on most BSDs and Linux
inline constexpr int RawOpenBsd = 14; ///< DLT_RAW on OpenBSD
inline constexpr int PppHdlc = 50;
inline constexpr int Raw = 101;
inline constexpr int Loop = 108; ///< OpenBSD loopback, family in network order
inline constexpr int LinuxSll = 113;
inline constexpr int Ieee80211Radiotap = 127; ///< 802.11 behind a radiotap header
inline constexpr int Ipv4 = 228;
inline constexpr int Ipv6 = 229;
inline constexpr int Nflog = 239; ///< Linux netfilter log: TLVs, the payload TLV is IP
inline constexpr int LinuxSll2 = 276;
} // namespace linktype

/// True for the link types decodeFrame understands.
[[nodiscard]] bool isSupportedLinkType(int linkType);

enum class DecodeStatus : std::uint8_t {
    Tcp,      ///< `out` holds a TCP packet (check out.malformed)
    NotTcp,   ///< a well-formed frame that carries no TCP (ARP, UDP, ICMP, ...)
    Fragment, ///< a non-first IP fragment: counted, not analysed
    /// an ICMP or ICMPv6 error quoting a TCP packet: `out.src`, `out.dst`, the ports
    /// and `out.tcp.seq` are the quoted packet's; counted, never tracked (the segment
    /// was sent by one end, the error by a router or the other host)
    IcmpQuotedTcp,
    Error,           ///< undecodable; `error` says why
    UnsupportedLink, ///< the link type is not one decodeFrame knows
};

/// Decodes one captured frame down to TCP. `capturedLen` bytes are readable at
/// `data`; `wireLen` is the frame's original length (larger when the snap length
/// cut it). Only fields of `out` that describe the packet are written (number and
/// timestamp are the caller's); `out.tcp.options.sackBlocks` is reused, so a caller
/// that keeps one DecodedPacket decodes without allocating.
///
/// Tunnels are followed (IP-in-IP, IPv6-in-IPv4/IPv6, GRE with ERSPAN, VXLAN,
/// Geneve, GTP-U; at most 8 deep): the innermost IP header's addresses are the
/// connection's. A fragment of a tunnel packet is counted as a Fragment.
///
/// Every read is bounds-checked against `capturedLen`: hostile input gives
/// DecodeStatus::Error with a message in `error` (assigned only then), never a crash.
/// Status Tcp with `out.malformed` set also fills `error` (the frame is still usable).
[[nodiscard]] DecodeStatus decodeFrame(int linkType, const std::uint8_t* data,
                                       std::uint32_t capturedLen, std::uint32_t wireLen,
                                       DecodedPacket& out, std::string& error);

} // namespace tcpviz
