// Round trip: every built-in scenario is simulated, written as pcap with
// writeTracePcap, read back and analysed; the passive tracker must give back the
// simulated state sequences of both endpoints, as far as a sniffer can know them.
//
// What the wire cannot show, and how the comparison treats it (the rule):
//  1. A passive open sends nothing: the simulated server's CLOSED -> LISTEN is not
//     on the wire, and the tracker starts the server in LISTEN. The simulated
//     sequence is compared from its LISTEN on.
//  2. Transitions with no segment of their own are invisible: timer expiries
//     (TIME-WAIT 2MSL, FIN-WAIT-2 timeout, retransmission give-up, user timeout)
//     and calls that send nothing (CLOSE in LISTEN or SYN-SENT, ABORT in LISTEN or
//     SYN-SENT). The simulated sequence is cut at the first such transition; the
//     tracker's sequence must equal what comes before it (it stays in that state).
//  3. A side that never sends a segment (an attacker's spoofed peer, a closed
//     port's host) has no states to infer beyond what its peer's segments imply;
//     scripted endpoints (`role: scripted`) have no TCP states at all and are
//     skipped.
//  4. A RST carrying a side's address looks like that side's ABORT, whoever sent
//     it: a socket that already timed out to CLOSED answering with RST
//     (fin-wait-2-timeout), or a RST spoofed in its name (challenge-ack's inject).
//     When such a RST is on the wire, the analysed sequence may end with one more
//     transition, to CLOSED, than the simulated one.
//  5. A client that connects again on the same ports (linger-zero-old-duplicate)
//     is a new incarnation: the capture has one connection per incarnation, each
//     compared with the simulated states from that active open on.
//  6. A connection reopened on the same addresses and ports (Linux: a new SYN
//     taking a server's TIME-WAIT straight to SYN-RECEIVED, time-wait-syn) is two
//     connections on the wire, as Wireshark splits them. The simulated sequences
//     are split at the new SYN: the first part is compared with the first
//     captured connection, the rest with the second, which starts as every
//     captured connection does (the SYN's sender CLOSED, its peer LISTEN).
// Everything else - including dropped segments, which writeTracePcap writes as a
// sniffer next to the sender sees them - must round-trip exactly.
#include "capture/analyzer.h"
#include "capture/trace_pcap.h"
#include "scenario/library.h"
#include "sim/simulator.h"

#include <algorithm>
#include <array>
#include <filesystem>
#include <gtest/gtest.h>
#include <optional>
#include <set>
#include <string>
#include <unistd.h>
#include <vector>

