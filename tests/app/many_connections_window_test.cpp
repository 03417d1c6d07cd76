// A scenario of many connections (`load:`) in the real window (offscreen): it
// opens like a capture (the connection table, the heat map, the states chart)
// with the scenario's own client selected, so the ladder, the narration and the
// stepping are the lesson's; the heat map, the chart's cursor and the counts
// panel follow the playhead. And the counts panel of a capture.
#include "capture/capture_document.h"
#include "capture/state_timeline.h"
#include "capture/synth.h"
#include "capture_controller.h"
#include "connection_table_model.h"
#include "host_sockets_panel.h"
#include "main_window.h"
#include "narration_view.h"
#include "scenario/scenario.h"
#include "sequence_diagram_view.h"
#include "sim/host_simulator.h"
#include "state_counts_panel.h"
#include "state_graph_view.h"
#include "states_chart_view.h"
#include "what_if.h"

#include <QApplication>
#include <QCheckBox>
#include <QDockWidget>
#include <QLabel>
#include <QLineEdit>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <map>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace tcpviz;
using tcpviz::gui::CaptureController;
using tcpviz::gui::MainWindow;

namespace {

const QString kSynFlood = QStringLiteral(TCPVIZ_SOURCE_DIR "/resources/scenarios/syn-flood.yaml");

HostSimulation simulateFixture() {
    const Result<Scenario> sc = parseScenarioFile(kSynFlood.toStdString());
    EXPECT_TRUE(sc.has_value());
    return sc ? simulateHosts(*sc) : HostSimulation{};
}

/// The simulation's counts at `timeUs`: the last entry at or before it.
StateCounts countsAt(const HostSimulation& sim, std::int64_t timeUs) {
    StateCounts out;
    for (const StateCounts& c : sim.counts) {
        if (c.timeUs > timeUs) {
            break;
        }
        out = c;
    }
    return out;
}

/// The counts panel's rows: ss name -> (client, server).
std::map<QString, std::pair<int, int>> panelRows(gui::StateCountsPanel* panel) {
    std::map<QString, std::pair<int, int>> rows;
    const QTableWidget* t = panel->table();
    for (int r = 0; r < t->rowCount(); ++r) {
        rows[t->item(r, 0)->text()] = {t->item(r, 1)->text().toInt(),
                                       t->item(r, 2)->text().toInt()};
    }
    return rows;
}

/// What the panel must list for side counts `client`/`server`: every state but
/// CLOSED that has a socket, by its ss name.
template <typename C>
std::map<QString, std::pair<int, int>> expectedRows(const C& client, const C& server) {
    std::map<QString, std::pair<int, int>> rows;
    for (const State s : kAllStates) {
        const auto c = static_cast<int>(client.at(index(s)));
        const auto v = static_cast<int>(server.at(index(s)));
        if (s != State::Closed && c + v > 0) {
            rows[QString::fromStdString(std::string(stateName(s, StateNameStyle::Linux)))] = {c, v};
        }
    }
    return rows;
}

/// Position just after the first event at or after `timeUs`.
std::size_t positionAt(const Trace& t, std::int64_t timeUs) {
    for (std::size_t i = 0; i < t.size(); ++i) {
        if (t.event(i).timeUs >= timeUs) {
            return i + 1;
        }
    }
    return t.size();
}

void screenshot(MainWindow& w, const QString& name) {
    if (const QString dir = qEnvironmentVariable("TCPVIZ_SCREENSHOT_DIR"); !dir.isEmpty()) {
        QApplication::processEvents();
        w.grab().save(dir + QLatin1Char('/') + name + QStringLiteral(".png"));
    }
}

TEST(ManyConnectionsWindow, OpensLikeACaptureWithTheNamedConnectionSelected) {
    const HostSimulation sim = simulateFixture();
    ASSERT_GT(sim.connections.size(), 100U);
    MainWindow w;
    w.setQuiet(true);
    w.resize(1280, 720);
    w.show();
    ASSERT_TRUE(w.openPath(kSynFlood)) << w.lastError().toStdString();
    QApplication::processEvents();
    CaptureController* c = w.captureController();
    ASSERT_TRUE(c->hasDocument());
    EXPECT_TRUE(c->isSimulation());
    EXPECT_EQ(c->connectionCount(), sim.connections.size());
    EXPECT_EQ(static_cast<std::size_t>(c->tableModel()->rowCount()), sim.connections.size());
    // The table in front, the counts a tab of the same dock: the ladder keeps the
    // height a second dock took.
    auto* connections = w.findChild<QDockWidget*>(QStringLiteral("connectionsDock"));
    EXPECT_TRUE(connections->isVisible());
    EXPECT_TRUE(w.stateCountsDock()->toggleViewAction()->isChecked());
    EXPECT_EQ(w.tabifiedDockWidgets(connections), QList<QDockWidget*>{w.stateCountsDock()});
    // "The" connection, as in a lesson: the what-if's Trace, narrated.
    ASSERT_EQ(c->selectedConnection(), sim.named);
    ASSERT_NE(w.currentTrace(), nullptr);
    EXPECT_EQ(w.currentTrace(), &w.whatIf()->current());
    EXPECT_EQ(w.currentTrace()->size(), sim.connections[sim.named].trace.size());
    EXPECT_TRUE(w.crowdChart()->isVisible());
    EXPECT_TRUE(w.stateGraphView()->heatMap());

    // Step to where the flood has filled the SYN queue and the client connects (1 s).
    const Trace& lesson = *w.currentTrace();
    const std::size_t at = positionAt(lesson, 1'000'000);
    w.player()->seek(at);
    QApplication::processEvents();
    const std::int64_t t = lesson.event(at - 1).timeUs;
    EXPECT_EQ(c->overviewTimeUs(), t);
    EXPECT_EQ(w.crowdChart()->cursorTime(), t * 1000);
    const StateCounts want = countsAt(sim, t);
    ASSERT_GT(want.server.at(index(State::SynReceived)), 1U);
    // The heat map counts both sides, and the lesson's endpoints stay lit.
    const auto& shown = w.stateGraphView()->renderer().stateCounts();
    ASSERT_TRUE(shown.has_value());
    for (const State s : kAllStates) {
        if (s != State::Closed) {
            EXPECT_EQ(shown->at(index(s)), want.client.at(index(s)) + want.server.at(index(s)))
                << stateName(s);
        }
    }
    EXPECT_EQ(w.stateGraphView()->highlightedState(Side::Client), lesson.stateAt(Side::Client, at));
    EXPECT_EQ(w.stateGraphView()->highlightedState(Side::Server), lesson.stateAt(Side::Server, at));
    // The counts panel: ss's table at the playhead.
    EXPECT_EQ(panelRows(w.stateCountsPanel()), expectedRows(want.client, want.server));
    EXPECT_TRUE(w.stateCountsPanel()->table()->rowCount() >= 3); // LISTEN, SYN-RECV, SYN-SENT

    // Stepping moves them all; the narration is the lesson's event text.
    w.player()->stepForward();
    QApplication::processEvents();
    const std::int64_t next = lesson.event(w.player()->position() - 1).timeUs;
    EXPECT_EQ(c->overviewTimeUs(), next);
    EXPECT_EQ(panelRows(w.stateCountsPanel()),
              expectedRows(countsAt(sim, next).client, countsAt(sim, next).server));
    screenshot(w, QStringLiteral("syn_flood_window_1280x720_en"));

    // A click on the chart moves the playhead to the lesson's event at that time.
    emit w.crowdChart()->cursorMoved(8'500'000'000);
    QApplication::processEvents();
    EXPECT_EQ(w.player()->position(), positionAt(lesson, 8'500'001) - 1);
    EXPECT_EQ(panelRows(w.stateCountsPanel()),
              expectedRows(countsAt(sim, 8'500'000).client, countsAt(sim, 8'500'000).server));

    // Another connection of the crowd: its own Trace, the heat map stays, and the
    // playhead keeps the crowd's clock: at 8.5 s this forged SYN's story is over.
    const std::int64_t before = c->overviewTimeUs();
    c->selectConnection(1);
    QApplication::processEvents();
    ASSERT_NE(w.currentTrace(), nullptr);
    EXPECT_NE(w.currentTrace(), &w.whatIf()->current());
    EXPECT_EQ(w.currentTrace()->meta.client.address, sim.connections[1].trace.meta.client.address);
    EXPECT_TRUE(w.stateGraphView()->heatMap());
    const Trace& forged = sim.connections[1].trace;
    ASSERT_LT(forged.events().back().timeUs, before);
    EXPECT_EQ(w.player()->position(), forged.size());
    EXPECT_EQ(c->overviewTimeUs(), before);
    // Back to the lesson's client at that time: its events up to then.
    c->selectConnection(sim.named);
    QApplication::processEvents();
    EXPECT_EQ(w.currentTrace(), &w.whatIf()->current());
    EXPECT_EQ(w.player()->position(), positionAt(lesson, before + 1) - 1);
    EXPECT_EQ(c->overviewTimeUs(), before);

    // A single-connection lesson afterwards: no table, no counts, no chart.
    ASSERT_TRUE(w.openPath(QStringLiteral("three-way-handshake")));
    QApplication::processEvents();
    EXPECT_FALSE(c->hasDocument());
    EXPECT_FALSE(w.crowdChart()->isVisible());
    EXPECT_FALSE(w.stateCountsDock()->isVisible());
    EXPECT_FALSE(w.stateGraphView()->heatMap());
}

TEST(ManyConnectionsWindow, AWhatIfBranchShowsItsOwnCrowdsCounts) {
    // syn-flood: what if the client gives up (ABORT) while its SYNs are dropped?
    // The counts panel, the chart and the table are then the branch's crowd: the
    // client's SYN-SENT socket is gone from ss's count, and the named connection
    // never gets in. Back to the scenario, the scenario's crowd again.
    const Result<Scenario> sc = parseScenarioFile(kSynFlood.toStdString());
    ASSERT_TRUE(sc.has_value());
    const HostSimulation sim = simulateHosts(*sc);
    MainWindow w;
    w.setQuiet(true);
    w.resize(1280, 720);
    w.show();
    ASSERT_TRUE(w.openPath(kSynFlood)) << w.lastError().toStdString();
    QApplication::processEvents();
    CaptureController* c = w.captureController();
    const Trace& lesson = *w.currentTrace();
    const std::size_t at = positionAt(lesson, 2'000'000);
    ASSERT_EQ(lesson.stateAt(Side::Client, at), State::SynSent);
    w.player()->seek(at);
    QApplication::processEvents();

    gui::Intervention iv;
    iv.kind = gui::Intervention::Kind::Call;
    iv.position = at;
    iv.side = Side::Client;
    iv.call = UserCall::Abort;
    QString error;
    ASSERT_TRUE(w.whatIf()->intervene(iv, error)) << error.toStdString();
    QApplication::processEvents();
    ASSERT_TRUE(w.whatIf()->inBranch());
    ASSERT_EQ(w.currentTrace(), &w.whatIf()->current());

    HostIntervention h;
    h.position = at;
    h.side = Side::Client;
    h.call = UserCall::Abort;
    const HostSimulation branch = simulateHosts(*sc, {}, {h});
    const Trace& named = branch.connections.at(branch.named).trace;
    EXPECT_EQ(w.currentTrace()->size(), named.size());
    EXPECT_EQ(named.stateAt(Side::Client, named.size()), State::Closed);
    // Later on, the branch's crowd and the scenario's differ; the panel shows the branch's.
    const std::int64_t later = 5'000'000;
    const StateCounts mine = countsAt(branch, later);
    const StateCounts theirs = countsAt(sim, later);
    ASSERT_NE(mine.client, theirs.client);
    c->setOverviewTime(later);
    QApplication::processEvents();
    EXPECT_EQ(panelRows(w.stateCountsPanel()), expectedRows(mine.client, mine.server));
    const auto chart = c->countsTimeline()->sideCountsAt(c->originNs() + later * 1000);
    for (const State s : kAllStates) {
        if (s != State::Closed) {
            EXPECT_EQ(chart[0].at(index(s)), mine.client.at(index(s))) << stateName(s);
            EXPECT_EQ(chart[1].at(index(s)), mine.server.at(index(s))) << stateName(s);
        }
    }
    EXPECT_TRUE(w.crowdChart()->isVisible());
    // The table's named row ends as the branch's connection does.
    EXPECT_EQ(c->document()->connections().at(branch.named).finalState(Side::Client),
              State::Closed);
    EXPECT_EQ(c->document()->connections().at(branch.named).finalState(Side::Server),
              named.stateAt(Side::Server, named.size()));
    screenshot(w, QStringLiteral("syn_flood_what_if_1280x720_en"));

    // Back to the scenario: its own crowd.
    w.whatIf()->backToScenario();
    QApplication::processEvents();
    ASSERT_FALSE(w.whatIf()->inBranch());
    c->setOverviewTime(later);
    QApplication::processEvents();
    EXPECT_EQ(panelRows(w.stateCountsPanel()), expectedRows(theirs.client, theirs.server));
    EXPECT_EQ(c->document()->connections().at(sim.named).finalState(Side::Client),
              lesson.stateAt(Side::Client, lesson.size()));
}

TEST(ManyConnectionsWindow, ALessonOpenedBeforeTheWindowShowsKeepsTheLaddersHeight) {
    // `tcpviz syn-flood` opens the lesson before the window is shown: the dock got
    // two fifths of the height then (288 of 720 lines) and kept them. Shown, the
    // table is fitted to its few rows and the counts are a tab of its dock, so
    // the ladder keeps the rest.
    MainWindow w;
    w.setQuiet(true);
    w.resize(1280, 720);
    ASSERT_TRUE(w.openPath(kSynFlood)) << w.lastError().toStdString();
    w.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&w));
    QTest::qWait(50);
    auto* connections = w.findChild<QDockWidget*>(QStringLiteral("connectionsDock"));
    ASSERT_TRUE(connections->isVisible());
    EXPECT_LT(connections->height(), 720 * 2 / 5 - 40) << connections->height();
    EXPECT_EQ(w.tabifiedDockWidgets(connections), QList<QDockWidget*>{w.stateCountsDock()});
    // The counts dock sits in the same place, not beside the table.
    EXPECT_EQ(connections->width(), w.width());
    // 227 px here; with the dock left at two fifths and the narration grown, about 160.
    EXPECT_GE(w.diagramView()->height(), 200) << w.diagramView()->height();
    screenshot(w, QStringLiteral("syn_flood_opened_before_shown_1280x720"));
}

