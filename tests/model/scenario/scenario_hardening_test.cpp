// Inputs the scenario fuzzer (tests/fuzz) found to break something, replayed, and
// the parser's answers to text that is not a scenario at all.
#include "scenario/scenario.h"
#include "sim/simulator.h"
#include "trace/trace_json.h"

#include <filesystem>
#include <gtest/gtest.h>
#include <string>

namespace tcpviz {
namespace {

const std::string kRegressions =
    std::string(TCPVIZ_TEST_DATA_DIR) + "/fuzz-regressions/fuzz_scenario_parser";

// A title with a stray non-UTF-8 byte used to parse, then end `simulate --json`
// with an uncaught nlohmann::json exception (abort). Now the file is refused with
// the position of the byte.
TEST(ScenarioHardening, InvalidUtf8IsAnErrorWithItsPosition) {
    const Result<Scenario> r = parseScenarioFile(kRegressions + "/invalid-utf8-title.yaml");
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().line, 1);
    EXPECT_EQ(r.error().column, 69); // the 0x5e after 0xe7
    EXPECT_NE(r.error().message.find("UTF-8"), std::string::npos) << r.error().message;
    EXPECT_NE(r.error().toString().find("invalid-utf8-title.yaml:1:69"), std::string::npos)
        << r.error().toString();
}

TEST(ScenarioHardening, Utf8ChecksCoverEveryMalformedShape) {
    const std::string head = "title: \"";
    const std::string tail = "\"\nsteps:\n  - {at: 0ms, server: listen}\n";
    // Valid multi-byte text (Chinese, emoji) is accepted.
    EXPECT_TRUE(
        parseScenarioText(head + "\xe4\xb8\x89\xe6\xac\xa1 \xf0\x9f\x98\x80" + tail, "t.yaml")
            .has_value());
    for (const std::string bad : {"\xff", "\xc0\xaf", "\xe0\x80\xaf", "\xed\xa0\x80",
                                  "\xf4\x90\x80\x80", "\xe4\xb8", "\x80", "\xf0\x9f\x98"}) {
        const Result<Scenario> r = parseScenarioText(head + "ab" + bad + tail, "t.yaml");
        ASSERT_FALSE(r.has_value()) << "accepted a malformed sequence";
        EXPECT_EQ(r.error().line, 1);
        EXPECT_EQ(r.error().column, 11);
    }
}

// Every fuzz reproducer must now either parse or give a positioned message, and
// whatever parses must simulate and serialise.
TEST(ScenarioHardening, EveryFuzzReproducerIsHandled) {
    int files = 0;
    for (const auto& entry : std::filesystem::directory_iterator(kRegressions)) {
        ++files;
        const Result<Scenario> r = parseScenarioFile(entry.path().string());
        if (!r.has_value()) {
            EXPECT_FALSE(r.error().message.empty()) << entry.path();
            continue;
        }
        SimulatorOptions options;
        options.timeLimitUs = 600'000'000;
        Simulator sim(*r, options);
        for (int i = 0; i < 4000 && sim.step(); ++i) {
        }
        EXPECT_NO_THROW((void)traceToJson(sim.trace()).dump()) << entry.path();
    }
    EXPECT_GT(files, 0);
}

} // namespace
} // namespace tcpviz

namespace tcpviz {
namespace {

// Hostile shapes a fuzzer or a careless copy-paste produces: every one gives a
// positioned message, never a crash (deep nesting would otherwise exhaust the
// stack inside yaml-cpp's recursive parser).
TEST(ScenarioHardening, HostileTextGivesAMessageNotACrash) {
    const std::string deep = "steps: " + std::string(100000, '[') + "\n";
    const std::string deepMap = "steps:\n" + [] {
        std::string s;
        for (int i = 0; i < 20000; ++i) {
            s += "{a: ";
        }
        return s;
    }();
    const std::string binary("\x00\x01\x02\x03title: x\n", 14);
    for (const std::string& text : {deep, deepMap, binary, std::string("\t\t- - -\n: :"),
                                    std::string("&a [*a, *a]"), std::string("steps: *nope")}) {
        const Result<Scenario> r = parseScenarioText(text, "hostile.yaml");
        EXPECT_FALSE(r.has_value());
        EXPECT_FALSE(r.error().message.empty());
    }
}

TEST(ScenarioHardening, ADirectoryIsNotAScenarioFile) {
    const Result<Scenario> r = parseScenarioFile(std::filesystem::temp_directory_path().string());
    ASSERT_FALSE(r.has_value());
    EXPECT_NE(r.error().toString().find(std::filesystem::temp_directory_path().string()),
              std::string::npos)
        << r.error().toString();
}

} // namespace
} // namespace tcpviz
