#pragma once

#include "base/error.h"

#include <cstdint>
#include <string>

namespace tcpviz {

/// Which side sends the first FIN in a synthetic connection.
enum class SynthClose : std::uint8_t {
    Server, ///< the server closes first and piles up in TIME-WAIT (HTTP/1.0-style servers)
    Client, ///< the client closes first (TIME-WAIT on the clients)
    Mixed,  ///< alternates, connection by connection
};

/// A synthetic capture: many interleaved, complete connections to one server,
/// for demonstrations (a server's TIME-WAIT pile-up) and benchmarks.
struct SynthOptions {
    std::uint32_t connections = 1000;
    std::uint32_t dataSegments = 3; ///< request/response segments, alternating, each ACKed
    SynthClose close = SynthClose::Server;
    bool ipv6 = false;
    std::uint64_t seed = 1; ///< ISNs derive from it: same options, same bytes
    std::int64_t startNs = 1'700'000'000'000'000'000; ///< first SYN (2023-11-14)
    std::int64_t connectionIntervalNs = 20'000;       ///< between two connections' SYNs
    std::int64_t packetIntervalNs = 500'000;          ///< between a connection's packets
    std::uint32_t requestBytes = 200;
    std::uint32_t responseBytes = 1200;
    std::uint32_t snaplen = 128; ///< frames are cut here, as `tcpdump -s 128` would
    /// Data segments of one long connection (the first), whose packets are spread
    /// over the whole capture among the others; 0: it is like the rest. For the
    /// benchmark that reads one connection back from a large file.
    std::uint32_t longConnectionSegments = 0;
};

struct SynthResult {
    std::uint64_t packets = 0;
    std::uint64_t connections = 0;
};

/// Number of frames one connection produces: 3 (handshake) + 2K (data + ACK) + 4 (close).
[[nodiscard]] constexpr std::uint64_t synthPacketsPerConnection(std::uint32_t dataSegments) {
    return 7 + 2ULL * dataSegments;
}

/// Writes the capture to `path` ("-": standard output), packets in time order.
/// Deterministic. Each connection has its own client address:port (addresses
/// 10.x.y.z / 2001:db8::x, ports 32768..60999), the server is 192.168.100.1:80
/// (or [2001:db8::1]:80). The Error names the file.
Result<SynthResult> writeSynthCapture(const SynthOptions& options, const std::string& path);

} // namespace tcpviz
