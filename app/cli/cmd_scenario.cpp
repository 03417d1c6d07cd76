// tcpviz-cli scenario: one connection of a capture written as a scenario that
// the simulator replays (the calls inferred, losses as faults), so that a
// lecturer can open it, edit it and ask "what if".
#include "capture/analyzer.h"
#include "capture/connection_trace.h"
#include "commands.h"
#include "replay/replay_check.h"

#include <fstream>
#include <iostream>

namespace tcpviz::cli {

namespace {

struct ScenarioArgs {
    std::string file;
    std::uint32_t connection = 0;
    std::string output;
    bool reconnects = false;
};

} // namespace

Command addScenarioCommand(CLI::App& app) {
    auto args = std::make_shared<ScenarioArgs>();
    auto* sub = app.add_subcommand(
        "scenario", "Write one connection of a capture as a scenario that replays it");
    sub->add_option("file", args->file, "pcap or pcapng file")->required();
    sub->add_option("--connection,-c", args->connection,
                    "the connection's id as `tcpviz-cli analyze` lists it")
        ->required();
    sub->add_flag("--with-reconnects", args->reconnects,
                  "also the later connections on the same addresses and ports (a reconnect): "
                  "one scenario with a connect per connection");
    sub->add_option("-o,--output", args->output,
                    "scenario file to write (default: standard output)");
    return {sub, [args] {
                AnalyzeOptions options;
                Result<AnalysisResult> analysed = analyzeCapture(args->file, options);
                if (!analysed) {
                    std::cerr << "tcpviz-cli: " << analysed.error().toString() << '\n';
                    return 1;
                }
                const auto& connections = analysed->connections;
                if (args->connection >= connections.size()) {
                    std::cerr << "tcpviz-cli: " << args->file << ": no connection "
                              << args->connection << " (the capture has " << connections.size()
                              << ", numbered from 0 as analyze lists them)\n";
                    return 1;
                }
                const ConnectionSummary& c = connections[args->connection];
                Result<std::vector<DecodedPacket>> packets =
                    args->reconnects
                        ? collectWithReconnects(args->file, options, connections, args->connection)
                        : collectConnectionPackets(args->file, options, c);
                if (!packets) {
                    std::cerr << "tcpviz-cli: " << packets.error().toString() << '\n';
                    return 1;
                }
                ScenarioFromCaptureOptions made;
                made.source = args->file;
                made.connection = args->connection;
                Result<ReplayResult> replay = bestReplay(*packets, c.capturePoint.estimate(), made);
                if (!replay) {
                    std::cerr << "tcpviz-cli: " << replay.error().toString() << '\n';
                    return 1;
                }
                if (args->output.empty()) {
                    std::cout << replay->scenario.text;
                } else {
                    std::ofstream out(args->output, std::ios::binary);
                    out << replay->scenario.text;
                    out.close();
                    if (!out) {
                        std::cerr << "tcpviz-cli: " << args->output << ": cannot write the file\n";
                        return 1;
                    }
                }
                std::cerr << args->file << " connection " << args->connection << ": profile "
                          << profileName(replay->profile) << ", "
                          << (replay->exact() ? std::string("the replay reproduces the capture")
                                              : "the replay differs: " + replay->difference)
                          << '\n';
                return 0;
            }};
}

} // namespace tcpviz::cli
