#pragma once

#include "trace/trace.h"

#include <string>

namespace tcpviz {

/// Writes the segments of a simulated Trace as an Ethernet/IPv4 (or IPv6) pcap
/// file that Wireshark opens: one frame per segment as seen on the wire next to
/// the sender (dropped segments included, as a sniffer there would see them).
/// Returns false and sets `error` (naming the file) when it cannot be written.
bool writeTracePcap(const Trace& trace, const std::string& path, std::string& error);

} // namespace tcpviz
