// Placeholder until the simulate sub-command is implemented by its owner.
#include "commands.h"

#include <iostream>

namespace tcpviz::cli {

Command addSimulateCommand(CLI::App& app) {
    auto* sub = app.add_subcommand("simulate", "(not implemented yet)");
    return {sub, [] {
                std::cerr << "tcpviz-cli: simulate is not implemented yet\n";
                return 2;
            }};
}

} // namespace tcpviz::cli
