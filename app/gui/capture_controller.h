#pragma once

#include "base/error.h"
#include "trace/trace.h"
#include "view_settings.h"

#include <QObject>
#include <QString>
#include <QWidget>
#include <array>
#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

class QThread;

namespace tcpviz {
struct DecodedPacket;
struct CaptureInfo; // kept out of this header: moc (Qt 6.4) cannot parse <compare>
class StateTimeline;
class CaptureDocument;
} // namespace tcpviz

namespace tcpviz::gui {

class ConnectionTableModel;
class ConnectionFilterModel;
struct CaptureAnalysis;

/// Per-state endpoint counts (index: State), for the state graph's heat map.
using StateCounts = std::array<std::size_t, kStateCount>;

/// The capture side of the window: opening a capture file in a worker thread
/// (with a cancellable progress dialog), the connection list, the per-connection
/// traces, the heat-map counts over time, and live capture.
///
/// The GUI thread never reads a file or an interface: the analysis runs in a
/// QThread and hands a finished CaptureAnalysis back through a queued signal;
/// live packets are buffered by the capture thread and merged at a steady 10 Hz.
class CaptureController : public QObject {
    Q_OBJECT
public:
    explicit CaptureController(QObject* parent = nullptr);
    ~CaptureController() override;

    /// Starts analysing `path` ("-": standard input) in a worker thread; a progress
    /// dialog parented to `dialogParent` can cancel it (nullptr: no dialog, for tests).
    void openFile(const QString& path, QWidget* dialogParent);
    /// Opens a document made without reading a file (a multi-connection simulation,
    /// model/replay/simulation_document.h) at once, its named connection selected.
    void openDocument(CaptureDocument document, const QString& name);
    /// The open document is a simulation: its states are known, its time is the scenario's.
    [[nodiscard]] bool isSimulation() const;
    /// A simulation's named connection (the scenario's own client).
    [[nodiscard]] std::optional<std::size_t> namedConnection() const;
    /// Blocks until the current analysis has finished (tests, --export).
    bool waitForAnalysis(int timeoutMs);
    void closeDocument();

    [[nodiscard]] bool hasDocument() const { return m_analysis != nullptr; }
    [[nodiscard]] bool hasOverview() const { return hasDocument(); }
    /// Connections held (the table's rows); live eviction leaves older ones out.
    [[nodiscard]] std::size_t connectionCount() const;
    /// Finished connections live capture evicted (counted, no longer listed).
    [[nodiscard]] std::uint64_t evictedCount() const;
    [[nodiscard]] ConnectionTableModel* tableModel() const { return m_table; }
    [[nodiscard]] ConnectionFilterModel* filterModel() const { return m_filter; }
    /// The Trace of the connection with this id (built on first use from its packets
    /// kept in memory, kept while the document lives; the selected one's even after
    /// live capture evicted it). Never reads the file: nullptr while its packets are
    /// only in the file and no worker has read them yet (traceNeedsRead), so the GUI
    /// thread never reads packets. The window asks for the selected one once
    /// connectionSelected() said it is ready (read on the worker by selectConnection).
    [[nodiscard]] const Trace* connectionTrace(std::size_t connection);
    /// The connection whose packets the worker is reading for its ladder (the
    /// selected one, between connectionReading() and connectionSelected()).
    [[nodiscard]] std::optional<std::size_t> readingConnection() const { return m_reading; }
    /// The open document (nullptr without one): what it keeps, for tests.
    [[nodiscard]] const CaptureDocument* document() const;
    /// Tests: called on the worker before it reads a connection's packets, for its
    /// ladder or its replay (to slow or hold the read).
    void setTraceReadHook(std::function<void(std::size_t)> hook) {
        m_traceReadHook = std::move(hook);
    }
    /// Tests: packets kept in memory when a file is opened (past it, a connection's
    /// packets are read from the file); nullopt: the document's defaults.
    void setKeepPacketsLimit(std::optional<std::size_t> limit) { m_keepLimit = limit; }

