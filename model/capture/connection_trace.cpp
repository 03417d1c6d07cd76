#include "capture/connection_trace.h"

#include "capture/capture_reader.h"
#include "capture/passive_tracker.h"

namespace tcpviz {

Trace buildConnectionTrace(std::span<const DecodedPacket> packets) {
    PassiveTracker tracker;
    Trace trace;
    if (packets.empty()) {
        return trace;
    }
    const std::int64_t origin = packets.front().timeNs;
    Snapshot current;
    bool first = true;
    for (const auto& p : packets) {
        const TrackerStep step = tracker.onPacket(p);
        if (first) {
            // The tracker decides roles and initial states at the first packet.
            current.of(Side::Client).state = tracker.initialState(Side::Client);
            current.of(Side::Server).state = tracker.initialState(Side::Server);
            first = false;
        }
        // Sequence variables after the packet, states advanced event by event.
        Snapshot after;
        after.of(Side::Client) = tracker.tcb(Side::Client);
        after.of(Side::Server) = tracker.tcb(Side::Server);
        const std::int64_t timeUs = (p.timeNs - origin) / 1000;
        const auto withStates = [&after](const Snapshot& states) {
            Snapshot s = after;
            s.of(Side::Client).state = states.of(Side::Client).state;
            s.of(Side::Server).state = states.of(Side::Server).state;
            return s;
        };
        const auto transition = [&](const TrackerTransition& t) {
            current.of(t.side).state = t.to;
            TraceEvent e = transitionEvent(timeUs, t.side, t.from, t.to, t.arc);
            e.packet = static_cast<std::uint32_t>(p.number);
            trace.append(std::move(e), withStates(current));
        };
        for (const auto& t : step) {
            if (t.bySender) {
                transition(t);
            }
        }
        TraceEvent send;
        send.kind = EventKind::Send;
        send.timeUs = timeUs;
        send.endpoint = step.sender;
        send.segment = p.tcp;
        send.segmentId = static_cast<std::uint32_t>(p.number);
        send.plannedArrivalUs = timeUs;
        send.retransmission = step.retransmission;
        send.packet = static_cast<std::uint32_t>(p.number);
        send.captureCopyOf = static_cast<std::uint32_t>(step.captureCopyOf);
        if (step.captureCopyOf != 0) {
            send.note =
                "copy of packet " + std::to_string(step.captureCopyOf) + " recorded by the capture";
        }
        if (step.ignoredRst) {
            send.note = "RST outside the receiver's window: ignored";
        }
        trace.append(std::move(send), withStates(current));
        for (const auto& t : step) {
            if (!t.bySender) {
                transition(t);
            }
        }
    }
    // Evidence seen later can correct an initial state (a refused SYN: no listener).
    Snapshot initial;
    initial.of(Side::Client).state = tracker.initialState(Side::Client);
    initial.of(Side::Server).state = tracker.initialState(Side::Server);
    initial.of(Side::Client).passiveOpen = false;
    trace.setInitial(initial);

    trace.meta.scenarioId = "capture";
    trace.meta.title.en = tracker.client().toString() + " -> " + tracker.server().toString();
    trace.meta.title.zh = trace.meta.title.en;
    trace.meta.profile = "capture";
    trace.meta.fromCapture = true;
    trace.meta.captureStartNs = origin;
    trace.meta.client = {tracker.client(), tracker.tcb(Side::Client).iss};
    trace.meta.server = {tracker.server(), tracker.tcb(Side::Server).iss};
    return trace;
}

Result<std::vector<DecodedPacket>> collectConnectionPackets(const std::string& path,
                                                            const AnalyzeOptions& options,
                                                            const ConnectionSummary& connection) {
    std::vector<DecodedPacket> packets;
    const SocketAddress client = connection.client();
    const SocketAddress server = connection.server();
    CaptureInfo info;
    ReadOptions read;
    read.bpfFilter = options.bpfFilter;
    Status ok = readCapture(
        path, read,
        [&](const DecodedPacket& p) {
            if (p.number < connection.firstPacket || p.number > connection.lastPacket) {
                return;
            }
            if ((p.src == client && p.dst == server) || (p.src == server && p.dst == client)) {
                packets.push_back(p);
            }
        },
        info);
    if (!ok) {
        return fail(std::move(ok.error()));
    }
    return packets;
}

} // namespace tcpviz
