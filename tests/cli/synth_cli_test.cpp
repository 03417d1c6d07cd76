// tcpviz-cli synth, run as a user would: the file it writes, its exit codes and
// its messages.
#include "cli_run.h"

#include <array>
#include <cstdio>
#include <filesystem>
#include <gtest/gtest.h>
#include <pcap/pcap.h>
#include <string>

namespace {

using tcpviz::test::CliRun;

CliRun run(const std::string& args) {
    return tcpviz::test::runCli(args);
}

std::uint64_t countPackets(const std::string& path) {
    char err[PCAP_ERRBUF_SIZE] = {};
    pcap_t* p = pcap_open_offline(path.c_str(), err);
    EXPECT_NE(p, nullptr) << err;
    if (p == nullptr) {
        return 0;
    }
    std::uint64_t n = 0;
    pcap_pkthdr* h = nullptr;
    const u_char* d = nullptr;
    while (pcap_next_ex(p, &h, &d) == 1) {
        ++n;
    }
    pcap_close(p);
    return n;
}

TEST(SynthCli, WritesTheRequestedConnections) {
    const std::string out =
        (std::filesystem::temp_directory_path() / "tcpviz_cli_synth.pcap").string();
    const CliRun r = run("synth --connections 50 --data-segments 2 -o " + out);
    EXPECT_EQ(r.exitCode, 0) << r.out;
    EXPECT_EQ(countPackets(out), 50U * (7 + 2 * 2));
    EXPECT_NE(r.out.find("50 connections"), std::string::npos) << r.out;
    std::filesystem::remove(out);
}

// --long-connection: the first connection has that many data segments, the others
// keep --data-segments, so the file has that many more packets.
TEST(SynthCli, ALongFirstConnectionAddsItsPackets) {
    const std::string out =
        (std::filesystem::temp_directory_path() / "tcpviz_cli_synth_long.pcap").string();
    const CliRun r = run("synth -n 20 -k 1 --long-connection 40 -o " + out);
    EXPECT_EQ(r.exitCode, 0) << r.out;
    EXPECT_EQ(countPackets(out), 19U * (7 + 2 * 1) + (7 + 2 * 40));
    EXPECT_NE(r.out.find("20 connections"), std::string::npos) << r.out;
    std::filesystem::remove(out);
}

TEST(SynthCli, DashWritesThePcapToStandardOutput) {
    const CliRun r = run("synth -n 2 -k 0 -o - | head -c 4 | od -An -tx1");
    EXPECT_EQ(r.exitCode, 0);
    EXPECT_NE(r.out.find("d4 c3 b2 a1"), std::string::npos) << r.out;
}

TEST(SynthCli, BadInputGivesUsageOrInputErrors) {
    CliRun r = run("synth -n 5 --close sideways -o /tmp/x.pcap");
    EXPECT_EQ(r.exitCode, 2) << r.out;
    EXPECT_NE(r.out.find("sideways"), std::string::npos) << r.out;
    r = run("synth -n 5");
    EXPECT_EQ(r.exitCode, 2) << "missing -o: " << r.out;
    r = run("synth -n 5 -o /nonexistent-dir/x.pcap");
    EXPECT_EQ(r.exitCode, 1) << r.out;
    EXPECT_NE(r.out.find("/nonexistent-dir/x.pcap"), std::string::npos) << r.out;
}

} // namespace
