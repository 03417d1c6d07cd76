#pragma once

#include "sim/host_simulator.h"

#include <nlohmann/json.hpp>

namespace tcpviz {

/// The fields `tcpviz-cli simulate --json` adds for a multi-connection scenario
/// (its named connection is the usual top level, traceToJson()):
/// * `connections`: one per connection, [0] the named one: `client`, `server`
///   (addresses), `named`, `origin` ("client" or "load N", N 1-based as in the
///   file), `behaviour`, `spoofed`, `cookie`, `reused_time_wait`, `error` (only when
///   connect() failed), `accepted_us` (only once the application's accept() took
///   it), `events`, `client_states`, `server_states` (as at the top
///   level), `final_client_state`, `final_server_state`;
/// * `counts`: `{time_us, client: {STATE: n}, server: {STATE: n}}` at every change,
///   states with no socket left out;
/// * `listener`: the ListenerStats counters.
void addHostSimulationJson(nlohmann::ordered_json& out, const HostSimulation& sim,
                           const Scenario& scenario);

} // namespace tcpviz
