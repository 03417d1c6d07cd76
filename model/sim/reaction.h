#pragma once

// What both simulators do with one connection, whatever schedules it: record an
// endpoint's reaction in the Trace's order, put a segment through the network's
// scripted faults, and say which endpoint timers need a queue entry. The queue,
// the steps and the listener stay with each simulator (Simulator, simulateHosts).

#include "scenario/scenario.h"
#include "tcp/endpoint.h"
#include "trace/trace.h"

#include <array>
#include <cstdint>
#include <optional>
#include <queue>
#include <utility>
#include <vector>

namespace tcpviz {

/// A simulator's happenings ordered by (time, insertion order), so that equal
/// times always resolve the same way. `Item` has `timeUs` and `order`.
template <typename Item> class EventQueue {
public:
    void push(std::int64_t timeUs, Item item) {
        item.timeUs = timeUs;
        item.order = m_nextOrder++;
        m_queue.push(std::move(item));
    }
    /// Takes the next happening, unless nothing is left or it comes after `limitUs`.
    [[nodiscard]] std::optional<Item> next(std::int64_t limitUs) {
        if (m_queue.empty() || m_queue.top().timeUs > limitUs) {
            return std::nullopt;
        }
        Item item = m_queue.top();
        m_queue.pop();
        return item;
    }

private:
    struct Later {
        bool operator()(const Item& a, const Item& b) const {
            return a.timeUs != b.timeUs ? a.timeUs > b.timeUs : a.order > b.order;
        }
    };
    std::priority_queue<Item, std::vector<Item>, Later> m_queue;
    std::uint64_t m_nextOrder = 0;
};

/// An endpoint's events of one reaction in the order a Trace records them: each
/// transition moved ahead of the segments it sends, which then carry the new
/// state (the simulators' shared rule, see Simulator).
[[nodiscard]] std::vector<EndpointEvent> arcBeforeItsSegments(std::vector<EndpointEvent> events);

/// One connection as a simulator keeps it: what recordReaction() asks of it.
class ConnectionRecorder {
public:
    ConnectionRecorder() = default;
    ConnectionRecorder(const ConnectionRecorder&) = delete;
    ConnectionRecorder& operator=(const ConnectionRecorder&) = delete;
    virtual ~ConnectionRecorder() = default;

