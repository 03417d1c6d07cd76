// tcpviz-cli capture -i IFACE [-f BPF] [--count N | --duration S] [--json]
//                    [--check-checksums] [--no-icmp]
// Live capture: every connection's inferred transitions are printed as they happen
// (one line each; with --json one JSON object per line), so are the ICMP errors
// quoting a connection and, with --check-checksums, its segments with a wrong
// checksum; then a summary.
#include "capture/analysis_json.h"
#include "capture/analyzer.h"
#include "capture/live_capture.h"
#include "commands.h"

#include <atomic>
#include <csignal>
#include <cstdio>
#include <iostream>
#include <memory>
#include <string>

namespace tcpviz::cli {

namespace {

struct CaptureArgs {
    std::size_t retain = 10'000;
    std::string interface;
    std::string filter;
    std::uint64_t count = 0;
    double duration = 0;
    bool json = false;
    bool checkChecksums = false; ///< as analyze --check-checksums; off: offloaded checksums
    bool noIcmp = false;         ///< no ICMP errors, the filter exactly as given
};

std::atomic<LiveCapture*> g_capture{nullptr};

extern "C" void onInterrupt(int /*signal*/) {
    // stop() only stores an atomic flag: safe in a signal handler.
    if (LiveCapture* c = g_capture.load()) {
        c->stop();
    }
}

std::string seconds(std::int64_t ns) {
    char buf[40];
    std::snprintf(buf, sizeof buf, "%lld.%06lld", static_cast<long long>(ns / 1'000'000'000),
                  static_cast<long long>((ns % 1'000'000'000) / 1000));
    return buf;
}

void printTransition(const CaptureArgs& args, const DecodedPacket& p, const ConnectionSummary& c,
                     const TrackerTransition& t) {
    const std::string endpoint =
        t.side == Side::Client ? c.client().toString() : c.server().toString();
    if (args.json) {
        std::cout << "{\"kind\": \"transition\", \"time\": " << seconds(p.timeNs)
                  << ", \"packet\": " << p.number << ", \"connection\": " << c.id
                  << ", \"client\": " << jsonQuote(c.client().toString())
                  << ", \"server\": " << jsonQuote(c.server().toString()) << ", \"endpoint\": \""
                  << sideName(t.side) << "\", \"from\": \"" << stateName(t.from) << "\", \"to\": \""
                  << stateName(t.to) << "\", \"arc\": \"" << arc(t.arc).key << "\"}\n";
    } else {
        std::cout << seconds(p.timeNs) << "  #" << p.number << "  conn " << c.id << "  "
                  << sideName(t.side) << ' ' << endpoint << "  " << stateName(t.from) << " -> "
                  << stateName(t.to) << "  (" << arc(t.arc).label() << ")\n";
    }
}

/// An ICMP error quoting `c`'s tuple, or a segment of `c` with a wrong checksum.
void printNoted(const CaptureArgs& args, const DecodedPacket& p, const ConnectionSummary& c) {
    const Side from = p.src == c.client() ? Side::Client : Side::Server;
    if (args.json) {
        std::cout << "{\"kind\": \"" << (p.icmpQuote ? "icmp_error" : "bad_checksum")
                  << "\", \"time\": " << seconds(p.timeNs) << ", \"packet\": " << p.number
                  << ", \"connection\": " << c.id
                  << ", \"client\": " << jsonQuote(c.client().toString())
                  << ", \"server\": " << jsonQuote(c.server().toString()) << ", \"endpoint\": \""
                  << sideName(from) << '"';
        if (p.icmpQuote) {
            std::cout << ", \"icmp_errors\": " << c.icmpErrors;
        }
        std::cout << "}\n";
    } else if (p.icmpQuote) {
        // The quoted packet was sent by `from`: the error is about its segment.
        std::cout << seconds(p.timeNs) << "  #" << p.number << "  conn " << c.id
                  << "  ICMP error about a segment of the " << sideName(from) << ' '
                  << p.src.toString() << " (" << c.icmpErrors << " so far)\n";
    } else {
        std::cout << seconds(p.timeNs) << "  #" << p.number << "  conn " << c.id
                  << "  wrong TCP checksum from the " << sideName(from) << ' ' << p.src.toString()
                  << " (not followed)\n";
    }
}

} // namespace

Command addCaptureCommand(CLI::App& app) {
    auto args = std::make_shared<CaptureArgs>();
    auto* sub = app.add_subcommand(
        "capture", "Capture live and print every connection's state transitions as they happen");
    sub->add_option("-i,--interface", args->interface, "interface, e.g. lo, eth0, any")->required();
    sub->add_option("-f,--filter", args->filter, "BPF capture filter, e.g. \"tcp port 80\"");
    auto* count = sub->add_option("--count", args->count, "stop after N packets");
    auto* duration = sub->add_option("--duration", args->duration, "stop after S seconds");
    count->excludes(duration);
    sub->add_flag("--json", args->json,
                  "one JSON object per line: each transition, then a summary");
    sub->add_option("--retain", args->retain,
                    "finished connections kept in memory (older ones are counted, not kept), "
                    "so a capture can run for hours; 0 keeps all")
        ->capture_default_str();
    sub->add_flag("--check-checksums", args->checkChecksums,
                  "validate TCP checksums: a packet with a wrong one is not followed and marks "
                  "its connection's history with C, as analyze does; off by default, as the "
                  "packets this host sends (all of them on lo) are captured before their "
                  "checksum is filled in");
    sub->add_flag("--no-icmp", args->noIcmp,
                  "leave ICMP errors out; by default those quoting TCP are counted against "
                  "their connection, and a filter is extended to let them through");
    return {sub, [args] {
                LiveCapture capture;
                LiveCaptureOptions options;
                options.interface = args->interface;
                options.bpfFilter = args->filter;
                options.icmpQuotes = !args->noIcmp;
                options.checkChecksums = args->checkChecksums;
                if (Status opened = capture.open(options); !opened) {
                    std::cerr << "tcpviz-cli: " << opened.error().toString() << '\n';
                    return capture.errorKind() == LiveErrorKind::BadFilter ? 2 : 1;
                }
                AnalyzeOptions analyzeOptions;
                analyzeOptions.retainFinished = args->retain;
                Analyzer analyzer(analyzeOptions);
                g_capture = &capture;
                auto previousInt = std::signal(SIGINT, onInterrupt);
                auto previousTerm = std::signal(SIGTERM, onInterrupt);
                const auto durationNs = static_cast<std::int64_t>(args->duration * 1e9);
                const Status ran = capture.run(
                    [&](const DecodedPacket& p) {
                        const auto added = analyzer.add(p);
                        if (added.icmpQuote || added.badChecksum) {
                            if (added.matched) { // else no connection: counted in the summary
                                printNoted(*args, p, analyzer.connection(added.connection));
                                std::cout.flush();
                            }
                            return;
                        }
                        const auto& c = analyzer.connection(added.connection);
                        for (const auto& t : added.step) {
                            printTransition(*args, p, c, t);
                        }
                        if (added.step.count > 0) {
                            std::cout.flush(); // as they happen, also through a pipe
                        }
                    },
                    args->count, durationNs);
                std::signal(SIGINT, previousInt);
                std::signal(SIGTERM, previousTerm);
                g_capture = nullptr;
                const LiveStats stats = capture.stats();
                const CaptureInfo& info = capture.info();
                for (const auto& e : info.errors) {
                    std::cerr << "tcpviz-cli: " << args->interface << ": packet " << e.packet
                              << ": " << e.message << '\n';
                }
                if (args->json) {
                    std::cout << "{\"kind\": \"summary\", \"interface\": "
                              << jsonQuote(args->interface) << ", \"packets\": " << info.packets
                              << ", \"tcp_packets\": " << info.tcpPackets
                              << ", \"connections\": " << analyzer.totalConnections()
                              << ", \"evicted_connections\": " << analyzer.evicted().connections
                              << ", \"icmp_quoted_tcp\": " << info.icmpQuotedTcp
                              << ", \"unmatched_icmp_errors\": " << analyzer.unmatchedIcmpErrors()
                              << ", \"bad_checksums\": " << info.badChecksums
                              << ", \"dropped_by_kernel\": " << stats.droppedByKernel << "}\n";
                } else {
                    std::cout << info.packets << " packets (" << info.tcpPackets << " TCP), "
                              << analyzer.totalConnections() << " connections ("
                              << analyzer.evicted().connections
                              << " finished ones no longer kept), " << stats.droppedByKernel
                              << " dropped by the kernel\n";
                    if (info.icmpQuotedTcp > 0) {
                        std::cout << info.icmpQuotedTcp << " ICMP errors quoting TCP ("
                                  << analyzer.unmatchedIcmpErrors() << " of no connection seen)\n";
                    }
                    if (args->checkChecksums) {
                        std::cout << info.badChecksums << " TCP checksums wrong\n";
                    }
                }
                if (!ran) {
                    std::cerr << "tcpviz-cli: " << ran.error().toString() << '\n';
                    return 1;
                }
                return 0;
            }};
}

} // namespace tcpviz::cli
