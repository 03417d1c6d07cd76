#include "trace/trace_json.h"

namespace tcpviz {

namespace {

nlohmann::ordered_json segmentToJson(const Segment& s) {
    return {{"flags", flagsToString(s.flags)},
            {"seq", s.seq},
            {"ack", s.ack},
            {"len", s.len},
            {"window", s.window}};
}

nlohmann::ordered_json statesToJson(const std::vector<StateEntry>& states) {
    auto out = nlohmann::ordered_json::array();
    for (const auto& s : states) {
        out.push_back({{"state", stateName(s.state)}, {"event", s.event}});
    }
    return out;
}

nlohmann::ordered_json endpointToJson(const TraceEndpointInfo& e) {
    return {{"address", e.address.toString()}, {"isn", e.isn}};
}

} // namespace

nlohmann::ordered_json eventToJson(const TraceEvent& e) {
    // ordered_json keeps the contract's field order, which is easier to read.
    nlohmann::ordered_json j{{"index", e.index},
                             {"time_us", e.timeUs},
                             {"endpoint", sideName(e.endpoint)},
                             {"kind", eventKindName(e.kind)}};
    switch (e.kind) {
    case EventKind::Call:
        j["call"] = userCallName(e.call);
        j["bytes"] = e.bytes;
        if (!e.callError.empty()) {
            j["error"] = e.callError;
        }
        break;
    case EventKind::Send:
        j["planned_arrival_us"] = e.plannedArrivalUs;
        [[fallthrough]];
    case EventKind::Arrive:
    case EventKind::Drop:
        j["segment"] = segmentToJson(e.segment);
        j["retransmission"] = e.retransmission;
        j["segment_id"] = e.segmentId;
        j["duplicate"] = e.duplicate;
        j["injected"] = e.injected;
        break;
    case EventKind::Timer:
        j["timer"] = timerKindName(e.timer);
        break;
    case EventKind::Transition:
        j["from"] = stateName(e.from);
        j["to"] = stateName(e.to);
        j["arc"] = arc(e.arc).key;
        break;
    case EventKind::Error:
        j["error"] = socketErrorName(e.socketError);
        j["call"] = errorCallName(e.errorCall);
        break;
    }
    if (const std::string_view note = displayNote(e); !note.empty()) {
        j["note"] = note;
    }
    if (e.packet != 0) {
        j["packet"] = e.packet;
    }
    return j;
}

nlohmann::ordered_json traceToJson(const Trace& trace) {
    nlohmann::ordered_json j;
    j["scenario"] = trace.meta.scenarioId;
    j["title"] = {{"en", trace.meta.title.en}, {"zh", trace.meta.title.zh}};
    j["profile"] = trace.meta.profile;
    j["client"] = endpointToJson(trace.meta.client);
    j["server"] = endpointToJson(trace.meta.server);
    auto events = nlohmann::ordered_json::array();
    for (const auto& e : trace.events()) {
        events.push_back(eventToJson(e));
    }
    j["events"] = std::move(events);
    j["client_states"] = statesToJson(trace.states(Side::Client));
    j["server_states"] = statesToJson(trace.states(Side::Server));
    j["end_time_us"] = trace.endTimeUs();
    return j;
}

} // namespace tcpviz
