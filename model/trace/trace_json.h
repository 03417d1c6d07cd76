#pragma once

#include "trace/trace.h"

#include <nlohmann/json.hpp>
#include <string>

namespace tcpviz {

/// The Trace in the `tcpviz-cli simulate --json` format of ARCHITECTURE.md.
/// Field names are a public interface: add fields, never rename or remove one.
///
/// Top level: scenario, title {en, zh}, profile, client/server {address, isn},
/// events, client_states, server_states, end_time_us.
/// Every event: index, time_us, endpoint, kind; then by kind
/// * call: call, bytes, error (only when the call was refused)
/// * send / arrive / drop: segment {flags, seq, ack, len, window}, retransmission,
///   segment_id, duplicate, injected (send also planned_arrival_us)
/// * timer: timer ("retransmission", "time-wait", ...)
/// * transition: from, to, arc (the arc catalog's stable id)
/// and `note` / `packet` when set.
[[nodiscard]] nlohmann::ordered_json traceToJson(const Trace& trace);
[[nodiscard]] nlohmann::ordered_json eventToJson(const TraceEvent& event);

} // namespace tcpviz
