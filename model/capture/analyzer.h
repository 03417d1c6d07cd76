#pragma once

#include "base/node_pool.h"
#include "capture/capture_point.h"
#include "capture/capture_reader.h"
#include "capture/flow_table.h"
#include "capture/packet.h"
#include "capture/passive_tracker.h"
#include "trace/trace.h"

#include <array>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <new>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace tcpviz {

/// One inferred transition of a captured connection (16 bytes: 100k connections fit).
struct StateChange {
    std::int64_t timeNs = 0;
    std::uint32_t packet = 0; ///< 1-based frame number that caused it
    Side side = Side::Client;
    State from = State::Closed;
    State to = State::Closed;
    ArcId arc = ArcId::PassiveOpen;
};

/// A connection's state changes, in packet order, without a heap allocation for the
/// usual connection: an open and a close (ten changes) fit inline, beside the rest
/// of its ConnectionSummary. A longer list moves to the heap as a whole (spills).
/// A container for this one element type, not a general small vector: the model
/// keeps to the standard library, and a capture holds one list per connection.
class StateChangeList {
public:
    static constexpr std::size_t kInline = 10;

    StateChangeList() = default;
    StateChangeList(const StateChangeList& other) { *this = other; }
    StateChangeList(StateChangeList&& other) noexcept { *this = std::move(other); }
    StateChangeList& operator=(const StateChangeList& other) {
        if (this != &other) {
            auto copy = other.m_spilled ? std::make_unique<Spill>(*other.m_spill) : nullptr;
            release();
            if (copy) {
                m_spill = copy.release();
                m_spilled = true;
            } else {
                m_inline = other.m_inline;
            }
            m_size = other.m_size;
        }
        return *this;
    }
    StateChangeList& operator=(StateChangeList&& other) noexcept {
        if (this != &other) {
            release();
            if (other.m_spilled) {
                m_spill = other.m_spill;
                m_spilled = true;
                other.m_spilled = false;
                ::new (&other.m_inline) Inline{};
            } else {
                m_inline = other.m_inline;
            }
            m_size = other.m_size;
            other.m_size = 0;
        }
        return *this;
    }
    ~StateChangeList() { release(); }

    void append(const StateChange& change) {
        if (!m_spilled) {
            if (m_size < kInline) {
                m_inline[m_size++] = change;
                return;
            }
            Spill* spill = new Spill(m_inline.begin(), m_inline.end());
            m_spill = spill;
            m_spilled = true;
        }
        m_spill->push_back(change);
        ++m_size;
    }
    [[nodiscard]] const StateChange* begin() const {
        return m_spilled ? m_spill->data() : m_inline.data();
    }
    [[nodiscard]] const StateChange* end() const { return begin() + m_size; }
    [[nodiscard]] std::size_t size() const { return m_size; }
    [[nodiscard]] bool empty() const { return m_size == 0; }
    /// Whether the list has left its inline buffer.
    [[nodiscard]] bool spilled() const { return m_spilled; }
    [[nodiscard]] const StateChange& operator[](std::size_t i) const { return begin()[i]; }
    [[nodiscard]] const StateChange& front() const { return *begin(); }
    [[nodiscard]] const StateChange& back() const { return begin()[m_size - 1]; }

private:
    using Inline = std::array<StateChange, kInline>;
    using Spill = std::vector<StateChange>;
    /// Deletes the spilled vector, if any, and makes the inline buffer the live member.
    void release() noexcept {
        if (m_spilled) {
            delete m_spill;
            m_spilled = false;
            ::new (&m_inline) Inline{};
        }
    }
    // The inline buffer and the spilled vector share their storage: a spilled list
    // holds all its changes in the vector (168 bytes instead of 176).
    union {
        Inline m_inline{};
        Spill* m_spill; ///< owned; the live member while m_spilled
    };
    std::uint32_t m_size = 0;
    bool m_spilled = false;
};

/// Packet numbers of a connection's first retransmissions and first RSTs (at most
/// kMax each), so that a table can name the packets it counts. Most connections
/// have neither: then this is one null pointer instead of two vectors (48 bytes).
class NotedPackets {
public:
    static constexpr std::size_t kMax = 8;

