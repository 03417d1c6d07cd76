// tcpviz-cli analyze FILE|- [--json] [--filter BPF] [--detail-limit N]
// Follows every TCP connection of a capture and prints one row per connection
// (or the analyze JSON contract of ARCHITECTURE.md).
#include "capture/analysis_json.h"
#include "capture/analyzer.h"
#include "commands.h"

#include <cstdio>
#include <iostream>
#include <memory>
#include <string>

namespace tcpviz::cli {

namespace {

struct AnalyzeArgs {
    std::string file;
    bool json = false;
    std::string filter;
    std::size_t detailLimit = AnalyzeOptions{}.detailLimit;
};

void printTable(std::ostream& out, const AnalysisResult& r) {
    out << r.info.file << ": " << r.info.packets << " packets, " << r.info.tcpPackets << " TCP, "
        << r.connections.size() << " connections\n";
    char line[512];
    std::snprintf(line, sizeof line, "%5s  %-28s %-28s %7s %15s  %-12s %-12s %4s %-5s %s\n", "id",
                  "client", "server", "packets", "first-last", "client", "server", "cmpl", "state",
                  "history");
    out << line;
    for (const auto& c : r.connections) {
        const auto& st = c.tracker.stats();
        const std::string range =
            std::to_string(c.firstPacket) + "-" + std::to_string(c.lastPacket);
        std::snprintf(line, sizeof line, "%5u  %-28s %-28s %7u %15s  %-12s %-12s %4u %-5s %s%s\n",
                      c.id, c.client().toString().c_str(), c.server().toString().c_str(),
                      c.packets(), range.c_str(),
                      std::string(stateName(c.finalState(Side::Client))).c_str(),
                      std::string(stateName(c.finalState(Side::Server))).c_str(),
                      static_cast<unsigned>(st.completeness()), std::string(st.connState()).c_str(),
                      st.history().c_str(), c.tracker.midStream() ? "  (mid-stream)" : "");
        out << line;
    }
    if (r.summarisedConnections > 0) {
        out << "note: state sequences of " << r.summarisedConnections
            << " connections past the first " << r.detailLimit
            << " are summarised (initial and final state only; --detail-limit raises it)\n";
    }
}

} // namespace

Command addAnalyzeCommand(CLI::App& app) {
    auto args = std::make_shared<AnalyzeArgs>();
    auto* sub = app.add_subcommand(
        "analyze", "Follow every TCP connection of a capture and infer both endpoints' states");
    sub->add_option("file", args->file, "pcap or pcapng file, '-' for standard input")->required();
    sub->add_flag("--json", args->json, "print the analyze JSON document");
    sub->add_option("--filter", args->filter, "BPF filter applied while reading");
    sub->add_option("--detail-limit", args->detailLimit,
                    "connections whose full state sequences are kept (memory bound)");
    return {sub, [args] {
                AnalyzeOptions options;
                options.bpfFilter = args->filter;
                options.detailLimit = args->detailLimit;
                AnalysisResult result;
                std::string fatal;
                if (!analyzeCapture(args->file, options, result, fatal)) {
                    std::cerr << "tcpviz-cli: " << fatal << '\n';
                    return 1;
                }
                for (const auto& e : result.info.errors) {
                    std::cerr << "tcpviz-cli: " << result.info.file << ": ";
                    if (e.packet > 0) {
                        std::cerr << "packet " << e.packet << ": ";
                    }
                    std::cerr << e.message << '\n';
                }
                std::ios::sync_with_stdio(false);
                if (args->json) {
                    writeAnalysisJson(std::cout, result);
                } else {
                    printTable(std::cout, result);
                }
                std::cout.flush();
                return std::cout ? 0 : 1;
            }};
}

} // namespace tcpviz::cli