TEST(ManyConnectionsWindow, TheCountsPanelOfACaptureIsItsTimelineAtTheCursor) {
    QTemporaryDir dir;
    SynthOptions o;
    o.connections = 30;
    o.close = SynthClose::Server;
    o.connectionIntervalNs = 3'000'000;
    const QString file = dir.filePath(QStringLiteral("crowd.pcap"));
    ASSERT_TRUE(writeSynthCapture(o, file.toStdString()).has_value());
    MainWindow w;
    w.setQuiet(true);
    w.resize(1280, 720);
    w.show();
    ASSERT_TRUE(w.openPath(file));
    CaptureController* c = w.captureController();
    ASSERT_TRUE(c->waitForAnalysis(30000));
    QApplication::processEvents();
    EXPECT_TRUE(w.stateCountsDock()->toggleViewAction()->isChecked());
    for (const std::int64_t t : {c->endTimeUs() / 3, c->endTimeUs() / 2, c->endTimeUs()}) {
        c->setOverviewTime(t);
        QApplication::processEvents();
        const auto counts = c->countsTimeline()->sideCountsAt(c->originNs() + t * 1000);
        const auto rows = expectedRows(counts[0], counts[1]);
        ASSERT_FALSE(rows.empty());
        EXPECT_EQ(panelRows(w.stateCountsPanel()), rows) << t;
    }
    // At the end every client is CLOSED: ss would not list it, the footnote says so.
    EXPECT_EQ(panelRows(w.stateCountsPanel()).count(QStringLiteral("CLOSED")), 0U);
}