    NotedPackets() = default;
    NotedPackets(const NotedPackets& other) { *this = other; }
    NotedPackets(NotedPackets&&) noexcept = default;
    NotedPackets& operator=(const NotedPackets& other) {
        if (this != &other) {
            m_lists = other.m_lists ? std::make_unique<Lists>(*other.m_lists) : nullptr;
        }
        return *this;
    }
    NotedPackets& operator=(NotedPackets&&) noexcept = default;
    ~NotedPackets() = default;

    /// Notes frame `number`, unless kMax are noted already.
    void noteRetransmission(std::uint64_t number) { note(number, false); }
    void noteRst(std::uint64_t number) { note(number, true); }
    [[nodiscard]] const std::vector<std::uint64_t>& retransmissions() const {
        return m_lists ? m_lists->retransmissions : none();
    }
    [[nodiscard]] const std::vector<std::uint64_t>& rsts() const {
        return m_lists ? m_lists->rsts : none();
    }

private:
    struct Lists {
        std::vector<std::uint64_t> retransmissions;
        std::vector<std::uint64_t> rsts;
    };
    static const std::vector<std::uint64_t>& none() {
        static const std::vector<std::uint64_t> empty;
        return empty;
    }
    void note(std::uint64_t number, bool rst) {
        if (!m_lists) {
            m_lists = std::make_unique<Lists>();
        }
        auto& list = rst ? m_lists->rsts : m_lists->retransmissions;
        if (list.size() < kMax) {
            list.push_back(number);
        }
    }
    std::unique_ptr<Lists> m_lists;
};

/// A state an endpoint occupied, as the analyze JSON lists it.
struct CapturedStateEntry {
    State state = State::Closed;
    std::uint64_t packet = 0; ///< 0: before the first packet of the file
    std::optional<ArcId> arc; ///< nullopt for the initial state
};

/// Everything known about one connection after (or during) the analysis.
struct ConnectionSummary {
    std::uint32_t id = 0;
    /// ICMP/ICMPv6 errors quoting a packet of this connection (destination or port
    /// unreachable, too big, time exceeded...): read with ReadOptions::icmpQuotes.
    std::uint32_t icmpErrors = 0;
    PassiveTracker tracker;             ///< roles, final states, counters (tracker.stats())
    CapturePointEstimator capturePoint; ///< where the capture was taken on the path
    std::uint64_t firstPacket = 0;
    std::uint64_t lastPacket = 0;
    std::int64_t firstTimeNs = 0;
    std::int64_t lastTimeNs = 0;
    /// Both sides, in packet order. No unique address: `summarised` below takes a
    /// byte of the list's tail padding instead of 8 bytes of its own.
    [[no_unique_address]] StateChangeList changes;
    /// Past AnalyzeOptions::detailLimit connections only initial and final states are kept.
    bool summarised = false;
    /// Packet numbers of the first retransmissions and of the first RSTs (at most
    /// kNotedPackets each), so that a table can name the packets it counts.
    static constexpr std::size_t kNotedPackets = NotedPackets::kMax;
    NotedPackets noted;
    [[nodiscard]] const std::vector<std::uint64_t>& retransmissionPackets() const {
        return noted.retransmissions();
    }
    [[nodiscard]] const std::vector<std::uint64_t>& rstPackets() const { return noted.rsts(); }

    /// What a simulated connection knows for certain and a tracker only infers from
    /// packets: the ends' addresses (a connect() that failed sent none) and their
    /// first and last states (a timer's TIME-WAIT -> CLOSED leaves nothing on the
    /// wire). Set by CaptureDocument::fromSimulation; empty for captures (a pointer,
    /// not an optional: 8 bytes instead of 48 in each connection of a capture).
    struct Known {
        SocketAddress client;
        SocketAddress server;
        std::array<State, 2> initial{State::Closed, State::Closed};
        std::array<State, 2> final{State::Closed, State::Closed};
    };
    /// Owns a Known, copied with the summary: one pointer (a shared_ptr is two).
    class KnownPtr {
    public:
        KnownPtr() = default;
        explicit KnownPtr(const Known& known)
            : m_known(std::make_unique<const Known>(known)) {}
        KnownPtr(const KnownPtr& other) { *this = other; }
        KnownPtr(KnownPtr&&) noexcept = default;
        KnownPtr& operator=(const KnownPtr& other) {
            if (this != &other) {
                m_known = other.m_known ? std::make_unique<const Known>(*other.m_known) : nullptr;
            }
            return *this;
        }
        KnownPtr& operator=(KnownPtr&&) noexcept = default;
        ~KnownPtr() = default;

