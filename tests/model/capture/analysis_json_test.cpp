#include "capture/analysis_json.h"
#include "capture/analyzer.h"
#include "capture/decoder.h"
#include "capture/frame_builder.h"
#include "capture/pcap_writer.h"
#include "capture/synth.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <sstream>
#include <unistd.h>

namespace tcpviz {
namespace {

namespace fs = std::filesystem;

AnalysisResult analyseSynth(const SynthOptions& o, const std::string& name) {
    const std::string path =
        (fs::temp_directory_path() / ("tcpviz_json_" + std::to_string(::getpid()) + "_" + name))
            .string();
    const Result<SynthResult> written = writeSynthCapture(o, path);
    EXPECT_TRUE(written) << written.error().toString();
    Result<AnalysisResult> analysed = analyzeCapture(path, {});
    fs::remove(path);
    EXPECT_TRUE(analysed) << analysed.error().toString();
    return analysed ? std::move(*analysed) : AnalysisResult{};
}

std::string epoch(std::int64_t ns) {
    char buf[48];
    std::snprintf(buf, sizeof buf, "%lld.%09lld", static_cast<long long>(ns / 1'000'000'000),
                  static_cast<long long>(ns % 1'000'000'000));
    return buf;
}

// The writer buffers in 1 MiB blocks: a document several blocks long must come out
// whole, every field as the analysis holds it.
TEST(AnalysisJson, ALongDocumentIsWrittenWholeWithEveryFieldAsAnalysed) {
    SynthOptions o;
    o.connections = 3000; // about 4 MiB of JSON
    o.dataSegments = 1;
    const AnalysisResult r = analyseSynth(o, "v4.pcap");
    ASSERT_EQ(r.connections.size(), 3000U);
    std::ostringstream out;
    writeAnalysisJson(out, r);
    ASSERT_GT(out.str().size(), std::size_t{3} << 20) << "long enough to need several blocks";
    const auto j = nlohmann::json::parse(out.str());
    EXPECT_EQ(j.at("packets").get<std::uint64_t>(), r.info.packets);
    EXPECT_EQ(j.at("tcp_packets").get<std::uint64_t>(), r.info.tcpPackets);
    ASSERT_EQ(j.at("connections").size(), r.connections.size());
    for (std::size_t i = 0; i < r.connections.size(); i += 97) {
        const auto& c = r.connections[i];
        const auto& jc = j.at("connections").at(i);
        EXPECT_EQ(jc.at("id").get<std::uint64_t>(), c.id);
        EXPECT_EQ(jc.at("client").get<std::string>(), c.client().toString());
        EXPECT_EQ(jc.at("server").get<std::string>(), c.server().toString());
        EXPECT_EQ(jc.at("packets").get<std::uint64_t>(), c.packets());
        EXPECT_EQ(jc.at("first_packet").get<std::uint64_t>(), c.firstPacket);
        EXPECT_EQ(jc.at("history").get<std::string>(), c.tracker.stats().history());
        EXPECT_EQ(jc.at("final_server_state").get<std::string>(),
                  std::string(stateName(c.finalState(Side::Server))));
        EXPECT_EQ(jc.at("client_states").size(), c.states(Side::Client).size());
    }
    // Times keep all nine decimals: compare the text, not a double.
    const std::string text = out.str();
    const auto& c0 = r.connections.front();
    EXPECT_NE(text.find("\"first_time\": " + epoch(c0.firstTimeNs) + ","), std::string::npos);
    EXPECT_NE(text.find("\"last_time\": " + epoch(c0.lastTimeNs) + ","), std::string::npos);
}

// A connection seen partly through a VXLAN tunnel is one connection; an ICMP error
// quoting one of its segments is counted in the document, not added to it.
TEST(AnalysisJson, TunnelledSegmentsJoinTheirConnectionAndIcmpErrorsAreCounted) {
    using Bytes = std::vector<std::uint8_t>;
    FrameSpec spec;
    spec.src = *parseSocketAddress("10.0.0.1:1234");
    spec.dst = *parseSocketAddress("10.0.0.2:80");
    spec.tcp.srcPort = 1234;
    spec.tcp.dstPort = 80;
    spec.tcp.flags = flag::SYN;
    Bytes syn;
    buildTcpFrame(spec, syn);
    std::swap(spec.src, spec.dst);
    std::swap(spec.tcp.srcPort, spec.tcp.dstPort);
    spec.tcp.flags = flag::SYN | flag::ACK;
    spec.tcp.ack = 1;
    Bytes synAck;
    buildTcpFrame(spec, synAck);

    // `payload` behind a header of `header` bytes whose 16-bit length field at `at`
    // counts `base` plus the payload.
    const auto wrap = [](Bytes header, std::size_t at, std::size_t base, const Bytes& payload) {
        const std::size_t length = base + payload.size();
        header[at] = static_cast<std::uint8_t>(length >> 8);
        header[at + 1] = static_cast<std::uint8_t>(length);
        const std::size_t size = header.size();
        header.resize(size + payload.size());
        std::copy(payload.begin(), payload.end(),
                  header.begin() + static_cast<std::ptrdiff_t>(size));
        return header;
    };
    const auto ipv4 = [&wrap](std::uint8_t protocol, const Bytes& payload) {
        return wrap({0x45, 0, 0, 0, 0, 0, 0, 0, 64, protocol, 0, 0, 192, 0, 2, 1, 192, 0, 2, 2}, 2,
                    20, payload);
    };
    // The SYN-ACK inside Ethernet / VXLAN / UDP 4789 / IPv4.
    const Bytes vxlan =
        wrap({0xc3, 0x50, 0x12, 0xb5, 0, 0, 0, 0, 0x08, 0, 0, 0, 0, 0, 1, 0}, 4, 16, synAck);
    const Bytes tunnelled = ipv4(17, vxlan);
    // Host unreachable quoting the SYN's IP header and first 8 TCP bytes.
    Bytes icmp = {3, 1, 0, 0, 0, 0, 0, 0};
    icmp.resize(8 + 28);
    std::copy(syn.begin() + 14, syn.begin() + 42, icmp.begin() + 8);
    const Bytes unreachable = ipv4(1, icmp);

    const std::string path =
        (fs::temp_directory_path() / ("tcpviz_json_tunnel_" + std::to_string(::getpid()) + ".pcap"))
            .string();
    PcapWriter writer;
    ASSERT_TRUE(writer.open(path, linktype::Raw, 65535, false));
    const Bytes synIp(syn.begin() + 14, syn.end());
    std::int64_t t = 1'000'000'000;
    for (const Bytes* f : {&synIp, &tunnelled, &unreachable}) {
        ASSERT_TRUE(writer.write(t, f->data(), static_cast<std::uint32_t>(f->size()),
                                 static_cast<std::uint32_t>(f->size())));
        t += 1000;
    }
    ASSERT_TRUE(writer.close());
    Result<AnalysisResult> r = analyzeCapture(path, {});
    fs::remove(path);
    ASSERT_TRUE(r) << r.error().toString();
    EXPECT_TRUE(r->info.errors.empty()) << r->info.errors.front().message;
    EXPECT_EQ(r->info.tcpPackets, 2U);
    EXPECT_EQ(r->info.icmpQuotedTcp, 1U);
    ASSERT_EQ(r->connections.size(), 1U);
    EXPECT_EQ(r->connections[0].packets(), 2U);
    EXPECT_EQ(r->connections[0].client().toString(), "10.0.0.1:1234");

    std::ostringstream out;
    writeAnalysisJson(out, *r);
    const auto j = nlohmann::json::parse(out.str());
    EXPECT_EQ(j.at("icmp_quoted_tcp").get<std::uint64_t>(), 1U);
}

// ICMP errors are counted against the connection whose packet they quote (its
// 4-tuple, sent by either end), and still in the document's total.
TEST(AnalysisJson, IcmpErrorsAreCountedPerConnectionByTheQuotedTuple) {
    using Bytes = std::vector<std::uint8_t>;
    // A raw IPv4 frame (buildTcpFrame gives Ethernet: its 14 bytes are dropped).
    const auto tcpFrame = [](const char* from, const char* to, std::uint8_t flags) {
        FrameSpec spec;
        spec.src = *parseSocketAddress(from);
        spec.dst = *parseSocketAddress(to);
        spec.tcp.srcPort = spec.src.port;
        spec.tcp.dstPort = spec.dst.port;
        spec.tcp.flags = flags;
        Bytes f;
        buildTcpFrame(spec, f);
        return Bytes(f.begin() + 14, f.end());
    };
    // ICMP `type`/`code` from 192.0.2.254 quoting the IP header + 8 TCP bytes of `quoted`.
    const auto icmpError = [](std::uint8_t type, std::uint8_t code, const Bytes& quoted) {
        Bytes f = {0x45, 0, 0, 0, 0, 0, 0, 0, 64, 1, 0, 0, 192, 0, 2, 254, 10, 0, 0, 1};
        const Bytes icmp = {type, code, 0, 0, 0, 0, 0, 0};
        f.insert(f.end(), icmp.begin(), icmp.end());
        f.insert(f.end(), quoted.begin(), quoted.begin() + 28);
        f[2] = static_cast<std::uint8_t>(f.size() >> 8);
        f[3] = static_cast<std::uint8_t>(f.size());
        return f;
    };
    const Bytes synA = tcpFrame("10.0.0.1:1234", "10.0.0.2:80", flag::SYN);
    const Bytes synAckA = tcpFrame("10.0.0.2:80", "10.0.0.1:1234", flag::SYN | flag::ACK);
    const Bytes synB = tcpFrame("10.0.0.1:1235", "10.0.0.2:80", flag::SYN);
    const Bytes otherSyn = tcpFrame("10.0.0.1:1236", "10.0.0.2:80", flag::SYN); // never sent
    const std::vector<Bytes> frames = {
        synA,
        icmpError(3, 1, synA), // host unreachable, quoting the client's SYN
        synB,
        synAckA,
        icmpError(11, 0, synAckA), // time exceeded, quoting the server's SYN-ACK
        icmpError(3, 3, synB),     // port unreachable
        icmpError(3, 1, synA),
        icmpError(3, 1, otherSyn), // a connection the capture never saw
    };
    const std::string path =
        (fs::temp_directory_path() / ("tcpviz_json_icmp_" + std::to_string(::getpid()) + ".pcap"))
            .string();
    PcapWriter writer;
    ASSERT_TRUE(writer.open(path, linktype::Raw, 65535, false));
    std::int64_t t = 1'000'000'000;
    for (const Bytes& f : frames) {
        ASSERT_TRUE(writer.write(t, f.data(), static_cast<std::uint32_t>(f.size()),
                                 static_cast<std::uint32_t>(f.size())));
        t += 1000;
    }
    ASSERT_TRUE(writer.close());
    Result<AnalysisResult> r = analyzeCapture(path, {});
    fs::remove(path);
    ASSERT_TRUE(r) << r.error().toString();
    EXPECT_TRUE(r->info.errors.empty()) << r->info.errors.front().message;
    EXPECT_EQ(r->info.tcpPackets, 3U) << "quotes are not segments";
    EXPECT_EQ(r->info.icmpQuotedTcp, 5U);
    EXPECT_EQ(r->unmatchedIcmpErrors, 1U);
    ASSERT_EQ(r->connections.size(), 2U);
    EXPECT_EQ(r->connections[0].client().toString(), "10.0.0.1:1234");
    EXPECT_EQ(r->connections[0].icmpErrors, 3U);
    EXPECT_EQ(r->connections[0].packets(), 2U);
    EXPECT_EQ(r->connections[1].icmpErrors, 1U);
    EXPECT_EQ(r->connections[1].packets(), 1U);

    std::ostringstream out;
    writeAnalysisJson(out, *r);
    const auto j = nlohmann::json::parse(out.str());
    EXPECT_EQ(j.at("icmp_quoted_tcp").get<std::uint64_t>(), 5U);
    EXPECT_EQ(j.at("connections").at(0).at("icmp_errors").get<std::uint64_t>(), 3U);
    EXPECT_EQ(j.at("connections").at(1).at("icmp_errors").get<std::uint64_t>(), 1U);
}

TEST(AnalysisJson, Ipv6AddressesAreBracketedAndMessagesEscaped) {
    SynthOptions o;
    o.connections = 2;
    o.ipv6 = true;
    AnalysisResult r = analyseSynth(o, "v6.pcap");
    ASSERT_EQ(r.connections.size(), 2U);
    r.info.file = "dir/\"odd\"\tname.pcap";
    r.info.errors.push_back({7, "bad \\ length\n\x01"});
    std::ostringstream out;
    writeAnalysisJson(out, r);
    const auto j = nlohmann::json::parse(out.str());
    EXPECT_EQ(j.at("file").get<std::string>(), r.info.file);
    ASSERT_EQ(j.at("errors").size(), 1U);
    EXPECT_EQ(j.at("errors").at(0).at("packet").get<std::uint64_t>(), 7U);
    EXPECT_EQ(j.at("errors").at(0).at("message").get<std::string>(), "bad \\ length\n\x01");
    const std::string client = j.at("connections").at(0).at("client").get<std::string>();
    EXPECT_EQ(client, r.connections.front().client().toString());
    EXPECT_EQ(client.front(), '[');
}

} // namespace
} // namespace tcpviz