    /// Heat map: how many endpoints are in each state at the overview time.
    [[nodiscard]] StateCounts stateCounts() const;
    [[nodiscard]] StateCounts stateCountsAt(std::int64_t timeUs) const;
    [[nodiscard]] std::int64_t overviewTimeUs() const { return m_overviewUs; }
    [[nodiscard]] std::int64_t endTimeUs() const;
    /// What the heat map and the states chart count: the document's timeline over
    /// the connections that pass the table's address and anomaly filters (the
    /// whole capture when they pass all); nullptr without a capture.
    [[nodiscard]] const StateTimeline* countsTimeline() const;
    /// Whether the table's filter leaves connections out of the counts.
    [[nodiscard]] bool countsFiltered() const;
    /// Capture time of time 0 (the first packet), in ns since the epoch.
    [[nodiscard]] std::int64_t originNs() const;
    /// The open capture's counters and per-packet problems (undecodable or cut
    /// frames, listed with their packet numbers); nullptr without a capture.
    [[nodiscard]] const CaptureInfo* captureInfo() const;
    void setOverviewTime(std::int64_t timeUs);

    // Live capture.
    /// How a live capture bounds its memory over hours.
    struct LiveSettings {
        /// Finished connections kept in the table, as `tcpviz-cli capture --retain`;
        /// older ones are evicted (counted). 0 keeps them all.
        std::size_t retainFinished = 10'000;
        /// Captured frames kept for File > Save as pcap (0: none kept).
        std::uint64_t keepFrameBytes = 512ULL << 20;
        /// ICMP errors quoting TCP counted per connection (the ICMP column); the
        /// filter is extended to let them through (liveCaptureFilter).
        bool icmpErrors = true;
        /// Validate TCP checksums, as `tcpviz-cli capture --check-checksums`. Off:
        /// what this host sends (all of loopback) is captured before its checksum
        /// is filled in.
        bool checkChecksums = false;
        /// What the live capture dialog shows first: the previous capture's choices.
        QString interface = QStringLiteral("lo");
        QString filter = QStringLiteral("tcp");
    };
    void setLiveSettings(const LiveSettings& settings) { m_liveSettings = settings; }
    [[nodiscard]] const LiveSettings& liveSettings() const { return m_liveSettings; }
    [[nodiscard]] bool isLive() const { return m_live; }
    /// True while live packets update the table: row moves then are not choices.
    [[nodiscard]] bool updatingRows() const { return m_updatingRows; }
    /// Asks for interface and filter, explains missing permission. True when started.
    bool startLiveInteractive(QWidget* parent);
    bool startLive(const QString& interface, const QString& filter, QString& error);
    /// A live document fed through addLivePackets() instead of an interface (what
    /// startLive() does without the capture thread): tests feed crafted packets.
    void startLiveDocument(const QString& name);
    /// Merges packets into the live document as the 10 Hz refresh does: follows
    /// them, evicts, updates the table (rows keep their connection) and the counts.
    void addLivePackets(const std::vector<DecodedPacket>& packets);
    void stopLive();
    [[nodiscard]] bool canSave() const;
    bool savePcap(const QString& path, QString& error);

    /// One captured connection as the scenario that replays it (model/replay's
    /// bestReplay: the profile and ACK timing that reproduce it best).
    struct ConnectionReplay {
        QString text;     ///< the scenario YAML
        QString fileName; ///< proposed file name: "<capture>-connection-N.yaml"
        QString profile;  ///< the profile chosen
        bool exact = false;
        QString difference; ///< how the replay differs from the capture (empty: exact)
    };
    /// Starts building the scenario that replays this connection on a worker thread
    /// (its packets read, from the file when they were not kept, then bestReplay):
    /// connectionReplayed() or connectionReplayFailed() follows, the error naming the
    /// file and the connection (no handshake captured, packets unreadable). A newer
    /// request, or closing the document, cancels it: its result never arrives.
    /// False with `error` at once when there is no such connection.
    bool replayConnection(std::size_t connection, QString& error);
    /// The connection whose replay the worker is building (between replayConnection()
    /// and connectionReplayed() or connectionReplayFailed()).
    [[nodiscard]] std::optional<std::size_t> replayingConnection() const { return m_replaying; }

