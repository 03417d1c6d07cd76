// Placeholder until the list sub-command is implemented by its owner.
#include "commands.h"

#include <iostream>

namespace tcpviz::cli {

Command addListCommand(CLI::App& app) {
    auto* sub = app.add_subcommand("list", "(not implemented yet)");
    return {sub, [] {
                std::cerr << "tcpviz-cli: list is not implemented yet\n";
                return 2;
            }};
}

} // namespace tcpviz::cli
