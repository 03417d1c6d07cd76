// A multi-connection simulation as the many-connection document the window shows:
// its timeline must count what the simulation counted, its connections and Traces
// must be the simulation's, and its packets those `simulate --pcap` writes.
#include "capture/analyzer.h"
#include "capture/capture_reader.h"
#include "capture/trace_pcap.h"
#include "replay/simulation_document.h"
#include "scenario/scenario.h"
#include "sim/host_simulator.h"

#include <filesystem>
#include <gtest/gtest.h>
#include <string>
#include <unistd.h>

namespace tcpviz {
namespace {

Scenario parseFile(const std::string& path) {
    auto sc = parseScenarioFile(path);
    EXPECT_TRUE(sc.has_value()) << (sc ? "" : sc.error().toString());
    return sc ? *sc : Scenario{};
}

Scenario parseText(const std::string& yaml) {
    auto sc = parseScenarioText(yaml, "crowd.yaml");
    EXPECT_TRUE(sc.has_value()) << (sc ? "" : sc.error().toString());
    return sc ? *sc : Scenario{};
}

std::vector<Scenario> crowds() {
    std::vector<Scenario> out;
    out.push_back(parseFile(std::string(TCPVIZ_SCENARIO_DIR) + "/syn-flood.yaml"));
    // A restarted server: the listener closes and opens again, TIME-WAIT on the server.
    out.push_back(parseText("profile: linux\n"
                            "server: {address: \"192.168.0.1:80\", reuseaddr: true}\n"
                            "steps:\n"
                            "  - {at: 0ms, server: listen}\n"
                            "  - {at: 1s, server: close}\n"
                            "  - {at: 2s, server: listen}\n"
                            "  - {at: 3s, client: connect}\n"
                            "load:\n"
                            "  - {at: 0ms, count: 3, from: \"10.0.0.0/29\", "
                            "behaviour: connect-hold}\n"));
    // CLOSE-WAIT leak and short connections that run out of ports.
    out.push_back(parseText("profile: linux\n"
                            "app: {close: never}\n"
                            "sysctls: {ip_local_port_range: [40000, 40003]}\n"
                            "steps:\n  - {at: 0ms, server: listen}\n"
                            "load:\n"
                            "  - {count: 6, rate: 10/s, from: \"10.1.0.1\", "
                            "behaviour: connect-close}\n"));
    return out;
}

TEST(SimulationDocument, TimelineCountsWhatTheSimulationCounted) {
    for (const Scenario& sc : crowds()) {
        const HostSimulation sim = simulateHosts(sc);
        ASSERT_FALSE(sim.counts.empty()) << sc.id;
        const CaptureDocument doc = simulationDocument(sim, sc);
        EXPECT_TRUE(doc.isSimulation());
        ASSERT_EQ(doc.connections().size(), sim.connections.size()) << sc.id;
        ASSERT_EQ(doc.named(), sim.named);
        EXPECT_EQ(doc.originNs(), 0);
        // At every change, and just before the next one, the document's timeline
        // holds the simulation's counts, state by state, client and server apart.
        for (std::size_t i = 0; i < sim.counts.size(); ++i) {
            const StateCounts& want = sim.counts[i];
            std::vector<std::int64_t> times{want.timeUs};
            if (i + 1 < sim.counts.size()) {
                times.push_back(sim.counts[i + 1].timeUs - 1);
            }
            for (const std::int64_t t : times) {
                const StateTimeline::SideCounts got = doc.timeline().sideCountsAt(t * 1000);
                for (const State s : kAllStates) {
                    EXPECT_EQ(got[0].at(index(s)), want.client.at(index(s)))
                        << sc.id << " client " << stateName(s) << " at " << t << " us";
                    EXPECT_EQ(got[1].at(index(s)), want.server.at(index(s)))
                        << sc.id << " server " << stateName(s) << " at " << t << " us";
                }
                // The heat map's sum of both sides, through the document's own time.
                const auto both = doc.countsAt(t);
                EXPECT_EQ(both.at(index(State::Established)),
                          want.client.at(index(State::Established)) +
                              want.server.at(index(State::Established)));
            }
        }
        EXPECT_EQ(doc.endUs() * 1000, doc.timeline().endNs());
    }
}

TEST(SimulationDocument, AnExpiredRequestReadsClosedOnTheServer) {
    // syn-flood: the forged SYNs that got a request socket end with the request
    // freed: the table's server state is CLOSED from then on, not LISTEN (the
    // listener is a socket of its own), and the timeline counts none of them.
    const Scenario sc = crowds().front();
    ASSERT_EQ(sc.id, "syn-flood");
    const HostSimulation sim = simulateHosts(sc);
    const CaptureDocument doc = simulationDocument(sim, sc);
    int requests = 0;
    for (std::size_t i = 0; i < sim.connections.size(); ++i) {
        if (!sim.connections[i].spoofed) {
            continue;
        }
        const ConnectionSummary& c = doc.connections()[i];
        bool requested = false;
        for (const CapturedStateEntry& e : c.states(Side::Server)) {
            requested = requested || e.state == State::SynReceived;
        }
        if (!requested) {
            continue;
        }
        ++requests;
        EXPECT_EQ(c.finalState(Side::Server), State::Closed) << i;
        EXPECT_EQ(c.stateAt(Side::Server, c.lastTimeNs + 1), State::Closed) << i;
    }
    EXPECT_GE(requests, 9);
    const StateTimeline::SideCounts end = doc.timeline().sideCountsAt(doc.timeline().endNs());
    EXPECT_EQ(end[1].at(index(State::SynReceived)), 0U);
    EXPECT_EQ(end[1].at(index(State::Listen)), 1U);
}

TEST(SimulationDocument, ConnectionsAreTheSimulationsWithTheirTracesAndPackets) {
    const Scenario sc = crowds().front();
    const HostSimulation sim = simulateHosts(sc);
    CaptureDocument doc = simulationDocument(sim, sc);
    std::uint64_t packets = 0;
    for (std::size_t i = 0; i < sim.connections.size(); ++i) {
        const Trace& want = sim.connections[i].trace;
        const ConnectionSummary& c = doc.connections()[i];
        EXPECT_EQ(c.client().toString(), want.meta.client.address.toString()) << i;
        EXPECT_EQ(c.server().toString(), want.meta.server.address.toString()) << i;
        EXPECT_EQ(c.finalState(Side::Client), want.stateAt(Side::Client, want.size())) << i;
        EXPECT_EQ(c.finalState(Side::Server), want.stateAt(Side::Server, want.size())) << i;
        const Result<const Trace*> trace = doc.connectionTrace(i);
        ASSERT_TRUE(trace);
        EXPECT_EQ((*trace)->size(), want.size()) << i;
        std::size_t sends = 0;
        for (const TraceEvent& e : want.events()) {
            sends += e.kind == EventKind::Send ? 1 : 0;
        }
        const Result<std::vector<DecodedPacket>> own = doc.connectionPackets(i);
        ASSERT_TRUE(own);
        EXPECT_EQ(own->size(), sends) << i;
        EXPECT_EQ(c.packets(), sends) << i;
        packets += sends;
    }
    EXPECT_EQ(doc.info().tcpPackets, packets);
    // The named connection is the lesson's: its table row states follow its Trace
    // at any time (the table's "state at the cursor" filter reads them).
    const std::size_t named = *doc.named();
    const Trace& lesson = sim.connections[named].trace;
    for (std::size_t p = 1; p <= lesson.size(); ++p) {
        const std::int64_t t = lesson.event(p - 1).timeUs * 1000;
        if (p < lesson.size() && lesson.event(p).timeUs * 1000 == t) {
            continue; // the state at a time is the one after the last event at it
        }
        EXPECT_EQ(doc.connections()[named].stateAt(Side::Client, t),
                  lesson.stateAt(Side::Client, p))
            << p;
    }
    // A filtered table counts only its connections: the named one alone is never
    // more than one socket a side (plus the listener).
    std::vector<bool> keep(doc.connections().size(), false);
    keep[named] = true;
    const StateTimeline one = doc.timelineOver(keep);
    const auto peak = doc.timeline().sideCountsAt(1'500'000'000);
    EXPECT_GT(peak[1].at(index(State::SynReceived)), 1U);
    EXPECT_EQ(one.sideCountsAt(1'500'000'000)[1].at(index(State::SynReceived)), 0U);
    EXPECT_EQ(one.sideCountsAt(1'500'000'000)[0].at(index(State::SynSent)), 1U);
    EXPECT_EQ(one.sideCountsAt(1'500'000'000)[1].at(index(State::Listen)), 1U);
}

TEST(SimulationDocument, SavedPcapIsEveryConnectionInTimeOrder) {
    const Scenario sc = crowds().front();
    const HostSimulation sim = simulateHosts(sc);
    const std::string path = (std::filesystem::temp_directory_path() /
                              ("tcpviz_simdoc_" + std::to_string(::getpid()) + ".pcap"))
                                 .string();
    std::vector<const Trace*> traces;
    std::size_t sends = 0;
    for (const HostConnection& c : sim.connections) {
        traces.push_back(&c.trace);
        for (const TraceEvent& e : c.trace.events()) {
            sends += e.kind == EventKind::Send ? 1 : 0;
        }
    }
    ASSERT_TRUE(writeTracesPcap(traces, path));
    std::vector<DecodedPacket> read;
    CaptureInfo info;
    ASSERT_TRUE(readCapture(
        path, {}, [&](const DecodedPacket& p) { read.push_back(p); }, info));
    std::filesystem::remove(path);
    ASSERT_EQ(read.size(), sends);
    for (std::size_t i = 1; i < read.size(); ++i) {
        EXPECT_LE(read[i - 1].timeNs, read[i].timeNs) << "frame " << i + 1;
    }
    // The same packets, in the same order, as the document keeps (and tracesPackets gives).
    const std::vector<DecodedPacket> listed = tracesPackets(traces);
    ASSERT_EQ(listed.size(), read.size());
    for (std::size_t i = 0; i < read.size(); ++i) {
        EXPECT_EQ(listed[i].src, read[i].src) << i;
        EXPECT_EQ(listed[i].tcp.seq, read[i].tcp.seq) << i;
        EXPECT_EQ(listed[i].timeNs, read[i].timeNs) << i;
    }
    // Analysed back: one connection per client that sent anything (each spoofed
    // SYN's forged address, the named client).
    Analyzer analyzer;
    for (const DecodedPacket& p : read) {
        analyzer.add(p);
    }
    std::size_t sending = 0;
    for (const HostConnection& c : sim.connections) {
        sending += std::any_of(c.trace.events().begin(), c.trace.events().end(),
                               [](const TraceEvent& e) { return e.kind == EventKind::Send; })
                       ? 1
                       : 0;
    }
    EXPECT_EQ(analyzer.connections().size(), sending);
}

} // namespace
} // namespace tcpviz
