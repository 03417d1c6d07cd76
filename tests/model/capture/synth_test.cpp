// The synthetic capture is used for demonstrations and benchmarks; it must be a
// consistent TCP exchange (so tools agree on it) and identical run after run.
#include "capture/capture_reader.h"
#include "capture/synth.h"

#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <iterator>
#include <map>
#include <set>

namespace fs = std::filesystem;

namespace tcpviz {
namespace {

std::string tempPath(const std::string& name) {
    return (fs::temp_directory_path() / ("tcpviz_synth_" + name)).string();
}

std::vector<DecodedPacket> readBack(const std::string& path, CaptureInfo& info) {
    std::vector<DecodedPacket> packets;
    const Status read = readCapture(
        path, {}, [&](const DecodedPacket& p) { packets.push_back(p); }, info);
    EXPECT_TRUE(read) << read.error().toString();
    return packets;
}

std::string slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
}

TEST(Synth, ProducesCompleteInterleavedConnectionsWithConsistentSequenceNumbers) {
    SynthOptions o;
    o.connections = 200;
    o.dataSegments = 3;
    o.connectionIntervalNs = 100'000; // several connections overlap (each lasts 6 ms)
    const std::string path = tempPath("a.pcap");
    const Result<SynthResult> written = writeSynthCapture(o, path);
    ASSERT_TRUE(written) << written.error().toString();
    const SynthResult& result = *written;
    EXPECT_EQ(result.packets, 200U * synthPacketsPerConnection(3));
    EXPECT_EQ(result.connections, 200U);

    CaptureInfo info;
    const auto packets = readBack(path, info);
    EXPECT_EQ(info.packets, result.packets);
    EXPECT_EQ(packets.size(), result.packets);
    EXPECT_TRUE(info.errors.empty());

    // Group by client address: each connection's packets, in order.
    std::map<SocketAddress, std::vector<const DecodedPacket*>> byClient;
    std::int64_t lastTime = 0;
    bool interleaved = false;
    SocketAddress previousClient;
    for (const auto& p : packets) {
        EXPECT_GE(p.timeNs, lastTime) << "time order";
        lastTime = p.timeNs;
        const bool fromServer = p.src.port == 80;
        const SocketAddress client = fromServer ? p.dst : p.src;
        if (!byClient.empty() && !(client == previousClient) && byClient.count(client) != 0) {
            interleaved = true;
        }
        previousClient = client;
        byClient[client].push_back(&p);
    }
    EXPECT_EQ(byClient.size(), 200U) << "distinct client address:port per connection";
    EXPECT_TRUE(interleaved);
    for (const auto& [client, conn] : byClient) {
        ASSERT_EQ(conn.size(), synthPacketsPerConnection(3));
        EXPECT_EQ(conn[0]->tcp.flags, flag::SYN);
        EXPECT_EQ(conn[1]->tcp.flags, flag::SYN | flag::ACK);
        EXPECT_EQ(conn[1]->tcp.ack, conn[0]->tcp.seq + 1);
        // Every segment's ack equals the next sequence number the peer has sent so far.
        std::uint32_t nextFrom[2] = {conn[0]->tcp.seq + 1, conn[1]->tcp.seq + 1};
        for (std::size_t i = 2; i < conn.size(); ++i) {
            const auto& p = *conn[i];
            const int side = p.src.port == 80 ? 1 : 0;
            EXPECT_EQ(p.tcp.seq, nextFrom[side]) << "packet " << p.number;
            EXPECT_EQ(p.tcp.ack, nextFrom[1 - side]) << "packet " << p.number;
            nextFrom[side] += p.tcp.seqLen();
        }
        // Server-first close: the server's FIN comes first and the server sends the
        // last ACK, so it is the side left in TIME-WAIT.
        const auto& firstFin = *conn[conn.size() - 4];
        EXPECT_TRUE(firstFin.tcp.has(flag::FIN));
        EXPECT_EQ(firstFin.src.port, 80);
        EXPECT_EQ(conn.back()->src.port, 80);
        EXPECT_EQ(conn.back()->tcp.flags, flag::ACK);
    }
    fs::remove(path);
}

TEST(Synth, IsDeterministicAndHonoursClientCloseAndIpv6) {
    SynthOptions o;
    o.connections = 30;
    o.dataSegments = 2;
    o.close = SynthClose::Client;
    o.ipv6 = true;
    const Result<SynthResult> r1 = writeSynthCapture(o, tempPath("b1.pcap"));
    ASSERT_TRUE(r1) << r1.error().toString();
    const Result<SynthResult> r2 = writeSynthCapture(o, tempPath("b2.pcap"));
    ASSERT_TRUE(r2) << r2.error().toString();
    EXPECT_EQ(r1->packets, r2->packets);
    EXPECT_EQ(slurp(tempPath("b1.pcap")), slurp(tempPath("b2.pcap")));
    CaptureInfo info;
    const auto packets = readBack(tempPath("b1.pcap"), info);
    ASSERT_EQ(packets.size(), 30U * synthPacketsPerConnection(2));
    EXPECT_TRUE(packets[0].src.ip.v6);
    std::size_t firstFinFromClient = 0;
    std::set<SocketAddress> finSeen;
    for (const auto& p : packets) {
        if (p.tcp.has(flag::FIN)) {
            const SocketAddress client = p.src.port == 80 ? p.dst : p.src;
            if (finSeen.insert(client).second && p.src.port != 80) {
                ++firstFinFromClient;
            }
        }
    }
    EXPECT_EQ(firstFinFromClient, 30U);
    fs::remove(tempPath("b1.pcap"));
    fs::remove(tempPath("b2.pcap"));
}

TEST(Synth, UnwritableOutputIsReportedByName) {
    const Result<SynthResult> r = writeSynthCapture({}, "/nonexistent-dir/s.pcap");
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().file, "/nonexistent-dir/s.pcap");
}

} // namespace
} // namespace tcpviz
