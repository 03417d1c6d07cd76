#include "capture/capture_copy.h"

#include <algorithm>

namespace tcpviz {

namespace {

// FNV-1a over the fields that make two recordings one segment.
std::uint64_t fingerprint(const Segment& t) {
    std::uint64_t h = 14695981039346656037ULL;
    const auto mix = [&h](std::uint64_t v, int bytes) {
        for (int i = 0; i < bytes; ++i) {
            h ^= (v >> (8 * i)) & 0xffU;
            h *= 1099511628211ULL;
        }
    };
    mix(t.seq, 4);
    mix(t.ack, 4);
    mix(t.flags, 1);
    mix(t.window, 4);
    mix(t.len, 4);
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
