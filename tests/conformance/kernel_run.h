#pragma once
// Plays one side of a simulated scenario on the real Linux TCP of this machine.
//
// The kernel side is an ordinary socket in a namespace of its own; the other
// side is a scripted peer that writes into a tun device exactly the segments
// the simulated peer delivered, at the simulated arrival times (real time, not
// scaled), with the kernel's real ISN substituted in every ACK field. What the
// kernel sends is read from the tun; its state is sampled after every event and
// at least every 2 ms.

#include "scenario/scenario.h"
#include "tcp/segment.h"
#include "tcp/state.h"
#include "trace/trace.h"

#include <cstdint>
#include <string>
#include <vector>

namespace tcpviz::conformance {

struct TimedSegment {
    std::int64_t timeUs = 0;
    Segment segment;
};

struct TimedState {
    std::int64_t timeUs = 0;
    State state = State::Closed;
};

/// What the kernel side did.
struct KernelRecord {
    std::vector<TimedSegment> sent; ///< every segment of the connection the kernel sent
    std::vector<TimedState> states; ///< the initial state at 0, then every change
    std::vector<std::string> notes; ///< "2.013s connect(): Connection timed out", ...
    std::string error;              ///< the harness failed (setup, timeout); empty when fine
};

/// One namespace sysctl the harness sets, and why.
struct SysctlSetting {
    std::string key;
    std::string value;
};

/// The sysctls a scenario gets (see README.md in this folder for the reasons).
[[nodiscard]] std::vector<SysctlSetting> sysctlsFor(const Scenario& scenario);

struct RunOptions {
    Side kernelSide = Side::Client;
    /// How long the kernel is watched, from the first scripted action.
    std::int64_t observeUs = 5'000'000;
};

/// Runs the kernel side in a forked child inside a fresh network namespace and
/// returns what it did. `trace` is the simulation of `scenario`: the peer's
/// segments and the kernel side's user calls are taken from it.
[[nodiscard]] KernelRecord runKernelSide(const Scenario& scenario, const Trace& trace,
                                         const RunOptions& options);

} // namespace tcpviz::conformance
