// Address formatting and parsing. IPv6 text follows RFC 5952 (what inet_ntop
// produces on glibc: lower case, longest zero run compressed, IPv4-mapped as
// ::ffff:a.b.c.d), so the strings match tshark's and Wireshark's columns.
#include "tcp/address.h"

#include <arpa/inet.h>
#include <charconv>
#include <cstring>
#include <tuple>

namespace tcpviz {

std::string IpAddress::toString() const {
    char buf[INET6_ADDRSTRLEN] = {};
    if (inet_ntop(v6 ? AF_INET6 : AF_INET, bytes.data(), buf, sizeof buf) == nullptr) {
        return "?";
    }
    return buf;
}

std::string SocketAddress::toString() const {
    std::string out;
    if (ip.v6) {
        out = "[" + ip.toString() + "]";
    } else {
        out = ip.toString();
    }
    out += ':';
    out += std::to_string(port);
    return out;
}

bool SocketAddress::operator<(const SocketAddress& other) const {
    return std::tie(ip.v6, ip.bytes, port) < std::tie(other.ip.v6, other.ip.bytes, other.port);
}

std::optional<IpAddress> parseIpAddress(std::string_view text) {
    if (text.empty() || text.size() >= INET6_ADDRSTRLEN) {
        return std::nullopt;
    }
    char buf[INET6_ADDRSTRLEN] = {};
    std::memcpy(buf, text.data(), text.size());
    IpAddress ip;
    if (inet_pton(AF_INET, buf, ip.bytes.data()) == 1) {
        return ip;
    }
    if (inet_pton(AF_INET6, buf, ip.bytes.data()) == 1) {
        ip.v6 = true;
        return ip;
    }
    return std::nullopt;
}

std::optional<SocketAddress> parseSocketAddress(std::string_view text, AddressSyntaxError* error) {
    AddressSyntaxError why;
    const auto fail = [&](AddressSyntaxError::Kind kind) -> std::optional<SocketAddress> {
        if (error != nullptr) {
            why.kind = kind;
            *error = why;
        }
        return std::nullopt;
    };
    why.v6 = !text.empty() && text.front() == '[';
    if (why.v6) {
        const auto close = text.find(']');
        if (close == std::string_view::npos || close + 1 >= text.size() || text[close + 1] != ':') {
            return fail(AddressSyntaxError::Kind::Malformed);
        }
        why.host = text.substr(1, close - 1);
        why.port = text.substr(close + 2);
    } else {
        const auto colon = text.rfind(':');
        if (colon == std::string_view::npos) {
            return fail(AddressSyntaxError::Kind::MissingPort);
        }
        why.host = text.substr(0, colon);
        why.port = text.substr(colon + 1);
    }
    const auto ip = parseIpAddress(why.host);
    if (!ip || ip->v6 != why.v6) {
        return fail(AddressSyntaxError::Kind::BadHost);
    }
    unsigned value = 0;
    const std::string_view port = why.port;
    const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
    if (ec != std::errc{} || end != port.data() + port.size() || port.empty() || value > 65535) {
        return fail(AddressSyntaxError::Kind::BadPort);
    }
    return SocketAddress{*ip, static_cast<std::uint16_t>(value)};
}

} // namespace tcpviz
