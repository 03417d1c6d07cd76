// Golden tests of the built-in scenario library: every lesson is simulated and
// compared with the expectation written by hand (from TCP knowledge, not from
// the simulator's output) in its `expect:` section. A scenario whose
// simulation disagrees with its lesson fails here.
#include "narration/narrator.h"
#include "scenario/library.h"
#include "sim/simulator.h"
#include "text/rfc_notation.h"
#include "trace/trace_json.h"

#include <gtest/gtest.h>
#include <sstream>

namespace tcpviz {
namespace {

std::string join(const std::vector<std::string>& items) {
    std::ostringstream out;
    for (std::size_t i = 0; i < items.size(); ++i) {
        out << (i == 0 ? "" : " | ") << items[i];
    }
    return out.str();
}

std::vector<std::string> names(const std::vector<State>& states) {
    std::vector<std::string> out;
    for (State s : states) {
        out.emplace_back(stateName(s));
    }
    return out;
}

std::vector<std::string> occupied(const Trace& trace, Side side) {
    std::vector<std::string> out;
    for (const auto& entry : trace.states(side)) {
        out.emplace_back(stateName(entry.state));
    }
    return out;
}

std::vector<std::string> sentFlags(const Trace& trace) {
    std::vector<std::string> out;
    for (const auto& e : trace.events()) {
        if (e.kind == EventKind::Send) {
            out.push_back(flagsToString(e.segment.flags));
        }
    }
    return out;
}

class BuiltinScenario : public ::testing::TestWithParam<std::string> {};

TEST_P(BuiltinScenario, SimulationMatchesTheLesson) {
    const auto sc = findBuiltinScenario(GetParam());
    ASSERT_TRUE(sc.has_value());
    const Trace trace = simulate(*sc);
    ASSERT_FALSE(trace.empty());
    const std::string figure = formatRfcNotation(trace);
    EXPECT_EQ(join(occupied(trace, Side::Client)), join(names(sc->expect.client)))
        << "client states differ\n"
        << figure;
    EXPECT_EQ(join(occupied(trace, Side::Server)), join(names(sc->expect.server)))
        << "server states differ\n"
        << figure;
    EXPECT_EQ(join(sentFlags(trace)), join(sc->expect.segments)) << "segments differ\n" << figure;
}

TEST_P(BuiltinScenario, IsDeterministic) {
    const auto sc = findBuiltinScenario(GetParam());
    ASSERT_TRUE(sc.has_value());
    EXPECT_EQ(traceToJson(simulate(*sc)).dump(), traceToJson(simulate(*sc)).dump());
}

TEST_P(BuiltinScenario, EveryEventIsNarratedInBothLanguagesAndEveryNoteIsShown) {
    const auto sc = findBuiltinScenario(GetParam());
    ASSERT_TRUE(sc.has_value());
    Trace trace = simulate(*sc);
    attachStepNotes(*sc, trace);
    for (std::size_t i = 0; i < trace.size(); ++i) {
        const auto text = narrate(trace, i);
        EXPECT_FALSE(text.en.empty()) << "event " << i;
        EXPECT_FALSE(text.zh.empty()) << "event " << i;
    }
    std::size_t notes = 0;
    for (const auto& step : sc->steps) {
        notes += step.note.empty() ? 0 : 1;
    }
    // Every step note lands on an event (a step whose note never shows is a broken lesson).
    EXPECT_EQ(trace.meta.stepNotes.size(), notes);
}

std::vector<std::string> builtinIds() {
    std::vector<std::string> ids;
    for (const auto& sc : builtinScenarios()) {
        ids.push_back(sc.id);
    }
    return ids;
}

std::string testName(const ::testing::TestParamInfo<std::string>& info) {
    std::string out;
    for (char c : info.param) {
        out.push_back(c == '-' ? '_' : c);
    }
    return out;
}

INSTANTIATE_TEST_SUITE_P(Library, BuiltinScenario, ::testing::ValuesIn(builtinIds()), testName);

} // namespace
} // namespace tcpviz
