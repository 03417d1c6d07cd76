#include "capture/capture_copy.h"

#include <algorithm>

namespace tcpviz {

namespace {

// The fields that make two recordings one segment, mixed into 64 bits (a
// multiply-xorshift over two words: a few cycles, where a byte-wise FNV-1a took
// 17 dependent multiplies on every packet of every connection). Equal fields give
// equal fingerprints; a collision only costs a comparison of time and IP ID.
std::uint64_t fingerprint(const Segment& t) {
    const std::uint64_t a = (static_cast<std::uint64_t>(t.seq) << 32) | t.ack;
    const std::uint64_t b = (static_cast<std::uint64_t>(t.window) << 32) ^
                            (static_cast<std::uint64_t>(t.len) << 8) ^ t.flags;
    std::uint64_t h = a * 0x9E3779B97F4A7C15ULL ^ b;
    h ^= h >> 29;
    h *= 0xBF58476D1CE4E5B9ULL;
    h ^= h >> 32;
    return h;
}

} // namespace

std::uint64_t CaptureCopies::check(Side from, const DecodedPacket& p) {
    auto& seen = m_seen.at(static_cast<std::size_t>(from));
    const std::uint64_t f = fingerprint(p.tcp);
    const std::uint64_t previous = m_lastNumber;
    m_lastNumber = p.number;
    for (Seen& s : seen) {
        if (s.number() == 0 || s.fingerprint != f || p.timeNs < s.timeNs) {
            continue;
        }
        const std::int64_t gap = p.timeNs - s.timeNs;
        const bool sameDatagram = p.ipId != 0 && p.ipId == s.ipId && gap <= kSameDatagramNs;
        const bool backToBack =
            p.ipId == 0 && s.ipId == 0 && gap <= kBackToBackNs && s.number() == previous;
        if (sameDatagram || backToBack) {
            // A copy stands for its original: the next copy is timed from this
            // one, and may follow it back to back.
            s.timeNs = p.timeNs;
            if (backToBack) {
                m_lastNumber = s.number();
            }
            return s.number();
        }
    }
    std::move_backward(seen.begin(), seen.end() - 1, seen.end());
    seen[0] = {f, p.timeNs, static_cast<std::uint32_t>(p.number),
               static_cast<std::uint16_t>(p.number >> 32), p.ipId};
    return 0;
}

std::vector<std::uint64_t> captureCopies(std::span<const DecodedPacket> packets) {
    std::vector<std::uint64_t> out;
    out.reserve(packets.size());
    CaptureCopies copies;
    for (const DecodedPacket& p : packets) {
        const Side from = p.src == packets.front().src ? Side::Client : Side::Server;
        out.push_back(copies.check(from, p));
    }
    return out;
}

std::vector<DecodedPacket> withoutCaptureCopies(std::span<const DecodedPacket> packets) {
    const std::vector<std::uint64_t> copies = captureCopies(packets);
    std::vector<DecodedPacket> out;
    out.reserve(packets.size());
    for (std::size_t i = 0; i < packets.size(); ++i) {
        if (copies[i] == 0) {
            out.push_back(packets[i]);
        }
    }
    return out;
}

} // namespace tcpviz