TEST(ManyConnectionsWindow, SynFloodReadsAtLectureSizesInBothLanguages) {
    // What a student in the last row reads: the heat map's numbers on the graph
    // are the counts at the playhead, in English and Chinese, at 1280x720 and 1920x1080.
    const HostSimulation sim = simulateFixture();
    for (const char* language : {"en", "zh_CN"}) {
        for (const QSize size : {QSize(1280, 720), QSize(1920, 1080)}) {
            MainWindow w;
            w.setQuiet(true);
            w.setLanguage(QLatin1String(language));
            w.resize(size);
            w.show();
            ASSERT_TRUE(w.openPath(kSynFlood));
            const Trace& lesson = *w.currentTrace();
            const std::size_t at = positionAt(lesson, 1'000'000) + 1;
            w.player()->seek(at);
            QApplication::processEvents();
            w.stateGraphView()->repaint();
            const StateCounts want = countsAt(sim, lesson.event(at - 1).timeUs);
            bool sawSynRecv = false;
            for (const DrawnCount& d : w.stateGraphView()->renderer().lastCounts()) {
                if (d.state == State::SynReceived) {
                    sawSynRecv = true;
                    EXPECT_EQ(d.count, want.client.at(index(State::SynReceived)) +
                                           want.server.at(index(State::SynReceived)));
                }
            }
            EXPECT_TRUE(sawSynRecv);
            screenshot(w, QStringLiteral("syn_flood_window_%1x%2_%3")
                              .arg(size.width())
                              .arg(size.height())
                              .arg(QLatin1String(language)));
            w.setLanguage(QStringLiteral("en")); // the next test's window starts in English
        }
    }
}

