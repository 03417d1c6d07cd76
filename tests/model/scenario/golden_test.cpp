// Golden tests of the built-in scenario library: every lesson is simulated and
// compared with the expectation written by hand (from TCP knowledge, not from
// the simulator's output) in its `expect:` section. A scenario whose
// simulation disagrees with its lesson fails here.
#include "narration/narrator.h"
#include "scenario/library.h"
#include "sim/simulator.h"
#include "text/rfc_notation.h"
#include "trace/trace_json.h"

#include <fstream>
#include <gtest/gtest.h>
#include <sstream>
#include <tuple>

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

    // The arcs the lesson is about are taken, in order.
    std::size_t next = 0;
    std::vector<std::string> taken;
    for (const auto& e : trace.events()) {
        if (e.kind == EventKind::Transition) {
            taken.emplace_back(arc(e.arc).key);
            if (next < sc->expect.arcs.size() && e.arc == sc->expect.arcs[next]) {
                ++next;
            }
        }
    }
    EXPECT_EQ(next, sc->expect.arcs.size())
        << "arc " << (next < sc->expect.arcs.size() ? arc(sc->expect.arcs[next]).key : "")
        << " not taken; taken: " << join(taken);
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

namespace tcpviz {
namespace {

Trace simulateBuiltin(const std::string& id) {
    const auto sc = findBuiltinScenario(id);
    EXPECT_TRUE(sc.has_value()) << id;
    return sc ? simulate(*sc) : Trace{};
}

std::vector<std::int64_t> sendTimes(const Trace& t, Side side, std::uint8_t flags) {
    std::vector<std::int64_t> out;
    for (const auto& e : t.events()) {
        if (e.kind == EventKind::Send && e.endpoint == side && e.segment.flags == flags) {
            out.push_back(e.timeUs);
        }
    }
    return out;
}

std::int64_t transitionTime(const Trace& t, Side side, ArcId a) {
    for (const auto& e : t.events()) {
        if (e.kind == EventKind::Transition && e.endpoint == side && e.arc == a) {
            return e.timeUs;
        }
    }
    ADD_FAILURE() << "arc " << arc(a).key << " not taken";
    return -1;
}

// The timers the lessons talk about, with the numbers they quote.

TEST(LessonTimers, LostSynIsResentAfterTheInitialOneSecondRto) {
    const Trace t = simulateBuiltin("lost-syn");
    const auto syns = sendTimes(t, Side::Client, flag::SYN);
    ASSERT_EQ(syns.size(), 2U);
    EXPECT_EQ(syns[1] - syns[0], 1'000'000);
}

TEST(LessonTimers, TimeWaitLastsTwoMslRfcFourMinutesLinuxSixtySeconds) {
    const Trace rfc = simulateBuiltin("close-client-first");
    EXPECT_EQ(transitionTime(rfc, Side::Client, ArcId::TimeWaitTimeout) -
                  transitionTime(rfc, Side::Client, ArcId::FinWait2RcvFin),
              4 * 60 * 1'000'000LL);
    const Trace linux = simulateBuiltin("time-wait-expiry");
    EXPECT_EQ(transitionTime(linux, Side::Client, ArcId::TimeWaitTimeout) -
                  transitionTime(linux, Side::Client, ArcId::FinWait2RcvFin),
              60 * 1'000'000LL);
}

TEST(LessonTimers, RetransmittedFinRestartsTheTwoMslTimer) {
    const Trace t = simulateBuiltin("lost-final-ack");
    const auto acks = sendTimes(t, Side::Client, flag::ACK);
    ASSERT_GE(acks.size(), 3U); // handshake ACK, lost final ACK, re-ACK
    const std::int64_t reAck = acks.back();
    EXPECT_GT(reAck, transitionTime(t, Side::Client, ArcId::FinWait2RcvFin));
    EXPECT_EQ(transitionTime(t, Side::Client, ArcId::TimeWaitTimeout),
              reAck + 4 * 60 * 1'000'000LL);
}

TEST(LessonTimers, SynAckBackoffDoublesUntilTheHalfOpenConnectionIsDropped) {
    const Trace t = simulateBuiltin("syn-flood-half-open");
    const auto synAcks = sendTimes(t, Side::Server, flag::SYN | flag::ACK);
    ASSERT_EQ(synAcks.size(), 6U); // the first and tcp_synack_retries = 5 retransmissions
    std::int64_t gap = 1'000'000;
    for (std::size_t i = 1; i < synAcks.size(); ++i, gap *= 2) {
        EXPECT_EQ(synAcks[i] - synAcks[i - 1], gap) << "retransmission " << i;
    }
    // Dropped one more (doubled) timeout after the last retransmission: 63 s in all.
    EXPECT_EQ(transitionTime(t, Side::Server, ArcId::GiveUpSynReceivedListen) - synAcks.front(),
              63'000'000);
}

TEST(LessonTimers, LinuxDelaysTheAckOfAFinSoItMergesWithAQuickClose) {
    const Trace t = simulateBuiltin("three-way-close");
    // The server sends no pure ACK after the client's FIN: its ACK rides on its FIN.
    const auto fin = sendTimes(t, Side::Client, flag::FIN | flag::ACK);
    ASSERT_EQ(fin.size(), 1U);
    for (const auto time : sendTimes(t, Side::Server, flag::ACK)) {
        EXPECT_LT(time, fin.front());
    }
}

// The myth lessons (issue 15) quote numbers in their notes; each is checked
// against the simulation here, so a note cannot drift from what is shown.

std::int64_t arrivalTime(const Trace& t, Side receiver, std::uint8_t flags, std::size_t nth = 0) {
    std::size_t seen = 0;
    for (const auto& e : t.events()) {
        if (e.kind == EventKind::Arrive && e.endpoint == receiver && e.segment.flags == flags &&
            seen++ == nth) {
            return e.timeUs;
        }
    }
    ADD_FAILURE() << "no such arrival";
    return -1;
}

TEST(LessonMyths, LoweringFinTimeoutLeavesTimeWaitAtSixtySeconds) {
    const auto sc = findBuiltinScenario("time-wait-myths");
    ASSERT_TRUE(sc.has_value());
    EXPECT_EQ(sc->timers.finTimeoutUs, 10'000'000) << "the lesson lowers tcp_fin_timeout";
    const Trace t = simulate(*sc);
    // Not 10 s (tcp_fin_timeout) and not 120 s (2 x a 60 s "MSL"): TCP_TIMEWAIT_LEN.
    EXPECT_EQ(transitionTime(t, Side::Client, ArcId::TimeWaitTimeout) -
                  transitionTime(t, Side::Client, ArcId::FinWait2RcvFin),
              60'000'000);
}

TEST(LessonMyths, FinTimeoutEndsAnOrphanedFinWait2) {
    // What tcp_fin_timeout really shortens: FIN-WAIT-2 of a closed socket.
    const auto sc = findBuiltinScenario("fin-wait-2-timeout");
    ASSERT_TRUE(sc.has_value());
    const Trace t = simulate(*sc);
    EXPECT_EQ(transitionTime(t, Side::Client, ArcId::FinWait2Timeout) -
                  transitionTime(t, Side::Client, ArcId::FinWait1AckOfFin),
              sc->timers.finTimeoutUs);
}

TEST(LessonMyths, CloseWaitAcknowledgesAtOnceAndWaitsForTheApplication) {
    const Trace t = simulateBuiltin("close-wait-myths");
    const std::int64_t finArrives = arrivalTime(t, Side::Server, flag::FIN | flag::ACK);
    const auto serverAcks = sendTimes(t, Side::Server, flag::ACK);
    ASSERT_EQ(serverAcks.size(), 1U); // only the ACK of the client's FIN
    EXPECT_EQ(serverAcks.front() - finArrives, 40'000) << "Linux's delayed ACK, not CLOSE-WAIT";
    const std::int64_t inCloseWait = transitionTime(t, Side::Server, ArcId::CloseWaitClose) -
                                     transitionTime(t, Side::Server, ArcId::RcvFin);
    EXPECT_GT(inCloseWait, 4'900'000) << "the state waits for the application's close()";
    // After its FIN the client cannot send: nothing could ever arrive in LAST-ACK.
    bool refused = false;
    for (const auto& e : t.events()) {
        if (e.kind == EventKind::Call && e.endpoint == Side::Client && e.call == UserCall::Send) {
            refused = !e.callError.empty();
        }
    }
    EXPECT_TRUE(refused);
    for (const auto& e : t.events()) {
        EXPECT_FALSE(e.kind == EventKind::Arrive && e.endpoint == Side::Server && e.segment.len > 0)
            << "data reached the server after the client's FIN";
    }
}

TEST(LessonMyths, NetworkFailureEndsInClosedNeverInCloseWait) {
    const Trace t = simulateBuiltin("network-failure");
    for (const Side side : {Side::Client, Side::Server}) {
        for (const auto& entry : t.states(side)) {
            EXPECT_NE(entry.state, State::CloseWait);
        }
        EXPECT_EQ(t.stateAt(side, t.size()), State::Closed);
    }
    // The note quotes the give-up time: 19.9 s, silently (the RST comes later, from
    // the client answering the server's data).
    EXPECT_EQ(transitionTime(t, Side::Client, ArcId::GiveUpEstablished), 19'900'000);
    const auto resets = sendTimes(t, Side::Client, flag::RST);
    ASSERT_EQ(resets.size(), 1U);
    EXPECT_EQ(resets.front(), 30'050'000);
}

TEST(LessonMyths, SynAckRetriesTakeSixtyThreeSecondsOrOneEightyNineWithTheOldRto) {
    for (const auto& [id, firstRto, total] :
         {std::tuple{"syn-flood-half-open", 1'000'000LL, 63'000'000LL},
          std::tuple{"synack-retries-old-rto", 3'000'000LL, 189'000'000LL}}) {
        SCOPED_TRACE(id);
        const Trace t = simulateBuiltin(id);
        const auto synAcks = sendTimes(t, Side::Server, flag::SYN | flag::ACK);
        ASSERT_EQ(synAcks.size(), 6U);
        std::int64_t gap = firstRto;
        for (std::size_t i = 1; i < synAcks.size(); ++i, gap *= 2) {
            EXPECT_EQ(synAcks[i] - synAcks[i - 1], gap) << "retransmission " << i;
        }
        EXPECT_EQ(transitionTime(t, Side::Server, ArcId::GiveUpSynReceivedListen) - synAcks.front(),
                  total);
    }
}

TEST(LessonMyths, LingerZeroSkipsTheActiveClosersTimeWaitAndLetsAnOldCopyIn) {
    const Trace t = simulateBuiltin("linger-zero-old-duplicate");
    for (const auto& entry : t.states(Side::Client)) {
        EXPECT_NE(entry.state, State::TimeWait);
    }
    // The network's old copy (SEQ=101, LEN=1000) arrives in the second connection
    // and the server acknowledges its bytes: ACK=1101 before the new data arrives.
    std::int64_t copyArrives = -1;
    std::int64_t newDataArrives = -1;
    for (const auto& e : t.events()) {
        if (e.kind == EventKind::Arrive && e.endpoint == Side::Server && e.segment.len > 0 &&
            e.timeUs > 3'000'000) {
            (e.segment.seq == 101 ? copyArrives : newDataArrives) = e.timeUs;
        }
    }
    ASSERT_GT(copyArrives, 0);
    ASSERT_GT(newDataArrives, copyArrives);
    bool ackedOldBytes = false;
    for (const auto& e : t.events()) {
        ackedOldBytes = ackedOldBytes || (e.kind == EventKind::Send && e.endpoint == Side::Server &&
                                          e.segment.ack == 1101 && e.timeUs >= copyArrives &&
                                          e.timeUs < newDataArrives);
    }
    EXPECT_TRUE(ackedOldBytes) << "the old bytes 601..1100 were taken as the new client's";
}

TEST(LessonMyths, AckIsSeqPlusLenNotSeqPlusOne) {
    const Trace t = simulateBuiltin("data-exchange");
    for (const auto& e : t.events()) {
        if (e.kind != EventKind::Arrive || e.segment.len == 0) {
            continue;
        }
        // The receiver's next ACK names SEQ + LEN.
        const Side receiver = e.endpoint;
        bool found = false;
        for (const auto& a : t.events()) {
            if (a.kind == EventKind::Send && a.endpoint == receiver && a.timeUs >= e.timeUs) {
                EXPECT_EQ(a.segment.ack, e.segment.seq + e.segment.len);
                found = true;
                break;
            }
        }
        EXPECT_TRUE(found);
    }
}

} // namespace
} // namespace tcpviz

namespace tcpviz {
namespace {

// The example in resources/scenarios/README.md is what lecturers copy: it must
// parse and do what its own `expect` says.
TEST(ScenarioFormatGuide, ExampleParsesAndMeetsItsExpectation) {
    std::ifstream in(std::string(TCPVIZ_SCENARIO_DIR) + "/README.md");
    ASSERT_TRUE(in);
    std::ostringstream all;
    all << in.rdbuf();
    const std::string text = all.str();
    const auto start = text.find("```yaml\n");
    ASSERT_NE(start, std::string::npos);
    const auto end = text.find("```", start + 8);
    const auto parsed = parseScenarioText(text.substr(start + 8, end - start - 8), "README.yaml");
    ASSERT_TRUE(parsed.has_value()) << parsed.error().toString();
    const Scenario& sc = *parsed;
    const Trace trace = simulate(sc);
    EXPECT_EQ(join(occupied(trace, Side::Client)), join(names(sc.expect.client)));
    EXPECT_EQ(join(occupied(trace, Side::Server)), join(names(sc.expect.server)));
    EXPECT_EQ(join(sentFlags(trace)), join(sc.expect.segments));
}

} // namespace
} // namespace tcpviz
