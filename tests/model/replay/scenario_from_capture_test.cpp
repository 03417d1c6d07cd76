// What scenarioFromCapture writes: the inferred calls and faults, the comments
// naming packets, and a text the normal parser reads with exact positions when
// a lecturer edits it wrongly.
#include "capture/analyzer.h"
#include "capture/capture_point.h"
#include "capture/connection_trace.h"
#include "capture/trace_pcap.h"
#include "replay/replay_check.h"
#include "replay/scenario_from_capture.h"
#include "scenario/library.h"
#include "sim/simulator.h"

#include <deque>
#include <filesystem>
#include <gtest/gtest.h>
#include <sstream>
#include <string>
#include <unistd.h>
#include <vector>

namespace tcpviz {
namespace {

struct Captured {
    std::vector<DecodedPacket> packets;
    CapturePoint point;
};

// A lesson as a sniffer beside the client records it, with its capture point.
Captured captureOf(const std::string& lesson) {
    const std::optional<Scenario> s = findBuiltinScenario(lesson);
    EXPECT_TRUE(s.has_value()) << lesson;
    const Trace trace = simulate(*s);
    Captured c;
    c.packets = tracePackets(trace, 0.0);
    CapturePointEstimator estimator;
    for (const DecodedPacket& p : c.packets) {
        estimator.onPacket(p.src == trace.meta.client.address ? Side::Client : Side::Server, p.tcp,
                           p.timeNs);
    }
    c.point = estimator.estimate();
    return c;
}

std::string generate(const std::string& lesson) {
    const Captured c = captureOf(lesson);
    ScenarioFromCaptureOptions options;
    options.source = lesson + ".pcap";
    const Result<CapturedScenario> made = scenarioFromCapture(c.packets, c.point, options);
    EXPECT_TRUE(made.has_value()) << made.error().toString();
    return made ? made->text : std::string();
}

// 1-based line and column of the first `needle` in `text`.
std::pair<int, int> positionOf(const std::string& text, const std::string& needle) {
    const std::size_t at = text.find(needle);
    EXPECT_NE(at, std::string::npos) << needle;
    const std::size_t lineStart =
        text.rfind('\n', at) == std::string::npos ? 0 : text.rfind('\n', at) + 1;
    const auto line = 1 + std::count(text.begin(), text.begin() + static_cast<long>(at), '\n');
    return {static_cast<int>(line), static_cast<int>(at - lineStart) + 1};
}

TEST(ScenarioFromCapture, LostDataBecomesASendAndADropOfTheFirstCopy) {
    const std::string text = generate("lost-data");
    EXPECT_NE(text.find("server: listen}"), std::string::npos) << text;
    EXPECT_NE(text.find("client: connect}   # packet 1: client SYN seq=0 len=0"), std::string::npos)
        << text;
    EXPECT_NE(
        text.find("client: send, bytes: 100}   # packet 4: client PSH,ACK seq=1 ack=1 len=100"),
        std::string::npos)
        << text;
    EXPECT_NE(text.find("drop: {from: client, flags: \"PSH,ACK\", nth: 1}   # packet 4"),
              std::string::npos)
        << text;
    EXPECT_NE(text.find("sent again as packet 5"), std::string::npos) << text;
    EXPECT_NE(text.find("isn: 100"), std::string::npos) << text;
    EXPECT_NE(text.find("isn: 300"), std::string::npos) << text;
    EXPECT_NE(
        text.find(
            "network: {latency: 50000us}   # handshake estimate: 0us to the client + 50000us"),
        std::string::npos)
        << text;
    // Exactly one send: the retransmission is TCP's, not the application's.
    EXPECT_EQ(text.find("send", text.find("send, bytes") + 1), std::string::npos) << text;
    EXPECT_TRUE(parseScenarioText(text, "lost-data-replay.yaml").has_value());
}

TEST(ScenarioFromCapture, ServerFirstCloseIsACloseOnEachSide) {
    const std::string text = generate("close-server-first");
    const std::size_t server = text.find("server: close}");
    const std::size_t client = text.find("client: close}");
    ASSERT_NE(server, std::string::npos) << text;
    ASSERT_NE(client, std::string::npos) << text;
    EXPECT_LT(server, client) << text;
    EXPECT_EQ(text.find("abort"), std::string::npos) << text;
    EXPECT_EQ(text.find("faults:"), std::string::npos) << text;
}

// A RST "from the client" after which the client sends data as if nothing had
// happened was sent by no TCP endpoint (the lesson injects it): it becomes an
// `inject` to the server, not the client's abort.
TEST(ScenarioFromCapture, ARstItsSideIgnoresIsInjectedNotAnAbort) {
    const std::string text = generate("rst-in-established");
    EXPECT_NE(text.find("inject: {to: server, flags: \"RST\", seq: 101}}"), std::string::npos)
        << text;
    EXPECT_NE(text.find("sent by no TCP endpoint"), std::string::npos) << text;
    EXPECT_EQ(text.find("client: abort"), std::string::npos) << text;
    // A RST after which its side is silent stays an application's abort.
    EXPECT_NE(generate("abort-linger-zero").find(": abort}"), std::string::npos);
}

// Data "from the server" 30 s after the server's FIN was acknowledged (an old
// duplicate the lesson injects) is no endpoint's: injected to the client, neither
// a second `send` nor a loss of the first copy.
TEST(ScenarioFromCapture, DataAfterItsSidesFinWasAcknowledgedIsInjected) {
    const std::string text = generate("time-wait-assassination");
    EXPECT_NE(text.find("inject: {to: client, flags: \"PSH,ACK\", seq: 301, ack: 101, len: 100}}"),
              std::string::npos)
        << text;
    EXPECT_EQ(text.find("faults:"), std::string::npos) << text;
    EXPECT_EQ(text.find("send", text.find("send, bytes") + 1), std::string::npos) << text;
}

TEST(ScenarioFromCapture, HalfCloseIsAShutdownBecauseThePeerSendsOn) {
    const std::string text = generate("half-close");
    EXPECT_NE(text.find("client: shutdown}"), std::string::npos) << text;
}

TEST(ScenarioFromCapture, AWronglyEditedGeneratedFileGetsLineAndColumn) {
    const std::string text = generate("lost-data");
    ASSERT_TRUE(parseScenarioText(text, "replay.yaml").has_value());

    std::string typo = text;
    const std::size_t at = typo.find("client: connect}");
    typo.replace(at + 8, 7, "conect");
    const auto [line, column] = positionOf(typo, "conect");
    const Result<Scenario> bad = parseScenarioText(typo, "replay.yaml");
    ASSERT_FALSE(bad.has_value());
    std::ostringstream where;
    where << "replay.yaml:" << line << ":" << column << ": error: unknown action `conect`";
    EXPECT_EQ(bad.error().toString().rfind(where.str(), 0), 0U) << bad.error().toString();

    std::string nth = text;
    nth.replace(nth.find("nth: 1}"), 7, "nth: x}");
    const auto [nthLine, nthColumn] = positionOf(nth, "nth: x");
    const Result<Scenario> badNth = parseScenarioText(nth, "replay.yaml");
    ASSERT_FALSE(badNth.has_value());
    EXPECT_EQ(badNth.error().line, nthLine) << badNth.error().toString();
    EXPECT_EQ(badNth.error().column, nthColumn + 5) << badNth.error().toString();
}

TEST(ScenarioFromCapture, RefusesAConnectionWithoutSyn) {
    DecodedPacket p;
    p.number = 7;
    p.tcp.flags = flag::ACK;
    const std::vector<DecodedPacket> packets{p};
    ScenarioFromCaptureOptions options;
    options.source = "x.pcap";
    options.connection = 3;
    const auto made = scenarioFromCapture(packets, {}, options);
    ASSERT_FALSE(made.has_value());
    EXPECT_EQ(made.error().toString(),
              "x.pcap: connection 3: no SYN captured, and a scenario starts with the handshake");
}

// A reconnect on the same ports is written as one scenario: a connect per
// connection, the later ISNs in the `isn:` lists. A server in TIME-WAIT takes
// the new SYN itself (Linux): no second listen.
TEST(ScenarioFromCapture, AReconnectIsOneScenarioWithTheLaterIsns) {
    const std::string text = generate("time-wait-reconnect");
    const Result<Scenario> parsed = parseScenarioText(text, "reconnect.yaml");
    ASSERT_TRUE(parsed.has_value()) << parsed.error().toString() << "\n" << text;
    EXPECT_EQ(parsed->client.isn, 100U) << text;
    EXPECT_EQ(parsed->client.laterIsns, std::vector<std::uint32_t>{64'100}) << text;
    const auto count = [&parsed](Action a, Side side) {
        return std::count_if(parsed->steps.begin(), parsed->steps.end(),
                             [&](const Step& st) { return st.action == a && st.endpoint == side; });
    };
    EXPECT_EQ(count(Action::Connect, Side::Client), 2) << text;
    EXPECT_EQ(count(Action::Listen, Side::Server), 1) << text;
}

// The old duplicate of linger-zero-old-duplicate: seen beside the client at once
// with its original, answered by the server in the next connection, so a
// `duplicate` fault delivered that much later, not a loss; the server, reset
// to CLOSED, listens again.
TEST(ScenarioFromCapture, AnOldDuplicateInTheNextConnectionIsADuplicateFault) {
    // Through a pcap file, as tcpviz-cli scenario --with-reconnects reads it: the
    // network's copy is another IP datagram there, not a capture copy.
    const std::optional<Scenario> lesson = findBuiltinScenario("linger-zero-old-duplicate");
    ASSERT_TRUE(lesson.has_value());
    const std::filesystem::path pcap =
        std::filesystem::temp_directory_path() /
        ("tcpviz-old-duplicate-" + std::to_string(::getpid()) + ".pcap");
    ASSERT_TRUE(writeTracePcap(simulate(*lesson), pcap.string(), 0.0).has_value());
    const Result<AnalysisResult> analysed = analyzeCapture(pcap.string(), {});
    ASSERT_TRUE(analysed.has_value()) << analysed.error().toString();
    ASSERT_EQ(analysed->connections.size(), 2U);
    const Result<std::vector<DecodedPacket>> packets =
        collectWithReconnects(pcap.string(), {}, analysed->connections, 0);
    std::filesystem::remove(pcap);
    ASSERT_TRUE(packets.has_value()) << packets.error().toString();
    ScenarioFromCaptureOptions options;
    options.source = "old-duplicate.pcap";
    const Result<CapturedScenario> made = scenarioFromCapture(
        *packets, analysed->connections.front().capturePoint.estimate(), options);
    ASSERT_TRUE(made.has_value()) << made.error().toString();
    const std::string& text = made->text;
    EXPECT_NE(text.find("isn: [100, 600]"), std::string::npos) << text;
    EXPECT_NE(text.find(R"(duplicate: {from: client, flags: "PSH,ACK", nth: 1, after: 2470000us})"),
              std::string::npos)
        << text;
    EXPECT_EQ(text.find("drop:"), std::string::npos) << text;
    const Result<Scenario> parsed = parseScenarioText(text, "old-duplicate.yaml");
    ASSERT_TRUE(parsed.has_value()) << parsed.error().toString() << "\n" << text;
    EXPECT_EQ(std::count_if(parsed->steps.begin(), parsed->steps.end(),
                            [](const Step& st) { return st.action == Action::Listen; }),
              2)
        << text;
}

// network-failure: the client sends its data six times, never acknowledged, and
// answers the server's data later with <SEQ=SEG.ACK><CTL=RST>, as a closed
// socket does: it gave up after 5 retransmissions. Every copy was lost, the
// limit is a timer, and the RST is TCP's reply, not an abort.
TEST(ScenarioFromCapture, ASilentGiveUpIsARetransmissionLimitNotAnAbort) {
    const std::string text = generate("network-failure");
    const Result<Scenario> parsed = parseScenarioText(text, "give-up.yaml");
    ASSERT_TRUE(parsed.has_value()) << parsed.error().toString() << "\n" << text;
    EXPECT_EQ(parsed->timers.dataRetries, 5) << text;
    EXPECT_EQ(parsed->faults.size(), 6U) << text;
    EXPECT_EQ(std::count_if(parsed->steps.begin(), parsed->steps.end(),
                            [](const Step& st) { return st.action == Action::Abort; }),
              0)
        << text;
}

// An abort with data in flight sends RST with SND.NXT, above what the peer
// acknowledged: no give-up is read into it.
TEST(ScenarioFromCapture, AnAbortIsNoGiveUp) {
    const std::string text = generate("abort-linger-zero");
    EXPECT_EQ(text.find("data_retries"), std::string::npos) << text;
    EXPECT_NE(text.find("client: abort"), std::string::npos) << text;
}

// Only the later connections on the same addresses and ports (either way
// round) go with a connection: not one on another port, not an earlier one.
TEST(ScenarioFromCapture, ReconnectsAreTheLaterConnectionsOnTheSamePorts) {
    const auto address = [](const char* text) {
        const std::optional<SocketAddress> a = parseSocketAddress(text);
        EXPECT_TRUE(a.has_value()) << text;
        return a.value_or(SocketAddress{});
    };
    const auto connection = [](SocketAddress client, SocketAddress server, std::uint64_t first) {
        ConnectionSummary c;
        c.known = ConnectionSummary::KnownPtr(ConnectionSummary::Known{client, server, {}, {}});
        c.firstPacket = first;
        return c;
    };
    const SocketAddress a = address("10.0.0.1:5000");
    const SocketAddress b = address("10.0.0.2:80");
    const SocketAddress other = address("10.0.0.1:5001");
    ConnectionList all;
    all.push_back(connection(a, b, 1));
    all.push_back(connection(other, b, 2));
    all.push_back(connection(a, b, 3));
    all.push_back(connection(b, a, 4));
    EXPECT_EQ(withReconnects(all, 0), (std::vector<std::size_t>{0, 2, 3}));
    EXPECT_EQ(withReconnects(all, 1), (std::vector<std::size_t>{1}));
    EXPECT_EQ(withReconnects(all, 2), (std::vector<std::size_t>{2, 3}));
    EXPECT_TRUE(withReconnects(all, 4).empty());
}

} // namespace
} // namespace tcpviz
