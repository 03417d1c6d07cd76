#include "capture_controller.h"

#include "capture/analyzer.h"
#include "capture/capture_document.h"
#include "capture/live_capture.h"
#include "connection_table_model.h"
#include "event_text.h"
#include "live_capture_dialog.h"
#include "qt_text.h"
#include "replay/replay_check.h"
#include "view_style.h"

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDialog>
#include <QDialogButtonBox>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPointer>
#include <QProgressDialog>
#include <QPushButton>
#include <QSlider>
#include <QTableView>
#include <QThread>
#include <QTimer>
#include <QVBoxLayout>
#include <atomic>
#include <map>
#include <mutex>
#include <set>

namespace tcpviz::gui {

/// The open document (model/capture/capture_document.h), handed from the worker
/// that builds it to the GUI.
struct CaptureAnalysis {
    CaptureAnalysis(QString p, CaptureDocument d)
        : path(std::move(p))
        , doc(std::move(d)) {}
    QString path;
    CaptureDocument doc;
    [[nodiscard]] const ConnectionList& connections() const { return doc.connections(); }
};

namespace {

/// The table's rows read from the document's ConnectionSummary when a view asks:
/// nothing is copied per connection. Holds the analysis, so a row read after the
/// document was closed still finds it.
class DocumentRows : public ConnectionRowSource {
public:
    explicit DocumentRows(std::shared_ptr<const CaptureAnalysis> analysis)
        : m_analysis(std::move(analysis)) {}
    [[nodiscard]] std::size_t firstId() const override { return m_analysis->doc.firstId(); }
    [[nodiscard]] std::size_t size() const override { return m_analysis->connections().size(); }
    [[nodiscard]] ConnectionRow row(std::size_t i) const override {
        return makeRow(m_analysis->connections()[i], m_analysis->doc.originNs());
    }

private:
    /// Bit i set when the side was ever in kAllStates[i], as ConnectionSummary::statesEver
    /// says, without making the list of its states.
    static std::uint16_t statesEver(const ConnectionSummary& c, Side s) {
        const auto bit = [](State st) {
            return static_cast<std::uint16_t>(1U << static_cast<unsigned>(st));
        };
        auto mask = bit(c.initialState(s));
        for (const StateChange& change : c.changes) {
            if (change.side == s) {
                mask = static_cast<std::uint16_t>(mask | bit(change.to));
            }
        }
        if (c.summarised) {
            mask = static_cast<std::uint16_t>(mask | bit(c.finalState(s)));
        }
        return mask;
    }
    static ConnectionRow makeRow(const ConnectionSummary& c, std::int64_t originNs) {
        ConnectionRow r;
        r.id = c.id;
        r.client = c.client();
        r.server = c.server();
        r.packets = c.packets();
        r.firstPacket = c.firstPacket;
        r.lastPacket = c.lastPacket;
        r.firstUs = (c.firstTimeNs - originNs) / 1000;
        r.lastUs = (c.lastTimeNs - originNs) / 1000;
        r.finalClient = c.finalState(Side::Client);
        r.finalServer = c.finalState(Side::Server);
        const ConnectionStats& s = c.tracker.stats();
        r.retransmissions = s.retransmissions;
        r.captureCopies = s.captureCopies;
        r.syn = s.syn + s.synAck;
        r.fin = s.fin;
        r.rst = s.rst;
        r.icmpErrors = c.icmpErrors;
        r.midStream = c.tracker.midStream();
        r.clientSeen = c.tracker.seen(Side::Client);
        r.serverSeen = c.tracker.seen(Side::Server);
        r.history = s.history();
        r.completeness = s.completeness();
        r.everClient = statesEver(c, Side::Client);
        r.everServer = statesEver(c, Side::Server);
        r.retransmissionPackets = c.retransmissionPackets();
        r.rstPackets = c.rstPackets();
        return r;
    }

