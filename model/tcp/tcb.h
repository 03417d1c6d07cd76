#pragma once

#include "state.h"

#include <cstdint>
#include <optional>

namespace tcpviz {

/// Transmission Control Block variables (RFC 9293 section 3.3.1) plus what the
/// views show about timers. A copy is stored in the Trace after every event.
/// Deadlines are absolute simulation/capture times in microseconds.
struct Tcb {
    State state = State::Closed;
    bool passiveOpen = false; ///< reached SYN-RECEIVED from LISTEN (RST returns there)

    std::uint32_t iss = 0;
    std::uint32_t irs = 0;
    std::uint32_t sndUna = 0;
    std::uint32_t sndNxt = 0;
    std::uint32_t sndWnd = 0;
    std::uint32_t rcvNxt = 0;
    std::uint32_t rcvWnd = 0;

    std::uint32_t sendQueued = 0;  ///< bytes SENT by the user, not yet transmitted
    std::uint32_t unreadBytes = 0; ///< bytes received, not yet read by the application
    bool finQueued = false;        ///< CLOSE/shutdown called, FIN not yet sent
    bool finSent = false;
    bool finAcked = false;
    bool finReceived = false;
    std::uint32_t retries = 0; ///< consecutive retransmissions of the oldest segment
    std::int64_t rtoUs = 0;    ///< current retransmission timeout (after backoff)

    std::optional<std::int64_t> retransmitDeadlineUs;
    std::optional<std::int64_t> timeWaitDeadlineUs;
    std::optional<std::int64_t> userTimeoutDeadlineUs;
    std::optional<std::int64_t> delayedAckDeadlineUs;
    std::optional<std::int64_t> finWait2DeadlineUs;
    /// When the running 2MSL / retransmission timers were (re)started, for brackets.
    std::optional<std::int64_t> timeWaitStartUs;
    std::optional<std::int64_t> retransmitStartUs;

    bool operator==(const Tcb&) const = default;
};

} // namespace tcpviz
