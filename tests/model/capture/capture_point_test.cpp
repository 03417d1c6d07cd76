// The capture point estimate, checked against the simulator's truth: every
// built-in lesson played over an asymmetric path (20 ms client -> server, 80 ms
// back), written as a sniffer at 0, 1/4, 1/2 and all of the way along the path
// would record it, analysed, and the estimated one-way delays compared with where
// the sniffer really was.
#include "capture/analyzer.h"
#include "capture/capture_point.h"
#include "capture/trace_pcap.h"
#include "scenario/library.h"
#include "sim/simulator.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <gtest/gtest.h>
#include <string>
#include <unistd.h>

namespace tcpviz {
namespace {

bool hasCompleteHandshake(const Trace& trace) {
    bool synAck = false;
    for (const auto& e : trace.events()) {
        if (e.kind == EventKind::Send && e.endpoint == Side::Server &&
            e.segment.flags == (flag::SYN | flag::ACK)) {
            synAck = true;
        }
        if (synAck && e.kind == EventKind::Arrive && e.endpoint == Side::Server &&
            e.segment.has(flag::ACK) && !e.segment.has(flag::SYN) && !e.segment.has(flag::RST)) {
            return true;
        }
    }
    return false;
}

TEST(CapturePoint, EstimatesMatchTheSimulatedTapOnEveryLesson) {
    constexpr std::int64_t kToServerUs = 20'000;
    constexpr std::int64_t kToClientUs = 80'000;
    const auto dir = std::filesystem::temp_directory_path() /
                     ("tcpviz-capture-point-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    int estimated = 0;
    for (Scenario scenario : builtinScenarios()) {
        if (scenario.client.scripted || scenario.server.scripted) {
            continue; // a scripted side has no TCP timing to estimate
        }
        scenario.network.clientToServerUs = kToServerUs;
        scenario.network.serverToClientUs = kToClientUs;
        const Trace trace = simulate(scenario);
        if (std::any_of(trace.events().begin(), trace.events().end(),
                        [](const TraceEvent& e) { return e.injected; })) {
            continue; // an injected segment appears at its target, not on the path
        }
        const bool handshake = hasCompleteHandshake(trace);
        for (const double tap : {0.0, 0.25, 0.5, 1.0}) {
            SCOPED_TRACE(scenario.id + " tap " + std::to_string(tap));
            const auto pcap = (dir / (scenario.id + ".pcap")).string();
            const Status written = writeTracePcap(trace, pcap, tap);
            ASSERT_TRUE(written) << written.error().toString();
            const Result<AnalysisResult> analysed = analyzeCapture(pcap, {});
            ASSERT_TRUE(analysed) << analysed.error().toString();
            const AnalysisResult& result = *analysed;
            if (result.connections.empty()) {
                continue; // every segment was lost before the tap (syn-retries-linux at 1/2)
            }
            // The connection with the handshake: a lesson whose first connect() is
            // refused (server-restart-reuseaddr) has it in its second.
            const auto shook = std::find_if(
                result.connections.begin(), result.connections.end(), [](const auto& c) {
                    const auto& states = c.states(Side::Client);
                    return std::any_of(states.begin(), states.end(), [](const auto& entry) {
                        return entry.state == State::Established;
                    });
                });
            const CapturePoint p =
                (shook != result.connections.end() ? *shook : result.connections.front())
                    .capturePoint.estimate();
            if (handshake && tap < 0.5) {
                // With the tap on the client's half every handshake segment passes it
                // (a lost one is lost half-way, beyond the tap).
                EXPECT_EQ(p.basis, CapturePoint::Basis::Handshake);
            }
            if (p.basis == CapturePoint::Basis::None) {
                continue;
            }
            ++estimated;
            // The handshake split halves each round trip: the truth it can see is
            // the mean of the two directions' delays between the tap and each end.
            const double meanUs = (kToServerUs + kToClientUs) / 2.0;
            const double clientTruthUs = tap * meanUs;
            const double serverTruthUs = (1.0 - tap) * meanUs;
            const auto close = [](double estimate, double truth) {
                return std::abs(estimate - truth) <= std::max(200.0, 0.1 * truth);
            };
            EXPECT_TRUE(close(static_cast<double>(p.clientNs) / 1000.0, clientTruthUs))
                << "client " << p.clientNs / 1000 << " us, truth " << clientTruthUs << " us, basis "
                << basisName(p.basis);
            EXPECT_TRUE(close(static_cast<double>(p.serverNs) / 1000.0, serverTruthUs))
                << "server " << p.serverNs / 1000 << " us, truth " << serverTruthUs << " us, basis "
                << basisName(p.basis);
        }
    }
    EXPECT_GT(estimated, 60) << "most lessons give an estimate at most taps";
    std::filesystem::remove_all(dir);
}

TEST(CapturePoint, DataBasisWhenTheHandshakeWasNotCaptured) {
    CapturePointEstimator e;
    // Mid-stream: client data at 0, server's ACK 30 ms later (the server is 15 ms
    // away); server data at 40 ms, client's ACK 10 ms later (the client is 5 ms away).
    Segment c;
    c.flags = flag::PSH | flag::ACK;
    c.seq = 1000;
    c.ack = 5000;
    c.len = 100;
    e.onPacket(Side::Client, c, 0);
    Segment s;
    s.flags = flag::ACK;
    s.seq = 5000;
    s.ack = 1100;
    e.onPacket(Side::Server, s, 30'000'000);
    s.flags = flag::PSH | flag::ACK;
    s.len = 50;
    e.onPacket(Side::Server, s, 40'000'000);
    c.flags = flag::ACK;
    c.seq = 1100;
    c.ack = 5050;
    c.len = 0;
    e.onPacket(Side::Client, c, 50'000'000);
    const CapturePoint p = e.estimate();
    EXPECT_EQ(p.basis, CapturePoint::Basis::Data);
    EXPECT_EQ(p.serverNs, 15'000'000);
    EXPECT_EQ(p.clientNs, 5'000'000);
    // A retransmission's ACK is never a sample (Karn): it could answer either copy.
    CapturePointEstimator k;
    c.flags = flag::PSH | flag::ACK;
    c.seq = 1000;
    c.ack = 5000;
    c.len = 100;
    k.onPacket(Side::Client, c, 0);
    k.onPacket(Side::Client, c, 1'000'000'000); // retransmitted after 1 s
    s.flags = flag::ACK;
    s.len = 0;
    s.ack = 1100;
    k.onPacket(Side::Server, s, 1'001'000'000);
    EXPECT_EQ(k.estimate().basis, CapturePoint::Basis::None);
}

} // namespace
} // namespace tcpviz
