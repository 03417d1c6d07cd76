#include "quiz.h"
#include "scenario/library.h"
#include "sim/simulator.h"

#include <algorithm>
#include <gtest/gtest.h>
#include <optional>
#include <string>
#include <vector>

using namespace tcpviz;
using tcpviz::gui::Quiz;
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

/// The questions of a quiz over `trace`, in the order the player meets them.
std::vector<std::pair<std::size_t, QuizQuestion>> questionsOf(const Quiz& quiz,
                                                              const Trace& trace) {
    std::vector<std::pair<std::size_t, QuizQuestion>> out;
    for (std::size_t i = 0; i < trace.size(); ++i) {
        if (const auto* q = quiz.questionBefore(i)) {
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
