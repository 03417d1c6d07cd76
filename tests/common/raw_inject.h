#pragma once
// Crafted IPv4 packets sent on loopback through raw sockets (root): a TCP segment
// with a checksum right or wrong, and an ICMP error quoting a TCP segment. What the
// live-capture tests inject where the kernel would not produce it on its own (an
// ICMP error about a TCP connection; a segment with a checksum that really is
// wrong, where the kernel's own loopback segments only carry partial ones).
// Self-contained (no model code), so the model, CLI and window tests share it.
#include <algorithm>
#include <arpa/inet.h>
#include <cstddef>
#include <cstdint>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>
#include <vector>

namespace tcpviz::test {

/// The Internet checksum (RFC 1071) of `n` bytes, continuing `sum`.
inline std::uint16_t internetChecksum(const std::uint8_t* p, std::size_t n, std::uint32_t sum = 0) {
    for (std::size_t i = 0; i + 1 < n; i += 2) {
        sum += static_cast<std::uint32_t>(p[i] << 8 | p[i + 1]);
    }
    if (n % 2 != 0) {
        sum += static_cast<std::uint32_t>(p[n - 1] << 8);
    }
    while ((sum >> 16) != 0) {
        sum = (sum & 0xffffU) + (sum >> 16);
    }
    return static_cast<std::uint16_t>(~sum & 0xffffU);
}

inline void put16(std::vector<std::uint8_t>& b, std::size_t at, std::uint32_t v) {
    b[at] = static_cast<std::uint8_t>(v >> 8);
    b[at + 1] = static_cast<std::uint8_t>(v);
}

inline void put32(std::vector<std::uint8_t>& b, std::size_t at, std::uint32_t v) {
    put16(b, at, v >> 16);
    put16(b, at + 2, v & 0xffffU);
}

/// A TCP segment from 127.0.0.1:`srcPort` to 127.0.0.1:`dstPort`, no payload.
struct CraftedTcp {
    std::uint16_t srcPort = 0;
    std::uint16_t dstPort = 0;
    std::uint32_t seq = 0;
    std::uint32_t ack = 0;
    std::uint8_t flags = 0x04; ///< RST: a closed port drops it without answering
    bool badChecksum = false;  ///< the TCP checksum off by one bit
};

/// The IPv4 datagram (20-byte header, 20-byte TCP header) of `t`, checksums filled in.
inline std::vector<std::uint8_t> ipv4Tcp(const CraftedTcp& t) {
    std::vector<std::uint8_t> b(40, 0);
    b[0] = 0x45;
    put16(b, 2, 40);
    put16(b, 4, 0x5a5a); // identification
    b[8] = 64;           // TTL
    b[9] = 6;            // TCP
    put32(b, 12, INADDR_LOOPBACK);
    put32(b, 16, INADDR_LOOPBACK);
    put16(b, 10, internetChecksum(b.data(), 20));
    put16(b, 20, t.srcPort);
    put16(b, 22, t.dstPort);
    put32(b, 24, t.seq);
    put32(b, 28, t.ack);
    b[32] = 5 << 4; // data offset: 5 words
    b[33] = t.flags;
    put16(b, 34, 65535); // window
    // Pseudo-header: addresses, protocol, TCP length.
    const std::uint32_t pseudo = 0x7f00 + 0x0001 + 0x7f00 + 0x0001 + 6 + 20;
    const std::uint16_t sum = internetChecksum(b.data() + 20, 20, pseudo);
    put16(b, 36, t.badChecksum ? sum ^ 0x0001U : sum);
    return b;
}

/// An ICMP destination unreachable (host unreachable) quoting the first 28 bytes
/// of `quoted` (its IP header and the TCP ports and sequence number, as RFC 792).
inline std::vector<std::uint8_t> icmpUnreachable(const std::vector<std::uint8_t>& quoted) {
    std::vector<std::uint8_t> b(8 + 28, 0);
    b[0] = 3; // destination unreachable
    b[1] = 1; // host unreachable
    std::copy(quoted.begin(), quoted.begin() + 28, b.begin() + 8);
    put16(b, 2, internetChecksum(b.data(), b.size()));
    return b;
}

/// Sends `datagram` (with its IP header) to 127.0.0.1 as it is. False on failure.
inline bool sendRawIpv4(const std::vector<std::uint8_t>& datagram) {
    const int fd = ::socket(AF_INET, SOCK_RAW, IPPROTO_RAW); // IP_HDRINCL implied
    if (fd < 0) {
        return false;
    }
    sockaddr_in to{};
    to.sin_family = AF_INET;
    to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    const auto sent = ::sendto(fd, datagram.data(), datagram.size(), 0,
                               reinterpret_cast<const sockaddr*>(&to), sizeof to);
    ::close(fd);
    return sent == static_cast<ssize_t>(datagram.size());
}

/// Sends the ICMP `message` to 127.0.0.1 (the kernel adds the IP header).
inline bool sendIcmp(const std::vector<std::uint8_t>& message) {
    const int fd = ::socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);
    if (fd < 0) {
        return false;
    }
    sockaddr_in to{};
    to.sin_family = AF_INET;
    to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    const auto sent = ::sendto(fd, message.data(), message.size(), 0,
                               reinterpret_cast<const sockaddr*>(&to), sizeof to);
    ::close(fd);
    return sent == static_cast<ssize_t>(message.size());
}

/// An ICMP error about the segment `srcPort` -> `dstPort` (both on 127.0.0.1) would
/// have carried: what a router on the path says of that connection.
inline bool sendIcmpErrorAbout(std::uint16_t srcPort, std::uint16_t dstPort, std::uint32_t seq) {
    CraftedTcp quoted;
    quoted.srcPort = srcPort;
    quoted.dstPort = dstPort;
    quoted.seq = seq;
    quoted.flags = 0x18; // PSH, ACK: a data segment
    return sendIcmp(icmpUnreachable(ipv4Tcp(quoted)));
}

} // namespace tcpviz::test
