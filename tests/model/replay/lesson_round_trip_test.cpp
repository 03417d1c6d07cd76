// Every built-in lesson, simulated and written as a capture by a sniffer beside
// the client, must come back from that capture as a scenario that simulates to
// the same segments and states: the proof that scenarioFromCapture infers the
// calls and faults a lesson is written with.
#include "capture/analyzer.h"
#include "capture/connection_trace.h"
#include "capture/trace_pcap.h"
#include "replay/replay_check.h"
#include "scenario/library.h"
#include "sim/simulator.h"

#include <filesystem>
#include <gtest/gtest.h>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <unistd.h>
#include <vector>

namespace tcpviz {
namespace {

namespace fs = std::filesystem;

// Lessons that cannot come back from a capture beside the client, and why. The
// test fails when one of them round-trips after all (then it leaves the list).
const std::map<std::string, std::string>& knownExceptions() {
    // Segments no TCP endpoint sends in that state, written by hand in the lesson
    // (`inject`, `role: scripted`): the replay has two TCP endpoints driven by
    // calls, so it answers them as TCP would instead of repeating them.
    const std::string injected = "a scripted peer's injected segments";
    static const std::map<std::string, std::string> list{
        {"challenge-ack", injected},
        {"fin-wait-1-to-time-wait", injected},
        {"old-duplicate-syn", injected},
        {"rst-in-established", injected},
        {"syn-flood-half-open", injected},
        {"time-wait-assassination", injected},
        {"synack-retries-old-rto", injected},
        // A reconnect on the same addresses and ports is two connections on the
        // wire (Wireshark's rule); one captured connection replays one of them.
        {"linger-zero-old-duplicate", "a reconnect: two connections on the wire"},
        {"time-wait-reconnect", "a reconnect: two connections on the wire"},
        {"server-restart-reuseaddr", "a reconnect: two connections on the wire"},
        // What the wire cannot show: a timer setting and a silent give-up.
        {"time-wait-myths", "tcp_fin_timeout = 10 s is a setting, invisible on the wire"},
        {"network-failure", "the client gives up silently; the server's later RST after the "
                            "link failed reads as an application's abort"}};
    return list;
}

struct SimSegment {
    std::uint8_t flags = 0;
    std::uint32_t seq = 0;
    std::uint32_t ack = 0;
    std::uint32_t len = 0;
    bool operator==(const SimSegment&) const = default;
};

// Each side's segments as the simulator sent them (lost ones included),
// numbers relative to the side's SYN (raw for a side that sent none: its ISN
// appears nowhere, as in a RST refusing a connection).
std::array<std::vector<SimSegment>, 2> sentSegments(const Trace& t) {
    std::array<std::optional<std::uint32_t>, 2> isn;
    for (const TraceEvent& e : t.events()) {
        auto& mine = isn.at(static_cast<std::size_t>(e.endpoint));
        if (e.kind == EventKind::Send && e.segment.has(flag::SYN) && !mine) {
            mine = e.segment.seq;
        }
    }
    std::array<std::vector<SimSegment>, 2> out;
    for (const TraceEvent& e : t.events()) {
        if (e.kind != EventKind::Send) {
            continue;
        }
        const std::uint32_t mine = isn.at(static_cast<std::size_t>(e.endpoint)).value_or(0);
        const std::uint32_t theirs = isn.at(static_cast<std::size_t>(peer(e.endpoint))).value_or(0);
        out.at(static_cast<std::size_t>(e.endpoint))
            .push_back({e.segment.flags, e.segment.seq - mine,
                        e.segment.has(flag::ACK) ? e.segment.ack - theirs : 0, e.segment.len});
    }
    return out;
}

std::vector<State> statesOf(const Trace& t, Side side) {
    std::vector<State> out;
    for (const StateEntry& e : t.states(side)) {
        out.push_back(e.state);
    }
    return out;
}

// What goes wrong when `lesson` makes the round trip; empty when nothing does.
std::string roundTrip(const Scenario& lesson, const fs::path& dir) {
    const Trace original = simulate(lesson);
    const fs::path pcap = dir / (lesson.id + ".pcap");
    if (Status written = writeTracePcap(original, pcap.string(), 0.0); !written) {
        return "cannot write the capture: " + written.error().toString();
    }
    const Result<AnalysisResult> analysed = analyzeCapture(pcap.string(), {});
    if (!analysed) {
        return analysed.error().toString();
    }
    if (analysed->connections.size() != 1) {
        return "the capture holds " + std::to_string(analysed->connections.size()) + " connections";
    }
    const ConnectionSummary& c = analysed->connections.front();
    const Result<std::vector<DecodedPacket>> packets =
        collectConnectionPackets(pcap.string(), {}, c);
    if (!packets) {
        return packets.error().toString();
    }
    ScenarioFromCaptureOptions options;
    options.source = pcap.filename().string();
    const Result<ReplayResult> replay = bestReplay(*packets, c.capturePoint.estimate(), options);
    if (!replay) {
        return replay.error().toString();
    }
    if (!replay->exact()) {
        return "the replay's capture differs: " + replay->difference;
    }
    const Result<Scenario> parsed = parseScenarioText(replay->scenario.text, lesson.id + ".yaml");
    if (!parsed.has_value()) {
        return parsed.error().toString();
    }
    const Trace again = simulate(*parsed);
    const auto a = sentSegments(original);
    const auto b = sentSegments(again);
    for (const Side side : {Side::Client, Side::Server}) {
        if (a.at(static_cast<std::size_t>(side)) != b.at(static_cast<std::size_t>(side))) {
            return std::string(sideName(side)) + " sent other segments";
        }
        if (statesOf(original, side) != statesOf(again, side)) {
            return std::string(sideName(side)) + " went through other states";
        }
    }
    return {};
}

TEST(LessonRoundTrip, EveryLessonComesBackFromItsCaptureOrIsAKnownException) {
    const fs::path dir =
        fs::temp_directory_path() / ("tcpviz-round-trip-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    ASSERT_FALSE(builtinScenarios().empty());
    std::size_t same = 0;
    for (const Scenario& lesson : builtinScenarios()) {
        const std::string problem = roundTrip(lesson, dir);
        const auto known = knownExceptions().find(lesson.id);
        std::cout << lesson.id << ": " << (problem.empty() ? "round-trips" : problem) << '\n';
        if (known == knownExceptions().end()) {
            EXPECT_EQ(problem, "") << lesson.id;
        } else {
            EXPECT_NE(problem, "") << lesson.id << " round-trips now: take it off the list";
        }
        same += problem.empty() ? 1 : 0;
    }
    std::cout << same << " of " << builtinScenarios().size() << " lessons round-trip\n";
    fs::remove_all(dir);
}

} // namespace
} // namespace tcpviz
