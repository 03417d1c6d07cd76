#include "quiz.h"

#include "event_text.h"
#include "narration/glossary.h"
#include "narration/narrator.h"
#include "qt_text.h"
#include "tcp/rst_check.h"

#include <QCoreApplication>
#include <algorithm>

namespace tcpviz::gui {

namespace {

/// States a student might plausibly pick when the arcs out of a state offer few choices.
constexpr std::array kDistractors{State::Established, State::Closed,   State::TimeWait,
                                  State::CloseWait,   State::FinWait2, State::SynReceived,
                                  State::Listen,      State::LastAck};
constexpr std::size_t kMinChoices = 4;

QString who(Side side) {
    return side == Side::Client ? QCoreApplication::translate("Quiz", "client")
                                : QCoreApplication::translate("Quiz", "server");
}

/// What the receiver of the arrival at `i` did with a RST, read off the trace.
QuizChoice rstOutcome(const Trace& t, std::size_t i) {
    const Reaction r = t.reaction(i);
    for (std::size_t k = r.begin; k < r.end; ++k) {
        const TraceEvent& e = t.event(k);
        if (e.kind == EventKind::Transition) {
            return QuizChoice::RstResets;
        }
        if (e.kind == EventKind::Send && e.reason == SendReason::ChallengeAck) {
            return QuizChoice::RstChallengeAck;
        }
    }
    return QuizChoice::RstIgnored;
}

/// What the arrival at `i` did to the receiver's TIME-WAIT timer.
QuizChoice timerOutcome(const Trace& t, std::size_t i) {
    const Side side = t.event(i).endpoint;
    const Tcb& before = t.snapshotAt(i).of(side);
    const Tcb& after = t.snapshotAt(t.reaction(i).end).of(side);
    if (after.state != State::TimeWait || !after.timeWaitDeadlineUs) {
        return QuizChoice::TimerStops;
    }
    if (before.timeWaitDeadlineUs && *after.timeWaitDeadlineUs > *before.timeWaitDeadlineUs) {
        return QuizChoice::TimerRestarts;
    }
    return QuizChoice::TimerRuns;
}

/// The RST acceptability check in words, with this RST's numbers.
QString rstExplanation(const Trace& t, const QuizQuestion& q, bool relative) {
    const TraceEvent& e = t.event(q.arrival);
    const Tcb& receiver = t.snapshotAt(q.arrival).of(q.side);
    const RstCheck c = checkRst(receiver, e.segment);
    ViewSettings settings;
    settings.relativeNumbers = relative;
    const Side sender = peer(q.side);
    const auto seq = [&](std::uint32_t v) {
        return QString::number(shownSeq(t, sender, v, settings));
    };
    const auto ack = [&](std::uint32_t v) {
        return QString::number(shownAck(t, sender, v, settings));
    };
    switch (c.state) {
    case State::Closed:
    case State::Listen:
        return QCoreApplication::translate(
                   "Quiz", "In %1 there is no connection to reset: a RST is ignored (RFC 9293 "
                           "3.10.7.1 and 3.10.7.2).")
            .arg(qs(stateName(c.state)));
    case State::SynSent:
        if (c.verdict == RstVerdict::Reset) {
            return QCoreApplication::translate(
                       "Quiz",
                       "In SYN-SENT a RST counts only if it acknowledges our SYN. Its ACK=%1 does, "
                       "so the connection attempt is refused (RFC 9293 3.10.7.3).")
                .arg(ack(c.ack));
        }
        return QCoreApplication::translate(
                   "Quiz",
                   "In SYN-SENT a RST counts only if it acknowledges our SYN (ACK=%1); this one "
                   "does not, so it is dropped (RFC 9293 3.10.7.3).")
            .arg(ack(c.expectedAck));
    default:
        break;
    }
    switch (c.verdict) {
    case RstVerdict::Reset:
        return QCoreApplication::translate(
                   "Quiz",
                   "SEQ=%1 is exactly RCV.NXT=%2, the next number the %3 expects: only the real "
                   "peer can know it, so the reset is genuine (RFC 9293 3.10.7.4, RFC 5961 "
                   "section 3).")
            .arg(seq(c.seq), seq(c.rcvNxt), who(q.side));
    case RstVerdict::ChallengeAck:
        return QCoreApplication::translate(
                   "Quiz",
                   "SEQ=%1 is inside the receive window [%2, %3) but is not RCV.NXT=%2. An "
                   "attacker who only guessed a number in the window could have sent it, so the "
                   "%4 does not reset: it sends a challenge ACK with its real position, which a "
                   "genuine peer answers with an exact RST (RFC 5961 section 3).")
            .arg(seq(c.seq), seq(c.rcvNxt), seq(c.windowEnd), who(q.side));
    case RstVerdict::Ignored:
        break;
    }
    return QCoreApplication::translate(
               "Quiz",
               "SEQ=%1 is outside the receive window [%2, %3): the RST is dropped without a "
               "word (RFC 9293 3.10.7.4).")
        .arg(seq(c.seq), seq(c.rcvNxt), seq(c.windowEnd));
}

QString timerExplanation(const Trace& t, const QuizQuestion& q) {
    if (q.correctChoice == QuizChoice::TimerRuns) {
        return QCoreApplication::translate(
            "Quiz", "This FIN is not a copy of the peer's last FIN, the one TIME-WAIT waits for: "
                    "TCP answers with what it really expects, and the 2×MSL timer keeps running.");
    }
    if (q.correctChoice == QuizChoice::TimerStops) {
        return QCoreApplication::translate(
            "Quiz", "The connection left TIME-WAIT at this arrival: its timer is gone.");
    }
    QString text = QCoreApplication::translate(
        "Quiz", "The FIN came again: the peer never got the last ACK and retransmitted its "
                "FIN. That is what TIME-WAIT waits for. TCP acknowledges the FIN again and "
                "restarts the 2×MSL timer, since this ACK may be lost as well (RFC 9293 "
                "3.10.7.4).");
    const Tcb& before = t.snapshotAt(q.arrival).of(q.side);
    const Tcb& after = t.snapshotAt(q.transition + 1).of(q.side);
    const std::int64_t now = t.event(q.arrival).timeUs;
    if (q.correctChoice == QuizChoice::TimerRestarts && before.timeWaitDeadlineUs &&
        after.timeWaitDeadlineUs) {
        text += QLatin1Char(' ') + QCoreApplication::translate(
                                       "Quiz",
                                       "The connection now ends %1 from this moment, instead of "
                                       "the %2 that were left.")
                                       .arg(formatDuration(*after.timeWaitDeadlineUs - now),
                                            formatDuration(*before.timeWaitDeadlineUs - now));
    }
    return text;
}

QString outcomeText(const QuizQuestion& q) {
    switch (q.correctChoice) {
    case QuizChoice::RstResets:
        return QCoreApplication::translate("Quiz",
                                           "The %1 accepts the RST: the connection is reset.")
            .arg(who(q.side));
    case QuizChoice::RstChallengeAck:
        return QCoreApplication::translate(
                   "Quiz",
                   "The %1 does not accept it: it keeps the connection and sends a challenge ACK.")
            .arg(who(q.side));
    case QuizChoice::RstIgnored:
        return QCoreApplication::translate("Quiz",
                                           "The %1 does not accept it: it drops the RST silently.")
            .arg(who(q.side));
    case QuizChoice::TimerRuns:
        return QCoreApplication::translate("Quiz", "The TIME-WAIT timer of the %1 keeps running.")
            .arg(who(q.side));
    case QuizChoice::TimerRestarts:
        return QCoreApplication::translate(
                   "Quiz", "The %1 acknowledges the FIN again and restarts its 2×MSL timer.")
            .arg(who(q.side));
    case QuizChoice::TimerStops:
        return QCoreApplication::translate(
                   "Quiz", "The TIME-WAIT timer of the %1 stops: the connection closes.")
            .arg(who(q.side));
    }
    return {};
}

} // namespace

QString choiceText(QuizChoice choice) {
    switch (choice) {
    case QuizChoice::RstResets:
        return QCoreApplication::translate("Quiz", "Yes: it resets the connection");
    case QuizChoice::RstChallengeAck:
        return QCoreApplication::translate("Quiz", "No: it answers with a challenge ACK");
    case QuizChoice::RstIgnored:
        return QCoreApplication::translate("Quiz", "No: it drops the RST silently");
    case QuizChoice::TimerRuns:
        return QCoreApplication::translate("Quiz",
                                           "It keeps running: the connection closes on schedule");
    case QuizChoice::TimerRestarts:
        return QCoreApplication::translate("Quiz", "It starts again: 2×MSL from now");
    case QuizChoice::TimerStops:
        return QCoreApplication::translate("Quiz", "It stops: the connection closes at once");
    }
    return {};
}

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
    // Events inside the reaction to an arrival asked about are covered by that
    // question: the transition or reply it causes is its answer, not another question.
    std::set<std::size_t> covered;
    addArrivalQuestions(covered);
    addTransitionQuestions(covered);
    addSegmentQuestions(covered);
}

