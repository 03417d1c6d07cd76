#pragma once

#include "tcp/address.h"
#include "tcp/segment.h"

#include <cstdint>

namespace tcpviz {

/// One TCP packet as decoded from a capture (or a live interface).
struct DecodedPacket {
    std::uint64_t number = 0; ///< 1-based frame number in file order, as Wireshark counts
    std::int64_t timeNs = 0;  ///< capture timestamp, nanoseconds since the epoch
    SocketAddress src;
    SocketAddress dst;
    Segment tcp; ///< header fields and options; `len` is the TCP payload length
    std::uint32_t capturedLen = 0;
    std::uint32_t wireLen = 0;
    /// The fixed TCP header was readable but the rest did not add up (reported as an
    /// error too): options are not decoded and `tcp.len` is 0. Kept so that the
    /// connection is still followed, as Wireshark still gives such frames a stream.
    bool malformed = false;
    /// First fragment of a fragmented IPv4/IPv6 datagram: `tcp.len` counts only the
    /// payload bytes in this fragment.
    bool fragment = false;
    /// The IPv4 identification of the datagram that carried the segment (the
    /// innermost header); 0 for IPv6. Tells a copy made by the capture (same
    /// datagram) from a retransmission (a new one): see CaptureCopies.
    std::uint16_t ipId = 0;
    /// Byte offset of the frame's record in the capture file, where a reader knows
    /// it (a classic pcap file read through its mapping); 0 when unknown (live,
    /// compressed, pcapng, libpcap's fallback). Lets PacketIndex read one
    /// connection's packets again without reading the whole file.
    std::uint64_t fileOffset = 0;
    /// Not a segment of the connection but the TCP packet an ICMP or ICMPv6 error
    /// quotes (only with ReadOptions::icmpQuotes): the addresses, ports and
    /// `tcp.seq` are the quoted packet's, other fields mean nothing. Analyzer counts it
    /// against the connection it belongs to and tracks nothing.
    bool icmpQuote = false;
    /// The TCP checksum did not match (set only when checksums are validated:
    /// ReadOptions::checkChecksums). Zeek's history 'C'; not followed.
    bool badChecksum = false;
    /// Where the TCP header starts in the frame and the TCP segment's length
    /// (header + payload) per its IP header: what the checksum covers.
    std::uint32_t tcpOffset = 0;
    std::uint32_t tcpBytes = 0;
};

} // namespace tcpviz
