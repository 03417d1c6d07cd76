// Narration cross-check: for every built-in lesson, in both languages, each claim
// the narration of an event makes about a state, a segment's flags, a delay or who
// learns of a reset is checked against the events it narrates. The narration is
// read as a student reads it (text patterns), so a sentence that contradicts the
// trace fails here whichever code path wrote it.
//
// Claims recognised (EN / ZH):
// * state after the step: "enters X", "back in/to X", "moves to X", "is now X",
//   "is X now" / "进入 X", "回到 X", "现在是 X": the state of the narrated endpoint
//   once it has reacted (or of the peer, when the sentence names the peer);
// * state kept: "still in X", "stays in X", "remains in X" / "仍在 X", "仍处于 X":
//   X before and after the step;
// * flags: "F reaches the client" / "F 到达客户端", "loses this F" / "丢失了这个 F":
//   the segment's flags; "a RST is never answered" / "RST 从不被应答": the segment
//   is a RST;
// * delays, in a sentence about the acknowledgment: "acknowledges ... at once" /
//   "立即确认": the ACK leaves at the instant the acknowledged segment arrived;
//   "N ms later" / "ACK 在 N ms 后", "应用在 N ms 后": it leaves N later; a negated
//   or future claim ("does not ... at once", "不立即确认", "会进入") is no claim;
// * "connection reset by peer", said as a fact (not in an "if" sentence): the
//   application of the endpoint that is reset has not called close() or aborted.
#include "narration/narrator.h"
#include "scenario/library.h"
#include "sim/simulator.h"
#include "tcp/segment.h"
#include "tcp/seq.h"

#include <algorithm>
#include <gtest/gtest.h>
#include <optional>
#include <regex>
#include <string>
#include <vector>

