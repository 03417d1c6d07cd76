// The real window on the offscreen platform: what a user sees after opening
// things, switching language, presenting, branching and opening captures.
#include "capture/capture_reader.h"
#include "capture/trace_pcap.h"
#include "capture_controller.h"
#include "capture_panel.h"
#include "connection_table_model.h"
#include "host_sockets_panel.h"
#include "main_window.h"
#include "narration_view.h"
#include "scenario/library.h"
#include "sequence_diagram_view.h"
#include "sim/simulator.h"
#include "test_skip.h"

#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QDialog>
#include <QDockWidget>
#include <QFile>
#include <QFileInfo>
#include <QLabel>
#include <QLineEdit>
#include <QMenuBar>
#include <QMimeData>
#include <QStatusBar>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QToolButton>
#include <QTreeWidget>
#include <QUrl>
#include <arpa/inet.h>
#include <functional>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace tcpviz;
using tcpviz::gui::MainWindow;

namespace {

/// The text of a built-in scenario file, to write as a user's own file.
QByteArray findBuiltinScenarioFile() {
    for (const auto& f : builtinScenarioFiles()) {
        if (f.fileName == "three-way-handshake.yaml") {
            return QByteArray(f.text.data(), static_cast<qsizetype>(f.text.size()));
        }
    }
    return {};
}

QStringList menuTitles(MainWindow& w) {
    QStringList titles;
    for (QAction* a : w.menuBar()->actions()) {
        titles << a->text();
    }
    return titles;
}

} // namespace

TEST(MainWindow, OpensTheLectureReadyToPlay) {
    MainWindow w;
    w.setQuiet(true);
    ASSERT_TRUE(w.openPath(QStringLiteral("lecture")));
    w.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&w));
    ASSERT_NE(w.currentTrace(), nullptr);
    EXPECT_EQ(w.player()->position(), 0U);
    EXPECT_FALSE(w.player()->isPlaying());
    EXPECT_EQ(w.diagramView()->trace(), w.currentTrace());
    EXPECT_TRUE(w.windowTitle().contains(QStringLiteral("tcpviz")));
    // The lesson's title stands once, above the diagram: the narration below does
    // not repeat it (at 1280x720 its heading took the room of the step's text).
    const auto* title = w.findChild<QLabel*>(QStringLiteral("documentTitle"));
    ASSERT_NE(title, nullptr);
    const QString lesson =
        QString::fromStdString(w.currentTrace()->meta.title.in(w.settings().view.language));
    EXPECT_EQ(title->text(), lesson);
    EXPECT_FALSE(w.narrationView()->currentHtml().contains(lesson.toHtmlEscaped()))
        << w.narrationView()->currentHtml().toStdString();
    // Keyboard: Right steps, End jumps, Home returns, Space plays.
    QTest::keyClick(&w, Qt::Key_Right);
    EXPECT_EQ(w.player()->position(), 1U);
    QTest::keyClick(&w, Qt::Key_End);
    EXPECT_EQ(w.player()->position(), w.currentTrace()->size());
    QTest::keyClick(&w, Qt::Key_Home);
    EXPECT_EQ(w.player()->position(), 0U);
    QTest::keyClick(&w, Qt::Key_Plus);
    EXPECT_GT(w.player()->speed(), 1.0);
    QTest::keyClick(&w, Qt::Key_Space);
    EXPECT_TRUE(w.player()->isPlaying());
    QTest::keyClick(&w, Qt::Key_Space);
    EXPECT_FALSE(w.player()->isPlaying());
}

TEST(MainWindow, AScenarioWarningShowsInTheStatusBarAndTheLessonOpens) {
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("linux-msl.yaml"));
    QFile f(path);
    ASSERT_TRUE(f.open(QIODevice::WriteOnly));
    f.write("profile: linux\ntimers: {msl: 5s}\nsteps:\n  - {at: 0ms, server: listen}\n");
    f.close();
    MainWindow w;
    w.setQuiet(true);
    ASSERT_TRUE(w.openPath(path)) << w.lastError().toStdString();
    EXPECT_NE(w.currentTrace(), nullptr);
    const QString shown = w.statusBar()->currentMessage();
    EXPECT_TRUE(shown.contains(QStringLiteral("linux-msl.yaml:2:10: warning: `msl`")))
        << shown.toStdString();
}

