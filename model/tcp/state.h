#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

namespace tcpviz {

/// The eleven connection states of RFC 9293 section 3.3.2.
enum class State : std::uint8_t {
    Closed,
    Listen,
    SynSent,
    SynReceived,
    Established,
    FinWait1,
    FinWait2,
    CloseWait,
    Closing,
    LastAck,
    TimeWait,
};

inline constexpr std::array kAllStates{
    State::Closed,      State::Listen,   State::SynSent,  State::SynReceived,
    State::Established, State::FinWait1, State::FinWait2, State::CloseWait,
    State::Closing,     State::LastAck,  State::TimeWait,
};
inline constexpr std::size_t kStateCount = kAllStates.size();

/// How state names are written in the interface.
enum class StateNameStyle : std::uint8_t {
    Rfc9293, ///< `SYN-RECEIVED`, `FIN-WAIT-1` (the default everywhere)
    Linux,   ///< as `ss -t` prints them: `SYN-RECV`, `ESTAB`, `FIN-WAIT-1`, `UNCONN`
    /// The RFC name with the `ss` name after it where they differ:
    /// `ESTABLISHED (ESTAB)`, `SYN-RECEIVED (SYN-RECV)`, `FIN-WAIT-1`.
    Both,
};

/// "rfc", "linux" or "both" (the `--names` values of tcpviz-cli); nullopt otherwise.
[[nodiscard]] std::optional<StateNameStyle> parseStateNameStyle(std::string_view text);

/// RFC 9293 spelling, e.g. "SYN-RECEIVED".
[[nodiscard]] std::string_view stateName(State s);
/// Name in the requested style.
[[nodiscard]] std::string_view stateName(State s, StateNameStyle style);
/// Accepts RFC 9293 names and the Linux/netstat/ss forms ("SYN_RECV", "FIN_WAIT1",
/// "CLOSE", "ESTAB"), case-insensitively, with '-', '_' or ' ' as separators.
[[nodiscard]] std::optional<State> parseState(std::string_view text);

/// True for the states in which both sequence spaces are synchronized.
[[nodiscard]] bool isSynchronized(State s);

[[nodiscard]] constexpr std::size_t index(State s) {
    return static_cast<std::size_t>(s);
}

} // namespace tcpviz
