#pragma once

#include "capture/capture_document.h"
#include "scenario/scenario.h"
#include "sim/host_simulator.h"

namespace tcpviz {

/// A multi-connection simulation as a many-connection document, the one the
/// window fills from captures too: the connection table, the heat map and the
/// states-over-time chart read it, and the named connection's Trace is the
/// lesson's. Its timeline counts sockets as `simulation.counts` does (it lives
/// here, above capture and sim, so that neither depends on the other).
[[nodiscard]] CaptureDocument simulationDocument(HostSimulation simulation,
                                                 const Scenario& scenario);

} // namespace tcpviz
