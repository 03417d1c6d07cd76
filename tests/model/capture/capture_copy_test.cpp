// CaptureCopies: a packet the capture recorded twice is told from a segment TCP
// sent twice, and the tracker, the counters and the replay leave the copy out.
#include "capture/analyzer.h"
#include "capture/capture_copy.h"
#include "capture/connection_trace.h"
#include "capture/passive_tracker.h"
#include "narration/narrator.h"
#include "test_skip.h"

#include <filesystem>
#include <gtest/gtest.h>

namespace tcpviz {
namespace {

SocketAddress addr(std::uint8_t last, std::uint16_t port) {
    SocketAddress a;
    a.ip.bytes = {10, 0, 0, last};
    a.port = port;
    return a;
}

// A data segment from the client, `id` its IPv4 identification (0: none).
DecodedPacket data(std::uint64_t number, std::int64_t timeUs, std::uint16_t id) {
    DecodedPacket p;
    p.number = number;
    p.timeNs = timeUs * 1000;
    p.src = addr(1, 40000);
    p.dst = addr(2, 80);
    p.tcp.srcPort = 40000;
    p.tcp.dstPort = 80;
    p.tcp.seq = 1001;
    p.tcp.ack = 5001;
    p.tcp.flags = flag::PSH | flag::ACK;
    p.tcp.window = 65535;
    p.tcp.len = 100;
    p.ipId = id;
    return p;
}

DecodedPacket ackFromServer(std::uint64_t number, std::int64_t timeUs, std::uint16_t id) {
    DecodedPacket p = data(number, timeUs, id);
    std::swap(p.src, p.dst);
    std::swap(p.tcp.srcPort, p.tcp.dstPort);
    p.tcp.seq = 5001;
    p.tcp.ack = 1101;
    p.tcp.flags = flag::ACK;
    p.tcp.len = 0;
    return p;
}

TEST(CaptureCopies, TheSameDatagramWithinTheIntervalIsACopy) {
    CaptureCopies copies;
    EXPECT_EQ(copies.check(Side::Client, data(1, 0, 0x0df8)), 0U);
    // 5 µs later, and 51 ms later with the peer's packet in between: same datagram.
    EXPECT_EQ(copies.check(Side::Client, data(2, 5, 0x0df8)), 1U);
    EXPECT_EQ(copies.check(Side::Server, ackFromServer(3, 2'000, 0xa341)), 0U);
    EXPECT_EQ(copies.check(Side::Client, data(4, 51'000, 0x0df8)), 1U);
}

TEST(CaptureCopies, ANewIdentificationOrALateCopyIsNot) {
    {
        // The TCP sent the segment again: a new datagram, a new identification.
        CaptureCopies copies;
        EXPECT_EQ(copies.check(Side::Client, data(1, 0, 0x0df8)), 0U);
        EXPECT_EQ(copies.check(Side::Client, data(2, 200, 0x0df9)), 0U);
    }
    {
        // The same identification, but past the 100 ms interval.
        CaptureCopies copies;
        EXPECT_EQ(copies.check(Side::Client, data(1, 0, 0x0df8)), 0U);
        EXPECT_EQ(copies.check(Side::Client, data(2, 100'001, 0x0df8)), 0U);
    }
    {
        // A different header (the window moved) is a different segment.
        CaptureCopies copies;
        EXPECT_EQ(copies.check(Side::Client, data(1, 0, 0x0df8)), 0U);
        DecodedPacket other = data(2, 5, 0x0df8);
        other.tcp.window = 64000;
        EXPECT_EQ(copies.check(Side::Client, other), 0U);
    }
}

TEST(CaptureCopies, WithoutIdentificationOnlyABackToBackRepeatIsACopy) {
    {
        // IPv6 (no identification): within 1 ms, nothing in between.
        CaptureCopies copies;
        EXPECT_EQ(copies.check(Side::Client, data(1, 0, 0)), 0U);
        EXPECT_EQ(copies.check(Side::Client, data(2, 1'000, 0)), 1U);
        EXPECT_EQ(copies.check(Side::Client, data(3, 1'400, 0)), 1U); // a third recording
    }
    {
        // Outside the millisecond.
        CaptureCopies copies;
        EXPECT_EQ(copies.check(Side::Client, data(1, 0, 0)), 0U);
        EXPECT_EQ(copies.check(Side::Client, data(2, 1'001, 0)), 0U);
    }
    {
        // Within the millisecond, but the peer's packet came in between: TCP may
        // have been prompted to send it again.
        CaptureCopies copies;
        EXPECT_EQ(copies.check(Side::Client, data(1, 0, 0)), 0U);
        EXPECT_EQ(copies.check(Side::Server, ackFromServer(2, 300, 0)), 0U);
        EXPECT_EQ(copies.check(Side::Client, data(3, 600, 0)), 0U);
    }
}

TEST(CaptureCopies, TheTrackerCountsACopyApartFromRetransmissions) {
    std::vector<DecodedPacket> packets{data(1, 0, 7), data(2, 4, 7), data(3, 300'000, 8)};
    PassiveTracker tracker;
    std::vector<std::uint64_t> copyOf;
    std::vector<bool> retransmission;
    for (const DecodedPacket& p : packets) {
        const TrackerStep step = tracker.onPacket(p);
        copyOf.push_back(step.captureCopyOf);
        retransmission.push_back(step.retransmission);
    }
    EXPECT_EQ(copyOf, (std::vector<std::uint64_t>{0, 1, 0}));
    // Packet 3 is the TCP's retransmission (a new datagram 300 ms later).
    EXPECT_EQ(retransmission, (std::vector<bool>{false, false, true}));
    EXPECT_EQ(tracker.stats().retransmissions, 1U);
    EXPECT_EQ(tracker.stats().captureCopies, 1U);
    EXPECT_EQ(tracker.stats().wiresharkRetransmissions(), 2U);
    EXPECT_EQ(tracker.stats().bytes[0], 100U);
    EXPECT_EQ(tracker.packets(), 3U);

    const Trace trace = buildConnectionTrace(packets);
    std::vector<std::uint32_t> copies;
    for (const TraceEvent& e : trace.events()) {
        if (e.kind == EventKind::Send) {
            copies.push_back(e.captureCopyOf);
        }
    }
    EXPECT_EQ(copies, (std::vector<std::uint32_t>{0, 1, 0}));
    EXPECT_EQ(withoutCaptureCopies(packets).size(), 2U);
    // The narration says what the copy is, in both languages, naming the packet.
    std::size_t arrivals = 0;
    for (std::size_t i = 0; i < trace.size(); ++i) {
        if (trace.event(i).captureCopyOf != 0 && trace.event(i).kind == EventKind::Send) {
            const LocalizedText text = narrate(trace, i);
            EXPECT_NE(text.en.find("recorded packet 1 a second time"), std::string::npos)
                << text.en;
            EXPECT_NE(text.zh.find("第 1 号分组又记录了一次"), std::string::npos) << text.zh;
            EXPECT_EQ(text.en.find("Retransmission"), std::string::npos) << text.en;
        }
        // Its arrival (the ladder's other end) says that nothing new arrived.
        if (trace.event(i).captureCopyOf != 0 && trace.event(i).kind == EventKind::Arrive) {
            const LocalizedText text = narrate(trace, i);
            EXPECT_NE(text.en.find("second record of packet 1"), std::string::npos) << text.en;
            EXPECT_EQ(text.en.find("accepted"), std::string::npos) << text.en;
            ++arrivals;
        }
    }
    EXPECT_EQ(arrivals, 1U);
}

// The corpus capture made on several interfaces at once: every packet recorded
// two to four times, and not one retransmission by TCP.
TEST(CaptureCopies, ArkimeWiresharkRetransHasCopiesAndNoRetransmission) {
    const std::filesystem::path file =
        std::filesystem::path(TCPVIZ_CORPUS_DIR) / "arkime_wireshark-retrans.pcap";
    if (!std::filesystem::exists(file)) {
        TCPVIZ_SKIP("no corpus file " << file);
    }
    const Result<AnalysisResult> r = analyzeCapture(file.string(), {});
    ASSERT_TRUE(r) << r.error().toString();
    ASSERT_EQ(r->connections.size(), 1U);
    const ConnectionStats& st = r->connections.front().tracker.stats();
    EXPECT_EQ(st.retransmissions, 0U);
    EXPECT_EQ(st.captureCopies, 108U - 27U) << "108 frames of 27 distinct datagrams";
    EXPECT_GT(st.wiresharkRetransmissions(), 0U);
}

} // namespace
} // namespace tcpviz
