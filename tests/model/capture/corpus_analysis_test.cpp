// Every capture of ../shared/corpus analysed and checked against its tshark oracle
// (NAME.tshark.json): the same TCP connections (tcp.stream), and per connection the
// same packet, SYN, SYN+ACK, FIN and RST counts, the same tcp.completeness value and
// the same number of frames tshark flags as (fast/spurious) retransmissions.
//
// Connections are matched by their two endpoints; a tuple that tshark splits into
// several streams (port reuse) is matched in order of appearance.
//
// No legitimate difference remains on this corpus, so nothing is exempted. Two
// places where tcpviz had to follow tshark's own conventions to agree:
//  * completeness is the value `tshark -2` prints (see ConnectionStats::completeness),
//    not a plain OR of the flags: a conversation's first frame only counts if it is a
//    pure SYN, and a FIN counts only with ACK set;
//  * a tuple starts a new connection on a pure SYN whose sequence number differs from
//    the sender's first one (Wireshark's port-reuse rule), which also covers a client
//    re-SYNing during an open handshake (arkime_tcp_handshake_synthetic, ports 40003
//    and 40013).
#include "capture/analyzer.h"
#include "test_skip.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

namespace tcpviz {
namespace {

namespace fs = std::filesystem;

std::vector<fs::path> corpusCaptures() {
    std::vector<fs::path> out;
    const fs::path dir = TCPVIZ_CORPUS_DIR;
    if (!fs::is_directory(dir)) {
        return out;
    }
    for (const auto& entry : fs::directory_iterator(dir)) {
        const auto p = entry.path();
        if (p.extension() == ".json") {
            continue;
        }
        if (fs::exists(p.string() + ".tshark.json")) {
            out.push_back(p);
        }
    }
    std::sort(out.begin(), out.end());
    return out;
}

TEST(CorpusAnalysis, EveryCaptureMatchesItsTsharkOracle) {
    const auto captures = corpusCaptures();
    if (captures.empty()) {
        TCPVIZ_SKIP("no corpus at " << TCPVIZ_CORPUS_DIR);
    }
    EXPECT_GE(captures.size(), 20U) << "the corpus README lists 20 captures";
    for (const auto& path : captures) {
        SCOPED_TRACE(path.filename().string());
        std::ifstream in(path.string() + ".tshark.json");
        const auto oracle = nlohmann::json::parse(in);

        const Result<AnalysisResult> analysed = analyzeCapture(path.string(), {});
        ASSERT_TRUE(analysed) << analysed.error().toString();
        const AnalysisResult& result = *analysed;
        EXPECT_EQ(result.info.packets, oracle.at("total_packets").get<std::uint64_t>());
        EXPECT_EQ(result.info.tcpPackets, oracle.at("tcp_packets").get<std::uint64_t>());
        ASSERT_EQ(result.connections.size(), oracle.at("tcp_stream_count").get<std::size_t>());

        std::set<std::uint32_t> used;
        for (const auto& stream : oracle.at("streams")) {
            const std::set<std::string> ends{stream.at("endpoint_a").get<std::string>(),
                                             stream.at("endpoint_b").get<std::string>()};
            const ConnectionSummary* match = nullptr;
            for (const auto& c : result.connections) {
                if (!used.contains(c.id) &&
                    ends == std::set<std::string>{c.client().toString(), c.server().toString()}) {
                    match = &c;
                    break;
                }
            }
            const int streamNo = stream.at("stream").get<int>();
            ASSERT_NE(match, nullptr) << "no connection for tcp.stream " << streamNo;
            used.insert(match->id);
            SCOPED_TRACE("tcp.stream " + std::to_string(streamNo));
            const auto& st = match->tracker.stats();
            EXPECT_EQ(match->packets(), stream.at("packets").get<std::uint32_t>());
            EXPECT_EQ(st.syn, stream.at("syn").get<std::uint32_t>());
            EXPECT_EQ(st.synAck, stream.at("synack").get<std::uint32_t>());
            EXPECT_EQ(st.fin, stream.at("fin").get<std::uint32_t>());
            EXPECT_EQ(st.rst, stream.at("rst").get<std::uint32_t>());
            EXPECT_EQ(st.completeness(), stream.at("completeness").get<int>())
                << completenessFlags(st.completeness()) << " vs "
                << stream.at("completeness_flags").get<std::string>();
            // Wireshark also flags the copies a capture made of one datagram
            // (arkime_wireshark-retrans); tcpviz counts those apart (captureCopies).
            EXPECT_EQ(st.wiresharkRetransmissions(),
                      stream.at("retransmissions").get<std::uint32_t>());
            EXPECT_EQ(match->tracker.inferenceAnomalies(), 0U)
                << "an inference rule named an arc that does not start at the side's state";
        }
    }
}

// Spot checks of inferred states on corpus files whose story the README tells.
TEST(CorpusAnalysis, InferredStatesTellTheStory) {
    const fs::path dir = TCPVIZ_CORPUS_DIR;
    if (!fs::is_directory(dir)) {
        TCPVIZ_SKIP("no corpus at " << dir);
    }
    const auto analyse = [&dir](const char* name) {
        Result<AnalysisResult> r = analyzeCapture((dir / name).string(), {});
        EXPECT_TRUE(r) << r.error().toString();
        return r ? std::move(*r) : AnalysisResult{};
    };
    // Three complete HTTP sessions, each closed with FIN/FIN: the server closes first.
    {
        const auto r = analyse("pcpp_three_http_streams.pcap");
        ASSERT_EQ(r.connections.size(), 3U);
        for (const auto& c : r.connections) {
            EXPECT_FALSE(c.tracker.midStream());
            EXPECT_EQ(c.finalState(Side::Server), State::TimeWait);
            EXPECT_EQ(c.finalState(Side::Client), State::Closed);
            EXPECT_EQ(c.tracker.stats().connState(), "SF");
        }
    }
    // 284 streams, all starting mid-connection.
    {
        const auto r = analyse("pcpp_650HttpResponses.pcap");
        for (const auto& c : r.connections) {
            EXPECT_TRUE(c.tracker.midStream());
            EXPECT_EQ(c.server().port, 80);
            EXPECT_EQ(c.tracker.initialState(Side::Client), State::Established);
        }
    }
    // Injected RSTs: the one that does not ACK the SYN is ignored; the client stays in
    // SYN-SENT until the real SYN+ACK handshake completes.
    {
        const auto r = analyse("zeek_tcp-rst-inject-rae.pcap");
        ASSERT_EQ(r.connections.size(), 1U);
        const auto& c = r.connections.front();
        EXPECT_GE(c.tracker.ignoredRsts(), 1U);
        const auto states = c.states(Side::Client);
        ASSERT_GE(states.size(), 3U);
        EXPECT_EQ(states[1].state, State::SynSent);
        EXPECT_EQ(states[2].state, State::Established);
        EXPECT_EQ(states[2].packet, 4U);
    }
    // One connection closed with FIN then RST.
    {
        const auto r = analyse("pcpp_one_http_stream_rst.pcap");
        ASSERT_EQ(r.connections.size(), 1U);
        EXPECT_EQ(r.connections.front().finalState(Side::Client), State::Closed);
        EXPECT_EQ(r.connections.front().finalState(Side::Server), State::Closed);
    }
}

} // namespace
} // namespace tcpviz