void Quiz::addArrivalQuestions(std::set<std::size_t>& covered) {
    const auto& events = m_trace->events();
    for (std::size_t i = 0; i < events.size(); ++i) {
        const TraceEvent& e = events[i];
        if (e.kind != EventKind::Arrive) {
            continue;
        }
        const State state = m_trace->stateAt(e.endpoint, i);
        QuizQuestion q;
        if (e.segment.has(flag::RST) && state != State::Closed) {
            q.kind = QuizKind::RstAcceptance;
            q.choices = {QuizChoice::RstResets, QuizChoice::RstChallengeAck,
                         QuizChoice::RstIgnored};
            q.correctChoice = rstOutcome(*m_trace, i);
        } else if (e.segment.has(flag::FIN) && !e.segment.has(flag::RST) &&
                   state == State::TimeWait) {
            q.kind = QuizKind::TimeWaitTimer;
            q.choices = {QuizChoice::TimerRuns, QuizChoice::TimerRestarts, QuizChoice::TimerStops};
            q.correctChoice = timerOutcome(*m_trace, i);
        } else {
            continue;
        }
        const Reaction r = m_trace->reaction(i);
        q.askBefore = i;
        q.arrival = i;
        q.transition = r.empty() ? i : r.end - 1;
        q.side = e.endpoint;
        q.from = state;
        for (std::size_t k = i; k < std::max(r.end, i + 1); ++k) {
            covered.insert(k);
        }
        m_questions.emplace(q.askBefore, q);
    }
}