TEST(MainWindow, ABadScenarioFileReportsFileLineAndColumn) {
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("bad.yaml"));
    QFile f(path);
    ASSERT_TRUE(f.open(QIODevice::WriteOnly));
    f.write("title: broken\nsteps:\n  - {at: 10 parsecs, client: connect}\n");
    f.close();
    MainWindow w;
    w.setQuiet(true);
    ASSERT_TRUE(w.openPath(QStringLiteral("lecture")));
    const Trace* before = w.currentTrace();
    EXPECT_FALSE(w.openPath(path));
    EXPECT_TRUE(w.lastError().contains(QStringLiteral("bad.yaml:3:")))
        << w.lastError().toStdString();
    EXPECT_EQ(w.currentTrace(), before) << "a failed open keeps what was shown";
}

TEST(MainWindow, SwitchesLanguageLiveAndBack) {
    MainWindow w;
    w.setQuiet(true);
    w.setLanguage(QStringLiteral("en"));
    EXPECT_TRUE(menuTitles(w).contains(QStringLiteral("&File")));
    w.setLanguage(QStringLiteral("zh_CN"));
    EXPECT_TRUE(menuTitles(w).contains(QStringLiteral("文件(&F)")))
        << menuTitles(w).join(QLatin1Char(' ')).toStdString();
    EXPECT_EQ(w.settings().view.language, Language::Zh);
    // The packet-details pane's column headers follow too.
    const auto* details = qobject_cast<QTreeWidget*>(w.detailsView());
    ASSERT_NE(details, nullptr);
    EXPECT_EQ(details->headerItem()->text(0), QStringLiteral("字段"));
    w.setLanguage(QStringLiteral("en"));
    EXPECT_TRUE(menuTitles(w).contains(QStringLiteral("&File")));
    EXPECT_EQ(details->headerItem()->text(0), QStringLiteral("Field"));
}

TEST(MainWindow, PresentationModeHidesControlsUntilTheMouseMoves) {
    MainWindow w;
    w.setQuiet(true);
    ASSERT_TRUE(w.openPath(QStringLiteral("lecture")));
    w.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&w));
    const double normalFont = w.font().pointSizeF();
    w.setPresentationMode(true);
    EXPECT_TRUE(w.presentationMode());
    EXPECT_GT(w.font().pointSizeF(), normalFont);
    EXPECT_FALSE(w.menuBar()->isVisible());
    EXPECT_EQ(w.diagramView()->settings().presentation, true);
    QMouseEvent move(QEvent::MouseMove, QPointF(10, 10), QPointF(10, 10), Qt::NoButton,
                     Qt::NoButton, Qt::NoModifier);
    QApplication::sendEvent(w.diagramView()->viewport(), &move);
    EXPECT_TRUE(w.menuBar()->isVisible());
    w.setPresentationMode(false);
    EXPECT_TRUE(w.menuBar()->isVisible());
    EXPECT_FALSE(w.diagramView()->settings().presentation);
}

TEST(MainWindow, WhatIfBranchIsShownAndUndone) {
    MainWindow w;
    w.setQuiet(true);
    ASSERT_TRUE(w.openPath(QStringLiteral("lecture")));
    const Trace original = *w.currentTrace();
    // Pause after the handshake and let the server abort.
    std::size_t at = 0;
    while (at < original.size() && original.stateAt(Side::Server, at) != State::Established) {
        ++at;
    }
    w.player()->seek(at);
    gui::Intervention iv;
    iv.kind = gui::Intervention::Kind::Call;
    iv.side = Side::Server;
    iv.call = UserCall::Abort;
    iv.position = at;
    QString error;
    ASSERT_TRUE(w.whatIf()->intervene(iv, error));
    EXPECT_TRUE(w.whatIf()->inBranch());
    EXPECT_NE(w.currentTrace()->size(), 0U);
    EXPECT_EQ(w.player()->position(), at) << "the branch starts where the user acted";
    EXPECT_EQ(w.currentTrace()->stateAt(Side::Server, w.currentTrace()->size()), State::Closed);
    w.whatIf()->undoStack()->undo();
    EXPECT_FALSE(w.whatIf()->inBranch());
    EXPECT_EQ(w.currentTrace()->size(), original.size());
}

