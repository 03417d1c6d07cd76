#pragma once

// Look-ups over one side's segments of a connection by sequence number, modulo
// 2^32 as seqLt/seqGe compare, for scenarioFromCapture: what a scan back over
// the packets before each one answered in quadratic time.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <utility>
#include <vector>

namespace tcpviz {

/// The sequence numbers: 2^32.
inline constexpr std::uint64_t kSeqSpace = std::uint64_t{1} << 32;

/// The latest segment (highest packet index) whose sequence space holds a given
/// byte, the segments added in packet order: each paints its bytes over the ones
/// before, so a byte keeps the last that held it. A segment that wraps around
/// 2^32 paints two ranges. O(log n) amortized a segment.
class LatestHolder {
public:
    void add(std::uint32_t seq, std::uint32_t len, std::size_t index) {
        const std::uint64_t from = seq;
        const std::uint64_t to = from + len;
        if (to <= kSeqSpace) {
            paint(from, to, index);
        } else {
            paint(from, kSeqSpace, index);
            paint(0, to - kSeqSpace, index);
        }
    }
    /// The latest segment holding byte `seq`.
    [[nodiscard]] std::optional<std::size_t> holding(std::uint32_t seq) const {
        auto it = m_ranges.upper_bound(seq);
        if (it == m_ranges.begin()) {
            return std::nullopt;
        }
        --it;
        if (it->second.end <= seq) {
            return std::nullopt;
        }
        return it->second.index;
    }

private:
    struct Painted {
        std::uint64_t end = 0; ///< one past the range's last byte
        std::size_t index = 0;
    };
    // A range that holds `at` inside it becomes two, split there.
    void split(std::uint64_t at) {
        auto it = m_ranges.upper_bound(at);
        if (it == m_ranges.begin()) {
            return;
        }
        --it;
        if (it->first < at && it->second.end > at) {
            m_ranges[at] = it->second;
            it->second.end = at;
        }
    }
    void paint(std::uint64_t from, std::uint64_t to, std::size_t index) {
        split(from);
        split(to);
        m_ranges.erase(m_ranges.lower_bound(from), m_ranges.lower_bound(to));
        m_ranges[from] = {to, index};
    }
    std::map<std::uint64_t, Painted> m_ranges; ///< disjoint, by their first byte
};

/// The first segment (lowest packet index) added whose sequence number is at or
/// after a given one (seqGe), over the sequence numbers known in advance (any
/// other is not added): a segment tree of the lowest index at each number.
/// O(log n) an operation.
class FirstAtOrAfter {
public:
    explicit FirstAtOrAfter(std::vector<std::uint32_t> seqs)
        : m_keys(std::move(seqs)) {
        std::sort(m_keys.begin(), m_keys.end());
        m_keys.erase(std::unique(m_keys.begin(), m_keys.end()), m_keys.end());
        m_size = std::max<std::size_t>(1, m_keys.size());
        m_tree.assign(2 * m_size, kNone);
    }
    void add(std::uint32_t seq, std::size_t index) {
        const auto key = std::lower_bound(m_keys.begin(), m_keys.end(), seq);
        if (key == m_keys.end() || *key != seq) {
            return;
        }
        std::size_t at = static_cast<std::size_t>(key - m_keys.begin()) + m_size;
        for (; at > 0 && index < m_tree[at]; at /= 2) {
            m_tree[at] = index;
        }
    }
    /// The first segment q with seqGe(q.seq, seq): q.seq - seq in [0, 2^31] modulo 2^32.
    [[nodiscard]] std::optional<std::size_t> first(std::uint32_t seq) const {
        const std::uint64_t from = seq;
        const std::uint64_t to = from + (std::uint64_t{1} << 31) + 1;
        const std::size_t found =
            to <= kSeqSpace ? lowest(from, to)
                            : std::min(lowest(from, kSeqSpace), lowest(0, to - kSeqSpace));
        return found == kNone ? std::nullopt : std::optional<std::size_t>(found);
    }

private:
    static constexpr std::size_t kNone = static_cast<std::size_t>(-1);
    // The lowest index among the numbers in [from, to).
    [[nodiscard]] std::size_t lowest(std::uint64_t from, std::uint64_t to) const {
        const auto rank = [this](std::uint64_t v) {
            return static_cast<std::size_t>(
                std::lower_bound(m_keys.begin(), m_keys.end(), v,
                                 [](std::uint32_t k, std::uint64_t x) { return k < x; }) -
                m_keys.begin());
        };
        std::size_t out = kNone;
        for (std::size_t l = rank(from) + m_size, r = rank(to) + m_size; l < r; l /= 2, r /= 2) {
            if ((l & 1) != 0) {
                out = std::min(out, m_tree[l++]);
            }
            if ((r & 1) != 0) {
                out = std::min(out, m_tree[--r]);
            }
        }
        return out;
    }
    std::vector<std::uint32_t> m_keys;
    std::size_t m_size = 1;
    std::vector<std::size_t> m_tree;
};

} // namespace tcpviz
