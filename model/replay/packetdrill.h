#pragma once

#include "tcp/endpoint_types.h"
#include "trace/trace.h"

#include <string>

// A simulated connection as a packetdrill script: one side is the kernel under
// test, the other side's segments are injected.

namespace tcpviz {

/// The packetdrill script in which `kernel` is the kernel under test: its socket
/// calls (socket, bind, listen, accept or connect, write, read, shutdown, close,
/// SO_LINGER 0 before an abort) at their times, the peer's segments as they arrive
/// (`<`, injected; a lost one never arrives) and the kernel's own segments as it
/// sends them (`>`, asserted). Times are absolute seconds from the trace's start;
/// sequence numbers relative to each side's ISN, as packetdrill writes them (the
/// kernel's SYN is 0:0(0), its first data byte 1). `readsData`: whether the
/// kernel's application reads what arrives (a `read` after each data segment).
[[nodiscard]] std::string packetdrillScript(const Trace& trace, Side kernel, bool readsData = true);

} // namespace tcpviz
