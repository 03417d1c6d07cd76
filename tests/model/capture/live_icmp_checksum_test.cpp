// Live capture hands ICMP errors quoting TCP and (when asked) checksum verdicts to
// the Analyzer as a file read does: the kernel filter that lets the errors through
// a user's filter, then on loopback an ICMP error injected about a real connection
// and crafted segments with a right and a wrong checksum.
#include "capture/analyzer.h"
#include "capture/live_capture.h"
#include "loopback_listener.h"
#include "raw_inject.h"
#include "test_skip.h"

#include <algorithm>
#include <atomic>
#include <cctype>
#include <chrono>
#include <gtest/gtest.h>
#include <mutex>
#include <pcap/pcap.h>
#include <thread>
#include <unistd.h>

namespace tcpviz {
namespace {

#define REQUIRE_ROOT()                                                                             \
    if (::geteuid() != 0) {                                                                        \
        TCPVIZ_SKIP("live capture and raw sockets need root (CAP_NET_RAW); CI runs as root");      \
    }

// --- the kernel filter, without root: pcap_offline_filter on crafted datagrams ------

/// An IPv4 datagram 127.0.0.1 -> 127.0.0.1 carrying `payload` as `protocol`.
std::vector<std::uint8_t> ipv4(std::uint8_t protocol, const std::vector<std::uint8_t>& payload) {
    std::vector<std::uint8_t> b(20 + payload.size(), 0);
    b[0] = 0x45;
    test::put16(b, 2, static_cast<std::uint32_t>(20 + payload.size()));
    b[8] = 64;
    b[9] = protocol;
    test::put32(b, 12, 0x7f000001);
    test::put32(b, 16, 0x7f000001);
    std::copy(payload.begin(), payload.end(), b.begin() + 20);
    return b;
}

/// An IPv6 datagram ::1 -> ::1 carrying `payload` as `next`.
std::vector<std::uint8_t> ipv6(std::uint8_t next, const std::vector<std::uint8_t>& payload) {
    std::vector<std::uint8_t> b(40 + payload.size(), 0);
    b[0] = 0x60;
    test::put16(b, 4, static_cast<std::uint32_t>(payload.size()));
    b[6] = next;
    b[7] = 64;
    b[23] = 1;
    b[39] = 1;
    std::copy(payload.begin(), payload.end(), b.begin() + 40);
    return b;
}

/// An ICMP(v6) message of `type` quoting `quoted`.
std::vector<std::uint8_t> icmp(std::uint8_t type, const std::vector<std::uint8_t>& quoted) {
    std::vector<std::uint8_t> b(8 + quoted.size(), 0);
    b[0] = type;
    std::copy(quoted.begin(), quoted.end(), b.begin() + 8);
    return b;
}

std::vector<std::uint8_t> tcpTo(std::uint16_t port) {
    test::CraftedTcp t;
    t.srcPort = 40000;
    t.dstPort = port;
    return test::ipv4Tcp(t);
}

/// Whether the kernel filter of `options` lets `datagram` (raw IP) through.
bool passes(const LiveCaptureOptions& options, const std::vector<std::uint8_t>& datagram) {
    pcap_t* dead = pcap_open_dead(DLT_RAW, 65535);
    bpf_program prog{};
    const std::string filter = liveCaptureFilter(options);
    EXPECT_EQ(pcap_compile(dead, &prog, filter.c_str(), 1, PCAP_NETMASK_UNKNOWN), 0)
        << filter << ": " << pcap_geterr(dead);
    pcap_pkthdr h{};
    h.caplen = static_cast<bpf_u_int32>(datagram.size());
    h.len = h.caplen;
    const bool pass = pcap_offline_filter(&prog, &h, datagram.data()) != 0;
    pcap_freecode(&prog);
    pcap_close(dead);
    return pass;
}

TEST(LiveCaptureFilter, AUserFilterIsExtendedWithIcmpErrorsQuotingTcpOnlyWhenIcmpIsOn) {
    LiveCaptureOptions o;
    EXPECT_TRUE(o.icmpQuotes) << "on by default";
    EXPECT_FALSE(o.checkChecksums) << "off by default: offloaded checksums";
    EXPECT_EQ(liveCaptureFilter(o), "") << "no filter: every packet, ICMP included";
    o.bpfFilter = "tcp port 80";
    EXPECT_EQ(liveCaptureFilter(o).rfind("(tcp port 80) or ", 0), 0U) << liveCaptureFilter(o);
    o.icmpQuotes = false;
    EXPECT_EQ(liveCaptureFilter(o), "tcp port 80") << "exactly as given";
}

TEST(LiveCaptureFilter, LetsThroughTheUsersTrafficAndIcmpErrorsQuotingTcpNothingElse) {
    LiveCaptureOptions o;
    o.bpfFilter = "tcp port 80";
    EXPECT_TRUE(passes(o, tcpTo(80)));
    EXPECT_FALSE(passes(o, tcpTo(81)));
    // ICMP errors quoting TCP, of every kind the decoder counts.
    for (const std::uint8_t type : {3, 4, 5, 11, 12}) {
        EXPECT_TRUE(passes(o, ipv4(1, icmp(type, tcpTo(81))))) << "ICMP type " << int(type);
    }
    EXPECT_FALSE(passes(o, ipv4(1, icmp(8, tcpTo(81))))) << "an echo request";
    EXPECT_FALSE(passes(o, ipv4(1, icmp(0, tcpTo(81))))) << "an echo reply";
    std::vector<std::uint8_t> udp = tcpTo(81);
    udp[9] = 17;
    EXPECT_FALSE(passes(o, ipv4(1, icmp(3, udp)))) << "a port unreachable about UDP";
    // ICMPv6 errors quoting TCP over IPv6.
    std::vector<std::uint8_t> tcp6(20, 0);
    tcp6[12] = 5 << 4;
    const std::vector<std::uint8_t> quoted6 = ipv6(6, tcp6);
    for (const std::uint8_t type : {1, 2, 3, 4}) {
        EXPECT_TRUE(passes(o, ipv6(58, icmp(type, quoted6)))) << "ICMPv6 type " << int(type);
    }
    EXPECT_FALSE(passes(o, ipv6(58, icmp(128, quoted6)))) << "an ICMPv6 echo request";
    EXPECT_FALSE(passes(o, ipv6(58, icmp(135, quoted6)))) << "neighbour solicitation";
    // Without ICMP the user's filter stays as given: the error is dropped.
    o.icmpQuotes = false;
    EXPECT_FALSE(passes(o, ipv4(1, icmp(3, tcpTo(81)))));
    EXPECT_TRUE(passes(o, tcpTo(80)));
}

// --- live, on loopback ----------------------------------------------------------------

/// A capture on lo running on its own thread into an Analyzer, for one test.
struct LiveRun {
    LiveCapture capture;
    Analyzer analyzer;
    std::mutex mutex;
    std::vector<DecodedPacket> packets; ///< every packet handed on, in order
    std::thread worker;

