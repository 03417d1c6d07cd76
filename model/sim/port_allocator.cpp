#include "sim/port_allocator.h"

#include <algorithm>

namespace tcpviz {

PortAllocator::PortAllocator(std::uint16_t low, std::uint16_t high)
    : m_low(std::min(low, high))
    , m_remaining(static_cast<std::uint32_t>(std::max(low, high) - std::min(low, high)) + 1) {}

std::optional<std::uint16_t>
PortAllocator::allocate(const std::function<PortUse(std::uint16_t)>& use) {
    const std::uint32_t start = (m_perturb % m_remaining) & ~1U;
    std::uint32_t tried = 0;
    // Two passes: the start's parity, then the other one.
    for (std::uint32_t parity = 0; parity < 2; ++parity) {
        for (std::uint32_t i = 0; i < m_remaining; i += 2) {
            const std::uint32_t offset = (start + parity + i) % m_remaining;
            if (parity == 1 && m_remaining == 1) {
                break;
            }
            const auto port = static_cast<std::uint16_t>(m_low + offset);
            ++tried;
            if (use(port) != PortUse::Busy) {
                m_perturb += tried + 2;
                return port;
            }
        }
    }
    return std::nullopt;
}

} // namespace tcpviz
