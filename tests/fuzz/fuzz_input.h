#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace tcpviz::fuzz {

/// Hands out the fuzzer's bytes as small integers. Past the end it yields zeros,
/// so every input, however short, describes a complete (if dull) test case.
class FuzzInput {
public:
    FuzzInput(const std::uint8_t* data, std::size_t size)
        : m_data(data)
        , m_size(size) {}

    [[nodiscard]] bool empty() const { return m_pos >= m_size; }
    [[nodiscard]] std::size_t remaining() const { return empty() ? 0 : m_size - m_pos; }

    std::uint8_t u8() { return m_pos < m_size ? m_data[m_pos++] : 0; }
    std::uint16_t u16() {
        const auto hi = u8();
        return static_cast<std::uint16_t>((hi << 8) | u8());
    }
    std::uint32_t u32() {
        const std::uint32_t hi = u16();
        return (hi << 16) | u16();
    }
    /// A value in [0, n) (n > 0).
    std::uint32_t below(std::uint32_t n) { return u32() % n; }
    bool flag() { return (u8() & 1U) != 0; }
    /// The next `n` bytes (fewer at the end).
    std::string_view bytes(std::size_t n) {
        const std::size_t take = n < remaining() ? n : remaining();
        const std::string_view out(reinterpret_cast<const char*>(m_data + m_pos), take);
        m_pos += take;
        return out;
    }

private:
    const std::uint8_t* m_data;
    std::size_t m_size;
    std::size_t m_pos = 0;
};

} // namespace tcpviz::fuzz
