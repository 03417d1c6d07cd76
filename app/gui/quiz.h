#pragma once

#include "trace/trace.h"

#include <QString>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <vector>

namespace tcpviz::gui {

/// What a question asks about.
enum class QuizKind : std::uint8_t {
    Transition,    ///< "Which state does the server enter next, and what does it send?"
    Segment,       ///< "What does the client send now?" (a segment sent without a state change)
    RstAcceptance, ///< "Will the server accept this RST?"
    TimeWaitTimer, ///< "The peer's FIN arrives again in TIME-WAIT: what happens to the timer?"
};

/// An answer offered by a RstAcceptance or TimeWaitTimer question.
enum class QuizChoice : std::uint8_t {
    RstResets,       ///< yes: the connection is reset
    RstChallengeAck, ///< no: it answers with a challenge ACK (RFC 5961)
    RstIgnored,      ///< no: it drops the RST silently
    TimerRuns,       ///< the TIME-WAIT timer keeps running
    TimerRestarts,   ///< it starts again: 2xMSL from now
    TimerStops,      ///< it stops: the connection closes at once
};

struct QuizQuestion {
    QuizKind kind = QuizKind::Transition;
    std::size_t askBefore = 0; ///< event index the player stops in front of
    /// The event asked about, which the player shows once answered: the
    /// Transition; the Send (Segment); the last event of the receiver's
    /// reaction to the arrival (RstAcceptance, TimeWaitTimer).
    std::size_t transition = 0;
    std::size_t arrival = 0;  ///< RstAcceptance, TimeWaitTimer: the Arrive event
    Side side = Side::Client; ///< the endpoint asked about (the receiver of an arrival)
    State from = State::Closed;
    /// Transition: the state entered and the choices.
    State correctState = State::Closed;
    std::vector<State> stateChoices;
    /// Transition, Segment: flags of what the endpoint sends (nullopt: nothing).
    std::optional<std::uint8_t> correctFlags;
    std::vector<std::optional<std::uint8_t>> flagChoices;
    /// RstAcceptance, TimeWaitTimer.
    QuizChoice correctChoice = QuizChoice::RstResets;
    std::vector<QuizChoice> choices;
    ArcId arc = ArcId::PassiveOpen;
};

struct QuizResult {
    bool stateCorrect = false; ///< Transition only (true for the other kinds)
    bool flagsCorrect = false; ///< Transition and Segment (true for the other kinds)
    bool correct = false;      ///< the whole question
    /// What really happens, for the kinds that are not a transition ("The client
    /// keeps the connection and sends a challenge ACK."); empty for a transition.
    QString outcome;
    QString explanation; ///< the arc's label and the model's explanation, or the check's
};

/// Self-study quiz over a Trace: one question before each transition is revealed,
/// and before the moments without one that matter: a segment sent in answer to
/// an arrival or a timer, a RST arriving (accepted, challenged or ignored), the
/// peer's FIN arriving again in TIME-WAIT (the 2MSL timer restarts).
///
/// A transition and the segments the endpoint sends with it happen at the same
/// instant; the question is asked before the first of them, so neither the
/// new state nor the reply gives the answer away. The segment that caused the
/// transition (an arrival) is shown first: it is the clue. A question about an
/// arrival is asked before it arrives and covers the receiver's whole reaction.
class Quiz {
public:
    void setTrace(const Trace* trace);
    [[nodiscard]] const Trace* trace() const { return m_trace; }

    /// The question to ask before event `eventIndex`, if one is due there and not answered.
    [[nodiscard]] const QuizQuestion* questionBefore(std::size_t eventIndex) const;
    [[nodiscard]] bool isBarrier(std::size_t eventIndex) const {
        return questionBefore(eventIndex) != nullptr;
    }
    [[nodiscard]] std::size_t questionCount() const { return m_questions.size(); }

    /// Scores an answer to the Transition or Segment question asked before
    /// `eventIndex` (a Segment question ignores `state`). Numbers in the
    /// explanation are relative to each side's ISN when `relativeNumbers`.
    QuizResult answer(std::size_t eventIndex, State state, std::optional<std::uint8_t> flags,
                      Language language = Language::En, bool relativeNumbers = true);
    /// Scores an answer to the RstAcceptance or TimeWaitTimer question asked
    /// before `eventIndex`.
    QuizResult answerChoice(std::size_t eventIndex, QuizChoice choice,
                            Language language = Language::En, bool relativeNumbers = true);

    [[nodiscard]] int asked() const { return m_asked; }
    /// One point for the state and one for the flags of a transition, one for
    /// any other question.
    [[nodiscard]] int score() const { return m_score; }
    [[nodiscard]] int maxScore() const { return m_maxScore; }
    /// Questions answered right on every count.
    [[nodiscard]] int correct() const { return m_correct; }
    void resetScore();

    /// The flag sets offered as choices (nullopt: sends nothing).
    [[nodiscard]] static std::vector<std::optional<std::uint8_t>> flagOptions();

private:
    void addTransitionQuestions(const std::set<std::size_t>& covered);
    void addArrivalQuestions(std::set<std::size_t>& covered);
    void addSegmentQuestions(const std::set<std::size_t>& covered);
    /// Marks question `eventIndex` answered; nullptr when there is none to answer.
    const QuizQuestion* take(std::size_t eventIndex);
    void count(const QuizResult& r, int points, int maxPoints);

    const Trace* m_trace = nullptr;
    std::map<std::size_t, QuizQuestion> m_questions; ///< by askBefore
    std::set<std::size_t> m_answered;
    int m_asked = 0;
    int m_score = 0;
    int m_maxScore = 0;
    int m_correct = 0;
};

/// The words for an offered answer, in the interface language.
[[nodiscard]] QString choiceText(QuizChoice choice);

} // namespace tcpviz::gui
