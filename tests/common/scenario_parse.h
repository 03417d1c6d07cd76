#pragma once
// Parsing a scenario text in a test: the text that must parse, and the text whose
// mistake must be reported as FILE:LINE:COLUMN: error: ... (the scenario parser's
// tests, one file per part of the format).
#include "scenario/scenario.h"

#include <gtest/gtest.h>
#include <string>

namespace tcpviz::scenario_test {

/// Parses `text` (named `name` in messages), failing the test on an error.
inline Scenario parseOk(const std::string& text, const std::string& name = "dir/my-lesson.yaml") {
    auto result = parseScenarioText(text, name);
    EXPECT_TRUE(result.has_value()) << result.error().toString();
    return result.has_value() ? *result : Scenario{};
}

/// Parses `text` expecting an error at line:column whose message contains `needle`,
/// written as compilers write theirs.
inline void expectError(const std::string& text, int line, int column, const std::string& needle) {
    const auto result = parseScenarioText(text, "bad.yaml");
    ASSERT_FALSE(result.has_value()) << "accepted:\n" << text;
    EXPECT_EQ(result.error().line, line) << result.error().toString();
    EXPECT_EQ(result.error().column, column) << result.error().toString();
    EXPECT_NE(result.error().message.find(needle), std::string::npos)
        << "message: " << result.error().message << "\nexpected to contain: " << needle;
    const std::string prefix =
        "bad.yaml:" + std::to_string(line) + ":" + std::to_string(column) + ": error: ";
    EXPECT_EQ(result.error().toString().rfind(prefix, 0), 0U) << result.error().toString();
}

} // namespace tcpviz::scenario_test
