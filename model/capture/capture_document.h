#pragma once

#include "base/error.h"
#include "capture/analyzer.h"
#include "capture/capture_reader.h"
#include "capture/packet.h"
#include "capture/packet_index.h"
#include "capture/state_timeline.h"
#include "trace/trace.h"

#include <atomic>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <utility>
#include <vector>

namespace tcpviz {

/// Many connections as one document: the analysis of a capture file, or of a live
/// capture that keeps growing, with what the window needs to show it (the
/// states-over-time timeline of the heat map, each connection's steppable Trace,
/// the packets to save). Qt-free, so the GUI's capture controller only runs it on
/// threads and signals its changes.
class CaptureDocument {
public:
    struct OpenOptions {
        /// Checked before every frame; when it becomes true, open() stops and the
        /// document is marked cancelled (info().cancelled).
        const std::atomic<bool>* cancel = nullptr;
        /// Bytes read so far and the file size (0 when unknown), on the reading thread.
        std::function<void(std::uint64_t bytesRead, std::uint64_t totalBytes)> onProgress;
        /// Counts TCP packets as they are followed, for a progress label.
        std::atomic<std::uint64_t>* tcpPackets = nullptr;
        /// Above this many TCP packets the packets are no longer kept in memory: a
        /// connection's are re-read from the file when it is first stepped through.
        /// A capture read from standard input keeps them all (it cannot be re-read).
        std::size_t keepPacketsLimit = 300'000;
        /// A native pcap file is indexed while it is read (PacketIndex): a connection's
        /// packets are then read back on their own, so packets are kept only up to this
        /// smaller limit (a small capture can still be saved as pcap).
        std::size_t keepIndexedPacketsLimit = 20'000;
        /// Packets the index holds at most (PacketIndex, 8 bytes each); a connection
        /// with packets beyond it is read from its first packet's record to its last
        /// (readPacketRange), not through the index.
        std::size_t indexPacketsLimit = 4'000'000;
    };

    /// Reads and analyses a capture file ("-": standard input), reading on a second
    /// thread (readCapturePipelined). An Error names the file.
    [[nodiscard]] static Result<CaptureDocument> open(const std::string& path,
                                                      const OpenOptions& options);
    /// An empty document that live packets are added to (add()); `source` names the
    /// interface in messages.
    [[nodiscard]] static CaptureDocument live(const std::string& source,
                                              const AnalyzeOptions& options = {});

    /// A simulation of many connections (a scenario with `load:`), as the window
    /// shows a capture: what fromSimulation takes. No simulator types here, so that
    /// capture does not depend on sim (replay/simulation_document.h adapts one).
    struct Simulation {
        std::string name; ///< the scenario's id: the document's path in messages
        /// One Trace per connection, times in µs from the simulation's start.
        std::vector<Trace> traces;
        std::size_t named = 0; ///< the connection the ladder shows first
        /// The server's listening socket opening (+1) and closing (-1), in µs.
        std::vector<std::pair<std::int64_t, int>> listenerUs;
    };
    /// The document of a simulation: each connection's Trace as it is (the truth,
    /// not inferred), its packets as sniffers beside the senders record them
    /// (numbered in time order over all connections, as `simulate --pcap` writes
    /// them), and a timeline that counts sockets as `ss -tan` lists them (no CLOSED
    /// end, the listener once), which equals the simulation's own counts.
    [[nodiscard]] static CaptureDocument fromSimulation(Simulation simulation);

    /// Live: follows `packets` (in arrival order). Returns the ids of the
    /// connections they touched (still held); their Traces are rebuilt when next
    /// asked for. With AnalyzeOptions::retainFinished, finished connections beyond
    /// the limit are evicted (counted in evicted(), their packets and Traces
    /// dropped) except the Trace of the pinned connection. An ICMP error's quote
    /// or a packet with a bad checksum only counts on its connection (icmpErrors,
    /// history 'C'): it is not one of the connection's packets.
    std::set<std::size_t> add(std::span<const DecodedPacket> packets);

    /// Connection ids: connections()[i] has id firstId() + i. 0 unless live
    /// capture evicted some.
    [[nodiscard]] std::size_t firstId() const { return m_live ? m_live->firstId() : 0; }
    /// What evicted connections left behind (all zero for a file).
    [[nodiscard]] const EvictedTotals& evicted() const;
    /// Whether this id was seen and evicted since (its details are gone).
    [[nodiscard]] bool wasEvicted(std::size_t id) const { return id < firstId(); }
    /// The summary of the connection with this id; nullptr when evicted or unknown.
    [[nodiscard]] const ConnectionSummary* connection(std::size_t id) const;
    /// Keeps this connection's Trace when it is evicted (the one a window shows),
    /// so that a view holding it keeps a valid Trace; nullopt pins none.
    void pin(std::optional<std::size_t> id);

