// A replayed connection opens in the window under a title in the interface's
// language: the generated scenario names it in English and in Chinese.
#include "capture/capture_point.h"
#include "capture/trace_pcap.h"
#include "replay/scenario_from_capture.h"
#include "scenario/library.h"
#include "scenario/scenario.h"
#include "sim/simulator.h"

#include <gtest/gtest.h>

namespace tcpviz {
namespace {

TEST(ReplayTitle, TheGeneratedScenarioIsTitledInEnglishAndChinese) {
    const Trace trace = simulate(*findBuiltinScenario("data-exchange"));
    const std::vector<DecodedPacket> packets = tracePackets(trace, 0.0);
    ScenarioFromCaptureOptions options;
    options.source = "http.pcap";
    options.connection = 7;
    const Result<CapturedScenario> made = scenarioFromCapture(packets, CapturePoint{}, options);
    ASSERT_TRUE(made.has_value()) << made.error().toString();
    const Result<Scenario> parsed = parseScenarioText(made->text, "replay.yaml");
    ASSERT_TRUE(parsed.has_value()) << parsed.error().toString();
    EXPECT_EQ(parsed->title.in(Language::En), "Replay of http.pcap connection 7");
    EXPECT_EQ(parsed->title.in(Language::Zh), "重放：http.pcap 的连接 7");
    EXPECT_NE(parsed->description.in(Language::Zh), parsed->description.in(Language::En));
}

} // namespace
} // namespace tcpviz
