// tcpviz-cli simulate [ID|FILE] [--json] [--relative] [--times] [--narrate]
//                     [--lang en|zh] [--names rfc|linux|both] [--pcap OUT.pcap [--tap F]]
// Plays a scenario (a built-in id or a YAML file; the default lecture when
// omitted) and prints it in the notation of the RFC 9293 figures, or as the
// `simulate --json` contract of ARCHITECTURE.md.
#include "capture/trace_pcap.h"
#include "commands.h"
#include "narration/narrator.h"
#include "scenario/library.h"
#include "sim/host_simulation_json.h"
#include "sim/host_simulator.h"
#include "sim/simulator.h"
#include "text/rfc_notation.h"
#include "trace/trace_json.h"

#include <cstdio>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace tcpviz::cli {

namespace {

struct SimulateArgs {
    std::string scenario{kDefaultScenarioId};
    bool json = false;
    bool relative = false;
    bool times = false;
    bool narrate = false;
    std::string lang = "en";
    std::string names = "rfc"; ///< state names: rfc, linux (as ss prints them) or both
    std::string pcap;
    std::optional<double> tap; ///< where on the path the --pcap sniffer sits
};

void printText(const Scenario& sc, const Trace& trace, const SimulateArgs& args) {
    const Language lang = args.lang == "zh" ? Language::Zh : Language::En;
    std::cout << sc.title.in(lang) << "  (" << sc.id << ", " << profileName(sc.profile) << ")\n\n";
    if (args.narrate && !sc.description.empty()) {
        std::cout << sc.description.in(lang) << "\n\n";
    }
    RfcNotationOptions options;
    options.relative = args.relative;
    options.times = args.times;
    options.lang = lang;
    options.stateNames = parseStateNameStyle(args.names).value_or(StateNameStyle::Rfc9293);
    std::cout << formatRfcNotation(trace, options);
    if (args.narrate) {
        std::cout << '\n';
        for (std::size_t i = 0; i < trace.size(); ++i) {
            const auto& e = trace.event(i);
            char head[64];
            std::snprintf(head, sizeof head, "[%zu] %.3fs %s %s", i,
                          static_cast<double>(e.timeUs) / 1e6, sideName(e.endpoint).data(),
                          eventKindName(e.kind).data());
            std::string text = narrate(trace, i, {.relativeNumbers = args.relative}).in(lang);
            for (std::size_t at = text.find('\n'); at != std::string::npos;
                 at = text.find('\n', at + 1)) {
                if (at + 1 < text.size() && text[at + 1] != '\n') {
                    text.insert(at + 1, "    ");
                }
            }
            std::cout << head << "\n    " << text << "\n";
        }
    }
}

/// The last counts, as `ss -tan | awk 'NR>1 {print $1}' | sort | uniq -c` would
/// print them on each side, and what the listener did.
void printHostSummary(const HostSimulation& hosts) {
    std::cout << "\n" << hosts.connections.size() << " connections";
    if (!hosts.counts.empty()) {
        const StateCounts& last = hosts.counts.back();
        std::cout << "; at " << static_cast<double>(last.timeUs) / 1e6 << " s:\n";
        for (const State s : kAllStates) {
            const auto c = last.client.at(index(s));
            const auto v = last.server.at(index(s));
            if (c + v > 0) {
                std::cout << "  " << stateName(s, StateNameStyle::Linux) << ": client " << c
                          << ", server " << v << '\n';
            }
        }
    } else {
        std::cout << '\n';
    }
    const ListenerStats& st = hosts.stats;
    std::cout << "listener: " << st.synsReceived << " SYNs, " << st.requestsQueued << " half-open, "
              << st.cookiesSent << " cookies sent, " << st.cookiesAccepted
              << " accepted by cookie, "
              << st.synDroppedSynQueueFull + st.synDroppedAcceptQueueFull +
                     st.synDroppedMaxSynBacklog
              << " SYNs dropped, " << st.finalAcksIgnored << " final ACKs ignored, "
              << st.finalAcksReset << " reset, " << st.accepted << " accepted\n";
    if (st.connectFailures + st.timeWaitReused + st.bindFailures > 0) {
        std::cout << "clients: " << st.connectFailures << " connect() EADDRNOTAVAIL, "
                  << st.timeWaitReused << " TIME-WAIT ports reused; server: " << st.bindFailures
                  << " bind() EADDRINUSE\n";
    }
}

int runSimulate(const SimulateArgs& args) {
    const Result<Scenario> loaded = loadScenario(args.scenario);
    if (!loaded.has_value()) {
        std::cerr << loaded.error().toString() << '\n';
        return 1;
    }
    for (const Error& w : loaded->warnings) {
        std::cerr << w.toString("warning") << '\n'; // the scenario still plays
    }
    const Scenario& sc = *loaded;
    // A multi-connection scenario: the named connection is the Trace shown, the
    // others come in `connections` and `counts`.
    std::optional<HostSimulation> hosts;
    if (sc.manyConnections()) {
        hosts = simulateHosts(sc);
    }
    const Trace trace = hosts ? hosts->connections.at(hosts->named).trace : simulate(sc);

    if (!args.pcap.empty()) {
        // Every connection's segments on one wire, in time order (one Trace when
        // there is one connection).
        std::vector<const Trace*> traces;
        if (hosts) {
            for (const HostConnection& c : hosts->connections) {
                traces.push_back(&c.trace);
            }
        } else {
            traces.push_back(&trace);
        }
        if (Status written = writeTracesPcap(traces, args.pcap, args.tap); !written) {
            std::cerr << "tcpviz-cli: " << written.error().toString() << '\n';
            return 1;
        }
    }
    if (args.json) {
        auto j = traceToJson(trace);
        j["topic"] = sc.topic;
        j["description"] = {{"en", sc.description.en}, {"zh", sc.description.zh}};
        if (args.narrate) {
            auto& events = j["events"];
            for (std::size_t i = 0; i < trace.size(); ++i) {
                const auto text = narrate(trace, i, {.relativeNumbers = args.relative});
                events[i]["narration"] = {{"en", text.en}, {"zh", text.zh}};
            }
        }
        if (hosts) {
            addHostSimulationJson(j, *hosts, sc);
        }
        std::cout << j.dump(2) << '\n';
        return 0;
    }
    printText(sc, trace, args);
    if (hosts) {
        printHostSummary(*hosts);
    }
    return 0;
}

} // namespace