TEST(MainWindow, OpensACaptureListsItsConnectionAndStepsThroughIt) {
    // A capture written from the simulated lecture: one connection.
    const auto lecture = findBuiltinScenario(kDefaultScenarioId);
    ASSERT_TRUE(lecture.has_value());
    const Trace simulated = simulate(*lecture);
    QTemporaryDir dir;
    const QString pcap = dir.filePath(QStringLiteral("lecture.pcap"));
    const Status written = writeTracePcap(simulated, pcap.toStdString());
    ASSERT_TRUE(written) << written.error().toString();

    MainWindow w;
    w.setQuiet(true);
    ASSERT_TRUE(w.openPath(pcap));
    ASSERT_TRUE(w.captureController()->waitForAnalysis(30000)) << w.lastError().toStdString();
    EXPECT_EQ(w.captureController()->connectionCount(), 1U);
    EXPECT_EQ(w.captureController()->tableModel()->rowCount(), 1);
    // A single connection is selected straight away and steppable.
    ASSERT_NE(w.currentTrace(), nullptr);
    EXPECT_TRUE(w.currentTrace()->meta.fromCapture);
    EXPECT_FALSE(w.whatIf()->available()) << "what-if is for simulations";
    w.player()->toEnd();
    EXPECT_EQ(w.currentTrace()->stateAt(Side::Client, w.player()->position()),
              simulated.stateAt(Side::Client, simulated.size()) == State::Closed
                  ? State::TimeWait // passive inference never sees the 2MSL expiry
                  : simulated.stateAt(Side::Client, simulated.size()));
}

TEST(MainWindow, CaptureOverviewCountsEndpointsPerState) {
    const QString file = QStringLiteral(TCPVIZ_CORPUS_DIR "/pcpp_three_http_streams.pcap");
    if (!QFile::exists(file)) {
        TCPVIZ_SKIP("corpus not available: " << file.toStdString());
    }
    MainWindow w;
    w.setQuiet(true);
    ASSERT_TRUE(w.openPath(file));
    ASSERT_TRUE(w.captureController()->waitForAnalysis(30000)) << w.lastError().toStdString();
    const auto n = w.captureController()->connectionCount();
    ASSERT_GT(n, 1U);
    EXPECT_EQ(w.currentTrace(), nullptr) << "several connections: the overview, not one of them";
    auto* c = w.captureController();
    const auto atEnd = c->stateCountsAt(c->endTimeUs());
    std::size_t total = 0;
    for (const auto x : atEnd) {
        total += x;
    }
    EXPECT_EQ(total, 2 * n) << "both endpoints of every connection are counted";
    const auto atStart = c->stateCountsAt(0);
    std::size_t started = 0;
    for (const auto x : atStart) {
        started += x;
    }
    EXPECT_LT(started, total) << "connections appear over time";
    // Selecting a row shows that connection.
    c->selectConnection(1);
    ASSERT_NE(w.currentTrace(), nullptr);
    c->selectConnection(std::nullopt);
    EXPECT_EQ(w.currentTrace(), nullptr);
}

TEST(MainWindow, DroppedFilesOpenAndAreRememberedAsRecent) {
    const QByteArray lecture = findBuiltinScenarioFile();
    ASSERT_FALSE(lecture.isEmpty());
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("dropped.yaml"));
    QFile f(path);
    ASSERT_TRUE(f.open(QIODevice::WriteOnly));
    f.write(lecture);
    f.close();
    MainWindow w;
    w.setQuiet(true);
    ASSERT_TRUE(w.openPath(QStringLiteral("lecture")));
    EXPECT_TRUE(w.acceptDrops());
    ASSERT_TRUE(w.openUrls({QUrl::fromLocalFile(path)}));
    EXPECT_TRUE(w.lastError().isEmpty()) << w.lastError().toStdString();
    ASSERT_TRUE(w.scenario().has_value());
    EXPECT_EQ(w.scenario()->id, "dropped") << "the dropped file is what is shown now";
    EXPECT_EQ(w.settings().recentFiles.value(0), QFileInfo(path).absoluteFilePath());
    EXPECT_TRUE(gui::AppSettings::load().recentFiles.contains(QFileInfo(path).absoluteFilePath()))
        << "recent files persist in QSettings";
}

