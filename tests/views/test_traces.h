#pragma once

// Hand-built Traces for the view tests: what the simulator would produce for a
// few classic exchanges, written out event by event so the tests do not depend
// on the simulator's choices.

#include "trace/trace.h"

#include <functional>
#include <map>
#include <ostream>
#include <string>
#include <vector>

namespace tcpviz::viewtest {

class TraceBuilder {
public:
    TraceBuilder() {
        m_trace.meta.client = {parseSocketAddress("192.168.0.2:52528").value(), 100};
        m_trace.meta.server = {parseSocketAddress("192.168.0.1:80").value(), 300};
        m_trace.meta.scenarioId = "hand-built";
        m_trace.meta.title = {"Hand-built", "手工构造"};
    }

    void call(std::int64_t t, Side side, UserCall c, std::uint32_t bytes = 0) {
        TraceEvent e;
        e.timeUs = t;
        e.endpoint = side;
        e.kind = EventKind::Call;
        e.call = c;
        e.bytes = bytes;
        push(e);
    }
    void transition(std::int64_t t, Side side, ArcId id) {
        const Arc& a = arc(id);
        m_now.of(side).state = a.to;
        push(transitionEvent(t, side, a.from, a.to, id));
    }
    std::uint32_t send(std::int64_t t, Side side, std::uint8_t flags, std::uint32_t seq,
                       std::uint32_t ack, std::uint32_t len, std::int64_t arrival,
                       bool retransmission = false, bool injected = false) {
        TraceEvent e;
        e.timeUs = t;
        e.endpoint = side;
        e.kind = EventKind::Send;
        e.segment.flags = flags;
        e.segment.seq = seq;
        e.segment.ack = ack;
        e.segment.len = len;
        e.segment.window = 65535;
        e.segment.srcPort = side == Side::Client ? 52528 : 80;
        e.segment.dstPort = side == Side::Client ? 80 : 52528;
        e.segmentId = m_nextId++;
        e.plannedArrivalUs = arrival;
        e.retransmission = retransmission;
        e.injected = injected;
        m_segments[e.segmentId] = e;
        push(e);
        return e.segmentId;
    }
    void arrive(std::int64_t t, std::uint32_t id) {
        TraceEvent e = m_segments.at(id);
        e.timeUs = t;
        e.endpoint = peer(e.endpoint);
        e.kind = EventKind::Arrive;
        e.retransmission = false;
        push(e);
    }
    void drop(std::int64_t t, std::uint32_t id) {
        TraceEvent e = m_segments.at(id);
        e.timeUs = t;
        e.kind = EventKind::Drop;
        push(e);
    }
    void timer(std::int64_t t, Side side, TimerKind k) {
        TraceEvent e;
        e.timeUs = t;
        e.endpoint = side;
        e.kind = EventKind::Timer;
        e.timer = k;
        push(e);
    }
    /// Changes a TCB; takes effect with the next event.
    void tcb(Side side, const std::function<void(Tcb&)>& f) { f(m_now.of(side)); }

    [[nodiscard]] Trace take() { return std::move(m_trace); }

private:
    void push(const TraceEvent& e) { m_trace.append(e, m_now); }