    Status start(const LiveCaptureOptions& options) {
        Status opened = capture.open(options);
        if (!opened) {
            return opened;
        }
        worker = std::thread([this] {
            (void)capture.run([this](const DecodedPacket& p) {
                const std::lock_guard lock(mutex);
                analyzer.add(p);
                packets.push_back(p);
            });
        });
        return {};
    }
    /// Waits (at most 3 s) until `done` holds for the packets handed on so far.
    template <typename Done> bool waitFor(Done done) {
        for (int i = 0; i < 300; ++i) {
            {
                const std::lock_guard lock(mutex);
                if (done(packets)) {
                    return true;
                }
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        return false;
    }
    void stop() {
        capture.stop();
        if (worker.joinable()) {
            worker.join();
        }
    }
    ~LiveRun() { stop(); }
};

std::size_t countFins(const std::vector<DecodedPacket>& packets) {
    return static_cast<std::size_t>(
        std::count_if(packets.begin(), packets.end(),
                      [](const auto& p) { return !p.icmpQuote && p.tcp.has(flag::FIN); }));
}

struct IcmpOutcome {
    std::uint64_t quotedSeen = 0; ///< CaptureInfo::icmpQuotedTcp
    std::uint32_t icmpErrors = 0; ///< of the connection
    std::uint64_t unmatched = 0;
    std::size_t connections = 0;
    std::string filter;
};

/// A loopback connection with a user filter naming its port; an ICMP error about
/// the client's segment is injected while it is established, then it closes.
IcmpOutcome icmpErrorOnAConnection(bool icmpQuotes) {
    IcmpOutcome out;
    test::LoopbackListener l;
    EXPECT_GT(l.port, 0);
    LiveRun run;
    LiveCaptureOptions o;
    o.interface = "lo";
    o.bpfFilter = "tcp port " + std::to_string(l.port);
    o.icmpQuotes = icmpQuotes;
    const Status started = run.start(o);
    EXPECT_TRUE(started) << started.error().toString();
    if (!started) {
        return out;
    }
    const int c = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = htons(l.port);
    EXPECT_EQ(::connect(c, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
    const int s = ::accept(l.fd, nullptr, nullptr);
    EXPECT_GE(s, 0);
    char buf[8];
    EXPECT_EQ(::send(c, "hello", 5, 0), 5);
    EXPECT_EQ(::recv(s, buf, sizeof buf, 0), 5);
    sockaddr_in mine{};
    socklen_t len = sizeof mine;
    ::getsockname(c, reinterpret_cast<sockaddr*>(&mine), &len);
    EXPECT_TRUE(run.waitFor([](const auto& p) { return p.size() >= 5; })) << "handshake and data";
    EXPECT_TRUE(test::sendIcmpErrorAbout(ntohs(mine.sin_port), l.port, 12345));
    ::close(c);
    EXPECT_EQ(::recv(s, buf, sizeof buf, 0), 0);
    ::close(s);
    // The ICMP error went out before the FINs: once both are seen, so was it.
    EXPECT_TRUE(run.waitFor([](const auto& p) { return countFins(p) == 2; }));
    run.stop();
    out.quotedSeen = run.capture.info().icmpQuotedTcp;
    out.unmatched = run.analyzer.unmatchedIcmpErrors();
    out.connections = run.analyzer.connections().size();
    if (!run.analyzer.connections().empty()) {
        out.icmpErrors = run.analyzer.connections().front().icmpErrors;
    }
    out.filter = run.capture.filter();
    return out;
}

TEST(LiveCapture, AnIcmpErrorQuotingAConnectionIsCountedOnItThroughTheUsersFilter) {
    REQUIRE_ROOT();
    const IcmpOutcome on = icmpErrorOnAConnection(true);
    EXPECT_NE(on.filter.find(" or (icmp"), std::string::npos) << on.filter;
    EXPECT_EQ(on.connections, 1U) << "the ICMP error starts no connection";
    // ICMP errors other tests inject meanwhile pass the filter too (it lets every
    // ICMP error quoting TCP through), as unmatched ones.
    EXPECT_GE(on.quotedSeen, 1U);
    EXPECT_EQ(on.icmpErrors, 1U) << "counted against the connection its quote names";
    EXPECT_EQ(on.unmatched, on.quotedSeen - 1);

    const IcmpOutcome off = icmpErrorOnAConnection(false);
    EXPECT_EQ(off.filter.find("icmp"), std::string::npos) << off.filter;
    EXPECT_EQ(off.connections, 1U);
    EXPECT_EQ(off.quotedSeen, 0U) << "the user's filter, as given, drops it";
    EXPECT_EQ(off.icmpErrors, 0U);
}

struct ChecksumOutcome {
    std::vector<bool> marked; ///< badChecksum of each crafted segment, in order
    std::uint64_t badChecksums = 0;
    std::string history; ///< of the crafted segments' connection
};

/// Three crafted RSTs to a listening port (which ignores them): right, wrong, right.
ChecksumOutcome craftedChecksums(bool check) {
    ChecksumOutcome out;
    test::LoopbackListener l; // a port no other test uses; a listener ignores a RST
    LiveRun run;
    LiveCaptureOptions o;
    o.interface = "lo";
    o.bpfFilter = "tcp port " + std::to_string(l.port);
    o.checkChecksums = check;
    const Status started = run.start(o);
    EXPECT_TRUE(started) << started.error().toString();
    if (!started) {
        return out;
    }
    test::CraftedTcp t;
    t.srcPort = static_cast<std::uint16_t>(l.port == 65535 ? 1024 : l.port + 1);
    t.dstPort = l.port;
    for (const std::uint32_t seq : {1000U, 2000U, 3000U}) {
        t.seq = seq;
        t.badChecksum = seq == 2000;
        EXPECT_TRUE(test::sendRawIpv4(test::ipv4Tcp(t)));
    }
    // Only the crafted segments: ICMP errors other tests inject pass the filter too.
    const auto segments = [](const std::vector<DecodedPacket>& packets) {
        return std::count_if(packets.begin(), packets.end(),
                             [](const DecodedPacket& p) { return !p.icmpQuote; });
    };
    EXPECT_TRUE(run.waitFor([&segments](const auto& p) { return segments(p) >= 3; }));
    run.stop();
    for (const DecodedPacket& p : run.packets) {
        if (!p.icmpQuote) {
            out.marked.push_back(p.badChecksum);
        }
    }
    out.badChecksums = run.capture.info().badChecksums;
    if (!run.analyzer.connections().empty()) {
        out.history = run.analyzer.connections().front().tracker.stats().history();
    }
    return out;
}

bool hasLetterC(const std::string& history) {
    return std::any_of(history.begin(), history.end(),
                       [](char ch) { return std::tolower(static_cast<unsigned char>(ch)) == 'c'; });
}

TEST(LiveCapture, ChecksumValidationMarksACraftedWrongChecksumOnlyWhenOn) {
    REQUIRE_ROOT();
    const ChecksumOutcome on = craftedChecksums(true);
    EXPECT_EQ(on.marked, (std::vector<bool>{false, true, false}));
    EXPECT_EQ(on.badChecksums, 1U);
    EXPECT_TRUE(hasLetterC(on.history)) << "history '" << on.history << "'";

    const ChecksumOutcome off = craftedChecksums(false);
    EXPECT_EQ(off.marked, (std::vector<bool>{false, false, false}));
    EXPECT_EQ(off.badChecksums, 0U);
    EXPECT_FALSE(hasLetterC(off.history)) << "history '" << off.history << "'";
}

} // namespace
} // namespace tcpviz