// View > State names offers the RFC names, the ss names and both side by side;
// the choice reaches the views and persists.
TEST(MainWindow, StateNamesCanBeRfcLinuxOrBothAndPersist) {
    MainWindow w;
    w.setQuiet(true);
    w.setLanguage(QStringLiteral("en"));
    ASSERT_TRUE(w.openPath(QStringLiteral("three-way-handshake")));
    const auto action = [&](const QString& text) -> QAction* {
        for (QAction* a : w.findChildren<QAction*>()) {
            if (a->text() == text) {
                return a;
            }
        }
        return nullptr;
    };
    for (const auto& [text, style] :
         {std::pair{QStringLiteral("Both (SYN-RECEIVED (SYN-RECV))"), StateNameStyle::Both},
          std::pair{QStringLiteral("Linux ss (SYN-RECV)"), StateNameStyle::Linux},
          std::pair{QStringLiteral("RFC 9293 (SYN-RECEIVED)"), StateNameStyle::Rfc9293}}) {
        SCOPED_TRACE(text.toStdString());
        QAction* a = action(text);
        ASSERT_NE(a, nullptr);
        a->trigger();
        EXPECT_TRUE(a->isChecked());
        EXPECT_EQ(w.settings().view.stateNames, style);
        EXPECT_EQ(gui::AppSettings::load().view.stateNames, style);
    }
}

// Per-packet problems of a capture reach the window, by packet number, like
// Wireshark's expert info (they used to go to qWarning only).
TEST(MainWindow, CaptureProblemsAreListedWithTheirPacketNumbers) {
    MainWindow w;
    w.setQuiet(true);
    const QString file = QStringLiteral(TCPVIZ_TEST_DATA_DIR "/broken/bad_lengths.pcap");
    ASSERT_TRUE(w.openPath(file));
    ASSERT_TRUE(w.captureController()->waitForAnalysis(30000)) << w.lastError().toStdString();
    const CaptureInfo* info = w.captureController()->captureInfo();
    ASSERT_NE(info, nullptr);
    ASSERT_EQ(info->errors.size(), 4U) << "the file has four frames whose lengths do not add up";
    auto* panel = w.findChild<tcpviz::gui::CapturePanel*>();
    ASSERT_NE(panel, nullptr);
    EXPECT_TRUE(panel->problemsButton()->isVisibleTo(panel));
    EXPECT_TRUE(panel->problemsButton()->text().contains(QStringLiteral("4")))
        << panel->problemsButton()->text().toStdString();
    QTreeWidget* list = panel->problemsList();
    ASSERT_EQ(list->topLevelItemCount(), 4);
    for (int i = 0; i < 4; ++i) {
        const auto& e = info->errors.at(static_cast<std::size_t>(i));
        EXPECT_EQ(list->topLevelItem(i)->data(0, Qt::DisplayRole).toULongLong(), e.packet);
        EXPECT_EQ(list->topLevelItem(i)->text(1).toStdString(), e.message);
    }
    EXPECT_FALSE(list->isVisibleTo(panel)) << "listed behind the button, not in the way";
    panel->problemsButton()->click();
    EXPECT_TRUE(list->isVisibleTo(panel));

    // A clean capture shows no problems button.
    const QString clean = QStringLiteral(TCPVIZ_CORPUS_DIR "/pcpp_three_http_streams.pcap");
    ASSERT_TRUE(w.openPath(clean));
    ASSERT_TRUE(w.captureController()->waitForAnalysis(30000));
    EXPECT_FALSE(panel->problemsButton()->isVisibleTo(panel));
    EXPECT_EQ(list->topLevelItemCount(), 0);
}