        explicit operator bool() const { return m_known != nullptr; }
        const Known* operator->() const { return m_known.get(); }
        const Known& operator*() const { return *m_known; }

    private:
        std::unique_ptr<const Known> m_known;
    };
    KnownPtr known;

    [[nodiscard]] const SocketAddress& client() const {
        return known ? known->client : tracker.client();
    }
    [[nodiscard]] const SocketAddress& server() const {
        return known ? known->server : tracker.server();
    }
    [[nodiscard]] std::uint32_t packets() const { return tracker.packets(); }
    [[nodiscard]] State initialState(Side s) const {
        return known ? known->initial.at(static_cast<std::size_t>(s)) : tracker.initialState(s);
    }
    [[nodiscard]] State finalState(Side s) const {
        return known ? known->final.at(static_cast<std::size_t>(s)) : tracker.state(s);
    }
    /// Every state the side occupied, starting with its initial state at packet 0.
    [[nodiscard]] std::vector<CapturedStateEntry> states(Side s) const;
    /// The side's state at capture time `timeNs`, as StateTimeline counts it: nullopt
    /// before the first packet; a summarised connection jumps to its final state at
    /// its last packet.
    [[nodiscard]] std::optional<State> stateAt(Side s, std::int64_t timeNs) const;
    /// Bit i set when the side was ever in kAllStates[i].
    [[nodiscard]] std::uint16_t statesEver(Side s) const;
};

/// Every connection of an analysis, in order of appearance (ids are offsets into
/// it, from Analyzer::firstId() on). A deque: references stay valid as
/// connections are added and evicted from the front; its nodes come from a
/// NodePool (base/node_pool.h: large chunks on huge pages, not 24,000 page faults
/// for 100,000 connections).
using ConnectionList = std::deque<ConnectionSummary, PoolAllocator<ConnectionSummary>>;

struct AnalyzeOptions {
    std::string bpfFilter; ///< empty: every packet
    /// Connections (in order of appearance) whose state changes are kept in full;
    /// later ones keep initial and final states only, which bounds memory on huge captures.
    std::size_t detailLimit = 1'000'000;
    /// Live capture: how many finished connections (both sides CLOSED or TIME-WAIT,
    /// or idle longer than idleTimeoutNs) stay in connections(); older ones are
    /// folded into Analyzer::evicted() so that memory stays flat for hours. 0 keeps
    /// every connection (capture files, where the whole table is the point).
    std::size_t retainFinished = 0;
    std::int64_t idleTimeoutNs = 600'000'000'000; ///< 10 min without a packet
    /// analyzeCapture: read and decode on a second thread while this one follows
    /// connections (readCapturePipelined). Same result; false reads on one thread.
    bool pipelined = true;
    /// analyzeCapture: bytes read so far and the file size (0: unknown), every few
    /// thousand frames, on the reading thread (ReadOptions::onProgress).
    std::function<void(std::uint64_t bytesRead, std::uint64_t totalBytes)> onProgress;
    /// Validate TCP checksums (ReadOptions::checkChecksums): a packet with a wrong
    /// one is not followed, only marked in its connection's history ('C').
    bool checkChecksums = false;
};

/// What evicted connections leave behind: totals, no per-connection detail.
struct EvictedTotals {
    std::uint64_t connections = 0;
    std::uint64_t packets = 0;
    std::array<std::uint64_t, kStateCount> finalClient{}; ///< by final state index
    std::array<std::uint64_t, kStateCount> finalServer{};
};

/// Result of analysing a whole capture.
struct AnalysisResult {
    CaptureInfo info;
    ConnectionList connections;
    std::size_t summarisedConnections = 0;
    std::size_t detailLimit = 0;
    std::uint64_t unmatchedIcmpErrors = 0; ///< ICMP-quoted TCP of no connection seen
};

