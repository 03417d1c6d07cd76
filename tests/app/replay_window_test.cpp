// A captured connection opened as a scenario in the window (the connection
// table's context menu), asked "what if", and compared with the capture.
#include "capture_controller.h"
#include "capture_panel.h"
#include "main_window.h"
#include "replay/trace_diff.h"
#include "sequence_diagram_view.h"
#include "test_skip.h"
#include "trace_compare_view.h"

#include <QAction>
#include <QApplication>
#include <QDialog>
#include <QFile>
#include <QMenu>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QStatusBar>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <gtest/gtest.h>

using namespace tcpviz;
using tcpviz::gui::MainWindow;

namespace {

const QString kHttp = QStringLiteral(TCPVIZ_CORPUS_DIR "/pcpp_three_http_streams.pcap");

std::size_t countSends(const Trace& t, Side side) {
    return static_cast<std::size_t>(
        std::count_if(t.events().begin(), t.events().end(), [side](const TraceEvent& e) {
            return e.kind == EventKind::Send && e.endpoint == side;
        }));
}

/// Waits until the replay openConnectionAsScenario() started has arrived (opened,
/// or its error shown): the controller's worker makes it. False on a timeout.
bool waitForReplay(MainWindow& w) {
    return QTest::qWaitFor([&w] { return !w.captureController()->replayingConnection(); }, 60000);
}

/// Opens `file` and connection `connection` of it through the table's context
/// menu, as a user right-clicking the row would, and waits for the replay. Returns
/// the captured connection's Trace (copied: opening the scenario closes the capture).
Trace openThroughContextMenu(MainWindow& w, const QString& file, std::size_t connection) {
    EXPECT_TRUE(w.openPath(file));
    EXPECT_TRUE(w.captureController()->waitForAnalysis(30000)) << w.lastError().toStdString();
    const Trace* captured = w.captureController()->connectionTrace(connection);
    EXPECT_NE(captured, nullptr);
    Trace copy = captured != nullptr ? *captured : Trace{};
    auto* panel = w.findChild<gui::CapturePanel*>();
    EXPECT_NE(panel, nullptr);
    if (panel == nullptr) {
        return copy;
    }
    auto* table = panel->findChild<QTableView*>();
    EXPECT_NE(table, nullptr);
    if (table == nullptr) {
        return copy;
    }
    table->resizeRowsToContents();
    // The row of that connection (sorted by id: row = id).
    const QModelIndex index = table->model()->index(static_cast<int>(connection), 0);
    const QPoint at = table->visualRect(index).center();
    QMenu* menu = panel->connectionMenu(at);
    EXPECT_NE(menu, nullptr) << "a right-click on a row offers a menu";
    if (menu == nullptr) {
        return copy;
    }
    auto* open = menu->findChild<QAction*>(QStringLiteral("openAsScenario"));
    EXPECT_NE(open, nullptr);
    if (const QString dir = qEnvironmentVariable("TCPVIZ_SCREENSHOT_DIR"); !dir.isEmpty()) {
        menu->adjustSize();
        menu->grab().save(dir + QStringLiteral("/connection_menu.png"));
    }
    if (open != nullptr) {
        EXPECT_TRUE(open->text().contains(QString::number(connection)))
            << open->text().toStdString();
        open->trigger();
        EXPECT_TRUE(waitForReplay(w));
    }
    delete menu;
    return copy;
}

QAction* actionNamed(MainWindow& w, const QString& text) {
    for (QAction* a : w.findChildren<QAction*>()) {
        if (a->text() == text) {
            return a;
        }
    }
    return nullptr;
}

/// Position just before the application call that makes `side` send its first
/// data (a what-if there hits that data segment, not the one after it).
std::size_t beforeFirstData(const Trace& t, Side side) {
    for (const TraceEvent& e : t.events()) {
        if (e.kind == EventKind::Send && e.endpoint == side && e.segment.len > 0) {
            for (std::size_t i = e.index; i-- > 0;) {
                const TraceEvent& c = t.event(i);
                if (c.kind == EventKind::Call && c.endpoint == side) {
                    return i;
                }
            }
            return e.index;
        }
    }
    return 0;
}

} // namespace

