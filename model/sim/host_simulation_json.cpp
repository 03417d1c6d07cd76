#include "sim/host_simulation_json.h"

#include "trace/trace_json.h"

namespace tcpviz {

namespace {

nlohmann::ordered_json countsToJson(const std::array<std::uint32_t, kStateCount>& counts) {
    nlohmann::ordered_json j = nlohmann::ordered_json::object();
    for (const State s : kAllStates) {
        if (counts.at(index(s)) > 0) {
            j[std::string(stateName(s))] = counts.at(index(s));
        }
    }
    return j;
}

} // namespace

void addHostSimulationJson(nlohmann::ordered_json& out, const HostSimulation& sim,
                           const Scenario& scenario) {
    (void)scenario;
    auto connections = nlohmann::ordered_json::array();
    for (std::size_t i = 0; i < sim.connections.size(); ++i) {
        const HostConnection& c = sim.connections[i];
        const nlohmann::ordered_json t = traceToJson(c.trace);
        nlohmann::ordered_json j;
        j["id"] = i;
        j["client"] = c.trace.meta.client.address.toString();
        j["server"] = c.trace.meta.server.address.toString();
        j["named"] = i == sim.named;
        j["origin"] = c.load ? "load " + std::to_string(*c.load + 1) : std::string("client");
        j["behaviour"] = c.load ? loadBehaviourName(c.behaviour) : std::string_view("steps");
        j["spoofed"] = c.spoofed;
        j["cookie"] = c.cookie;
        j["reused_time_wait"] = c.reusedTimeWait;
        if (!c.connectError.empty()) {
            j["error"] = c.connectError;
        }
        if (c.acceptedUs) {
            j["accepted_us"] = *c.acceptedUs;
        }
        j["events"] = t["events"];
        j["client_states"] = t["client_states"];
        j["server_states"] = t["server_states"];
        j["final_client_state"] = stateName(c.trace.stateAt(Side::Client, c.trace.size()));
        j["final_server_state"] = stateName(c.trace.stateAt(Side::Server, c.trace.size()));
        connections.push_back(std::move(j));
    }
    out["connections"] = std::move(connections);
    auto counts = nlohmann::ordered_json::array();
    for (const StateCounts& c : sim.counts) {
        counts.push_back({{"time_us", c.timeUs},
                          {"client", countsToJson(c.client)},
                          {"server", countsToJson(c.server)}});
    }
    out["counts"] = std::move(counts);
    const ListenerStats& s = sim.stats;
    out["listener"] = {{"syns_received", s.synsReceived},
                       {"requests_queued", s.requestsQueued},
                       {"cookies_sent", s.cookiesSent},
                       {"cookies_accepted", s.cookiesAccepted},
                       {"syn_dropped_syn_queue_full", s.synDroppedSynQueueFull},
                       {"syn_dropped_accept_queue_full", s.synDroppedAcceptQueueFull},
                       {"syn_dropped_max_syn_backlog", s.synDroppedMaxSynBacklog},
                       {"final_acks_ignored", s.finalAcksIgnored},
                       {"final_acks_reset", s.finalAcksReset},
                       {"accepted", s.accepted},
                       {"max_syn_queue", s.maxSynQueue},
                       {"max_accept_queue", s.maxAcceptQueue},
                       {"connect_failures", s.connectFailures},
                       {"time_wait_reused", s.timeWaitReused},
                       {"bind_failures", s.bindFailures}};
}

} // namespace tcpviz