    /// Selects the connection with this id (nullopt: the overview). When its packets
    /// must be read from the file, a worker reads them and builds its Trace:
    /// connectionReading() now, connectionSelected() when it is ready; a newer
    /// selection made meanwhile wins (the older read's ladder is not shown).
    void selectConnection(std::optional<std::size_t> connection);
    [[nodiscard]] std::optional<std::size_t> selectedConnection() const { return m_selected; }
    /// The selected connection was evicted by live capture: its ladder stays, frozen.
    [[nodiscard]] bool selectedEvicted() const;

signals:
    void analysisFinished();
    void failed(const QString& message);
    void connectionSelected(std::optional<std::size_t> connection);
    /// The selected connection's packets are being read (its ladder follows with
    /// connectionSelected()).
    void connectionReading(std::size_t connection);
    void overviewTimeChanged(std::int64_t timeUs);
    void stateCountsChanged();
    /// countsTimeline() is another one (a new capture, a new filter, live packets).
    void countsTimelineChanged();
    void liveChanged(bool live);
    /// Live capture brought new packets of the selected connection: its Trace was rebuilt.
    void connectionUpdated(std::size_t connection);
    /// Live capture evicted the selected connection: its Trace stays, no longer grows.
    void selectedConnectionEvicted(std::size_t connection);
    /// The replay replayConnection() started is ready.
    void connectionReplayed(std::size_t connection,
                            const tcpviz::gui::CaptureController::ConnectionReplay& replay);
    /// The connection cannot be replayed: why, naming the file and the connection.
    void connectionReplayFailed(std::size_t connection, const QString& error);
    /// replayingConnection() changed: a replay started, ended, or was dropped with
    /// its document (just before connectionReplayed() or connectionReplayFailed()).
    void replayingChanged();

private:
    /// The table lists the open document's connections (none without one).
    void showDocumentRows();
    void adopt(std::shared_ptr<CaptureAnalysis> analysis);
    void drainLive();
    /// Rebuilds the counted timeline from the filter; true when it changed.
    bool rebuildCountsFilter();
    /// Runs `work` on a thread of its own, deleted when it ends (the destructor
    /// waits for those still running).
    void runOnWorker(std::function<void()> work);
    /// Reads the connection's packets and builds its Trace on a worker thread.
    void startTraceRead(std::size_t connection, std::uint64_t request);
    void traceRead(const std::shared_ptr<CaptureAnalysis>& analysis, std::size_t connection,
                   std::uint64_t request, Result<Trace> trace);
    struct ReplayDone;
    void replayDone(const std::shared_ptr<CaptureAnalysis>& analysis, std::uint64_t request,
                    const ReplayDone& done);
    /// Tells the reads still running for an older selection or replay to stop.
    void cancelReads();
    void refreshCountsFilter();

    std::shared_ptr<CaptureAnalysis> m_analysis;
    ConnectionTableModel* m_table = nullptr;
    ConnectionFilterModel* m_filter = nullptr;
    std::optional<std::size_t> m_selected;
    std::int64_t m_overviewUs = 0;
    std::unique_ptr<StateTimeline> m_counted; ///< set while the filter leaves connections out
    std::vector<bool> m_countedKeep;
    bool m_live = false;
    LiveSettings m_liveSettings;
    bool m_selectedEvictedSignalled = false;
    bool m_updatingRows = false;
    struct Worker;
    std::unique_ptr<Worker> m_worker;
    std::vector<std::unique_ptr<Worker>> m_retired; ///< superseded analyses still finishing
    struct Live;
    std::unique_ptr<Live> m_liveState;
    std::uint64_t m_traceRequest = 0; ///< the newest selection: older reads are dropped
    std::optional<std::size_t> m_reading;
    /// Set when the selection's read is no longer wanted (shared with its worker).
    std::shared_ptr<std::atomic<bool>> m_traceCancel;
    std::uint64_t m_replayRequest = 0; ///< the newest replay: older ones are dropped
    std::optional<std::size_t> m_replaying;
    std::shared_ptr<std::atomic<bool>> m_replayCancel;
    std::vector<QThread*> m_traceThreads; ///< reads and replays still running
    std::function<void(std::size_t)> m_traceReadHook;
    std::optional<std::size_t> m_keepLimit;
};

} // namespace tcpviz::gui