TEST(ReplayWindow, ContextMenuOpensAConnectionAsAScenarioWhoseSimulationMatchesTheCapture) {
    if (!QFile::exists(kHttp)) {
        TCPVIZ_SKIP("corpus not available: " << kHttp.toStdString());
    }
    MainWindow w;
    w.setQuiet(true);
    const Trace captured = openThroughContextMenu(w, kHttp, 0);
    ASSERT_FALSE(captured.empty());
    ASSERT_TRUE(w.isReplay()) << w.lastError().toStdString();
    ASSERT_TRUE(w.scenario().has_value());
    ASSERT_NE(w.currentTrace(), nullptr);
    EXPECT_TRUE(w.whatIf()->available()) << "a replay is a simulation: what-if is offered";
    EXPECT_TRUE(w.statusBar()->currentMessage().contains(QStringLiteral("reproduces the capture")))
        << w.statusBar()->currentMessage().toStdString();
    // The simulation sends what the capture shows, per direction.
    const Trace& replayed = *w.currentTrace();
    const TraceDiff d = diffTraces(captured, replayed);
    EXPECT_TRUE(d.segmentsOnlyInA.empty());
    EXPECT_TRUE(d.segmentsOnlyInB.empty());
    EXPECT_EQ(d.segments.size(),
              countSends(captured, Side::Client) + countSends(captured, Side::Server));
    EXPECT_EQ(countSends(replayed, Side::Client), countSends(captured, Side::Client));
    EXPECT_EQ(countSends(replayed, Side::Server), countSends(captured, Side::Server));
    // And back: the capture again, with that connection selected.
    ASSERT_TRUE(w.backToCapture());
    ASSERT_TRUE(w.captureController()->waitForAnalysis(30000));
    QApplication::processEvents();
    EXPECT_FALSE(w.isReplay());
    EXPECT_EQ(w.captureController()->selectedConnection(), std::optional<std::size_t>(0));
    ASSERT_NE(w.currentTrace(), nullptr);
    EXPECT_EQ(w.currentTrace()->size(), captured.size());
    EXPECT_FALSE(w.backToCapture()) << "no replay open any more";
    // Open it once more for the rest.
    ASSERT_TRUE(w.openConnectionAsScenario(0));
    ASSERT_TRUE(waitForReplay(w));
    ASSERT_TRUE(w.isReplay()) << w.lastError().toStdString();
    // The scenario can be kept as YAML and parses again.
    QTemporaryDir dir;
    const QString saved = dir.filePath(QStringLiteral("kept.yaml"));
    ASSERT_TRUE(w.saveScenarioAs(saved));
    MainWindow again;
    again.setQuiet(true);
    ASSERT_TRUE(again.openPath(saved)) << again.lastError().toStdString();
    EXPECT_EQ(again.currentTrace()->size(), replayed.size());
}

TEST(ReplayWindow, AConnectionWithoutAHandshakeSaysWhyAndKeepsTheCapture) {
    const QString file = QStringLiteral(TCPVIZ_CORPUS_DIR "/zeek_tcp-retransmit-timeout.pcapng");
    if (!QFile::exists(file)) {
        TCPVIZ_SKIP("corpus not available: " << file.toStdString());
    }
    MainWindow w;
    w.setQuiet(true);
    ASSERT_TRUE(w.openPath(file));
    ASSERT_TRUE(w.captureController()->waitForAnalysis(30000));
    EXPECT_TRUE(w.openConnectionAsScenario(0)) << "started: the worker finds out";
    ASSERT_TRUE(waitForReplay(w));
    EXPECT_TRUE(w.lastError().contains(QStringLiteral("#0"))) << w.lastError().toStdString();
    EXPECT_TRUE(w.lastError().contains(QStringLiteral("no SYN"))) << w.lastError().toStdString();
    EXPECT_TRUE(w.lastError().contains(QStringLiteral("zeek_tcp-retransmit-timeout")));
    EXPECT_TRUE(w.captureController()->hasDocument()) << "the capture stays open";
    EXPECT_FALSE(w.isReplay());
    EXPECT_FALSE(w.openConnectionAsScenario(99)) << "no such connection";
    EXPECT_FALSE(w.captureController()->replayingConnection().has_value());
}

