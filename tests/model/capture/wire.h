#pragma once
// Crafted captures for the passive tracker's tests: the packets of one connection
// between 10.0.0.1:40000 (client) and 10.0.0.2:80 (server), in capture order.
#include "capture/packet.h"
#include "tcp/segment.h"
#include "trace/trace.h"

#include <cstdint>
#include <string_view>
#include <vector>

namespace tcpviz {

// Builds the packets of one connection as a sniffer between the hosts would see them.
class Wire {
public:
    Wire() {
        m_client.ip.bytes = {10, 0, 0, 1};
        m_client.port = 40000;
        m_server.ip.bytes = {10, 0, 0, 2};
        m_server.port = 80;
    }
    DecodedPacket send(Side from, std::string_view flags, std::uint32_t seq, std::uint32_t ack,
                       std::uint32_t len = 0, std::uint32_t window = 65535) {
        DecodedPacket p;
        p.number = ++m_number;
        m_timeNs += 10'000'000; // 10 ms apart: never "out of order"
        p.timeNs = m_timeNs;
        p.src = from == Side::Client ? m_client : m_server;
        p.dst = from == Side::Client ? m_server : m_client;
        p.tcp.srcPort = p.src.port;
        p.tcp.dstPort = p.dst.port;
        p.tcp.flags = parseFlags(flags).value();
        p.tcp.seq = seq;
        p.tcp.ack = ack;
        p.tcp.len = len;
        p.tcp.window = window;
        m_packets.push_back(p);
        return p;
    }
    [[nodiscard]] const std::vector<DecodedPacket>& packets() const { return m_packets; }
    SocketAddress m_client;
    SocketAddress m_server;

private:
    std::uint64_t m_number = 0;
    std::int64_t m_timeNs = 1'700'000'000'000'000'000;
    std::vector<DecodedPacket> m_packets;
};

// Client 100, server 300: handshake, 4 bytes each way.
inline void handshakeAndData(Wire& w) {
    w.send(Side::Client, "SYN", 100, 0);          // 1
    w.send(Side::Server, "SYN,ACK", 300, 101);    // 2
    w.send(Side::Client, "ACK", 101, 301);        // 3
    w.send(Side::Client, "PSH,ACK", 101, 301, 4); // 4
    w.send(Side::Server, "PSH,ACK", 301, 105, 4); // 5
    w.send(Side::Client, "ACK", 105, 305);        // 6
}

} // namespace tcpviz