/// Sockets the test owns on loopback: a listener, a client that has half-closed
/// (FIN-WAIT-2) and the accepted end that read the FIN (CLOSE-WAIT). Closed
/// however the test ends.
struct HalfClosed {
    int listener = -1;
    int client = -1;
    int server = -1;
    int port = 0;
    HalfClosed() {
        listener = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (::bind(listener, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 ||
            ::listen(listener, 4) != 0) {
            return;
        }
        socklen_t len = sizeof a;
        ::getsockname(listener, reinterpret_cast<sockaddr*>(&a), &len);
        port = ntohs(a.sin_port);
        client = ::socket(AF_INET, SOCK_STREAM, 0);
        if (::connect(client, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
            return;
        }
        server = ::accept(listener, nullptr, nullptr);
        ::shutdown(client, SHUT_WR);
        char b = 0;
        (void)::recv(server, &b, 1, 0);
    }
    ~HalfClosed() {
        for (const int fd : {server, client, listener}) {
            if (fd >= 0) {
                ::close(fd);
            }
        }
    }
    HalfClosed(const HalfClosed&) = delete;
    HalfClosed& operator=(const HalfClosed&) = delete;
};

TEST(ManyConnectionsWindow, HostViewChartsThisMachinesSocketsOverTimeByEnd) {
    const HalfClosed sockets;
    ASSERT_GT(sockets.port, 0);
    ASSERT_GE(sockets.server, 0);
    for (const char* language : {"en", "zh_CN"}) {
        for (const QSize size : {QSize(1280, 720), QSize(1920, 1080)}) {
            MainWindow w;
            w.setQuiet(true);
            w.setLanguage(QLatin1String(language));
            w.resize(size);
            w.show();
            w.showHostSockets(true);
            auto* panel = w.hostSocketsPanel();
            panel->portFilter()->setText(QString::number(sockets.port));
            for (int i = 0; i < 100; ++i) {
                panel->refresh();
                if (panel->filteredCounts().at(index(State::FinWait2)) == 1) {
                    break;
                }
                QTest::qWait(20);
            }
            panel->refresh(); // a second sample: the chart spans time
            QApplication::processEvents();
            EXPECT_TRUE(panel->chart()->isVisible());
            const StateTimeline& tl = panel->timeline();
            const auto now = tl.sideCountsAt(tl.endNs());
            // The listener and the accepted end are the server's, the client's end its own.
            EXPECT_EQ(now[1].at(index(State::Listen)), 1U);
            EXPECT_EQ(now[1].at(index(State::CloseWait)), 1U);
            EXPECT_EQ(now[0].at(index(State::FinWait2)), 1U);
            std::uint32_t total = 0;
            for (const auto& side : now) {
                for (const auto n : side) {
                    total += n;
                }
            }
            EXPECT_EQ(total, 3U);
            // And the heat map, when asked for, counts the same sockets.
            panel->findChild<QCheckBox*>()->setChecked(true);
            QApplication::processEvents();
            ASSERT_TRUE(w.stateGraphView()->heatMap());
            EXPECT_EQ(w.stateGraphView()->renderer().stateCounts()->at(index(State::CloseWait)),
                      1U);
            // Another port starts the history again.
            panel->portFilter()->setText(QString::number(sockets.port + 1));
            const auto other = panel->timeline().sideCountsAt(panel->timeline().endNs());
            EXPECT_EQ(other[1].at(index(State::CloseWait)), 0U);
            panel->portFilter()->setText(QString::number(sockets.port));
            panel->refresh();
            screenshot(w, QStringLiteral("host_view_%1x%2_%3")
                              .arg(size.width())
                              .arg(size.height())
                              .arg(QLatin1String(language)));
            w.setLanguage(QStringLiteral("en")); // the next test's window starts in English
        }
    }
}

} // namespace