    /// Both TCBs as they are now.
    [[nodiscard]] virtual Snapshot current() const = 0;
    /// Appends `e` to the connection's Trace at the current time.
    virtual void record(TraceEvent e, const Snapshot& snap) = 0;
    /// A Send the endpoint made: the simulator puts it on the network (see
    /// network()) and records it.
    virtual void send(TraceEvent e, const Snapshot& snap) = 0;
    /// `side` entered `state`: `when` steps and the like start.
    virtual void entered(Side side, State state) = 0;
    [[nodiscard]] virtual std::int64_t nowUs() const = 0;
};

/// Records `lead` (the Call, Arrive or Timer that made `side` react; none when
/// the reaction has no cause of its own) and then `events`, what the endpoint
/// did, in arcBeforeItsSegments() order. The lead shows `before` unless the
/// endpoint reacted silently; each later event shows the TCB right after it,
/// the last one the endpoint's final TCB (so that SND.UNA advancing on a pure
/// ACK still shows).
void recordReaction(ConnectionRecorder& rec, Side side, std::optional<TraceEvent> lead,
                    const Snapshot& before, std::vector<EndpointEvent> events);

/// Runs `work` on `ep`, the endpoint of `side`, and records its reaction.
template <typename Work>
void react(ConnectionRecorder& rec, Endpoint& ep, Side side, std::optional<TraceEvent> lead,
           Work&& work) {
    const Snapshot before = rec.current();
    std::forward<Work>(work)(ep);
    recordReaction(rec, side, std::move(lead), before, ep.takeEvents());
}

/// Both TCBs as they are now: each endpoint's, and for a side without one (a
/// scripted or forged end) the one `trace` shows last.
[[nodiscard]] Snapshot currentSnapshot(const Trace& trace,
                                       const std::array<std::optional<Endpoint>, 2>& endpoints);

/// Appends `e` to `trace` at `nowUs`; the note of the scenario step that caused
/// it (`e.step`) goes on it. A side's first SYN (or SYN,ACK) of its own sets its
/// ISN in `trace.meta`, what relative numbers count from: a SYN cookie is not
/// the ISN the scenario configured.
void appendEvent(Trace& trace, const Scenario& scenario, TraceEvent e, const Snapshot& snap,
                 std::int64_t nowUs);

/// The Arrive of a segment at `to`.
[[nodiscard]] TraceEvent arriveEvent(Side to, const Segment& seg, std::uint32_t segmentId,
                                     bool duplicate, bool injected);
/// The Drop of a segment `from` sent.
[[nodiscard]] TraceEvent dropEvent(Side from, const Segment& seg, std::uint32_t segmentId);
/// A socket error reported to the application of `side`.
[[nodiscard]] TraceEvent errorEvent(Side side, SocketError error, ErrorCall call);
/// The Send of an `inject` step (scenario step `step`): by the side opposite
/// `spec.to`, from `fromPort` to `toPort`, arriving at once (`nowUs`).
[[nodiscard]] TraceEvent injectedSend(const InjectSpec& spec, std::uint16_t fromPort,
                                      std::uint16_t toPort, std::uint32_t step,
                                      std::uint32_t segmentId, std::int64_t nowUs);

/// Which scenario steps are due: those without `when` at the start, each `when`
/// step the first time its side enters its state (each step runs once).
class StepTriggers {
public:
    struct Due {
        std::size_t step = 0;
        std::int64_t atUs = 0;
    };
    /// The steps without `when`, at `at` + `after` (0 when neither is given).
    [[nodiscard]] std::vector<Due> start(const std::vector<Step>& steps);
    /// The steps waiting for `side` to enter `state`, `after` from `nowUs`.
    [[nodiscard]] std::vector<Due> entered(const std::vector<Step>& steps, Side side, State state,
                                           std::int64_t nowUs);

private:
    std::vector<bool> m_fired;
};

/// A scripted fault and how many segments it has matched so far.
struct FaultState {
    Fault fault;
    std::uint32_t matched = 0;
};

/// One copy of a segment on the wire: its Send event (segment id and planned
/// arrival set) and when it arrives, or, lost, when its Drop is recorded.
struct Transit {
    TraceEvent send;
    bool lost = false;
    std::int64_t atUs = 0;
    Side at = Side::Server; ///< where it arrives; lost: its sender
};

/// A segment leaves `send.endpoint` at `nowUs`: the faults that match it (from,
/// exact flags, sent at or after; `nth` or `every`) drop, delay or duplicate it.
/// The original comes first, then the network's copies (`duplicate`, no note),
/// each with the next segment id. `faults` may be null: no faults apply.
[[nodiscard]] std::vector<Transit> network(TraceEvent send, std::int64_t nowUs,
                                           std::int64_t latencyUs, std::vector<FaultState>* faults,
                                           std::uint32_t& nextSegmentId);

/// A timer deadline that needs a queue entry.
struct TimerDue {
    TimerKind kind = TimerKind::Retransmission;
    std::int64_t atUs = 0;
};

/// The deadlines of one endpoint a simulator has queued. An entry whose
/// deadline has since moved is stale: the simulator skips it when it comes up.
class TimerSlots {
public:
    /// The deadlines of `ep` that are set and changed since the last call.
    [[nodiscard]] std::vector<TimerDue> changed(const Endpoint& ep);

private:
    static constexpr std::array kKinds{TimerKind::Retransmission, TimerKind::TimeWait,
                                       TimerKind::UserTimeout, TimerKind::DelayedAck,
                                       TimerKind::FinWait2};
    std::array<std::optional<std::int64_t>, kKinds.size()> m_slots{};
};

} // namespace tcpviz