namespace tcpviz {
namespace {

enum class Lang : std::uint8_t { En, Zh };

const std::string kStates = "(SYN-RECEIVED|SYN-SENT|ESTABLISHED|FIN-WAIT-1|FIN-WAIT-2|CLOSE-WAIT|"
                            "CLOSING|LAST-ACK|TIME-WAIT|CLOSED|LISTEN)";

State stateNamed(const std::string& text) {
    const auto s = parseState(text);
    EXPECT_TRUE(s.has_value()) << text;
    return s.value_or(State::Closed);
}

/// Sentences of a narration: split after ". ", "。", "；", "; " and paragraph breaks.
std::vector<std::string> sentences(const std::string& text) {
    std::vector<std::string> out;
    std::string cur;
    for (std::size_t i = 0; i < text.size(); ++i) {
        cur.push_back(text[i]);
        const bool enEnd = (text[i] == '.' || text[i] == ';') &&
                           (i + 1 == text.size() || text[i + 1] == ' ' || text[i + 1] == '\n');
        const bool zhEnd = cur.size() >= 3 && (cur.ends_with("。") || cur.ends_with("；"));
        if (enEnd || zhEnd || text[i] == '\n') {
            out.push_back(cur);
            cur.clear();
        }
    }
    if (!cur.empty()) {
        out.push_back(cur);
    }
    return out;
}

bool names(const std::string& sentence, Side side, Lang lang) {
    if (lang == Lang::Zh) {
        return sentence.find(side == Side::Client ? "客户端" : "服务器") != std::string::npos;
    }
    return sentence.find(side == Side::Client ? "client" : "server") != std::string::npos;
}

/// Whether the application of `side` has closed (close() or abort) before event i.
bool applicationClosed(const Trace& t, Side side, std::size_t i) {
    bool closed = false;
    for (std::size_t j = 0; j < i; ++j) {
        const TraceEvent& e = t.event(j);
        if (e.kind == EventKind::Call && e.endpoint == side && e.callError.empty()) {
            if (e.call == UserCall::Close || e.call == UserCall::Abort) {
                closed = true;
            } else if (e.call == UserCall::Listen || e.call == UserCall::Connect) {
                closed = false;
            }
        }
    }
    return closed;
}

/// The first event and one past the last that the narration of event i speaks for:
/// the leading Call/Arrive/Timer with the whole reaction.
std::pair<std::size_t, std::size_t> span(const Trace& t, std::size_t i) {
    const Reaction r = t.reaction(i);
    return {r.cause.value_or(std::min(i, r.begin)), std::max(r.end, i + 1)};
}

/// When the ACK spoken of in event i leaves, and when what it acknowledges
/// arrived; nullopt if no ACK of that endpoint follows.
struct AckTiming {
    std::int64_t arrivedUs = 0;
    std::int64_t ackUs = 0;
};
std::optional<AckTiming> ackTiming(const Trace& t, std::size_t i) {
    const TraceEvent& e = t.event(i);
    const Side s = e.endpoint;
    const TraceEvent* ack = nullptr;
    if (e.kind == EventKind::Send && e.segment.has(flag::ACK)) {
        ack = &e;
    } else {
        for (std::size_t j = span(t, i).first; j < t.size(); ++j) {
            const TraceEvent& c = t.event(j);
            if (c.kind == EventKind::Send && c.endpoint == s && !c.injected &&
                c.segment.has(flag::ACK)) {
                ack = &c;
                break;
            }
        }
    }
    if (ack == nullptr) {
        return std::nullopt;
    }
    // The arrival at s of the segment whose end is what the ACK acknowledges.
    for (std::size_t j = static_cast<std::size_t>(ack - &t.event(0)); j-- > 0;) {
        const TraceEvent& a = t.event(j);
        if (a.kind == EventKind::Arrive && a.endpoint == s &&
            a.segment.seq + a.segment.seqLen() == ack->segment.ack) {
            return AckTiming{a.timeUs, ack->timeUs};
        }
    }
    return std::nullopt;
}

/// A claim negated or put in the future ("does not acknowledge it at once",
/// "不立即确认", "最后会进入 TIME-WAIT") claims nothing about this step.
bool negatedOrFuture(const std::string& sentence, std::size_t pos) {
    for (const std::string_view w : {"not ", "will ", "不", "会", "将"}) {
        if (pos >= w.size() && std::string_view(sentence).substr(pos - w.size(), w.size()) == w) {
            return true;
        }
    }
    return false;
}

std::int64_t durationUs(const std::string& number, const std::string& unit) {
    const std::int64_t n = std::stoll(number);
    return unit == "s" ? n * 1'000'000 : unit == "ms" ? n * 1000 : n;
}

/// Every claim of event i's narration in one language that the trace contradicts.
std::vector<std::string> contradictions(const Trace& t, std::size_t i, Lang lang) {
    const LocalizedText text = narrate(t, i);
    std::string all = lang == Lang::En ? text.en : text.zh;
    // A lesson note that answers a myth quotes the wrong claim on purpose ("many
    // articles say ...") and announces what the next steps will show ("watch: ...");
    // neither is a claim about this step, so such a note is left out. Every other
    // note, and all the generated narration, is checked.
    for (const auto& note : t.meta.stepNotes) {
        const std::string& said = lang == Lang::En ? note.text.en : note.text.zh;
        const bool myth = said.find("articles say") != std::string::npos ||
                          said.find("文章说") != std::string::npos ||
                          said.find("watch:") != std::string::npos ||
                          said.find("请看") != std::string::npos;
        if (note.event == i && myth) {
            if (const auto at = all.find(said); at != std::string::npos) {
                all.erase(at, said.size());
            }
        }
    }
    const TraceEvent& e = t.event(i);
    const Side s = e.endpoint;
    // Plain variables, not a structured binding: the lambdas below capture them
    // (clang 14 cannot capture bindings).
    const std::pair<std::size_t, std::size_t> steps = span(t, i);
    const std::size_t first = steps.first;
    const std::size_t end = steps.second;
    const bool segmentEvent =
        e.kind == EventKind::Send || e.kind == EventKind::Arrive || e.kind == EventKind::Drop;
    std::vector<std::string> out;
    auto fail = [&](const std::string& sentence, const std::string& why) {
        out.push_back(why + " in: " + sentence);
    };
    const bool en = lang == Lang::En;
    const std::regex after(en ? "(?:enters|back (?:in|to)|moves to|is now) " + kStates + "|is " +
                                    kStates + " now"
                              : "(?:进入|回到|现在是) ?" + kStates);
    const std::regex still(en ? "(?:still in|stays in|remains in) " + kStates
                              : "仍(?:在|处于) ?" + kStates);
    const std::regex reaches(en ? "([A-Z,]+) reaches (?:the client|the server)"
                                : "([A-Z,+]+) 到达(?:客户端|服务器)");
    const std::regex loses(en ? "loses this ([A-Z,]+)" : "丢失了这个 ([A-Z,+]+)");
    const std::regex rstNeverAnswered(en ? "a RST is never answered" : "RST 从不被应答");
    const std::regex atOnce(en ? "acknowledg\\w*(?: \\w+){0,3} at once" : "立即确认");
    const std::regex later(en ? "(\\d+) (us|ms|s) later" : "(?:ACK|应用) ?在 (\\d+) (us|ms|s) 后");
    const std::regex aboutAck(en ? "ACK|acknowledg" : "ACK|确认");
    const std::string resetByPeer = "connection reset by peer";

    for (const std::string& sentence : sentences(all)) {
        const bool peerNamed = names(sentence, peer(s), lang);
        for (std::sregex_iterator m(sentence.begin(), sentence.end(), after), none; m != none;
             ++m) {
            if (negatedOrFuture(sentence, static_cast<std::size_t>(m->position()))) {
                continue;
            }
            const State x = stateNamed((*m)[1].matched ? (*m)[1].str() : (*m)[2].str());
            const bool ok = t.stateAt(s, end) == x || (peerNamed && t.stateAt(peer(s), end) == x);
            if (!ok) {
                fail(sentence, "claims state " + std::string(stateName(x)) + " after the step, " +
                                   "trace has " + std::string(stateName(t.stateAt(s, end))));
            }
        }
        for (std::sregex_iterator m(sentence.begin(), sentence.end(), still), none; m != none;
             ++m) {
            const State x = stateNamed((*m)[1].str());
            auto kept = [&](Side side) {
                for (std::size_t j = first; j <= end; ++j) {
                    if (t.stateAt(side, j) != x) {
                        return false;
                    }
                }
                return true;
            };
            if (!kept(s) && !(peerNamed && kept(peer(s)))) {
                fail(sentence, "claims the endpoint stays in " + std::string(stateName(x)) +
                                   ", trace has " + std::string(stateName(t.stateAt(s, first))) +
                                   " -> " + std::string(stateName(t.stateAt(s, end))));
            }
        }
        if (segmentEvent) {
            const std::string flags = flagsToString(e.segment.flags);
            for (const std::regex* r : {&reaches, &loses}) {
                std::smatch m;
                // Chinese prose writes SYN+ACK where the RFC notation writes SYN,ACK.
                std::string quoted;
                if (std::regex_search(sentence, m, *r)) {
                    quoted = m[1].str();
                    std::replace(quoted.begin(), quoted.end(), '+', ',');
                }
                if (!quoted.empty() && quoted != flags) {
                    fail(sentence, "quotes flags " + m[1].str() + ", the segment is " + flags);
                }
            }
            if (std::regex_search(sentence, rstNeverAnswered) && !e.segment.has(flag::RST)) {
                fail(sentence, "explains a " + flags + " by a rule about RST");
            }
        }
        if (std::regex_search(sentence, aboutAck)) {
            const auto timing = ackTiming(t, i);
            std::smatch once;
            if (std::regex_search(sentence, once, atOnce) &&
                !negatedOrFuture(sentence, static_cast<std::size_t>(once.position())) &&
                (!timing || timing->ackUs != timing->arrivedUs)) {
                fail(sentence, timing ? "says at once, the ACK leaves " +
                                            std::to_string(timing->ackUs - timing->arrivedUs) +
                                            " us after the arrival"
                                      : "says at once, no ACK follows");
            }
            std::smatch m;
            if (std::regex_search(sentence, m, later)) {
                const std::int64_t said = durationUs(m[1].str(), m[2].str());
                if (!timing || timing->ackUs - timing->arrivedUs != said) {
                    fail(sentence,
                         "says " + m[0].str() + ", the trace has " +
                             (timing ? std::to_string(timing->ackUs - timing->arrivedUs) + " us"
                                     : "no ACK"));
                }
            }
        }
        const bool conditional = sentence.find("If ") != std::string::npos ||
                                 sentence.find(" if ") != std::string::npos ||
                                 sentence.find("An application that") != std::string::npos ||
                                 sentence.find("如果") != std::string::npos ||
                                 sentence.find("仍持有套接字的应用") != std::string::npos;
        if (sentence.find(resetByPeer) != std::string::npos && !conditional) {
            // The endpoint whose connection the RST ends.
            const Side reset = e.kind == EventKind::Send ? peer(s) : s;
            if (applicationClosed(t, reset, i)) {
                fail(sentence, std::string("says the application learns of the reset, but the ") +
                                   std::string(sideName(reset)) + "'s application has closed");
            }
        }
    }
    return out;
}

TEST(NarrationClaims, EveryClaimOfEveryLessonAgreesWithItsEvents) {
    std::size_t checked = 0;
    for (const Scenario& sc : builtinScenarios()) {
        const Trace t = simulate(sc);
        for (std::size_t i = 0; i < t.size(); ++i) {
            for (const Lang lang : {Lang::En, Lang::Zh}) {
                for (const std::string& c : contradictions(t, i, lang)) {
                    ADD_FAILURE() << sc.id << " event " << i << " ("
                                  << (lang == Lang::En ? "en" : "zh") << "): " << c;
                }
                ++checked;
            }
        }
    }
    EXPECT_GT(checked, 1000U);
}

// The cross-check itself: each kind of claim is recognised, so a wrong sentence
// cannot slip through because no pattern reads it.
TEST(NarrationClaims, TheCheckerReadsEachKindOfClaim) {
    const auto sc = findBuiltinScenario("syn-flood-half-open");
    ASSERT_TRUE(sc.has_value());
    Trace t = simulate(*sc);
    // A step note that says the listener is still in LISTEN on the give-up arc,
    // and one that explains the SYN,ACK's arrival by the RST rule.
    std::size_t giveUp = 0;
    std::size_t synAckArrives = 0;
    for (std::size_t i = 0; i < t.size(); ++i) {
        const TraceEvent& e = t.event(i);
        if (e.kind == EventKind::Transition && e.arc == ArcId::GiveUpSynReceivedListen) {
            giveUp = i;
        }
        if (e.kind == EventKind::Arrive && e.endpoint == Side::Client && synAckArrives == 0) {
            synAckArrives = i;
        }
    }
    ASSERT_NE(giveUp, 0U);
    ASSERT_NE(synAckArrives, 0U);
    EXPECT_TRUE(contradictions(t, giveUp, Lang::En).empty());
    t.meta.stepNotes.push_back({static_cast<std::uint32_t>(giveUp),
                                {"The listener is still in LISTEN.", "监听方仍在 LISTEN。"}});
    t.meta.stepNotes.push_back(
        {static_cast<std::uint32_t>(synAckArrives),
         {"Nothing answers, since a RST is never answered.", "RST 从不被应答。"}});
    EXPECT_EQ(contradictions(t, giveUp, Lang::En).size(), 1U);
    EXPECT_EQ(contradictions(t, giveUp, Lang::Zh).size(), 1U);
    EXPECT_EQ(contradictions(t, synAckArrives, Lang::En).size(), 1U);
    EXPECT_EQ(contradictions(t, synAckArrives, Lang::Zh).size(), 1U);
}

} // namespace
} // namespace tcpviz
