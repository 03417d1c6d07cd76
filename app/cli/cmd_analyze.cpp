// Placeholder until the analyze sub-command is implemented by its owner.
#include "commands.h"

#include <iostream>

namespace tcpviz::cli {

Command addAnalyzeCommand(CLI::App& app) {
    auto* sub = app.add_subcommand("analyze", "(not implemented yet)");
    return {sub, [] {
                std::cerr << "tcpviz-cli: analyze is not implemented yet\n";
                return 2;
            }};
}

} // namespace tcpviz::cli
