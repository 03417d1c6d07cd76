// Data on the SYN (`connect` with `bytes`, TCP Fast Open, RFC 7413) and the
// server's `fast_open: true`: a Fast Open server takes the data at once and its
// SYN,ACK acknowledges it; any other server acknowledges the SYN only, and the
// client sends the data again at once, its ACK of the SYN,ACK riding on it.
#include "scenario/scenario.h"
#include "sim/simulator.h"

#include <gtest/gtest.h>
#include <string>
#include <vector>

namespace tcpviz {
namespace {

Result<Scenario> parse(const std::string& server, const std::string& connect) {
    const std::string text = "client: {address: \"10.0.0.1:1000\", isn: 100}\n"
                             "server: {address: \"10.0.0.2:80\", isn: 300" +
                             server +
                             "}\n"
                             "network: {latency: 10ms}\n"
                             "steps:\n"
                             "  - {at: 0ms, server: listen}\n"
                             "  - {at: 1ms, client: connect" +
                             connect + "}\n";
    return parseScenarioText(text, "fast-open.yaml");
}

// Every segment sent: "client SYN seq=0 ack=0 len=100" (numbers relative to the ISNs).
std::vector<std::string> sends(const Trace& t) {
    std::vector<std::string> out;
    for (const TraceEvent& e : t.events()) {
        if (e.kind != EventKind::Send) {
            continue;
        }
        const bool client = e.endpoint == Side::Client;
        const Segment& s = e.segment;
        out.push_back(std::string(client ? "client " : "server ") + flagsToString(s.flags) +
                      " seq=" + std::to_string(s.seq - (client ? 100 : 300)) + " ack=" +
                      std::to_string(s.has(flag::ACK) ? s.ack - (client ? 300 : 100) : 0) +
                      " len=" + std::to_string(s.len));
    }
    return out;
}

TEST(FastOpen, AFastOpenServerAcknowledgesTheDataOnTheSyn) {
    const Result<Scenario> s = parse(", fast_open: true", ", bytes: 100");
    ASSERT_TRUE(s) << s.error().toString();
    const Trace t = simulate(*s);
    EXPECT_EQ(sends(t), (std::vector<std::string>{"client SYN seq=0 ack=0 len=100",
                                                  "server SYN,ACK seq=0 ack=101 len=0",
                                                  "client ACK seq=101 ack=1 len=0"}));
    EXPECT_EQ(t.states(Side::Client).back().state, State::Established);
    EXPECT_EQ(t.states(Side::Server).back().state, State::Established);
}

TEST(FastOpen, AnyOtherServerAcknowledgesTheSynOnlyAndTheDataComesAgain) {
    const Result<Scenario> s = parse("", ", bytes: 100");
    ASSERT_TRUE(s) << s.error().toString();
    const Trace t = simulate(*s);
    EXPECT_EQ(sends(t), (std::vector<std::string>{"client SYN seq=0 ack=0 len=100",
                                                  "server SYN,ACK seq=0 ack=1 len=0",
                                                  "client PSH,ACK seq=1 ack=1 len=100",
                                                  "server ACK seq=1 ack=101 len=0"}));
}

TEST(FastOpen, AConnectWithoutBytesSendsABareSyn) {
    const Result<Scenario> s = parse(", fast_open: true", "");
    ASSERT_TRUE(s) << s.error().toString();
    const std::vector<std::string> out = sends(simulate(*s));
    ASSERT_FALSE(out.empty());
    EXPECT_EQ(out.front(), "client SYN seq=0 ack=0 len=0");
}

TEST(FastOpen, MistakesAreReportedWhereTheyStand) {
    const Result<Scenario> zero = parse("", ", bytes: 0");
    ASSERT_FALSE(zero);
    EXPECT_EQ(zero.error().toString(),
              "fast-open.yaml:6:39: error: `connect` with `bytes` needs at least one byte "
              "(data on the SYN)");
    const Result<Scenario> flag = parse(", fast_open: sometimes", "");
    ASSERT_FALSE(flag);
    EXPECT_EQ(flag.error().line, 2);
    EXPECT_EQ(flag.error().column, 55);
    const std::string onClose = "steps:\n  - {at: 0ms, client: close, bytes: 3}\n";
    const Result<Scenario> misplaced = parseScenarioText(onClose, "x.yaml");
    ASSERT_FALSE(misplaced);
    EXPECT_EQ(misplaced.error().line, 2);
    EXPECT_NE(misplaced.error().message.find("belongs to a `send` step"), std::string::npos)
        << misplaced.error().message;
}

} // namespace
} // namespace tcpviz
