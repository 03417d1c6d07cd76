// tcpviz-cli packetdrill: a scenario (or a captured connection, through the
// scenario that replays it) as a packetdrill script with one side as the
// kernel under test.
#include "capture/analyzer.h"
#include "capture/connection_trace.h"
#include "commands.h"
#include "replay/packetdrill.h"
#include "replay/replay_check.h"
#include "scenario/library.h"
#include "sim/simulator.h"

#include <fstream>
#include <iostream>
#include <optional>

namespace tcpviz::cli {

namespace {

struct PacketdrillArgs {
    std::string input;
    std::optional<std::uint32_t> connection;
    std::string side;
    std::string output;
};

bool looksLikeCapture(const std::string& path) {
    for (const char* ext : {".pcap", ".pcapng", ".cap", ".gz", ".zst"}) {
        const std::string e(ext);
        if (path.size() > e.size() && path.compare(path.size() - e.size(), e.size(), e) == 0) {
            return true;
        }
    }
    return false;
}

} // namespace

Command addPacketdrillCommand(CLI::App& app) {
    auto args = std::make_shared<PacketdrillArgs>();
    auto* sub = app.add_subcommand(
        "packetdrill", "Write a scenario or a captured connection as a packetdrill script");
    sub->add_option("input", args->input,
                    "built-in scenario id, scenario file, or capture (.pcap, .pcapng)")
        ->required();
    sub->add_option("--connection,-c", args->connection,
                    "for a capture: the connection's id as `tcpviz-cli analyze` lists it");
    sub->add_option("--side", args->side, "the kernel under test: client or server")
        ->required()
        ->check(CLI::IsMember({"client", "server"}));
    sub->add_option("-o,--output", args->output, "script file to write")->required();
    return {
        sub, [args] {
            std::optional<Scenario> scenario;
            if (args->connection || looksLikeCapture(args->input)) {
                const AnalyzeOptions options;
                Result<AnalysisResult> analysed = analyzeCapture(args->input, options);
                if (!analysed) {
                    std::cerr << "tcpviz-cli: " << analysed.error().toString() << '\n';
                    return 1;
                }
                const std::uint32_t id = args->connection.value_or(0);
                if (id >= analysed->connections.size()) {
                    std::cerr << "tcpviz-cli: " << args->input << ": no connection " << id
                              << " (the capture has " << analysed->connections.size() << ")\n";
                    return 1;
                }
                const ConnectionSummary& c = analysed->connections[id];
                Result<std::vector<DecodedPacket>> packets =
                    collectConnectionPackets(args->input, options, c);
                if (!packets) {
                    std::cerr << "tcpviz-cli: " << packets.error().toString() << '\n';
                    return 1;
                }
                ScenarioFromCaptureOptions made;
                made.source = args->input;
                made.connection = id;
                Result<ReplayResult> replay = bestReplay(*packets, c.capturePoint.estimate(), made);
                if (!replay) {
                    std::cerr << "tcpviz-cli: " << replay.error().toString() << '\n';
                    return 1;
                }
                Result<Scenario> parsed = parseScenarioText(replay->scenario.text, "replay.yaml");
                if (!parsed.has_value()) {
                    std::cerr << "tcpviz-cli: " << parsed.error().toString() << '\n';
                    return 1;
                }
                scenario = std::move(*parsed);
            } else {
                Result<Scenario> loaded = loadScenario(args->input);
                if (!loaded.has_value()) {
                    std::cerr << "tcpviz-cli: " << loaded.error().toString() << '\n';
                    return 1;
                }
                scenario = std::move(*loaded);
            }
            const Side kernel = args->side == "client" ? Side::Client : Side::Server;
            const EndpointSpec& spec = kernel == Side::Client ? scenario->client : scenario->server;
            if (spec.scripted) {
                std::cerr << "tcpviz-cli: " << args->input << ": the " << args->side
                          << " is scripted (role: scripted), not a TCP to test\n";
                return 1;
            }
            const std::string script = packetdrillScript(simulate(*scenario), kernel, spec.reads);
            std::ofstream out(args->output, std::ios::binary);
            out << script;
            out.close();
            if (!out) {
                std::cerr << "tcpviz-cli: " << args->output << ": cannot write the file\n";
                return 1;
            }
            return 0;
        }};
}

} // namespace tcpviz::cli