TEST(MainWindow, UndoRedoAndBackStayAtTheStepOfTheWhatIf) {
    MainWindow w;
    w.setQuiet(true);
    ASSERT_TRUE(w.openPath(QStringLiteral("lecture")));
    const Trace original = *w.currentTrace();
    std::size_t at = 0;
    while (at < original.size() && original.stateAt(Side::Server, at) != State::Established) {
        ++at;
    }
    ASSERT_GT(at, 0U);
    w.player()->seek(at);
    gui::Intervention iv;
    iv.kind = gui::Intervention::Kind::Call;
    iv.side = Side::Client;
    iv.call = UserCall::Abort;
    iv.position = at;
    QString error;
    ASSERT_TRUE(w.whatIf()->intervene(iv, error)) << error.toStdString();
    EXPECT_EQ(w.player()->position(), at);
    w.whatIf()->undoStack()->undo();
    EXPECT_FALSE(w.whatIf()->inBranch());
    EXPECT_EQ(w.player()->position(), at) << "undo returns to the step of the what-if";
    w.whatIf()->undoStack()->redo();
    EXPECT_TRUE(w.whatIf()->inBranch());
    EXPECT_EQ(w.player()->position(), at) << "redo returns to the step of the what-if";
    // Wander off, then leave the branch: back at the what-if's step, not at 0.
    w.player()->toEnd();
    w.whatIf()->backToScenario();
    EXPECT_FALSE(w.whatIf()->inBranch());
    EXPECT_EQ(w.player()->position(), at) << "back to the scenario at the step of the what-if";
    w.whatIf()->undoStack()->undo();
    EXPECT_TRUE(w.whatIf()->inBranch());
    EXPECT_EQ(w.player()->position(), at);
}

