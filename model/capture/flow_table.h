#pragma once

#include "capture/packet.h"

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <vector>

namespace tcpviz {

/// One endpoint folded into 64 bits (exact for IPv4: address and port side by side).
[[nodiscard]] inline std::uint64_t endpointKey(const SocketAddress& e) {
    std::uint64_t w[2];
    std::memcpy(w, e.ip.bytes.data(), sizeof w);
    return (w[0] ^ (w[1] * 0x9e3779b97f4a7c15ULL)) ^
           (static_cast<std::uint64_t>(e.port) << (e.ip.v6 ? 48 : 32));
}

/// Direction-free hash of a packet's 4-tuple: both directions of a connection
/// hash alike (the two endpoint keys are ordered before mixing). Two multiplies
/// and the high half of the product: it runs for every packet, and the high bits
/// depend on every input bit, so sequential addresses and ports spread well.
[[nodiscard]] inline std::uint32_t flowHash(const SocketAddress& a, const SocketAddress& b) {
    const std::uint64_t x = endpointKey(a);
    const std::uint64_t y = endpointKey(b);
    const std::uint64_t lo = x < y ? x : y;
    const std::uint64_t hi = x < y ? y : x;
    const std::uint64_t h = (lo ^ (hi * 0xc2b2ae3d27d4eb4fULL)) * 0x165667b19e3779f9ULL;
    return static_cast<std::uint32_t>(h >> 32);
}
[[nodiscard]] inline std::uint32_t flowHash(const DecodedPacket& p) {
    return flowHash(p.src, p.dst);
}

/// Maps each 4-tuple to its *current* connection (an index the caller owns).
/// Port reuse is the caller's decision (it knows the connection's state): it
/// points the tuple at a new connection through `reassign`.
///
/// Open addressing with linear probing over 8-byte slots (hash, connection): the
/// table of 100,000 flows fits in 2 MiB of cache, and the key itself is checked
/// against the caller's connection, which the caller touches next anyway. A
/// 1.3-million-packet analysis spends most of its lookup time on cache misses,
/// which this layout keeps to about one per packet.
class FlowTable {
public:
    explicit FlowTable(std::size_t expectedFlows = 1024);

    struct Slot {
        std::uint32_t connection = 0;
        bool created = false;
    };
    /// The tuple's current connection; `created` is true when the tuple was new and
    /// `newConnection` was stored for it. `sameFlow(c)` says whether connection c
    /// has this packet's tuple (it is only asked about connections of equal hash).
    /// The tuple's current connection, without adding it (nullopt: not known).
    template <class SameFlow>
    [[nodiscard]] std::optional<std::uint32_t> find(std::uint32_t hash, SameFlow&& sameFlow) const {
        if (m_slots.empty()) {
            return std::nullopt;
        }
        for (std::size_t i = hash & m_mask; m_slots[i].stored != 0; i = (i + 1) & m_mask) {
            if (m_slots[i].hash == hash && sameFlow(m_slots[i].stored - 1)) {
                return m_slots[i].stored - 1;
            }
        }
        return std::nullopt;
    }
    template <class SameFlow>
    Slot findOrAdd(std::uint32_t hash, std::uint32_t newConnection, SameFlow&& sameFlow) {
        std::size_t i = hash & m_mask;
        while (m_slots[i].stored != 0) {
            if (m_slots[i].hash == hash && sameFlow(m_slots[i].stored - 1)) {
                return Slot{m_slots[i].stored - 1, false};
            }
            i = (i + 1) & m_mask;
        }
        if ((m_size + 1) * 2 > m_slots.size()) { // load factor at most 1/2
            grow();
            i = hash & m_mask;
            while (m_slots[i].stored != 0) {
                i = (i + 1) & m_mask;
            }
        }
        m_slots[i] = Entry{hash, newConnection + 1};
        ++m_size;
        return Slot{newConnection, true};
    }
    /// Points the tuple that `from` currently maps to at `to` (a new incarnation).
    void reassign(std::uint32_t hash, std::uint32_t from, std::uint32_t to);
    /// Forgets the tuple if it still maps to `connection` (a later incarnation keeps it).
    void erase(std::uint32_t hash, std::uint32_t connection);

    [[nodiscard]] std::size_t size() const { return m_size; }
    [[nodiscard]] std::size_t memoryBytes() const { return m_slots.capacity() * sizeof(Entry); }

private:
    struct Entry {
        std::uint32_t hash = 0;
        std::uint32_t stored = 0; ///< connection + 1; 0 marks an empty slot
    };
    void grow();

    std::vector<Entry> m_slots;
    std::size_t m_size = 0;
    std::size_t m_mask = 0;
};

} // namespace tcpviz
