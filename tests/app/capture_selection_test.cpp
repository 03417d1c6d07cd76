// Selecting a connection of a large capture in the window: its packets are read
// from the file (through the packet index) on the controller's worker, never on
// the GUI thread. The selection arrives asynchronously (connectionReading, then
// connectionSelected), the status bar says what is being read, and a newer
// selection made during the read wins. Also: the table's ICMP errors column.
#include "capture/capture_document.h"
#include "capture/decoder.h"
#include "capture/frame_builder.h"
#include "capture/pcap_writer.h"
#include "capture/synth.h"
#include "capture_controller.h"
#include "connection_table_model.h"
#include "main_window.h"

#include <QAction>
#include <QApplication>
#include <QElapsedTimer>
#include <QLabel>
#include <QSignalSpy>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <QTimer>
#include <algorithm>
#include <atomic>
#include <chrono>
#include <gtest/gtest.h>
#include <mutex>
#include <thread>
#include <vector>

using namespace tcpviz;
using tcpviz::gui::CaptureController;
using tcpviz::gui::ConnectionTableModel;
using tcpviz::gui::MainWindow;

namespace {

/// A synthetic capture of `connections` connections in `dir`.
QString synthCapture(const QTemporaryDir& dir, std::uint32_t connections) {
    SynthOptions o;
    o.connections = connections;
    o.dataSegments = 20;
    const QString file = dir.filePath(QStringLiteral("select.pcap"));
    EXPECT_TRUE(writeSynthCapture(o, file.toStdString()).has_value());
    return file;
}

/// What the read hook saw: the connections read and on which threads.
struct Reads {
    std::mutex mutex;
    std::vector<std::size_t> connections;
    std::vector<Qt::HANDLE> threads;
    std::atomic<int> delayMs{0};
    void operator()(std::size_t connection) {
        {
            const std::lock_guard lock(mutex);
            connections.push_back(connection);
            threads.push_back(QThread::currentThreadId());
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(delayMs.load()));
    }
};

TEST(CaptureSelection, TheConnectionIsReadOnTheWorkerAndArrivesAsynchronously) {
    QTemporaryDir dir;
    const QString file = synthCapture(dir, 12);
    MainWindow w;
    w.setQuiet(true);
    w.resize(1280, 720);
    w.show();
    CaptureController* c = w.captureController();
    c->setKeepPacketsLimit(0); // no packet kept: every connection is read from the file
    auto reads = std::make_shared<Reads>();
    reads->delayMs = 300; // a slow disk
    c->setTraceReadHook([reads](std::size_t id) { (*reads)(id); });
    ASSERT_TRUE(w.openPath(file));
    ASSERT_TRUE(c->waitForAnalysis(30000)) << w.lastError().toStdString();
    QApplication::processEvents();
    ASSERT_EQ(c->connectionCount(), 12U);

    QSignalSpy reading(c, &CaptureController::connectionReading);
    QSignalSpy selected(c, &CaptureController::connectionSelected);
    QElapsedTimer timer;
    timer.start();
    c->selectConnection(5);
    const qint64 selectMs = timer.elapsed();
    // The call returned before the (300 ms) read could have finished: nothing shown yet.
    EXPECT_LT(selectMs, 250) << "selectConnection waited for the packets";
    EXPECT_EQ(selected.count(), 0);
    ASSERT_EQ(reading.count(), 1);
    EXPECT_EQ(reading.at(0).at(0).value<std::size_t>(), 5U);
    EXPECT_EQ(c->readingConnection(), std::optional<std::size_t>(5));
    const auto* status = w.findChild<QLabel*>(QStringLiteral("captureStatus"));
    ASSERT_NE(status, nullptr);
    EXPECT_TRUE(status->text().contains(QStringLiteral("Reading connection #5")))
        << status->text().toStdString();
    EXPECT_EQ(w.currentTrace(), nullptr) << "no ladder until its packets are read";

    ASSERT_TRUE(selected.wait(10000));
    EXPECT_GE(timer.elapsed(), 300) << "the ladder came after the read";
    EXPECT_EQ(selected.at(0).at(0).value<std::optional<std::size_t>>(),
              std::optional<std::size_t>(5));
    EXPECT_FALSE(c->readingConnection().has_value());
    ASSERT_NE(w.currentTrace(), nullptr);
    // The ladder is the connection's: the one built from its packets kept in memory.
    Result<CaptureDocument> reference = CaptureDocument::open(file.toStdString(), {});
    ASSERT_TRUE(reference) << reference.error().toString();
    ASSERT_TRUE(reference->packetsKept());
    const Result<const Trace*> expected = reference->connectionTrace(5);
    ASSERT_TRUE(expected);
    const Trace& shown = *w.currentTrace();
    const Trace& built = **expected;
    EXPECT_EQ(shown.meta.client.address, built.meta.client.address);
    ASSERT_EQ(shown.size(), built.size());
    ASSERT_GT(shown.size(), 40U) << "20 data segments, their ACKs, handshake and close";
    for (std::size_t i = 0; i < shown.size(); ++i) {
        EXPECT_EQ(shown.event(i).kind, built.event(i).kind) << i;
        EXPECT_EQ(shown.event(i).timeUs, built.event(i).timeUs) << i;
    }
    EXPECT_FALSE(status->text().contains(QStringLiteral("Reading"))) << "the notice is gone";
    {
        const std::lock_guard lock(reads->mutex);
        ASSERT_EQ(reads->connections, std::vector<std::size_t>{5});
        EXPECT_NE(reads->threads.at(0), QThread::currentThreadId())
            << "the packets were read on the GUI thread";
    }

    // Selected again: built already, shown at once without a read.
    c->selectConnection(std::nullopt);
    selected.clear();
    c->selectConnection(5);
    EXPECT_EQ(selected.count(), 1);
    EXPECT_EQ(w.currentTrace(), c->connectionTrace(5));
    const std::lock_guard lock(reads->mutex);
    EXPECT_EQ(reads->connections.size(), 1U);
}

// A connection of 10,000 packets spread over a capture of 36,000 (not kept: read
// through the packet index). Prints how long the select call took and when the
// ladder arrived:
//     build/ci/tests/app/tcpviz_app_tests --gtest_filter='CaptureSelection.ALong*'
TEST(CaptureSelection, ALongConnectionIsReadWhileTheGuiThreadGoesOn) {
    QTemporaryDir dir;
    SynthOptions o;
    o.connections = 2000;
    o.longConnectionSegments = 5000; // connection 0: 3 + 2 x 5000 + 4 packets
    const QString file = dir.filePath(QStringLiteral("long.pcap"));
    ASSERT_TRUE(writeSynthCapture(o, file.toStdString()).has_value());
    MainWindow w;
    w.setQuiet(true);
    w.resize(1280, 720);
    w.show();
    CaptureController* c = w.captureController();
    ASSERT_TRUE(w.openPath(file));
    ASSERT_TRUE(c->waitForAnalysis(60000)) << w.lastError().toStdString();
    QApplication::processEvents();
    ASSERT_FALSE(c->document()->packetsKept()) << "a file this size is read back, not kept";
    ASSERT_TRUE(c->document()->indexed(0));
    ASSERT_GE(c->tableModel()->row(0).packets, 10'000U);

    QSignalSpy selected(c, &CaptureController::connectionSelected);
    QElapsedTimer timer;
    timer.start();
    c->selectConnection(0);
    const double selectMs = static_cast<double>(timer.nsecsElapsed()) / 1e6;
    EXPECT_EQ(selected.count(), 0) << "the ladder was built on the GUI thread";
    EXPECT_EQ(c->readingConnection(), std::optional<std::size_t>(0));
    ASSERT_TRUE(selected.wait(30000));
    const double readyMs = static_cast<double>(timer.nsecsElapsed()) / 1e6;
    ASSERT_NE(w.currentTrace(), nullptr);
    EXPECT_GE(w.currentTrace()->size(), 20'000U) << "a send and an arrival per packet";
    std::printf("select: the call returned after %.2f ms, the ladder of %llu packets arrived "
                "after %.1f ms\n",
                selectMs, static_cast<unsigned long long>(c->tableModel()->row(0).packets),
                readyMs);
}

TEST(CaptureSelection, ANewerSelectionDuringTheReadWins) {
    QTemporaryDir dir;
    const QString file = synthCapture(dir, 12);
    MainWindow w;
    w.setQuiet(true);
    w.resize(1280, 720);
    w.show();
    CaptureController* c = w.captureController();
    c->setKeepPacketsLimit(0);
    auto reads = std::make_shared<Reads>();
    // The first read is the slow one: its ladder arrives after the second's.
    c->setTraceReadHook([reads](std::size_t id) {
        reads->delayMs = id == 2 ? 400 : 0;
        (*reads)(id);
    });
    ASSERT_TRUE(w.openPath(file));
    ASSERT_TRUE(c->waitForAnalysis(30000)) << w.lastError().toStdString();
    QApplication::processEvents();

    QSignalSpy selected(c, &CaptureController::connectionSelected);
    c->selectConnection(2);
    c->selectConnection(7);
    EXPECT_EQ(c->selectedConnection(), std::optional<std::size_t>(7));
    ASSERT_TRUE(selected.wait(10000));
    // Let the slow read of 2 finish too, and its result arrive.
    for (int i = 0; i < 20; ++i) {
        QTest::qWait(50);
    }
    ASSERT_EQ(selected.count(), 1) << "the superseded read showed its ladder";
    EXPECT_EQ(selected.at(0).at(0).value<std::optional<std::size_t>>(),
              std::optional<std::size_t>(7));
    EXPECT_EQ(c->selectedConnection(), std::optional<std::size_t>(7));
    ASSERT_NE(w.currentTrace(), nullptr);
    EXPECT_EQ(w.currentTrace(), c->connectionTrace(7));
    EXPECT_EQ(w.currentTrace()->meta.client.address.toString(),
              c->tableModel()->row(7).client.toString());
    {
        const std::lock_guard lock(reads->mutex);
        EXPECT_EQ(reads->connections.size(), 2U) << "both reads started (2 on its worker)";
    }
    // Selecting 7 cancelled the read of 2 while its worker was still on it: that read
    // stopped without a Trace (none kept, 2 is read again when selected again).
    EXPECT_TRUE(c->document()->traceNeedsRead(2)) << "the superseded read ran to its end";
    EXPECT_FALSE(c->document()->traceNeedsRead(7));
    EXPECT_EQ(c->document()->tracesKept(), 1U);
    selected.clear();
    c->selectConnection(2);
    EXPECT_EQ(c->readingConnection(), std::optional<std::size_t>(2));
    ASSERT_TRUE(selected.wait(10000));
    EXPECT_EQ(selected.at(0).at(0).value<std::optional<std::size_t>>(),
              std::optional<std::size_t>(2));
    EXPECT_EQ(w.currentTrace(), c->connectionTrace(2));
    ASSERT_NE(w.currentTrace(), nullptr);
    EXPECT_EQ(w.currentTrace()->meta.client.address.toString(),
              c->tableModel()->row(2).client.toString());
}

// connectionTrace() is what the window asks once a connection is ready; for one
// whose packets are only in the file it never reads them (that is the worker's
// job): nothing, at once, nothing kept.
TEST(CaptureSelection, ConnectionTraceNeverReadsTheFile) {
    QTemporaryDir dir;
    const QString file = synthCapture(dir, 6);
    CaptureController c;
    c.setKeepPacketsLimit(0);
    QSignalSpy failed(&c, &CaptureController::failed);
    c.openFile(file, nullptr);
    ASSERT_TRUE(c.waitForAnalysis(30000));
    ASSERT_FALSE(c.document()->packetsKept());
    ASSERT_TRUE(c.document()->traceNeedsRead(3));
    EXPECT_EQ(c.connectionTrace(3), nullptr);
    EXPECT_TRUE(c.document()->traceNeedsRead(3)) << "connectionTrace read the file";
    EXPECT_EQ(c.document()->tracesKept(), 0U);
    EXPECT_EQ(failed.count(), 0) << "not an error: not read yet";
    // Once the worker has read it (the selection), there it is.
    QSignalSpy selected(&c, &CaptureController::connectionSelected);
    c.selectConnection(3);
    ASSERT_TRUE(selected.wait(10000));
    ASSERT_NE(c.connectionTrace(3), nullptr);
    EXPECT_GT(c.connectionTrace(3)->size(), 40U);
}

/// Waits until the replay openConnectionAsScenario() started has arrived.
bool waitForReplay(MainWindow& w) {
    return QTest::qWaitFor([&w] { return !w.captureController()->replayingConnection(); }, 60000);
}

QAction* openAsScenarioAction(MainWindow& w) {
    for (QAction* a : w.findChildren<QAction*>()) {
        if (a->text() == w.tr("Open connection as &scenario")) {
            return a;
        }
    }
    return nullptr;
}

// Capture > Open connection as scenario on a large capture: the packets are read
// and the replay simulated on the controller's worker while the window goes on,
// saying so in the status bar, its action waiting; then the scenario opens.
TEST(CaptureSelection, OpenAsScenarioIsMadeOnTheWorkerWhileTheWindowGoesOn) {
    QTemporaryDir dir;
    const QString file = synthCapture(dir, 12);
    MainWindow w;
    w.setQuiet(true);
    w.setLanguage(QStringLiteral("en"));
    w.resize(1280, 720);
    w.show();
    CaptureController* c = w.captureController();
    c->setKeepPacketsLimit(0);
    auto reads = std::make_shared<Reads>();
    c->setTraceReadHook([reads](std::size_t id) { (*reads)(id); });
    ASSERT_TRUE(w.openPath(file));
    ASSERT_TRUE(c->waitForAnalysis(30000)) << w.lastError().toStdString();
    QApplication::processEvents();
    QSignalSpy selected(c, &CaptureController::connectionSelected);
    c->selectConnection(4);
    ASSERT_TRUE(selected.wait(10000));
    QAction* action = openAsScenarioAction(w);
    ASSERT_NE(action, nullptr);
    EXPECT_TRUE(action->isEnabled());

    reads->delayMs = 400; // a slow disk
    QSignalSpy replayed(c, &CaptureController::connectionReplayed);
    QElapsedTimer timer;
    timer.start();
    action->trigger();
    EXPECT_LT(timer.elapsed(), 300) << "the replay was made on the GUI thread";
    EXPECT_EQ(c->replayingConnection(), std::optional<std::size_t>(4));
    EXPECT_FALSE(w.isReplay()) << "nothing opened before the worker is done";
    EXPECT_FALSE(action->isEnabled()) << "one replay at a time";
    EXPECT_TRUE(w.statusBar()->currentMessage().contains(QStringLiteral("connection #4")))
        << w.statusBar()->currentMessage().toStdString();
    // The GUI thread goes on meanwhile: its timers fire.
    int ticks = 0;
    QTimer tick;
    QObject::connect(&tick, &QTimer::timeout, [&ticks] { ++ticks; });
    tick.start(20);
    ASSERT_TRUE(waitForReplay(w));
    tick.stop();
    EXPECT_GE(timer.elapsed(), 400);
    EXPECT_GE(ticks, 5) << "the event loop stood still during the replay";
    ASSERT_EQ(replayed.count(), 1);
    EXPECT_EQ(replayed.at(0).at(0).value<std::size_t>(), 4U);
    ASSERT_TRUE(w.isReplay()) << w.lastError().toStdString();
    ASSERT_NE(w.currentTrace(), nullptr);
    EXPECT_FALSE(w.currentTrace()->meta.fromCapture) << "the simulated scenario";
    EXPECT_TRUE(w.statusBar()->currentMessage().contains(QStringLiteral("as a scenario")))
        << w.statusBar()->currentMessage().toStdString();
    {
        const std::lock_guard lock(reads->mutex);
        ASSERT_EQ(reads->connections, (std::vector<std::size_t>{4, 4}));
        EXPECT_NE(reads->threads.at(1), QThread::currentThreadId())
            << "the replay's packets were read on the GUI thread";
    }
    // And back to the capture (compare mode and what-ifs are those of any lesson):
    // the connection is selected again, its ladder read on the worker.
    ASSERT_TRUE(w.backToCapture());
    ASSERT_TRUE(c->waitForAnalysis(30000));
    ASSERT_TRUE(QTest::qWaitFor([&] { return w.currentTrace() != nullptr; }, 10000));
    EXPECT_EQ(c->selectedConnection(), std::optional<std::size_t>(4));
    EXPECT_TRUE(w.currentTrace()->meta.fromCapture);
}

// A newer replay asked for while one is made wins; closing the document drops the
// one being made (its read stopped), and the window's notice goes with it.
TEST(CaptureSelection, ANewerReplayOrClosingTheDocumentDropsTheOlder) {
    QTemporaryDir dir;
    const QString file = synthCapture(dir, 12);
    MainWindow w;
    w.setQuiet(true);
    w.setLanguage(QStringLiteral("en"));
    CaptureController* c = w.captureController();
    c->setKeepPacketsLimit(0);
    auto reads = std::make_shared<Reads>();
    c->setTraceReadHook([reads](std::size_t id) {
        reads->delayMs = id == 2 ? 400 : 0;
        (*reads)(id);
    });
    ASSERT_TRUE(w.openPath(file));
    ASSERT_TRUE(c->waitForAnalysis(30000)) << w.lastError().toStdString();
    QApplication::processEvents();

    QSignalSpy replayed(c, &CaptureController::connectionReplayed);
    QSignalSpy failed(c, &CaptureController::connectionReplayFailed);
    QString error;
    ASSERT_TRUE(c->replayConnection(2, error)) << error.toStdString();
    ASSERT_TRUE(c->replayConnection(7, error)) << error.toStdString();
    EXPECT_EQ(c->replayingConnection(), std::optional<std::size_t>(7));
    ASSERT_TRUE(replayed.wait(10000));
    for (int i = 0; i < 16; ++i) { // the slow one ends too, and its result is posted
        QTest::qWait(50);
    }
    ASSERT_EQ(replayed.count(), 1) << "the superseded replay arrived";
    EXPECT_EQ(replayed.at(0).at(0).value<std::size_t>(), 7U);
    EXPECT_EQ(failed.count(), 0);
    EXPECT_FALSE(c->replayingConnection().has_value());
    ASSERT_TRUE(w.isReplay()) << "the window opened 7's scenario";
    EXPECT_TRUE(w.statusBar()->currentMessage().contains(QStringLiteral("#7")))
        << w.statusBar()->currentMessage().toStdString();

    // Closing the document while one is made: nothing arrives, the notice goes.
    ASSERT_TRUE(w.openPath(file));
    ASSERT_TRUE(c->waitForAnalysis(30000)) << w.lastError().toStdString();
    QApplication::processEvents();
    replayed.clear();
    ASSERT_TRUE(w.openConnectionAsScenario(2));
    EXPECT_TRUE(w.statusBar()->currentMessage().contains(QStringLiteral("connection #2")));
    ASSERT_TRUE(w.openPath(QStringLiteral("three-way-handshake")));
    EXPECT_FALSE(c->replayingConnection().has_value());
    EXPECT_FALSE(w.statusBar()->currentMessage().contains(QStringLiteral("connection #2")));
    for (int i = 0; i < 16; ++i) {
        QTest::qWait(50);
    }
    EXPECT_EQ(replayed.count(), 0) << "a closed capture's replay opened";
    EXPECT_EQ(failed.count(), 0) << "a cancelled replay is no failure";
    EXPECT_FALSE(w.isReplay());
    ASSERT_TRUE(w.scenario().has_value());
    EXPECT_EQ(w.scenario()->id, "three-way-handshake");
}

TEST(CaptureSelection, ClosingTheDocumentDuringAReadDropsIt) {
    QTemporaryDir dir;
    const QString file = synthCapture(dir, 4);
    auto reads = std::make_shared<Reads>();
    reads->delayMs = 200;
    {
        CaptureController c;
        c.setKeepPacketsLimit(0);
        c.setTraceReadHook([reads](std::size_t id) { (*reads)(id); });
        c.openFile(file, nullptr);
        ASSERT_TRUE(c.waitForAnalysis(30000));
        QSignalSpy selected(&c, &CaptureController::connectionSelected);
        c.selectConnection(1);
        c.closeDocument();
        QTest::qWait(400);
        for (const auto& args : selected) {
            EXPECT_FALSE(args.at(0).value<std::optional<std::size_t>>().has_value())
                << "a closed document's ladder was shown";
        }
        c.selectConnection(1); // no document: nothing to read
        EXPECT_FALSE(c.readingConnection().has_value());
        // A read still running when the controller goes: it waits for it.
        ASSERT_TRUE(c.hasDocument() == false);
        c.openFile(file, nullptr);
        ASSERT_TRUE(c.waitForAnalysis(30000));
        c.selectConnection(3);
    }
    const std::lock_guard lock(reads->mutex);
    EXPECT_EQ(reads->connections, (std::vector<std::size_t>{1, 3}));
}

namespace {

/// A capture file of 200 connections whose connection 0 has 120,007 packets,
/// opened with no packets kept (each connection read back from the file).
struct LongConnectionCapture {
    QTemporaryDir dir;
    QString file = dir.filePath(QStringLiteral("long.pcap"));
    bool written = write(file);

    [[nodiscard]] bool open(CaptureController& c) const {
        c.setKeepPacketsLimit(0);
        c.openFile(file, nullptr);
        return c.waitForAnalysis(60000);
    }

private:
    static bool write(const QString& path) {
        SynthOptions o;
        o.connections = 200;
        o.dataSegments = 1;
        o.longConnectionSegments = 60'000;
        return writeSynthCapture(o, path.toStdString()).has_value();
    }
};

} // namespace

// Closing the document while a long connection is read stops that read: the
// controller (whose destructor waits for its workers) is gone well before the
// read could have ended.
TEST(CaptureSelection, ClosingTheDocumentStopsTheReadRunning) {
    const LongConnectionCapture capture;
    ASSERT_TRUE(capture.written);
    const auto open = [&capture](CaptureController& c) { return capture.open(c); };
    // The whole read, for comparison.
    double wholeMs = 0;
    {
        CaptureController c;
        ASSERT_TRUE(open(c));
        QSignalSpy selected(&c, &CaptureController::connectionSelected);
        QElapsedTimer timer;
        timer.start();
        c.selectConnection(0);
        ASSERT_TRUE(selected.wait(60000));
        wholeMs = static_cast<double>(timer.nsecsElapsed()) / 1e6;
        ASSERT_NE(c.connectionTrace(0), nullptr);
    }
    double closedMs = 0;
    {
        auto started = std::make_shared<std::atomic<bool>>(false);
        auto c = std::make_unique<CaptureController>();
        ASSERT_TRUE(open(*c));
        c->setTraceReadHook([started](std::size_t) { *started = true; });
        QElapsedTimer timer;
        timer.start();
        c->selectConnection(0);
        while (!*started) {
            std::this_thread::yield();
        }
        c->closeDocument();
        c.reset(); // waits for the worker
        closedMs = static_cast<double>(timer.nsecsElapsed()) / 1e6;
    }
    std::printf("a connection of 120,007 packets: read and built in %.1f ms; closing the "
                "document as its read began ended it after %.1f ms\n",
                wholeMs, closedMs);
    EXPECT_LT(closedMs, wholeMs / 2) << "the read ran on after the document was closed";
}

// Closing the document, or destroying the controller, while a long connection's
// Trace is being built (its packets already read) stops the build: the controller
// is gone in a few milliseconds, not after the rest of the build. Prints the
// figures:
//     build/ci/tests/app/tcpviz_app_tests --gtest_filter='CaptureSelection.*Build*'
TEST(CaptureSelection, ClosingTheDocumentStopsTheTraceBuildRunning) {
    const LongConnectionCapture capture;
    ASSERT_TRUE(capture.written);
    const auto open = [&capture](CaptureController& c) { return capture.open(c); };
    // The read alone and the read with the build, for comparison.
    double readMs = 0;
    double wholeMs = 0;
    {
        CaptureController c;
        ASSERT_TRUE(open(c));
        QElapsedTimer timer;
        timer.start();
        ASSERT_TRUE(c.document()->connectionPackets(0));
        readMs = static_cast<double>(timer.nsecsElapsed()) / 1e6;
        QSignalSpy selected(&c, &CaptureController::connectionSelected);
        timer.start();
        c.selectConnection(0);
        ASSERT_TRUE(selected.wait(60000));
        wholeMs = static_cast<double>(timer.nsecsElapsed()) / 1e6;
        ASSERT_NE(c.connectionTrace(0), nullptr);
    }
    // Stopped a quarter into the build: the read is over, most of the build is left.
    const double closeAtMs = readMs + (wholeMs - readMs) / 4;
    const double leftMs = wholeMs - closeAtMs;
    for (const bool closeFirst : {true, false}) {
        SCOPED_TRACE(closeFirst ? "document closed" : "controller destroyed");
        auto started = std::make_shared<std::atomic<bool>>(false);
        auto c = std::make_unique<CaptureController>();
        ASSERT_TRUE(open(*c));
        c->setTraceReadHook([started](std::size_t) { *started = true; });
        c->selectConnection(0);
        while (!*started) {
            std::this_thread::yield();
        }
        std::this_thread::sleep_for(
            std::chrono::microseconds(static_cast<std::int64_t>(closeAtMs * 1000)));
        QElapsedTimer timer;
        timer.start();
        if (closeFirst) {
            c->closeDocument();
        }
        c.reset(); // waits for the worker
        const double goneMs = static_cast<double>(timer.nsecsElapsed()) / 1e6;
        std::printf("a connection of 120,007 packets: read in %.1f ms, read and built in %.1f "
                    "ms; %s %.1f ms after the read began, %.1f ms of the build left: the "
                    "controller was gone %.1f ms later\n",
                    readMs, wholeMs, closeFirst ? "closing the document" : "destroying it",
                    closeAtMs, leftMs, goneMs);
        EXPECT_LT(goneMs, 300.0) << "the build ran on after the document was closed";
        EXPECT_LT(goneMs, std::max(50.0, leftMs / 2))
            << "the build ran on (" << leftMs << " ms of it were left)";
    }
}

// Closing the document, or destroying the controller, while Open as scenario
// replays a long connection (its packets kept: bestReplay is all the work) stops
// the replay: the controller is gone in milliseconds, not after the replays.
//     build/ci/tests/app/tcpviz_app_tests --gtest_filter='CaptureSelection.*Replay*'
TEST(CaptureSelection, ClosingTheDocumentStopsTheReplayRunning) {
    QTemporaryDir dir;
    SynthOptions o;
    o.connections = 20;
    o.dataSegments = 1;
    o.longConnectionSegments = 4000; // connection 0: 8,007 packets
    const QString file = dir.filePath(QStringLiteral("long.pcap"));
    ASSERT_TRUE(writeSynthCapture(o, file.toStdString()).has_value());
    const auto open = [&file](CaptureController& c) {
        c.openFile(file, nullptr);
        return c.waitForAnalysis(60000);
    };
    double wholeMs = 0;
    {
        CaptureController c;
        ASSERT_TRUE(open(c));
        ASSERT_TRUE(c.document()->packetsKept());
        QSignalSpy replayed(&c, &CaptureController::connectionReplayed);
        QElapsedTimer timer;
        timer.start();
        QString error;
        ASSERT_TRUE(c.replayConnection(0, error)) << error.toStdString();
        ASSERT_TRUE(replayed.wait(120000));
        wholeMs = static_cast<double>(timer.nsecsElapsed()) / 1e6;
    }
    ASSERT_GT(wholeMs, 600.0) << "a replay this short cannot tell a stopped one";
    constexpr double closeAtMs = 100;
    for (const bool closeFirst : {true, false}) {
        SCOPED_TRACE(closeFirst ? "document closed" : "controller destroyed");
        auto started = std::make_shared<std::atomic<bool>>(false);
        auto c = std::make_unique<CaptureController>();
        ASSERT_TRUE(open(*c));
        c->setTraceReadHook([started](std::size_t) { *started = true; });
        QString error;
        ASSERT_TRUE(c->replayConnection(0, error)) << error.toStdString();
        while (!*started) {
            std::this_thread::yield();
        }
        std::this_thread::sleep_for(
            std::chrono::microseconds(static_cast<std::int64_t>(closeAtMs * 1000)));
        QElapsedTimer timer;
        timer.start();
        if (closeFirst) {
            c->closeDocument();
        }
        c.reset(); // waits for the worker
        const double goneMs = static_cast<double>(timer.nsecsElapsed()) / 1e6;
        std::printf("Open as scenario of 8,007 packets: %.1f ms; %s %.0f ms after it began: "
                    "the controller was gone %.1f ms later\n",
                    wholeMs, closeFirst ? "closing the document" : "destroying it", closeAtMs,
                    goneMs);
        EXPECT_LT(goneMs, 300.0) << "the replay ran on after the document was closed";
    }
}

// The window's table counts the ICMP errors quoting each connection's packets
// (as `analyze --json` icmp_errors does), under a translated header.
TEST(CaptureSelection, TheTableCountsIcmpErrorsPerConnection) {
    using Bytes = std::vector<std::uint8_t>;
    const auto tcpFrame = [](const char* from, const char* to, std::uint8_t flags) {
        FrameSpec spec;
        spec.src = *parseSocketAddress(from);
        spec.dst = *parseSocketAddress(to);
        spec.tcp.srcPort = spec.src.port;
        spec.tcp.dstPort = spec.dst.port;
        spec.tcp.flags = flags;
        Bytes f;
        buildTcpFrame(spec, f);
        return Bytes(f.begin() + 14, f.end()); // raw IPv4: no Ethernet header
    };
    const auto unreachable = [](const Bytes& quoted) {
        Bytes f = {0x45, 0, 0, 56, 0, 0, 0, 0, 64, 1, 0, 0, 192, 0, 2, 254, 10, 0, 0, 1};
        f.resize(56);
        f[20] = 3; // destination unreachable, host
        f[21] = 1;
        std::copy_n(quoted.begin(), 28, f.begin() + 28);
        return f;
    };
    const Bytes synA = tcpFrame("10.0.0.1:1234", "10.0.0.2:80", flag::SYN);
    const Bytes synB = tcpFrame("10.0.0.1:1235", "10.0.0.2:80", flag::SYN);
    const std::vector<Bytes> frames = {synA, synB, unreachable(synB), unreachable(synB)};
    QTemporaryDir dir;
    const QString file = dir.filePath(QStringLiteral("icmp.pcap"));
    PcapWriter writer;
    ASSERT_TRUE(writer.open(file.toStdString(), linktype::Raw, 65535, false));
    std::int64_t t = 1'000'000'000;
    for (const Bytes& f : frames) {
        ASSERT_TRUE(writer.write(t, f.data(), static_cast<std::uint32_t>(f.size()),
                                 static_cast<std::uint32_t>(f.size())));
        t += 1000;
    }
    ASSERT_TRUE(writer.close());

    CaptureController c;
    c.openFile(file, nullptr);
    ASSERT_TRUE(c.waitForAnalysis(30000));
    const ConnectionTableModel* table = c.tableModel();
    ASSERT_EQ(table->rowCount(), 2) << "a quote is not a connection";
    EXPECT_EQ(table->headerData(ConnectionTableModel::IcmpErrors, Qt::Horizontal, Qt::DisplayRole)
                  .toString(),
              QStringLiteral("ICMP"));
    const auto cell = [table](int row) {
        return table->data(table->index(row, ConnectionTableModel::IcmpErrors), Qt::DisplayRole)
            .toUInt();
    };
    EXPECT_EQ(cell(0), 0U);
    EXPECT_EQ(cell(1), 2U);
    EXPECT_EQ(table->row(1).packets, 1U) << "the quotes are not its packets";
    EXPECT_EQ(c.captureInfo()->tcpPackets, 2U);
}

} // namespace
