#include "quiz.h"

#include "narration/narrator.h"
#include "qt_text.h"

#include <QCoreApplication>
#include <algorithm>

namespace tcpviz::gui {

namespace {

/// States a student might plausibly pick when the arcs out of a state offer few choices.
constexpr std::array kDistractors{State::Established, State::Closed,   State::TimeWait,
                                  State::CloseWait,   State::FinWait2, State::SynReceived,
                                  State::Listen,      State::LastAck};
constexpr std::size_t kMinChoices = 4;

} // namespace

std::vector<std::optional<std::uint8_t>> Quiz::flagOptions() {
    return {std::nullopt,
            flag::SYN,
            static_cast<std::uint8_t>(flag::SYN | flag::ACK),
            flag::ACK,
            static_cast<std::uint8_t>(flag::FIN | flag::ACK),
            flag::RST,
            static_cast<std::uint8_t>(flag::RST | flag::ACK)};
}

void Quiz::setTrace(const Trace* trace) {
    m_trace = trace;
    m_questions.clear();
    m_answered.clear();
    if (m_trace == nullptr) {
        return;
    }
    const auto& events = m_trace->events();
    for (std::size_t i = 0; i < events.size(); ++i) {
        const auto& t = events[i];
        if (t.kind != EventKind::Transition) {
            continue;
        }
        QuizQuestion q;
        q.transition = i;
        q.askBefore = i;
        q.side = t.endpoint;
        q.from = t.from;
        q.correctState = t.to;
        q.arc = t.arc;
        // The reply: a Send of the same reaction (Trace::reaction) that no other
        // Transition separates from this one, whether recorded before or after it.
        const Reaction reaction = m_trace->reaction(i);
        std::size_t lo = i;
        while (lo > reaction.begin && events[lo - 1].kind != EventKind::Transition) {
            --lo;
        }
        for (std::size_t j = lo; j < reaction.end; ++j) {
            const auto& e = events[j];
            if (j > i && e.kind == EventKind::Transition) {
                break;
            }
            if (e.kind == EventKind::Send && !e.retransmission) {
                q.askBefore = std::min(j, i);
                q.correctFlags = e.segment.flags;
                break;
            }
        }
        for (const auto& a : arcCatalog()) {
            if (a.from == t.from && std::find(q.stateChoices.begin(), q.stateChoices.end(), a.to) ==
                                        q.stateChoices.end()) {
                q.stateChoices.push_back(a.to);
            }
        }
        if (std::find(q.stateChoices.begin(), q.stateChoices.end(), t.to) == q.stateChoices.end()) {
            q.stateChoices.push_back(t.to);
        }
        for (const State s : kDistractors) {
            if (q.stateChoices.size() >= kMinChoices) {
                break;
            }
            if (s != t.from && std::find(q.stateChoices.begin(), q.stateChoices.end(), s) ==
                                   q.stateChoices.end()) {
                q.stateChoices.push_back(s);
            }
        }
        std::sort(q.stateChoices.begin(), q.stateChoices.end());
        q.flagChoices = flagOptions();
        if (q.correctFlags && std::find(q.flagChoices.begin(), q.flagChoices.end(),
                                        q.correctFlags) == q.flagChoices.end()) {
            q.flagChoices.push_back(q.correctFlags);
        }
        // Two transitions rarely share an ask point (both sides at one instant);
        // then the second is asked right in front of its own Transition event.
        if (m_questions.count(q.askBefore) != 0) {
            q.askBefore = i;
        }
        m_questions.emplace(q.askBefore, q);
    }
}

const QuizQuestion* Quiz::questionBefore(std::size_t eventIndex) const {
    if (m_answered.count(eventIndex) != 0) {
        return nullptr;
    }
    const auto it = m_questions.find(eventIndex);
    return it == m_questions.end() ? nullptr : &it->second;
}

QuizResult Quiz::answer(std::size_t eventIndex, State state, std::optional<std::uint8_t> flags,
                        Language language) {
    QuizResult r;
    const auto it = m_questions.find(eventIndex);
    if (it == m_questions.end() || m_answered.count(eventIndex) != 0) {
        return r;
    }
    const QuizQuestion& q = it->second;
    m_answered.insert(eventIndex);
    ++m_asked;
    r.stateCorrect = state == q.correctState;
    r.flagsCorrect = flags == q.correctFlags;
    m_score += (r.stateCorrect ? 1 : 0) + (r.flagsCorrect ? 1 : 0);
    m_correct += r.stateCorrect && r.flagsCorrect ? 1 : 0;
    const Arc& a = arc(q.arc);
    r.explanation = QCoreApplication::translate("Quiz", "%1 → %2 along the arc “%3”.")
                        .arg(qs(stateName(a.from)), qs(stateName(a.to)), qs(a.label()));
    const QString why = qs(arcExplanation(q.arc).in(language));
    if (!why.isEmpty()) {
        r.explanation += QLatin1Char(' ') + why;
    }
    return r;
}

void Quiz::resetScore() {
    m_answered.clear();
    m_asked = 0;
    m_score = 0;
    m_correct = 0;
}

} // namespace tcpviz::gui
