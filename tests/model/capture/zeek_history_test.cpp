// Zeek's conn.log history letters C (a packet with a bad checksum) and G (a content
// gap), as Zeek's documentation of Conn::Info$history describes them: upper case
// for the originator (the client), lower case for the responder; 'c', 'g', 't'
// and 'w' are written in a logarithmic fashion (the second letter means the event
// was seen at least 10 times, the third 100 times).
#include "capture/analysis_json.h"
#include "capture/analyzer.h"
#include "capture/decoder.h"
#include "capture/frame_builder.h"
#include "capture/frame_processor.h"
#include "capture/pcap_writer.h"
#include "capture/wire.h"

#include <algorithm>
#include <filesystem>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <sstream>
#include <unistd.h>

namespace tcpviz {
namespace {

namespace fs = std::filesystem;

std::string history(const Wire& w) {
    Analyzer a;
    for (const auto& p : w.packets()) {
        a.add(p);
    }
    const auto r = a.finish({});
    EXPECT_EQ(r.connections.size(), 1U);
    return r.connections.empty() ? "" : r.connections.front().tracker.stats().history();
}

void handshake(Wire& w) {
    w.send(Side::Client, "SYN", 100, 0);
    w.send(Side::Server, "SYN,ACK", 300, 101);
    w.send(Side::Client, "ACK", 101, 301);
}

TEST(ZeekHistory, DataTheReceiverAcknowledgedButTheCaptureMissedIsAGap) {
    Wire w;
    handshake(w);
    w.send(Side::Client, "PSH,ACK", 105, 301, 4); // bytes 101..104 never captured
    w.send(Side::Server, "ACK", 301, 109);        // the server had them all
    w.send(Side::Client, "FIN,ACK", 109, 301);
    w.send(Side::Server, "FIN,ACK", 301, 110);
    w.send(Side::Client, "ACK", 110, 302);
    // S h A D, then the server's first pure ACK (a), which acknowledges past the
    // hole in the client's data: the client's content gap (G).
    EXPECT_EQ(history(w), "ShADaGFf");
}

TEST(ZeekHistory, RetransmissionsAreWrittenAtTheFirstTenthAndHundredth) {
    // The scaled threshold is kept as a power of ten: T at the 1st, 10th and 100th
    // retransmission of the client, t at the 1st and 10th of the server, no more.
    for (const int clientCopies : {1, 9, 10, 99, 100, 150}) {
        Wire w;
        handshake(w);
        w.send(Side::Client, "PSH,ACK", 101, 301, 10);
        w.send(Side::Server, "PSH,ACK", 301, 111, 10);
        for (int i = 0; i < clientCopies; ++i) {
            w.send(Side::Client, "PSH,ACK", 101, 301, 10);
        }
        for (int i = 0; i < 10; ++i) {
            w.send(Side::Server, "PSH,ACK", 301, 111, 10);
        }
        const std::string h = history(w);
        const auto upper = std::count(h.begin(), h.end(), 'T');
        const auto lower = std::count(h.begin(), h.end(), 't');
        const long expected = clientCopies >= 100 ? 3 : clientCopies >= 10 ? 2 : 1;
        EXPECT_EQ(upper, expected) << clientCopies << " copies: " << h;
        EXPECT_EQ(lower, 2) << h;
    }
}

TEST(ZeekHistory, AHoleFilledLaterIsNoGap) {
    Wire w;
    handshake(w);
    w.send(Side::Client, "PSH,ACK", 105, 301, 4); // arrives first (reordered)
    w.send(Side::Client, "PSH,ACK", 101, 301, 4); // fills the hole
    w.send(Side::Server, "ACK", 301, 109);
    const std::string h = history(w);
    EXPECT_EQ(h.find('G'), std::string::npos) << h;
    EXPECT_EQ(h.find('g'), std::string::npos) << h;
}

TEST(ZeekHistory, AHoleNotYetAcknowledgedIsNoGap) {
    Wire w;
    handshake(w);
    w.send(Side::Client, "PSH,ACK", 105, 301, 4);
    w.send(Side::Server, "ACK", 301, 101); // only up to the hole: it may still come
    const std::string h = history(w);
    EXPECT_EQ(h.find('G'), std::string::npos) << h;
}

TEST(ZeekHistory, GapsAreWrittenLogarithmicallyAndInLowerCaseForTheResponder) {
    Wire w;
    handshake(w);
    std::uint32_t seq = 301;
    for (int i = 0; i < 10; ++i) {
        seq += 4; // 4 bytes the capture missed
        w.send(Side::Server, "PSH,ACK", seq, 101, 4);
        seq += 4;
        w.send(Side::Client, "ACK", 101, seq); // acknowledged past the hole
    }
    // The 1st and the 10th gap write 'g'; the 2nd to 9th do not.
    EXPECT_EQ(history(w), "ShAdgg");
}

// --- C: checksums, validated only when asked -------------------------------------

struct CraftedCapture {
    CraftedCapture() {
        std::uint16_t ipId = 0;
        const auto frame = [&ipId](const char* from, const char* to, std::uint8_t flags,
                                   std::uint32_t seq, std::uint32_t ack, std::uint32_t len) {
            FrameSpec spec;
            spec.ipId = ++ipId; // a new datagram each: a resent segment is a retransmission
            spec.src = *parseSocketAddress(from);
            spec.dst = *parseSocketAddress(to);
            spec.tcp.srcPort = spec.src.port;
            spec.tcp.dstPort = spec.dst.port;
            spec.tcp.flags = flags;
            spec.tcp.seq = seq;
            spec.tcp.ack = ack;
            spec.tcp.len = len;
            spec.tcp.window = 65535;
            std::vector<std::uint8_t> f;
            buildTcpFrame(spec, f);
            return f;
        };
        const char* c = "10.0.0.1:40000";
        const char* s = "10.0.0.2:80";
        frames = {
            frame(c, s, flag::SYN, 100, 0, 0),
            frame(s, c, flag::SYN | flag::ACK, 300, 101, 0),
            frame(c, s, flag::ACK, 101, 301, 0),
            frame(c, s, flag::PSH | flag::ACK, 101, 301, 10), // corrupted below
            frame(c, s, flag::PSH | flag::ACK, 101, 301, 10), // the retransmission
            frame(s, c, flag::ACK, 301, 111, 0),
        };
        frames[3].back() ^= 0x5a; // a payload byte flipped on the way
        PcapWriter writer;
        EXPECT_TRUE(writer.open(path, linktype::Ethernet, 65535, false));
        std::int64_t t = 1'000'000'000;
        for (const auto& f : frames) {
            EXPECT_TRUE(writer.write(t, f.data(), static_cast<std::uint32_t>(f.size()),
                                     static_cast<std::uint32_t>(f.size())));
            t += 1'000'000;
        }
        EXPECT_TRUE(writer.close());
    }
    ~CraftedCapture() { fs::remove(path); }
    CraftedCapture(const CraftedCapture&) = delete;
    CraftedCapture& operator=(const CraftedCapture&) = delete;
    std::vector<std::vector<std::uint8_t>> frames;
    std::string path =
        (fs::temp_directory_path() / ("tcpviz_checksum_" + std::to_string(::getpid()) + ".pcap"))
            .string();
};

TEST(ZeekHistory, TheChecksumIsComputedOverThePseudoHeaderAndTheSegment) {
    const CraftedCapture capture;
    for (std::size_t i = 0; i < capture.frames.size(); ++i) {
        const auto& f = capture.frames[i];
        DecodedPacket p;
        std::string error;
        ASSERT_EQ(decodeFrame(linktype::Ethernet, f.data(), static_cast<std::uint32_t>(f.size()),
                              static_cast<std::uint32_t>(f.size()), p, error),
                  DecodeStatus::Tcp);
        EXPECT_EQ(tcpChecksumOk(f.data(), static_cast<std::uint32_t>(f.size()), p), i != 3)
            << "frame " << i;
        // Cut by the snap length: the checksum cannot be told.
        EXPECT_FALSE(tcpChecksumOk(f.data(), p.tcpOffset + p.tcpBytes - 1, p)) << "frame " << i;
    }
    // IPv6: the pseudo-header of RFC 8200.
    FrameSpec spec;
    spec.src = *parseSocketAddress("[2001:db8::1]:40000");
    spec.dst = *parseSocketAddress("[2001:db8::2]:80");
    spec.tcp.srcPort = 40000;
    spec.tcp.dstPort = 80;
    spec.tcp.flags = flag::ACK;
    spec.tcp.len = 7;
    std::vector<std::uint8_t> f;
    buildTcpFrame(spec, f);
    DecodedPacket p;
    std::string error;
    ASSERT_EQ(decodeFrame(linktype::Ethernet, f.data(), static_cast<std::uint32_t>(f.size()),
                          static_cast<std::uint32_t>(f.size()), p, error),
              DecodeStatus::Tcp);
    EXPECT_EQ(tcpChecksumOk(f.data(), static_cast<std::uint32_t>(f.size()), p), true);
    f[14 + 40 + 4] ^= 1; // Ethernet, IPv6, then the TCP sequence number
    ASSERT_EQ(decodeFrame(linktype::Ethernet, f.data(), static_cast<std::uint32_t>(f.size()),
                          static_cast<std::uint32_t>(f.size()), p, error),
              DecodeStatus::Tcp);
    EXPECT_EQ(tcpChecksumOk(f.data(), static_cast<std::uint32_t>(f.size()), p), false);
}

TEST(ZeekHistory, ABadChecksumIsMarkedCAndTheSegmentIsNotFollowed) {
    const CraftedCapture capture;
    AnalyzeOptions checking;
    checking.checkChecksums = true;
    const Result<AnalysisResult> r = analyzeCapture(capture.path, checking);
    ASSERT_TRUE(r) << r.error().toString();
    ASSERT_EQ(r->connections.size(), 1U);
    const auto& st = r->connections.front().tracker.stats();
    // The corrupted segment: C, and not data; its retransmission is the data (D),
    // not a retransmission (T): the corrupted one never counted.
    EXPECT_EQ(st.history(), "ShACDa");
    EXPECT_EQ(st.retransmissions, 0U);
    EXPECT_EQ(st.bytes[0], 10U);
    EXPECT_EQ(r->connections.front().packets(), 5U);
    EXPECT_EQ(r->info.badChecksums, 1U);
    std::ostringstream out;
    writeAnalysisJson(out, *r);
    const auto j = nlohmann::json::parse(out.str());
    EXPECT_EQ(j.at("bad_checksums").get<std::uint64_t>(), 1U);
    EXPECT_EQ(j.at("connections").at(0).at("history").get<std::string>(), "ShACDa");

    // Not validated (the default): the corrupted copy is data, the next a retransmission.
    const Result<AnalysisResult> plain = analyzeCapture(capture.path, AnalyzeOptions{});
    ASSERT_TRUE(plain);
    const auto& ps = plain->connections.front().tracker.stats();
    EXPECT_EQ(ps.history().find('C'), std::string::npos) << ps.history();
    EXPECT_EQ(ps.retransmissions, 1U);
    EXPECT_EQ(plain->info.badChecksums, 0U);
}

} // namespace
} // namespace tcpviz
