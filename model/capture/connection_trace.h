#pragma once

#include "base/error.h"
#include "capture/analyzer.h"
#include "capture/packet.h"
#include "trace/trace.h"

#include <atomic>
#include <span>
#include <string>
#include <string_view>
#include <vector>

// One captured connection made steppable: its packets re-read on demand and
// turned into the same Trace the simulator writes, so every view plays it.

namespace tcpviz {

/// A steppable Trace of one connection from its packets: one Send and one Arrive
/// event per packet (`packet` = `segmentId` = frame number), the inferred
/// transitions with their arcs, and both endpoints' inferred Tcb after every event.
///
/// The capture point lies between the ends (CapturePointEstimator): a packet
/// captured at time c left its sender at c - (delay to the sender) and reached its
/// receiver at c + (delay to the receiver). Those estimated moments are the events'
/// times, so the ladder draws the packet as a slanted arrow that crosses the capture
/// line at c (`capturedUs`), and the events are in the order of those moments. A
/// sender's own transition (`snd FIN`) precedes its Send at the send time, the
/// receiver's reaction follows the Arrive at the arrival time. What the capture
/// proves is kept where an estimate would contradict it (a host that answered
/// faster than the estimated round trip): each side's transitions stay in order,
/// and an ACK leaves no earlier than the segments it acknowledges arrived; such
/// an event is moved to the earliest moment that agrees. Without an estimate (basis none)
/// every event happens at its capture time and the arrows are flat.
///
/// Times are microseconds after meta.captureStartNs, the earliest estimated moment.
/// `source` (file name or interface) labels the capture point (meta.capture).
[[nodiscard]] Trace buildConnectionTrace(std::span<const DecodedPacket> packets,
                                         std::string_view source = {});
/// The same, stopped on request: when `cancel` (nullptr: never) becomes true, set by
/// another thread because the Trace is no longer wanted, the build stops within
/// kCancelCheckEvery (packet_index.h) packets or events and returns an Error marked
/// cancelled (Error::cancelled, file `source`), never a Trace of the packets so far.
[[nodiscard]] Result<Trace> buildConnectionTrace(std::span<const DecodedPacket> packets,
                                                 std::string_view source,
                                                 const std::atomic<bool>* cancel);

/// Re-reads `path` and returns the packets of one connection of an earlier analysis
/// (same tuple, between its first and last packet): the per-connection detail is
/// only built on demand. An Error if the file cannot be read; an Error marked
/// cancelled when `cancel` became true during the read (checked before every frame).
[[nodiscard]] Result<std::vector<DecodedPacket>>
collectConnectionPackets(const std::string& path, const AnalyzeOptions& options,
                         const ConnectionSummary& connection,
                         const std::atomic<bool>* cancel = nullptr);

} // namespace tcpviz
