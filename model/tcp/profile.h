#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace tcpviz {

/// Behaviour profile of an endpoint: RFC 9293 as written, or Linux's deviations.
enum class Profile : std::uint8_t { Rfc9293, Linux };
[[nodiscard]] std::string_view profileName(Profile p); ///< "rfc9293" / "linux"
/// "rfc9293" (or "rfc") / "linux"; nullopt for anything else.
[[nodiscard]] std::optional<Profile> parseProfile(std::string_view text);

/// Timer settings of an endpoint; defaults depend on the profile (defaultTimers()).
struct TimerSpec {
    std::int64_t mslUs = 30'000'000;
    std::int64_t rtoUs = 1'000'000;
    int synRetries = 6;
    int synackRetries = 5;
    int dataRetries = 15;                   ///< tcp_retries2
    std::int64_t finTimeoutUs = 60'000'000; ///< Linux tcp_fin_timeout
    std::int64_t delayedAckUs = 40'000;
    std::optional<std::int64_t> userTimeoutUs;
};

/// Timer defaults of a profile (what a scenario gets unless its `timers:` overrides):
/// * rfc9293: MSL 2 min (RFC 9293 section 3.4.2, so TIME-WAIT lasts 4 min), initial
///   RTO 1 s (RFC 6298), 6 SYN / 5 SYN,ACK retries, 15 data retries, delayed ACK 40 ms.
/// * linux: MSL 30 s, so that 2xMSL is the fixed 60 s TCP_TIMEWAIT_LEN; initial RTO 1 s
///   (TCP_TIMEOUT_INIT), tcp_syn_retries 6, tcp_synack_retries 5, tcp_retries2 15,
///   tcp_fin_timeout 60 s, delayed ACK 40 ms.
[[nodiscard]] TimerSpec defaultTimers(Profile profile);

} // namespace tcpviz