// Capture > This machine's sockets: a listener and a half-closed connection the
// test makes are listed by the window, filtered by port, with this process as owner,
// and their counts can light the state graph.
TEST(MainWindow, HostSocketsDockListsThisMachinesSockets) {
    MainWindow w;
    w.setQuiet(true);
    const int listener = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ASSERT_EQ(::bind(listener, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
    ASSERT_EQ(::listen(listener, 4), 0);
    socklen_t len = sizeof a;
    ::getsockname(listener, reinterpret_cast<sockaddr*>(&a), &len);
    const int port = ntohs(a.sin_port);
    const int client = ::socket(AF_INET, SOCK_STREAM, 0);
    ASSERT_EQ(::connect(client, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
    const int server = ::accept(listener, nullptr, nullptr);
    ASSERT_EQ(::shutdown(client, SHUT_WR), 0);
    char b = 0;
    ASSERT_EQ(::recv(server, &b, 1, 0), 0);

    w.showHostSockets(true);
    auto* panel = w.hostSocketsPanel();
    ASSERT_NE(panel, nullptr);
    EXPECT_TRUE(w.hostSocketsDock()->isVisibleTo(&w));
    panel->portFilter()->setText(QString::number(port));
    // The client reaches FIN-WAIT-2 when the ACK of its FIN arrives, a moment
    // after the server read the FIN: poll briefly instead of racing it.
    for (int i = 0; i < 100; ++i) {
        panel->refresh();
        if (panel->filteredCounts().at(static_cast<std::size_t>(State::FinWait2)) == 1) {
            break;
        }
        QTest::qWait(20);
    }
    const auto counts = panel->filteredCounts();
    EXPECT_EQ(counts.at(static_cast<std::size_t>(State::Listen)), 1U);
    EXPECT_EQ(counts.at(static_cast<std::size_t>(State::CloseWait)), 1U);
    EXPECT_EQ(counts.at(static_cast<std::size_t>(State::FinWait2)), 1U);
    QTableWidget* table = panel->table();
    ASSERT_EQ(table->rowCount(), 3);
    int owned = 0;
    for (int r = 0; r < table->rowCount(); ++r) {
        EXPECT_TRUE(table->item(r, 1)->text().endsWith(QString::number(port)) ||
                    table->item(r, 2)->text().endsWith(QString::number(port)));
        owned += table->item(r, 4)->text().contains(QStringLiteral("/%1").arg(::getpid())) ? 1 : 0;
    }
    EXPECT_EQ(owned, 3) << "the test process holds all three sockets";
    ::close(server);
    ::close(client);
    ::close(listener);
}

namespace {

/// Runs `fill` on the modal dialog `trigger` opens, once it is shown.
void withModalDialog(const std::function<void()>& trigger,
                     const std::function<void(QDialog&)>& fill) {
    bool done = false;
    QTimer poll;
    poll.setInterval(10);
    QObject::connect(&poll, &QTimer::timeout, [&] {
        auto* dialog = qobject_cast<QDialog*>(QApplication::activeModalWidget());
        if (dialog != nullptr && !done) {
            done = true;
            poll.stop();
            fill(*dialog);
        }
    });
    poll.start();
    trigger();
    EXPECT_TRUE(done) << "no dialog was shown";
}

} // namespace

namespace {

QAction* startLiveCaptureAction(MainWindow& w) {
    for (QAction* a : w.findChildren<QAction*>()) {
        if (a->text() == QStringLiteral("&Start live capture…")) {
            return a;
        }
    }
    return nullptr;
}

/// The live capture dialog's four fields.
struct LiveFields {
    QLineEdit* interface = nullptr;
    QLineEdit* filter = nullptr;
    QCheckBox* icmp = nullptr;
    QCheckBox* sums = nullptr;
    [[nodiscard]] bool found() const { return interface && filter && icmp && sums; }
    /// "interface|filter|icmp|sums", e.g. "lo|tcp|1|0".
    [[nodiscard]] std::string shown() const {
        return (interface->text() + QLatin1Char('|') + filter->text()).toStdString() + '|' +
               (icmp->isChecked() ? "1" : "0") + '|' + (sums->isChecked() ? "1" : "0");
    }
};

LiveFields liveFields(QDialog& d) {
    return {d.findChild<QLineEdit*>(QStringLiteral("liveInterface")),
            d.findChild<QLineEdit*>(QStringLiteral("liveFilter")),
            d.findChild<QCheckBox*>(QStringLiteral("liveIcmpErrors")),
            d.findChild<QCheckBox*>(QStringLiteral("liveCheckChecksums"))};
}

/// What the live capture dialog of a new window shows first; it is cancelled.
std::string liveDialogOfANewWindow() {
    MainWindow w;
    w.setQuiet(true);
    w.setLanguage(QStringLiteral("en"));
    QAction* start = startLiveCaptureAction(w);
    std::string shown;
    if (start == nullptr) {
        ADD_FAILURE() << "no Start live capture action";
        return shown;
    }
    withModalDialog([&] { start->trigger(); },
                    [&](QDialog& d) {
                        const LiveFields f = liveFields(d);
                        if (f.found()) {
                            shown = f.shown();
                        }
                        d.reject();
                    });
    return shown;
}

} // namespace

// The live capture dialog opens with the previous capture's choices, in this
// session and the next (they are settings): the interface and filter are typed
// once, and kept even when that capture could not start.
TEST(MainWindow, LiveCaptureDialogRemembersItsChoices) {
    EXPECT_EQ(liveDialogOfANewWindow(), "lo|tcp|1|0") << "the first defaults";
    MainWindow w;
    w.setQuiet(true);
    w.setLanguage(QStringLiteral("en"));
    QAction* start = startLiveCaptureAction(w);
    ASSERT_NE(start, nullptr);
    withModalDialog([&] { start->trigger(); },
                    [](QDialog& d) {
                        const LiveFields f = liveFields(d);
                        ASSERT_TRUE(f.found());
                        f.interface->setText(QStringLiteral("tcpviz-none0")); // cannot start
                        f.filter->setText(QStringLiteral("tcp port 9"));
                        f.icmp->setChecked(false);
                        f.sums->setChecked(true);
                        d.accept();
                    });
    EXPECT_FALSE(w.captureController()->isLive());
    const gui::AppSettings stored = gui::AppSettings::load();
    EXPECT_EQ(stored.liveInterface, QStringLiteral("tcpviz-none0"));
    EXPECT_EQ(stored.liveFilter, QStringLiteral("tcp port 9"));
    EXPECT_FALSE(stored.liveIcmpErrors);
    EXPECT_TRUE(stored.liveCheckChecksums);
    // The next window (the next session) shows them; cancelling changes nothing.
    EXPECT_EQ(liveDialogOfANewWindow(), "tcpviz-none0|tcp port 9|0|1");
    EXPECT_EQ(liveDialogOfANewWindow(), "tcpviz-none0|tcp port 9|0|1");
}
