// `quick_ack: true`: a linux side whose quick-ACK mode stays on (a route with
// `quickack 1`) acknowledges its peer's FIN at once instead of delaying that ACK
// in pingpong mode, and still aborts with RST,ACK as Linux does.
#include "scenario/scenario.h"
#include "sim/simulator.h"

#include <gtest/gtest.h>
#include <string>
#include <vector>

namespace tcpviz {
namespace {

Result<Scenario> parse(const std::string& client) {
    const std::string text = "profile: linux\n"
                             "client: {address: \"10.0.0.1:1000\", isn: 100" +
                             client +
                             "}\n"
                             "server: {address: \"10.0.0.2:80\", isn: 300}\n"
                             "network: {latency: 10ms}\n"
                             "steps:\n"
                             "  - {at: 0ms, server: listen}\n"
                             "  - {at: 1ms, client: connect}\n"
                             "  - {at: 100ms, server: close}\n"
                             "  - {at: 115ms, client: abort}\n";
    return parseScenarioText(text, "quick-ack.yaml");
}

// The client's segments after the handshake: "ACK ack=2" (relative to the ISNs).
std::vector<std::string> clientAfterHandshake(const Trace& t) {
    std::vector<std::string> out;
    int sent = 0;
    for (const TraceEvent& e : t.events()) {
        if (e.kind != EventKind::Send || e.endpoint != Side::Client || ++sent <= 2) {
            continue;
        }
        const std::uint32_t ack = e.segment.has(flag::ACK) ? e.segment.ack - 300 : 0;
        out.push_back(flagsToString(e.segment.flags) + " ack=" + std::to_string(ack) +
                      " t=" + std::to_string(e.timeUs / 1000) + "ms");
    }
    return out;
}

TEST(QuickAck, ALinuxSideWithQuickAckAcknowledgesAFinAtOnce) {
    const Result<Scenario> s = parse(", quick_ack: true");
    ASSERT_TRUE(s) << s.error().toString();
    // The server's FIN leaves at 100 ms and arrives at 110 ms: ACKed then, not 40 ms
    // later; the abort at 115 ms is a RST,ACK (Linux's tcp_send_active_reset).
    EXPECT_EQ(clientAfterHandshake(simulate(*s)),
              (std::vector<std::string>{"ACK ack=2 t=110ms", "RST,ACK ack=2 t=115ms"}));
}

TEST(QuickAck, WithoutItLinuxDelaysTheAckOfAFin) {
    const Result<Scenario> s = parse("");
    ASSERT_TRUE(s) << s.error().toString();
    // The ACK pending at 110 ms rides on nothing: the abort at 115 ms comes first.
    EXPECT_EQ(clientAfterHandshake(simulate(*s)),
              (std::vector<std::string>{"RST,ACK ack=2 t=115ms"}));
}

TEST(QuickAck, AWrongValueIsReportedWhereItStands) {
    const Result<Scenario> s = parse(", quick_ack: often");
    ASSERT_FALSE(s);
    EXPECT_EQ(s.error().line, 2);
    EXPECT_NE(s.error().message.find("quick_ack"), std::string::npos) << s.error().message;
}

} // namespace
} // namespace tcpviz
