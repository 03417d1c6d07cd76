// tcpviz-cli synth: a synthetic capture of many interleaved connections, for
// demonstrations (a server's TIME-WAIT pile-up) and for benchmarks.
#include "capture/synth.h"
#include "commands.h"

#include <cctype>
#include <iostream>
#include <map>

namespace tcpviz::cli {

Command addSynthCommand(CLI::App& app) {
    auto* sub = app.add_subcommand("synth",
                                   "Write a synthetic capture of many interleaved TCP connections");
    auto options = std::make_shared<SynthOptions>();
    auto output = std::make_shared<std::string>();
    auto close = std::make_shared<std::string>("server");
    auto quiet = std::make_shared<bool>(false);
    const std::map<std::string, SynthClose> closeNames{{"server", SynthClose::Server},
                                                       {"client", SynthClose::Client},
                                                       {"mixed", SynthClose::Mixed}};
    sub->add_option("--connections,-n", options->connections, "Number of connections")
        ->capture_default_str()
        ->check(CLI::Range(1U, 50'000'000U));
    sub->add_option("--data-segments,-k", options->dataSegments,
                    "Data segments per connection (alternating request/response, each ACKed)")
        ->capture_default_str()
        ->check(CLI::Range(0U, 100'000U));
    sub->add_option("-o,--output", *output, "Output pcap file (- for standard output)")->required();
    sub->add_option("--close", *close,
                    "Who closes first: server (TIME-WAIT pile-up on the server), client, mixed")
        ->check(CLI::IsMember({"server", "client", "mixed"}, CLI::ignore_case))
        ->capture_default_str();
    sub->add_flag("--ipv6", options->ipv6, "IPv6 addresses instead of IPv4");
    sub->add_option("--seed", options->seed, "Seed for the initial sequence numbers")
        ->capture_default_str();
    sub->add_option("--snaplen", options->snaplen, "Bytes kept of each frame")
        ->capture_default_str()
        ->check(CLI::Range(54U, 262144U));
    sub->add_option("--long-connection", options->longConnectionSegments,
                    "Data segments of one long first connection whose packets span the capture "
                    "(0: like the others)")
        ->capture_default_str()
        ->check(CLI::Range(0U, 100'000'000U));
    sub->add_flag("-q,--quiet", *quiet, "Print nothing on success");
    return {sub, [options, output, close, quiet, closeNames] {
                std::string name = *close;
                for (char& ch : name) {
                    ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
                }
                options->close = closeNames.at(name);
                const Result<SynthResult> written = writeSynthCapture(*options, *output);
                if (!written) {
                    std::cerr << "tcpviz-cli synth: " << written.error().toString() << '\n';
                    return 1;
                }
                const SynthResult& result = *written;
                if (!*quiet && *output != "-") {
                    std::cerr << *output << ": " << result.packets << " packets, "
                              << result.connections << " connections\n";
                }
                return 0;
            }};
}

} // namespace tcpviz::cli
