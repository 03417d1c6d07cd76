#pragma once

#include "capture/packet.h"

#include <array>
#include <cstddef>
#include <cstdint>
#include <unordered_map>

namespace tcpviz {

/// The 4-tuple of a TCP connection, direction-free: (A, B) with A the lower
/// endpoint, so both directions of a connection map to the same key.
struct FlowKey {
    std::array<std::uint8_t, 16> lowAddr{};
    std::array<std::uint8_t, 16> highAddr{};
    std::uint16_t lowPort = 0;
    std::uint16_t highPort = 0;
    bool v6 = false;

    [[nodiscard]] static FlowKey of(const DecodedPacket& p);
    bool operator==(const FlowKey&) const = default;
};

struct FlowKeyHash {
    [[nodiscard]] std::size_t operator()(const FlowKey& k) const noexcept;
};

/// Maps each 4-tuple to its *current* connection (an index the caller owns).
/// Port reuse is the caller's decision (it knows the connection's state): it
/// replaces the tuple's entry with a new connection through `assign`.
class FlowTable {
public:
    explicit FlowTable(std::size_t expectedFlows = 1024) { m_map.reserve(expectedFlows); }

    /// The tuple's current connection; `created` is true when the tuple was new and
    /// `newConnection` was stored for it.
    struct Slot {
        std::uint32_t connection = 0;
        bool created = false;
    };
    Slot findOrAdd(const DecodedPacket& p, std::uint32_t newConnection);
    /// Points the packet's tuple at another connection (a new incarnation).
    void assign(const DecodedPacket& p, std::uint32_t connection);
    [[nodiscard]] std::size_t size() const { return m_map.size(); }
    void clear() { m_map.clear(); }

private:
    std::unordered_map<FlowKey, std::uint32_t, FlowKeyHash> m_map;
};

} // namespace tcpviz
