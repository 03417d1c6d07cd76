// Address formatting and parsing. IPv6 text follows RFC 5952 (what inet_ntop
// produces on glibc: lower case, longest zero run compressed, IPv4-mapped as
// ::ffff:a.b.c.d), so the strings match tshark's and Wireshark's columns.
#include "tcp/address.h"

#include <arpa/inet.h>
#include <charconv>
#include <cstring>

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

std::optional<SocketAddress> parseSocketAddress(std::string_view text) {
    std::string_view host;
    std::string_view port;
    if (!text.empty() && text.front() == '[') {
        const auto close = text.find(']');
        if (close == std::string_view::npos || close + 1 >= text.size() || text[close + 1] != ':') {
            return std::nullopt;
        }
        host = text.substr(1, close - 1);
        port = text.substr(close + 2);
    } else {
        const auto colon = text.rfind(':');
        if (colon == std::string_view::npos) {
            return std::nullopt;
        }
        host = text.substr(0, colon);
        port = text.substr(colon + 1);
    }
    auto ip = parseIpAddress(host);
    if (!ip || (text.front() == '[' && !ip->v6) || (text.front() != '[' && ip->v6)) {
        return std::nullopt;
    }
    unsigned value = 0;
    const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
    if (ec != std::errc{} || end != port.data() + port.size() || port.empty() || value > 65535) {
        return std::nullopt;
    }
    return SocketAddress{*ip, static_cast<std::uint16_t>(value)};
}

} // namespace tcpviz
