#include "capture/connection_trace.h"

#include "capture/capture_point.h"
#include "capture/capture_reader.h"
#include "capture/packet_index.h"
#include "capture/passive_tracker.h"
#include "tcp/seq.h"

#include <algorithm>
#include <array>
#include <deque>
#include <limits>
#include <optional>

namespace tcpviz {

namespace {

/// An event of the Trace being built, before the events are put in time order.
struct Pending {
    std::int64_t timeNs = 0; ///< after the first packet's capture time (may be negative)
    std::size_t packet = 0;  ///< index of the packet it comes from
    TraceEvent event;
    std::int64_t arriveNs = 0; ///< a Send's estimated arrival
};

/// Whether `cancel` is set, looked at only every kCancelCheckEvery-th `k`: an
/// atomic load per packet would cost more than the rest of the loop's bookkeeping.
bool stopped(const std::atomic<bool>* cancel, std::size_t k) {
    return cancel != nullptr && k % kCancelCheckEvery == 0 &&
           cancel->load(std::memory_order_relaxed);
}

/// buildConnectionTrace; nullopt when `cancel` became true (nothing of it is kept).
std::optional<Trace> build(std::span<const DecodedPacket> packets, std::string_view source,
                           const std::atomic<bool>* cancel) {
    Trace trace;
    if (packets.empty()) {
        return trace;
    }
    // First pass: the tracker's inference and the capture point's estimate, both
    // needed before any event can be given its time.
    PassiveTracker tracker;
    CapturePointEstimator estimator;
    std::vector<TrackerStep> steps;
    std::vector<std::array<Tcb, 2>> tcbs;
    steps.reserve(packets.size());
    tcbs.reserve(packets.size());
    for (const auto& p : packets) {
        if (stopped(cancel, steps.size())) {
            return std::nullopt;
        }
        steps.push_back(tracker.onPacket(p));
        estimator.onPacket(steps.back().sender, p.tcp, p.timeNs);
        tcbs.push_back({tracker.tcb(Side::Client), tracker.tcb(Side::Server)});
    }
    const CapturePoint point = estimator.estimate();
    const std::array<std::int64_t, 2> delayNs{point.clientNs, point.serverNs};
    const auto delay = [&delayNs](Side s) { return delayNs.at(static_cast<std::size_t>(s)); };

    // Second pass: every event at its estimated moment.
    const std::int64_t origin = packets.front().timeNs;
    std::vector<Pending> pending;
    pending.reserve(packets.size() * 3);
    std::array<std::int64_t, 2> lastTransitionNs{std::numeric_limits<std::int64_t>::min(),
                                                 std::numeric_limits<std::int64_t>::min()};
    // Segments not yet acknowledged, by the side they were sent to: an ACK never
    // leaves before what it acknowledges has arrived, whatever the estimate says
    // (a host that answered within less than the estimated round trip).
    struct Flight {
        std::uint32_t end = 0; ///< sequence number just past the segment
        std::int64_t arriveNs = 0;
    };
    std::array<std::deque<Flight>, 2> unacknowledged;
    // One side's segments pass the capture point in the order they were sent and
    // arrive in that order: once an event is moved, those after it move along.
    std::array<std::int64_t, 2> lastSendNs = lastTransitionNs;
    std::array<std::int64_t, 2> lastArriveNs = lastTransitionNs;
    for (std::size_t k = 0; k < packets.size(); ++k) {
        if (stopped(cancel, k)) {
            return std::nullopt;
        }
        const DecodedPacket& p = packets[k];
        const TrackerStep& step = steps[k];
        const Side sender = step.sender;
        const Side receiver = peer(sender);
        // A transition the sender makes to send (or notices on sending) happens when
        // it sends; the receiver's when the packet arrives.
        const auto atSender = [sender](const TrackerTransition& t) { return t.side == sender; };
        bool senderMoves = false;
        bool receiverMoves = false;
        for (const auto& t : step) {
            (atSender(t) ? senderMoves : receiverMoves) = true;
        }
        const std::int64_t capturedNs = p.timeNs - origin;
        std::int64_t sendNs = capturedNs - delay(sender);
        auto& waiting = unacknowledged.at(static_cast<std::size_t>(sender));
        if (p.tcp.has(flag::ACK)) {
            while (!waiting.empty() && seqGe(p.tcp.ack, waiting.front().end)) {
                sendNs = std::max(sendNs, waiting.front().arriveNs);
                waiting.pop_front();
            }
        }
        auto& lastSender = lastTransitionNs.at(static_cast<std::size_t>(sender));
        auto& lastReceiver = lastTransitionNs.at(static_cast<std::size_t>(receiver));
        auto& lastSent = lastSendNs.at(static_cast<std::size_t>(sender));
        sendNs = std::max(sendNs, lastSent);
        if (senderMoves) {
            sendNs = std::max(sendNs, lastSender);
            lastSender = sendNs;
        }
        lastSent = sendNs;
        auto& lastArrived = lastArriveNs.at(static_cast<std::size_t>(receiver));
        std::int64_t arriveNs = std::max({capturedNs + delay(receiver), sendNs, lastArrived});
        if (receiverMoves) {
            arriveNs = std::max(arriveNs, lastReceiver);
            lastReceiver = arriveNs;
        }
        lastArrived = arriveNs;
        if (p.tcp.seqLen() > 0 && !p.tcp.has(flag::RST)) {
            unacknowledged.at(static_cast<std::size_t>(receiver))
                .push_back({p.tcp.seq + p.tcp.seqLen(), arriveNs});
        }

        const auto transition = [&](const TrackerTransition& t, std::int64_t at) {
            TraceEvent e = transitionEvent(0, t.side, t.from, t.to, t.arc);
            e.packet = static_cast<std::uint32_t>(p.number);
            pending.push_back({at, k, std::move(e), 0});
        };
        TraceEvent send;
        send.kind = EventKind::Send;
        send.endpoint = sender;
        send.segment = p.tcp;
        send.segmentId = static_cast<std::uint32_t>(p.number);
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
        TraceEvent arrive = send;
        arrive.kind = EventKind::Arrive;
        arrive.endpoint = receiver;
        arrive.note.clear();

        for (const auto& t : step) {
            if (t.bySender) {
                transition(t, sendNs);
            }
        }
        pending.push_back({sendNs, k, std::move(send), arriveNs});
        for (const auto& t : step) {
            if (!t.bySender && atSender(t)) {
                transition(t, sendNs);
            }
        }
        pending.push_back({arriveNs, k, std::move(arrive)});
        for (const auto& t : step) {
            if (!t.bySender && !atSender(t)) {
                transition(t, arriveNs);
            }
        }
    }
    if (cancel != nullptr && cancel->load(std::memory_order_relaxed)) {
        return std::nullopt; // before the sort, the longest single step
    }
    // Time order; at one moment, the order in which the capture proved them.
    // Keys sorted, not the events: moving 16 bytes instead of a whole TraceEvent
    // makes the sort (no place to look at a cancel flag) a few times shorter.
    struct Key {
        std::int64_t timeNs = 0;
        std::size_t index = 0; ///< in `pending`, which breaks ties: a stable order
    };
    std::vector<Key> order;
    order.reserve(pending.size());
    for (std::size_t i = 0; i < pending.size(); ++i) {
        order.push_back({pending[i].timeNs, i});
    }
    std::sort(order.begin(), order.end(), [](const Key& a, const Key& b) {
        return a.timeNs != b.timeNs ? a.timeNs < b.timeNs : a.index < b.index;
    });
    if (cancel != nullptr && cancel->load(std::memory_order_relaxed)) {
        return std::nullopt;
    }
    const std::int64_t startNs = order.front().timeNs;
    const auto toUs = [startNs](std::int64_t ns) { return (ns - startNs) / 1000; };

    Snapshot initial;
    initial.of(Side::Client).state = tracker.initialState(Side::Client);
    initial.of(Side::Server).state = tracker.initialState(Side::Server);
    initial.of(Side::Client).passiveOpen = false;
    trace.setInitial(initial);
    // Sequence variables as far as the capture has shown them, states event by event.
    std::array<State, 2> states{initial.of(Side::Client).state, initial.of(Side::Server).state};
    std::size_t seenUpTo = 0;
    for (const Key& key : order) {
        if (stopped(cancel, trace.size())) {
            return std::nullopt;
        }
        Pending& e = pending[key.index];
        seenUpTo = std::max(seenUpTo, e.packet);
        const std::int64_t capturedNs = packets[e.packet].timeNs - origin;
        TraceEvent event = std::move(e.event);
        event.timeUs = toUs(e.timeNs);
        if (event.kind == EventKind::Transition) {
            states.at(static_cast<std::size_t>(event.endpoint)) = event.to;
        } else {
            event.capturedUs = toUs(capturedNs);
        }
        if (event.kind == EventKind::Send) {
            event.plannedArrivalUs = toUs(e.arriveNs);
        }
        Snapshot after;
        after.of(Side::Client) = tcbs[seenUpTo][0];
        after.of(Side::Server) = tcbs[seenUpTo][1];
        after.of(Side::Client).state = states[0];
        after.of(Side::Server).state = states[1];
        trace.append(std::move(event), after);
    }

    trace.meta.scenarioId = "capture";
    trace.meta.title.en = tracker.client().toString() + " -> " + tracker.server().toString();
    trace.meta.title.zh = trace.meta.title.en;
    trace.meta.profile = "capture";
    trace.meta.fromCapture = true;
    trace.meta.captureStartNs = origin + startNs;
    trace.meta.client = {tracker.client(), tracker.tcb(Side::Client).iss};
    trace.meta.server = {tracker.server(), tracker.tcb(Side::Server).iss};
    CaptureView& view = trace.meta.capture;
    view.source = std::string(source);
    view.basis = point.basis;
    view.clientUs = point.clientNs / 1000;
    view.serverUs = point.serverNs / 1000;
    view.startLost = tracker.midStream();
    view.seen = {tracker.seen(Side::Client), tracker.seen(Side::Server)};
    return trace;
}

} // namespace

Trace buildConnectionTrace(std::span<const DecodedPacket> packets, std::string_view source) {
    return *build(packets, source, nullptr);
}

Result<Trace> buildConnectionTrace(std::span<const DecodedPacket> packets, std::string_view source,
                                   const std::atomic<bool>* cancel) {
    std::optional<Trace> trace = build(packets, source, cancel);
    if (!trace) {
        return cancelledError(std::string(source));
    }
    return std::move(*trace);
}

Result<std::vector<DecodedPacket>> collectConnectionPackets(const std::string& path,
                                                            const AnalyzeOptions& options,
                                                            const ConnectionSummary& connection,
                                                            const std::atomic<bool>* cancel) {
    std::vector<DecodedPacket> packets;
    const SocketAddress client = connection.client();
    const SocketAddress server = connection.server();
    CaptureInfo info;
    ReadOptions read;
    read.bpfFilter = options.bpfFilter;
    read.cancel = cancel;
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
    if (info.cancelled) {
        return cancelledError(path); // what was read is only a part
    }
    return packets;
}

} // namespace tcpviz
