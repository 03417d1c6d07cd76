#include "capture/flow_table.h"

#include <cstring>
#include <tuple>

namespace tcpviz {

FlowKey FlowKey::of(const DecodedPacket& p) {
    FlowKey k;
    k.v6 = p.src.ip.v6;
    const bool srcLow = std::tie(p.src.ip.bytes, p.src.port) < std::tie(p.dst.ip.bytes, p.dst.port);
    const SocketAddress& low = srcLow ? p.src : p.dst;
    const SocketAddress& high = srcLow ? p.dst : p.src;
    k.lowAddr = low.ip.bytes;
    k.highAddr = high.ip.bytes;
    k.lowPort = low.port;
    k.highPort = high.port;
    return k;
}

std::size_t FlowKeyHash::operator()(const FlowKey& k) const noexcept {
    // 64-bit mix of the key's words (splitmix64 finaliser per word): cheap and well
    // spread for the sequential ports and addresses a synthetic capture has.
    const auto mix = [](std::uint64_t h, std::uint64_t v) {
        h ^= v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
        h ^= h >> 31;
        h *= 0xbf58476d1ce4e5b9ULL;
        h ^= h >> 27;
        return h;
    };
    std::uint64_t words[4];
    std::memcpy(&words[0], k.lowAddr.data(), 16);
    std::memcpy(&words[2], k.highAddr.data(), 16);
    std::uint64_t h = (static_cast<std::uint64_t>(k.lowPort) << 17) ^ k.highPort ^
                      (k.v6 ? 0x5555555555555555ULL : 0);
    for (const auto w : words) {
        h = mix(h, w);
    }
    return static_cast<std::size_t>(h);
}

FlowTable::Slot FlowTable::findOrAdd(const DecodedPacket& p, std::uint32_t newConnection) {
    auto [it, inserted] = m_map.try_emplace(FlowKey::of(p), newConnection);
    return Slot{it->second, inserted};
}

void FlowTable::assign(const DecodedPacket& p, std::uint32_t connection) {
    m_map[FlowKey::of(p)] = connection;
}

} // namespace tcpviz