    std::shared_ptr<const CaptureAnalysis> m_analysis;
};

} // namespace

struct CaptureController::Worker {
    QThread* thread = nullptr;
    std::atomic<bool> cancel{false};
    std::atomic<std::uint64_t> bytesRead{0};
    std::atomic<std::uint64_t> totalBytes{0};
    std::atomic<std::uint64_t> packets{0};
    QPointer<QProgressDialog> dialog;
    QTimer* poll = nullptr;
};

/// Live capture: libpcap runs on its own thread and only appends to `pending`;
/// the GUI thread drains it at a steady 10 Hz, so however fast packets arrive
/// the table and the views refresh at the same calm rate.
struct CaptureController::Live {
    LiveCapture capture;
    QThread* thread = nullptr;
    std::mutex mutex;
    std::vector<DecodedPacket> pending;
    QTimer refresh;
    QString interface;
};

CaptureController::CaptureController(QObject* parent)
    : QObject(parent)
    , m_table(new ConnectionTableModel(this))
    , m_filter(new ConnectionFilterModel(this)) {
    m_filter->setSourceModel(m_table);
    m_filter->setStateAt([this](std::size_t row, Side side,
                                std::int64_t timeUs) -> std::optional<State> {
        if (!m_analysis || row >= m_analysis->connections().size()) {
            return std::nullopt;
        }
        return m_analysis->connections()[row].stateAt(side,
                                                      m_analysis->doc.originNs() + timeUs * 1000);
    });
    m_filter->setStateFilterTime(m_overviewUs);
    connect(m_filter, &ConnectionFilterModel::filtersChanged, this,
            &CaptureController::refreshCountsFilter);
}

CaptureController::~CaptureController() {
    stopLive();
    // The queued finished() handlers that would delete the threads die with this
    // object, so every worker still known is stopped and its thread deleted here.
    const auto finish = [](Worker& w) {
        w.cancel = true;
        if (w.thread != nullptr) {
            w.thread->wait();
            delete w.thread;
            w.thread = nullptr;
        }
    };
    if (m_worker) {
        finish(*m_worker);
    }
    for (auto& w : m_retired) {
        finish(*w);
    }
    cancelReads();
    for (QThread* thread : m_traceThreads) {
        thread->wait(); // a read, a build or a replay stops at its next look at the flag
        delete thread;
    }
}

std::size_t CaptureController::connectionCount() const {
    return m_analysis ? m_analysis->connections().size() : 0;
}

std::uint64_t CaptureController::evictedCount() const {
    return m_analysis ? m_analysis->doc.evicted().connections : 0;
}

bool CaptureController::selectedEvicted() const {
    return m_analysis && m_selected && m_analysis->doc.wasEvicted(*m_selected);
}

void CaptureController::closeDocument() {
    stopLive();
    m_liveState.reset();
    if (m_worker && m_worker->thread != nullptr) {
        m_worker->cancel = true; // its result is dropped when it arrives
    }
    m_analysis.reset();
    m_selected.reset();
    ++m_traceRequest; // a read still running is for another document: stopped, dropped
    ++m_replayRequest;
    cancelReads();
    m_reading.reset();
    const bool replaying = m_replaying.has_value();
    m_replaying.reset();
    m_counted.reset();
    m_countedKeep.clear();
    m_table->setSource(nullptr);
    emit countsTimelineChanged();
    if (replaying) {
        emit replayingChanged(); // dropped with its document
    }
}

void CaptureController::openFile(const QString& path, QWidget* dialogParent) {
    closeDocument();
    auto worker = std::make_unique<Worker>();
    Worker* w = worker.get();
    const std::string file = stdString(path);
    QPointer<CaptureController> self(this);

    // The worker owns nothing of the GUI: it builds the document and posts it back.
    const std::optional<std::size_t> keepLimit = m_keepLimit;
    w->thread = QThread::create([w, file, path, self, keepLimit] {
        CaptureDocument::OpenOptions options;
        if (keepLimit) {
            options.keepPacketsLimit = *keepLimit;
            options.keepIndexedPacketsLimit = *keepLimit;
        }
        options.cancel = &w->cancel;
        options.onProgress = [w](std::uint64_t done, std::uint64_t total) {
            w->bytesRead = done;
            w->totalBytes = total;
        };
        options.tcpPackets = &w->packets;
        Result<CaptureDocument> opened = CaptureDocument::open(file, options);
        QString error;
        std::shared_ptr<CaptureAnalysis> analysis;
        if (!opened) {
            error = qs(opened.error());
        } else if (!opened->info().cancelled) {
            analysis = std::make_shared<CaptureAnalysis>(path, std::move(*opened));
        }
        const bool cancelled = w->cancel.load();
        QMetaObject::invokeMethod(
            qApp,
            [self, analysis, error, cancelled] {
                if (self.isNull() || cancelled) {
                    return;
                }
                if (!error.isEmpty()) {
                    emit self->failed(error);
                    return;
                }
                self->adopt(analysis);
            },
            Qt::QueuedConnection);
    });
    connect(w->thread, &QThread::finished, this, [this, w] {
        if (w->poll != nullptr) {
            w->poll->stop();
        }
        if (w->dialog) {
            w->dialog->close();
            w->dialog->deleteLater();
        }
        // Deleted now rather than with deleteLater(): a deferred delete still queued
        // when the program (or a test) exits is never run, and LeakSanitizer reports
        // the thread. finished() comes just before the thread ends: wait() is short.
        w->thread->wait();
        delete w->thread;
        w->thread = nullptr;
        if (m_worker.get() == w) {
            m_worker.reset();
        } else { // an abandoned analysis (see openFile)
            std::erase_if(m_retired, [w](const auto& r) { return r.get() == w; });
        }
    });

    if (dialogParent != nullptr) {
        auto* dialog = new QProgressDialog(dialogParent);
        dialog->setWindowTitle(tr("Opening capture"));
        dialog->setLabelText(
            tr("Reading %1…").arg(path == QLatin1String("-") ? tr("standard input") : path));
        dialog->setRange(0, 1000);
        dialog->setMinimumDuration(300); // quick files never flash a dialog
        dialog->setAutoClose(false);
        dialog->setAutoReset(false);
        connect(dialog, &QProgressDialog::canceled, this, [w] { w->cancel = true; });
        w->dialog = dialog;
        w->poll = new QTimer(dialog);
        w->poll->setInterval(100);
        connect(w->poll, &QTimer::timeout, dialog, [w] {
            if (!w->dialog) {
                return;
            }
            const auto total = w->totalBytes.load();
            if (total > 0) {
                w->dialog->setValue(static_cast<int>(w->bytesRead.load() * 1000 / total));
            } else {
                w->dialog->setRange(0, 0); // a pipe: size unknown, a busy indicator
            }
            w->dialog->setLabelText(
                tr("Reading capture: %n TCP packet(s)…", nullptr,
                   static_cast<int>(std::min<std::uint64_t>(w->packets.load(), INT32_MAX))));
        });
        w->poll->start();
    }
    if (m_worker && m_worker->thread != nullptr) {
        // A previous analysis still running: let it finish in the background.
        m_worker->cancel = true;
        m_retired.push_back(std::move(m_worker)); // its finished handler deletes it
    }
    m_worker = std::move(worker);
    w->thread->start();
}

void CaptureController::openDocument(CaptureDocument document, const QString& name) {
    closeDocument();
    auto analysis = std::make_shared<CaptureAnalysis>(name, std::move(document));
    adopt(std::move(analysis));
}

const CaptureDocument* CaptureController::document() const {
    return m_analysis != nullptr ? &m_analysis->doc : nullptr;
}

bool CaptureController::isSimulation() const {
    return m_analysis != nullptr && m_analysis->doc.isSimulation();
}

std::optional<std::size_t> CaptureController::namedConnection() const {
    return m_analysis != nullptr ? m_analysis->doc.named() : std::nullopt;
}

bool CaptureController::waitForAnalysis(int timeoutMs) {
    if (!m_worker) {
        return m_analysis != nullptr;
    }
    QEventLoop loop;
    QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
    connect(this, &CaptureController::analysisFinished, &loop, &QEventLoop::quit);
    connect(this, &CaptureController::failed, &loop, &QEventLoop::quit);
    loop.exec();
    return m_analysis != nullptr;
}

void CaptureController::adopt(std::shared_ptr<CaptureAnalysis> analysis) {
    m_analysis = std::move(analysis);
    showDocumentRows();
    m_overviewUs = 0;
    m_filter->setStateFilterTime(0);
    m_selected.reset();
    rebuildCountsFilter();
    emit analysisFinished();
    emit countsTimelineChanged();
    emit stateCountsChanged();
    const auto& errors = m_analysis->doc.info().errors;
    if (m_analysis->connections().empty()) {
        emit failed(tr("%1: no TCP connection in this capture (%2 packets read)")
                        .arg(m_analysis->path)
                        .arg(m_analysis->doc.info().packets));
    } else if (const auto named = m_analysis->doc.named()) {
        selectConnection(*named); // a simulation: the lesson's own connection
    } else if (m_analysis->connections().size() == 1) {
        selectConnection(0);
    } else {
        emit connectionSelected(std::nullopt);
    }
    if (!errors.empty()) {
        // Reported, not fatal: the rest of the capture was analysed.
        qWarning("%s: %zu packet(s) could not be decoded; first: packet %llu: %s",
                 qPrintable(m_analysis->path), errors.size(),
                 static_cast<unsigned long long>(errors.front().packet),
                 errors.front().message.c_str());
    }
}

void CaptureController::showDocumentRows() {
    // Unsorted while the rows change: the reset would sort 100,000 rows reading two
    // rows a comparison; sort() reads each row's key once.
    const int column = m_filter->sortColumn();
    const Qt::SortOrder order = m_filter->sortOrder();
    if (column >= 0 && column != ConnectionTableModel::Id) {
        m_filter->sort(-1);
    }
    m_table->setSource(m_analysis ? std::make_shared<DocumentRows>(m_analysis) : nullptr);
    if (column >= 0 && column != ConnectionTableModel::Id) {
        m_filter->sort(column, order);
    }
}

const Trace* CaptureController::connectionTrace(std::size_t connection) {
    if (!m_analysis || m_analysis->doc.traceNeedsRead(connection)) {
        // Its packets are only in the file: a worker reads them (selectConnection).
        // Every caller asks after that read (connectionSelected, or live capture,
        // whose packets are kept), so this is no path of normal use.
        return nullptr;
    }
    const Result<const Trace*> trace = m_analysis->doc.connectionTrace(connection);
    if (!trace) {
        emit failed(qs(trace.error()));
        return nullptr;
    }
    return *trace;
}

/// What a replay worker hands back: the scenario, or why there is none.
struct CaptureController::ReplayDone {
    std::size_t connection = 0;
    ConnectionReplay replay;
    QString error;
    bool cancelled = false;
};

bool CaptureController::replayConnection(std::size_t connection, QString& error) {
    const ConnectionSummary* summary =
        m_analysis ? m_analysis->doc.connection(connection) : nullptr;
    if (summary == nullptr) {
        error = tr("No connection %1 in this capture.").arg(connection);
        return false;
    }
    // One replay at a time: a newer request wins, the older one stops reading.
    if (m_replayCancel) {
        *m_replayCancel = true;
    }
    m_replayCancel = std::make_shared<std::atomic<bool>>(false);
    const std::uint64_t request = ++m_replayRequest;
    m_replaying = connection;
    const QString name = m_analysis->path == QLatin1String("-")
                             ? QStringLiteral("stdin")
                             : QFileInfo(m_analysis->path).fileName();
    // As a ladder's read: the worker shares the document and calls only its const
    // reads. Packets kept in memory are copied now, on the GUI thread (no file to
    // read, and live capture adds to them meanwhile), as is the estimate.
    const std::shared_ptr<CaptureAnalysis> analysis = m_analysis;
    const CapturePoint point = summary->capturePoint.estimate();
    std::shared_ptr<const Result<std::vector<DecodedPacket>>> kept;
    if (m_analysis->doc.packetsKept()) {
        kept = std::make_shared<const Result<std::vector<DecodedPacket>>>(
            m_analysis->doc.connectionPackets(connection));
    }
    const std::shared_ptr<std::atomic<bool>> cancel = m_replayCancel;
    const std::function<void(std::size_t)> hook = m_traceReadHook;
    QPointer<CaptureController> self(this);
    runOnWorker([analysis, connection, request, name, point, kept, cancel, hook, self] {
        if (hook) {
            hook(connection);
        }
        auto done = std::make_shared<ReplayDone>();
        done->connection = connection;
        const Result<std::vector<DecodedPacket>> packets =
            kept ? *kept : analysis->doc.connectionPackets(connection, cancel.get());
        if (!packets) {
            done->cancelled = packets.error().cancelled;
            done->error = qs(packets.error().toString());
        } else {
            ScenarioFromCaptureOptions options;
            options.source = stdString(name);
            options.connection = static_cast<std::uint32_t>(connection);
            const Result<ReplayResult> replay = bestReplay(*packets, point, options, cancel.get());
            if (!replay) {
                done->cancelled = replay.error().cancelled;
                done->error = qs(replay.error().toString());
            } else {
                done->replay.text = qs(replay->scenario.text);
                done->replay.fileName = QStringLiteral("%1-connection-%2.yaml")
                                            .arg(QFileInfo(name).completeBaseName())
                                            .arg(connection);
                done->replay.profile = qs(std::string(profileName(replay->profile)));
                done->replay.exact = replay->exact();
                done->replay.difference = qs(replay->difference);
            }
        }
        QMetaObject::invokeMethod(
            qApp,
            [self, analysis, request, done] {
                if (!self.isNull()) {
                    self->replayDone(analysis, request, *done);
                }
            },
            Qt::QueuedConnection);
    });
    emit replayingChanged();
    return true;
}

void CaptureController::replayDone(const std::shared_ptr<CaptureAnalysis>& analysis,
                                   std::uint64_t request, const ReplayDone& done) {
    if (analysis != m_analysis || request != m_replayRequest || done.cancelled) {
        return; // another document, or a newer replay asked for meanwhile
    }
    m_replaying.reset();
    m_replayCancel.reset();
    emit replayingChanged();
    if (!done.error.isEmpty()) {
        emit connectionReplayFailed(done.connection, done.error);
        return;
    }
    emit connectionReplayed(done.connection, done.replay);
}

void CaptureController::cancelReads() {
    for (const auto* flag : {&m_traceCancel, &m_replayCancel}) {
        if (*flag) {
            **flag = true;
        }
    }
    m_traceCancel.reset();
    m_replayCancel.reset();
}

void CaptureController::selectConnection(std::optional<std::size_t> connection) {
    if (connection && (!m_analysis || m_analysis->doc.connection(*connection) == nullptr)) {
        connection.reset();
    }
    m_selected = connection;
    m_selectedEvictedSignalled = false;
    if (m_analysis) {
        m_analysis->doc.pin(connection); // its ladder outlives a live eviction
    }
    const std::uint64_t request = ++m_traceRequest;
    m_reading.reset();
    if (m_traceCancel) {
        *m_traceCancel = true; // the previous selection's read, if still running, stops
        m_traceCancel.reset();
    }
    if (connection && m_analysis->doc.traceNeedsRead(*connection)) {
        // Its packets are in the file: read on a worker, never on the GUI thread.
        m_reading = connection;
        startTraceRead(*connection, request);
        emit connectionReading(*connection);
        return;
    }
    emit connectionSelected(connection);
}

void CaptureController::runOnWorker(std::function<void()> work) {
    QThread* thread = QThread::create(std::move(work));
    m_traceThreads.push_back(thread);
    connect(thread, &QThread::finished, this, [this, thread] {
        thread->wait(); // finished() comes just before the thread ends
        std::erase(m_traceThreads, thread);
        delete thread;
    });
    thread->start();
}

void CaptureController::startTraceRead(std::size_t connection, std::uint64_t request) {
    // The worker shares the document (kept alive by the pointer even if the window
    // closes it meanwhile) and calls only its const reads (CaptureDocument::readTrace).
    // A newer selection or closing the document sets `cancel`: the read stops early.
    const std::shared_ptr<CaptureAnalysis> analysis = m_analysis;
    const std::function<void(std::size_t)> hook = m_traceReadHook;
    m_traceCancel = std::make_shared<std::atomic<bool>>(false);
    const std::shared_ptr<std::atomic<bool>> cancel = m_traceCancel;
    QPointer<CaptureController> self(this);
    runOnWorker([analysis, connection, request, hook, cancel, self] {
        if (hook) {
            hook(connection);
        }
        auto trace =
            std::make_shared<Result<Trace>>(analysis->doc.readTrace(connection, cancel.get()));
        QMetaObject::invokeMethod(
            qApp,
            [self, analysis, connection, request, trace] {
                if (!self.isNull()) {
                    self->traceRead(analysis, connection, request, std::move(*trace));
                }
            },
            Qt::QueuedConnection);
    });
}

void CaptureController::traceRead(const std::shared_ptr<CaptureAnalysis>& analysis,
                                  std::size_t connection, std::uint64_t request,
                                  Result<Trace> trace) {
    if (analysis != m_analysis) {
        return; // the document was closed or replaced
    }
    const bool current = request == m_traceRequest;
    if (!trace) {
        if (trace.error().cancelled) {
            return; // superseded: a newer selection reads its own (nothing to keep)
        }
        if (current) {
            m_reading.reset();
            m_selected.reset(); // nothing to show: back to the overview
            m_analysis->doc.pin(std::nullopt);
            emit failed(qs(trace.error()));
            emit connectionSelected(std::nullopt);
        }
        return;
    }
    // A superseded read that ended before it saw its cancel flag is kept all the
    // same: selecting that connection again is then instant.
    (void)m_analysis->doc.keepTrace(connection, std::move(*trace));
    if (current) {
        m_reading.reset();
        m_traceCancel.reset();
        emit connectionSelected(connection);
    }
}

StateCounts CaptureController::stateCountsAt(std::int64_t timeUs) const {
    StateCounts out{};
    if (!m_analysis) {
        return out;
    }
    const auto counts = countsTimeline()->countsAt(m_analysis->doc.originNs() + timeUs * 1000);
    for (std::size_t i = 0; i < out.size(); ++i) {
        out.at(i) = counts.at(i);
    }
    return out;
}

StateCounts CaptureController::stateCounts() const {
    return stateCountsAt(m_overviewUs);
}

const CaptureInfo* CaptureController::captureInfo() const {
    return m_analysis ? &m_analysis->doc.info() : nullptr;
}

std::int64_t CaptureController::endTimeUs() const {
    if (!m_analysis) {
        return 0;
    }
    return m_analysis->doc.endUs();
}

void CaptureController::setOverviewTime(std::int64_t timeUs) {
    m_overviewUs = std::clamp<std::int64_t>(timeUs, 0, endTimeUs());
    m_filter->setStateFilterTime(m_overviewUs);
    emit overviewTimeChanged(m_overviewUs);
    emit stateCountsChanged();
}

const StateTimeline* CaptureController::countsTimeline() const {
    if (!m_analysis) {
        return nullptr;
    }
    return m_counted ? m_counted.get() : &m_analysis->doc.timeline();
}

std::int64_t CaptureController::originNs() const {
    return m_analysis ? m_analysis->doc.originNs() : 0;
}

bool CaptureController::countsFiltered() const {
    return m_counted != nullptr;
}

bool CaptureController::rebuildCountsFilter() {
    if (!m_analysis) {
        const bool had = m_counted != nullptr;
        m_counted.reset();
        m_countedKeep.clear();
        return had;
    }
    const auto rows = static_cast<std::size_t>(m_table->rowCount());
    std::vector<bool> keep;
    bool all = true;
    if (m_filter->countsFilterActive()) { // else every row passes: none is read
        keep.resize(rows);
        for (std::size_t i = 0; i < rows; ++i) {
            keep[i] = m_filter->countsFilterAccepts(m_table->row(i));
            all = all && keep[i];
        }
    }
    if (all) {
        const bool had = m_counted != nullptr;
        m_counted.reset();
        m_countedKeep.clear();
        return had;
    }
    if (m_counted && keep == m_countedKeep) {
        return false; // the state filter changed, not the counted connections
    }
    m_counted = std::make_unique<StateTimeline>(m_analysis->doc.timelineOver(keep));
    m_countedKeep = std::move(keep);
    return true;
}

void CaptureController::refreshCountsFilter() {
    if (rebuildCountsFilter()) {
        emit countsTimelineChanged();
        emit stateCountsChanged();
    }
}

// --- live capture ----------------------------------------------------------------

bool CaptureController::startLiveInteractive(QWidget* parent) {
    LiveCaptureRequest initial;
    initial.interface = m_liveSettings.interface;
    initial.filter = m_liveSettings.filter;
    initial.icmpErrors = m_liveSettings.icmpErrors;
    initial.checkChecksums = m_liveSettings.checkChecksums;
    const auto request = askLiveCapture(parent, initial);
    if (!request) {
        return false;
    }
    // Kept for the next capture (and, by the window, for the next session), also
    // when this one fails to start: the user corrects one field, not all four.
    m_liveSettings.interface = request->interface;
    m_liveSettings.filter = request->filter;
    m_liveSettings.icmpErrors = request->icmpErrors;
    m_liveSettings.checkChecksums = request->checkChecksums;
    QString error;
    if (!startLive(request->interface, request->filter, error)) {
        emit failed(error);
        return false;
    }
    return true;
}

bool CaptureController::startLive(const QString& interface, const QString& filter, QString& error) {
    stopLive();
    closeDocument();
    auto live = std::make_unique<Live>();
    LiveCaptureOptions options;
    options.interface = stdString(interface);
    options.bpfFilter = stdString(filter);
    options.keepFrames = m_liveSettings.keepFrameBytes > 0; // File > Save as pcap afterwards
    options.keepLimitBytes = m_liveSettings.keepFrameBytes;
    options.icmpQuotes = m_liveSettings.icmpErrors;
    options.checkChecksums = m_liveSettings.checkChecksums;
    if (const Status opened = live->capture.open(options); !opened) {
        error = qs(opened.error());
        if (live->capture.errorKind() == LiveErrorKind::Permission) {
            error = tr("Capturing on %1 is not permitted.").arg(interface) +
                    QStringLiteral("\n\n") + qs(LiveCapture::permissionHint(options.interface)) +
                    QStringLiteral("\n\n") +
                    tr("tcpviz does not need to run as root, and should not: grant the "
                       "capability to the program, or let tcpdump capture and read its "
                       "output with tcpviz -r -.");
        }
        return false;
    }
    live->interface = interface;
    AnalyzeOptions analyze;
    analyze.retainFinished = m_liveSettings.retainFinished; // as `tcpviz-cli capture`
    m_analysis = std::make_shared<CaptureAnalysis>(
        interface, CaptureDocument::live(stdString(interface), analyze));
    showDocumentRows();
    m_overviewUs = 0;

    Live* l = live.get();
    l->thread = QThread::create([l] {
        // A failure ends the capture; the window keeps what was captured.
        (void)l->capture.run([l](const DecodedPacket& p) {
            const std::lock_guard lock(l->mutex);
            l->pending.push_back(p);
        });
    });
    l->refresh.setInterval(100);
    connect(&l->refresh, &QTimer::timeout, this, &CaptureController::drainLive);
    connect(l->thread, &QThread::finished, this, [this, l] {
        // run() ended on its own (an interface went away): keep what was captured.
        if (m_liveState.get() == l && m_live) {
            stopLive();
        }
    });
    m_liveState = std::move(live);
    m_live = true;
    l->thread->start();
    l->refresh.start();
    emit liveChanged(true);
    emit analysisFinished();
    emit connectionSelected(std::nullopt);
    return true;
}

void CaptureController::startLiveDocument(const QString& name) {
    stopLive();
    closeDocument();
    AnalyzeOptions analyze;
    analyze.retainFinished = m_liveSettings.retainFinished;
    m_analysis =
        std::make_shared<CaptureAnalysis>(name, CaptureDocument::live(stdString(name), analyze));
    showDocumentRows();
    m_overviewUs = 0;
    emit analysisFinished();
    emit connectionSelected(std::nullopt);
}

void CaptureController::drainLive() {
    if (!m_liveState || !m_analysis || !m_analysis->doc.isLive()) {
        return;
    }
    std::vector<DecodedPacket> batch;
    {
        const std::lock_guard lock(m_liveState->mutex);
        batch.swap(m_liveState->pending);
    }
    addLivePackets(batch);
}

void CaptureController::addLivePackets(const std::vector<DecodedPacket>& batch) {
    if (batch.empty() || !m_analysis || !m_analysis->doc.isLive()) {
        return;
    }
    CaptureAnalysis& a = *m_analysis;
    const std::set<std::size_t> touched = a.doc.add(batch);
    m_updatingRows = true;
    m_table->refresh(touched);
    m_updatingRows = false;
    m_counted.reset(); // rebuilt over the grown document
    m_countedKeep.clear();
    rebuildCountsFilter();
    m_overviewUs = endTimeUs(); // live: the heat map shows "now"
    m_filter->setStateFilterTime(m_overviewUs);
    emit countsTimelineChanged();
    emit overviewTimeChanged(m_overviewUs);
    emit stateCountsChanged();
    if (m_selected && touched.count(*m_selected) != 0) {
        emit connectionUpdated(*m_selected);
    }
    if (selectedEvicted() && !m_selectedEvictedSignalled) {
        // The ladder keeps the pinned Trace; only the notice is new.
        m_selectedEvictedSignalled = true;
        emit selectedConnectionEvicted(*m_selected);
    }
}

void CaptureController::stopLive() {
    if (!m_liveState) {
        return;
    }
    m_liveState->refresh.stop();
    m_liveState->capture.stop();
    if (m_liveState->thread != nullptr) {
        m_liveState->thread->wait();
        delete m_liveState->thread;
        m_liveState->thread = nullptr;
    }
    drainLive(); // what arrived before stop() is kept
    const bool wasLive = m_live;
    m_live = false;
    // The LiveCapture stays (closed) so that its frames can still be saved.
    m_liveState->capture.close();
    if (wasLive) {
        emit liveChanged(false);
    }
}

bool CaptureController::canSave() const {
    if (m_liveState && !m_live) {
        return m_liveState->capture.keptFrames() > 0;
    }
    return m_analysis != nullptr && m_analysis->doc.packetsKept() && !m_analysis->doc.isLive();
}

bool CaptureController::savePcap(const QString& path, QString& error) {
    if (m_liveState && !m_live && m_liveState->capture.keptFrames() > 0) {
        // The frames exactly as captured, payload included.
        if (const Status saved = m_liveState->capture.saveCaptured(stdString(path)); !saved) {
            error = qs(saved.error());
            return false;
        }
        return true;
    }
    if (!canSave()) {
        error = tr("Nothing captured to save.");
        return false;
    }
    if (const Status saved = m_analysis->doc.savePcap(stdString(path)); !saved) {
        error = qs(saved.error());
        return false;
    }
    return true;
}

} // namespace tcpviz::gui
