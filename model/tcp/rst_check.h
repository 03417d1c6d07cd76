#pragma once

#include "tcp/segment.h"
#include "tcp/tcb.h"

#include <cstdint>

namespace tcpviz {

/// What an endpoint does with an arriving RST.
enum class RstVerdict : std::uint8_t {
    Reset,        ///< accepted: the connection is reset (or a half-open one returns to LISTEN)
    ChallengeAck, ///< in the window but not at RCV.NXT: answered with a challenge ACK
    Ignored,      ///< dropped silently
};

/// Why: the numbers the check compared, for an explanation.
struct RstCheck {
    RstVerdict verdict = RstVerdict::Ignored;
    State state = State::Closed; ///< the receiver's state
    /// Synchronized states: the RST's SEQ against RCV.NXT and the receive window
    /// [rcvNxt, windowEnd).
    std::uint32_t seq = 0;
    std::uint32_t rcvNxt = 0;
    std::uint32_t windowEnd = 0;
    bool inWindow = false;
    /// SYN-SENT: the RST counts only if it carries an ACK of our SYN (expectedAck).
    bool hasAck = false;
    std::uint32_t ack = 0;
    std::uint32_t expectedAck = 0;
};

/// The RST acceptability check of RFC 9293 section 3.10.7 with RFC 5961 section 3,
/// as Endpoint applies it to a RST arriving at an endpoint whose TCB is `receiver`:
/// in a synchronized state a RST is accepted only at exactly RCV.NXT, answered with
/// a challenge ACK elsewhere in the window and ignored outside it; in SYN-SENT it is
/// accepted only with an ACK of our SYN; in CLOSED and LISTEN it is ignored.
/// A test holds it to what the endpoint does in every built-in lesson.
[[nodiscard]] RstCheck checkRst(const Tcb& receiver, const Segment& rst);

} // namespace tcpviz
