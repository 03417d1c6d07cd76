// The built-in scenario library: every lesson the course promises is there,
// parses, is bilingual, and says what it expects to happen.
#include "scenario/library.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <set>
#include <sstream>

namespace tcpviz {
namespace {

TEST(ScenarioLibrary, EveryBuiltinFileParses) {
    for (const auto& e : builtinScenarioErrors()) {
        ADD_FAILURE() << e.toString();
    }
    EXPECT_EQ(builtinScenarios().size(), builtinScenarioFiles().size());
}

TEST(ScenarioLibrary, HasEveryLessonOfTheCourse) {
    for (const char* id :
         {"lecture", "three-way-handshake", "data-exchange", "close-client-first",
          "close-server-first", "three-way-close", "half-close", "simultaneous-open",
          "simultaneous-close", "fin-wait-1-to-time-wait", "lost-final-ack", "time-wait-expiry",
          "connection-refused", "abort-linger-zero", "rst-in-established", "lost-syn",
          "syn-flood-half-open", "lost-data", "old-duplicate-syn", "challenge-ack",
          // Lessons that answer popular myths (issue 15).
          "time-wait-myths", "close-wait-myths", "network-failure", "synack-retries-old-rto",
          "linger-zero-old-duplicate"}) {
        EXPECT_TRUE(findBuiltinScenario(id).has_value()) << id;
    }
    EXPECT_FALSE(findBuiltinScenario("no-such-lesson").has_value());
}

TEST(ScenarioLibrary, TheDefaultLectureComesFirst) {
    ASSERT_FALSE(builtinScenarios().empty());
    EXPECT_EQ(builtinScenarios().front().id, kDefaultScenarioId);
}

TEST(ScenarioLibrary, EveryScenarioIsBilingualAndDescribed) {
    std::set<std::string> ids;
    for (const auto& sc : builtinScenarios()) {
        SCOPED_TRACE(sc.id);
        EXPECT_TRUE(ids.insert(sc.id).second) << "duplicate id";
        EXPECT_TRUE(std::all_of(sc.id.begin(), sc.id.end(), [](char c) {
            return (std::islower(static_cast<unsigned char>(c)) != 0) ||
                   (std::isdigit(static_cast<unsigned char>(c)) != 0) || c == '-';
        })) << "ids are kebab-case";
        EXPECT_FALSE(sc.title.en.empty());
        EXPECT_FALSE(sc.title.zh.empty());
        EXPECT_NE(sc.title.en, sc.id) << "needs a real title";
        EXPECT_GT(sc.description.en.size(), 100U) << "the lesson needs a description";
        EXPECT_GT(sc.description.zh.size(), 50U);
        for (const auto& step : sc.steps) {
            EXPECT_EQ(step.note.en.empty(), step.note.zh.empty())
                << "a note needs both languages (line " << step.where.line << ")";
        }
        EXPECT_FALSE(sc.expect.client.empty()) << "needs expect.client";
        EXPECT_FALSE(sc.expect.server.empty()) << "needs expect.server";
        EXPECT_FALSE(sc.expect.segments.empty()) << "needs expect.segments";
        EXPECT_TRUE(std::find(kScenarioTopics.begin(), kScenarioTopics.end(), sc.topic) !=
                    kScenarioTopics.end());
    }
}

TEST(ScenarioLibrary, EmbeddedTextIsTheSourceFileByteForByte) {
    for (const auto& file : builtinScenarioFiles()) {
        SCOPED_TRACE(std::string(file.fileName));
        std::ifstream in(std::filesystem::path(TCPVIZ_SCENARIO_DIR) / std::string(file.fileName),
                         std::ios::binary);
        ASSERT_TRUE(in);
        std::ostringstream content;
        content << in.rdbuf();
        EXPECT_EQ(content.str(), file.text);
    }
    std::size_t onDisk = 0;
    for (const auto& entry : std::filesystem::directory_iterator(TCPVIZ_SCENARIO_DIR)) {
        onDisk += entry.path().extension() == ".yaml" ? 1 : 0;
    }
    EXPECT_EQ(onDisk, builtinScenarioFiles().size());
}

TEST(ScenarioLibrary, FileStemIsTheId) {
    for (const auto& file : builtinScenarioFiles()) {
        const std::string stem = std::filesystem::path(std::string(file.fileName)).stem().string();
        const auto sc = findBuiltinScenario(stem);
        ASSERT_TRUE(sc.has_value()) << stem;
        EXPECT_EQ(sc->sourceFile, "resources/scenarios/" + std::string(file.fileName));
    }
}

TEST(ScenarioLibrary, LoadScenarioByIdOrPath) {
    const auto byId = loadScenario("lost-syn");
    ASSERT_TRUE(byId.has_value());
    EXPECT_EQ(byId->id, "lost-syn");

    const auto byPath = loadScenario(std::string(TCPVIZ_SCENARIO_DIR) + "/half-close.yaml");
    ASSERT_TRUE(byPath.has_value()) << byPath.error().toString();
    EXPECT_EQ(byPath->id, "half-close");

    const auto unknown = loadScenario("no-such-lesson");
    ASSERT_FALSE(unknown.has_value());
    EXPECT_NE(unknown.error().toString().find("no-such-lesson: no built-in scenario"),
              std::string::npos);

    const auto missingFile = loadScenario("lessons/missing.yaml");
    ASSERT_FALSE(missingFile.has_value());
    EXPECT_NE(missingFile.error().toString().find("cannot open"), std::string::npos);
}

} // namespace
} // namespace tcpviz
