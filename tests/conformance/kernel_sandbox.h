#pragma once
// The kernel side of a conformance case lives in a network namespace of its
// own, created by unshare(CLONE_NEWNET) in a forked child: the namespace, its
// tun device and every socket in it die with that child, whatever way it ends.
// Nothing here may be called in the test process itself.

#include "capture/packet.h"
#include "tcp/state.h"

#include <optional>
#include <string>

namespace tcpviz::conformance {

/// Moves the calling (child) process into a new, empty network namespace and
/// arranges for it to be killed when its parent dies. Returns an error text,
/// empty on success.
[[nodiscard]] std::string enterFreshNetworkNamespace();

/// Writes /proc/sys/<key with dots as slashes> of the current namespace.
[[nodiscard]] std::string writeSysctl(const std::string& key, const std::string& value);

/// Creates the tun device "tcpviz0" (IFF_TUN | IFF_NO_PI: reads and writes are bare
/// IPv4 packets), gives it `local` and the point-to-point peer `peer` (so the
/// kernel routes `peer` into the tun and nowhere else) and brings it and `lo` up.
/// Returns the non-blocking tun fd, or -1 with `error` set.
[[nodiscard]] int openTun(const IpAddress& local, const IpAddress& peer, std::string& error);

/// State of the TCP socket with this four-tuple in the current namespace, read
/// through NETLINK_SOCK_DIAG (covers orphans, TIME-WAIT and request sockets,
/// which have no fd). nullopt when there is none; `error` is set when the query
/// itself failed.
[[nodiscard]] std::optional<State> diagState(const SocketAddress& local,
                                             const SocketAddress& remote, std::string& error);

/// Linux's TCP_* state numbers (include/net/tcp_states.h) in RFC 9293 terms;
/// TCP_CLOSE is CLOSED, TCP_NEW_SYN_RECV (a request socket) is SYN-RECEIVED.
[[nodiscard]] std::optional<State> stateFromLinux(int linuxState);

} // namespace tcpviz::conformance
