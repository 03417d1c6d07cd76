#pragma once

// Small builders for Scenario structs and readers of Traces, shared by the
// endpoint and simulator tests. Scenarios are built in C++ here so that these
// tests do not depend on the YAML parser.

#include "scenario/scenario.h"
#include "sim/simulator.h"
#include "trace/trace.h"

#include <functional>
#include <set>
#include <string>
#include <vector>

namespace tcpviz::test {

inline constexpr std::int64_t kMs = 1'000;
inline constexpr std::int64_t kSec = 1'000'000;

/// Client 192.168.0.2:52528 ISN 100, server 192.168.0.1:80 ISN 300, 50 ms each way.
[[nodiscard]] Scenario baseScenario(Profile profile = Profile::Rfc9293);

[[nodiscard]] Step atStep(std::int64_t atUs, Side side, Action action, std::uint32_t bytes = 0);
[[nodiscard]] Step whenStep(Side whenSide, State whenState, std::int64_t afterUs, Side side,
                            Action action, std::uint32_t bytes = 0);
[[nodiscard]] Step injectStep(std::int64_t atUs, Side to, std::uint8_t flags, std::uint32_t seq,
                              std::uint32_t ack = 0, std::uint32_t len = 0);
[[nodiscard]] Fault fault(FaultKind kind, Side from, const std::string& flags,
                          std::optional<std::uint32_t> nth = 1, bool every = false);

/// LISTEN at 0, connect at 0.
[[nodiscard]] Scenario handshakeScenario(Profile profile = Profile::Rfc9293);

[[nodiscard]] std::vector<State> statesOf(const Trace& t, Side side);
/// Flags of every segment sent (network duplicates excluded), e.g. "c:SYN", "s:SYN,ACK".
[[nodiscard]] std::vector<std::string> segmentsOf(const Trace& t);
[[nodiscard]] std::vector<const TraceEvent*> sendsOf(const Trace& t, Side side,
                                                     const std::string& flags = {});
[[nodiscard]] std::set<ArcId> arcsOf(const Trace& t);
[[nodiscard]] bool tookArc(const Trace& t, ArcId id);
/// The whole trace, one event per line: printed when an assertion fails.
[[nodiscard]] std::string dump(const Trace& t);

/// A named simulation used both by a focused test and by the arc-coverage test.
struct NamedSimulation {
    std::string name;
    std::function<Trace()> run;
};
/// Every simulation whose arcs count towards catalog coverage.
[[nodiscard]] const std::vector<NamedSimulation>& coverageSimulations();
[[nodiscard]] Trace runNamed(const std::string& name);

} // namespace tcpviz::test
