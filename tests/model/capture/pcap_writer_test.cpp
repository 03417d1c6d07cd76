// The pcap files tcpviz writes (simulated traces, synthetic captures) must open
// in Wireshark without complaints: valid headers, lengths and checksums.
#include "capture/frame_builder.h"
#include "capture/pcap_writer.h"
#include "capture/trace_pcap.h"

#include <filesystem>
#include <gtest/gtest.h>
#include <pcap/pcap.h>
#include <string>
#include <vector>

namespace tcpviz {
namespace {

struct Frame {
    std::int64_t timeNs = 0;
    std::vector<std::uint8_t> bytes;
    std::uint32_t wireLen = 0;
};

std::vector<Frame> readAll(const std::string& path, int& linkType) {
    char err[PCAP_ERRBUF_SIZE] = {};
    pcap_t* p =
        pcap_open_offline_with_tstamp_precision(path.c_str(), PCAP_TSTAMP_PRECISION_NANO, err);
    EXPECT_NE(p, nullptr) << err;
    std::vector<Frame> frames;
    if (p == nullptr) {
        return frames;
    }
    linkType = pcap_datalink(p);
    pcap_pkthdr* h = nullptr;
    const u_char* data = nullptr;
    while (pcap_next_ex(p, &h, &data) == 1) {
        frames.push_back({h->ts.tv_sec * 1'000'000'000LL + h->ts.tv_usec,
                          std::vector<std::uint8_t>(data, data + h->caplen), h->len});
    }
    pcap_close(p);
    return frames;
}

std::uint16_t onesComplement(const std::uint8_t* p, std::size_t n, std::uint32_t sum = 0) {
    for (std::size_t i = 0; i + 1 < n; i += 2) {
        sum += (p[i] << 8) | p[i + 1];
    }
    if (n % 2 != 0) {
        sum += p[n - 1] << 8;
    }
    while (sum >> 16) {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    return static_cast<std::uint16_t>(sum);
}

/// True when both IPv4 header and TCP checksums verify (sum over data incl. checksum = 0xffff).
bool checksumsValid(const std::vector<std::uint8_t>& f) {
    const std::uint8_t* ip = f.data() + 14;
    if ((ip[0] >> 4) == 4) {
        const std::size_t ihl = (ip[0] & 0xf) * 4;
        if (onesComplement(ip, ihl) != 0xffff) {
            return false;
        }
        const std::size_t total = (ip[2] << 8) | ip[3];
        std::uint32_t pseudo = onesComplement(ip + 12, 8);
        pseudo += 6 + static_cast<std::uint32_t>(total - ihl);
        return onesComplement(ip + ihl, total - ihl, pseudo) == 0xffff;
    }
    const std::size_t plen = (ip[4] << 8) | ip[5];
    std::uint32_t pseudo = onesComplement(ip + 8, 32);
    pseudo += 6 + static_cast<std::uint32_t>(plen);
    return onesComplement(ip + 40, plen, pseudo) == 0xffff;
}

std::string tempPath(const std::string& name) {
    return (std::filesystem::temp_directory_path() / ("tcpviz_" + name)).string();
}

TEST(PcapWriter, WritesRecordsThatLibpcapReadsBackWithNanoseconds) {
    const std::string path = tempPath("writer_nano.pcap");
    PcapWriter w;
    const Status opened = w.open(path, 1, 65535, true);
    ASSERT_TRUE(opened) << opened.error().toString();
    const std::vector<std::uint8_t> a(60, 0xab);
    ASSERT_TRUE(w.write(1'700'000'000'123'456'789LL, a.data(), 60, 1500));
    const Status closed = w.close();
    ASSERT_TRUE(closed) << closed.error().toString();
    int link = -1;
    const auto frames = readAll(path, link);
    EXPECT_EQ(link, 1);
    ASSERT_EQ(frames.size(), 1U);
    EXPECT_EQ(frames[0].timeNs, 1'700'000'000'123'456'789LL);
    EXPECT_EQ(frames[0].bytes, a);
    EXPECT_EQ(frames[0].wireLen, 1500U);
    std::filesystem::remove(path);
}

TEST(PcapWriter, ReportsAnUnwritablePathByName) {
    PcapWriter w;
    const Status opened = w.open("/nonexistent-dir/x.pcap", 1, 65535, false);
    ASSERT_FALSE(opened);
    EXPECT_EQ(opened.error().file, "/nonexistent-dir/x.pcap");
    EXPECT_NE(opened.error().toString().find("/nonexistent-dir/x.pcap: cannot create: "),
              std::string::npos)
        << opened.error().toString();
}

TEST(FrameBuilder, Ipv4AndIpv6FramesCarryValidChecksumsAndOptions) {
    for (const char* addr : {"10.1.2.3:40000", "[2001:db8::7]:40000"}) {
        FrameSpec spec;
        spec.src = *parseSocketAddress(addr);
        spec.dst = spec.src;
        spec.dst.port = 80;
        spec.tcp.srcPort = 40000;
        spec.tcp.dstPort = 80;
        spec.tcp.seq = 123456;
        spec.tcp.flags = flag::SYN;
        spec.tcp.window = 64240;
        spec.tcp.len = 7; // odd payload length exercises checksum padding
        spec.tcp.options.mss = 1460;
        spec.tcp.options.sackPermitted = true;
        spec.tcp.options.timestamp = std::pair{1U, 0U};
        spec.tcp.options.windowScale = 7;
        std::vector<std::uint8_t> frame;
        buildTcpFrame(spec, frame);
        EXPECT_TRUE(checksumsValid(frame)) << addr;
        const std::size_t ipLen = spec.src.ip.v6 ? 40 : 20;
        const std::uint8_t* tcp = frame.data() + 14 + ipLen;
        EXPECT_EQ((tcp[12] >> 4) * 4, 40) << "20 + MSS 4 + SACKOK/TS 12 + WS 4";
        EXPECT_EQ(frame.size(), 14 + ipLen + 40 + 7);
    }
}

TEST(TracePcap, WritesEverySendEventIncludingInjectedAtItsTime) {
    Trace trace;
    trace.meta.client.address = *parseSocketAddress("192.168.0.2:52528");
    trace.meta.server.address = *parseSocketAddress("192.168.0.1:80");
    auto send = [&trace](Side side, std::int64_t t, std::uint8_t flags, std::uint32_t seq,
                         std::uint32_t len, bool injected) {
        TraceEvent e;
        e.kind = EventKind::Send;
        e.endpoint = side;
        e.timeUs = t;
        e.segment.flags = flags;
        e.segment.seq = seq;
        e.segment.len = len;
        e.segment.window = 65535;
        e.segment.srcPort = side == Side::Client ? 52528 : 80;
        e.segment.dstPort = side == Side::Client ? 80 : 52528;
        e.injected = injected;
        trace.append(e, Snapshot{});
    };
    send(Side::Client, 0, flag::SYN, 100, 0, false);
    TraceEvent call; // non-Send events produce no frame
    trace.append(call, Snapshot{});
    send(Side::Server, 50'000, flag::SYN | flag::ACK, 300, 0, false);
    send(Side::Client, 100'000, flag::ACK | flag::PSH, 101, 100, false);
    send(Side::Client, 3'000'000, flag::RST, 5000, 0, true);

    const std::string path = tempPath("trace.pcap");
    const Status written = writeTracePcap(trace, path);
    ASSERT_TRUE(written) << written.error().toString();
    int link = -1;
    const auto frames = readAll(path, link);
    EXPECT_EQ(link, 1);
    ASSERT_EQ(frames.size(), 4U);
    EXPECT_EQ(frames[1].timeNs, 50'000'000);
    EXPECT_EQ(frames[3].timeNs, 3'000'000'000);
    for (const auto& f : frames) {
        EXPECT_TRUE(checksumsValid(f.bytes));
    }
    // Server's SYN,ACK goes from 192.168.0.1:80 to the client.
    const std::uint8_t* ip = frames[1].bytes.data() + 14;
    EXPECT_EQ(ip[12], 192);
    EXPECT_EQ(ip[15], 1);
    EXPECT_EQ(ip[19], 2);
    EXPECT_EQ(frames[1].bytes[14 + 20 + 13], flag::SYN | flag::ACK);
    EXPECT_EQ(frames[2].bytes.size(), 14U + 20 + 20 + 100);
    std::filesystem::remove(path);
}

TEST(TracePcap, Ipv6EndpointsGiveIpv6Frames) {
    Trace trace;
    trace.meta.client.address = *parseSocketAddress("[2001:db8::2]:52528");
    trace.meta.server.address = *parseSocketAddress("[2001:db8::1]:80");
    TraceEvent e;
    e.kind = EventKind::Send;
    e.segment.flags = flag::SYN;
    trace.append(e, Snapshot{});
    const std::string path = tempPath("trace6.pcap");
    const Status written = writeTracePcap(trace, path);
    ASSERT_TRUE(written) << written.error().toString();
    int link = -1;
    const auto frames = readAll(path, link);
    ASSERT_EQ(frames.size(), 1U);
    EXPECT_EQ(frames[0].bytes[12], 0x86);
    EXPECT_EQ(frames[0].bytes[13], 0xdd);
    EXPECT_TRUE(checksumsValid(frames[0].bytes));
    std::filesystem::remove(path);
}

} // namespace
} // namespace tcpviz