namespace tcpviz {
namespace {

bool wireVisible(ArcId a) {
    switch (a) {
    case ArcId::PassiveOpen:
    case ArcId::ListenClose:
    case ArcId::SynSentClose:
    case ArcId::TimeWaitTimeout:
    case ArcId::FinWait2Timeout:
    case ArcId::AbortListen:
    case ArcId::AbortSynSent:
    case ArcId::AbortTimeWait: // tcp_tw_reuse hands the port on: nothing on the wire
        return false;
    default:
        break;
    }
    return !(giveUpArc(arc(a).from) == a || userTimeoutArc(arc(a).from) == a ||
             a == ArcId::GiveUpSynReceivedListen || a == ArcId::RequestExpired);
}

std::string join(const std::vector<State>& states) {
    std::string out;
    for (const auto s : states) {
        out += (out.empty() ? "" : " ") + std::string(stateName(s));
    }
    return out;
}

// Rule 6: where a server's TIME-WAIT is reopened (the time-wait-syn arc is taken),
// the index of the new SYN's sender's transition that sends it (the trace puts a
// sender's transition just before its segment); trace.size() if nothing is reopened.
std::size_t secondIncarnation(const Trace& trace) {
    const bool reopened =
        std::any_of(trace.events().begin(), trace.events().end(), [](const TraceEvent& e) {
            return e.kind == EventKind::Transition && e.arc == ArcId::TimeWaitSyn;
        });
    if (!reopened) {
        return trace.size();
    }
    std::optional<std::size_t> firstSyn;
    for (std::size_t i = 0; i < trace.size(); ++i) {
        const auto& e = trace.event(i);
        if (e.kind != EventKind::Send || e.segment.flags != flag::SYN || e.retransmission ||
            e.injected) {
            continue;
        }
        if (!firstSyn) {
            firstSyn = i;
        } else if (e.endpoint == trace.event(*firstSyn).endpoint &&
                   e.segment.seq != trace.event(*firstSyn).segment.seq) {
            std::size_t at = i;
            while (at > 0 && trace.event(at - 1).kind == EventKind::Transition &&
                   trace.event(at - 1).endpoint == e.endpoint) {
                --at;
            }
            return at;
        }
    }
    return trace.size();
}

// The simulated sequence as a sniffer can know it (rules 1, 2 and 5 above), from
// event `begin` (starting in `initial`) to event `end`.
std::vector<State> expectedStates(const Trace& trace, Side side, std::size_t begin, std::size_t end,
                                  State initial) {
    std::vector<State> out{initial};
    for (std::size_t i = begin; i < end; ++i) {
        const auto& e = trace.event(i);
        if (e.kind != EventKind::Transition || e.endpoint != side) {
            continue;
        }
        if (e.arc == ArcId::PassiveOpen && out.size() == 1) {
            out.back() = State::Listen; // rule 1
            continue;
        }
        if (!wireVisible(e.arc)) {
            break; // rule 2
        }
        out.push_back(e.to);
    }
    return out;
}

// Rule 5: the states of each incarnation of a scenario whose client opens more
// than once, as a sniffer sees them: each starts CLOSED (client) and LISTEN
// (server) and follows the transitions until the client's next active open.
// A server that is not listening when the incarnation's SYN arrives answers
// with RST: the sniffer sees it CLOSED, not LISTEN (a restarted server whose
// bind() failed, server-restart-reuseaddr).
std::vector<std::array<std::vector<State>, 2>> incarnationStates(const Trace& trace) {
    std::vector<std::array<std::vector<State>, 2>> out;
    State server = trace.initial().of(Side::Server).state;
    bool synPending = false;
    for (const auto& e : trace.events()) {
        if (synPending && e.kind == EventKind::Arrive && e.endpoint == Side::Server &&
            e.segment.has(flag::SYN)) {
            synPending = false;
            if (server == State::Closed) {
                out.back().at(1).front() = State::Closed;
            }
        }
        if (e.kind != EventKind::Transition) {
            continue;
        }
        if (e.endpoint == Side::Server) {
            server = e.to;
        }
        if (e.endpoint == Side::Client && e.arc == ArcId::ActiveOpen) {
            out.push_back({std::vector<State>{State::Closed}, std::vector<State>{State::Listen}});
            synPending = true;
        }
        if (!out.empty() && wireVisible(e.arc)) {
            out.back().at(e.endpoint == Side::Client ? 0 : 1).push_back(e.to);
        }
    }
    return out;
}

// Rule 4: a RST in the side's name that its connection did not send as an ABORT:
// injected by the scenario, or sent by the side's TCP after the connection was gone.
bool rstNotFromItsConnection(const Trace& trace, Side side) {
    State state = trace.initial().of(side).state;
    for (const auto& e : trace.events()) {
        if (e.kind == EventKind::Transition && e.endpoint == side) {
            state = e.to;
        }
        if (e.kind == EventKind::Send && e.endpoint == side && (e.segment.flags & flag::RST) != 0 &&
            (e.injected || state == State::Closed)) {
            return true;
        }
    }
    return false;
}

std::vector<State> analysedStates(const ConnectionSummary& c, Side side) {
    std::vector<State> out;
    for (const auto& e : c.states(side)) {
        out.push_back(e.state);
    }
    return out;
}

TEST(RoundTrip, EveryBuiltinScenarioGivesBackItsStates) {
    const auto& scenarios = builtinScenarios();
    ASSERT_FALSE(scenarios.empty());
    const auto dir =
        std::filesystem::temp_directory_path() / ("tcpviz-roundtrip-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    for (const auto& scenario : scenarios) {
        SCOPED_TRACE(scenario.id);
        const Trace trace = simulate(scenario);
        const auto pcap = (dir / (scenario.id + ".pcap")).string();
        const Status written = writeTracePcap(trace, pcap);
        ASSERT_TRUE(written) << written.error().toString();
        const Result<AnalysisResult> analysis = analyzeCapture(pcap, {});
        ASSERT_TRUE(analysis) << analysis.error().toString();
        const AnalysisResult& result = *analysis;
        EXPECT_TRUE(result.info.errors.empty());
        // One simulated connection is one captured connection: nothing is split off
        // as a new incarnation or left over. Rule 5: a lesson that reconnects on the
        // same ports is one captured connection per incarnation (Wireshark's rule).
        const std::size_t reopen = secondIncarnation(trace);
        const auto incarnations = incarnationStates(trace);
        if (reopen == trace.size() && incarnations.size() > 1) { // rule 5
            ASSERT_EQ(result.connections.size(), incarnations.size());
            for (std::size_t k = 0; k < incarnations.size(); ++k) {
                SCOPED_TRACE("incarnation " + std::to_string(k + 1));
                const ConnectionSummary& c = result.connections.at(k);
                EXPECT_EQ(join(analysedStates(c, Side::Client)), join(incarnations[k][0]));
                EXPECT_EQ(join(analysedStates(c, Side::Server)), join(incarnations[k][1]));
            }
            continue;
        }
        // Rule 6: a server in TIME-WAIT reopened by a new SYN is two captured connections.
        ASSERT_EQ(result.connections.size(), reopen == trace.size() ? 1U : 2U);
        for (std::size_t n = 0; n < result.connections.size(); ++n) {
            const ConnectionSummary& c = result.connections[n];
            SCOPED_TRACE("captured connection " + std::to_string(n + 1));
            EXPECT_EQ(c.tracker.inferenceAnomalies(), 0U);
            for (const Side side : {Side::Client, Side::Server}) {
                SCOPED_TRACE(std::string(sideName(side)));
                const bool scripted =
                    side == Side::Client ? scenario.client.scripted : scenario.server.scripted;
                if (scripted) {
                    continue; // rule 3
                }
                // The tracker names the side that sent the first SYN "client"; so does the
                // simulator.
                const Side analysedSide =
                    c.client() == trace.meta.client.address ? side : peer(side);
                const State reopenedAs =
                    side == trace.event(std::min(reopen, trace.size() - 1)).endpoint
                        ? State::Closed
                        : State::Listen;
                const auto expected =
                    n == 0 ? expectedStates(trace, side, 0, reopen, trace.initial().of(side).state)
                           : expectedStates(trace, side, reopen, trace.size(), reopenedAs);
                auto analysed = analysedStates(c, analysedSide);
                if (rstNotFromItsConnection(trace, side) &&
                    analysed.size() == expected.size() + 1 && analysed.back() == State::Closed &&
                    expected.back() != State::Closed) {
                    analysed.pop_back(); // rule 4
                }
                EXPECT_EQ(join(analysed), join(expected));
            }
        }
    }
    std::filesystem::remove_all(dir);
}

} // namespace
} // namespace tcpviz