/// Follows every TCP connection of a packet stream. Incremental, so live capture
/// uses the same code: feed packets with add(), read connections() at any time.
class Analyzer {
public:
    explicit Analyzer(AnalyzeOptions options = {});
    Analyzer(const Analyzer&) = delete;
    Analyzer& operator=(const Analyzer&) = delete;
    Analyzer(Analyzer&&) noexcept = default;
    Analyzer& operator=(Analyzer&&) noexcept = delete;
    ~Analyzer();

    struct Added {
        std::uint32_t connection = 0; ///< id (index into connections())
        bool newConnection = false;
        /// The packet was an ICMP error's quote (DecodedPacket::icmpQuote): counted
        /// against `connection` when `matched`, nothing tracked.
        bool icmpQuote = false;
        /// The packet's TCP checksum was wrong (DecodedPacket::badChecksum): as an
        /// ICMP quote, counted against `connection` when `matched`, not followed.
        bool badChecksum = false;
        bool matched = true;
        TrackerStep step;
    };
    /// Assigns the packet to its connection (a new one for a new tuple or a new
    /// incarnation of a reused tuple, see PassiveTracker::isNewIncarnation) and
    /// runs that connection's tracker. No allocation per packet.
    Added add(const DecodedPacket& packet);

    /// The connections still held, in order of appearance: ids firstId() upwards
    /// (firstId() is 0 unless AnalyzeOptions::retainFinished evicted some).
    [[nodiscard]] const ConnectionList& connections() const { return m_connections; }
    [[nodiscard]] std::uint32_t firstId() const { return m_firstId; }
    /// The connection with this id; it must not have been evicted (id >= firstId()).
    [[nodiscard]] const ConnectionSummary& connection(std::uint32_t id) const {
        return m_connections[id - m_firstId];
    }
    [[nodiscard]] const EvictedTotals& evicted() const { return m_evicted; }
    /// Connections seen so far, evicted ones included.
    [[nodiscard]] std::uint64_t totalConnections() const {
        return m_evicted.connections + m_connections.size();
    }
    [[nodiscard]] std::size_t summarisedConnections() const { return m_summarised; }
    /// ICMP errors quoting TCP that matched no connection held (AnalysisResult too).
    [[nodiscard]] std::uint64_t unmatchedIcmpErrors() const { return m_unmatchedIcmp; }
    /// Moves the connections out into a result. Their trackers' working state
    /// (PassiveTracker::releaseWork, about a third of each summary) is freed
    /// first: what a finished analysis keeps is its results.
    [[nodiscard]] AnalysisResult finish(CaptureInfo info);

private:
    ConnectionSummary& create(const DecodedPacket& p);
    /// ICMP quotes and packets with a wrong checksum: noted on their connection.
    Added addNoted(const DecodedPacket& p, std::uint32_t hash);
    [[nodiscard]] static bool closed(const ConnectionSummary& c);
    [[nodiscard]] bool finished(const ConnectionSummary& c, std::int64_t nowNs) const;
    void evictFinished(std::int64_t nowNs);
    /// Gives a connection's tracker working state back to m_work.
    void releaseWork(ConnectionSummary& c);

    AnalyzeOptions m_options;
    FlowTable m_flows;
    /// The trackers' working state, one node a connection held: apart from the
    /// summaries so that finish() frees it at once (chunks go back to the system).
    std::unique_ptr<NodePool> m_work = std::make_unique<NodePool>();
    ConnectionList m_connections;
    std::size_t m_summarised = 0;
    std::uint32_t m_firstId = 0;
    std::size_t m_finishedSeen = 0; ///< closed connections in m_connections
    EvictedTotals m_evicted;
    std::uint64_t m_unmatchedIcmp = 0;
};

/// Reads and analyses a capture file ("-" for standard input). An Error (naming
/// the file) when it cannot be read at all; per-packet problems are in
/// info.errors of the result and the rest of the file is analysed.
[[nodiscard]] Result<AnalysisResult> analyzeCapture(const std::string& path,
                                                    const AnalyzeOptions& options);

} // namespace tcpviz
