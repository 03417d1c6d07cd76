// The many-connection lessons (a listener and many clients, `load:`) tell the
// reader what `ss -tan` would show at each step: "ss -tan on the server: 1 LISTEN
// and 9 SYN-RECV". Every such count a note quotes, in English and in Chinese, is
// listed here and compared with the simulation's counts at that moment, and a
// note may quote no count that is not listed, so a note cannot drift from what
// the simulation shows. The other numbers the notes quote (times, how many
// connect() calls failed) are checked one by one below.
#include "scenario/library.h"
#include "sim/host_simulator.h"
#include "tcp/segment.h"
#include "text/note_text.h"

#include <algorithm>
#include <gtest/gtest.h>
#include <map>
#include <optional>
#include <regex>
#include <set>
#include <string>
#include <vector>

namespace tcpviz {
namespace {

enum class On : std::uint8_t { Server, Clients };

/// One count a note quotes: `n` sockets in `ss` state `state` on the server host
/// or on the client hosts (all of them together), at the step's moment or, for
/// "from then on" and "until now", at `atUs`.
struct Quoted {
    const char* lesson;
    std::uint32_t step; ///< index into Scenario::steps
    On on;
    const char* state; ///< as ss prints it: SYN-RECV, ESTAB, ...
    std::uint32_t n;
    std::optional<std::int64_t> atUs{};
};

const std::vector<Quoted>& quoted() {
    static const std::vector<Quoted> list{
        {"syn-flood", 0, On::Server, "LISTEN", 1},
        {"syn-flood", 1, On::Server, "LISTEN", 1},
        {"syn-flood", 1, On::Server, "SYN-RECV", 9},
        {"syn-flood", 1, On::Clients, "SYN-SENT", 1},
        {"syn-flood", 2, On::Server, "LISTEN", 1},
        {"syn-flood", 2, On::Server, "ESTAB", 1},
        {"syn-cookies", 1, On::Server, "LISTEN", 1},
        {"syn-cookies", 1, On::Server, "SYN-RECV", 9},
        {"syn-cookies", 2, On::Server, "LISTEN", 1},
        {"syn-cookies", 2, On::Server, "SYN-RECV", 9},
        {"syn-cookies", 2, On::Server, "ESTAB", 1},
        {"syn-cookies", 3, On::Server, "LISTEN", 1},
        {"syn-cookies", 3, On::Server, "ESTAB", 1},
        {"accept-queue-overflow", 1, On::Server, "LISTEN", 1},
        {"accept-queue-overflow", 1, On::Server, "ESTAB", 3},
        {"accept-queue-overflow", 2, On::Server, "LISTEN", 1},
        {"accept-queue-overflow", 2, On::Server, "ESTAB", 4},
        {"accept-queue-overflow", 2, On::Server, "SYN-RECV", 1},
        {"accept-queue-overflow", 3, On::Server, "LISTEN", 1},
        {"accept-queue-overflow", 3, On::Server, "ESTAB", 5},
        {"time-wait-pileup", 1, On::Clients, "SYN-SENT", 1},
        {"time-wait-pileup", 3, On::Clients, "TIME-WAIT", 9},
        {"close-wait-leak", 3, On::Server, "LISTEN", 1},
        {"close-wait-leak", 3, On::Server, "CLOSE-WAIT", 300},
        {"close-wait-leak", 3, On::Server, "ESTAB", 1},
        {"close-wait-leak", 3, On::Clients, "FIN-WAIT-2", 300},
        {"close-wait-leak", 4, On::Server, "CLOSE-WAIT", 301, 69'999'999},
        {"close-wait-leak", 4, On::Server, "LAST-ACK", 301},
        {"server-restart-reuseaddr", 1, On::Server, "FIN-WAIT-1", 20},
        {"server-restart-reuseaddr", 2, On::Server, "TIME-WAIT", 20},
        {"server-restart-reuseaddr", 3, On::Server, "TIME-WAIT", 20},
        {"server-restart-reuseaddr", 4, On::Server, "LISTEN", 1},
        {"server-restart-reuseaddr", 5, On::Server, "LISTEN", 1},
    };
    return list;
}

const std::map<std::string, State>& ssStates() {
    static const std::map<std::string, State> names{
        {"LISTEN", State::Listen},        {"SYN-SENT", State::SynSent},
        {"SYN-RECV", State::SynReceived}, {"ESTAB", State::Established},
        {"FIN-WAIT-1", State::FinWait1},  {"FIN-WAIT-2", State::FinWait2},
        {"CLOSE-WAIT", State::CloseWait}, {"CLOSING", State::Closing},
        {"LAST-ACK", State::LastAck},     {"TIME-WAIT", State::TimeWait},
    };
    return names;
}

std::vector<std::string> manyConnectionLessons() {
    std::vector<std::string> ids;
    for (const Scenario& s : builtinScenarios()) {
        if (s.manyConnections()) {
            ids.push_back(s.id);
        }
    }
    return ids;
}

/// When the named connection's trace shows step `step` (its first event).
std::int64_t stepTime(const Trace& t, std::uint32_t step) {
    for (const TraceEvent& e : t.events()) {
        if (e.step == step) {
            return e.timeUs;
        }
    }
    ADD_FAILURE() << "step " << step << " left no event";
    return -1;
}

/// The counts ss would print at `timeUs`, after everything that happened then.
StateCounts countsAt(const HostSimulation& r, std::int64_t timeUs) {
    StateCounts out;
    for (const StateCounts& c : r.counts) {
        if (c.timeUs <= timeUs) {
            out = c;
        }
    }
    return out;
}

/// "9 SYN-RECV" in English, "9 行 SYN-RECV" or "301 个 CLOSE-WAIT" in Chinese.
std::multiset<std::pair<std::uint32_t, std::string>> quotedIn(const std::string& text) {
    static const std::regex count(
        "(\\d+)\\s*(?:行|个)?\\s*"
        "(LISTEN|SYN-SENT|SYN-RECV|ESTAB|FIN-WAIT-1|FIN-WAIT-2|CLOSE-WAIT|CLOSING|LAST-ACK|TIME-"
        "WAIT)");
    std::multiset<std::pair<std::uint32_t, std::string>> out;
    for (auto it = std::sregex_iterator(text.begin(), text.end(), count);
         it != std::sregex_iterator(); ++it) {
        out.emplace(static_cast<std::uint32_t>(std::stoul((*it)[1].str())), (*it)[2].str());
    }
    return out;
}

TEST(LessonCounts, TheSixManyConnectionLessonsAreBuiltIn) {
    EXPECT_EQ(manyConnectionLessons(),
              (std::vector<std::string>{"syn-flood", "syn-cookies", "accept-queue-overflow",
                                        "time-wait-pileup", "close-wait-leak",
                                        "server-restart-reuseaddr"}));
}

TEST(LessonCounts, EveryQuotedSsCountIsTheSimulatedOne) {
    std::map<std::string, HostSimulation> simulated;
    for (const Quoted& q : quoted()) {
        SCOPED_TRACE(std::string(q.lesson) + " step " + std::to_string(q.step) + ": " +
                     std::to_string(q.n) + " " + q.state);
        const auto sc = findBuiltinScenario(q.lesson);
        ASSERT_TRUE(sc.has_value());
        if (!simulated.contains(q.lesson)) {
            simulated.emplace(q.lesson, simulateHosts(*sc));
        }
        const HostSimulation& r = simulated.at(q.lesson);
        const Trace& named = r.connections.at(r.named).trace;
        const std::int64_t at = q.atUs.value_or(stepTime(named, q.step));
        const StateCounts c = countsAt(r, at);
        const auto s = index(ssStates().at(q.state));
        EXPECT_EQ(q.on == On::Server ? c.server.at(s) : c.client.at(s), q.n)
            << "at " << at << " us";
    }
}

TEST(LessonCounts, EveryCountANoteQuotesIsListedInBothLanguages) {
    for (const std::string& id : manyConnectionLessons()) {
        const auto sc = findBuiltinScenario(id);
        ASSERT_TRUE(sc.has_value());
        for (std::uint32_t i = 0; i < sc->steps.size(); ++i) {
            SCOPED_TRACE(id + " step " + std::to_string(i));
            std::multiset<std::pair<std::uint32_t, std::string>> listed;
            for (const Quoted& q : quoted()) {
                if (q.lesson == id && q.step == i) {
                    listed.emplace(q.n, q.state);
                }
            }
            EXPECT_EQ(quotedIn(sc->steps[i].note.en), listed) << sc->steps[i].note.en;
            EXPECT_EQ(quotedIn(sc->steps[i].note.zh), listed) << sc->steps[i].note.zh;
        }
    }
}

TEST(LessonCounts, TheCountCheckReadsBothLanguages) {
    using Counts = std::multiset<std::pair<std::uint32_t, std::string>>;
    EXPECT_EQ(quotedIn("ss -tan: 1 LISTEN and 9 SYN-RECV lines (backlog 8 + 1)"),
              (Counts{{1, "LISTEN"}, {9, "SYN-RECV"}}));
    EXPECT_EQ(quotedIn("1 行 LISTEN，9 行 SYN-RECV（来自 203.0.113.x）；301 个 CLOSE-WAIT"),
              (Counts{{1, "LISTEN"}, {9, "SYN-RECV"}, {301, "CLOSE-WAIT"}}));
    EXPECT_EQ(quotedIn("at 1.111 s, 12 connect() calls"), Counts{});
}

// The other numbers the notes and descriptions quote.

HostSimulation simulateLesson(const std::string& id) {
    const auto sc = findBuiltinScenario(id);
    EXPECT_TRUE(sc.has_value()) << id;
    return sc ? simulateHosts(*sc) : HostSimulation{};
}

std::vector<std::int64_t> sendTimes(const Trace& t, Side side, std::uint8_t flags) {
    std::vector<std::int64_t> out;
    for (const TraceEvent& e : t.events()) {
        if (e.kind == EventKind::Send && e.endpoint == side && e.segment.flags == flags) {
            out.push_back(e.timeUs);
        }
    }
    return out;
}

std::int64_t reached(const Trace& t, Side side, State s) {
    for (const TraceEvent& e : t.events()) {
        if (e.kind == EventKind::Transition && e.endpoint == side && e.to == s) {
            return e.timeUs;
        }
    }
    return -1;
}

/// The first and the last time a count of `s` on the server fell.
std::pair<std::int64_t, std::int64_t> fallsOf(const HostSimulation& r, State s, bool server) {
    std::pair<std::int64_t, std::int64_t> out{-1, -1};
    std::uint32_t before = 0;
    for (const StateCounts& c : r.counts) {
        const std::uint32_t n = (server ? c.server : c.client).at(index(s));
        if (n < before) {
            out.second = c.timeUs;
            if (out.first < 0) {
                out.first = c.timeUs;
            }
        }
        before = n;
    }
    return out;
}

TEST(LessonCounts, SynFloodHalfOpenSocketsGiveUpAfterSevenSecondsAndTheEightSecondSynGetsIn) {
    const HostSimulation r = simulateLesson("syn-flood");
    const auto falls = fallsOf(r, State::SynReceived, true);
    EXPECT_EQ(falls.first, 7'150'000);
    EXPECT_EQ(r.stats.synDroppedSynQueueFull, 200U - 9U + 6U); // the rest of the flood, 6 SYNs
    std::int64_t lastForged = 0;
    for (const HostConnection& c : r.connections) {
        if (c.spoofed) {
            lastForged = std::max(lastForged, sendTimes(c.trace, Side::Client, flag::SYN).at(0));
        }
    }
    EXPECT_EQ(lastForged, 2'090'000) << "the flood stopped at 2.09 s";
    const Trace& t = r.connections.at(r.named).trace;
    const auto syns = sendTimes(t, Side::Client, flag::SYN);
    ASSERT_FALSE(syns.empty());
    EXPECT_EQ(syns.back(), 8'000'000);
    // the flood's last request went at 7.23 s, before the client's SYN arrived
    EXPECT_EQ(countsAt(r, 7'230'000).server.at(index(State::SynReceived)), 0U);
    EXPECT_EQ(countsAt(r, 7'229'999).server.at(index(State::SynReceived)), 1U);
    EXPECT_GT(reached(t, Side::Server, State::SynReceived), 8'000'000);
}

TEST(LessonCounts, SynFloodWithTheDefaultRetriesDrainsToHalfAfterSevenSeconds) {
    // The description: with tcp_synack_retries = 5 the pruning still ends the
    // old requests after 7 s until 4 are left, and the client's SYN finds room.
    auto sc = findBuiltinScenario("syn-flood");
    ASSERT_TRUE(sc.has_value());
    sc->timers.synackRetries = 5;
    const HostSimulation r = simulateHosts(*sc);
    EXPECT_EQ(countsAt(r, 7'000'000).server.at(index(State::SynReceived)), 9U);
    EXPECT_EQ(countsAt(r, 7'900'000).server.at(index(State::SynReceived)), 4U);
    const Trace& t = r.connections.at(r.named).trace;
    const std::int64_t in = reached(t, Side::Client, State::Established);
    EXPECT_GT(in, 8'000'000);
    EXPECT_LT(in, 8'200'000);
}

TEST(LessonCounts, SynCookiesAnswerTheRestOfTheFloodAndTheClient) {
    const HostSimulation r = simulateLesson("syn-cookies");
    EXPECT_EQ(r.stats.requestsQueued, 9U);
    EXPECT_EQ(r.stats.cookiesSent, 191U + 1U); // the forged SYNs past the nine, the client's
    EXPECT_EQ(r.stats.cookiesAccepted, 1U);
    EXPECT_TRUE(r.connections.at(r.named).cookie);
    EXPECT_EQ(countsAt(r, 7'230'000).server.at(index(State::SynReceived)), 0U);
    EXPECT_EQ(countsAt(r, 7'229'999).server.at(index(State::SynReceived)), 1U);
}

TEST(LessonCounts, AcceptQueueOverflowIgnoresTheAckUntilAcceptMakesRoom) {
    const HostSimulation r = simulateLesson("accept-queue-overflow");
    // "The listener's Recv-Q is 2" at 0.961 s: established, not yet accepted.
    std::uint32_t waiting = 0;
    std::vector<std::int64_t> accepts;
    for (const HostConnection& c : r.connections) {
        const std::int64_t in = reached(c.trace, Side::Server, State::Established);
        waiting += in >= 0 && in <= 961'000 && !(c.acceptedUs && *c.acceptedUs <= 961'000) ? 1 : 0;
        if (c.acceptedUs) {
            accepts.push_back(*c.acceptedUs);
        }
    }
    EXPECT_EQ(waiting, 2U);
    std::sort(accepts.begin(), accepts.end());
    ASSERT_GE(accepts.size(), 2U);
    EXPECT_EQ(accepts[0], 650'000);
    EXPECT_EQ(accepts[1], 5'650'000);
    EXPECT_EQ(r.connections.at(r.named).acceptedUs, std::optional<std::int64_t>(20'650'000))
        << "accept()ed at 20.65 s, the fifth";
    EXPECT_EQ(std::count_if(accepts.begin(), accepts.end(),
                            [](std::int64_t a) { return a <= 20'650'000; }),
              5);
    const Trace& t = r.connections.at(r.named).trace;
    bool ignoredAt1111 = false;
    for (const TraceEvent& e : t.events()) {
        ignoredAt1111 = ignoredAt1111 || (e.kind == EventKind::Arrive && e.timeUs == 1'111'000 &&
                                          e.note.starts_with("accept queue full"));
    }
    EXPECT_TRUE(ignoredAt1111);
    const auto synAcks = sendTimes(t, Side::Server, flag::SYN | flag::ACK);
    ASSERT_EQ(synAcks.size(), 3U);
    EXPECT_EQ(synAcks.at(1), 2'011'000);
    EXPECT_EQ(synAcks.at(2), 4'011'000);
    // the ACKs answering them were ignored, as the first was
    std::uint32_t ignored = 0;
    for (const TraceEvent& e : t.events()) {
        ignored += e.kind == EventKind::Arrive && e.segment.len == 0 &&
                           e.note.starts_with("accept queue full")
                       ? 1
                       : 0;
    }
    EXPECT_EQ(ignored, 3U);
    EXPECT_EQ(reached(t, Side::Server, State::Established), 5'911'000);
    std::uint32_t dataRetransmissions = 0;
    for (const TraceEvent& e : t.events()) {
        dataRetransmissions += e.kind == EventKind::Send && e.endpoint == Side::Client &&
                                       e.retransmission && e.segment.len > 0
                                   ? 1
                                   : 0;
    }
    EXPECT_EQ(dataRetransmissions, 4U);
    const auto data = std::find_if(t.events().rbegin(), t.events().rend(), [](const TraceEvent& e) {
        return e.kind == EventKind::Send && e.endpoint == Side::Client && e.segment.len > 0;
    });
    ASSERT_NE(data, t.events().rend());
    EXPECT_EQ(data->timeUs, 5'861'000) << "the fourth retransmission";
    bool ackedAtOnce = false;
    for (const TraceEvent& e : t.events()) {
        ackedAtOnce = ackedAtOnce || (e.kind == EventKind::Send && e.endpoint == Side::Server &&
                                      e.timeUs == 5'911'000 && e.segment.ack == 201);
    }
    EXPECT_TRUE(ackedAtOnce);
}

TEST(LessonCounts, TimeWaitPileupFailsThreeConnectsThenReusesThisConnectionsPort) {
    const HostSimulation r = simulateLesson("time-wait-pileup");
    std::uint32_t failedFirstBurst = 0;
    for (const HostConnection& c : r.connections) {
        if (!c.connectError.empty()) {
            EXPECT_TRUE(c.connectError.starts_with("EADDRNOTAVAIL"));
            ASSERT_TRUE(c.load.has_value());
            EXPECT_EQ(*c.load, 0U);
            ++failedFirstBurst;
        }
    }
    EXPECT_EQ(failedFirstBurst, 3U);
    EXPECT_EQ(r.stats.timeWaitReused, 5U);
    const Trace& t = r.connections.at(r.named).trace;
    EXPECT_EQ(t.events().back().arc, ArcId::AbortTimeWait);
    EXPECT_EQ(t.events().back().timeUs, 4'100'000);
    const auto taker =
        std::find_if(r.connections.begin(), r.connections.end(), [&](const HostConnection& c) {
            return c.reusedTimeWait && c.trace.meta.client.address == t.meta.client.address;
        });
    EXPECT_NE(taker, r.connections.end()) << "a new connection took port 52528";
}

TEST(LessonCounts, CloseWaitLeakOutlivesTheClientsFinWait2) {
    const HostSimulation r = simulateLesson("close-wait-leak");
    const auto falls = fallsOf(r, State::FinWait2, false);
    EXPECT_EQ(falls.first, 61'240'000);
    EXPECT_EQ(falls.second, 65'140'000);
    EXPECT_EQ(countsAt(r, 69'999'999).client, (StateCounts{}.client));
}

TEST(LessonCounts, RestartedServerBindsWhenTheLastTimeWaitExpires) {
    const HostSimulation r = simulateLesson("server-restart-reuseaddr");
    EXPECT_EQ(r.stats.bindFailures, 1U);
    const auto falls = fallsOf(r, State::TimeWait, true);
    EXPECT_EQ(falls.second, 61'100'000);
    EXPECT_EQ(countsAt(r, falls.second).server.at(index(State::TimeWait)), 0U);
    // With SO_REUSEADDR the listen at 2 s works and the client at 2.5 s gets in.
    auto sc = findBuiltinScenario("server-restart-reuseaddr");
    ASSERT_TRUE(sc.has_value());
    sc->server.reuseaddr = true;
    const HostSimulation reuse = simulateHosts(*sc);
    EXPECT_EQ(reuse.stats.bindFailures, 0U);
    const Trace& t = reuse.connections.at(reuse.named).trace;
    const std::int64_t in = reached(t, Side::Client, State::Established);
    EXPECT_GT(in, 2'500'000);
    EXPECT_LT(in, 3'000'000);
}

TEST(LessonCounts, EveryRemarkOnEveryConnectionHasItsChinese) {
    // Not only the named connection: the crowd's refusals (EADDRNOTAVAIL), drops
    // and cookies are read in Chinese too once a connection of the crowd is shown.
    std::set<std::string> untranslated;
    for (const std::string& id : manyConnectionLessons()) {
        const HostSimulation r = simulateLesson(id);
        for (const HostConnection& c : r.connections) {
            for (const TraceEvent& e : c.trace.events()) {
                for (const std::string& note : {e.note, e.callError}) {
                    if (!note.empty() && localizedNote(note).zh == note) {
                        untranslated.insert(id + ": " + note);
                    }
                }
            }
        }
    }
    EXPECT_TRUE(untranslated.empty()) << *untranslated.begin();
}

} // namespace
} // namespace tcpviz
