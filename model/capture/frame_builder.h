#pragma once

#include "capture/packet.h"

#include <array>
#include <cstdint>
#include <vector>

namespace tcpviz {

/// What goes into one synthetic Ethernet + IPv4/IPv6 + TCP frame.
struct FrameSpec {
    SocketAddress src;
    SocketAddress dst;
    Segment tcp;                  ///< `len` zero bytes of payload are appended
    std::uint8_t windowShift = 0; ///< the header carries tcp.window >> windowShift
    std::uint16_t ipId = 0;       ///< IPv4 identification
    std::uint8_t ttl = 64;
    std::array<std::uint8_t, 6> srcMac{0x02, 0, 0, 0, 0, 0x01};
    std::array<std::uint8_t, 6> dstMac{0x02, 0, 0, 0, 0, 0x02};
};

/// Builds the frame into `out` (replacing its content) with valid IPv4 and TCP
/// checksums, so Wireshark shows no checksum errors. The payload is clamped so
/// that the IP datagram fits in 65535 bytes. Both addresses must be the same family.
void buildTcpFrame(const FrameSpec& spec, std::vector<std::uint8_t>& out);

/// The TCP options as they are laid out on the wire (padded to 4 bytes, at most 40).
[[nodiscard]] std::vector<std::uint8_t> encodeTcpOptions(const TcpOptions& options);

} // namespace tcpviz
