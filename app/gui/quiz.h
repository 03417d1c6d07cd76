#pragma once

#include "trace/trace.h"

#include <QString>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <vector>

namespace tcpviz::gui {

/// "Which state does the server enter next, and what does it send?"
struct QuizQuestion {
    std::size_t askBefore = 0;  ///< event index the player stops in front of
    std::size_t transition = 0; ///< index of the Transition event being asked about
    Side side = Side::Client;
    State from = State::Closed;
    State correctState = State::Closed;
    std::vector<State> stateChoices;
    /// Flags of what the endpoint sends with the transition, nullopt when it sends nothing.
    std::optional<std::uint8_t> correctFlags;
    std::vector<std::optional<std::uint8_t>> flagChoices;
    ArcId arc = ArcId::PassiveOpen;
};

struct QuizResult {
    bool stateCorrect = false;
    bool flagsCorrect = false;
    QString explanation; ///< the arc's label and the model's explanation of the arc
};

/// Self-study quiz over a Trace: one question before each transition is revealed.
///
/// A transition and the segments the endpoint sends with it happen at the same
/// instant; the question is asked before the first of them, so neither the
/// new state nor the reply gives the answer away. The segment that caused the
/// transition (an arrival) is shown first: it is the clue.
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

    /// Scores an answer to the question asked before `eventIndex`.
    QuizResult answer(std::size_t eventIndex, State state, std::optional<std::uint8_t> flags,
                      Language language = Language::En);

    [[nodiscard]] int asked() const { return m_asked; }
    /// One point for the state, one for the flags.
    [[nodiscard]] int score() const { return m_score; }
    [[nodiscard]] int maxScore() const { return m_asked * 2; }
    /// Questions answered right on both counts, the state and the segment.
    [[nodiscard]] int correct() const { return m_correct; }
    void resetScore();

    /// The flag sets offered as choices (nullopt: sends nothing).
    [[nodiscard]] static std::vector<std::optional<std::uint8_t>> flagOptions();

private:
    const Trace* m_trace = nullptr;
    std::map<std::size_t, QuizQuestion> m_questions; ///< by askBefore
    std::set<std::size_t> m_answered;
    int m_asked = 0;
    int m_score = 0;
    int m_correct = 0;
};

} // namespace tcpviz::gui
