#pragma once

#include <array>
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
    bool operator==(const IpAddress&) const = default;
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
    /// An order for sorted containers: family, address bytes, port. Defined out of
    /// line: the header stays free of <compare>, which Qt's moc cannot parse, as
    /// the views' headers include this one.
    [[nodiscard]] bool operator<(const SocketAddress& other) const;
};

/// "10.0.0.1" or "2001:db8::1" (no brackets). nullopt when not an address.
[[nodiscard]] std::optional<IpAddress> parseIpAddress(std::string_view text);

/// What is wrong with the text given to parseSocketAddress(), so that a caller
/// can word its own message. The views point into that text.
struct AddressSyntaxError {
    enum class Kind : std::uint8_t {
        Malformed,   ///< "[" without "]:" after the address
        MissingPort, ///< no ":port" at all
        BadHost,     ///< `host` is not an address of the family the brackets ask for
        BadPort,     ///< `port` is not a number from 0 to 65535
    };
    Kind kind = Kind::Malformed;
    std::string_view host;
    std::string_view port;
    bool v6 = false; ///< brackets: an IPv6 address was expected
};

/// "10.0.0.1:80" or "[2001:db8::1]:80" (IPv6 always in brackets, IPv4 never).
/// nullopt when malformed; then `error`, when given, says what is wrong.
[[nodiscard]] std::optional<SocketAddress> parseSocketAddress(std::string_view text,
                                                              AddressSyntaxError* error = nullptr);

} // namespace tcpviz