void Quiz::addTransitionQuestions(const std::set<std::size_t>& covered) {
    const auto& events = m_trace->events();
    for (std::size_t i = 0; i < events.size(); ++i) {
        const auto& t = events[i];
        if (t.kind != EventKind::Transition || covered.count(i) != 0) {
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

void Quiz::addSegmentQuestions(const std::set<std::size_t>& covered) {
    const auto& events = m_trace->events();
    for (std::size_t i = 0; i < events.size(); ++i) {
        const TraceEvent& e = events[i];
        if (e.kind != EventKind::Send || e.injected || e.duplicate || covered.count(i) != 0) {
            continue;
        }
        // An answer to an arrival or a timer (what the application's own calls
        // send is the lesson's script); the first segment of the reaction, and
        // only where no transition comes with it (its question asks the flags).
        const Reaction r = m_trace->reaction(i);
        if (!r.cause || events[*r.cause].kind == EventKind::Call || r.begin != i) {
            continue;
        }
        bool transition = false;
        for (std::size_t k = r.begin; k < r.end; ++k) {
            transition = transition || events[k].kind == EventKind::Transition;
        }
        if (transition || m_questions.count(i) != 0) {
            continue;
        }
        QuizQuestion q;
        q.kind = QuizKind::Segment;
        q.askBefore = i;
        q.transition = i;
        q.side = e.endpoint;
        q.from = m_trace->stateAt(e.endpoint, i);
        q.correctFlags = e.segment.flags;
        for (const auto& f : flagOptions()) {
            if (f) {
                q.flagChoices.push_back(f);
            }
        }
        if (std::find(q.flagChoices.begin(), q.flagChoices.end(), q.correctFlags) ==
            q.flagChoices.end()) {
            q.flagChoices.push_back(q.correctFlags);
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

const QuizQuestion* Quiz::take(std::size_t eventIndex) {
    const QuizQuestion* q = questionBefore(eventIndex);
    if (q != nullptr) {
        m_answered.insert(eventIndex);
        ++m_asked;
    }
    return q;
}

void Quiz::count(const QuizResult& r, int points, int maxPoints) {
    m_score += points;
    m_maxScore += maxPoints;
    m_correct += r.correct ? 1 : 0;
}

QuizResult Quiz::answer(std::size_t eventIndex, State state, std::optional<std::uint8_t> flags,
                        Language language, bool relativeNumbers) {
    QuizResult r;
    const QuizQuestion* q = questionBefore(eventIndex);
    if (q == nullptr || (q->kind != QuizKind::Transition && q->kind != QuizKind::Segment)) {
        return r;
    }
    take(eventIndex);
    r.flagsCorrect = flags == q->correctFlags;
    if (q->kind == QuizKind::Segment) {
        r.stateCorrect = true;
        r.correct = r.flagsCorrect;
        r.outcome = QCoreApplication::translate("Quiz", "The %1 sends %2.")
                        .arg(who(q->side), qs(flagsToString(*q->correctFlags)));
        // The narrator says why this segment, with this step's numbers.
        r.explanation =
            qs(narrate(*m_trace, q->transition, {.relativeNumbers = relativeNumbers}).in(language));
        count(r, r.correct ? 1 : 0, 1);
        return r;
    }
    r.stateCorrect = state == q->correctState;
    r.correct = r.stateCorrect && r.flagsCorrect;
    count(r, (r.stateCorrect ? 1 : 0) + (r.flagsCorrect ? 1 : 0), 2);
    const Arc& a = arc(q->arc);
    r.explanation = QCoreApplication::translate("Quiz", "%1 → %2 along the arc “%3”.")
                        .arg(qs(stateName(a.from)), qs(stateName(a.to)), qs(a.label()));
    const QString why = qs(arcExplanation(q->arc).in(language));
    if (!why.isEmpty()) {
        r.explanation += QLatin1Char(' ') + why;
    }
    return r;
}

QuizResult Quiz::answerChoice(std::size_t eventIndex, QuizChoice choice, Language /*language*/,
                              bool relativeNumbers) {
    QuizResult r;
    const QuizQuestion* q = questionBefore(eventIndex);
    if (q == nullptr ||
        (q->kind != QuizKind::RstAcceptance && q->kind != QuizKind::TimeWaitTimer)) {
        return r;
    }
    take(eventIndex);
    r.stateCorrect = true;
    r.flagsCorrect = true;
    r.correct = choice == q->correctChoice;
    r.outcome = outcomeText(*q);
    r.explanation = q->kind == QuizKind::RstAcceptance
                        ? rstExplanation(*m_trace, *q, relativeNumbers)
                        : timerExplanation(*m_trace, *q);
    count(r, r.correct ? 1 : 0, 1);
    return r;
}

void Quiz::resetScore() {
    m_answered.clear();
    m_asked = 0;
    m_score = 0;
    m_maxScore = 0;
    m_correct = 0;
}

} // namespace tcpviz::gui
