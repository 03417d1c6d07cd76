#pragma once
// Builds Traces by hand, event by event, for testing what reads a Trace
// (JSON, RFC notation, narration) without running the simulator.

#include "trace/trace.h"

#include <utility>

namespace tcpviz::testing {

class TraceBuilder {
public:
    TraceBuilder(State client, State server, std::string clientAddress = "192.168.0.2:52528",
                 std::string serverAddress = "192.168.0.1:80") {
        m_snap.of(Side::Client).state = client;
        m_snap.of(Side::Server).state = server;
        m_trace.setInitial(m_snap);
        m_trace.meta.scenarioId = "hand-built";
        m_trace.meta.title = {"Hand built", "手工构造"};
        m_trace.meta.client = {parseSocketAddress(clientAddress).value(), 100};
        m_trace.meta.server = {parseSocketAddress(serverAddress).value(), 300};
    }

    TraceBuilder& call(std::int64_t t, Side side, UserCall c, std::uint32_t bytes = 0,
                       std::string error = {}) {
        TraceEvent e = base(t, side, EventKind::Call);
        e.call = c;
        e.bytes = bytes;
        e.callError = std::move(error);
        return add(std::move(e));
    }
    TraceBuilder& transition(std::int64_t t, Side side, State to, ArcId a) {
        TraceEvent e = transitionEvent(t, side, m_snap.of(side).state, to, a);
        m_snap.of(side).state = to;
        return add(std::move(e));
    }
    /// Sends a segment that arrives `latency` later (or is dropped then when `lost`).
    /// The arrival is appended by arrive()/drop() so that tests control interleaving.
    TraceBuilder& send(std::int64_t t, Side side, std::uint8_t flags, std::uint32_t seq,
                       std::uint32_t ack, std::uint32_t len = 0, bool retransmission = false,
                       bool injected = false) {
        TraceEvent e = base(t, side, EventKind::Send);
        e.segment.flags = flags;
        e.segment.seq = seq;
        e.segment.ack = ack;
        e.segment.len = len;
        e.segment.window = 65535;
        e.segmentId = ++m_lastSegment;
        e.plannedArrivalUs = t + 50'000;
        e.retransmission = retransmission;
        e.injected = injected;
        m_inFlight = e;
        return add(std::move(e));
    }
    /// The segment with id `segmentId` (default: the last one sent) arrives.
    TraceEvent sentSegment(std::uint32_t segmentId) const {
        for (const auto& e : m_trace.events()) {
            if (e.kind == EventKind::Send && e.segmentId == segmentId) {
                return e;
            }
        }
        return {};
    }
    TraceBuilder& arrive(std::int64_t t, std::uint32_t segmentId = 0) {
        TraceEvent sent = segmentId == 0 ? m_inFlight : sentSegment(segmentId);
        TraceEvent e = sent;
        e.timeUs = t;
        e.kind = EventKind::Arrive;
        e.endpoint = peer(sent.endpoint);
        return add(std::move(e));
    }
    TraceBuilder& drop(std::int64_t t, std::uint32_t segmentId = 0) {
        TraceEvent sent = segmentId == 0 ? m_inFlight : sentSegment(segmentId);
        TraceEvent e = sent;
        e.timeUs = t;
        e.kind = EventKind::Drop;
        return add(std::move(e));
    }
    TraceBuilder& timer(std::int64_t t, Side side, TimerKind k) {
        TraceEvent e = base(t, side, EventKind::Timer);
        e.timer = k;
        return add(std::move(e));
    }
    /// Changes a TCB from now on (before the first event: the initial snapshot).
    template <typename F> TraceBuilder& tcb(Side side, F&& change) {
        change(m_snap.of(side));
        if (m_trace.empty()) {
            m_trace.setInitial(m_snap);
        }
        return *this;
    }
    TraceBuilder& note(std::string text) {
        m_pendingNote = std::move(text);
        return *this;
    }
    /// Why the next Send is sent (what the endpoint would have recorded).
    TraceBuilder& reason(SendReason why) {
        m_pendingReason = why;
        return *this;
    }
    std::uint32_t lastSegmentId() const { return m_lastSegment; }
    Trace build() const { return m_trace; }

private:
    TraceEvent base(std::int64_t t, Side side, EventKind kind) const {
        TraceEvent e;
        e.timeUs = t;
        e.endpoint = side;
        e.kind = kind;
        return e;
    }
    TraceBuilder& add(TraceEvent e) {
        if (!m_pendingNote.empty()) {
            e.note = std::move(m_pendingNote);
            m_pendingNote.clear();
        }
        if (e.kind == EventKind::Send) {
            e.reason = std::exchange(m_pendingReason, SendReason::Unknown);
        }
        m_trace.append(std::move(e), m_snap);
        return *this;
    }

    Trace m_trace;
    Snapshot m_snap;
    TraceEvent m_inFlight;
    std::uint32_t m_lastSegment = 0;
    std::string m_pendingNote;
    SendReason m_pendingReason = SendReason::Unknown;
};

/// The three-way handshake of RFC 9293 Figure 6 (ISNs 100 and 300, 50 ms latency),
/// in the event order the simulator produces: call, transition, send; arrive,
/// transition, send.
inline TraceBuilder handshake() {
    TraceBuilder b(State::Closed, State::Closed);
    b.tcb(Side::Client, [](Tcb& t) { t.iss = 100; })
        .tcb(Side::Server, [](Tcb& t) { t.iss = 300; })
        .call(0, Side::Server, UserCall::Listen)
        .transition(0, Side::Server, State::Listen, ArcId::PassiveOpen)
        .call(10'000, Side::Client, UserCall::Connect)
        .transition(10'000, Side::Client, State::SynSent, ArcId::ActiveOpen)
        .send(10'000, Side::Client, flag::SYN, 100, 0)
        .arrive(60'000)
        .transition(60'000, Side::Server, State::SynReceived, ArcId::RcvSyn)
        .send(60'000, Side::Server, flag::SYN | flag::ACK, 300, 101)
        .arrive(110'000)
        .transition(110'000, Side::Client, State::Established, ArcId::RcvSynAck)
        .send(110'000, Side::Client, flag::ACK, 101, 301)
        .arrive(160'000)
        .transition(160'000, Side::Server, State::Established, ArcId::RcvAckOfSyn);
    return b;
}

} // namespace tcpviz::testing
