#pragma once

#include "scenario/scenario.h"
#include "trace/trace.h"

#include <array>
#include <cstdint>
#include <memory>
#include <string_view>

namespace tcpviz {

/// Knobs that the scenario format does not (yet) carry.
struct SimulatorOptions {
    /// Whether each side's application reads what arrives (client, server).
    /// A side that does not read keeps `unreadBytes`; in the linux profile its
    /// CLOSE then resets the connection.
    std::array<bool, 2> applicationReads{true, true};
    /// Nothing after this simulated time is processed (a 15 min cap, so that a
    /// scenario with endless retransmissions still ends).
    std::int64_t timeLimitUs = 15LL * 60 * 1'000'000;
};

/// The address a side gets when the scenario gives none: 192.168.0.2:52528 for
/// the client, 192.168.0.1:80 for the server.
[[nodiscard]] SocketAddress defaultAddress(Side side);

/// Deterministic discrete-event simulation of two endpoints joined by a network
/// with latency and scripted faults. Same scenario, same Trace.
///
/// What the Trace looks like (the views and the CLI rely on it):
/// * Happenings at the same time run in the order they were scheduled. Each one
///   appends a leading event (Call, Arrive or Timer) followed by what the
///   endpoint did, in order: a Send before the Transition it causes (`connect`:
///   Call, Send SYN, Transition CLOSED -> SYN-SENT).
/// * Snapshots: the leading event shows both TCBs before the endpoint reacted,
///   unless it reacted silently (a pure ACK advancing SND.UNA), in which case it
///   shows the result; every later event shows the TCB right after it.
/// * Send carries `segmentId` and `plannedArrivalUs`; its Arrive (at exactly that
///   time) or Drop has the same id. A dropped segment's Drop is recorded half-way
///   between sending and the planned arrival. A duplicate made by the network is
///   a second Send (`duplicate` = true, its own id, same time as the original)
///   with its own Arrive.
/// * `inject` steps: a Send by the side opposite `to` (`injected` = true,
///   `plannedArrivalUs` = now) immediately followed by its Arrive. Faults never
///   apply to injected segments.
/// * A scripted endpoint (`role: scripted`) has no TCP: its TCB stays as it
///   started (CLOSED), segments arriving there get an Arrive and no answer, and
///   user calls on it are recorded with a `callError`.
/// * A user call that the state forbids is recorded as a Call with the RFC 9293
///   error text in `callError` ("connection does not exist", "connection
///   already exists", "connection closing") and changes nothing.
/// * The Call of an action step and the injected Send of an inject step carry the
///   step's index (`step`); a step's note goes into `meta.stepNotes` on that event.
/// * A `when` step runs once, the first time its side enters the state (the
///   initial state does not count), `after` later; `when` takes precedence over
///   `at`. Steps without either run at time 0.
/// * Faults count, per fault, the segments of `from` whose flags are exactly
///   `flags` and that were sent at or after `sentAtOrAfterUs`; `nth` (default 1)
///   or `every` selects which of them are hit.
/// * Default ISNs (no `isn:`) are a hash of the scenario id and side; default
///   addresses are 192.168.0.2:52528 (client) and 192.168.0.1:80 (server).
///
/// The simulator is a value type: copying it forks the simulation. The desktop
/// program's what-if branches run a copy to a position, intervene, and continue.
class Simulator {
public:
    explicit Simulator(const Scenario& scenario);
    Simulator(const Scenario& scenario, SimulatorOptions options);
    ~Simulator();
    Simulator(const Simulator& other);
    Simulator& operator=(const Simulator& other);
    Simulator(Simulator&&) noexcept;
    Simulator& operator=(Simulator&&) noexcept;

    /// Processes the next scheduled happening (which may append several events).
    /// Returns false when nothing is left to do or the time limit is reached.
    bool step();
    /// Runs until the trace holds at least `eventCount` events (or nothing is left).
    void runUntil(std::size_t eventCount);
    /// Runs to completion.
    void runToEnd();

    /// What-if interventions, applied at the current simulated time.
    void userCall(Side side, UserCall call, std::uint32_t bytes = 0);
    /// A fault for segments sent from now on (`sentAtOrAfterUs` is set to now).
    void addFault(Fault fault);

    [[nodiscard]] const Trace& trace() const;
    [[nodiscard]] std::int64_t nowUs() const;

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

/// Convenience: simulate a scenario to the end.
[[nodiscard]] Trace simulate(const Scenario& scenario);
[[nodiscard]] Trace simulate(const Scenario& scenario, SimulatorOptions options);

} // namespace tcpviz
