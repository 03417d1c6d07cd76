// tcpviz-cli: list, simulate, analyze, capture, synth, host, scenario, packetdrill. See
// ARCHITECTURE.md for the exit codes (0 ok, 1 bad input, 2 usage) and the JSON contracts.
#include "commands.h"

#include <iostream>
#include <vector>

int main(int argc, char** argv) {
    CLI::App app{"tcpviz-cli: TCP connection management, headless"};
    app.require_subcommand(1);
    app.set_version_flag("--version", "tcpviz-cli 0.1.0");
    std::vector<tcpviz::cli::Command> commands;
    commands.push_back(tcpviz::cli::addListCommand(app));
    commands.push_back(tcpviz::cli::addSimulateCommand(app));
    commands.push_back(tcpviz::cli::addAnalyzeCommand(app));
    commands.push_back(tcpviz::cli::addCaptureCommand(app));
    commands.push_back(tcpviz::cli::addSynthCommand(app));
    commands.push_back(tcpviz::cli::addHostCommand(app));
    commands.push_back(tcpviz::cli::addScenarioCommand(app));
    commands.push_back(tcpviz::cli::addPacketdrillCommand(app));
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        const int rc = app.exit(e);
        return rc == 0 ? 0 : 2;
    }
    for (const auto& c : commands) {
        if (c.sub != nullptr && c.sub->parsed()) {
            return c.run();
        }
    }
    return 2;
}
