#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace tcpviz {

/// Which of the two endpoints; the client is the side that opened actively
/// (for captures: the side that sent the first SYN).
enum class Side : std::uint8_t { Client, Server };
[[nodiscard]] constexpr Side peer(Side s) {
    return s == Side::Client ? Side::Server : Side::Client;
}
[[nodiscard]] std::string_view sideName(Side s); ///< "client" / "server"

/// A call of the application on its endpoint (RFC 9293 section 3.10 user calls,
/// and the socket calls a program makes beyond them).
///
/// Shutdown is shutdown(SHUT_WR); ShutdownRead SHUT_RD (sends nothing);
/// ShutdownBoth SHUT_RDWR. CloseLinger0 is close() after SO_LINGER {1, 0}: an
/// ABORT in effect, spelt as a program spells it. Recv reads `bytes` (0: all
/// that is there); Accept takes the connection off the listener's accept queue;
/// CloseListener closes the listening socket, not the connection it accepted.
enum class UserCall : std::uint8_t {
    Listen,
    Connect,
    Send,
    Close,
    Shutdown,
    Abort,
    Recv,
    ShutdownRead,
    ShutdownBoth,
    CloseLinger0,
    Accept,
    CloseListener,
};
/// "listen", "connect", ..., "recv", "shutdown-read", "shutdown-both", "close-linger-0",
/// "accept", "close-listener".
[[nodiscard]] std::string_view userCallName(UserCall c);
[[nodiscard]] std::optional<UserCall> parseUserCall(std::string_view text);

/// An error the application learns from a socket call (Linux errno names), and
/// the call that returns it: a blocked connect(), the read an application
/// always has pending (it reads what arrives), or a send().
enum class SocketError : std::uint8_t { ConnectionRefused, ConnectionReset, TimedOut, BrokenPipe };
enum class ErrorCall : std::uint8_t { Connect, Recv, Send };
[[nodiscard]] std::string_view socketErrorName(SocketError e); ///< "ECONNREFUSED", ...
/// The C library's text: "Connection refused", "Connection reset by peer", ...
[[nodiscard]] std::string_view socketErrorText(SocketError e);
[[nodiscard]] std::string_view errorCallName(ErrorCall c); ///< "connect", "recv", "send"

/// The timers of an endpoint.
enum class TimerKind : std::uint8_t { Retransmission, TimeWait, UserTimeout, DelayedAck, FinWait2 };
[[nodiscard]] std::string_view timerKindName(TimerKind t); ///< "retransmission", "time-wait", ...

} // namespace tcpviz
