#pragma once

#include "base/error.h"
#include "capture/analyzer.h"
#include "capture/packet.h"
#include "trace/trace.h"

#include <span>
#include <string>
#include <vector>

// One captured connection made steppable: its packets re-read on demand and
// turned into the same Trace the simulator writes, so every view plays it.

namespace tcpviz {

/// A steppable Trace of one connection from its packets, in capture order: one Send
/// event per packet (`packet` = frame number, `segmentId` = frame number), the
/// inferred transitions with their arcs, and both endpoints' inferred Tcb after
/// every event. Times are microseconds since the connection's first packet
/// (meta.captureStartNs holds that packet's capture time). A sender's own
/// transition (`snd FIN`) precedes its Send, the receiver's reaction follows it.
[[nodiscard]] Trace buildConnectionTrace(std::span<const DecodedPacket> packets);

/// Re-reads `path` and returns the packets of one connection of an earlier analysis
/// (same tuple, between its first and last packet): the per-connection detail is
/// only built on demand. An Error if the file cannot be read.
[[nodiscard]] Result<std::vector<DecodedPacket>>
collectConnectionPackets(const std::string& path, const AnalyzeOptions& options,
                         const ConnectionSummary& connection);

} // namespace tcpviz
