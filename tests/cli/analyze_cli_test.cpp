// tcpviz-cli analyze end to end: the JSON contract of ARCHITECTURE.md on a real
// capture, the table, standard input, and bad input (exit 1, message naming the file).
#include "test_skip.h"

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <string>
#include <sys/wait.h>
#include <unistd.h>

namespace {

struct CliRun {
    int exitCode = -1;
    std::string out;
    std::string err;
};

CliRun run(const std::string& args) {
    const auto errFile = std::filesystem::temp_directory_path() /
                         ("tcpviz_analyze_cli_err_" + std::to_string(::getpid()));
    const std::string cmd = std::string(TCPVIZ_CLI) + " " + args + " 2>" + errFile.string();
    CliRun r;
    FILE* p = ::popen(cmd.c_str(), "r");
    if (p == nullptr) {
        return r;
    }
    std::array<char, 4096> buf{};
    std::size_t n = 0;
    while ((n = std::fread(buf.data(), 1, buf.size(), p)) > 0) {
        r.out.append(buf.data(), n);
    }
    const int status = ::pclose(p);
    r.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    std::ifstream e(errFile);
    r.err.assign(std::istreambuf_iterator<char>(e), {});
    std::filesystem::remove(errFile);
    return r;
}

const std::string kCorpus = TCPVIZ_CORPUS_DIR;

TEST(AnalyzeCli, JsonFollowsTheContract) {
    const std::string file = kCorpus + "/pcpp_three_http_streams.pcap";
    if (!std::filesystem::exists(file)) {
        TCPVIZ_SKIP("no corpus at " << kCorpus);
    }
    const CliRun r = run("analyze --json " + file);
    ASSERT_EQ(r.exitCode, 0) << r.err;
    const auto j = nlohmann::json::parse(r.out);
    EXPECT_EQ(j.at("file"), file);
    EXPECT_EQ(j.at("link_type"), 1);
    EXPECT_EQ(j.at("packets"), 28);
    EXPECT_EQ(j.at("tcp_packets"), 28);
    EXPECT_TRUE(j.at("errors").is_array());
    ASSERT_EQ(j.at("connections").size(), 3U);
    const auto& c = j.at("connections").at(0);
    for (const char* key : {"id",
                            "client",
                            "server",
                            "packets",
                            "first_packet",
                            "last_packet",
                            "bytes_client_to_server",
                            "bytes_server_to_client",
                            "syn",
                            "synack",
                            "fin",
                            "rst",
                            "retransmissions",
                            "completeness",
                            "history",
                            "conn_state",
                            "mid_stream",
                            "client_states",
                            "server_states",
                            "final_client_state",
                            "final_server_state"}) {
        EXPECT_TRUE(c.contains(key)) << key;
    }
    EXPECT_EQ(c.at("id"), 0);
    EXPECT_EQ(c.at("client"), "172.16.133.132:54615");
    EXPECT_EQ(c.at("server"), "98.139.161.29:80");
    EXPECT_EQ(c.at("completeness"), 31);
    EXPECT_EQ(c.at("conn_state"), "SF");
    EXPECT_EQ(c.at("mid_stream"), false);
    // Every state list starts before the first packet, with no arc.
    const auto& cs = c.at("client_states");
    EXPECT_EQ(cs.at(0).at("state"), "CLOSED");
    EXPECT_EQ(cs.at(0).at("packet"), 0);
    EXPECT_TRUE(cs.at(0).at("arc").is_null());
    EXPECT_EQ(cs.at(1).at("state"), "SYN-SENT");
    EXPECT_EQ(cs.at(1).at("packet"), 1);
    EXPECT_EQ(cs.at(1).at("arc"), "active-open");
    EXPECT_EQ(c.at("server_states").at(0).at("state"), "LISTEN");
    EXPECT_EQ(c.at("final_server_state"), "TIME-WAIT"); // the server closed first
    EXPECT_EQ(cs.back().at("state"), c.at("final_client_state"));
}

TEST(AnalyzeCli, Ipv6EndpointsAreBracketed) {
    const std::string file = kCorpus + "/zeek_redis-reply-off-on-2conn.pcap";
    if (!std::filesystem::exists(file)) {
        TCPVIZ_SKIP("no corpus at " << kCorpus);
    }
    const CliRun r = run("analyze --json " + file);
    ASSERT_EQ(r.exitCode, 0) << r.err;
    const auto j = nlohmann::json::parse(r.out);
    EXPECT_EQ(j.at("connections").at(0).at("server"), "[::1]:6379");
}

TEST(AnalyzeCli, TableAndStandardInput) {
    const std::string file = kCorpus + "/tcpdump_tcp-handshake-nano.pcap";
    if (!std::filesystem::exists(file)) {
        TCPVIZ_SKIP("no corpus at " << kCorpus);
    }
    const CliRun r = run("analyze - < " + file);
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_NE(r.out.find("131.155.215.69:46656"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("ESTABLISHED"), std::string::npos);
    EXPECT_NE(r.out.find("ShA"), std::string::npos);
}

TEST(AnalyzeCli, PerPacketErrorsAreListedAndTheRestAnalysed) {
    const std::string file = kCorpus + "/pcpp_tcp-malformed.pcap";
    if (!std::filesystem::exists(file)) {
        TCPVIZ_SKIP("no corpus at " << kCorpus);
    }
    const CliRun r = run("analyze --json " + file);
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_NE(r.err.find("packet 1"), std::string::npos) << r.err;
    const auto j = nlohmann::json::parse(r.out);
    EXPECT_EQ(j.at("errors").at(0).at("packet"), 1);
    EXPECT_EQ(j.at("connections").size(), 1U);
}

TEST(AnalyzeCli, UnreadableInputExitsOneNamingTheFile) {
    const CliRun missing = run("analyze /nonexistent/capture.pcap");
    EXPECT_EQ(missing.exitCode, 1);
    EXPECT_NE(missing.err.find("/nonexistent/capture.pcap"), std::string::npos) << missing.err;
    const auto junk = std::filesystem::temp_directory_path() / "tcpviz_not_a_capture.pcap";
    std::ofstream(junk) << "this is not a capture file\n";
    const CliRun bad = run("analyze " + junk.string());
    EXPECT_EQ(bad.exitCode, 1);
    EXPECT_NE(bad.err.find(junk.string()), std::string::npos) << bad.err;
    std::filesystem::remove(junk);
    EXPECT_EQ(run("analyze").exitCode, 2) << "usage error";
}

} // namespace
