// Placeholder until the capture sub-command is implemented by its owner.
#include "commands.h"

#include <iostream>

namespace tcpviz::cli {

Command addCaptureCommand(CLI::App& app) {
    auto* sub = app.add_subcommand("capture", "(not implemented yet)");
    return {sub, [] {
                std::cerr << "tcpviz-cli: capture is not implemented yet\n";
                return 2;
            }};
}

} // namespace tcpviz::cli
