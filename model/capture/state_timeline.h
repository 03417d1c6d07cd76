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
/// Built once from an analysis (about 16 bytes per transition); countsAt() is
/// O(log n + checkpoint interval).
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
    [[nodiscard]] std::size_t size() const { return m_deltas.size(); }

private:
    void build(const ConnectionList& connections, const std::vector<bool>* keep,
               const Rule& rule);

    struct Delta {
        std::int64_t timeNs = 0;
        std::int8_t from = -1; ///< state index left, -1 when an endpoint appears
        std::int8_t to = 0;    ///< state index entered, -1 when an endpoint disappears
        Side side = Side::Client;
    };
    static constexpr std::size_t kCheckpointEvery = 1024;
    std::vector<Delta> m_deltas;
    std::vector<SideCounts> m_checkpoints; ///< counts after deltas [0, k*kCheckpointEvery)
    std::int64_t m_startNs = 0;
    std::int64_t m_endNs = 0;
};

} // namespace tcpviz