    Trace m_trace;
    Snapshot m_now;
    std::uint32_t m_nextId = 1;
    std::map<std::uint32_t, TraceEvent> m_segments;
};

inline constexpr std::int64_t kMs = 1000;

/// Both endpoints' states at one position.
struct StatePair {
    State client = State::Closed;
    State server = State::Closed;
    [[nodiscard]] State of(Side side) const { return side == Side::Client ? client : server; }
    bool operator==(const StatePair&) const = default;
};

/// For gtest's messages: "(SYN-SENT, LISTEN)".
inline void PrintTo(const StatePair& p, std::ostream* os) {
    *os << '(' << stateName(p.client) << ", " << stateName(p.server) << ')';
}

/// The states at every position 0..size(), worked out from the Transition
/// events alone: each endpoint starts in its initial snapshot's state and is in
/// the `to` of its latest transition. Independent of Trace::stateAt() and of
/// the snapshots stored with the events, which is what the views read.
/// `broken` names the first transition whose `from` is not the state the
/// endpoint was in.
inline std::vector<StatePair> statesFromEvents(const Trace& trace, std::string* broken = nullptr) {
    StatePair now{trace.initial().of(Side::Client).state, trace.initial().of(Side::Server).state};
    std::vector<StatePair> out{now};
    for (const TraceEvent& e : trace.events()) {
        if (e.kind == EventKind::Transition) {
            State& s = e.endpoint == Side::Client ? now.client : now.server;
            if (s != e.from && broken != nullptr && broken->empty()) {
                *broken = "event " + std::to_string(e.index) + " leaves " +
                          std::string(stateName(e.from)) + " but the " +
                          std::string(sideName(e.endpoint)) + " is in " + std::string(stateName(s));
            }
            s = e.to;
        }
        out.push_back(now);
    }
    return out;
}

/// The pairs a person stepping through sees, each change once.
inline std::vector<StatePair> distinctPairs(const std::vector<StatePair>& perPosition) {
    std::vector<StatePair> out;
    for (const StatePair& p : perPosition) {
        if (out.empty() || !(out.back() == p)) {
            out.push_back(p);
        }
    }
    return out;
}

/// Handshake, 100 bytes whose first copy is lost and retransmitted after the
/// RTO, then a client-first four-way close ending in TIME-WAIT (2MSL = 60 s).
inline Trace lossyLecture() {
    using namespace flag;
    TraceBuilder b;
    const auto C = Side::Client;
    const auto S = Side::Server;
    b.call(0, S, UserCall::Listen);
    b.transition(0, S, ArcId::PassiveOpen);
    b.call(0, C, UserCall::Connect);
    b.transition(0, C, ArcId::ActiveOpen);
    b.tcb(C, [](Tcb& t) {
        t.retransmitStartUs = 0;
        t.retransmitDeadlineUs = 1000 * kMs;
    });
    const auto syn = b.send(0, C, SYN, 100, 0, 0, 50 * kMs);
    b.arrive(50 * kMs, syn);
    b.transition(50 * kMs, S, ArcId::RcvSyn);
    const auto synAck = b.send(50 * kMs, S, SYN | ACK, 300, 101, 0, 100 * kMs);
    b.tcb(C, [](Tcb& t) {
        t.retransmitStartUs.reset();
        t.retransmitDeadlineUs.reset();
    });
    b.arrive(100 * kMs, synAck);
    b.transition(100 * kMs, C, ArcId::RcvSynAck);
    const auto ack = b.send(100 * kMs, C, ACK, 101, 301, 0, 150 * kMs);
    b.arrive(150 * kMs, ack);
    b.transition(150 * kMs, S, ArcId::RcvAckOfSyn);
    b.call(200 * kMs, C, UserCall::Send, 100);
    b.tcb(C, [](Tcb& t) {
        t.retransmitStartUs = 200 * kMs;
        t.retransmitDeadlineUs = 1200 * kMs;
    });
    const auto data = b.send(200 * kMs, C, PSH | ACK, 101, 301, 100, 250 * kMs);
    b.drop(225 * kMs, data);
    b.tcb(C, [](Tcb& t) {
        t.retransmitStartUs = 1200 * kMs;
        t.retransmitDeadlineUs = 3200 * kMs;
    });
    b.timer(1200 * kMs, C, TimerKind::Retransmission);
    const auto again = b.send(1200 * kMs, C, PSH | ACK, 101, 301, 100, 1250 * kMs, true);
    b.arrive(1250 * kMs, again);
    const auto dataAck = b.send(1250 * kMs, S, ACK, 301, 201, 0, 1300 * kMs);
    b.tcb(C, [](Tcb& t) {
        t.retransmitStartUs.reset();
        t.retransmitDeadlineUs.reset();
    });
    b.arrive(1300 * kMs, dataAck);
    b.call(1400 * kMs, C, UserCall::Close);
    b.transition(1400 * kMs, C, ArcId::EstablishedClose);
    const auto fin = b.send(1400 * kMs, C, FIN | ACK, 201, 301, 0, 1450 * kMs);
    b.arrive(1450 * kMs, fin);
    b.transition(1450 * kMs, S, ArcId::RcvFin);
    const auto finAck = b.send(1450 * kMs, S, ACK, 301, 202, 0, 1500 * kMs);
    b.arrive(1500 * kMs, finAck);
    b.transition(1500 * kMs, C, ArcId::FinWait1AckOfFin);
    b.call(1600 * kMs, S, UserCall::Close);
    b.transition(1600 * kMs, S, ArcId::CloseWaitClose);
    const auto fin2 = b.send(1600 * kMs, S, FIN | ACK, 301, 202, 0, 1650 * kMs);
    b.arrive(1650 * kMs, fin2);
    b.tcb(C, [](Tcb& t) {
        t.timeWaitStartUs = 1650 * kMs;
        t.timeWaitDeadlineUs = 61650 * kMs;
    });
    b.transition(1650 * kMs, C, ArcId::FinWait2RcvFin);
    const auto lastAck = b.send(1650 * kMs, C, ACK, 202, 302, 0, 1700 * kMs);
    b.arrive(1700 * kMs, lastAck);
    b.transition(1700 * kMs, S, ArcId::LastAckAckOfFin);
    b.tcb(C, [](Tcb& t) {
        t.timeWaitStartUs.reset();
        t.timeWaitDeadlineUs.reset();
    });
    b.timer(61650 * kMs, C, TimerKind::TimeWait);
    b.transition(61650 * kMs, C, ArcId::TimeWaitTimeout);
    return b.take();
}

/// A long synthetic bulk transfer: `segments` data segments from the client,
/// one every `gapUs`, each ACKed by the server, latency 10 ms. For benchmarks.
inline Trace bulkTransfer(std::size_t segments, std::int64_t gapUs = 1000) {
    using namespace flag;
    TraceBuilder b;
    const auto C = Side::Client;
    const auto S = Side::Server;
    b.transition(0, S, ArcId::PassiveOpen);
    b.transition(0, C, ArcId::ActiveOpen);
    b.transition(0, C, ArcId::RcvSynAck);
    b.transition(0, S, ArcId::RcvSyn);
    b.transition(0, S, ArcId::RcvAckOfSyn);
    const std::int64_t latency = 10'000;
    std::vector<std::pair<std::int64_t, std::uint32_t>> pending; // arrival, id
    std::size_t next = 0;
    std::uint32_t seq = 101;
    std::size_t sent = 0;
    std::int64_t t = 1000;
    // Interleave sends and arrivals in time order.
    while (sent < segments || next < pending.size()) {
        const bool sendNow =
            sent < segments && (next >= pending.size() || t <= pending[next].first);
        if (sendNow) {
            if (sent % 2 == 0) {
                const auto id = b.send(t, C, PSH | ACK, seq, 301, 1000, t + latency);
                pending.emplace_back(t + latency, id);
                seq += 1000;
            } else {
                const auto id = b.send(t, S, ACK, 301, seq, 0, t + latency);
                pending.emplace_back(t + latency, id);
            }
            ++sent;
            t += gapUs;
        } else {
            b.arrive(pending[next].first, pending[next].second);
            ++next;
        }
    }
    return b.take();
}

} // namespace tcpviz::viewtest
