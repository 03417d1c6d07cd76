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

/// A call of the kernel side's application that failed with an errno a program
/// sees (connect's SO_ERROR, read, send; or SO_ERROR once the connection is gone
/// while the application still holds it: what its next read would return).
struct KernelError {
    std::int64_t timeUs = 0;
    SocketError error = SocketError::ConnectionReset;
    ErrorCall call = ErrorCall::Recv;
};

/// What the kernel side did.
struct KernelRecord {
    std::vector<TimedSegment> sent;  ///< every segment of the connection the kernel sent
    std::vector<TimedState> states;  ///< the initial state at 0, then every change
    std::vector<std::string> notes;  ///< "2.013s connect(): Connection timed out", ...
    std::vector<KernelError> errors; ///< trace mode: the errors the application saw
    /// Script mode: calls that did not return what the script says, "line 12: read(4,
    /// ..., 100) = 100: 0 bytes came by 3.100s".
    std::vector<std::string> callFailures;
    std::string error; ///< the harness failed (setup, timeout); empty when fine
};

/// One action of the kernel side's application or of the scripted peer.
struct ScriptStep {
    enum class Kind : std::uint8_t {
        Inject,        ///< the peer writes `segment` into the tun
        Listen,        ///< socket, SO_REUSEADDR, bind, listen (again, on an open listener)
        Connect,       ///< socket, bind, non-blocking connect
        Write,         ///< `bytes` zero bytes
        Read,          ///< the application reads `bytes` (script mode: waits for them, as a
                       ///< blocking read; trace mode: what is there now, all of it for 0)
        Accept,        ///< the application accepts the next connection as `result` (trace
                       ///< mode: the scenario accepts only at its `accept` steps)
        Shutdown,      ///< SHUT_WR
        Close,         ///< close(); RST when LingerZero came first
        Abort,         ///< SO_LINGER {1, 0} then close()
        LingerZero,    ///< setsockopt SO_LINGER {1, 0} alone (a packetdrill line)
        ShutdownRead,  ///< SHUT_RD
        ShutdownBoth,  ///< SHUT_RDWR
        CloseListener, ///< close() of the listening socket alone
    };
    std::int64_t timeUs = 0;
    Kind kind = Kind::Inject;
    /// Inject: the peer's numbers as in the simulation (its own ISN; ACKs in the
    /// simulated ISN of the kernel side, moved to the real one when written).
    Segment segment;
    std::uint32_t bytes = 0;
    int fd = -1;      ///< script mode: the script's fd (3, 4, ...); -1: the connection
    int result = -1;  ///< Accept: the fd the script gives the accepted connection
    int line = 0;     ///< script mode: the script's line, for messages
    std::string text; ///< script mode: the line as written, for messages
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

/// A packetdrill script as the harness plays it: the steps in time order, the
/// kernel side's simulated ISN (the base of the ACK fields of injected segments).
struct KernelScript {
    std::vector<ScriptStep> steps;
    SocketAddress local;  ///< the kernel side's address
    SocketAddress remote; ///< the scripted peer's
    std::uint32_t kernelIsn = 0;
};

/// Plays `script` in a forked child inside a fresh network namespace (sysctls
/// and addresses of `scenario`): the application does exactly the script's calls
/// (it reads only where the script reads, accepts only where it accepts) and
/// the peer injects the script's `<` segments. Returns what the kernel did.
[[nodiscard]] KernelRecord runKernelScript(const Scenario& scenario, const KernelScript& script,
                                           const RunOptions& options);

} // namespace tcpviz::conformance