// Every what-if of a lesson on a replayed connection: each makes a branch
// that differs from the capture.
TEST(ReplayWindow, EveryWhatIfOfALessonWorksOnAReplay) {
    if (!QFile::exists(kHttp)) {
        TCPVIZ_SKIP("corpus not available: " << kHttp.toStdString());
    }
    MainWindow w;
    w.setQuiet(true);
    openThroughContextMenu(w, kHttp, 0);
    ASSERT_TRUE(w.isReplay());
    const Trace original = w.whatIf()->original();
    // Established, before the client's request: every action changes what follows.
    const std::size_t at = beforeFirstData(original, Side::Client);
    ASSERT_GT(at, 0U);
    std::vector<gui::Intervention> all;
    for (const Side side : {Side::Client, Side::Server}) {
        for (const UserCall call :
             {UserCall::Close, UserCall::Shutdown, UserCall::Abort, UserCall::Send}) {
            gui::Intervention iv;
            iv.kind = gui::Intervention::Kind::Call;
            iv.side = side;
            iv.call = call;
            iv.bytes = 500;
            all.push_back(iv);
        }
        for (const FaultKind fault : {FaultKind::Drop, FaultKind::Delay, FaultKind::Duplicate}) {
            gui::Intervention iv;
            iv.kind = gui::Intervention::Kind::Fault;
            iv.side = side;
            iv.fault = fault;
            all.push_back(iv);
        }
    }
    for (gui::Intervention iv : all) {
        SCOPED_TRACE(gui::describe(iv).toStdString());
        w.player()->seek(at);
        iv.position = at;
        QString error;
        ASSERT_TRUE(w.whatIf()->intervene(iv, error)) << error.toStdString();
        ASSERT_TRUE(w.whatIf()->inBranch());
        EXPECT_EQ(w.currentTrace(), &w.whatIf()->current());
        EXPECT_FALSE(diffTraces(original, w.whatIf()->current()).same());
        w.whatIf()->backToScenario();
        ASSERT_FALSE(w.whatIf()->inBranch());
    }
}