    [[nodiscard]] const std::string& path() const { return m_path; }
    [[nodiscard]] bool isLive() const { return m_live != nullptr; }
    /// Made by fromSimulation: its connections' states are known, not inferred.
    [[nodiscard]] bool isSimulation() const { return m_simulation; }
    /// A simulation's named connection (the scenario's own client).
    [[nodiscard]] std::optional<std::size_t> named() const { return m_named; }
    /// The timeline over the connections whose `keep` entry is true, counted as
    /// timeline() counts (a table's filter).
    [[nodiscard]] StateTimeline timelineOver(const std::vector<bool>& keep) const;
    [[nodiscard]] const ConnectionList& connections() const;
    [[nodiscard]] const CaptureInfo& info() const { return m_result.info; }
    /// Capture time of the first connection's first packet: the document's time 0.
    [[nodiscard]] std::int64_t originNs() const { return m_originNs; }
    [[nodiscard]] const StateTimeline& timeline() const { return m_timeline; }
    /// Endpoints per state `timeUs` after the origin (both sides summed).
    [[nodiscard]] StateTimeline::Counts countsAt(std::int64_t timeUs) const;
    /// The last state change, in microseconds after the origin.
    [[nodiscard]] std::int64_t endUs() const;
    [[nodiscard]] bool packetsKept() const { return m_packetsKept; }
    /// Whether the connection's packets are read through the packet index (a few
    /// preads) rather than by reading the whole file again, when they are not kept.
    [[nodiscard]] bool indexed(std::size_t connection) const;
    [[nodiscard]] const PacketIndex& packetIndex() const { return m_index; }

    /// The steppable Trace of the connection with this id, built on first use and
    /// kept; re-reads the file when the packets were not kept (an Error names the
    /// file). An evicted connection's Trace is there only if it was pinned and built.
    [[nodiscard]] Result<const Trace*> connectionTrace(std::size_t connection);
    /// Whether connectionTrace(id) would read the capture file: its Trace is not
    /// built yet and its packets were not kept in memory (a large file).
    [[nodiscard]] bool traceNeedsRead(std::size_t connection) const;
    /// Reads the packets of the connection with this id and builds its Trace without
    /// keeping it (keepTrace does): const like connectionPackets, so a worker thread
    /// may call it while the GUI thread reads the document. When `cancel` becomes
    /// true (set by another thread: the read is no longer wanted) the read, or the
    /// building of the Trace after it, stops within a few thousand packets and
    /// returns an Error marked cancelled (Error::cancelled), never a Trace of the
    /// packets read so far.
    [[nodiscard]] Result<Trace> readTrace(std::size_t connection,
                                          const std::atomic<bool>* cancel = nullptr) const;
    /// Keeps a Trace that readTrace built, as connectionTrace keeps its own; a Trace
    /// already kept for this id stays (pointers to it stay valid). Returns the kept one.
    const Trace* keepTrace(std::size_t connection, Trace&& trace);
    /// How many connections' Traces are kept (built, not yet dropped).
    [[nodiscard]] std::size_t tracesKept() const { return m_traces.size(); }
    /// The packets of the connection with this id in capture order (kept, read
    /// through the packet index, or else re-read from the whole file: an Error names
    /// it), for what needs more than its Trace (a replay). Const and touching nothing
    /// shared, so a worker thread may call it while the GUI thread reads the document.
    /// `cancel` stops a read from the file as readTrace's does.
    [[nodiscard]] Result<std::vector<DecodedPacket>>
    connectionPackets(std::size_t connection, const std::atomic<bool>* cancel = nullptr) const;

    /// Writes the kept packets as a pcap file, frames rebuilt from the decoded
    /// headers (Ethernet + IP + TCP, payload as zero bytes of the captured length),
    /// in packet order. An Error when nothing was kept or the file cannot be written.
    [[nodiscard]] Status savePcap(const std::string& path) const;

private:
    CaptureDocument() = default;
    void keep(std::size_t connection, const DecodedPacket& packet);
    /// Drops the packets and Traces of evicted connections (all but the pinned Trace).
    void forgetEvicted();
    /// Why there is no connection with this id (evicted, or beyond the last).
    [[nodiscard]] std::string missing(std::size_t id) const;
    void refreshDerived();

    std::string m_path;
    AnalysisResult m_result;
    std::unique_ptr<Analyzer> m_live; ///< live: the analyzer holds the connections
    /// Kept packets by connection: m_packets[i] belongs to id m_packetsFirstId + i.
    std::deque<std::vector<DecodedPacket>> m_packets;
    std::size_t m_packetsFirstId = 0;
    std::optional<std::size_t> m_pinned;
    PacketIndex m_index;
    bool m_packetsKept = false;
    StateTimeline m_timeline;
    std::int64_t m_originNs = 0;
    std::map<std::size_t, Trace> m_traces;
    bool m_simulation = false;
    std::optional<std::size_t> m_named;
    StateTimeline::Rule m_rule;
};

} // namespace tcpviz
