// tcpviz-cli list / simulate, end to end: the real binary, its exit codes
// (0 ok, 1 bad input, 2 usage), its messages on stderr and its output.
#include "cli_run.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <sys/wait.h>
#include <unistd.h>

namespace {

namespace fs = std::filesystem;

using tcpviz::test::CliRun;

fs::path workDir() {
    static const fs::path dir = [] {
        auto d = fs::temp_directory_path() / ("tcpviz_cli_simulate_" + std::to_string(::getpid()));
        fs::create_directories(d);
        return d;
    }();
    return dir;
}

/// Removes the scratch folder after the last test.
class ScratchCleanup : public ::testing::Environment {
public:
    void TearDown() override {
        std::error_code ec;
        fs::remove_all(workDir(), ec);
    }
};
[[maybe_unused]] const auto* const kCleanup =
    ::testing::AddGlobalTestEnvironment(new ScratchCleanup);

std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

CliRun cli(const std::string& arguments) {
    return tcpviz::test::runCli(arguments, tcpviz::test::Stderr::Apart);
}

fs::path writeScenario(const std::string& name, const std::string& text) {
    const fs::path p = workDir() / name;
    std::ofstream(p, std::ios::binary) << text;
    return p;
}

bool has(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

constexpr const char* kHeader = R"(client: {address: "192.168.0.2:52528", isn: 100}
server: {address: "192.168.0.1:80", isn: 300}
steps:
  - {at: 0ms, server: listen}
)";

TEST(CliList, PrintsIdTopicAndBothTitles) {
    const CliRun r = cli("list");
    EXPECT_EQ(r.exitCode, 0) << r.err;
    EXPECT_TRUE(has(r.out, "three-way-handshake")) << r.out;
    EXPECT_TRUE(has(r.out, "Three-way handshake"));
    EXPECT_TRUE(has(r.out, "三次握手"));
    EXPECT_TRUE(has(r.out, "handshake"));
    EXPECT_TRUE(r.err.empty()) << r.err;
}

TEST(CliList, Json) {
    const CliRun r = cli("list --json");
    ASSERT_EQ(r.exitCode, 0) << r.err;
    const auto j = nlohmann::json::parse(r.out);
    const auto& list = j.at("scenarios");
    ASSERT_GE(list.size(), 19U);
    EXPECT_EQ(list.at(0).at("id"), "lecture");
    EXPECT_EQ(list.at(0).at("default"), true);
    for (const auto& s : list) {
        EXPECT_FALSE(s.at("title").at("zh").get<std::string>().empty()) << s.at("id");
        EXPECT_FALSE(s.at("topic").get<std::string>().empty());
    }
}

TEST(CliSimulate, BuiltinInRfcNotation) {
    const CliRun r = cli("simulate three-way-handshake");
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_TRUE(has(r.out, "TCP A (192.168.0.2:52528)")) << r.out;
    EXPECT_TRUE(has(r.out, "TCP B (192.168.0.1:80)"));
    EXPECT_TRUE(has(r.out, "SYN-SENT    --> <SEQ=100><CTL=SYN>")) << r.out;
    EXPECT_TRUE(has(r.out, "ESTABLISHED <-- <SEQ=300><ACK=101><CTL=SYN,ACK>"));
    EXPECT_TRUE(has(r.out, "ESTABLISHED --> <SEQ=101><ACK=301><CTL=ACK>"));
}

TEST(CliSimulate, DefaultIsTheLecture) {
    const CliRun r = cli("simulate");
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_TRUE(has(r.out, "(lecture, rfc9293)")) << r.out;
    EXPECT_TRUE(has(r.out, "TIME-WAIT"));
    EXPECT_TRUE(has(r.out, "[2MSL timer expires]"));
}

TEST(CliSimulate, RelativeNumbers) {
    const CliRun r = cli("simulate three-way-handshake --relative");
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_TRUE(has(r.out, "<SEQ=0><CTL=SYN>")) << r.out;
    EXPECT_TRUE(has(r.out, "<SEQ=0><ACK=1><CTL=SYN,ACK>"));
    EXPECT_TRUE(has(r.out, "<SEQ=1><ACK=1><CTL=ACK>"));
}

// The narration counts as the exchange above it does: relative with --relative.
TEST(CliSimulate, RelativeNumbersReachTheNarration) {
    const CliRun r = cli("simulate lecture --narrate --relative");
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_TRUE(has(r.out, "<SEQ=101><ACK=201><CTL=ACK>")) << r.out;
    EXPECT_TRUE(has(r.out, "ACK=201 = 1 + 200")) << r.out;
    EXPECT_FALSE(has(r.out, "ACK=501")) << r.out;
    const CliRun zh = cli("simulate lost-final-ack --narrate --relative --lang zh");
    ASSERT_EQ(zh.exitCode, 0) << zh.err;
    EXPECT_FALSE(has(zh.out, "SEQ=301")) << zh.out;
    const CliRun raw = cli("simulate lecture --narrate");
    EXPECT_TRUE(has(raw.out, "ACK=501 = 301 + 200")) << raw.out;
    const CliRun json = cli("simulate lecture --json --narrate --relative");
    ASSERT_EQ(json.exitCode, 0) << json.err;
    EXPECT_TRUE(has(json.out, "ACK=201 = 1 + 200"));
}

TEST(CliSimulate, LostSegmentsRetransmissionsAndTimersHaveTheirOwnLines) {
    const CliRun r = cli("simulate lost-syn --times");
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_TRUE(has(r.out, "--X")) << r.out;
    EXPECT_TRUE(has(r.out, "; lost"));
    EXPECT_TRUE(has(r.out, "[retransmission timeout]"));
    EXPECT_TRUE(has(r.out, "retransmission"));
    EXPECT_TRUE(has(r.out, "1.010s")) << "the SYN is resent one RTO (1 s) later\n" << r.out;
}

// `--names`: the state columns as the RFC writes them (default), as `ss` prints
// them, or both side by side.
TEST(CliSimulate, NamesRfcLinuxAndBoth) {
    const CliRun rfc = cli("simulate three-way-handshake --names rfc");
    ASSERT_EQ(rfc.exitCode, 0) << rfc.err;
    EXPECT_EQ(rfc.out, cli("simulate three-way-handshake").out) << "rfc is the default";
    EXPECT_TRUE(has(rfc.out, "ESTABLISHED <-- <SEQ=300>")) << rfc.out;
    EXPECT_FALSE(has(rfc.out, "ESTAB ")) << rfc.out;

    const CliRun linux = cli("simulate three-way-handshake --names linux");
    ASSERT_EQ(linux.exitCode, 0) << linux.err;
    EXPECT_TRUE(has(linux.out, "ESTAB     <-- <SEQ=300><ACK=101><CTL=SYN,ACK>")) << linux.out;
    EXPECT_TRUE(has(linux.out, "--> SYN-RECV")) << linux.out;
    EXPECT_FALSE(has(linux.out, "ESTABLISHED")) << linux.out;
    EXPECT_FALSE(has(linux.out, "SYN-RECEIVED")) << linux.out;

    const CliRun both = cli("simulate three-way-handshake --names both");
    ASSERT_EQ(both.exitCode, 0) << both.err;
    EXPECT_TRUE(has(both.out, "ESTABLISHED (ESTAB)    <-- <SEQ=300><ACK=101><CTL=SYN,ACK>"))
        << both.out;
    EXPECT_TRUE(has(both.out, "--> SYN-RECEIVED (SYN-RECV)")) << both.out;
    EXPECT_TRUE(has(both.out, "SYN-SENT               --> <SEQ=100><CTL=SYN>")) << both.out;

    const CliRun wrong = cli("simulate three-way-handshake --names netstat");
    EXPECT_EQ(wrong.exitCode, 2);
    EXPECT_TRUE(has(wrong.err, "--names")) << wrong.err;
}

TEST(CliSimulate, ChineseAndNarration) {
    const CliRun r = cli("simulate three-way-handshake --lang zh --narrate");
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_TRUE(has(r.out, "三次握手")) << r.out;
    EXPECT_TRUE(has(r.out, "占用一个序列号")) << r.out;
    const CliRun en = cli("simulate three-way-handshake --narrate");
    EXPECT_TRUE(has(en.out, "occupies one sequence number")) << en.out;
    EXPECT_TRUE(has(en.out, "The server application calls listen()"));
}

TEST(CliSimulate, JsonContract) {
    const CliRun r = cli("simulate three-way-handshake --json");
    ASSERT_EQ(r.exitCode, 0) << r.err;
    const auto j = nlohmann::json::parse(r.out);
    EXPECT_EQ(j.at("scenario"), "three-way-handshake");
    EXPECT_EQ(j.at("profile"), "rfc9293");
    EXPECT_EQ(j.at("client").at("isn"), 100);
    EXPECT_EQ(j.at("server").at("address"), "192.168.0.1:80");
    const auto& events = j.at("events");
    ASSERT_FALSE(events.empty());
    std::vector<std::string> flags;
    for (const auto& e : events) {
        EXPECT_TRUE(e.contains("index") && e.contains("time_us") && e.contains("endpoint") &&
                    e.contains("kind"));
        if (e.at("kind") == "send") {
            flags.push_back(e.at("segment").at("flags"));
        }
    }
    EXPECT_EQ(flags, (std::vector<std::string>{"SYN", "SYN,ACK", "ACK"}));
    EXPECT_EQ(j.at("client_states").at(0).at("state"), "CLOSED");
    EXPECT_EQ(j.at("client_states").back().at("state"), "ESTABLISHED");
    EXPECT_EQ(j.at("server_states").at(1).at("state"), "LISTEN");
    EXPECT_FALSE(events.at(0).contains("narration"));

    const CliRun narrated = cli("simulate three-way-handshake --json --narrate");
    const auto n = nlohmann::json::parse(narrated.out);
    EXPECT_FALSE(n.at("events").at(0).at("narration").at("zh").get<std::string>().empty());
}

TEST(CliSimulate, ManyConnectionsJsonAddsConnectionsAndCounts) {
    const auto file = writeScenario("crowd.yaml", R"(profile: linux
server: {address: "192.168.0.1:80", backlog: 4}
sysctls: {tcp_syncookies: 0, tcp_synack_retries: 1}
steps:
  - {at: 0ms, server: listen}
  - {at: 200ms, client: connect}
load:
  - {at: 100ms, count: 10, rate: 1000/s, from: "203.0.113.0/24", behaviour: syn-only}
)");
    const CliRun r = cli("simulate '" + file.string() + "' --json");
    ASSERT_EQ(r.exitCode, 0) << r.err;
    const auto j = nlohmann::json::parse(r.out);
    // The top level is the named connection, as for a single-connection scenario.
    EXPECT_EQ(j.at("scenario"), "crowd");
    EXPECT_EQ(j.at("client").at("address"), "192.168.0.2:52528");
    const auto& connections = j.at("connections");
    ASSERT_EQ(connections.size(), 11U);
    EXPECT_TRUE(connections.at(0).at("named").get<bool>());
    EXPECT_EQ(connections.at(0).at("events"), j.at("events"));
    EXPECT_EQ(connections.at(0).at("client_states"), j.at("client_states"));
    for (const auto& c : connections) {
        EXPECT_TRUE(c.contains("client") && c.contains("server") && c.contains("events") &&
                    c.contains("client_states") && c.contains("server_states"));
        EXPECT_EQ(c.at("server"), "192.168.0.1:80");
    }
    EXPECT_EQ(connections.at(1).at("behaviour"), "syn-only");
    EXPECT_TRUE(connections.at(1).at("spoofed").get<bool>());
    // accept() takes the named connection once its handshake is done (3.2 s on);
    // a forged SYN's request never gets that far.
    EXPECT_GT(connections.at(0).at("accepted_us").get<std::int64_t>(), 3'200'000);
    EXPECT_FALSE(connections.at(1).contains("accepted_us"));
    // five request sockets (backlog 4 + 1), the other five forged SYNs dropped, and
    // the named client's SYNs at 0.2, 1.2 and 2.2 s too: the half-open sockets
    // give up 1 + 2 s after their SYN,ACK (tcp_synack_retries 1), so 3.2 s gets in.
    EXPECT_EQ(j.at("listener").at("max_syn_queue"), 5);
    EXPECT_EQ(j.at("listener").at("syn_dropped_syn_queue_full").get<int>(), 5 + 3);
    const auto& counts = j.at("counts");
    ASSERT_FALSE(counts.empty());
    int peak = 0;
    std::int64_t last = -1;
    for (const auto& c : counts) {
        EXPECT_GT(c.at("time_us").get<std::int64_t>(), last);
        last = c.at("time_us").get<std::int64_t>();
        peak = std::max(peak, c.at("server").value("SYN-RECEIVED", 0));
    }
    EXPECT_EQ(peak, 5);
    EXPECT_EQ(counts.back().at("server").at("LISTEN"), 1);
    EXPECT_EQ(counts.back().at("client").at("ESTABLISHED"), 1);

    // The text form ends with the counts, as ss would show them.
    const CliRun text = cli("simulate '" + file.string() + "'");
    ASSERT_EQ(text.exitCode, 0) << text.err;
    EXPECT_TRUE(has(text.out, "11 connections")) << text.out;
    EXPECT_TRUE(has(text.out, "ESTAB: client 1, server 1")) << text.out;

    // A single-connection scenario keeps its old fields only.
    const CliRun single = cli("simulate three-way-handshake --json");
    const auto s = nlohmann::json::parse(single.out);
    EXPECT_FALSE(s.contains("connections"));
    EXPECT_FALSE(s.contains("counts"));
}

TEST(CliSimulate, ManyConnectionsPcapHoldsEveryConnectionInTimeOrder) {
    // A small flood with a legitimate client that gets in, then closes: the pcap
    // read back by the analyzer must hold every connection that sent anything,
    // and the same request sockets (server ends that answered SYN,ACK).
    const auto file = writeScenario("crowd-pcap.yaml", R"(profile: linux
server: {address: "192.168.0.1:80", backlog: 4}
sysctls: {tcp_syncookies: 0, tcp_synack_retries: 1}
steps:
  - {at: 0ms, server: listen}
  - {at: 200ms, client: connect}
  - {at: 5s, client: close}
load:
  - {at: 100ms, count: 10, rate: 1000/s, from: "203.0.113.0/24", behaviour: syn-only}
  - {at: 300ms, count: 3, rate: 10/s, from: "198.51.100.7", behaviour: connect-close}
)");
    const CliRun sim = cli("simulate '" + file.string() + "' --json");
    ASSERT_EQ(sim.exitCode, 0) << sim.err;
    const auto j = nlohmann::json::parse(sim.out);
    std::set<std::string> sending;
    std::set<std::string> answered; // client addresses whose server end reached SYN-RECEIVED
    std::size_t sends = 0;
    for (const auto& c : j.at("connections")) {
        bool sent = false;
        for (const auto& e : c.at("events")) {
            if (e.at("kind") == "send") {
                sent = true;
                ++sends;
            }
        }
        if (sent) {
            sending.insert(c.at("client").get<std::string>());
        }
        for (const auto& st : c.at("server_states")) {
            if (st.at("state") == "SYN-RECEIVED") {
                answered.insert(c.at("client").get<std::string>());
            }
        }
    }
    ASSERT_GT(sending.size(), 11U) << "the flood and the clients, not only the named one";

    const fs::path pcap = workDir() / "crowd.pcap";
    const CliRun written = cli("simulate '" + file.string() + "' --pcap '" + pcap.string() + "'");
    ASSERT_EQ(written.exitCode, 0) << written.err;
    const CliRun analysed = cli("analyze '" + pcap.string() + "' --json");
    ASSERT_EQ(analysed.exitCode, 0) << analysed.err;
    const auto a = nlohmann::json::parse(analysed.out);
    EXPECT_EQ(a.at("tcp_packets").get<std::size_t>(), sends);
    std::set<std::string> captured;
    std::set<std::string> capturedAnswered;
    for (const auto& c : a.at("connections")) {
        captured.insert(c.at("client").get<std::string>());
        for (const auto& st : c.at("server_states")) {
            if (st.at("state") == "SYN-RECEIVED") {
                capturedAnswered.insert(c.at("client").get<std::string>());
            }
        }
    }
    EXPECT_EQ(a.at("connections").size(), sending.size());
    EXPECT_EQ(captured, sending);
    EXPECT_EQ(capturedAnswered, answered);
    // The named client's whole exchange is in the file: it ends in TIME-WAIT.
    for (const auto& c : a.at("connections")) {
        if (c.at("client") == "192.168.0.2:52528") {
            EXPECT_EQ(c.at("final_client_state"), "TIME-WAIT");
        }
    }
}

TEST(CliSimulate, UserFile) {
    const auto file =
        writeScenario("my-lesson.yaml", std::string(kHeader) + "  - {at: 10ms, client: connect}\n");
    const CliRun r = cli("simulate '" + file.string() + "' --json");
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_EQ(nlohmann::json::parse(r.out).at("scenario"), "my-lesson");
}

TEST(CliSimulate, PcapOutput) {
    const fs::path pcap = workDir() / "handshake.pcap";
    const CliRun r = cli("simulate three-way-handshake --pcap '" + pcap.string() + "'");
    ASSERT_EQ(r.exitCode, 0) << r.err;
    const std::string bytes = slurp(pcap);
    ASSERT_GE(bytes.size(), 24U);
    EXPECT_TRUE(bytes.substr(0, 4) == std::string("\xd4\xc3\xb2\xa1", 4) ||
                bytes.substr(0, 4) == std::string("\x4d\x3c\xb2\xa1", 4))
        << "not a pcap file";
    const CliRun bad = cli("simulate three-way-handshake --pcap /nonexistent-dir/x.pcap");
    EXPECT_EQ(bad.exitCode, 1);
    EXPECT_TRUE(has(bad.err, "/nonexistent-dir/x.pcap")) << bad.err;
}

// A warning is printed as `FILE:LINE:COLUMN: warning: ...` on stderr and the
// scenario still plays (exit code 0).
TEST(CliSimulate, MslInALinuxScenarioWarnsAndPlays) {
    const fs::path file = writeScenario("linux-msl.yaml", std::string("profile: linux\n") +
                                                              kHeader + "timers: {msl: 5s}\n");
    const CliRun r = cli("simulate '" + file.string() + "'");
    EXPECT_EQ(r.exitCode, 0) << r.err;
    EXPECT_TRUE(has(r.err, file.string() + ":6:10: warning: `msl` has no effect")) << r.err;
    EXPECT_FALSE(has(r.err, "error")) << r.err;
    EXPECT_TRUE(has(r.out, "LISTEN")) << r.out;
}

/// A scenario with a mistake: exit code 1 and `FILE:LINE:COLUMN: error: ...` on stderr.
void expectBadFile(const std::string& name, const std::string& text, const std::string& where,
                   const std::string& message) {
    const auto file = writeScenario(name, text);
    const CliRun r = cli("simulate '" + file.string() + "'");
    EXPECT_EQ(r.exitCode, 1) << r.err;
    EXPECT_TRUE(r.out.empty()) << r.out;
    EXPECT_TRUE(has(r.err, file.string() + ":" + where + ": error: ")) << r.err;
    EXPECT_TRUE(has(r.err, message)) << r.err;
}

TEST(CliSimulateErrors, UnknownAction) {
    expectBadFile("action.yaml", std::string(kHeader) + "  - {at: 1s, client: conect}\n", "5:22",
                  "unknown action `conect`");
}

TEST(CliSimulateErrors, BadDuration) {
    expectBadFile("duration.yaml", std::string(kHeader) + "  - {at: 10 parsecs, client: connect}\n",
                  "5:10", "bad duration");
}

TEST(CliSimulateErrors, UnknownStateInWhen) {
    expectBadFile("state.yaml",
                  std::string(kHeader) + "  - {when: client ESTABLISH, client: close}\n", "5:12",
                  "unknown state `ESTABLISH`");
}

TEST(CliSimulateErrors, MissingEndpoint) {
    expectBadFile("endpoint.yaml", std::string(kHeader) + "  - {at: 1s, bytes: 3}\n", "5:5",
                  "missing endpoint");
}

TEST(CliSimulateErrors, YamlSyntax) {
    expectBadFile("syntax.yaml", "steps: [{at: 0ms, server: listen}\n", "2:1", "YAML syntax");
}

TEST(CliSimulateErrors, MissingFileAndUnknownId) {
    const CliRun missing = cli("simulate /nonexistent/lesson.yaml");
    EXPECT_EQ(missing.exitCode, 1);
    EXPECT_TRUE(has(missing.err, "/nonexistent/lesson.yaml: cannot open")) << missing.err;
    const CliRun unknown = cli("simulate no-such-lesson");
    EXPECT_EQ(unknown.exitCode, 1);
    EXPECT_TRUE(has(unknown.err, "no-such-lesson: no built-in scenario")) << unknown.err;
}

TEST(CliSimulateErrors, UsageErrorsExitWithTwo) {
    EXPECT_EQ(cli("simulate three-way-handshake --lang fr").exitCode, 2);
    EXPECT_EQ(cli("simulate three-way-handshake --no-such-flag").exitCode, 2);
}

TEST(CliSimulate, EveryBuiltinScenarioRuns) {
    const auto list = nlohmann::json::parse(cli("list --json").out).at("scenarios");
    for (const auto& s : list) {
        const std::string id = s.at("id");
        const CliRun r = cli("simulate " + id + " --json");
        EXPECT_EQ(r.exitCode, 0) << id << ": " << r.err;
        EXPECT_TRUE(nlohmann::json::accept(r.out)) << id;
    }
}

} // namespace