TEST(ReplayWindow, CompareModeShowsWhatDroppingASegmentChanged) {
    if (!QFile::exists(kHttp)) {
        TCPVIZ_SKIP("corpus not available: " << kHttp.toStdString());
    }
    for (const char* language : {"en", "zh_CN"}) {
        SCOPED_TRACE(language);
        MainWindow w;
        w.setQuiet(true);
        w.setLanguage(QString::fromLatin1(language));
        openThroughContextMenu(w, kHttp, 0);
        ASSERT_TRUE(w.isReplay());
        QAction* compare = actionNamed(w, w.tr("&Compare with the original"));
        ASSERT_NE(compare, nullptr);
        EXPECT_FALSE(compare->isEnabled()) << "nothing to compare before a what-if";
        w.setCompareMode(true);
        EXPECT_FALSE(w.compareMode());

        // What if the server's first data segment (the HTTP response) were lost?
        const Trace original = w.whatIf()->original();
        const std::size_t at = beforeFirstData(original, Side::Server);
        ASSERT_GT(at, 0U);
        w.player()->seek(at);
        QAction* drop = actionNamed(w, w.tr("Drop the %1's next segment").arg(w.tr("server")));
        ASSERT_NE(drop, nullptr);
        ASSERT_TRUE(drop->isEnabled());
        drop->trigger();
        ASSERT_TRUE(w.whatIf()->inBranch()) << w.lastError().toStdString();
        const Trace& branch = w.whatIf()->current();
        const TraceDiff d = diffTraces(original, branch);
        EXPECT_EQ(d.segmentsWithOtherFate(), 1U) << "the dropped copy";
        const auto lost = std::find_if(d.segments.begin(), d.segments.end(),
                                       [](const MatchedSegment& m) { return m.lostInB; });
        ASSERT_NE(lost, d.segments.end());
        EXPECT_EQ(branch.event(lost->b).segment.len, 441U) << "the HTTP response is the one lost";
        ASSERT_FALSE(d.segmentsOnlyInB.empty()) << "its retransmission";
        EXPECT_TRUE(
            std::any_of(d.segmentsOnlyInB.begin(), d.segmentsOnlyInB.end(),
                        [&branch](std::size_t i) { return branch.event(i).retransmission; }));

        ASSERT_TRUE(compare->isEnabled());
        compare->trigger();
        ASSERT_TRUE(w.compareMode());
        w.resize(1280, 720);
        w.show();
        ASSERT_TRUE(QTest::qWaitForWindowExposed(&w));
        QApplication::processEvents();
        EXPECT_TRUE(w.compareView()->isVisible());
        EXPECT_FALSE(w.diagramView()->isVisible());
        // The legend counts what the model's diff counts.
        const QStringList legend = w.compareView()->legendLines();
        ASSERT_EQ(legend.size(), 3);
        if (QLatin1String(language) == QLatin1String("en")) {
            EXPECT_EQ(legend[0], QStringLiteral("Only in the capture — segments: %1, states: %2")
                                     .arg(d.segmentsOnlyInA.size())
                                     .arg(d.statesOnlyInA.size()));
            EXPECT_EQ(legend[1], QStringLiteral("Only in the what-if — segments: %1, states: %2")
                                     .arg(d.segmentsOnlyInB.size())
                                     .arg(d.statesOnlyInB.size()));
            EXPECT_EQ(legend[2], QStringLiteral("Changed — lost on one side only: 1, states at "
                                                "another time: %1")
                                     .arg(d.shiftedStates()));
        } else {
            EXPECT_TRUE(legend[1].contains(QString::fromUtf8("仅在假如分支中")))
                << legend[1].toStdString();
        }
        // What was drawn highlighted is what differs.
        (void)w.compareView()->grab();
        std::vector<std::size_t> right = w.compareView()->highlightedRight();
        std::sort(right.begin(), right.end());
        for (const std::size_t i : d.segmentsOnlyInB) {
            EXPECT_TRUE(std::binary_search(right.begin(), right.end(), i)) << i;
        }
        // One time axis: a segment sent at the same time in both is drawn at
        // the same height in both halves.
        const auto startY = [](const SequenceDiagramRenderer& r, std::size_t send) {
            for (const DrawnArrow& a : r.lastArrows()) {
                if (a.sendIndex == send) {
                    return a.line.p1().y();
                }
            }
            return -1.0;
        };
        std::size_t level = 0;
        for (const MatchedSegment& m : d.segments) {
            if (m.shiftUs == 0) {
                const double ya = startY(w.compareView()->leftRenderer(), m.a);
                EXPECT_GE(ya, 0.0);
                EXPECT_NEAR(ya, startY(w.compareView()->rightRenderer(), m.b), 0.5) << m.a;
                ++level;
            }
        }
        EXPECT_GE(level, 3U) << "the handshake at least";
        // and any time at one height, after the branch parts too.
        std::size_t apart = 0;
        for (const Trace* t : {&original, &branch}) {
            for (const TraceEvent& e : t->events()) {
                const double ya = w.compareView()->leftRenderer().yOfTime(e.timeUs);
                const double yb = w.compareView()->rightRenderer().yOfTime(e.timeUs);
                apart += std::abs(ya - yb) > 0.5 ? 1 : 0;
            }
        }
        EXPECT_EQ(apart, 0U);
        if (const QString dir = qEnvironmentVariable("TCPVIZ_SCREENSHOT_DIR"); !dir.isEmpty()) {
            for (const QSize size : {QSize(1280, 720), QSize(1920, 1080)}) {
                w.resize(size);
                QApplication::processEvents();
                w.grab().save(dir + QStringLiteral("/compare_%1_%2x%3.png")
                                        .arg(QLatin1String(language))
                                        .arg(size.width())
                                        .arg(size.height()));
            }
        }
        // Zoomed in (View > Zoom in), the exchange spreads over the height.
        const auto gapOfFirstTwo = [&w] {
            const auto& arrows = w.compareView()->rightRenderer().lastArrows();
            return arrows.size() < 2 ? 0.0 : arrows[1].line.p1().y() - arrows[0].line.p1().y();
        };
        const double fitted = gapOfFirstTwo();
        QAction* zoomIn = actionNamed(w, w.tr("Zoom &in"));
        ASSERT_NE(zoomIn, nullptr);
        for (int i = 0; i < 4; ++i) {
            zoomIn->trigger();
        }
        EXPECT_NEAR(w.compareView()->zoom(), 1.25 * 1.25 * 1.25 * 1.25, 1e-9);
        (void)w.compareView()->grab();
        EXPECT_GT(fitted, 0.0);
        EXPECT_NEAR(gapOfFirstTwo(), fitted * w.compareView()->zoom(), 1.0);
        if (const QString dir = qEnvironmentVariable("TCPVIZ_SCREENSHOT_DIR"); !dir.isEmpty()) {
            w.grab().save(dir +
                          QStringLiteral("/compare_zoomed_%1.png").arg(QLatin1String(language)));
        }
        w.compareView()->setZoom(1.0);
        // Leaving the branch leaves compare mode: the ladder is back.
        w.whatIf()->backToScenario();
        EXPECT_FALSE(w.compareMode());
        EXPECT_TRUE(w.diagramView()->isVisible());
        EXPECT_FALSE(w.compareView()->isVisible());
    }
}

