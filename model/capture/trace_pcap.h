#pragma once

#include "base/error.h"
#include "capture/packet.h"
#include "trace/trace.h"

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace tcpviz {

/// Writes the segments of a simulated Trace as an Ethernet/IPv4 (or IPv6) pcap
/// file that Wireshark opens: one frame per segment as seen on the wire next to
/// the sender (dropped segments included, as a sniffer there would see them).
/// The Error names the file when it cannot be written.
///
/// With `tap`, the file is what one sniffer at fraction `tap` of the path would
/// record (0: beside the client, 1: beside the server): each segment is stamped
/// when it passes the tap, send time + distance from its sender × its transit
/// time, and the frames are in that order. The simulator loses a segment half-way
/// along the path (where the ladder draws the cross): a lost segment is recorded
/// only if the tap lies before that point, seen from its sender.
Status writeTracePcap(const Trace& trace, const std::string& path,
                      std::optional<double> tap = std::nullopt);

/// Several Traces on one wire (the connections of a multi-connection simulation):
/// every Trace's segments, as writeTracePcap records each, in one file in time
/// order (equal times: in the order of `traces`, then of sending).
Status writeTracesPcap(std::span<const Trace* const> traces, const std::string& path,
                       std::optional<double> tap = std::nullopt);

/// The packets writeTracesPcap would record, numbered from 1 in that order; when
/// `owner` is given, it receives each packet's index into `traces`.
[[nodiscard]] std::vector<DecodedPacket> tracesPackets(std::span<const Trace* const> traces,
                                                       std::optional<double> tap = std::nullopt,
                                                       std::vector<std::uint32_t>* owner = nullptr);

/// The packets writeTracePcap would record, as the decoder reads them back, without
/// a file: same tap rule, same order, numbered from 1, times in ns from time 0.
[[nodiscard]] std::vector<DecodedPacket> tracePackets(const Trace& trace,
                                                      std::optional<double> tap = std::nullopt);

} // namespace tcpviz
