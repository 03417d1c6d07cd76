#pragma once

#include "tcp/segment.h"

#include <array>
#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace tcpviz {

/// An IPv4 or IPv6 address (IPv4 kept in the first four bytes).
struct IpAddress {
    bool v6 = false;
    std::array<std::uint8_t, 16> bytes{};

    [[nodiscard]] std::string toString() const;
    auto operator<=>(const IpAddress&) const = default;
};

struct SocketAddress {
    IpAddress ip;
    std::uint16_t port = 0;

    /// "10.0.0.1:80" or "[2001:db8::1]:80"
    [[nodiscard]] std::string toString() const;
    auto operator<=>(const SocketAddress&) const = default;
};

/// "10.0.0.1" or "2001:db8::1" (no brackets). nullopt when not an address.
[[nodiscard]] std::optional<IpAddress> parseIpAddress(std::string_view text);
/// "10.0.0.1:80" or "[2001:db8::1]:80". nullopt when malformed.
[[nodiscard]] std::optional<SocketAddress> parseSocketAddress(std::string_view text);

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
};

} // namespace tcpviz
