#pragma once

#include "scenario/scenario.h"
#include "sim/listen_queues.h"
#include "sim/simulator.h"
#include "trace/trace.h"

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace tcpviz {

/// One connection of a multi-connection simulation: its own Trace (client end,
/// server end) and where it came from.
struct HostConnection {
    Trace trace;
    /// Index into Scenario::load of the entry that generated it; none for the
    /// scenario's own `client` (the named connection, driven by `steps`).
    std::optional<std::size_t> load;
    LoadBehaviour behaviour = LoadBehaviour::ConnectClose;
    bool spoofed = false;        ///< syn-only: a forged source, no client socket at all
    std::string connectError;    ///< connect() failed ("EADDRNOTAVAIL: ..."); nothing was sent
    bool cookie = false;         ///< the server end was rebuilt from a SYN cookie
    bool reusedTimeWait = false; ///< its port was taken from a TIME-WAIT socket (tcp_tw_reuse)
    /// When the server application's accept() returned it; none while it waits in the
    /// accept queue (or never got there).
    std::optional<std::int64_t> acceptedUs;
};

/// Sockets per state, as `ss -tan | awk '{print $1}' | sort | uniq -c` would count
/// them on the client hosts and on the server host. CLOSED sockets do not exist
/// for ss; the server's LISTEN is its one listening socket (a request socket's
/// LISTEN end before its SYN is not a socket).
struct StateCounts {
    std::int64_t timeUs = 0;
    std::array<std::uint32_t, kStateCount> client{};
    std::array<std::uint32_t, kStateCount> server{};
    bool operator==(const StateCounts&) const = default;
};

/// What the listener did, counted as `nstat`/`netstat -s` would (the names in
/// brackets are the kernel's SNMP counters).
struct ListenerStats {
    std::uint32_t synsReceived = 0;              ///< SYNs that reached the listener
    std::uint32_t requestsQueued = 0;            ///< request sockets created (SYN-RECEIVED)
    std::uint32_t cookiesSent = 0;               ///< [SyncookiesSent]
    std::uint32_t cookiesAccepted = 0;           ///< [SyncookiesRecv]
    std::uint32_t synDroppedSynQueueFull = 0;    ///< [TCPReqQFullDrop]
    std::uint32_t synDroppedAcceptQueueFull = 0; ///< [ListenOverflows] on SYNs
    std::uint32_t synDroppedMaxSynBacklog = 0;   ///< tcp_max_syn_backlog's last quarter
    std::uint32_t finalAcksIgnored = 0;          ///< [ListenOverflows] on final ACKs
    std::uint32_t finalAcksReset = 0;            ///< tcp_abort_on_overflow = 1
    std::uint32_t accepted = 0;                  ///< accept() calls that returned a connection
    std::uint32_t maxSynQueue = 0;
    std::uint32_t maxAcceptQueue = 0;
    std::uint32_t connectFailures = 0; ///< connect() -> EADDRNOTAVAIL on a client host
    std::uint32_t timeWaitReused = 0;  ///< connect() took a TIME-WAIT port (tcp_tw_reuse)
    std::uint32_t bindFailures = 0;    ///< listen() -> EADDRINUSE (TIME-WAIT, no SO_REUSEADDR)
};

/// A what-if change to the named connection (the desktop program's what-if
/// branch of a crowd lesson): made as soon as the named connection's Trace holds
/// at least `position` events, as Simulator::runUntil(position) would, the rest
/// of the crowd running on around it.
struct HostIntervention {
    std::size_t position = 0;
    Side side = Side::Client;
    /// A user call of `side` on the named connection's end, else `fault`.
    std::optional<UserCall> call;
    std::uint32_t bytes = 0; ///< for UserCall::Send
    /// A fault for the named connection's segments sent from then on.
    Fault fault;
};

struct HostSimulation {
    std::vector<HostConnection> connections; ///< [0] is the named connection
    std::size_t named = 0;
    std::vector<StateCounts> counts; ///< one entry at every time the counts change
    ListenerStats stats;
    /// Where each HostIntervention was made: the named Trace's size then.
    std::vector<std::size_t> intervenedAt;
};

/// Simulates one server host and many client hosts (a scenario with `load:`),
/// deterministically: same scenario, same result.
///
/// * The named connection is the scenario's `client` and its `steps`, as in a
///   single-connection scenario: its Trace is what the ladder shows. Client steps
///   act on it; server steps act on the server *process*: `listen` binds and
///   listens (EADDRINUSE while connections of the port are in TIME-WAIT, unless
///   `server.reuseaddr`), `close`/`abort` close the listener and every connection
///   it accepted (the process exits), `send`/`shutdown` act on the named
///   connection's server end.
/// * Each `load` entry starts `count` clients, one every 1/`rate` s, from the
///   addresses of `from` in turn (`connect-hold` clients close only after the
///   server has: on EOF). Their ports come from each host's
///   PortAllocator (ip_local_port_range); TIME-WAIT holds a port; `tcp_tw_reuse`
///   (1, or 2 when the server is a loopback address) lets connect() take a
///   TIME-WAIT port once `tcp_tw_reuse_delay` has passed since that socket
///   entered TIME-WAIT, if `tcp_timestamps` is on: the timestamps are what keep an
///   old duplicate out of the new connection (PAWS on the server rejects a
///   segment whose timestamp is older than the newest seen), so without them the
///   port is not reused. The new connection's ISN is the old SND.NXT + 65537.
/// * The listener's SYN queue and accept queue follow Linux (listen_queues.h).
///   A SYN cookie SYN,ACK carries no state: the server end stays in LISTEN until
///   the final ACK comes back with ACK - 1 equal to the cookie, which rebuilds the
///   connection (Endpoint::acceptCookie). What a cookie cannot carry is lost: it
///   encodes only the MSS, as one of four values (536, 1300, 1440, 1460); window
///   scaling, SACK-permitted and ECN survive only when TCP timestamps are on
///   (packed into the low bits of TSval), and data on the SYN (TCP Fast Open) and
///   the SYN,ACK's retransmissions are lost in every case.
/// * The server application (`app:`) accepts at once, every `accept` interval or
///   never, and closes on EOF, never (CLOSE-WAIT leak) or some time after accept().
/// * reqsk_timer_handler's pruning: when the SYN queue is more than half full,
///   requests whose SYN,ACK was already retransmitted get fewer retries (down to
///   2) the fewer young requests there are, so a flooded queue empties after
///   1 + 2 + 4 = 7 s even with tcp_synack_retries = 5.
/// * Not modelled: the 2-minute window in which a cookie is accepted after the
///   last overflow; tcp_peer_is_proven().
[[nodiscard]] HostSimulation simulateHosts(const Scenario& scenario, SimulatorOptions options = {});
/// The same with what-if interventions on the named connection, in position order.
[[nodiscard]] HostSimulation simulateHosts(const Scenario& scenario, SimulatorOptions options,
                                           const std::vector<HostIntervention>& interventions);

} // namespace tcpviz
