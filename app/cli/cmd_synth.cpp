// Placeholder until the synth sub-command is implemented by its owner.
#include "commands.h"

#include <iostream>

namespace tcpviz::cli {

Command addSynthCommand(CLI::App& app) {
    auto* sub = app.add_subcommand("synth", "(not implemented yet)");
    return {sub, [] {
                std::cerr << "tcpviz-cli: synth is not implemented yet\n";
                return 2;
            }};
}

} // namespace tcpviz::cli
