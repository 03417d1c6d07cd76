#pragma once

#include <CLI/CLI.hpp>
#include <functional>

namespace tcpviz::cli {

/// A registered sub-command: `run` is called when `sub` was given on the command line
/// and returns the process exit code (0 ok, 1 bad input, 2 usage).
struct Command {
    CLI::App* sub = nullptr;
    std::function<int()> run;
};

Command addListCommand(CLI::App& app);
Command addSimulateCommand(CLI::App& app);
Command addAnalyzeCommand(CLI::App& app);
Command addCaptureCommand(CLI::App& app);
Command addSynthCommand(CLI::App& app);
Command addHostCommand(CLI::App& app);
Command addScenarioCommand(CLI::App& app);
Command addPacketdrillCommand(CLI::App& app);

} // namespace tcpviz::cli
