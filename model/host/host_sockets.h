#pragma once

#include "base/error.h"
#include "capture/packet.h"
#include "tcp/endpoint_types.h"
#include "tcp/state.h"

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace tcpviz {

/// The process that holds a socket open (as `ss -p` shows it).
struct SocketOwner {
    int pid = 0;
    std::string command; ///< /proc/PID/comm
};

/// One TCP socket of this machine, read through NETLINK_SOCK_DIAG as `ss` reads it.
struct HostSocket {
    SocketAddress local;
    SocketAddress remote;
    State state = State::Closed;
    /// The kernel's request socket for a half-open connection (TCP_NEW_SYN_RECV):
    /// shown as SYN-RECEIVED, but it is no full socket and has no owner.
    bool requestSocket = false;
    /// Pending timer as `ss -o` names it: "on" (retransmission), "keepalive",
    /// "timewait", "persist", or "" for none; and when it expires.
    std::string timer;
    std::uint32_t timerMs = 0;
    std::uint32_t retransmits = 0;
    std::uint32_t receiveQueue = 0; ///< Recv-Q
    std::uint32_t sendQueue = 0;    ///< Send-Q
    std::uint32_t uid = 0;
    std::uint64_t inode = 0; ///< 0 for sockets no process holds (TIME-WAIT, orphans)
    std::vector<SocketOwner> owners;
};

struct HostSnapshot {
    std::vector<HostSocket> sockets;
    /// Sockets per state (index: State), as `ss -tan | awk '{print $1}' | sort | uniq -c`.
    std::array<std::uint32_t, kStateCount> counts{};
    /// False when /proc could not be read for every process (not root, hidepid):
    /// owners are then known only for this user's processes.
    bool allOwnersKnown = true;
};

/// Reads every IPv4 and IPv6 TCP socket of the current network namespace, with
/// the processes that hold them when `withOwners` (a scan of /proc/PID/fd). No
/// root needed for the sockets; owners of other users' sockets need root. An
/// Error when the netlink socket cannot be used.
[[nodiscard]] Result<HostSnapshot> readHostSockets(bool withOwners = true);

/// Which end of its connection each socket of `snapshot` is (index as
/// snapshot.sockets): a listener and every socket whose local port a listener of
/// this machine holds are server ends, the rest client ends (as an operator
/// reads `ss`: connections to :8080 are the server's).
[[nodiscard]] std::vector<Side> hostSides(const HostSnapshot& snapshot);

/// The kernel's TCP state number (include/net/tcp_states.h) as an RFC 9293 state.
[[nodiscard]] State stateOfKernelTcpState(int kernelState);

} // namespace tcpviz
