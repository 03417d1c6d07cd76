#pragma once

#include <array>
#include <compare>
#include <cstdint>
#include <cstring>
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

/// An address and a port: one end of a TCP connection.
struct SocketAddress {
    IpAddress ip;
    std::uint16_t port = 0;

    /// "10.0.0.1:80" or "[2001:db8::1]:80"
    [[nodiscard]] std::string toString() const;

    /// The address bytes compared as two words, without a library memcmp call:
    /// capture analysis compares endpoints for every packet.
    [[nodiscard]] bool operator==(const SocketAddress& other) const {
        std::uint64_t x[2];
        std::uint64_t y[2];
        std::memcpy(x, ip.bytes.data(), sizeof x);
        std::memcpy(y, other.ip.bytes.data(), sizeof y);
        return x[0] == y[0] && x[1] == y[1] && port == other.port && ip.v6 == other.ip.v6;
    }
    auto operator<=>(const SocketAddress&) const = default;
};

/// "10.0.0.1" or "2001:db8::1" (no brackets). nullopt when not an address.
[[nodiscard]] std::optional<IpAddress> parseIpAddress(std::string_view text);
/// "10.0.0.1:80" or "[2001:db8::1]:80". nullopt when malformed.
[[nodiscard]] std::optional<SocketAddress> parseSocketAddress(std::string_view text);

} // namespace tcpviz
