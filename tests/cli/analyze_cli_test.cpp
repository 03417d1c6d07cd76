// tcpviz-cli analyze end to end: the JSON contract of ARCHITECTURE.md on a real
// capture, the table, standard input, and bad input (exit 1, message naming the file).
#include "cli_run.h"
#include "test_skip.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

namespace {

using tcpviz::test::CliRun;

CliRun run(const std::string& args) {
    return tcpviz::test::runCli(args, tcpviz::test::Stderr::Apart);
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

// The rows and the JSON objects of 20,000 connections are formatted in blocks on
// two threads: every connection once, in id order, the ends of each block joined.
TEST(AnalyzeCli, ManyConnectionsComeOutOnceEachInOrder) {
    const auto pcap = std::filesystem::temp_directory_path() /
                      ("tcpviz_many_" + std::to_string(::getpid()) + ".pcap");
    ASSERT_EQ(run("synth -n 20000 -k 0 -q --close mixed -o " + pcap.string()).exitCode, 0);
    const CliRun json = run("analyze --json " + pcap.string());
    const CliRun table = run("analyze " + pcap.string());
    std::filesystem::remove(pcap);
    ASSERT_EQ(json.exitCode, 0) << json.err;
    ASSERT_EQ(table.exitCode, 0) << table.err;
    const auto j = nlohmann::json::parse(json.out);
    const auto& cs = j.at("connections");
    ASSERT_EQ(cs.size(), 20000U);
    for (std::size_t i = 0; i < cs.size(); ++i) {
        ASSERT_EQ(cs[i].at("id"), i);
        ASSERT_EQ(cs[i].at("packets"), 7) << i;
    }
    // The table: a title line, the header, then one line per connection by id.
    std::vector<std::string> lines;
    std::size_t at = 0;
    while (at < table.out.size()) {
        const std::size_t nl = table.out.find('\n', at);
        lines.push_back(table.out.substr(at, nl - at));
        at = nl == std::string::npos ? table.out.size() : nl + 1;
    }
    ASSERT_EQ(lines.size(), 20002U);
    for (std::size_t i = 0; i < 20000; ++i) {
        const std::string& line = lines[i + 2];
        ASSERT_EQ(std::stoul(line.substr(0, 5)), i) << line;
        ASSERT_NE(line.find(cs[i].at("client").get<std::string>()), std::string::npos) << line;
    }
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

// `--names` in the table: the final states of a half-open handshake as the RFC
// names them, as `ss` prints them, or both. The capture is simulated here, so the
// test needs no corpus.
TEST(AnalyzeCli, TableStateNamesRfcLinuxAndBoth) {
    const auto pcap = std::filesystem::temp_directory_path() /
                      ("tcpviz_analyze_names_" + std::to_string(::getpid()) + ".pcap");
    ASSERT_EQ(run("simulate syn-flood-half-open --pcap " + pcap.string()).exitCode, 0);
    struct Case {
        const char* names;
        const char* state; ///< the server's last state: SYN-RECEIVED (no ACK ever came)
        const char* absent;
    };
    for (const Case c :
         {Case{"rfc", "SYN-RECEIVED ", "SYN-RECV "}, Case{"linux", "SYN-RECV ", "SYN-RECEIVED"},
          Case{"both", "SYN-RECEIVED (SYN-RECV) ", "UNUSED"}}) {
        SCOPED_TRACE(c.names);
        const CliRun r = run("analyze --names " + std::string(c.names) + " " + pcap.string());
        ASSERT_EQ(r.exitCode, 0) << r.err;
        EXPECT_NE(r.out.find(c.state), std::string::npos) << r.out;
        EXPECT_EQ(r.out.find(c.absent), std::string::npos) << r.out;
    }
    EXPECT_EQ(run("analyze " + pcap.string()).out, run("analyze --names rfc " + pcap.string()).out)
        << "rfc is the default";
    EXPECT_EQ(run("analyze --names ss " + pcap.string()).exitCode, 2);
    std::filesystem::remove(pcap);
}

// The table's icmp column: ICMP errors quoting a connection's packets, counted per
// connection (as `icmp_errors` in the JSON). The capture is written here, raw IPv4.
TEST(AnalyzeCli, TableCountsIcmpErrorsPerConnection) {
    using Bytes = std::vector<std::uint8_t>;
    // IPv4 + TCP (no options) from 10.0.0.1:`clientPort` to 10.0.0.2:80, or back.
    const auto tcp = [](std::uint16_t clientPort, bool fromServer, std::uint8_t flags) {
        Bytes f = {0x45, 0, 0, 40, 0, 0, 0x40, 0, 64, 6, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2};
        if (fromServer) {
            std::swap(f[15], f[19]);
        }
        const std::uint16_t src = fromServer ? 80 : clientPort;
        const std::uint16_t dst = fromServer ? clientPort : 80;
        const Bytes t = {static_cast<std::uint8_t>(src >> 8),
                         static_cast<std::uint8_t>(src),
                         static_cast<std::uint8_t>(dst >> 8),
                         static_cast<std::uint8_t>(dst),
                         0,
                         0,
                         0x10,
                         0,
                         0,
                         0,
                         0,
                         fromServer ? std::uint8_t{1} : std::uint8_t{0},
                         0x50,
                         flags,
                         0xff,
                         0xff,
                         0,
                         0,
                         0,
                         0};
        f.insert(f.end(), t.begin(), t.end());
        return f;
    };
    // An ICMP destination unreachable from 192.0.2.254 quoting 28 bytes of `quoted`.
    const auto unreachable = [](const Bytes& quoted) {
        const std::array<std::uint8_t, 28> head = {0x45, 0, 0,   56, 0, 0,   0,  0, 64, 1,
                                                   0,    0, 192, 0,  2, 254, 10, 0, 0,  1,
                                                   3,    1, 0,   0,  0, 0,   0,  0};
        Bytes f(56);
        std::copy(head.begin(), head.end(), f.begin());
        std::copy_n(quoted.begin(), 28, f.begin() + 28);
        return f;
    };
    constexpr std::uint8_t kSyn = 0x02;
    constexpr std::uint8_t kSynAck = 0x12;
    const Bytes synA = tcp(40000, false, kSyn);
    const Bytes synB = tcp(40001, false, kSyn);
    const std::vector<Bytes> frames = {synA,
                                       tcp(40000, true, kSynAck),
                                       synB,
                                       unreachable(synB),
                                       unreachable(synB),
                                       unreachable(synB)};
    const auto pcap = std::filesystem::temp_directory_path() /
                      ("tcpviz_analyze_icmp_" + std::to_string(::getpid()) + ".pcap");
    {
        std::ofstream out(pcap, std::ios::binary);
        const auto u32 = [&out](std::uint32_t v) {
            out.write(reinterpret_cast<const char*>(&v), 4); // host order: the magic says which
        };
        u32(0xa1b2c3d4);
        u32(0x00040002); // version 2.4 (minor, major in host order: 2, then 4)
        u32(0);
        u32(0);
        u32(65535);
        u32(101); // LINKTYPE_RAW
        std::uint32_t sec = 1'700'000'000;
        for (const Bytes& f : frames) {
            u32(sec++);
            u32(0);
            u32(static_cast<std::uint32_t>(f.size()));
            u32(static_cast<std::uint32_t>(f.size()));
            out.write(reinterpret_cast<const char*>(f.data()),
                      static_cast<std::streamsize>(f.size()));
        }
    }
    const CliRun r = run("analyze " + pcap.string());
    const CliRun json = run("analyze --json " + pcap.string());
    std::filesystem::remove(pcap);
    ASSERT_EQ(r.exitCode, 0) << r.err;
    ASSERT_EQ(json.exitCode, 0) << json.err;
    const auto j = nlohmann::json::parse(json.out);
    ASSERT_EQ(j.at("connections").size(), 2U);
    // The column holds what the JSON counts, under its header.
    const std::size_t header = r.out.find("cmpl icmp ");
    ASSERT_NE(header, std::string::npos) << r.out;
    const auto icmpOf = [&r, header](const std::string& client) -> std::string {
        const std::size_t at = r.out.find(client);
        if (at == std::string::npos) {
            return "(no row)";
        }
        const std::size_t lineStart = r.out.rfind('\n', at) + 1;
        const std::size_t headerStart = r.out.rfind('\n', header) + 1;
        const std::size_t column = header - headerStart + 5; // the 4 columns after "cmpl "
        std::string cell = r.out.substr(lineStart + column, 4);
        cell.erase(0, cell.find_first_not_of(' '));
        return cell;
    };
    EXPECT_EQ(icmpOf("10.0.0.1:40000"),
              std::to_string(j.at("connections").at(0).at("icmp_errors").get<int>()))
        << r.out;
    EXPECT_EQ(icmpOf("10.0.0.1:40001"),
              std::to_string(j.at("connections").at(1).at("icmp_errors").get<int>()))
        << r.out;
    EXPECT_EQ(icmpOf("10.0.0.1:40001"), "3") << r.out;
    EXPECT_EQ(icmpOf("10.0.0.1:40000"), "0") << r.out;
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

namespace {

std::vector<std::string> splitCsv(const std::string& line) {
    std::vector<std::string> out(1);
    for (const char c : line) {
        if (c == ',') {
            out.emplace_back();
        } else {
            out.back() += c;
        }
    }
    return out;
}

std::vector<std::string> lines(const std::string& text) {
    std::vector<std::string> out;
    std::string current;
    for (const char c : text) {
        if (c == '\n') {
            out.push_back(current);
            current.clear();
        } else {
            current += c;
        }
    }
    EXPECT_TRUE(current.empty()) << "the CSV ends with a newline";
    return out;
}

const std::vector<std::string> kStates = {"CLOSED",      "LISTEN",     "SYN-SENT",   "SYN-RECEIVED",
                                          "ESTABLISHED", "FIN-WAIT-1", "FIN-WAIT-2", "CLOSE-WAIT",
                                          "CLOSING",     "LAST-ACK",   "TIME-WAIT"};

} // namespace

// --counts: endpoints per state over time as CSV; the header is fixed (README), and
// the last row is the final states of the JSON, counted per side.
TEST(AnalyzeCli, CountsCsvEndsWithTheFinalStatesOfTheJson) {
    for (const char* name : {"pcpp_three_http_streams.pcap", "zeek_http-methods.pcap",
                             "arkime_tcp_handshake_synthetic.pcap", "pcpp_650HttpResponses.pcap"}) {
        SCOPED_TRACE(name);
        const std::string file = kCorpus + "/" + name;
        const CliRun csv = run("analyze --counts 100ms " + file);
        ASSERT_EQ(csv.exitCode, 0) << csv.err;
        const auto rows = lines(csv.out);
        ASSERT_GE(rows.size(), 2U);
        std::vector<std::string> header = {"time_s"};
        for (const char* side : {"client_", "server_"}) {
            for (const auto& s : kStates) {
                header.push_back(side + s);
            }
        }
        EXPECT_EQ(splitCsv(rows[0]), header);

        const CliRun json = run("analyze --json " + file);
        ASSERT_EQ(json.exitCode, 0) << json.err;
        const auto j = nlohmann::json::parse(json.out);
        std::map<std::string, int> expected;
        for (const auto& c : j.at("connections")) {
            ++expected["client_" + c.at("final_client_state").get<std::string>()];
            ++expected["server_" + c.at("final_server_state").get<std::string>()];
        }
        const auto last = splitCsv(rows.back());
        ASSERT_EQ(last.size(), header.size());
        for (std::size_t i = 1; i < header.size(); ++i) {
            EXPECT_EQ(std::stoi(last[i]), expected[header[i]]) << header[i];
        }
        // One row every 100 ms from the first packet, then the end; every row counts
        // each started connection once per side.
        double previous = -1;
        for (std::size_t r = 1; r < rows.size(); ++r) {
            const auto cells = splitCsv(rows[r]);
            ASSERT_EQ(cells.size(), header.size()) << rows[r];
            const double t = std::stod(cells[0]);
            EXPECT_GT(t, previous);
            if (r + 1 < rows.size()) {
                EXPECT_NEAR(t, 0.1 * static_cast<double>(r - 1), 1e-9);
            }
            previous = t;
            int clients = 0;
            int servers = 0;
            for (std::size_t i = 1; i < cells.size(); ++i) {
                (i <= kStates.size() ? clients : servers) += std::stoi(cells[i]);
            }
            EXPECT_EQ(clients, servers);
        }
    }
    const CliRun bad = run("analyze --counts 0 " + kCorpus + "/pcpp_three_http_streams.pcap");
    EXPECT_EQ(bad.exitCode, 2);
    EXPECT_NE(bad.err.find("--counts"), std::string::npos) << bad.err;
    const CliRun both =
        run("analyze --json --counts 1s " + kCorpus + "/pcpp_three_http_streams.pcap");
    EXPECT_EQ(both.exitCode, 2) << "--counts and --json are one output or the other";
}

namespace {

/// What tshark says of one stream's handshake, for the capture-point golden test.
struct TsharkHandshake {
    std::int64_t synNs = -1;
    std::int64_t synAckNs = -1;
    std::uint64_t synAckSeq = 0;
    std::int64_t ackNs = -1;
    bool startsWithSyn = false;
    bool seenAny = false;
};

std::int64_t epochNs(const std::string& text) {
    const auto dot = text.find('.');
    std::int64_t ns = std::stoll(text.substr(0, dot)) * 1'000'000'000;
    if (dot != std::string::npos) {
        std::string frac = text.substr(dot + 1);
        frac.resize(9, '0');
        ns += std::stoll(frac);
    }
    return ns;
}

} // namespace

// capture_point against an independent reading of the same packets: tshark's
// timestamps and raw sequence numbers give each stream's SYN, SYN,ACK and the
// ACK of it; half of each interval is the one-way delay to the server and client.
TEST(AnalyzeCli, CapturePointMatchesTheHandshakeTimesTsharkReads) {
    if (std::system("tshark -v >/dev/null 2>&1") != 0) {
        TCPVIZ_SKIP("tshark is not installed (scripts/deps installs it)");
    }
    int checked = 0;
    for (const char* name : {"pcpp_three_http_streams.pcap", "zeek_http-methods.pcap",
                             "zeek_redis-reply-off-on-2conn.pcap", "zeek_tcp-payload-syn.pcap",
                             "tcpdump_tcp-handshake-nano.pcap", "zeek_tls-openjdk-sll2.pcap"}) {
        SCOPED_TRACE(name);
        const std::string file = kCorpus + "/" + name;
        const std::string cmd =
            "tshark -n -r " + file +
            " -o tcp.relative_sequence_numbers:FALSE -T fields -e tcp.stream "
            "-e frame.time_epoch -e tcp.flags -e tcp.seq -e tcp.ack 2>/dev/null";
        FILE* p = ::popen(cmd.c_str(), "r");
        ASSERT_NE(p, nullptr);
        std::string text;
        std::array<char, 4096> buf{};
        std::size_t n = 0;
        while ((n = std::fread(buf.data(), 1, buf.size(), p)) > 0) {
            text.append(buf.data(), n);
        }
        ASSERT_EQ(::pclose(p), 0);
        std::map<int, TsharkHandshake> streams;
        for (const auto& line : lines(text)) {
            std::vector<std::string> f(1);
            for (const char c : line) {
                if (c == '\t') {
                    f.emplace_back();
                } else {
                    f.back().push_back(c);
                }
            }
            if (f.size() < 5 || f[0].empty()) {
                continue;
            }
            TsharkHandshake& h = streams[std::stoi(f[0])];
            const auto t = epochNs(f[1]);
            const auto flags = std::stoul(f[2], nullptr, 16);
            const bool syn = (flags & 0x02U) != 0;
            const bool ack = (flags & 0x10U) != 0;
            if (!h.seenAny) {
                h.startsWithSyn = syn && !ack;
                h.seenAny = true;
            }
            if (syn && !ack && h.synAckNs < 0) {
                h.synNs = t;
            } else if (syn && ack && h.synNs >= 0 && h.synAckNs < 0) {
                h.synAckNs = t;
                h.synAckSeq = std::stoull(f[3]);
            } else if (!syn && ack && h.synAckNs >= 0 && h.ackNs < 0 &&
                       std::stoull(f[4]) == (h.synAckSeq + 1) % (1ULL << 32)) {
                h.ackNs = t;
            }
        }
        const CliRun json = run("analyze --json " + file);
        ASSERT_EQ(json.exitCode, 0) << json.err;
        const auto j = nlohmann::json::parse(json.out);
        ASSERT_EQ(j.at("connections").size(), streams.size());
        std::size_t i = 0;
        for (const auto& [stream, h] : streams) {
            SCOPED_TRACE("tcp.stream " + std::to_string(stream));
            const auto& point = j.at("connections").at(i++).at("capture_point");
            const bool handshake = h.startsWithSyn && h.ackNs >= 0;
            if (!handshake) {
                EXPECT_NE(point.at("basis"), "handshake");
                continue;
            }
            EXPECT_EQ(point.at("basis"), "handshake");
            EXPECT_EQ(point.at("server_us").get<std::int64_t>(), (h.synAckNs - h.synNs) / 2 / 1000);
            EXPECT_EQ(point.at("client_us").get<std::int64_t>(), (h.ackNs - h.synAckNs) / 2 / 1000);
            ++checked;
        }
    }
    EXPECT_GE(checked, 50) << "handshakes checked across the corpus files";
}

// gzip and zstd captures, pcap and pcapng, from a file or through a pipe, give the
// JSON of the plain file (its name aside): analyze reads them streaming.
TEST(AnalyzeCli, GzipAndZstdCapturesGiveTheJsonOfThePlainFile) {
    const std::vector<std::string> files = {kCorpus + "/zeek_http-methods.pcap",
                                            kCorpus + "/zeek_tcp-retransmit-timeout.pcapng"};
    const auto dir = std::filesystem::temp_directory_path() /
                     ("tcpviz_analyze_cli_z_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    int compared = 0;
    for (const std::string& file : files) {
        if (!std::filesystem::exists(file)) {
            std::filesystem::remove_all(dir);
            TCPVIZ_SKIP("no corpus at " << kCorpus);
        }
        SCOPED_TRACE(file);
        const CliRun plain = run("analyze --json " + file);
        ASSERT_EQ(plain.exitCode, 0) << plain.err;
        auto expected = nlohmann::json::parse(plain.out);
        ASSERT_FALSE(expected.at("connections").empty());
        expected.erase("file");
        const std::string name = std::filesystem::path(file).filename().string();
        for (const auto& [tool, suffix] : std::vector<std::pair<std::string, std::string>>{
                 {"gzip -c", ".gz"}, {"zstd -q -c", ".zst"}}) {
            const std::string packed = (dir / (name + suffix)).string();
            if (std::system((tool + " '" + file + "' > '" + packed + "'").c_str()) != 0) {
                std::filesystem::remove_all(dir);
                TCPVIZ_SKIP(tool << " is not installed (scripts/deps installs gzip and zstd)");
            }
            for (const std::string& args :
                 {"analyze --json '" + packed + "'", "analyze --json - < '" + packed + "'"}) {
                SCOPED_TRACE(args);
                const CliRun r = run(args);
                ASSERT_EQ(r.exitCode, 0) << r.err;
                auto got = nlohmann::json::parse(r.out);
                got.erase("file");
                EXPECT_EQ(got, expected);
                ++compared;
            }
        }
    }
    std::filesystem::remove_all(dir);
    EXPECT_EQ(compared, 8);
}

// --progress reports the bytes read on standard error and ends at 100%; the
// report on standard output is the one without it.
TEST(AnalyzeCli, ProgressGoesToStandardErrorAndEndsAtTheFileSize) {
    const std::string file = kCorpus + "/pcpp_650HttpResponses.pcap";
    if (!std::filesystem::exists(file)) {
        TCPVIZ_SKIP("no corpus at " << kCorpus);
    }
    const CliRun quiet = run("analyze " + file);
    const CliRun r = run("analyze --progress " + file);
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_EQ(r.out, quiet.out);
    EXPECT_NE(r.err.find("analyze: "), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("(100%)"), std::string::npos) << r.err;
}
