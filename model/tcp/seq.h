#pragma once

#include <cstdint>

namespace tcpviz {

/// 32-bit modular sequence number comparisons (RFC 9293 section 3.4):
/// correct across wrap-around as long as the two numbers are within 2^31.
[[nodiscard]] constexpr bool seqLt(std::uint32_t a, std::uint32_t b) {
    return static_cast<std::int32_t>(a - b) < 0;
}
[[nodiscard]] constexpr bool seqLe(std::uint32_t a, std::uint32_t b) {
    return static_cast<std::int32_t>(a - b) <= 0;
}
[[nodiscard]] constexpr bool seqGt(std::uint32_t a, std::uint32_t b) {
    return seqLt(b, a);
}
[[nodiscard]] constexpr bool seqGe(std::uint32_t a, std::uint32_t b) {
    return seqLe(b, a);
}
/// lo <= x < hi in sequence space.
[[nodiscard]] constexpr bool seqInWindow(std::uint32_t x, std::uint32_t lo, std::uint32_t hi) {
    return seqLe(lo, x) && seqLt(x, hi);
}

} // namespace tcpviz
