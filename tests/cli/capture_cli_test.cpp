// tcpviz-cli capture end to end on loopback (root): an ICMP error injected about a
// real connection is printed with that connection's count and summed up, through a
// filter naming the connection's port, unless --no-icmp; --check-checksums (the
// flag of analyze) marks a crafted segment with a wrong checksum, and only then.
#include "cli_run.h"
#include "loopback_listener.h"
#include "raw_inject.h"
#include "test_skip.h"

#include <chrono>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace {

using nlohmann::json;
using tcpviz::test::CliRun;

#define REQUIRE_ROOT()                                                                             \
    if (::geteuid() != 0) {                                                                        \
        TCPVIZ_SKIP("live capture and raw sockets need root (CAP_NET_RAW); CI runs as root");      \
    }

/// The JSON lines of `capture --json`.
std::vector<json> jsonLines(const std::string& out) {
    std::vector<json> lines;
    std::istringstream in(out);
    std::string line;
    while (std::getline(in, line)) {
        if (!line.empty()) {
            lines.push_back(json::parse(line));
        }
    }
    return lines;
}

std::vector<json> ofKind(const std::vector<json>& lines, const std::string& kind) {
    std::vector<json> found;
    for (const json& j : lines) {
        if (j.at("kind") == kind) {
            found.push_back(j);
        }
    }
    return found;
}

