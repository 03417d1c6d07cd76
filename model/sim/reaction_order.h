#pragma once

#include "tcp/endpoint.h"

#include <vector>

namespace tcpviz {

/// An endpoint's events of one reaction in the order a Trace records them: each
/// transition moved ahead of the segments it sends, which then carry the new
/// state (the simulators' shared rule, see Simulator).
[[nodiscard]] std::vector<EndpointEvent> arcBeforeItsSegments(std::vector<EndpointEvent> events);

} // namespace tcpviz
