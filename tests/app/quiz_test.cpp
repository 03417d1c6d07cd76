#include "quiz.h"
#include "scenario/library.h"
#include "sim/simulator.h"
#include "tcp/segment.h"

#include <algorithm>
#include <gtest/gtest.h>
#include <optional>
#include <string>
#include <vector>

using namespace tcpviz;
using tcpviz::gui::Quiz;
using tcpviz::gui::QuizKind;
using tcpviz::gui::QuizQuestion;

namespace {

/// The right answer to one question: which endpoint moves, where to, what it
/// sends as it moves (nothing: nullopt), and the event that makes it move as
/// RFC 9293 Figure 5 labels the arc.
struct Answer {
    Side side;
    State to;
    std::optional<std::uint8_t> sends;
    std::string event;
};

// The lecture (resources/scenarios/lecture.yaml), question by question, worked
// out from the scenario and RFC 9293 (Figure 5 and section 3.10), not from the
// quiz. Once the handshake is done every segment carries ACK (3.10.7.4: "once
// in the ESTABLISHED state all segments must carry current acknowledgment
// information"), so the FINs go out as FIN,ACK.
const std::vector<Answer>& lectureAnswers() {
    using namespace flag;
    constexpr Side C = Side::Client;
    constexpr Side S = Side::Server;
    static const std::vector<Answer> kAnswers{
        {S, State::Listen, std::nullopt, "passive OPEN"},        // 0 ms: listen(), nothing sent
        {C, State::SynSent, SYN, "active OPEN"},                 // 10 ms: connect(), SYN (ISN 100)
        {S, State::SynReceived, SYN | ACK, "rcv SYN"},           // 60 ms: SYN lands
        {C, State::Established, ACK, "rcv SYN,ACK"},             // 110 ms: SYN,ACK lands
        {S, State::Established, std::nullopt, "rcv ACK of SYN"}, // 160 ms: ACK lands
        // The data in both directions changes no state: no questions.
        {C, State::FinWait1, FIN | ACK, "CLOSE"},             // 1200 ms: close()
        {S, State::CloseWait, ACK, "rcv FIN"},                // 1250 ms: FIN lands, ACKed
        {C, State::FinWait2, std::nullopt, "rcv ACK of FIN"}, // 1300 ms
        {S, State::LastAck, FIN | ACK, "CLOSE"},              // 1450 ms: close() 200 ms later
        {C, State::TimeWait, ACK, "rcv FIN"},                 // 1500 ms: FIN lands, ACKed
        {S, State::Closed, std::nullopt, "rcv ACK of FIN"},   // 1550 ms: last ACK lands
        {C, State::Closed, std::nullopt, "Timeout=2MSL"},     // 2MSL after 1500 ms
    };
    return kAnswers;
}

std::string flagsText(std::optional<std::uint8_t> flags) {
    return flags ? flagsToString(*flags) : std::string("nothing");
}

/// The questions about transitions of a quiz over `trace`, in the order the player meets them.
std::vector<std::pair<std::size_t, QuizQuestion>> questionsOf(const Quiz& quiz,
                                                              const Trace& trace) {
    std::vector<std::pair<std::size_t, QuizQuestion>> out;
    for (std::size_t i = 0; i < trace.size(); ++i) {
        if (const auto* q = quiz.questionBefore(i);
            q != nullptr && q->kind == QuizKind::Transition) {
            out.emplace_back(i, *q);
        }
    }
    return out;
}

class QuizLecture : public ::testing::Test {
protected:
    void SetUp() override {
        const auto lecture = findBuiltinScenario(kDefaultScenarioId);
        ASSERT_TRUE(lecture.has_value());
        ASSERT_EQ(lecture->id, "lecture");
        trace = simulate(*lecture);
        quiz.setTrace(&trace);
        questions = questionsOf(quiz, trace);
        ASSERT_EQ(questions.size(), lectureAnswers().size())
            << "one question per transition of the lecture";
    }
    Trace trace;
    Quiz quiz;
    std::vector<std::pair<std::size_t, QuizQuestion>> questions;
};

} // namespace

