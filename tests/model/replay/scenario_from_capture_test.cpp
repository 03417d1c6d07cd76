#include "replay/scenario_from_capture.h"

#include <gtest/gtest.h>

namespace tcpviz {
namespace {

TEST(ScenarioFromCapture, RefusesAConnectionWithoutSyn) {
    DecodedPacket p;
    p.number = 7;
    p.tcp.flags = flag::ACK;
    const DecodedPacket packets[] = {p};
    ScenarioFromCaptureOptions options;
    options.source = "x.pcap";
    options.connection = 3;
    const auto made = scenarioFromCapture(packets, {}, options);
    ASSERT_FALSE(made.has_value());
    EXPECT_EQ(made.error().toString(),
              "x.pcap: connection 3: no SYN captured, and a scenario starts with the handshake");
}

} // namespace
} // namespace tcpviz
