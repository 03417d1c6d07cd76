#pragma once
// Compares what the kernel did with what the simulator says the same side does.

#include "kernel_run.h"
#include "trace/trace.h"

#include <cstdint>
#include <string>
#include <vector>

namespace tcpviz::conformance {

/// What the simulation says the kernel side does, up to `untilUs`: the segments
/// its TCP sends (retransmissions included; network duplicates and injected
/// segments are not its own) and the states it enters. `anchors` are the times
/// of the scripted actions (peer arrivals, user calls), from which timing
/// tolerances are measured.
struct Expected {
    std::vector<TimedSegment> sent;
    std::vector<TimedState> states;
    std::vector<std::int64_t> anchors;
};
[[nodiscard]] Expected expectedFromTrace(const Trace& trace, Side side, std::int64_t untilUs);

/// How far apart a kernel time may be from the simulated one: 50 ms (Linux's
/// 40 ms delayed-ACK minimum against its quick-ACK mode, plus jiffy and timer
/// wheel rounding) plus 13 % of the time since the latest scripted action or
/// previous expected item (the timer wheel rounds long timers up by up to 1/8).
[[nodiscard]] std::int64_t toleranceUs(std::int64_t expectedUs, std::int64_t sinceUs);

struct Verdict {
    bool agree = true;
    /// The earliest difference, "segment 4: expected FIN,ACK seq=1 ack=1 len=0 at
    /// 1.000s, kernel ACK seq=1 ack=2 len=0 at 1.051s"; empty when they agree.
    std::string firstDifference;
};

/// Segments are compared in order by flags, relative SEQ (from the side's own
/// SYN; absolute when it sent none), relative ACK (from the peer's ISN, which the
/// scripted peer shares with the simulation), payload length and time; states
/// in order by name and time. Kernel items after `untilUs` are not compared. A
/// segment with no scripted action since the previous one (a retransmission, a
/// timer's probe) is timed from when the kernel really sent that previous one.
[[nodiscard]] Verdict compare(const Trace& trace, Side side, const KernelRecord& kernel,
                              std::int64_t untilUs);

/// Compares only the segments: `expected.sent` (in the order of the script, with
/// the peer's ISN `peerIss` in their ACK fields) against what the kernel sent up
/// to `untilUs`, as `compare` does. For packetdrill scripts, which carry no states.
[[nodiscard]] Verdict compareSent(const Expected& expected, const KernelRecord& kernel,
                                  std::uint32_t peerIss, std::int64_t untilUs);

/// The errors a program sees: every error the kernel side's application got
/// (KernelRecord::errors, up to `untilUs`) must be, in order, an Error event of
/// the simulated side with the same errno and call. Empty when they agree, else
/// "kernel ECONNRESET from recv at 1.050s, simulation: none".
[[nodiscard]] std::string compareErrors(const Trace& trace, Side side, const KernelRecord& kernel,
                                        std::int64_t untilUs);

/// "FIN,ACK seq=1 ack=2 len=0 at 1.055s | ..." of segments a side sent.
[[nodiscard]] std::string describeAll(const std::vector<TimedSegment>& sent, std::uint32_t peerIss);

/// Both sides' segments and states, one per line, for a report that shows a DIFF.
[[nodiscard]] std::string sideBySide(const Trace& trace, Side side, const KernelRecord& kernel,
                                     std::int64_t untilUs);

/// "SYN,ACK seq=0 ack=1 len=0 at 0.060s"
[[nodiscard]] std::string describe(const Segment& s, std::optional<std::uint32_t> iss,
                                   std::uint32_t peerIss, std::int64_t timeUs);

} // namespace tcpviz::conformance
