#pragma once

#include "scenario/scenario.h"

#include <cstdint>
#include <string_view>

namespace tcpviz {

/// A listening socket's two queues, as Linux counts them (include/net/sock.h,
/// include/net/inet_connection_sock.h, kernel 6.14 and later).
struct ListenQueues {
    std::uint32_t synQueue = 0;    ///< request sockets in SYN-RECEIVED (icsk_accept_queue.qlen)
    std::uint32_t acceptQueue = 0; ///< established connections not yet accept()ed (sk_ack_backlog)
    std::uint32_t maxAckBacklog = 0; ///< sk_max_ack_backlog = min(listen backlog, somaxconn)

    /// inet_csk_reqsk_queue_is_full(): qlen > sk_max_ack_backlog. The SYN queue is
    /// bounded by the *listen backlog*, not by tcp_max_syn_backlog (that one only
    /// matters with tcp_syncookies = 0, see synVerdict()). Before 6.14 it was >=.
    [[nodiscard]] bool synQueueFull() const { return synQueue > maxAckBacklog; }
    /// sk_acceptq_is_full(): sk_ack_backlog > sk_max_ack_backlog, so a backlog of
    /// B holds B + 1 connections waiting for accept().
    [[nodiscard]] bool acceptQueueFull() const { return acceptQueue > maxAckBacklog; }
};

/// sk_max_ack_backlog of `listen(fd, backlog)`: the backlog capped at net.core.somaxconn.
[[nodiscard]] std::uint32_t maxAckBacklog(std::uint32_t backlog, const Sysctls& sysctls);

/// What a listener does with a SYN that matches no socket (tcp_conn_request()).
enum class SynVerdict : std::uint8_t {
    Queue,               ///< a request socket in SYN-RECEIVED, SYN,ACK sent and retransmitted
    Cookie,              ///< a SYN cookie SYN,ACK, no state kept
    DropSynQueueFull,    ///< SYN queue full and tcp_syncookies = 0: dropped
    DropAcceptQueueFull, ///< accept queue full: dropped, cookies or not (LISTENOVERFLOWS)
    DropMaxSynBacklog,   ///< tcp_syncookies = 0 and the queue past 3/4 of tcp_max_syn_backlog
};
[[nodiscard]] std::string_view synVerdictName(SynVerdict v); ///< "queue", "cookie", ...

/// tcp_conn_request(), in its order:
/// 1. tcp_syncookies = 2, or the SYN queue full: cookies if tcp_syncookies is
///    1 or 2 (tcp_syn_flood_action), otherwise the SYN is dropped;
/// 2. the accept queue full: dropped (even a cookie is not sent);
/// 3. without cookies and tcp_syncookies = 0: dropped when fewer than a quarter
///    of tcp_max_syn_backlog is left (`max - qlen < max >> 2`), for peers not
///    "proven" by the TCP metrics cache (tcpviz treats every peer as unproven).
[[nodiscard]] SynVerdict synVerdict(const ListenQueues& queues, const Sysctls& sysctls);

/// What a listener does with the ACK that would complete a handshake.
enum class FinalAckVerdict : std::uint8_t {
    Accept, ///< the connection is ESTABLISHED and joins the accept queue
    Ignore, ///< accept queue full, tcp_abort_on_overflow = 0: the ACK is dropped and the
            ///< request stays (marked acked): the SYN,ACK timer goes on, the client's
            ///< later ACK or data completes the handshake once there is room
    Reset,  ///< accept queue full, tcp_abort_on_overflow = 1: RST, the request is dropped
};
/// tcp_check_req() -> tcp_v4_syn_recv_sock() -> sk_acceptq_is_full() -> listen_overflow.
[[nodiscard]] FinalAckVerdict finalAckVerdict(const ListenQueues& queues, const Sysctls& sysctls);

} // namespace tcpviz
