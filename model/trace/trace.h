#pragma once

#include "tcp/address.h"
#include "tcp/arc.h"
#include "tcp/endpoint_types.h"
#include "tcp/segment.h"
#include "tcp/send_reason.h"
#include "tcp/state.h"
#include "tcp/tcb.h"
#include "text/localized.h"

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tcpviz {

enum class EventKind : std::uint8_t { Call, Send, Arrive, Drop, Timer, Transition, Error };
[[nodiscard]] std::string_view eventKindName(EventKind k); ///< JSON spelling: "call", "send", ...

/// One thing that happened. Fields not used by a kind keep their defaults.
///
/// * Call: `endpoint` is the side whose application called; `call`, `bytes`, `callError`.
/// * Send: `endpoint` sent `segment` for `reason`; `segmentId` links it to its
///   Arrive or Drop; `plannedArrivalUs` is when the network delivers (or would have
///   delivered) it.
/// * Arrive: `endpoint` received `segment` (same `segmentId` as its Send).
/// * Drop: the network lost the segment `endpoint` sent (time: when it was lost).
/// * Timer: a timer of `endpoint` fired.
/// * Transition: `endpoint` went `from` -> `to` along `arc`.
/// * Error: `endpoint`'s application learns `socketError` from the call
///   `errorCall` (a refused or reset connection, a timeout, a broken pipe).
struct TraceEvent {
    std::uint32_t index = 0;
    std::int64_t timeUs = 0;
    Side endpoint = Side::Client;
    EventKind kind = EventKind::Call;

    UserCall call = UserCall::Listen;
    std::uint32_t bytes = 0;
    std::string callError; ///< non-empty when the call was refused ("connection does not exist")

    Segment segment;
    SendReason reason = SendReason::Unknown; ///< Send: why it was sent (a network copy keeps it)
    std::uint32_t segmentId = 0;
    std::int64_t plannedArrivalUs = 0;
    bool retransmission = false;
    bool duplicate = false; ///< an extra copy made by the network
    bool injected = false;  ///< came from a scenario `inject` step, not a TCP endpoint
    /// Send/Arrive of a captured segment: when the capture point saw it (same time
    /// base as `timeUs`, which is then the estimated moment of sending or arriving).
    std::int64_t capturedUs = 0;
    /// From a capture: the frame number of the packet this one repeats, when the
    /// capture recorded one datagram twice (CaptureCopies); 0 otherwise. Not a
    /// retransmission and not a network duplicate: TCP and IP sent it once.
    std::uint32_t captureCopyOf = 0;

    TimerKind timer = TimerKind::Retransmission;

    State from = State::Closed;
    State to = State::Closed;
    ArcId arc = ArcId::PassiveOpen;

    SocketError socketError = SocketError::ConnectionRefused;
    ErrorCall errorCall = ErrorCall::Recv;

    /// The scenario step (index into Scenario::steps) that made this event happen:
    /// set on the Call of an action step and on the injected Send of an inject step.
    std::optional<std::uint32_t> step;
    std::uint32_t packet = 0; ///< 1-based frame number when the event came from a capture
    /// Producer's remark for people, e.g. "challenge ACK (RFC 5961)"; shown as is,
    /// never interpreted (`reason` says what it means).
    std::string note;
};

/// The Transition event "`side` went `from` -> `to` along `arc` at `timeUs`",
/// the one way every producer (simulator, capture analysis) records a transition.
[[nodiscard]] TraceEvent transitionEvent(std::int64_t timeUs, Side side, State from, State to,
                                         ArcId arc);

/// What people are told about event `e` beyond its fields: the producer's `note`;
/// without one, the simulator's words for a loss ("lost in the network"), a copy
/// made by the network and an injected segment. Empty when there is nothing to add.
[[nodiscard]] std::string_view displayNote(const TraceEvent& e);

/// Both endpoints after an event.
struct Snapshot {
    std::array<Tcb, 2> tcb{};
    [[nodiscard]] const Tcb& of(Side s) const { return tcb.at(static_cast<std::size_t>(s)); }
    [[nodiscard]] Tcb& of(Side s) { return tcb.at(static_cast<std::size_t>(s)); }
};

struct TraceEndpointInfo {
    SocketAddress address; ///< shown as "192.168.0.2:52528" or "[::1]:80"
    /// What relative numbers count from. Simulated: the ISN the side's first SYN
    /// or SYN,ACK really carried (a SYN cookie is the listener's own), the
    /// configured one until it sends one.
    std::uint32_t isn = 0;
};

/// How the one-way delays between a capture point and the endpoints were estimated.
enum class DelayBasis : std::uint8_t {
    None,      ///< no estimate: the capture shows no handshake and no data answered
    Handshake, ///< SYN -> SYN,ACK and SYN,ACK -> ACK, each halved
    Data,      ///< the quickest data -> ACK answer in each direction, halved
};

/// For a Trace built from a capture: where on the path the capture was taken and
/// how much of the connection it shows.
///
/// ```
///  client        capture point        server
///    |--clientUs-->:                    |
///    |             :<-----serverUs------|
/// ```
struct CaptureView {
    std::string source; ///< the file's name or the interface: the capture line's label
    DelayBasis basis = DelayBasis::None;
    std::int64_t clientUs = 0; ///< estimated one-way delay, capture point <-> client
    std::int64_t serverUs = 0; ///< estimated one-way delay, capture point <-> server
    /// The capture starts after the handshake (no SYN): the states the ends start
    /// in are assumed, not seen.
    bool startLost = false;
    /// Whether the capture holds any packet sent by that side (by Side).
    std::array<bool, 2> seen{true, true};
    [[nodiscard]] bool sawSide(Side s) const { return seen.at(static_cast<std::size_t>(s)); }
    /// Only one side's packets were captured (asymmetric routing, a one-way tap).
    [[nodiscard]] bool oneDirection() const { return !seen[0] || !seen[1]; }
};

/// A lecturer's remark attached to one event (a scenario step's `note`).
struct EventNote {
    std::uint32_t event = 0;
    LocalizedText text;
};

struct TraceMeta {
    std::string scenarioId;
    LocalizedText title;
    std::string profile = "rfc9293";
    TraceEndpointInfo client;
    TraceEndpointInfo server;
    bool fromCapture = false;
    /// Step notes of the scenario, on the events the steps caused (the simulator
    /// records them as the steps fire).
    std::vector<EventNote> stepNotes;
    /// For a Trace built from a capture: capture time (ns since the epoch) of event
    /// time 0, the earliest estimated moment of the connection (its first packet's
    /// send time; its capture time when no delay could be estimated).
    std::int64_t captureStartNs = 0;
    CaptureView capture; ///< for a Trace built from a capture
};

/// A state an endpoint occupied and the event that put it there (0 for the initial state).
struct StateEntry {
    State state = State::Closed;
    std::uint32_t event = 0;
};

/// One endpoint's reaction to one input: the Sends and Transitions it produced
/// at one instant, and the Call, Arrive or Timer that made it react.
struct Reaction {
    /// The Call, Arrive or Timer of the same endpoint at the same instant right
    /// before `begin`; none when the producer records no causes (a capture).
    std::optional<std::size_t> cause;
    std::size_t begin = 0; ///< first Send or Transition of the reaction
    std::size_t end = 0;   ///< one past the last
    /// The endpoint reacted without sending or changing state.
    [[nodiscard]] bool empty() const { return begin == end; }
};

/// The shared currency: an append-only list of events with a snapshot of both
/// endpoints after each. A *position* p in [0, size()] means "the first p events
/// have happened"; views draw a Trace at a position, and stepping back is a seek.
class Trace {
public:
    TraceMeta meta;

    Trace() = default;
    explicit Trace(Snapshot initial)
        : m_initial(initial) {}

    /// Appends an event (its index is set here) and the snapshot after it.
    void append(TraceEvent event, const Snapshot& after);

    [[nodiscard]] std::size_t size() const { return m_events.size(); }
    [[nodiscard]] bool empty() const { return m_events.empty(); }
    [[nodiscard]] const std::vector<TraceEvent>& events() const { return m_events; }
    [[nodiscard]] const TraceEvent& event(std::size_t i) const { return m_events.at(i); }
    [[nodiscard]] const Snapshot& initial() const { return m_initial; }
    void setInitial(const Snapshot& s) { m_initial = s; }

    /// Both endpoints at position p (p events applied). O(1).
    [[nodiscard]] const Snapshot& snapshotAt(std::size_t position) const;
    [[nodiscard]] State stateAt(Side side, std::size_t position) const {
        return snapshotAt(position).of(side).state;
    }
    /// Every state the endpoint occupied, in order, starting with its initial state.
    [[nodiscard]] std::vector<StateEntry> states(Side side) const;
    /// Index of the last transition event before position p, if any (the arc "just taken").
    [[nodiscard]] std::optional<std::size_t> lastTransitionBefore(std::size_t position,
                                                                  Side side) const;
    /// The reaction event i is part of or causes. A reaction is the longest run of
    /// Sends (not injected) and Transitions of one endpoint at one instant, in
    /// whatever order the producer recorded them; for a Call, Arrive or Timer it is
    /// the run right after it. An injected Send or a Drop causes nothing: its
    /// reaction is empty, just after it. `stateAt(side, reaction(i).end)` is the
    /// state once the endpoint has finished reacting.
    [[nodiscard]] Reaction reaction(std::size_t i) const;
    /// Number of Send events among the first p events. O(log n).
    [[nodiscard]] std::size_t segmentsSentBefore(std::size_t position) const;
    /// Position of the first event at or after time t. O(log n).
    [[nodiscard]] std::size_t positionAtTime(std::int64_t timeUs) const;
    [[nodiscard]] std::int64_t endTimeUs() const {
        return m_events.empty() ? 0 : m_events.back().timeUs;
    }

private:
    Snapshot m_initial;
    std::vector<TraceEvent> m_events;
    std::vector<Snapshot> m_after;
    std::vector<std::uint32_t> m_sendPositions; ///< indices of Send events, ascending
};

} // namespace tcpviz
