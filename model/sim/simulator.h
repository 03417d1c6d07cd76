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
    /// Nothing at or after this simulated time is processed (a 15 min cap, so that
    /// a scenario with endless retransmissions still ends).
    std::int64_t timeLimitUs = 15LL * 60 * 1'000'000;
};

/// The address a side gets when the scenario gives none.
[[nodiscard]] std::string_view defaultAddress(Side side);

/// Deterministic discrete-event simulation of two endpoints joined by a network
/// with latency and scripted faults. Same scenario, same Trace.
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
