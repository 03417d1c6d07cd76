#pragma once

// Runs a scenario with bounds that keep one fuzz input fast, then hands the Trace
// to everything that reads one (JSON, RFC notation, narration, text diagrams), as
// the CLI and the desktop program would.
#include "narration/narrator.h"
#include "scenario/scenario.h"
#include "sim/simulator.h"
#include "text/rfc_notation.h"
#include "text/sequence_text.h"
#include "trace/trace_json.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>

namespace tcpviz::fuzz {

/// Simulated time and simulator steps allowed per input: endless retransmission
/// or a TIME-WAIT of hours must not turn into a timeout.
inline constexpr std::int64_t kSimTimeLimitUs = 5LL * 60 * 1'000'000;
inline constexpr int kMaxSimSteps = 1000;

inline void consumeTrace(const Trace& trace) {
    (void)traceToJson(trace).dump();
    (void)formatRfcNotation(trace);
    (void)trace.states(Side::Client);
    (void)trace.states(Side::Server);
    const std::size_t n = trace.size();
    for (std::size_t i = 0; i < n; i += std::max<std::size_t>(1, n / 16)) {
        (void)narrate(trace, i);
    }
    (void)mermaidSequence(trace, n);
    (void)plantUmlSequence(trace, n / 2);
    if (n > 0) {
        (void)trace.snapshotAt(n);
    }
}

/// Simulates `scenario` within the bounds; returns the simulator so callers can fork it.
inline Simulator runBounded(const Scenario& scenario, int maxSteps = kMaxSimSteps) {
    SimulatorOptions options;
    options.timeLimitUs = kSimTimeLimitUs;
    Simulator sim(scenario, options);
    for (int i = 0; i < maxSteps && sim.step(); ++i) {
    }
    return sim;
}

} // namespace tcpviz::fuzz
