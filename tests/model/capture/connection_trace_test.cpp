// A captured connection's Trace: each packet sent at its estimated send time and
// arriving at its estimated arrival time, checked against the simulator's truth
// (a lesson played over a known path, recorded by a sniffer at a known place), and
// what the Trace says about a capture that shows one direction or lost its start.
#include "capture/analyzer.h"
#include "capture/connection_trace.h"
#include "capture/passive_tracker.h"
#include "capture/trace_pcap.h"
#include "capture/wire.h"
#include "narration/narrator.h"
#include "scenario/library.h"
#include "sim/simulator.h"
#include "tcp/seq.h"

#include <algorithm>
#include <cstdlib>
#include <gtest/gtest.h>
#include <map>
#include <string>
#include <tuple>
#include <vector>

namespace tcpviz {
namespace {

/// Every Transition starts in the state its side is in at that position, and
/// time never runs backwards: the Trace can be stepped like a simulation.
void expectConsistent(const Trace& t) {
    for (std::size_t i = 0; i < t.size(); ++i) {
        const TraceEvent& e = t.event(i);
        if (i > 0) {
            EXPECT_LE(t.event(i - 1).timeUs, e.timeUs) << "event " << i;
        }
        if (e.kind == EventKind::Transition) {
            EXPECT_EQ(t.stateAt(e.endpoint, i), e.from) << "event " << i;
        }
    }
}

using SegmentKey = std::tuple<Side, std::uint8_t, std::uint32_t, std::uint32_t, std::uint32_t>;
SegmentKey keyOf(const TraceEvent& e) {
    return {e.endpoint, e.segment.flags, e.segment.seq, e.segment.ack, e.segment.len};
}

// A sniffer at a known place on a symmetric path: the handshake split is then
// exact, and each captured packet's estimated send and arrival are the simulator's.
TEST(ConnectionTrace, PacketsAreSentAndArriveAtTheSimulatedTimes) {
    constexpr std::int64_t kOneWayUs = 30'000;
    constexpr std::int64_t kToleranceUs = 2;
    int lessons = 0;
    for (Scenario scenario : builtinScenarios()) {
        if (scenario.client.scripted || scenario.server.scripted) {
            continue;
        }
        scenario.network.clientToServerUs = kOneWayUs;
        scenario.network.serverToClientUs = kOneWayUs;
        const Trace truth = simulate(scenario);
        if (std::any_of(truth.events().begin(), truth.events().end(),
                        [](const TraceEvent& e) { return e.injected || e.duplicate; })) {
            continue; // not on the path / two identical copies: no one-to-one truth
        }
        // The truth of each segment: when it was sent and when it arrived.
        std::map<SegmentKey, std::vector<std::pair<std::int64_t, std::int64_t>>> sent;
        std::map<std::uint32_t, std::int64_t> arrivedAt;
        for (const TraceEvent& e : truth.events()) {
            if (e.kind == EventKind::Arrive) {
                arrivedAt[e.segmentId] = e.timeUs;
            }
        }
        for (const TraceEvent& e : truth.events()) {
            if (e.kind == EventKind::Send) {
                const auto it = arrivedAt.find(e.segmentId);
                sent[keyOf(e)].emplace_back(e.timeUs, it == arrivedAt.end() ? -1 : it->second);
            }
        }
        for (const double tap : {0.0, 0.25, 0.5, 1.0}) {
            SCOPED_TRACE(scenario.id + " tap " + std::to_string(tap));
            const std::vector<DecodedPacket> packets = tracePackets(truth, tap);
            const Trace t = buildConnectionTrace(packets, "tap");
            if (t.meta.capture.basis != DelayBasis::Handshake) {
                continue;
            }
            ++lessons;
            EXPECT_EQ(t.meta.capture.source, "tap");
            EXPECT_NEAR(static_cast<double>(t.meta.capture.clientUs), tap * kOneWayUs, 2.0);
            EXPECT_NEAR(static_cast<double>(t.meta.capture.serverUs), (1.0 - tap) * kOneWayUs, 2.0);
            expectConsistent(t);
            // Estimated times back on the simulation's clock (tracePackets' time 0).
            const std::int64_t shiftUs = t.meta.captureStartNs / 1000;
            auto remaining = sent;
            std::map<std::uint32_t, std::int64_t> estimatedArrival;
            for (const TraceEvent& e : t.events()) {
                if (e.kind == EventKind::Arrive) {
                    estimatedArrival[e.segmentId] = e.timeUs + shiftUs;
                }
            }
            for (const TraceEvent& e : t.events()) {
                if (e.kind != EventKind::Send) {
                    continue;
                }
                // A copy lost before the tap was never captured: of the copies of this
                // segment (a retransmission repeats it), the one sent nearest in time.
                auto& copies = remaining[keyOf(e)];
                ASSERT_FALSE(copies.empty()) << "packet " << e.packet;
                const std::int64_t estimatedUs = e.timeUs + shiftUs;
                const auto nearest = std::min_element(
                    copies.begin(), copies.end(), [estimatedUs](const auto& a, const auto& b) {
                        return std::abs(a.first - estimatedUs) < std::abs(b.first - estimatedUs);
                    });
                const auto [sendUs, arriveUs] = *nearest;
                copies.erase(nearest);
                EXPECT_NEAR(static_cast<double>(estimatedUs), static_cast<double>(sendUs),
                            kToleranceUs)
                    << "packet " << e.packet << " sent";
                EXPECT_EQ(e.plannedArrivalUs + shiftUs, estimatedArrival[e.segmentId]);
                if (arriveUs >= 0) {
                    EXPECT_NEAR(static_cast<double>(estimatedArrival[e.segmentId]),
                                static_cast<double>(arriveUs), kToleranceUs)
                        << "packet " << e.packet << " arrived";
                }
                // The capture time lies between sending and arriving, where the tap is.
                const double fromSender = e.endpoint == Side::Client ? tap : 1.0 - tap;
                EXPECT_NEAR(static_cast<double>(e.capturedUs - e.timeUs),
                            fromSender * static_cast<double>(kOneWayUs), kToleranceUs);
            }
        }
    }
    EXPECT_GT(lessons, 60) << "most lessons give a handshake estimate at every tap";
}

TEST(ConnectionTrace, WithoutAnEstimateEverythingHappensAtItsCaptureTime) {
    Wire w; // one direction, mid-stream: nothing to estimate a delay from
    w.send(Side::Server, "PSH,ACK", 300, 100, 10);
    w.send(Side::Server, "PSH,ACK", 310, 100, 10);
    w.send(Side::Server, "FIN,ACK", 320, 100);
    const Trace t = buildConnectionTrace(w.packets());
    EXPECT_EQ(t.meta.capture.basis, DelayBasis::None);
    EXPECT_EQ(t.meta.captureStartNs, w.packets().front().timeNs);
    std::size_t arrivals = 0;
    for (const TraceEvent& e : t.events()) {
        if (e.kind == EventKind::Send) {
            EXPECT_EQ(e.timeUs, e.capturedUs);
            EXPECT_EQ(e.plannedArrivalUs, e.capturedUs);
        } else if (e.kind == EventKind::Arrive) {
            EXPECT_EQ(e.timeUs, e.capturedUs);
            ++arrivals;
        }
    }
    EXPECT_EQ(arrivals, 3U);
    expectConsistent(t);
}

// A host that answers faster than the handshake's round trip: the estimate alone
// would have the server send its FIN (ESTABLISHED -> FIN-WAIT-1) before the ACK that
// made it ESTABLISHED arrived. The capture proves the order; the Trace keeps it.
TEST(ConnectionTrace, EachSideKeepsTheOrderTheCaptureProves) {
    Wire w;
    handshakeAndData(w);
    std::vector<DecodedPacket> packets(w.packets().begin(), w.packets().begin() + 3);
    const std::int64_t t0 = packets[0].timeNs;
    packets[1].timeNs = t0 + 20'000'000; // 10 ms to each end
    packets[2].timeNs = t0 + 40'000'000;
    DecodedPacket fin = w.packets()[4];
    fin.number = 4;
    fin.tcp.flags = flag::FIN | flag::ACK;
    fin.tcp.len = 0;
    fin.tcp.ack = 101;
    fin.timeNs = t0 + 45'000'000; // 5 ms after the ACK passed: sent 5 ms before it arrived
    packets.push_back(fin);
    const Trace t = buildConnectionTrace(packets);
    ASSERT_EQ(t.meta.capture.basis, DelayBasis::Handshake);
    EXPECT_EQ(t.meta.capture.serverUs, 10'000);
    expectConsistent(t);
    const auto states = t.states(Side::Server);
    ASSERT_EQ(states.size(), 4U);
    EXPECT_EQ(states[2].state, State::Established);
    EXPECT_EQ(states[3].state, State::FinWait1);
    EXPECT_EQ(t.event(states[3].event).timeUs, t.event(states[2].event).timeUs)
        << "the FIN leaves when the ACK has arrived, not before";
}

// Real captures: a host's ACK may be captured sooner after the data than twice
// its estimated delay (the corpus' HTTP sessions answer within about 100 us of a
// 57 us estimate). The acknowledgment still leaves after the data has arrived.
TEST(ConnectionTrace, AnAcknowledgmentLeavesAfterWhatItAcknowledgesArrived) {
    const std::string file = TCPVIZ_CORPUS_DIR "/pcpp_three_http_streams.pcap";
    const Result<AnalysisResult> analysed = analyzeCapture(file, {});
    ASSERT_TRUE(analysed) << analysed.error().toString();
    ASSERT_EQ(analysed->connections.size(), 3U);
    std::size_t acks = 0;
    for (const ConnectionSummary& c : analysed->connections) {
        const Result<std::vector<DecodedPacket>> packets = collectConnectionPackets(file, {}, c);
        ASSERT_TRUE(packets) << packets.error().toString();
        const Trace t = buildConnectionTrace(*packets);
        ASSERT_EQ(t.meta.capture.basis, DelayBasis::Handshake);
        expectConsistent(t);
        for (const TraceEvent& send : t.events()) {
            if (send.kind != EventKind::Send || !send.segment.has(flag::ACK)) {
                continue;
            }
            for (const TraceEvent& arrive : t.events()) {
                if (arrive.kind == EventKind::Arrive && arrive.endpoint == send.endpoint &&
                    arrive.segment.seqLen() > 0 &&
                    seqGe(send.segment.ack, arrive.segment.seq + arrive.segment.seqLen())) {
                    EXPECT_LE(arrive.timeUs, send.timeUs)
                        << "packet " << send.packet << " acknowledges packet " << arrive.packet;
                    ++acks;
                }
            }
        }
    }
    EXPECT_GT(acks, 10U);
}

TEST(ConnectionTrace, SaysWhenTheCaptureShowsOneDirectionOnly) {
    Wire w;
    w.send(Side::Client, "SYN", 100, 0);
    w.send(Side::Client, "ACK", 101, 301); // the server's SYN,ACK went another way
    w.send(Side::Client, "PSH,ACK", 101, 301, 20);
    const Trace t = buildConnectionTrace(w.packets());
    EXPECT_TRUE(t.meta.capture.oneDirection());
    EXPECT_TRUE(t.meta.capture.sawSide(Side::Client));
    EXPECT_FALSE(t.meta.capture.sawSide(Side::Server));
    EXPECT_FALSE(t.meta.capture.startLost);

    Wire both;
    handshakeAndData(both);
    const Trace whole = buildConnectionTrace(both.packets());
    EXPECT_FALSE(whole.meta.capture.oneDirection());
    EXPECT_FALSE(whole.meta.capture.startLost);
}

// A side never seen has no sequence number of its own in the capture: its ISN is
// where the seen side's first ACK says, so relative numbers start near 0 (before,
// 0 was taken as its ISN and a relative ACK read -804106011).
TEST(ConnectionTrace, AnUnseenSidesIsnComesFromThePeersAck) {
    Wire w;
    w.send(Side::Server, "PSH,ACK", 5000, 3'490'861'286U, 100);
    w.send(Side::Server, "PSH,ACK", 5100, 3'490'861'286U, 100);
    const Trace t = buildConnectionTrace(w.packets());
    ASSERT_FALSE(t.meta.capture.sawSide(Side::Client));
    EXPECT_EQ(t.meta.client.isn, 3'490'861'285U);
    EXPECT_EQ(t.meta.server.isn, 4999U);
}

TEST(ConnectionTrace, SaysWhenTheCaptureLostTheStart) {
    Wire w;
    w.send(Side::Client, "PSH,ACK", 101, 301, 4);
    w.send(Side::Server, "ACK", 301, 105);
    const Trace t = buildConnectionTrace(w.packets());
    EXPECT_TRUE(t.meta.capture.startLost);
    EXPECT_FALSE(t.meta.capture.oneDirection());
}

// The narration says what the capture does not show, before the states rest on it.
TEST(ConnectionTrace, TheNarrationSaysWhatTheCaptureDoesNotShow) {
    Wire oneWay;
    oneWay.send(Side::Client, "SYN", 100, 0);
    oneWay.send(Side::Client, "ACK", 101, 301);
    const LocalizedText clientOnly = captureCaveat(buildConnectionTrace(oneWay.packets()));
    EXPECT_NE(clientOnly.en.find("Only the client's packets were captured"), std::string::npos)
        << clientOnly.en;
    EXPECT_NE(clientOnly.en.find("the server's states are inferred"), std::string::npos);
    EXPECT_NE(clientOnly.zh.find("只抓到了客户端发送的分组"), std::string::npos) << clientOnly.zh;
    EXPECT_EQ(clientOnly.en.find("handshake"), std::string::npos) << "the start was captured";

    Wire late;
    late.send(Side::Server, "PSH,ACK", 301, 105, 4);
    const LocalizedText both = captureCaveat(buildConnectionTrace(late.packets()));
    EXPECT_NE(both.en.find("no SYN seen"), std::string::npos) << both.en;
    EXPECT_NE(both.en.find("Only the server's packets"), std::string::npos) << both.en;
    EXPECT_NE(both.zh.find("没有看到 SYN"), std::string::npos) << both.zh;

    Wire whole;
    handshakeAndData(whole);
    EXPECT_TRUE(captureCaveat(buildConnectionTrace(whole.packets())).en.empty());
    const auto lecture = findBuiltinScenario("lecture");
    ASSERT_TRUE(lecture.has_value());
    EXPECT_TRUE(captureCaveat(simulate(*lecture)).en.empty()) << "a simulation shows everything";
}

// A captured host's answer comes at its own estimated moment, not at the instant
// the segment arrives: a refused SYN is answered, not met by a scripted silence.
TEST(ConnectionTrace, TheNarrationDoesNotCallACapturedHostThatAnsweredLaterSilent) {
    Wire w;
    w.send(Side::Client, "SYN", 100, 0);
    w.send(Side::Server, "RST,ACK", 0, 101);
    const Trace t = buildConnectionTrace(w.packets());
    ASSERT_EQ(t.initial().of(Side::Server).state, State::Closed);
    std::size_t told = 0;
    for (std::size_t i = 0; i < t.size(); ++i) {
        if (t.event(i).kind == EventKind::Arrive && t.event(i).endpoint == Side::Server) {
            const LocalizedText text = narrate(t, i);
            EXPECT_EQ(text.en.find("scripted"), std::string::npos) << text.en;
            EXPECT_EQ(text.en.find("Nothing answers"), std::string::npos) << text.en;
            ++told;
        }
    }
    EXPECT_EQ(told, 1U);
}

TEST(PassiveTracker, KnowsWhichSidesItHasSeen) {
    Wire w;
    PassiveTracker tracker;
    EXPECT_FALSE(tracker.oneDirection()) << "nothing seen is not one direction";
    tracker.onPacket(w.send(Side::Server, "PSH,ACK", 300, 100, 10));
    EXPECT_TRUE(tracker.seen(Side::Server));
    EXPECT_FALSE(tracker.seen(Side::Client));
    EXPECT_TRUE(tracker.oneDirection());
    tracker.onPacket(w.send(Side::Server, "PSH,ACK", 310, 100, 10));
    EXPECT_TRUE(tracker.oneDirection());
    tracker.onPacket(w.send(Side::Client, "ACK", 100, 320));
    EXPECT_TRUE(tracker.seen(Side::Client));
    EXPECT_FALSE(tracker.oneDirection());
}

} // namespace
} // namespace tcpviz