TEST_F(QuizLecture, AsksAboutTheRightEndpointFromTheStateItIsIn) {
    State client = State::Closed;
    State server = State::Closed;
    for (std::size_t n = 0; n < questions.size(); ++n) {
        const auto& [at, q] = questions[n];
        const Answer& a = lectureAnswers()[n];
        State& before = a.side == Side::Client ? client : server;
        EXPECT_EQ(q.side, a.side) << "question " << n;
        EXPECT_EQ(stateName(q.from), stateName(before)) << "question " << n;
        // The right answers are among the choices offered, with wrong ones beside them.
        EXPECT_NE(std::find(q.stateChoices.begin(), q.stateChoices.end(), a.to),
                  q.stateChoices.end())
            << "question " << n;
        EXPECT_GE(q.stateChoices.size(), 3U);
        EXPECT_NE(std::find(q.flagChoices.begin(), q.flagChoices.end(), a.sends),
                  q.flagChoices.end())
            << "question " << n;
        EXPECT_GE(q.flagChoices.size(), 3U);
        // Asked before the endpoint's reply is on the wire: the reply would give it away.
        for (std::size_t j = 0; j < at; ++j) {
            const TraceEvent& e = trace.event(j);
            EXPECT_FALSE(e.kind == EventKind::Transition && e.endpoint == a.side && e.to == a.to &&
                         e.from == before)
                << "question " << n << " asked after its transition (event " << j << ")";
        }
        before = a.to;
    }
}

TEST_F(QuizLecture, RightAnswersScoreAndAreExplained) {
    for (std::size_t n = 0; n < questions.size(); ++n) {
        const Answer& a = lectureAnswers()[n];
        const auto r = quiz.answer(questions[n].first, a.to, a.sends);
        EXPECT_TRUE(r.stateCorrect) << "question " << n << ": " << stateName(a.to);
        EXPECT_TRUE(r.flagsCorrect) << "question " << n << ": sends " << flagsText(a.sends);
        // The explanation names the arc the RFC draws.
        EXPECT_TRUE(r.explanation.contains(QString::fromStdString(a.event)))
            << "question " << n << ": " << r.explanation.toStdString();
        EXPECT_TRUE(r.explanation.contains(QString::fromLatin1(stateName(a.to).data())))
            << "question " << n << ": " << r.explanation.toStdString();
        EXPECT_EQ(quiz.questionBefore(questions[n].first), nullptr)
            << "answered questions are not asked again";
    }
    EXPECT_EQ(quiz.asked(), static_cast<int>(questions.size()));
    EXPECT_EQ(quiz.score(), 2 * static_cast<int>(questions.size()));
    EXPECT_EQ(quiz.maxScore(), 2 * static_cast<int>(questions.size()));
}