// The replay's text in the window: edited, saved and played again; a wrong
// edit is reported with its line, and the lesson on screen stays.
TEST(ReplayWindow, TheScenarioTextIsEditableInTheWindow) {
    if (!QFile::exists(kHttp)) {
        TCPVIZ_SKIP("corpus not available: " << kHttp.toStdString());
    }
    MainWindow w;
    w.setQuiet(true);
    openThroughContextMenu(w, kHttp, 0);
    ASSERT_TRUE(w.isReplay());
    QDialog* dialog = w.showScenarioText();
    ASSERT_NE(dialog, nullptr);
    auto* editor = dialog->findChild<QPlainTextEdit*>(QStringLiteral("scenarioTextEditor"));
    auto* reload = dialog->findChild<QPushButton*>(QStringLiteral("saveAndReload"));
    ASSERT_NE(editor, nullptr);
    ASSERT_NE(reload, nullptr);
    if (const QString dir = qEnvironmentVariable("TCPVIZ_SCREENSHOT_DIR"); !dir.isEmpty()) {
        dialog->grab().save(dir + QStringLiteral("/scenario_text.png"));
    }
    QString text = editor->toPlainText();
    ASSERT_TRUE(text.contains(QStringLiteral("client: send, bytes: 377")));
    text.replace(QStringLiteral("client: send, bytes: 377"),
                 QStringLiteral("client: send, bytes: 300"));
    editor->setPlainText(text);
    reload->click();
    ASSERT_NE(w.currentTrace(), nullptr);
    const auto& events = w.currentTrace()->events();
    const auto request = std::find_if(events.begin(), events.end(), [](const TraceEvent& e) {
        return e.kind == EventKind::Send && e.endpoint == Side::Client && e.segment.len > 0;
    });
    ASSERT_NE(request, events.end());
    EXPECT_EQ(request->segment.len, 300U) << "the edit is played";
    EXPECT_TRUE(w.isReplay());

    // A wrong line: the error names the file and that line; the lesson stays.
    const Trace before = *w.currentTrace();
    const int line =
        static_cast<int>(
            text.left(text.indexOf(QStringLiteral("bytes: 300"))).count(QLatin1Char('\n'))) +
        1;
    text.replace(QStringLiteral("client: send, bytes: 300"),
                 QStringLiteral("client: fly, bytes: 300"));
    editor->setPlainText(text);
    reload->click();
    EXPECT_TRUE(w.lastError().contains(QStringLiteral(".yaml:%1:").arg(line)))
        << w.lastError().toStdString() << " line " << line;
    ASSERT_NE(w.currentTrace(), nullptr);
    EXPECT_EQ(w.currentTrace()->size(), before.size());
    dialog->close();
}

// Compare mode is not only for captures: a lesson's branch is compared with
// the lesson as written.
TEST(ReplayWindow, CompareModeWorksForALessonsBranchToo) {
    MainWindow w;
    w.setQuiet(true);
    w.setLanguage(QStringLiteral("en"));
    ASSERT_TRUE(w.openPath(QStringLiteral("lecture")));
    EXPECT_FALSE(w.isReplay());
    const Trace original = w.whatIf()->original();
    const std::size_t at = beforeFirstData(original, Side::Client);
    ASSERT_GT(at, 0U);
    w.player()->seek(at);
    gui::Intervention iv;
    iv.kind = gui::Intervention::Kind::Call;
    iv.side = Side::Client;
    iv.call = UserCall::Abort;
    iv.position = at;
    QString error;
    ASSERT_TRUE(w.whatIf()->intervene(iv, error)) << error.toStdString();
    w.setCompareMode(true);
    ASSERT_TRUE(w.compareMode());
    const TraceDiff d = diffTraces(original, w.whatIf()->current());
    EXPECT_FALSE(d.segmentsOnlyInB.empty()) << "the RST";
    EXPECT_EQ(w.compareView()->legendLines().front(),
              QStringLiteral("Only in the scenario — segments: %1, states: %2")
                  .arg(d.segmentsOnlyInA.size())
                  .arg(d.statesOnlyInA.size()));
    // Another document leaves compare mode.
    ASSERT_TRUE(w.openPath(QStringLiteral("three-way-handshake")));
    EXPECT_FALSE(w.compareMode());
    EXPECT_FALSE(w.compareView()->hasTraces());
}