Command addSimulateCommand(CLI::App& app) {
    auto* sub = app.add_subcommand(
        "simulate", "Play a scenario (built-in id or YAML file) and print the exchange");
    auto args = std::make_shared<SimulateArgs>();
    sub->add_option("scenario", args->scenario,
                    "Built-in scenario id (see `list`) or scenario file; default: the lecture");
    sub->add_flag("--json", args->json, "Print the whole Trace as JSON");
    sub->add_flag("--relative", args->relative,
                  "Sequence numbers relative to each side's ISN, as Wireshark shows them");
    sub->add_flag("--times", args->times, "Prefix each line with the simulated time");
    sub->add_flag("--narrate", args->narrate,
                  "Explain every event (with --json: a narration field per event)");
    sub->add_option("--lang", args->lang, "Language of titles, remarks and narration")
        ->check(CLI::IsMember({"en", "zh"}));
    sub->add_option("--names", args->names,
                    "State names: rfc (RFC 9293, the default), linux (as ss and netstat print "
                    "them: ESTAB, SYN-RECV) or both (ESTABLISHED (ESTAB)); --json keeps RFC names")
        ->check(CLI::IsMember({"rfc", "linux", "both"}));
    auto* pcap = sub->add_option(
        "--pcap", args->pcap,
        "Also write the segments as a pcap file (a multi-connection scenario: every "
        "connection's, in time order)");
    sub->add_option("--tap", args->tap,
                    "With --pcap: record as one sniffer at fraction F of the path would "
                    "(0 beside the client, 1 beside the server); without it each segment is "
                    "recorded beside its sender")
        ->check(CLI::Range(0.0, 1.0))
        ->needs(pcap);
    return {sub, [args] { return runSimulate(*args); }};
}

} // namespace tcpviz::cli