TEST_F(QuizLecture, WrongAnswersAreMarkedWrong) {
    int expected = 0;
    for (std::size_t n = 0; n < questions.size(); ++n) {
        const Answer& a = lectureAnswers()[n];
        const QuizQuestion& q = questions[n].second;
        // Every wrong choice offered, then one answer per question: alternately
        // the wrong state with the right flags and the right state with wrong flags.
        std::vector<State> wrongStates;
        for (const State s : q.stateChoices) {
            if (s != a.to) {
                wrongStates.push_back(s);
            }
        }
        std::vector<std::optional<std::uint8_t>> wrongFlags;
        for (const auto& f : Quiz::flagOptions()) {
            if (f != a.sends) {
                wrongFlags.push_back(f);
            }
        }
        ASSERT_FALSE(wrongStates.empty());
        ASSERT_FALSE(wrongFlags.empty());
        for (const State s : wrongStates) {
            Quiz probe;
            probe.setTrace(&trace);
            const auto r = probe.answer(questions[n].first, s, a.sends);
            EXPECT_FALSE(r.stateCorrect) << "question " << n << ": " << stateName(s);
            EXPECT_TRUE(r.flagsCorrect);
        }
        for (const auto& f : wrongFlags) {
            Quiz probe;
            probe.setTrace(&trace);
            const auto r = probe.answer(questions[n].first, a.to, f);
            EXPECT_TRUE(r.stateCorrect);
            EXPECT_FALSE(r.flagsCorrect) << "question " << n << ": " << flagsText(f);
        }
        const bool wrongState = n % 2 == 0;
        const auto r = quiz.answer(questions[n].first, wrongState ? wrongStates.front() : a.to,
                                   wrongState ? a.sends : wrongFlags.front());
        EXPECT_EQ(r.stateCorrect, !wrongState) << "question " << n;
        EXPECT_EQ(r.flagsCorrect, wrongState) << "question " << n;
        expected += 1;
    }
    EXPECT_EQ(quiz.score(), expected);
    EXPECT_EQ(quiz.maxScore(), 2 * static_cast<int>(questions.size()));
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

namespace {

/// Every question of a quiz over `trace` of one kind, in the order the player meets them.
std::vector<QuizQuestion> questionsOfKind(const Quiz& quiz, const Trace& trace, QuizKind kind) {
    std::vector<QuizQuestion> out;
    for (std::size_t i = 0; i < trace.size(); ++i) {
        if (const auto* q = quiz.questionBefore(i); q != nullptr && q->kind == kind) {
            out.push_back(*q);
        }
    }
    return out;
}

Trace lesson(const char* id) {
    const auto s = findBuiltinScenario(id);
    EXPECT_TRUE(s.has_value()) << id;
    return s ? simulate(*s) : Trace{};
}

} // namespace

// challenge-ack (resources/scenarios/challenge-ack.yaml): a forged RST with
// SEQ=1301 reaches the ESTABLISHED client (RCV.NXT=301, window 65535): in the
// window, not exact, so RFC 5961 says challenge ACK; then a RST with exactly
// SEQ=301 resets it. Worked out from the scenario and RFC 5961 section 3.
TEST(QuizSegments, WillTheClientAcceptThisRstInChallengeAck) {
    const Trace trace = lesson("challenge-ack");
    Quiz quiz;
    quiz.setTrace(&trace);
    const auto rst = questionsOfKind(quiz, trace, QuizKind::RstAcceptance);
    ASSERT_EQ(rst.size(), 2U);
    for (const QuizQuestion& q : rst) {
        EXPECT_EQ(q.side, Side::Client);
        EXPECT_EQ(q.from, State::Established);
        EXPECT_EQ(q.askBefore, q.arrival) << "asked before the RST arrives";
        EXPECT_EQ(trace.event(q.arrival).kind, EventKind::Arrive);
        EXPECT_EQ(q.choices.size(), 3U);
    }
    EXPECT_EQ(trace.event(rst[0].arrival).segment.seq, 1301U);
    EXPECT_EQ(rst[0].correctChoice, gui::QuizChoice::RstChallengeAck);
    EXPECT_EQ(trace.event(rst[1].arrival).segment.seq, 301U);
    EXPECT_EQ(rst[1].correctChoice, gui::QuizChoice::RstResets);
    // The reset's transition and the challenge ACK are the answers, not questions of their own.
    for (std::size_t i = rst[0].arrival + 1; i < trace.size(); ++i) {
        const auto* q = quiz.questionBefore(i);
        EXPECT_TRUE(q == nullptr || q->kind == QuizKind::RstAcceptance)
            << "event " << i << " asks again what the RST question covers";
    }

    // Wrong, then right; the explanation is the acceptability check with its numbers.
    const auto wrong =
        quiz.answerChoice(rst[0].askBefore, gui::QuizChoice::RstResets, Language::En, false);
    EXPECT_FALSE(wrong.correct);
    EXPECT_TRUE(wrong.outcome.contains(QStringLiteral("challenge ACK")))
        << wrong.outcome.toStdString();
    EXPECT_TRUE(wrong.explanation.contains(QStringLiteral("SEQ=1301")))
        << wrong.explanation.toStdString();
    EXPECT_TRUE(wrong.explanation.contains(QStringLiteral("RCV.NXT=301")));
    EXPECT_TRUE(wrong.explanation.contains(QStringLiteral("[301, 65836)")));
    EXPECT_TRUE(wrong.explanation.contains(QStringLiteral("RFC 5961")));
    const auto right =
        quiz.answerChoice(rst[1].askBefore, gui::QuizChoice::RstResets, Language::En, true);
    EXPECT_TRUE(right.correct);
    // Relative numbers, as the diagram shows them by default: SEQ=1 is RCV.NXT=1.
    EXPECT_TRUE(right.explanation.contains(QStringLiteral("SEQ=1 is exactly RCV.NXT=1")))
        << right.explanation.toStdString();
    EXPECT_EQ(quiz.asked(), 2);
    EXPECT_EQ(quiz.correct(), 1);
    EXPECT_EQ(quiz.score(), 1);
    EXPECT_EQ(quiz.maxScore(), 2);
    // A RST question takes no state and flags.
    EXPECT_FALSE(quiz.answer(rst[0].askBefore, State::Closed, flag::RST).correct);
}

// rst-in-established: the server accepts the exact RST (SEQ=101 = its RCV.NXT)
// and, now CLOSED, answers the client's data with a RST ("what does the server
// send now?" - RST, RFC 9293 3.10.7.1), which the client accepts (its SEQ=301
// is the client's RCV.NXT).
TEST(QuizSegments, WhatDoesTheServerSendNowInRstInEstablished) {
    const Trace trace = lesson("rst-in-established");
    Quiz quiz;
    quiz.setTrace(&trace);
    const auto rst = questionsOfKind(quiz, trace, QuizKind::RstAcceptance);
    ASSERT_EQ(rst.size(), 2U);
    EXPECT_EQ(rst[0].side, Side::Server);
    EXPECT_EQ(rst[0].correctChoice, gui::QuizChoice::RstResets);
    EXPECT_EQ(rst[1].side, Side::Client);
    EXPECT_EQ(rst[1].correctChoice, gui::QuizChoice::RstResets);
    const auto sends = questionsOfKind(quiz, trace, QuizKind::Segment);
    const auto reply = std::find_if(sends.begin(), sends.end(), [](const QuizQuestion& q) {
        return q.side == Side::Server && q.from == State::Closed;
    });
    ASSERT_NE(reply, sends.end()) << "the server's reply to data without a connection";
    EXPECT_EQ(reply->correctFlags, std::optional<std::uint8_t>(flag::RST));
    EXPECT_EQ(trace.event(reply->askBefore).kind, EventKind::Send);
    EXPECT_EQ(trace.event(reply->askBefore).endpoint, Side::Server);
    EXPECT_EQ(std::count(reply->flagChoices.begin(), reply->flagChoices.end(), std::nullopt), 0)
        << "it does send something: \"nothing\" is not offered";
    const auto r = quiz.answer(reply->askBefore, State::Closed, flag::ACK);
    EXPECT_FALSE(r.correct);
    EXPECT_TRUE(r.outcome.contains(QStringLiteral("RST")));
    EXPECT_FALSE(r.explanation.isEmpty());
}

// lost-final-ack: the client's last ACK is lost, the server retransmits its
// FIN, and it reaches the client in TIME-WAIT: nothing changes state, but the
// client re-ACKs and restarts 2MSL (RFC 9293 3.10.7.4: "restart the 2 MSL
// timeout"). 2MSL is 240 s here (MSL 2 min), and the FIN comes 1 s after the first.
TEST(QuizSegments, WhatHappensToTheTimeWaitTimerInLostFinalAck) {
    const Trace trace = lesson("lost-final-ack");
    Quiz quiz;
    quiz.setTrace(&trace);
    const auto timer = questionsOfKind(quiz, trace, QuizKind::TimeWaitTimer);
    ASSERT_EQ(timer.size(), 1U);
    const QuizQuestion& q = timer.front();
    EXPECT_EQ(q.side, Side::Client);
    EXPECT_EQ(q.from, State::TimeWait);
    EXPECT_EQ(q.correctChoice, gui::QuizChoice::TimerRestarts);
    EXPECT_TRUE(trace.event(q.arrival).segment.has(flag::FIN));
    EXPECT_EQ(trace.stateAt(Side::Client, q.arrival), State::TimeWait);
    EXPECT_EQ(trace.stateAt(Side::Client, q.transition + 1), State::TimeWait)
        << "no state change: that is why it needs a question of its own";
    // No other question about the re-ACK it covers.
    for (std::size_t i = q.arrival + 1; i <= q.transition; ++i) {
        EXPECT_EQ(quiz.questionBefore(i), nullptr) << "event " << i;
    }
    const auto r = quiz.answerChoice(q.askBefore, gui::QuizChoice::TimerRestarts);
    EXPECT_TRUE(r.correct);
    EXPECT_TRUE(r.outcome.contains(QStringLiteral("restarts"))) << r.outcome.toStdString();
    EXPECT_TRUE(r.explanation.contains(QStringLiteral("240 s from this moment")))
        << r.explanation.toStdString();
    EXPECT_TRUE(r.explanation.contains(QStringLiteral("instead of the 239 s")))
        << r.explanation.toStdString();
}