/// Runs `capture -i lo ARGS --json --duration 4` while `traffic` runs 1.5 s after
/// its start (time for the capture to open).
template <typename Traffic> CliRun captureWhile(const std::string& args, Traffic traffic) {
    CliRun r;
    std::thread cli([&r, &args] {
        r = tcpviz::test::runCli("capture -i lo --json --duration 4 " + args,
                                 tcpviz::test::Stderr::Apart);
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(1500));
    traffic();
    cli.join();
    return r;
}

/// A connection to `l`: handshake, "hello", an ICMP error about the client's
/// segment, then both close.
void connectionWithAnIcmpError(const tcpviz::test::LoopbackListener& l) {
    const int c = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = htons(l.port);
    ASSERT_EQ(::connect(c, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
    const int s = ::accept(l.fd, nullptr, nullptr);
    ASSERT_GE(s, 0);
    char buf[8];
    ASSERT_EQ(::send(c, "hello", 5, 0), 5);
    ASSERT_EQ(::recv(s, buf, sizeof buf, 0), 5);
    sockaddr_in mine{};
    socklen_t len = sizeof mine;
    ::getsockname(c, reinterpret_cast<sockaddr*>(&mine), &len);
    EXPECT_TRUE(tcpviz::test::sendIcmpErrorAbout(ntohs(mine.sin_port), l.port, 12345));
    ::close(c);
    EXPECT_EQ(::recv(s, buf, sizeof buf, 0), 0);
    ::close(s);
}

TEST(CaptureCli, AnIcmpErrorIsPrintedWithItsConnectionsCountThroughTheFilter) {
    REQUIRE_ROOT();
    const tcpviz::test::LoopbackListener l;
    const std::string filter = "-f 'tcp port " + std::to_string(l.port) + "'";
    const CliRun on = captureWhile(filter, [&l] { connectionWithAnIcmpError(l); });
    ASSERT_EQ(on.exitCode, 0) << on.err;
    const auto lines = jsonLines(on.out);
    ASSERT_FALSE(lines.empty());
    const auto transitions = ofKind(lines, "transition");
    ASSERT_FALSE(transitions.empty()) << on.out;
    const auto icmp = ofKind(lines, "icmp_error");
    ASSERT_EQ(icmp.size(), 1U) << on.out;
    EXPECT_EQ(icmp[0].at("connection"), transitions.front().at("connection"));
    EXPECT_EQ(icmp[0].at("endpoint"), "client") << "it quotes the client's segment";
    EXPECT_EQ(icmp[0].at("icmp_errors"), 1);
    const json& summary = lines.back();
    ASSERT_EQ(summary.at("kind"), "summary");
    // ICMP errors that other tests inject meanwhile pass the filter too (it lets
    // every ICMP error quoting TCP through), as unmatched ones.
    EXPECT_GE(summary.at("icmp_quoted_tcp").get<int>(), 1);
    EXPECT_EQ(summary.at("unmatched_icmp_errors").get<int>(),
              summary.at("icmp_quoted_tcp").get<int>() - 1);
    EXPECT_EQ(summary.at("connections"), 1) << "the ICMP error starts no connection";

    const CliRun off = captureWhile(filter + " --no-icmp", [&l] { connectionWithAnIcmpError(l); });
    ASSERT_EQ(off.exitCode, 0) << off.err;
    const auto offLines = jsonLines(off.out);
    ASSERT_FALSE(offLines.empty());
    EXPECT_TRUE(ofKind(offLines, "icmp_error").empty()) << off.out;
    EXPECT_FALSE(ofKind(offLines, "transition").empty()) << "the connection itself is followed";
    EXPECT_EQ(offLines.back().at("icmp_quoted_tcp"), 0) << "the filter as given drops it";
}

/// Three crafted RSTs to `l` (a listener ignores them): right, wrong, right checksum.
void craftedRsts(const tcpviz::test::LoopbackListener& l) {
    tcpviz::test::CraftedTcp t;
    t.srcPort = static_cast<std::uint16_t>(l.port == 65535 ? 1024 : l.port + 1);
    t.dstPort = l.port;
    for (const std::uint32_t seq : {1000U, 2000U, 3000U}) {
        t.seq = seq;
        t.badChecksum = seq == 2000;
        EXPECT_TRUE(tcpviz::test::sendRawIpv4(tcpviz::test::ipv4Tcp(t)));
    }
}

TEST(CaptureCli, CheckChecksumsMarksACraftedWrongChecksumAndIsOffByDefault) {
    REQUIRE_ROOT();
    const tcpviz::test::LoopbackListener l;
    const std::string filter = "-f 'tcp port " + std::to_string(l.port) + "'";
    const CliRun on = captureWhile(filter + " --check-checksums", [&l] { craftedRsts(l); });
    ASSERT_EQ(on.exitCode, 0) << on.err;
    const auto lines = jsonLines(on.out);
    ASSERT_FALSE(lines.empty());
    const auto bad = ofKind(lines, "bad_checksum");
    ASSERT_EQ(bad.size(), 1U) << on.out;
    EXPECT_EQ(lines.back().at("tcp_packets"), 3);
    EXPECT_EQ(lines.back().at("bad_checksums"), 1);

    const CliRun off = captureWhile(filter, [&l] { craftedRsts(l); });
    ASSERT_EQ(off.exitCode, 0) << off.err;
    const auto offLines = jsonLines(off.out);
    ASSERT_FALSE(offLines.empty());
    EXPECT_TRUE(ofKind(offLines, "bad_checksum").empty()) << off.out;
    EXPECT_EQ(offLines.back().at("tcp_packets"), 3);
    EXPECT_EQ(offLines.back().at("bad_checksums"), 0) << "not validated by default";
}

TEST(CaptureCli, OffersTheChecksumFlagOfAnalyzeAndAWayToLeaveIcmpOut) {
    const CliRun capture = tcpviz::test::runCli("capture --help");
    ASSERT_EQ(capture.exitCode, 0) << capture.out;
    EXPECT_NE(capture.out.find("--check-checksums"), std::string::npos) << capture.out;
    EXPECT_NE(capture.out.find("--no-icmp"), std::string::npos) << capture.out;
    const CliRun analyze = tcpviz::test::runCli("analyze --help");
    EXPECT_NE(analyze.out.find("--check-checksums"), std::string::npos) << "the same name";
}

} // namespace
