// tcpviz-cli host [--json] [--port N] [--state S] [--interval S --count N]
// This machine's TCP sockets as `ss -tanp` reads them (sock_diag, no packets
// captured, no root needed): the count per state that the usual
// `ss -tan | awk '{print $1}' | sort | uniq -c` gives, and one row per socket with
// its timer and owning process.
#include "commands.h"
#include "host/host_sockets.h"

#include <chrono>
#include <cstdio>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <thread>

namespace tcpviz::cli {

namespace {

struct HostArgs {
    bool json = false;
    int port = -1;
    std::string state;
    double interval = 0;
    int count = 1;
};

std::string owners(const HostSocket& s) {
    std::string out;
    for (const auto& o : s.owners) {
        out += (out.empty() ? "" : ",") + o.command + "/" + std::to_string(o.pid);
    }
    return out;
}

bool wanted(const HostSocket& s, const HostArgs& a, std::optional<State> state) {
    if (a.port >= 0 && s.local.port != a.port && s.remote.port != a.port) {
        return false;
    }
    return !state || s.state == *state;
}

void printSnapshot(const HostSnapshot& snap, const HostArgs& a, std::optional<State> state) {
    std::array<std::uint32_t, kStateCount> counts{};
    std::vector<const HostSocket*> shown;
    for (const auto& s : snap.sockets) {
        if (wanted(s, a, state)) {
            shown.push_back(&s);
            ++counts.at(static_cast<std::size_t>(s.state));
        }
    }
    if (a.json) {
        nlohmann::json j;
        j["counts"] = nlohmann::json::object();
        for (const State st : kAllStates) {
            j["counts"][std::string(stateName(st))] = counts.at(static_cast<std::size_t>(st));
        }
        j["all_owners_known"] = snap.allOwnersKnown;
        j["sockets"] = nlohmann::json::array();
        for (const auto* s : shown) {
            nlohmann::json o = {{"local", s->local.toString()},
                                {"remote", s->remote.toString()},
                                {"state", stateName(s->state)},
                                {"request_socket", s->requestSocket},
                                {"timer", s->timer},
                                {"timer_ms", s->timerMs},
                                {"retransmits", s->retransmits},
                                {"recv_q", s->receiveQueue},
                                {"send_q", s->sendQueue},
                                {"uid", s->uid},
                                {"processes", nlohmann::json::array()}};
            for (const auto& p : s->owners) {
                o["processes"].push_back({{"pid", p.pid}, {"command", p.command}});
            }
            j["sockets"].push_back(std::move(o));
        }
        std::cout << j.dump() << '\n';
        return;
    }
    for (const State st : kAllStates) {
        if (const auto n = counts.at(static_cast<std::size_t>(st)); n > 0) {
            std::printf("%8u %s\n", n, std::string(stateName(st)).c_str());
        }
    }
    std::printf("\n%-12s %-6s %-6s %-40s %-40s %-18s %s\n", "State", "Recv-Q", "Send-Q", "Local",
                "Remote", "Timer", "Process");
    for (const auto* s : shown) {
        const std::string timer =
            s->timer.empty() ? "" : s->timer + " " + std::to_string(s->timerMs) + "ms";
        std::printf("%-12s %-6u %-6u %-40s %-40s %-18s %s\n",
                    std::string(stateName(s->state)).c_str(), s->receiveQueue, s->sendQueue,
                    s->local.toString().c_str(), s->remote.toString().c_str(), timer.c_str(),
                    owners(*s).c_str());
    }
    if (!snap.allOwnersKnown) {
        std::printf("(processes of other users are shown only to root)\n");
    }
    std::fflush(stdout);
}

} // namespace

Command addHostCommand(CLI::App& app) {
    auto args = std::make_shared<HostArgs>();
    auto* sub = app.add_subcommand(
        "host", "This machine's TCP sockets, as ss reads them: counts per state and a table "
                "with timers and owning processes");
    sub->add_flag("--json", args->json, "one JSON document per snapshot");
    sub->add_option("--port", args->port, "only sockets with this local or remote port")
        ->check(CLI::Range(0, 65535));
    sub->add_option("--state", args->state,
                    "only sockets in this state (RFC or Linux spelling: CLOSE-WAIT, CLOSE_WAIT)");
    sub->add_option("--interval", args->interval, "take a snapshot every S seconds")
        ->check(CLI::PositiveNumber);
    sub->add_option("--count", args->count, "snapshots to take (with --interval)")
        ->check(CLI::PositiveNumber);
    return {sub, [args] {
                std::optional<State> state;
                if (!args->state.empty()) {
                    state = parseState(args->state);
                    if (!state) {
                        std::cerr << "tcpviz-cli: unknown state '" << args->state << "'\n";
                        return 2;
                    }
                }
                for (int i = 0; i < args->count; ++i) {
                    if (i > 0) {
                        std::this_thread::sleep_for(std::chrono::duration<double>(args->interval));
                        if (!args->json) {
                            std::printf("\n");
                        }
                    }
                    const Result<HostSnapshot> snap = readHostSockets();
                    if (!snap) {
                        std::cerr << "tcpviz-cli: " << snap.error().toString() << '\n';
                        return 1;
                    }
                    printSnapshot(*snap, *args, state);
                }
                return 0;
            }};
}

} // namespace tcpviz::cli
