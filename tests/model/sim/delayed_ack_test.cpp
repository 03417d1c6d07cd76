// `delays_acks: true` (EndpointConfig::delaysAcks): data is acknowledged after
// the delayed-ACK time, at the second segment, or on the side's next segment;
// without it every segment is acknowledged at once.
#include "scenario/scenario.h"
#include "sim/simulator.h"

#include <gtest/gtest.h>
#include <string>
#include <vector>

namespace tcpviz {
namespace {

Trace run(const std::string& server, const std::string& steps) {
    const std::string text = "client: {address: \"10.0.0.1:1000\", isn: 100}\n"
                             "server: {address: \"10.0.0.2:80\", isn: 300" +
                             server +
                             "}\n"
                             "network: {latency: 10ms}\n"
                             "timers: {delayed_ack: 100ms}\n"
                             "steps:\n"
                             "  - {at: 0ms, server: listen}\n"
                             "  - {at: 1ms, client: connect}\n" +
                             steps;
    const Result<Scenario> parsed = parseScenarioText(text, "delayed-ack.yaml");
    EXPECT_TRUE(parsed.has_value()) << parsed.error().toString();
    return parsed.has_value() ? simulate(*parsed) : Trace{};
}

// The server's segments after the handshake: "FLAGS ack=N at T ms".
std::vector<std::string> serverSends(const Trace& t) {
    std::vector<std::string> out;
    for (const TraceEvent& e : t.events()) {
        if (e.kind == EventKind::Send && e.endpoint == Side::Server && !e.segment.has(flag::SYN)) {
            out.push_back(flagsToString(e.segment.flags) +
                          " ack=" + std::to_string(e.segment.ack - 100) + " at " +
                          std::to_string(e.timeUs / 1000) + "ms");
        }
    }
    return out;
}

TEST(DelayedAck, WithoutItEachSegmentIsAcknowledgedOnArrival) {
    const Trace t = run("", "  - {at: 100ms, client: send, bytes: 10}\n");
    EXPECT_EQ(serverSends(t), (std::vector<std::string>{"ACK ack=11 at 110ms"}));
}

TEST(DelayedAck, ALoneSegmentIsAcknowledgedWhenTheTimerFires) {
    const Trace t = run(", delays_acks: true", "  - {at: 100ms, client: send, bytes: 10}\n");
    EXPECT_EQ(serverSends(t), (std::vector<std::string>{"ACK ack=11 at 210ms"}));
}

TEST(DelayedAck, TheAnswerCarriesTheAck) {
    const Trace t = run(", delays_acks: true", "  - {at: 100ms, client: send, bytes: 10}\n"
                                               "  - {at: 150ms, server: send, bytes: 20}\n");
    EXPECT_EQ(serverSends(t), (std::vector<std::string>{"PSH,ACK ack=11 at 150ms"}));
}

TEST(DelayedAck, TheSecondSegmentIsAcknowledgedAtOnce) {
    const Trace t = run(", delays_acks: true", "  - {at: 100ms, client: send, bytes: 10}\n"
                                               "  - {at: 120ms, client: send, bytes: 10}\n");
    EXPECT_EQ(serverSends(t), (std::vector<std::string>{"ACK ack=21 at 130ms"}));
}

TEST(DelayedAck, AWrongValueIsReportedWhereItStands) {
    const std::string text = "server: {delays_acks: maybe}\nsteps: []\n";
    const Result<Scenario> parsed = parseScenarioText(text, "x.yaml");
    ASSERT_FALSE(parsed.has_value());
    EXPECT_EQ(parsed.error().line, 1);
    EXPECT_EQ(parsed.error().column, 23);
}

} // namespace
} // namespace tcpviz
