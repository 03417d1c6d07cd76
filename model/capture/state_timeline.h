#pragma once

#include "capture/analyzer.h"
#include "tcp/state.h"

#include <array>
#include <cstdint>
#include <deque>
#include <span>
#include <utility>
#include <vector>

namespace tcpviz {

/// How many endpoints are in each state over time, for the state-graph heat map.
/// Built once from an analysis (about 5 bytes a change: its distance in time from
/// the change before, its side and the states left and entered; the counts and the
/// time in full every kBlock changes); countsAt() is O(log n + kBlock).
class StateTimeline {
public:
    StateTimeline() = default;
    explicit StateTimeline(const ConnectionList& connections);
    /// Only the connections whose `keep` entry is true (by index into `connections`;
    /// those past the end of `keep` are kept): the counts of a filtered table.
    StateTimeline(const ConnectionList& connections, const std::vector<bool>& keep);

    /// What is counted. By default every end of every connection that has started,
    /// CLOSED included (a capture: an end the tracker inferred).
    struct Rule {
        /// Count sockets as `ss -tan` lists them instead: an end in CLOSED is no
        /// socket, nor is a connection's server end in LISTEN (before its SYN it is
        /// the listener's, not a socket of its own); the listening sockets are
        /// counted from `listeners`. A simulation knows its listener; a capture
        /// does not.
        bool socketsOnly = false;
        /// Listening sockets opening (+1) and closing (-1): (time in ns, change),
        /// server side.
        std::vector<std::pair<std::int64_t, int>> listeners;
    };
    /// The connections whose `keep` entry is true (all when `keep` is empty), counted by `rule`.
    StateTimeline(const ConnectionList& connections, const std::vector<bool>& keep,
                  const Rule& rule);

    using Counts = std::array<std::uint32_t, kStateCount>;
    /// Client ends and server ends apart (index: Side), as `ss` on each host would count.
    using SideCounts = std::array<Counts, 2>;

    /// Counts read at one moment (ns), as a program polling `ss` sees them.
    struct Sample {
        std::int64_t timeNs = 0;
        SideCounts counts{};
    };
    /// A timeline that holds each sample's counts from its time until the next
    /// (samples in time order): this machine's sockets read every second.
    [[nodiscard]] static StateTimeline fromSamples(std::span<const Sample> samples);
    /// Endpoints (client and server sides of every connection that has started by
    /// then) in each state at capture time t (ns since the epoch), both sides summed.
    /// A connection counts from its first packet on and stays in its final state.
    [[nodiscard]] Counts countsAt(std::int64_t timeNs) const;
    /// The same, client ends and server ends counted apart.
    [[nodiscard]] SideCounts sideCountsAt(std::int64_t timeNs) const;
    /// sideCountsAt() at each of `timesNs` (ascending), in one pass over the changes:
    /// O(changes + times), for a chart that samples every pixel column.
    [[nodiscard]] std::vector<SideCounts>
    sideCountsAtEach(std::span<const std::int64_t> timesNs) const;
    [[nodiscard]] std::int64_t startNs() const { return m_startNs; }
    [[nodiscard]] std::int64_t endNs() const { return m_endNs; }
    /// Changes of a count (an endpoint appearing, changing state or leaving).
    [[nodiscard]] std::size_t size() const { return m_codes.size(); }
    /// The heap memory held.
    [[nodiscard]] std::size_t memoryBytes() const;

private:
    void build(const ConnectionList& connections, const std::vector<bool>* keep, const Rule& rule);
    /// Appends a change; changes come in time order. `from` is the state index left
    /// (-1 when an endpoint appears), `to` the one entered (-1 when it leaves).
    void append(std::int64_t timeNs, std::int8_t from, std::int8_t to, Side side);
    /// The step of change `i` at `timeNs` from the change before (starting a block or
    /// kept far when it must); the side bit is the caller's.
    [[nodiscard]] std::uint32_t stepTo(std::size_t i, std::int64_t timeNs);
    /// The time of change `i`, given the time of change i - 1 (unused at a block's start).
    [[nodiscard]] std::int64_t timeOf(std::size_t i, std::int64_t previousNs) const;
    void applyChange(std::size_t i, SideCounts& counts) const;

    static constexpr std::size_t kBlock = 1024;
    /// m_steps: the high bit is the change's side (1: server), the rest its distance
    /// in ns from the change before in its block (0 for a block's first); kFar when
    /// that does not fit, the time then in m_far.
    static constexpr std::uint32_t kSideBit = 0x8000'0000U;
    static constexpr std::uint32_t kFar = 0x7fff'ffffU;
    struct Block {
        std::int64_t timeNs = 0; ///< its first change's
        SideCounts before{};     ///< the counts before its first change
    };
    std::vector<std::uint32_t> m_steps;
    /// Per change: (from + 1) | (to + 1) << 4.
    std::vector<std::uint8_t> m_codes;
    std::vector<Block> m_blocks;
    std::vector<std::pair<std::uint32_t, std::int64_t>> m_far; ///< (change, time) by change
    SideCounts m_now{};        ///< the counts after the last change appended
    std::int64_t m_lastNs = 0; ///< the last change's time
    std::int64_t m_startNs = 0;
    std::int64_t m_endNs = 0;
};

} // namespace tcpviz
