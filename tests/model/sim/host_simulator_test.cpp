// The host simulator: one listener, many clients. Each test builds a small
// scenario in YAML and checks what a user would see: who gets in, who is
// dropped, which state each end reaches, what `ss -tan` would count.
#include "scenario/library.h"
#include "scenario/scenario.h"
#include "sim/host_simulator.h"
#include "sim/simulator.h"
#include "tcp/segment.h"

#include <algorithm>
#include <chrono>
#include <gtest/gtest.h>
#include <optional>
#include <string>

namespace tcpviz::test {
namespace {

using enum Side;
using S = State;

Scenario parse(const std::string& yaml) {
    auto sc = parseScenarioText(yaml, "host-test.yaml");
    EXPECT_TRUE(sc.has_value()) << (sc ? "" : sc.error().toString());
    return sc ? *sc : Scenario{};
}

std::vector<S> statesOf(const Trace& t, Side side) {
    std::vector<S> out;
    for (const auto& e : t.states(side)) {
        out.push_back(e.state);
    }
    return out;
}

bool has(const std::vector<S>& states, S s) {
    return std::find(states.begin(), states.end(), s) != states.end();
}

/// Time of the named client's first transition into `s`, or -1.
std::int64_t reachedAt(const Trace& t, Side side, S s) {
    for (const auto& e : t.events()) {
        if (e.kind == EventKind::Transition && e.endpoint == side && e.to == s) {
            return e.timeUs;
        }
    }
    return -1;
}

std::string flood(int syncookies, int floodCount, int backlog) {
    return "profile: linux\n"
           "server: {address: \"192.168.0.1:80\", backlog: " +
           std::to_string(backlog) +
           "}\n"
           "sysctls: {tcp_syncookies: " +
           std::to_string(syncookies) +
           ", tcp_synack_retries: 2}\n"
           "steps:\n"
           "  - {at: 0ms, server: listen}\n"
           "  - {at: 500ms, client: connect}\n"
           "load:\n"
           "  - {at: 100ms, count: " +
           std::to_string(floodCount) +
           ", rate: 1000/s, from: \"203.0.113.0/24\", behaviour: syn-only}\n";
}

TEST(HostSimulator, SynFloodWithoutCookiesFillsTheSynQueueAndDropsTheLegitimateSyn) {
    const HostSimulation r = simulateHosts(parse(flood(0, 20, 8)));
    // backlog 8: nine request sockets (qlen > backlog is full), the rest dropped
    EXPECT_EQ(r.stats.maxSynQueue, 9U);
    EXPECT_EQ(r.stats.synDroppedSynQueueFull, 11U + 6U); // 11 spoofed, 6 of the client's SYNs
    EXPECT_EQ(r.stats.cookiesSent, 0U);
    const Trace& named = r.connections.at(r.named).trace;
    // Its SYNs are dropped until the half-open sockets give up (1 + 2 + 4 s after
    // the flood), then a retransmission gets in.
    const std::int64_t in = reachedAt(named, Client, S::Established);
    EXPECT_GT(in, 7'000'000);
    EXPECT_EQ(statesOf(named, Server),
              (std::vector{S::Closed, S::Listen, S::SynReceived, S::Established}));
    // ss would have shown nine SYN-RECV sockets on the server during the flood
    const auto peak = std::max_element(r.counts.begin(), r.counts.end(), [](auto& a, auto& b) {
        return a.server.at(index(S::SynReceived)) < b.server.at(index(S::SynReceived));
    });
    ASSERT_NE(peak, r.counts.end());
    EXPECT_EQ(peak->server.at(index(S::SynReceived)), 9U);
    EXPECT_EQ(peak->server.at(index(S::Listen)), 1U);
}

/// How many request sockets the server has at `timeUs`.
std::uint32_t synRecvAt(const HostSimulation& r, std::int64_t timeUs) {
    std::uint32_t n = 0;
    for (const StateCounts& c : r.counts) {
        if (c.timeUs <= timeUs) {
            n = c.server.at(index(S::SynReceived));
        }
    }
    return n;
}

TEST(HostSimulator, AFloodedQueuePrunesOldRequestsAfterSevenSeconds) {
    // Default tcp_synack_retries (5) would keep a request 63 s; with the queue
    // more than half full and nothing young, reqsk_timer_handler allows 2.
    std::string full = flood(0, 20, 8);
    full.replace(full.find(", tcp_synack_retries: 2"), 23, "");
    const HostSimulation r = simulateHosts(parse(full));
    EXPECT_EQ(synRecvAt(r, 7'000'000), 9U);
    // They expire one by one until the queue is no longer more than half full:
    // 2 x 4 is not above max(8, backlog 8), so the last four keep their 5 retries.
    EXPECT_EQ(synRecvAt(r, 7'500'000), 4U);
    // A queue less than half full keeps its requests their 5 retries.
    std::string roomy = flood(0, 20, 128);
    roomy.replace(roomy.find(", tcp_synack_retries: 2"), 23, "");
    const HostSimulation q = simulateHosts(parse(roomy));
    EXPECT_EQ(synRecvAt(q, 7'500'000), 20U);
    EXPECT_EQ(synRecvAt(q, 62'000'000), 20U);
    EXPECT_EQ(synRecvAt(q, 64'000'000), 0U);
}

TEST(HostSimulator, SynCookiesLetTheLegitimateClientInStatelessly) {
    const HostSimulation r = simulateHosts(parse(flood(1, 20, 8)));
    EXPECT_EQ(r.stats.maxSynQueue, 9U);
    EXPECT_EQ(r.stats.cookiesSent, 11U + 1U);
    EXPECT_EQ(r.stats.cookiesAccepted, 1U);
    EXPECT_EQ(r.stats.synDroppedSynQueueFull, 0U);
    const HostConnection& c = r.connections.at(r.named);
    EXPECT_TRUE(c.cookie);
    // connect at 0.5 s, in one round trip: no retransmission needed
    EXPECT_EQ(reachedAt(c.trace, Client, S::Established), 600'000);
    // The server end stays LISTEN until the ACK rebuilds it.
    EXPECT_EQ(reachedAt(c.trace, Server, S::SynReceived), 650'000);
    EXPECT_EQ(reachedAt(c.trace, Server, S::Established), 650'000);
    const auto synAcks =
        std::count_if(c.trace.events().begin(), c.trace.events().end(), [](const TraceEvent& e) {
            return e.kind == EventKind::Send && e.endpoint == Server &&
                   e.segment.flags == (flag::SYN | flag::ACK);
        });
    EXPECT_EQ(synAcks, 1);
}

TEST(HostSimulator, SyncookiesTwoKeepsNoRequestSocketAtAll) {
    const HostSimulation r = simulateHosts(parse(flood(2, 5, 8)));
    EXPECT_EQ(r.stats.requestsQueued, 0U);
    EXPECT_EQ(r.stats.cookiesSent, 6U);
    EXPECT_EQ(r.stats.cookiesAccepted, 1U);
}

std::string acceptOverflow(int abortOnOverflow) {
    return "profile: linux\n"
           "server: {address: \"192.168.0.1:80\", backlog: 2}\n"
           "sysctls: {tcp_abort_on_overflow: " +
           std::to_string(abortOnOverflow) +
           "}\n"
           "app: {accept: never}\n"
           "steps:\n"
           "  - {at: 0ms, server: listen}\n"
           "load:\n"
           "  - {at: 0ms, count: 2, from: \"10.0.0.1\", behaviour: connect-hold}\n"
           "  - {at: 200ms, count: 2, from: \"10.0.0.2\", behaviour: connect-hold, bytes: 100}\n";
}

TEST(HostSimulator, FullAcceptQueueIgnoresTheFinalAckAndTheClientRetransmitsItsData) {
    const HostSimulation r = simulateHosts(parse(acceptOverflow(0)));
    EXPECT_EQ(r.stats.maxAcceptQueue, 3U); // backlog + 1
    EXPECT_GE(r.stats.finalAcksIgnored, 1U);
    const HostConnection& last = r.connections.back();
    const auto client = statesOf(last.trace, Client);
    EXPECT_TRUE(has(client, S::Established));
    // The server end never got past SYN-RECEIVED ...
    EXPECT_FALSE(has(statesOf(last.trace, Server), S::Established));
    // ... while the client, ESTABLISHED, retransmits its data.
    const bool dataRetransmitted = std::any_of(
        last.trace.events().begin(), last.trace.events().end(), [](const TraceEvent& e) {
            return e.kind == EventKind::Send && e.endpoint == Client && e.retransmission &&
                   e.segment.len > 0;
        });
    EXPECT_TRUE(dataRetransmitted);
}

TEST(HostSimulator, AbortOnOverflowResetsTheClient) {
    const HostSimulation r = simulateHosts(parse(acceptOverflow(1)));
    EXPECT_EQ(r.stats.finalAcksReset, 1U);
    const HostConnection& last = r.connections.back();
    EXPECT_EQ(statesOf(last.trace, Server), (std::vector{S::Listen, S::SynReceived, S::Closed}));
    EXPECT_EQ(last.trace.stateAt(Client, last.trace.size()), S::Closed);
}

std::string shortConnections(int twReuse, const std::string& server) {
    return "profile: linux\n"
           "server: {address: \"" +
           server +
           ":80\"}\n"
           "sysctls: {ip_local_port_range: \"40000 40003\", tcp_tw_reuse: " +
           std::to_string(twReuse) +
           "}\n"
           "steps:\n"
           "  - {at: 0ms, server: listen}\n"
           "load:\n"
           "  - {at: 0ms, count: 6, rate: 1/s, from: \"10.0.0.9\", behaviour: connect-close}\n";
}

TEST(HostSimulator, TimeWaitHoldsPortsUntilConnectFailsWithEaddrnotavail) {
    const HostSimulation r = simulateHosts(parse(shortConnections(0, "192.168.0.1")));
    EXPECT_EQ(r.stats.connectFailures, 2U);
    EXPECT_EQ(r.stats.timeWaitReused, 0U);
    const HostConnection& fifth = r.connections.at(5);
    EXPECT_NE(fifth.connectError.find("EADDRNOTAVAIL"), std::string::npos);
    EXPECT_EQ(statesOf(fifth.trace, Client), std::vector{S::Closed});
    // The first four each end in TIME-WAIT on the client (it closed first).
    for (std::size_t i = 1; i <= 4; ++i) {
        EXPECT_TRUE(has(statesOf(r.connections[i].trace, Client), S::TimeWait)) << i;
    }
}

TEST(HostSimulator, TwReuseTakesATimeWaitPortOnlyWhereItApplies) {
    // tcp_tw_reuse = 1: from the 3rd connection on (2 s later, more than
    // tcp_tw_reuse_delay after the first TIME-WAIT began) the scan meets a
    // reusable TIME-WAIT port before any free one and takes it.
    const HostSimulation on = simulateHosts(parse(shortConnections(1, "192.168.0.1")));
    EXPECT_EQ(on.stats.connectFailures, 0U);
    EXPECT_EQ(on.stats.timeWaitReused, 4U);
    const HostConnection& third = on.connections.at(3);
    EXPECT_TRUE(third.reusedTimeWait);
    EXPECT_FALSE(on.connections.at(2).reusedTimeWait);
    EXPECT_EQ(third.trace.meta.client.address.port,
              on.connections.at(1).trace.meta.client.address.port);
    // The old TIME-WAIT socket is gone, and the new ISN is above its SND.NXT.
    const Trace& first = on.connections.at(1).trace;
    EXPECT_EQ(statesOf(first, Client).back(), S::Closed);
    EXPECT_EQ(first.events().back().arc, ArcId::AbortTimeWait);
    EXPECT_EQ(first.events().back().timeUs, 2'000'000);
    EXPECT_EQ(third.trace.meta.client.isn,
              first.snapshotAt(first.size()).of(Client).sndNxt + 65537U);
    // tcp_tw_reuse = 2 (the default): loopback only
    const HostSimulation two = simulateHosts(parse(shortConnections(2, "192.168.0.1")));
    EXPECT_EQ(two.stats.timeWaitReused, 0U);
    EXPECT_EQ(two.stats.connectFailures, 2U);
    const HostSimulation loop = simulateHosts(parse(shortConnections(2, "127.0.0.1")));
    EXPECT_EQ(loop.stats.timeWaitReused, 4U);
}

TEST(HostSimulator, TwReuseWaitsForTheReuseDelay) {
    // Connections 100 ms apart: a TIME-WAIT socket is never older than the 1 s
    // delay when the range runs out, so connect() fails even with tcp_tw_reuse.
    std::string yaml = shortConnections(1, "192.168.0.1");
    yaml.replace(yaml.find("rate: 1/s"), 9, "rate: 10/s");
    const HostSimulation r = simulateHosts(parse(yaml));
    EXPECT_EQ(r.stats.timeWaitReused, 0U);
    EXPECT_EQ(r.stats.connectFailures, 2U);
    // ... and without timestamps there is no reuse at all
    std::string noTs = shortConnections(1, "192.168.0.1");
    noTs.replace(noTs.find("tcp_tw_reuse: 1"), 15, "tcp_tw_reuse: 1, tcp_timestamps: 0");
    EXPECT_EQ(simulateHosts(parse(noTs)).stats.timeWaitReused, 0U);
}

std::string restart(bool reuseaddr) {
    return std::string("profile: linux\n"
                       "server: {address: \"192.168.0.1:80\", reuseaddr: ") +
           (reuseaddr ? "true" : "false") +
           "}\n"
           "steps:\n"
           "  - {at: 0ms, server: listen}\n"
           "  - {at: 1s, server: close}\n"
           "  - {at: 2s, server: listen}\n"
           "  - {at: 3s, client: connect}\n"
           "load:\n"
           "  - {at: 0ms, count: 3, from: \"10.0.0.0/29\", behaviour: connect-hold}\n";
}

TEST(HostSimulator, RestartedServerCannotBindWhileItsConnectionsAreInTimeWait) {
    const HostSimulation fails = simulateHosts(parse(restart(false)));
    EXPECT_EQ(fails.stats.bindFailures, 1U);
    const Trace& named = fails.connections.at(fails.named).trace;
    const auto listens =
        std::count_if(named.events().begin(), named.events().end(), [](const TraceEvent& e) {
            return e.kind == EventKind::Call && e.call == UserCall::Listen;
        });
    EXPECT_EQ(listens, 2);
    // The client finds nobody listening: connection refused.
    EXPECT_EQ(statesOf(named, Client), (std::vector{S::Closed, S::SynSent, S::Closed}));
    for (std::size_t i = 1; i < fails.connections.size(); ++i) {
        EXPECT_TRUE(has(statesOf(fails.connections[i].trace, Server), S::TimeWait)) << i;
    }
    const HostSimulation works = simulateHosts(parse(restart(true)));
    EXPECT_EQ(works.stats.bindFailures, 0U);
    EXPECT_TRUE(has(statesOf(works.connections.at(works.named).trace, Client), S::Established));
}

TEST(HostSimulator, ServerThatNeverClosesLeaksCloseWait) {
    const Scenario sc = parse("profile: linux\n"
                              "app: {close: never}\n"
                              "steps:\n  - {at: 0ms, server: listen}\n"
                              "load:\n"
                              "  - {count: 50, rate: 100/s, from: \"10.1.0.0/16\", "
                              "behaviour: connect-close}\n");
    const HostSimulation r = simulateHosts(sc);
    ASSERT_FALSE(r.counts.empty());
    const StateCounts& last = r.counts.back();
    EXPECT_EQ(last.server.at(index(S::CloseWait)), 50U);
    // the clients' orphaned FIN-WAIT-2 ends after tcp_fin_timeout: nothing left there
    EXPECT_EQ(last.client.at(index(S::FinWait2)), 0U);
}

TEST(HostSimulator, SynFloodLessonPlaysAsItsExpectSays) {
    // The built-in syn-flood lesson: its named connection must do what its
    // `expect` and its notes say.
    auto sc = findBuiltinScenario("syn-flood");
    ASSERT_TRUE(sc.has_value());
    const HostSimulation r = simulateHosts(*sc);
    const Trace& t = r.connections.at(r.named).trace;
    EXPECT_EQ(statesOf(t, Client), sc->expect.client);
    EXPECT_EQ(statesOf(t, Server), sc->expect.server);
    std::vector<std::string> segments;
    for (const TraceEvent& e : t.events()) {
        if (e.kind == EventKind::Send) {
            segments.push_back(flagsToString(e.segment.flags));
        }
    }
    EXPECT_EQ(segments, sc->expect.segments);
    // "ss -tan on the server now: LISTEN and 9 SYN-RECV" at the connect step (1 s)
    const StateCounts* atConnect = nullptr;
    for (const StateCounts& c : r.counts) {
        if (c.timeUs <= 1'000'000) {
            atConnect = &c;
        }
    }
    ASSERT_NE(atConnect, nullptr);
    EXPECT_EQ(atConnect->server.at(index(S::SynReceived)), 9U);
    EXPECT_EQ(atConnect->server.at(index(S::Listen)), 1U);
}

TEST(HostSimulator, AnExpiredRequestSocketDisappearsInsteadOfReturningToListen) {
    // syn-flood: a forged SYN's request socket gives up after its SYN,ACK retries.
    // The kernel frees it (reqsk_timer_handler); the listener is another socket.
    // So its end reads SYN-RECEIVED -> CLOSED along request-expired, never LISTEN
    // again, and nothing is sent at that moment.
    auto sc = findBuiltinScenario("syn-flood");
    ASSERT_TRUE(sc.has_value());
    const HostSimulation r = simulateHosts(*sc);
    int expired = 0;
    for (const HostConnection& c : r.connections) {
        if (!c.spoofed) {
            continue;
        }
        const Trace& t = c.trace;
        const std::vector<S> server = statesOf(t, Server);
        if (!has(server, S::SynReceived)) {
            EXPECT_EQ(t.stateAt(Server, t.size()), S::Listen) << "a dropped SYN: no request";
            continue;
        }
        EXPECT_EQ(server.back(), S::Closed);
        EXPECT_EQ(t.stateAt(Server, t.size()), S::Closed);
        EXPECT_EQ(std::count(server.begin(), server.end(), S::Listen), 1)
            << "LISTEN only before its SYN, as the listener's copy";
        for (std::size_t i = 0; i < t.size(); ++i) {
            const TraceEvent& e = t.event(i);
            if (e.kind == EventKind::Transition && e.endpoint == Server &&
                e.from == S::SynReceived) {
                EXPECT_EQ(e.arc, ArcId::RequestExpired);
                EXPECT_EQ(e.to, S::Closed);
                // Silently: the end sends nothing after it.
                for (std::size_t j = i + 1; j < t.size(); ++j) {
                    EXPECT_FALSE(t.event(j).kind == EventKind::Send &&
                                 t.event(j).endpoint == Server);
                }
                ++expired;
            }
        }
    }
    EXPECT_GE(expired, 9);
    // ss counts the same: none left in SYN-RECV, the listener alone in LISTEN.
    ASSERT_FALSE(r.counts.empty());
    EXPECT_EQ(r.counts.back().server.at(index(S::SynReceived)), 0U);
    EXPECT_EQ(r.counts.back().server.at(index(S::Listen)), 1U);
}

TEST(HostSimulator, AnInterventionOnTheNamedConnectionChangesTheCrowdsCounts) {
    // What if the syn-flood's client aborts while its SYNs are dropped: from then
    // on the client host has no SYN-SENT socket; until then everything is the same.
    auto sc = findBuiltinScenario("syn-flood");
    ASSERT_TRUE(sc.has_value());
    const HostSimulation original = simulateHosts(*sc);
    const Trace& lesson = original.connections.at(original.named).trace;
    std::size_t at = 0;
    while (at < lesson.size() && lesson.event(at).timeUs < 2'000'000) {
        ++at;
    }
    ASSERT_EQ(lesson.stateAt(Client, at), S::SynSent);
    HostIntervention iv;
    iv.position = at;
    iv.side = Client;
    iv.call = UserCall::Abort;
    const HostSimulation branch = simulateHosts(*sc, {}, {iv});
    ASSERT_EQ(branch.intervenedAt.size(), 1U);
    const std::size_t made = branch.intervenedAt[0];
    EXPECT_GE(made, at);
    const Trace& t = branch.connections.at(branch.named).trace;
    ASSERT_GT(t.size(), made);
    for (std::size_t i = 0; i < made; ++i) {
        EXPECT_EQ(t.event(i).kind, lesson.event(i).kind) << i;
        EXPECT_EQ(t.event(i).timeUs, lesson.event(i).timeUs) << i;
    }
    EXPECT_EQ(t.event(made).kind, EventKind::Call);
    EXPECT_EQ(t.event(made).call, UserCall::Abort);
    EXPECT_EQ(t.stateAt(Client, t.size()), S::Closed);
    EXPECT_FALSE(has(statesOf(t, Client), S::Established));
    const std::int64_t when = t.event(made).timeUs;
    for (const StateCounts& c : branch.counts) {
        if (c.timeUs > when) {
            EXPECT_EQ(c.client.at(index(S::SynSent)), 0U) << c.timeUs;
        }
    }
    // The original's client is still trying then.
    bool trying = false;
    for (const StateCounts& c : original.counts) {
        trying = trying || (c.timeUs > when && c.client.at(index(S::SynSent)) > 0);
    }
    EXPECT_TRUE(trying);
    // Without interventions, the same as before.
    EXPECT_EQ(simulateHosts(*sc, {}, {}).counts, original.counts);
}

TEST(HostSimulator, TheNamedClientHoldsItsPortOnItsHost) {
    // The named client's port is in the range of its host, which also runs four
    // generated clients: they share three ports while it is connected.
    const std::string yaml =
        "profile: linux\n"
        "client: {address: \"10.0.0.9:40000\"}\n"
        "server: {address: \"192.168.0.1:80\"}\n"
        "sysctls: {ip_local_port_range: \"40000 40003\", tcp_tw_reuse: 1}\n"
        "steps:\n"
        "  - {at: 0ms, server: listen}\n"
        "  - {at: 0ms, client: connect}\n"
        "  - {at: 500ms, client: close}\n"
        "load:\n"
        "  - {at: 100ms, count: 4, rate: 10/s, from: \"10.0.0.9\", "
        "behaviour: connect-close}\n"
        "  - {at: 3s, count: 4, rate: 10/s, from: \"10.0.0.9\", behaviour: connect-close}\n";
    const HostSimulation r = simulateHosts(parse(yaml));
    ASSERT_EQ(r.connections.size(), 9U);
    for (std::size_t i = 1; i <= 4; ++i) {
        EXPECT_NE(r.connections[i].trace.meta.client.address.port, 40000) << i;
    }
    EXPECT_EQ(r.stats.connectFailures, 1U); // the fourth finds the three others in use
    // From 3 s on, four new connections find the four TIME-WAIT sockets (the
    // named one's from 0.6 s among them) reusable: one of them takes port 40000
    // and so ends the named connection's TIME-WAIT.
    const auto taker =
        std::find_if(r.connections.begin() + 5, r.connections.end(), [](const HostConnection& c) {
            return c.trace.meta.client.address.port == 40000;
        });
    ASSERT_NE(taker, r.connections.end());
    EXPECT_TRUE(taker->reusedTimeWait);
    const Trace& named = r.connections.at(r.named).trace;
    EXPECT_EQ(named.events().back().arc, ArcId::AbortTimeWait);
    EXPECT_EQ(named.events().back().timeUs, taker->trace.events().front().timeUs);
    EXPECT_GE(named.events().back().timeUs, 3'000'000);
}

TEST(HostSimulator, AcceptTimesFollowTheApplication) {
    const HostSimulation r = simulateHosts(parse("profile: linux\n"
                                                 "app: {accept: {every: 2s}}\n"
                                                 "steps:\n  - {at: 0ms, server: listen}\n"
                                                 "load:\n"
                                                 "  - {count: 3, from: \"10.1.0.0/16\", "
                                                 "behaviour: connect-hold}\n"));
    std::vector<std::int64_t> accepted;
    for (const HostConnection& c : r.connections) {
        if (c.acceptedUs) {
            accepted.push_back(*c.acceptedUs);
        }
    }
    std::sort(accepted.begin(), accepted.end());
    // The first at once (its handshake done at 150 ms), then one every 2 s.
    EXPECT_EQ(accepted, (std::vector<std::int64_t>{150'000, 2'150'000, 4'150'000}));
}

TEST(HostSimulator, SameScenarioSameResult) {
    const Scenario sc = parse(flood(1, 50, 8));
    const HostSimulation a = simulateHosts(sc);
    const HostSimulation b = simulateHosts(sc);
    ASSERT_EQ(a.connections.size(), b.connections.size());
    for (std::size_t i = 0; i < a.connections.size(); ++i) {
        ASSERT_EQ(a.connections[i].trace.size(), b.connections[i].trace.size());
    }
    EXPECT_EQ(a.counts, b.counts);
    // simulate() of a many-connection scenario is its named connection
    EXPECT_EQ(simulate(sc).size(), a.connections.at(a.named).trace.size());
    Simulator stepper(sc);
    stepper.runToEnd();
    EXPECT_EQ(stepper.trace().size(), a.connections.at(a.named).trace.size());
}

} // namespace
} // namespace tcpviz::test

namespace tcpviz::test {
namespace {

/// The sequence number of the first SYN `side` itself sent (not injected for it,
/// not a copy); none when it sent none.
std::optional<std::uint32_t> firstSynSent(const Trace& t, Side side) {
    for (const TraceEvent& e : t.events()) {
        if (e.kind == EventKind::Send && e.endpoint == side && e.segment.has(flag::SYN) &&
            !e.injected && !e.duplicate) {
            return e.segment.seq;
        }
    }
    return std::nullopt;
}

// Relative numbers count from meta's ISNs, so meta must carry the ISN each side
// really sent: a SYN cookie (the listener's choice, not the configured ISN) in
// the crowd lessons, the configured ISN everywhere else.
TEST(HostSimulator, MetaCarriesTheIsnEachSideReallySentACookieIncluded) {
    std::size_t cookies = 0;
    std::size_t checked = 0;
    for (const Scenario& s : builtinScenarios()) {
        std::vector<Trace> traces;
        if (s.manyConnections()) {
            for (HostConnection& c : simulateHosts(s).connections) {
                cookies += c.cookie ? 1 : 0;
                traces.push_back(std::move(c.trace));
            }
        } else {
            traces.push_back(simulate(s));
        }
        for (const Trace& t : traces) {
            for (const Side side : {Client, Server}) {
                if (const auto isn = firstSynSent(t, side)) {
                    ++checked;
                    EXPECT_EQ(side == Client ? t.meta.client.isn : t.meta.server.isn, *isn)
                        << s.id << " " << sideName(side);
                }
            }
        }
    }
    EXPECT_GT(cookies, 0U); // the syn-cookies lesson admits its client with a cookie
    EXPECT_GT(checked, 100U);
}

} // namespace
} // namespace tcpviz::test
