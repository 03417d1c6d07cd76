#include "quiz.h"
#include "scenario/library.h"
#include "sim/simulator.h"

#include <algorithm>
#include <gtest/gtest.h>

using namespace tcpviz;
using tcpviz::gui::Quiz;

TEST(Quiz, AsksBeforeEveryTransitionAndScoresAnswers) {
    const auto lecture = findBuiltinScenario(kDefaultScenarioId);
    ASSERT_TRUE(lecture.has_value());
    const Trace trace = simulate(*lecture);
    Quiz quiz;
    quiz.setTrace(&trace);
    const auto transitions = static_cast<std::size_t>(
        std::count_if(trace.events().begin(), trace.events().end(),
                      [](const TraceEvent& e) { return e.kind == EventKind::Transition; }));
    EXPECT_EQ(quiz.questionCount(), transitions);

    int expectRight = 0;
    int n = 0;
    for (std::size_t i = 0; i < trace.size(); ++i) {
        const auto* q = quiz.questionBefore(i);
        if (q == nullptr) {
            continue;
        }
        // Never asked after the answer has been shown.
        EXPECT_LE(q->askBefore, q->transition);
        const TraceEvent& t = trace.event(q->transition);
        EXPECT_EQ(q->correctState, t.to);
        EXPECT_NE(std::find(q->stateChoices.begin(), q->stateChoices.end(), t.to),
                  q->stateChoices.end());
        EXPECT_GE(q->stateChoices.size(), 3U);
        if (q->correctFlags) {
            EXPECT_NE(std::find(q->flagChoices.begin(), q->flagChoices.end(), q->correctFlags),
                      q->flagChoices.end());
        }
        // Answer the first one right, the second one wrong state and right flags, the
        // rest right.
        const tcpviz::gui::QuizQuestion copy = *q;
        State state = copy.correctState;
        if (n == 1) {
            state = *std::find_if(copy.stateChoices.begin(), copy.stateChoices.end(),
                                  [&](State s) { return s != copy.correctState; });
            expectRight += 1;
        } else {
            expectRight += 2;
        }
        const auto r = quiz.answer(i, state, copy.correctFlags);
        EXPECT_EQ(r.stateCorrect, n != 1);
        EXPECT_TRUE(r.flagsCorrect);
        EXPECT_TRUE(r.explanation.contains(QString::fromStdString(arc(copy.arc).label())))
            << r.explanation.toStdString();
        EXPECT_EQ(quiz.questionBefore(i), nullptr) << "answered questions are not asked again";
        ++n;
    }
    EXPECT_EQ(quiz.asked(), n);
    EXPECT_EQ(quiz.score(), expectRight);
    EXPECT_EQ(quiz.maxScore(), 2 * n);
}

TEST(Quiz, TheServersSynAckIsTheAnswerToRcvSyn) {
    const auto lecture = findBuiltinScenario(kDefaultScenarioId);
    ASSERT_TRUE(lecture.has_value());
    const Trace trace = simulate(*lecture);
    Quiz quiz;
    quiz.setTrace(&trace);
    bool found = false;
    for (std::size_t i = 0; i < trace.size() && !found; ++i) {
        const auto* q = quiz.questionBefore(i);
        if (q != nullptr && q->side == Side::Server && q->from == State::Listen) {
            found = true;
            EXPECT_EQ(q->correctState, State::SynReceived);
            ASSERT_TRUE(q->correctFlags.has_value());
            EXPECT_EQ(*q->correctFlags, flag::SYN | flag::ACK);
            // Asked before the SYN,ACK is on the wire, so it does not give the answer away.
            for (std::size_t j = 0; j < q->askBefore; ++j) {
                const auto& e = trace.event(j);
                EXPECT_FALSE(e.kind == EventKind::Send && e.endpoint == Side::Server);
            }
            const auto wrong = quiz.answer(i, State::Established, flag::ACK);
            EXPECT_FALSE(wrong.stateCorrect);
            EXPECT_FALSE(wrong.flagsCorrect);
            EXPECT_EQ(quiz.score(), 0);
        }
    }
    EXPECT_TRUE(found);
}

TEST(Quiz, AReplyBelongsToTheReactionOfItsTransition) {
    // listen and connect at the same instant: the SYN answers connect, not listen.
    Scenario s;
    s.id = "listen-then-connect";
    Step listen;
    listen.trigger.atUs = 0;
    listen.endpoint = Side::Server;
    listen.action = Action::Listen;
    Step connect = listen;
    connect.action = Action::Connect;
    s.steps = {listen, connect};
    const Trace trace = simulate(s);
    Quiz quiz;
    quiz.setTrace(&trace);
    bool sawListen = false;
    bool sawSynSent = false;
    for (std::size_t i = 0; i < trace.size(); ++i) {
        const auto* q = quiz.questionBefore(i);
        if (q != nullptr && q->correctState == State::Listen) {
            sawListen = true;
            EXPECT_FALSE(q->correctFlags.has_value()) << "a passive OPEN sends nothing";
        } else if (q != nullptr && q->correctState == State::SynSent) {
            sawSynSent = true;
            EXPECT_EQ(q->correctFlags, std::optional<std::uint8_t>(flag::SYN));
        }
    }
    EXPECT_TRUE(sawListen);
    EXPECT_TRUE(sawSynSent);
}
