#include "main_window.h"

#include "capture/capture_document.h"
#include "capture/capture_reader.h"
#include "capture/state_counts_csv.h"
#include "capture/state_timeline.h"
#include "capture/trace_pcap.h"
#include "capture_controller.h"
#include "capture_panel.h"
#include "connection_table_model.h"
#include "event_text.h"
#include "export.h"
#include "help_dialogs.h"
#include "host_sockets_panel.h"
#include "i18n.h"
#include "narration/narrator.h"
#include "narration_view.h"
#include "player_icons.h"
#include "qt_text.h"
#include "quiz_panel.h"
#include "replay/simulation_document.h"
#include "replay/trace_diff.h"
#include "scenario/library.h"
#include "scenario_source.h"
#include "segment_details_view.h"
#include "sequence_diagram_view.h"
#include "sim/host_simulator.h"
#include "sim/simulator.h"
#include "state_counts_panel.h"
#include "state_graph_view.h"
#include "states_chart_view.h"
#include "timeline_slider.h"
#include "trace_compare_view.h"
#include "view_style.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QButtonGroup>
#include <QCloseEvent>
#include <QComboBox>
#include <QDialog>
#include <QDialogButtonBox>
#include <QDir>
#include <QDockWidget>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QFontDatabase>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QPainter>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QScreen>
#include <QSplitter>
#include <QStackedWidget>
#include <QStatusBar>
#include <QStyle>
#include <QSvgGenerator>
#include <QTabBar>
#include <QTableView>
#include <QTimer>
#include <QToolBar>
#include <QToolButton>
#include <QTreeWidget>
#include <QVBoxLayout>
#include <fstream>

namespace tcpviz::gui {

namespace {

QString speedText(double speed) {
    return QStringLiteral("%1×").arg(speed);
}

QString topicTitle(std::string_view topic) {
    if (topic == "handshake") {
        return MainWindow::tr("Opening a connection");
    }
    if (topic == "transfer") {
        return MainWindow::tr("Data transfer");
    }
    if (topic == "close") {
        return MainWindow::tr("Closing a connection");
    }
    if (topic == "reset") {
        return MainWindow::tr("Resets and aborts");
    }
    if (topic == "timers") {
        return MainWindow::tr("Timers and retransmission");
    }
    if (topic == "attack") {
        return MainWindow::tr("Attacks and defences");
    }
    return qs(topic);
}

} // namespace

void MainWindow::updatePlayerIcons() {
    const QColor c = palette().color(QPalette::WindowText);
    if (!m_playerIcons || m_playerIcons->color != c) {
        m_playerIcons =
            PlayerIcons{c, mediaIcon(MediaIcon::Play, c), mediaIcon(MediaIcon::Pause, c)};
        m_act.stepBack->setIcon(mediaIcon(MediaIcon::StepBack, c));
        m_act.stepForward->setIcon(mediaIcon(MediaIcon::StepForward, c));
        m_act.toStart->setIcon(mediaIcon(MediaIcon::ToStart, c));
        m_act.toEnd->setIcon(mediaIcon(MediaIcon::ToEnd, c));
    }
    // The same QIcon again, not an equal new one: Qt's scaled pixmaps stay cached.
    const QIcon& play = m_player.isPlaying() ? m_playerIcons->pause : m_playerIcons->play;
    if (m_act.play->icon().cacheKey() != play.cacheKey()) {
        m_act.play->setIcon(play);
    }
}

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent)
    , m_settings(AppSettings::load()) {
    setObjectName(QStringLiteral("MainWindow"));
    setWindowIcon(QIcon(QStringLiteral(":/icons/tcpviz.svg")));
    setAcceptDrops(true);
    m_player.setSpeed(m_settings.speed);

    m_capture = new CaptureController(this);

    createActions();
    createCentral();
    createToolBar();
    createMenus();
    createDocks();
    statusBar()->addPermanentWidget(m_scoreLabel = new QLabel(this));
    m_scoreLabel->hide();
    statusBar()->addWidget(m_captureLabel = new QLabel(this), 1);
    m_captureLabel->setObjectName(QStringLiteral("captureStatus"));
    m_captureLabel->hide();

    connect(&m_player, &Player::frame, this, &MainWindow::onFrame);
    connect(&m_player, &Player::positionChanged, this, &MainWindow::onPositionChanged);
    connect(&m_player, &Player::playingChanged, this, [this](bool) { updateActions(); });
    connect(&m_player, &Player::speedChanged, this, [this](double speed) {
        m_settings.speed = speed;
        const auto& all = Player::speeds();
        const auto it = std::find(all.begin(), all.end(), speed);
        if (it != all.end()) {
            m_speedBox->setCurrentIndex(static_cast<int>(it - all.begin()));
        }
    });
    connect(&m_player, &Player::barrierReached, this, &MainWindow::onBarrier);
    connect(&m_whatIf, &WhatIfController::traceChanged, this, [this](std::size_t position) {
        // A crowd lesson's branch is a crowd of its own: the table, the chart, the
        // heat map and the counts are the branch's (the scenario's once back).
        if (m_whatIf.crowd() && m_scenario && m_capture->isSimulation()) {
            // The Trace shown may be the branch just replaced: let go of it before
            // the new document's signals reach the views.
            showTrace(nullptr, 0);
            m_capture->openDocument(simulationDocument(*m_whatIf.crowd(), *m_scenario),
                                    m_titleLabel->text());
        }
        showTrace(&m_whatIf.current(), position);
        updateBranchBanner();
    });
    connect(m_capture, &CaptureController::connectionSelected, this,
            &MainWindow::onCaptureConnectionSelected);
    connect(m_capture, &CaptureController::overviewTimeChanged, this,
            &MainWindow::onCaptureOverviewTime);
    connect(m_capture, &CaptureController::failed, this,
            [this](const QString& message) { showError(tr("Capture"), message); });
    connect(m_capture, &CaptureController::connectionReplayed, this,
            &MainWindow::openConnectionReplay);
    // A replay is made on the controller's worker: meanwhile the status bar says
    // so and the action waits (one at a time).
    connect(m_capture, &CaptureController::replayingChanged, this, [this] {
        if (const auto c = m_capture->replayingConnection()) {
            statusBar()->showMessage(
                tr("Making connection #%1 a scenario: reading its packets and simulating them…")
                    .arg(*c));
        } else {
            statusBar()->clearMessage();
        }
        updateActions();
    });
    connect(
        m_capture, &CaptureController::connectionReplayFailed, this,
        [this](std::size_t connection, const QString& error) {
            showError(
                tr("Open as scenario"),
                tr("Connection #%1 cannot be opened as a scenario: %2").arg(connection).arg(error));
        });
    connect(m_capture, &CaptureController::stateCountsChanged, this, [this] {
        if (m_capture->hasOverview() && (m_trace == nullptr || m_capture->isSimulation())) {
            m_graph->setStateCounts(m_capture->stateCounts());
        }
        updateCountsPanel();
    });
    connect(m_capture, &CaptureController::liveChanged, this, [this] { updateActions(); });
    // The states chart, the heat map and the table move together: the chart's
    // cursor is the heat map's time, a band or a state of the graph filters the
    // table, and the table's filter is what both count.
    connect(m_capture, &CaptureController::countsTimelineChanged, this,
            &MainWindow::updateStatesChart);
    connect(m_capture, &CaptureController::analysisFinished, this, [this] {
        fitCaptureDock();
        updateStatesChart();
        updateCaptureNarration();
        updateActions();
    });
    connect(m_chart, &StatesChartView::cursorMoved, this, [this](std::int64_t timeNs) {
        m_capture->setOverviewTime((timeNs - m_capture->originNs()) / 1000);
    });
    // Under a simulated connection's ladder, a click on the chart moves the
    // playhead: to the last event of the connection at or before that time.
    connect(m_crowdChart, &StatesChartView::bandClicked, this,
            [this](std::optional<Side>, State state, std::int64_t) {
                m_capturePanel->filterByState(state, static_cast<int>(StateFilterMode::AtTime));
            });
    connect(m_crowdChart, &StatesChartView::cursorMoved, this, [this](std::int64_t timeNs) {
        if (m_trace == nullptr) {
            return;
        }
        const auto& events = m_trace->events();
        const auto after =
            std::upper_bound(events.begin(), events.end(), timeNs / 1000,
                             [](std::int64_t t, const TraceEvent& e) { return t < e.timeUs; });
        m_player.seek(static_cast<std::size_t>(after - events.begin()));
        m_capture->setOverviewTime(timeNs / 1000);
    });
    connect(m_chart, &StatesChartView::bandClicked, this,
            [this](std::optional<Side>, State state, std::int64_t) {
                m_capturePanel->filterByState(state, static_cast<int>(StateFilterMode::AtTime));
            });
    connect(m_graph, &StateGraphView::stateClicked, this, [this](State state) {
        // Only the capture's heat map counts connections; a lesson's graph has no table.
        if (m_capture->hasDocument() && m_trace == nullptr && m_graph->heatMap()) {
            m_capturePanel->filterByState(state, static_cast<int>(StateFilterMode::AtTime));
        }
    });
    connect(m_capture->filterModel(), &ConnectionFilterModel::filtersChanged, this,
            [this] { m_chart->setHighlight(m_capture->filterModel()->stateFilter()); });
    connect(m_capture, &CaptureController::selectedConnectionEvicted, this,
            [this](std::size_t) { updateCaptureStatus(); });
    // A large capture's connection is read on the controller's worker: the status
    // bar says so until its ladder arrives (connectionSelected).
    connect(m_capture, &CaptureController::connectionReading, this,
            [this](std::size_t) { updateCaptureStatus(); });
    connect(m_capture, &CaptureController::connectionUpdated, this, [this](std::size_t id) {
        // Live: the selected connection grew. Follow its end unless the user
        // is looking at an earlier step.
        const bool atEnd = m_player.atEnd();
        const std::size_t position = m_player.position();
        // Live packets are kept in memory: rebuilt from them, no file is read.
        const Trace* trace = m_capture->connectionTrace(id);
        showTrace(trace, trace == nullptr ? 0 : (atEnd ? trace->size() : position));
    });

    m_hideControlsTimer = new QTimer(this);
    m_hideControlsTimer->setSingleShot(true);
    m_hideControlsTimer->setInterval(2500);
    connect(m_hideControlsTimer, &QTimer::timeout, this, [this] {
        if (presentationMode()) {
            m_toolBar->hide();
            menuBar()->hide();
        }
    });

    applyPalette();
    applyViewSettings();
    retranslateUi();
    updateActions();
    resize(1280, 720);
}

MainWindow::~MainWindow() {
    // The docks are hidden while QWidget's destructor deletes them, after this
    // object has stopped being a MainWindow: their visibility handlers must not run.
    for (QDockWidget* dock : {m_quizDock, m_hostDock, m_libraryDock, m_captureDock}) {
        if (dock != nullptr) {
            disconnect(dock, nullptr, this, nullptr);
        }
    }
    // The views hold a pointer into the trace owned by the controllers; drop it first.
    showTrace(nullptr, 0);
}

// --- construction -----------------------------------------------------------

void MainWindow::createActions() {
    const auto make = [this](const QKeySequence& key = {}) {
        auto* a = new QAction(this);
        if (!key.isEmpty()) {
            a->setShortcut(key);
            // The diagram, the slider and the table must not swallow Space or the arrows.
            a->setShortcutContext(Qt::WindowShortcut);
        }
        addAction(a);
        return a;
    };
    auto& a = m_act;
    a.open = make(QKeySequence::Open);
    a.open->setIcon(style()->standardIcon(QStyle::SP_DialogOpenButton));
    connect(a.open, &QAction::triggered, this, &MainWindow::onOpen);
    a.savePcap = make(QKeySequence::SaveAs);
    connect(a.savePcap, &QAction::triggered, this, &MainWindow::onSavePcap);
    a.exportWhole = make(QKeySequence(Qt::CTRL | Qt::Key_E));
    connect(a.exportWhole, &QAction::triggered, this, [this] { onExportDiagram(true); });
    a.exportStep = make(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_E));
    connect(a.exportStep, &QAction::triggered, this, [this] { onExportDiagram(false); });
    a.exportMermaid = make();
    connect(a.exportMermaid, &QAction::triggered, this, [this] { onExportText(true); });
    a.exportPlantUml = make();
    connect(a.exportPlantUml, &QAction::triggered, this, [this] { onExportText(false); });
    a.exportChart = make();
    connect(a.exportChart, &QAction::triggered, this, &MainWindow::onExportStatesChart);
    a.quit = make(QKeySequence::Quit);
    connect(a.quit, &QAction::triggered, this, &QWidget::close);

    a.undo = m_whatIf.undoStack()->createUndoAction(this);
    a.undo->setShortcut(QKeySequence::Undo);
    a.redo = m_whatIf.undoStack()->createRedoAction(this);
    a.redo->setShortcut(QKeySequence::Redo);
    addAction(a.undo);
    addAction(a.redo);

    a.relative = make();
    a.relative->setCheckable(true);
    connect(a.relative, &QAction::toggled, this, [this](bool on) {
        m_settings.view.relativeNumbers = on;
        applyViewSettings();
    });
    auto* names = new QActionGroup(this);
    a.rfcNames = make();
    a.linuxNames = make();
    a.bothNames = make();
    for (QAction* n : {a.rfcNames, a.linuxNames, a.bothNames}) {
        n->setCheckable(true);
        names->addAction(n);
    }
    connect(a.rfcNames, &QAction::triggered, this, [this] {
        m_settings.view.stateNames = StateNameStyle::Rfc9293;
        applyViewSettings();
    });
    connect(a.linuxNames, &QAction::triggered, this, [this] {
        m_settings.view.stateNames = StateNameStyle::Linux;
        applyViewSettings();
    });
    connect(a.bothNames, &QAction::triggered, this, [this] {
        m_settings.view.stateNames = StateNameStyle::Both;
        applyViewSettings();
    });
    auto* languages = new QActionGroup(this);
    a.english = make();
    a.chinese = make();
    for (QAction* l : {a.english, a.chinese}) {
        l->setCheckable(true);
        languages->addAction(l);
    }
    // Each language is named in itself so that a user who cannot read the
    // current one still finds theirs.
    a.english->setText(QStringLiteral("English"));
    a.chinese->setText(QStringLiteral("简体中文"));
    connect(a.english, &QAction::triggered, this, [this] { setLanguage(QStringLiteral("en")); });
    connect(a.chinese, &QAction::triggered, this, [this] { setLanguage(QStringLiteral("zh_CN")); });
    a.dark = make();
    a.dark->setCheckable(true);
    connect(a.dark, &QAction::toggled, this, [this](bool on) {
        m_settings.view.dark = on;
        applyPalette();
        applyViewSettings();
    });
    auto* axes = new QActionGroup(this);
    a.axisAutomatic = make();
    a.axisTime = make();
    a.axisSteps = make();
    for (const auto& [action, axis] :
         {std::pair{a.axisAutomatic, SequenceAxis::Automatic},
          std::pair{a.axisTime, SequenceAxis::Time}, std::pair{a.axisSteps, SequenceAxis::Steps}}) {
        action->setCheckable(true);
        axes->addAction(action);
        // A copy: clang 14 cannot capture a structured binding.
        const SequenceAxis chosen = axis;
        connect(action, &QAction::triggered, this, [this, chosen] {
            m_settings.view.sequenceAxis = chosen;
            applyViewSettings();
        });
    }
    // For a teacher preparing a class: the whole story, faint, ahead of the playhead.
    a.showFuture = make();
    a.showFuture->setCheckable(true);
    connect(a.showFuture, &QAction::toggled, this, [this](bool on) {
        m_settings.showFuture = on;
        m_diagram->setShowFuture(on);
        saveSettings();
    });
    a.presentation = make(QKeySequence(Qt::Key_F11));
    a.presentation->setCheckable(true);
    connect(a.presentation, &QAction::toggled, this, &MainWindow::setPresentationMode);
    a.leavePresentation = make(QKeySequence(Qt::Key_Escape));
    a.leavePresentation->setEnabled(false);
    connect(a.leavePresentation, &QAction::triggered, this, [this] { setPresentationMode(false); });
    a.showDetails = make(QKeySequence(Qt::Key_F9));
    a.showDetails->setCheckable(true);
    a.showDetails->setEnabled(false);
    connect(a.showDetails, &QAction::toggled, this, &MainWindow::setDetailsShown);
    a.showLibrary = make(QKeySequence(Qt::CTRL | Qt::Key_L));
    a.showLibrary->setCheckable(true);

    a.play = make(QKeySequence(Qt::Key_Space));
    connect(a.play, &QAction::triggered, &m_player, &Player::togglePlay);
    a.stepBack = make(QKeySequence(Qt::Key_Left));
    connect(a.stepBack, &QAction::triggered, &m_player, &Player::stepBack);
    a.stepForward = make(QKeySequence(Qt::Key_Right));
    connect(a.stepForward, &QAction::triggered, &m_player, &Player::stepForward);
    a.toStart = make(QKeySequence(Qt::Key_Home));
    connect(a.toStart, &QAction::triggered, &m_player, &Player::toStart);
    a.toEnd = make(QKeySequence(Qt::Key_End));
    connect(a.toEnd, &QAction::triggered, &m_player, &Player::toEnd);
    a.faster = make();
    a.faster->setShortcuts({QKeySequence(Qt::Key_Plus), QKeySequence(Qt::Key_Equal)});
    a.faster->setShortcutContext(Qt::WindowShortcut);
    connect(a.faster, &QAction::triggered, &m_player, &Player::faster);
    a.slower = make(QKeySequence(Qt::Key_Minus));
    connect(a.slower, &QAction::triggered, &m_player, &Player::slower);
    a.quiz = make(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Q));
    a.quiz->setCheckable(true);
    connect(a.quiz, &QAction::toggled, this, &MainWindow::setQuizEnabled);
    a.backToScenario = make(QKeySequence(Qt::CTRL | Qt::Key_Backspace));
    connect(a.backToScenario, &QAction::triggered, &m_whatIf, &WhatIfController::backToScenario);

    constexpr std::array kCalls{UserCall::Close, UserCall::Shutdown, UserCall::Abort,
                                UserCall::Send};
    constexpr std::array kFaults{FaultKind::Drop, FaultKind::Delay, FaultKind::Duplicate};
    for (const Side side : {Side::Client, Side::Server}) {
        const auto s = static_cast<std::size_t>(side);
        for (std::size_t c = 0; c < kCalls.size(); ++c) {
            a.calls.at(s).at(c) = make();
            connect(a.calls.at(s).at(c), &QAction::triggered, this,
                    [this, side, call = kCalls.at(c)] { onWhatIfCall(side, call); });
        }
        for (std::size_t f = 0; f < kFaults.size(); ++f) {
            a.faults.at(s).at(f) = make();
            connect(a.faults.at(s).at(f), &QAction::triggered, this,
                    [this, side, fault = kFaults.at(f)] { onWhatIfFault(side, fault); });
        }
    }

    a.captureStart = make();
    connect(a.captureStart, &QAction::triggered, this, &MainWindow::onStartLiveCapture);
    a.captureStop = make();
    connect(a.captureStop, &QAction::triggered, m_capture, &CaptureController::stopLive);
    a.hostSockets = make();
    a.hostSockets->setCheckable(true);
    connect(a.hostSockets, &QAction::toggled, this, &MainWindow::showHostSockets);
    a.zoomIn = make(QKeySequence::ZoomIn);
    connect(a.zoomIn, &QAction::triggered, this,
            [this] { m_compareMode ? m_compare->zoomIn() : m_diagram->zoomIn(); });
    a.zoomOut = make(QKeySequence::ZoomOut);
    connect(a.zoomOut, &QAction::triggered, this,
            [this] { m_compareMode ? m_compare->zoomOut() : m_diagram->zoomOut(); });
    a.zoomFit = make(QKeySequence(Qt::CTRL | Qt::Key_0));
    connect(a.zoomFit, &QAction::triggered, this,
            [this] { m_compareMode ? m_compare->setZoom(1.0) : m_diagram->setFitToWindow(true); });
    a.helpKeys = make(QKeySequence(Qt::Key_F1));
    connect(a.helpKeys, &QAction::triggered, this, [this] { makeKeysDialog(this)->show(); });
    a.helpGuide = make();
    connect(a.helpGuide, &QAction::triggered, this,
            [this] { makeScenarioGuideDialog(this)->show(); });
    a.helpLegend = make();
    connect(a.helpLegend, &QAction::triggered, this,
            [this] { makeLegendDialog(this, m_settings.view)->show(); });
    a.backToCapture = make();
    connect(a.backToCapture, &QAction::triggered, this, [this] { backToCapture(); });
    a.openAsScenario = make();
    connect(a.openAsScenario, &QAction::triggered, this, [this] {
        if (const auto c = m_capture->selectedConnection()) {
            openConnectionAsScenario(*c);
        }
    });
    a.saveScenario = make();
    connect(a.saveScenario, &QAction::triggered, this, &MainWindow::onSaveScenario);
    a.scenarioText = make();
    connect(a.scenarioText, &QAction::triggered, this, [this] { showScenarioText(); });
    a.compare = make(QKeySequence(Qt::CTRL | Qt::Key_D));
    a.compare->setCheckable(true);
    a.compare->setEnabled(false);
    connect(a.compare, &QAction::toggled, this, &MainWindow::setCompareMode);
    a.about = make();
    connect(a.about, &QAction::triggered, this, [this] {
        QMessageBox::about(this, tr("About tcpviz"),
                           tr("<h3>tcpviz %1</h3><p>Makes TCP connection management visible: "
                              "the RFC 9293 state machine, an animated sequence diagram, "
                              "what-if experiments and capture analysis.</p>")
                               .arg(QStringLiteral(TCPVIZ_VERSION)));
    });

    // Reflect the saved settings without running the handlers: the views do not exist yet.
    for (QAction* x : {a.relative, a.rfcNames, a.linuxNames, a.bothNames, a.english, a.chinese,
                       a.dark, a.axisAutomatic, a.axisTime, a.axisSteps, a.showFuture}) {
        x->blockSignals(true);
    }
    a.relative->setChecked(m_settings.view.relativeNumbers);
    switch (m_settings.view.stateNames) {
    case StateNameStyle::Linux:
        a.linuxNames->setChecked(true);
        break;
    case StateNameStyle::Both:
        a.bothNames->setChecked(true);
        break;
    case StateNameStyle::Rfc9293:
        a.rfcNames->setChecked(true);
        break;
    }
    (m_settings.view.language == Language::Zh ? a.chinese : a.english)->setChecked(true);
    a.dark->setChecked(m_settings.view.dark);
    switch (m_settings.view.sequenceAxis) {
    case SequenceAxis::Time:
        a.axisTime->setChecked(true);
        break;
    case SequenceAxis::Steps:
        a.axisSteps->setChecked(true);
        break;
    case SequenceAxis::Automatic:
        a.axisAutomatic->setChecked(true);
        break;
    }
    a.showFuture->setChecked(m_settings.showFuture);
    for (QAction* x : {a.relative, a.rfcNames, a.linuxNames, a.bothNames, a.english, a.chinese,
                       a.dark, a.axisAutomatic, a.axisTime, a.axisSteps, a.showFuture}) {
        x->blockSignals(false);
    }
}

void MainWindow::createMenus() {
    auto* bar = menuBar();
    m_fileMenu = bar->addMenu(QString());
    m_fileMenu->addAction(m_act.open);
    m_recentMenu = m_fileMenu->addMenu(QString());
    m_fileMenu->addAction(m_act.savePcap);
    m_fileMenu->addAction(m_act.saveScenario);
    m_fileMenu->addAction(m_act.scenarioText);
    m_fileMenu->addSeparator();
    m_fileMenu->addAction(m_act.exportWhole);
    m_fileMenu->addAction(m_act.exportStep);
    m_fileMenu->addAction(m_act.exportMermaid);
    m_fileMenu->addAction(m_act.exportPlantUml);
    m_fileMenu->addAction(m_act.exportChart);
    m_fileMenu->addSeparator();
    m_fileMenu->addAction(m_act.quit);

    m_editMenu = bar->addMenu(QString());
    m_editMenu->addAction(m_act.undo);
    m_editMenu->addAction(m_act.redo);

    m_viewMenu = bar->addMenu(QString());
    m_viewMenu->addAction(m_act.relative);
    m_stateNamesMenu = m_viewMenu->addMenu(QString());
    m_stateNamesMenu->addAction(m_act.rfcNames);
    m_stateNamesMenu->addAction(m_act.linuxNames);
    m_stateNamesMenu->addAction(m_act.bothNames);
    m_languageMenu = m_viewMenu->addMenu(QString());
    m_languageMenu->addAction(m_act.english);
    m_languageMenu->addAction(m_act.chinese);
    m_viewMenu->addAction(m_act.dark);
    m_viewMenu->addSeparator();
    m_viewMenu->addAction(m_act.compare);
    m_viewMenu->addAction(m_act.zoomIn);
    m_viewMenu->addAction(m_act.zoomOut);
    m_viewMenu->addAction(m_act.zoomFit);
    m_axisMenu = m_viewMenu->addMenu(QString());
    m_axisMenu->addAction(m_act.axisAutomatic);
    m_axisMenu->addAction(m_act.axisTime);
    m_axisMenu->addAction(m_act.axisSteps);
    m_viewMenu->addAction(m_act.showFuture);
    m_viewMenu->addSeparator();
    m_viewMenu->addAction(m_act.presentation);
    m_viewMenu->addAction(m_act.showDetails);
    m_viewMenu->addAction(m_act.leavePresentation);
    m_viewMenu->addAction(m_act.showLibrary);

    m_playMenu = bar->addMenu(QString());
    for (QAction* x : {m_act.play, m_act.stepBack, m_act.stepForward, m_act.toStart, m_act.toEnd,
                       m_act.slower, m_act.faster}) {
        m_playMenu->addAction(x);
    }
    m_playMenu->addSeparator();
    m_playMenu->addAction(m_act.quiz);

    m_scenarioMenu = bar->addMenu(QString());

    m_whatIfMenu = bar->addMenu(QString());
    m_whatIfClientMenu = m_whatIfMenu->addMenu(QString());
    m_whatIfServerMenu = m_whatIfMenu->addMenu(QString());
    m_whatIfNetworkMenu = m_whatIfMenu->addMenu(QString());
    for (const Side side : {Side::Client, Side::Server}) {
        const auto s = static_cast<std::size_t>(side);
        QMenu* menu = side == Side::Client ? m_whatIfClientMenu : m_whatIfServerMenu;
        for (QAction* c : m_act.calls.at(s)) {
            menu->addAction(c);
        }
        for (QAction* f : m_act.faults.at(s)) {
            m_whatIfNetworkMenu->addAction(f);
        }
        if (side == Side::Client) {
            m_whatIfNetworkMenu->addSeparator();
        }
    }
    m_whatIfMenu->addSeparator();
    m_whatIfMenu->addAction(m_act.backToScenario);
    m_whatIfMenu->addAction(m_act.compare);
    m_whatIfMenu->addAction(m_act.undo);
    m_whatIfMenu->addAction(m_act.redo);

    m_captureMenu = bar->addMenu(QString());
    m_captureMenu->addAction(m_act.captureStart);
    m_captureMenu->addAction(m_act.captureStop);
    m_captureMenu->addSeparator();
    m_captureMenu->addAction(m_act.openAsScenario);
    m_captureMenu->addAction(m_act.backToCapture);
    m_captureMenu->addSeparator();
    m_captureMenu->addAction(m_act.hostSockets);

    m_helpMenu = bar->addMenu(QString());
    m_helpMenu->addAction(m_act.helpKeys);
    m_helpMenu->addAction(m_act.helpGuide);
    m_helpMenu->addAction(m_act.helpLegend);
    m_helpMenu->addSeparator();
    m_helpMenu->addAction(m_act.about);
}

void MainWindow::createToolBar() {
    m_toolBar = addToolBar(QString());
    m_toolBar->setObjectName(QStringLiteral("playerToolBar"));
    m_toolBar->setMovable(false);
    m_toolBar->setToolButtonStyle(Qt::ToolButtonIconOnly);

    m_scenarioButton = new QToolButton(this);
    m_scenarioButton->setPopupMode(QToolButton::InstantPopup);
    m_scenarioButton->setToolButtonStyle(Qt::ToolButtonTextOnly);
    m_toolBar->addWidget(m_scenarioButton);
    m_toolBar->addAction(m_act.open);
    m_toolBar->addSeparator();
    m_toolBar->addAction(m_act.toStart);
    m_toolBar->addAction(m_act.stepBack);
    m_toolBar->addAction(m_act.play);
    m_toolBar->addAction(m_act.stepForward);
    m_toolBar->addAction(m_act.toEnd);

    m_timeline = new TimelineSlider(this);
    m_timeline->setFocusPolicy(Qt::NoFocus);
    m_timeline->setMinimumWidth(200);
    m_timeline->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    connect(m_timeline, &QSlider::valueChanged, this, [this](int value) {
        if (static_cast<std::size_t>(value) != m_player.position()) {
            m_player.seek(static_cast<std::size_t>(value));
        }
    });
    connect(m_timeline, &QSlider::sliderPressed, &m_player, &Player::pause);
    m_toolBar->addWidget(m_timeline);

    m_positionLabel = new QLabel(this);
    m_positionLabel->setMinimumWidth(120);
    m_positionLabel->setAlignment(Qt::AlignCenter);
    m_toolBar->addWidget(m_positionLabel);

    m_speedBox = new QComboBox(this);
    m_speedBox->setFocusPolicy(Qt::NoFocus);
    for (const double s : Player::speeds()) {
        m_speedBox->addItem(speedText(s), s);
    }
    connect(m_speedBox, &QComboBox::activated, this,
            [this](int i) { m_player.setSpeed(m_speedBox->itemData(i).toDouble()); });
    const auto& all = Player::speeds();
    const auto it = std::find(all.begin(), all.end(), m_player.speed());
    m_speedBox->setCurrentIndex(it == all.end() ? 3 : static_cast<int>(it - all.begin()));
    m_toolBar->addWidget(m_speedBox);
    m_toolBar->addSeparator();
    m_toolBar->addAction(m_act.quiz);
}

void MainWindow::createCentral() {
    auto* central = new QWidget(this);
    auto* layout = new QVBoxLayout(central);
    layout->setContentsMargins(4, 2, 4, 4);
    layout->setSpacing(2);

    m_titleLabel = new QLabel(central);
    m_titleLabel->setObjectName(QStringLiteral("documentTitle"));
    QFont tf = m_titleLabel->font();
    tf.setPointSizeF(tf.pointSizeF() * 1.25);
    tf.setBold(true);
    m_titleLabel->setFont(tf);
    m_titleLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_titleLabel);

    // The what-if banner: an amber strip that says this is not the lesson any more.
    m_banner = new QWidget(central);
    m_banner->setObjectName(QStringLiteral("branchBanner"));
    m_banner->setAutoFillBackground(true);
    m_banner->setStyleSheet(
        QStringLiteral("#branchBanner { background: #E69F00; border-radius: 4px; }"
                       "#branchBanner QLabel { color: black; font-weight: bold; }"));
    auto* bl = new QHBoxLayout(m_banner);
    bl->setContentsMargins(8, 4, 8, 4);
    m_bannerText = new QLabel(m_banner);
    m_bannerText->setWordWrap(true);
    m_bannerBack = new QPushButton(m_banner);
    m_bannerBack->setFocusPolicy(Qt::NoFocus);
    connect(m_bannerBack, &QPushButton::clicked, &m_whatIf, &WhatIfController::backToScenario);
    // Compare: the original and the branch side by side (View > Compare too).
    m_bannerCompare = new QToolButton(m_banner);
    m_bannerCompare->setFocusPolicy(Qt::NoFocus);
    m_bannerCompare->setDefaultAction(m_act.compare);
    m_bannerCompare->setToolButtonStyle(Qt::ToolButtonTextOnly);
    bl->addWidget(m_bannerText, 1);
    bl->addWidget(m_bannerCompare);
    bl->addWidget(m_bannerBack);
    m_banner->hide();
    layout->addWidget(m_banner);

    m_diagram = new SequenceDiagramView(central);
    m_diagram->setShowFuture(m_settings.showFuture);
    m_chart = new StatesChartView(central);
    m_diagramStack = new QStackedWidget(central);
    m_diagramStack->addWidget(m_diagram);
    m_diagramStack->addWidget(m_chart);
    m_graph = new StateGraphView(central);
    m_details = new SegmentDetailsView(central);
    m_narration = new NarrationView(central);

    // A simulation of many connections shows its states over time under the ladder.
    m_crowdChart = new StatesChartView(central);
    m_crowdChart->setObjectName(QStringLiteral("crowdChart"));
    m_crowdChart->setMinimumHeight(90); // two bands with their axis, no more
    m_crowdChart->hide();
    m_diagramColumn = new QSplitter(Qt::Vertical, central);
    m_diagramColumn->addWidget(m_diagramStack);
    m_diagramColumn->addWidget(m_crowdChart);
    m_diagramColumn->setStretchFactor(0, 3);
    m_diagramColumn->setStretchFactor(1, 1);
    m_diagramColumn->setChildrenCollapsible(false);

    m_topSplitter = new QSplitter(Qt::Horizontal, central);
    m_topSplitter->addWidget(m_diagramColumn);
    m_topSplitter->addWidget(m_graph);
    m_compare = new TraceCompareView(central);
    m_compare->hide();
    m_topSplitter->addWidget(m_compare);
    m_topSplitter->setStretchFactor(0, 11);
    m_topSplitter->setStretchFactor(1, 9);
    m_bottomSplitter = new QSplitter(Qt::Horizontal, central);
    m_bottomSplitter->addWidget(m_details);
    m_bottomSplitter->addWidget(m_narration);
    m_bottomSplitter->setStretchFactor(0, 1);
    m_bottomSplitter->setStretchFactor(1, 1);
    m_mainSplitter = new QSplitter(Qt::Vertical, central);
    m_mainSplitter->addWidget(m_topSplitter);
    m_mainSplitter->addWidget(m_bottomSplitter);
    m_mainSplitter->setStretchFactor(0, 3);
    m_mainSplitter->setStretchFactor(1, 1);
    m_mainSplitter->setChildrenCollapsible(false);
    // Details and narration get about a quarter of the height: three or four
    // lines of narration even on a 1280x720 projector.
    m_mainSplitter->setSizes({720, 250});
    layout->addWidget(m_mainSplitter, 1);
    setCentralWidget(central);

    connect(m_diagram, &SequenceDiagramView::segmentClicked, this,
            [this](std::size_t sendIndex) { m_details->pinEvent(sendIndex); });
    connect(m_diagram, &SequenceDiagramView::eventActivated, &m_player, &Player::seek);
    // The model's narrator knows the lesson; the view only shows its text.
    m_narration->setNarrationProvider(
        [](const Trace& trace, std::size_t eventIndex, const ViewSettings& settings) {
            // The narration counts as the diagram does (relative or raw numbers).
            return qs(narrate(trace, eventIndex, {.relativeNumbers = settings.relativeNumbers})
                          .in(settings.language));
        });
}

void MainWindow::createDocks() {
    m_libraryDock = new QDockWidget(this);
    m_libraryDock->setObjectName(QStringLiteral("libraryDock"));
    m_libraryTree = new QTreeWidget(m_libraryDock);
    m_libraryTree->setObjectName(QStringLiteral("libraryTree"));
    m_libraryTree->setHeaderHidden(true);
    m_libraryTree->setRootIsDecorated(true);
    // Long titles wrap instead of being cut off ("Timers and retransmiss…").
    m_libraryTree->setWordWrap(true);
    m_libraryTree->setUniformRowHeights(false);
    m_libraryTree->setTextElideMode(Qt::ElideNone);
    m_libraryTree->header()->setStretchLastSection(true);
    m_libraryTree->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    connect(m_libraryTree, &QTreeWidget::itemActivated, this, [this](QTreeWidgetItem* item, int) {
        const QString id = item->data(0, Qt::UserRole).toString();
        if (!id.isEmpty()) {
            openPath(id);
        }
    });
    m_libraryDock->setWidget(m_libraryTree);
    addDockWidget(Qt::LeftDockWidgetArea, m_libraryDock);
    m_libraryDock->hide();
    connect(m_act.showLibrary, &QAction::toggled, m_libraryDock, &QDockWidget::setVisible);
    connect(m_libraryDock, &QDockWidget::visibilityChanged, m_act.showLibrary,
            &QAction::setChecked);

    // This machine's own sockets (sock_diag), under the window like a capture's table.
    m_hostDock = new QDockWidget(this);
    m_hostDock->setObjectName(QStringLiteral("hostSocketsDock"));
    m_hostPanel = new HostSocketsPanel(m_hostDock);
    m_hostDock->setWidget(m_hostPanel);
    addDockWidget(Qt::BottomDockWidgetArea, m_hostDock);
    m_hostDock->hide();
    connect(m_hostDock, &QDockWidget::visibilityChanged, this, [this](bool visible) {
        const QSignalBlocker block(m_act.hostSockets);
        m_act.hostSockets->setChecked(visible);
    });
    connect(m_hostPanel, &HostSocketsPanel::countsChanged, this,
            [this](const std::array<std::size_t, kStateCount>& counts) {
                if (m_hostPanel->showOnGraph()) {
                    m_graph->setStateCounts(counts);
                }
            });
    connect(m_hostPanel, &HostSocketsPanel::showOnGraphToggled, this, [this](bool on) {
        if (on) {
            m_graph->setStateCounts(m_hostPanel->filteredCounts());
        } else {
            m_graph->clearStateCounts();
        }
    });

    // The quiz asks beside the diagram, never over its lifelines and arrows.
    m_quizDock = new QDockWidget(this);
    m_quizDock->setObjectName(QStringLiteral("quizDock"));
    m_quizPanel = new QuizPanel(m_quizDock);
    m_quizDock->setWidget(m_quizPanel);
    addDockWidget(Qt::RightDockWidgetArea, m_quizDock);
    m_quizDock->hide();
    connect(m_quizPanel, &QuizPanel::answered, this, &MainWindow::onQuizAnswered);
    connect(m_quizPanel, &QuizPanel::answeredChoice, this, &MainWindow::onQuizChoiceAnswered);
    connect(m_quizDock, &QDockWidget::visibilityChanged, this, [this](bool visible) {
        if (!visible && m_quizEnabled && !m_quizDock->isVisible() && isVisible()) {
            setQuizEnabled(false); // closing the dock ends the quiz
        }
    });

    m_countsDock = new QDockWidget(this);
    m_countsDock->setObjectName(QStringLiteral("stateCountsDock"));
    m_countsPanel = new StateCountsPanel(m_countsDock);
    m_countsDock->setWidget(m_countsPanel);

    m_captureDock = new QDockWidget(this);
    m_captureDock->setObjectName(QStringLiteral("connectionsDock"));
    m_capturePanel = new CapturePanel(m_capture, m_captureDock);
    m_captureDock->setWidget(m_capturePanel);
    connect(m_capturePanel, &CapturePanel::openAsScenarioRequested, this,
            [this](std::size_t connection) { openConnectionAsScenario(connection); });
    addDockWidget(Qt::BottomDockWidgetArea, m_captureDock);
    // The counts are a tab of the table they count: beside it they took the
    // table's columns, and a dock of their own took the ladder's height at
    // 1280x720 (the heat map and the chart under the ladder count too).
    addDockWidget(Qt::BottomDockWidgetArea, m_countsDock);
    tabifyDockWidget(m_captureDock, m_countsDock);
    m_captureDock->hide();
    m_countsDock->hide();
}

void MainWindow::retranslateUi() {
    auto& a = m_act;
    a.open->setText(tr("&Open…"));
    a.open->setToolTip(tr("Open a scenario (.yaml) or a capture (.pcap, .pcapng) (Ctrl+O)"));
    a.savePcap->setText(tr("Save as &pcap…"));
    a.exportWhole->setText(tr("Export diagram (whole exchange)…"));
    a.exportStep->setText(tr("Export diagram (as at this step)…"));
    a.exportMermaid->setText(tr("Export as &Mermaid text…"));
    a.exportPlantUml->setText(tr("Export as &PlantUML text…"));
    a.exportChart->setText(tr("Export states chart (PNG, SVG, CSV)…"));
    updateCaptureNarration();
    a.quit->setText(tr("&Quit"));
    a.undo->setText(tr("&Undo"));
    a.redo->setText(tr("&Redo"));
    a.relative->setText(tr("&Relative sequence numbers"));
    a.rfcNames->setText(tr("RFC 9293 (SYN-RECEIVED)"));
    a.linuxNames->setText(tr("Linux ss (SYN-RECV)"));
    a.bothNames->setText(tr("Both (SYN-RECEIVED (SYN-RECV))"));
    a.dark->setText(tr("&Dark palette"));
    a.presentation->setText(tr("&Presentation mode"));
    a.leavePresentation->setText(tr("&Leave presentation mode"));
    a.showDetails->setText(tr("Packet &details in presentation mode"));
    a.showLibrary->setText(tr("Scenario &library"));
    a.stepBack->setText(tr("Step &back"));
    a.stepBack->setToolTip(tr("Step back one event (Left)"));
    a.stepForward->setText(tr("Step &forward"));
    a.stepForward->setToolTip(tr("Step forward one event (Right)"));
    a.toStart->setText(tr("To &start"));
    a.toStart->setToolTip(tr("Jump to the start (Home)"));
    a.toEnd->setText(tr("To &end"));
    a.toEnd->setToolTip(tr("Jump to the end (End)"));
    a.faster->setText(tr("&Faster"));
    a.slower->setText(tr("&Slower"));
    a.quiz->setText(tr("&Quiz"));
    a.quiz->setToolTip(tr("Quiz: before each transition, guess the next state and the flags sent"));
    a.backToScenario->setText(tr("&Back to the scenario"));
    a.captureStart->setText(tr("&Start live capture…"));
    a.captureStop->setText(tr("S&top live capture"));
    a.hostSockets->setText(tr("This &machine's sockets"));
    a.hostSockets->setToolTip(
        tr("This computer's own TCP sockets, as ss shows them, refreshed every second"));
    a.about->setText(tr("&About tcpviz"));
    a.zoomIn->setText(tr("Zoom &in"));
    a.zoomOut->setText(tr("Zoom &out"));
    a.zoomFit->setText(tr("&Fit the whole exchange"));
    a.axisAutomatic->setText(tr("&Automatic (steps where time would crowd the labels)"));
    a.axisTime->setText(tr("&Time (proportional, long waits shortened)"));
    a.axisSteps->setText(tr("&Steps (one row per segment sent or received)"));
    a.showFuture->setText(tr("Show what &comes next, faintly"));
    a.helpKeys->setText(tr("&Keys"));
    a.helpGuide->setText(tr("&Writing scenarios"));
    a.helpLegend->setText(tr("What do the &colours mean?"));
    const std::array callNames{tr("&Close"), tr("S&hutdown (half-close)"), tr("&Abort (RST)"),
                               tr("Send &data…")};
    const std::array faultNames{tr("Drop the %1's next segment"), tr("Delay the %1's next segment"),
                                tr("Duplicate the %1's next segment")};
    for (const Side side : {Side::Client, Side::Server}) {
        const auto s = static_cast<std::size_t>(side);
        const QString who = side == Side::Client ? tr("client") : tr("server");
        for (std::size_t c = 0; c < callNames.size(); ++c) {
            a.calls.at(s).at(c)->setText(callNames.at(c));
        }
        for (std::size_t f = 0; f < faultNames.size(); ++f) {
            a.faults.at(s).at(f)->setText(faultNames.at(f).arg(who));
        }
    }

    m_fileMenu->setTitle(tr("&File"));
    m_recentMenu->setTitle(tr("Open &recent"));
    m_editMenu->setTitle(tr("&Edit"));
    m_viewMenu->setTitle(tr("&View"));
    m_stateNamesMenu->setTitle(tr("State &names"));
    m_axisMenu->setTitle(tr("Sequence diagram &axis"));
    m_languageMenu->setTitle(tr("&Language"));
    m_playMenu->setTitle(tr("&Play"));
    m_scenarioMenu->setTitle(tr("&Scenarios"));
    m_whatIfMenu->setTitle(tr("&What if"));
    m_whatIfClientMenu->setTitle(tr("The &client…"));
    m_whatIfServerMenu->setTitle(tr("The &server…"));
    m_whatIfNetworkMenu->setTitle(tr("The &network…"));
    m_captureMenu->setTitle(tr("&Capture"));
    m_helpMenu->setTitle(tr("&Help"));
    m_toolBar->setWindowTitle(tr("Player"));
    m_scenarioButton->setText(tr("Scenarios"));
    m_scenarioButton->setToolTip(tr("Pick a built-in scenario"));
    m_speedBox->setToolTip(tr("Playback speed (+/-)"));
    m_timeline->setToolTip(tr("Timeline: one tick per segment (blue: client, orange: server, "
                              "red: lost)"));
    m_bannerBack->setText(tr("Back to the scenario"));
    a.openAsScenario->setText(tr("Open connection as &scenario"));
    a.openAsScenario->setToolTip(tr("Write the scenario that replays the selected connection "
                                    "and play it like a lesson"));
    a.saveScenario->setText(tr("Save scenario as &YAML…"));
    a.backToCapture->setText(tr("&Back to the capture"));
    a.backToCapture->setToolTip(
        tr("Open the capture this scenario was made from, with its connection selected"));
    a.scenarioText->setText(tr("Scenario &text…"));
    a.scenarioText->setToolTip(tr("Read and edit the open scenario's YAML, and play it again"));
    a.compare->setText(tr("&Compare with the original"));
    a.compare->setToolTip(tr("The original ladder and the what-if branch side by side on one "
                             "time axis, differences highlighted (Ctrl+D)"));
    if (m_compareMode) {
        refreshCompare();
    }
    m_libraryDock->setWindowTitle(tr("Scenario library"));
    m_captureDock->setWindowTitle(tr("Connections"));
    m_hostDock->setWindowTitle(tr("This machine's sockets"));
    m_countsDock->setWindowTitle(tr("Sockets per state (ss -tan)"));
    m_quizDock->setWindowTitle(tr("Quiz"));
    m_quizPanel->retranslate();
    rebuildScenarioMenus();
    rebuildRecentMenu();
    updateActions();
    updateStatus();
    updateCaptureStatus();
    updateBranchBanner();
    if (m_scenario) {
        setDocumentTitle(scenarioTitle(*m_scenario, m_settings.view.language));
    }
    setWindowTitle(m_titleLabel->text().isEmpty()
                       ? QStringLiteral("tcpviz")
                       : QStringLiteral("%1 — tcpviz").arg(m_titleLabel->text()));
}

void MainWindow::rebuildScenarioMenus() {
    m_scenarioMenu->clear();
    m_libraryTree->clear();
    auto* pick = new QMenu(m_scenarioButton);
    // One entry per topic, in the order a course teaches them. The library's
    // course order interleaves topics (a lesson on lost SYNs right after the
    // handshake), so grouping consecutive runs listed a topic several times.
    std::vector<std::string> topics(kScenarioTopics.begin(), kScenarioTopics.end());
    for (const Scenario& s : builtinScenarios()) {
        if (std::find(topics.begin(), topics.end(), s.topic) == topics.end()) {
            topics.push_back(s.topic);
        }
    }
    for (const std::string& topic : topics) {
        QMenu* topicMenu = nullptr;
        QTreeWidgetItem* topicItem = nullptr;
        for (const Scenario& s : builtinScenarios()) {
            if (s.topic != topic) {
                continue;
            }
            if (topicMenu == nullptr) {
                const QString title = topicTitle(topic);
                topicMenu = m_scenarioMenu->addMenu(title);
                topicMenu->setToolTipsVisible(true);
                pick->addMenu(topicMenu);
                topicItem = new QTreeWidgetItem(m_libraryTree, {title});
                topicItem->setFlags(Qt::ItemIsEnabled);
                topicItem->setToolTip(0, title);
            }
            const QString title = scenarioTitle(s, m_settings.view.language);
            const QString id = qs(s.id);
            const QString description = qs(s.description.in(m_settings.view.language));
            // The full title in the tooltip too: a narrow library dock wraps or cuts it.
            const QString tip = QStringLiteral("<b>%1</b><p>%2</p>")
                                    .arg(title.toHtmlEscaped(), description.toHtmlEscaped());
            QAction* act = topicMenu->addAction(title);
            act->setToolTip(tip);
            connect(act, &QAction::triggered, this, [this, id] { openPath(id); });
            auto* item = new QTreeWidgetItem(topicItem, {title});
            item->setData(0, Qt::UserRole, id);
            item->setToolTip(0, tip);
        }
    }
    m_libraryTree->expandAll();
    delete m_scenarioButton->menu();
    m_scenarioButton->setMenu(pick);
}

void MainWindow::rebuildRecentMenu() {
    m_recentMenu->clear();
    for (const QString& path : std::as_const(m_settings.recentFiles)) {
        QAction* act = m_recentMenu->addAction(QFileInfo(path).fileName());
        act->setToolTip(path);
        act->setStatusTip(path);
        connect(act, &QAction::triggered, this, [this, path] { openPath(path); });
    }
    m_recentMenu->setEnabled(!m_settings.recentFiles.isEmpty());
}

void MainWindow::applyPalette() {
    if (m_settings.view.dark || m_settings.view.presentation) {
        qApp->setPalette(viewPalette(m_settings.view));
    } else {
        qApp->setPalette(qApp->style()->standardPalette());
    }
    setPalette(qApp->palette());
    updatePlayerIcons();
}

void MainWindow::showHostSockets(bool on) {
    m_hostDock->setVisible(on);
    if (on) {
        m_hostDock->raise();
        // A third of the window: the heat map on the graph above stays readable.
        resizeDocks({m_hostDock}, {std::max(220, height() / 3)}, Qt::Vertical);
    }
}

void MainWindow::applyViewSettings() {
    m_diagram->setSettings(m_settings.view);
    m_chart->setSettings(m_settings.view);
    m_crowdChart->setSettings(m_settings.view);
    m_countsPanel->setSettings(m_settings.view);
    m_graph->setSettings(m_settings.view);
    m_details->setSettings(m_settings.view);
    m_narration->setSettings(m_settings.view);
    if (m_compare != nullptr) {
        m_compare->setSettings(m_settings.view);
    }
    if (m_capturePanel != nullptr) {
        m_capturePanel->setSettings(m_settings.view);
    }
    if (m_hostPanel != nullptr) {
        m_hostPanel->setSettings(m_settings.view);
    }
    saveSettings();
}

void MainWindow::saveSettings() const {
    AppSettings saved = m_settings;
    // Choices made on the command line (--lang, --dark) hold for this run only.
    if (m_sessionOverrides) {
        const AppSettings stored = AppSettings::load();
        saved.languageCode = stored.languageCode;
        saved.view.language = stored.view.language;
        saved.view.dark = stored.view.dark;
    }
    saved.view.presentation = false;
    saved.save();
}

void MainWindow::setSessionOverrides(bool on) {
    m_sessionOverrides = on;
}

void MainWindow::setViewSettings(const ViewSettings& view) {
    m_settings.view = view;
    applyPalette();
    applyViewSettings();
}

// --- language and presentation ---------------------------------------------

void MainWindow::setLanguage(const QString& code) {
    m_settings.view.language = languageOfCode(code);
    m_settings.languageCode = codeOfLanguage(m_settings.view.language);
    (m_settings.view.language == Language::Zh ? m_act.chinese : m_act.english)->setChecked(true);
    // Installing the translator sends LanguageChange to every widget, which
    // retranslates the whole window live (see changeEvent).
    installLanguage(m_settings.languageCode);
    applyViewSettings();
    retranslateUi();
}

void MainWindow::changeEvent(QEvent* event) {
    if (event->type() == QEvent::LanguageChange && m_fileMenu != nullptr) {
        retranslateUi();
    }
    QMainWindow::changeEvent(event);
}

void MainWindow::setPresentationMode(bool on) {
    if (m_settings.view.presentation == on) {
        return;
    }
    m_settings.view.presentation = on;
    m_act.presentation->setChecked(on);
    QFont f = QApplication::font();
    if (on) {
        f.setPointSizeF(f.pointSizeF() * 1.5);
        setFont(f);
        QFont tf = f;
        tf.setPointSizeF(f.pointSizeF() * 1.25);
        tf.setBold(true);
        m_titleLabel->setFont(tf);
        m_normalSplitterSizes = m_mainSplitter->sizes();
        m_settings.view.presentationMinTextPx =
            presentationMinTextPx(screen() != nullptr ? screen()->geometry().height() : height());
        showFullScreen();
        if (screen() != nullptr) {
            // Without a window manager (a bare X server on a projector PC)
            // full screen is only a request; make it so.
            setGeometry(screen()->geometry());
        }
        // The diagram, the graph and the narration only; F9 brings the details back.
        m_act.showDetails->setEnabled(true);
        m_act.leavePresentation->setEnabled(true);
        {
            const QSignalBlocker block(m_act.showDetails);
            m_act.showDetails->setChecked(false);
        }
        m_details->hide();
        m_captureDockWasShown = m_captureDock->isVisible();
        m_captureDock->hide();
        m_countsDock->hide();
        // The state graph needs the height for its text at the projector's minimum
        // size (nodes and arc labels overlap below it); the narration's few lines
        // fit in the rest.
        const int h = m_mainSplitter->height();
        m_mainSplitter->setSizes({h * 80 / 100, h * 20 / 100});
        // and half the width: three columns of nodes at that size need it.
        m_normalTopSizes = m_topSplitter->sizes();
        const int w = m_topSplitter->width();
        m_topSplitter->setSizes({w / 2, w - w / 2});
        m_libraryDock->hide();
        statusBar()->hide();
        m_toolBar->hide();
        menuBar()->hide();
        qApp->installEventFilter(this);
    } else {
        setFont(QApplication::font());
        QFont tf = QApplication::font();
        tf.setPointSizeF(tf.pointSizeF() * 1.25);
        tf.setBold(true);
        m_titleLabel->setFont(tf);
        qApp->removeEventFilter(this);
        m_settings.view.presentationMinTextPx = 0.0;
        m_act.showDetails->setEnabled(false);
        m_act.leavePresentation->setEnabled(false);
        // A capture's overview (or a simulated crowd) has no packet to detail: the
        // narration takes the width.
        m_details->setVisible(
            !(m_capture->hasDocument() && (m_trace == nullptr || m_capture->isSimulation())));
        if (m_captureDockWasShown) {
            m_captureDock->show();
            m_countsDock->show();
            m_captureDock->raise();
        }
        showNormal();
        if (!m_normalTopSizes.isEmpty()) {
            m_topSplitter->setSizes(m_normalTopSizes);
        }
        if (!m_normalSplitterSizes.isEmpty()) {
            m_mainSplitter->setSizes(m_normalSplitterSizes);
        }
        statusBar()->show();
        m_toolBar->show();
        menuBar()->show();
    }
    applyPalette();
    applyViewSettings();
    updateStatesChart();
}

double MainWindow::presentationMinTextPx(int height) {
    return 14.0 * std::max(height, 720) / 720.0;
}

void MainWindow::setDetailsShown(bool shown) {
    if (!presentationMode()) {
        return;
    }
    m_details->setVisible(shown);
    if (m_capture->hasOverview() || m_capture->connectionCount() > 0) {
        m_captureDock->setVisible(shown);
    }
}

QWidget* MainWindow::detailsView() {
    return m_details;
}

void MainWindow::showEvent(QShowEvent* event) {
    QMainWindow::showEvent(event);
    // A document opened before the window was shown (tcpviz FILE) was given two
    // fifths of the height: now that the table has its size, fit it to its rows.
    if (!m_shownOnce && !m_captureDock->isHidden()) {
        QTimer::singleShot(0, this, [this] {
            const int narration = m_mainSplitter->sizes().value(1);
            fitCaptureDock();
            // The height the table gave back goes to the ladder, not the narration.
            QTimer::singleShot(0, this, [this, narration] {
                const QList<int> sizes = m_mainSplitter->sizes();
                const int total = sizes.value(0) + sizes.value(1);
                if (sizes.size() == 2 && narration > 0 && narration < total) {
                    m_mainSplitter->setSizes({total - narration, narration});
                }
            });
        });
    }
    m_shownOnce = true;
}

void MainWindow::resizeEvent(QResizeEvent* event) {
    QMainWindow::resizeEvent(event);
    if (presentationMode()) {
        // The text follows the screen: a 1080p projector gets larger text than a 720p one.
        const double px = presentationMinTextPx(height());
        if (std::abs(px - m_settings.view.presentationMinTextPx) > 0.01) {
            m_settings.view.presentationMinTextPx = px;
            applyViewSettings();
        }
    }
}

void MainWindow::showControlsForAWhile() {
    m_toolBar->show();
    menuBar()->show();
    m_hideControlsTimer->start();
}

bool MainWindow::eventFilter(QObject* watched, QEvent* event) {
    if (presentationMode() && event->type() == QEvent::MouseMove) {
        if (!m_toolBar->isVisible()) {
            showControlsForAWhile();
        } else {
            m_hideControlsTimer->start();
        }
    }
    return QMainWindow::eventFilter(watched, event);
}

// --- documents ---------------------------------------------------------------

bool MainWindow::openPath(const QString& idOrPath) {
    m_lastError.clear();
    if (isCaptureFile(idOrPath)) {
        openCapture(idOrPath);
        return true; // errors of a capture arrive asynchronously (CaptureController::failed)
    }
    return openScenario(idOrPath);
}

bool MainWindow::openScenario(const QString& idOrPath) {
    const Result<Scenario> result = loadScenarioFrom(idOrPath);
    if (!result.has_value()) {
        showError(tr("Cannot open scenario"), qs(result.error().toString()));
        return false;
    }
    // The views may still show a captured connection's Trace, which the capture
    // document owns: let go of it before the document goes.
    showTrace(nullptr, 0);
    m_capture->closeDocument();
    m_captureDock->hide();
    m_countsDock->hide();
    m_narration->setDocumentText({});
    m_scenario = *result;
    // Many connections (`load:`): one host simulation gives the lesson's Trace
    // (the named connection) and the document the table, heat map and chart read.
    std::shared_ptr<const HostSimulation> hosts;
    if (m_scenario->manyConnections()) {
        hosts = std::make_shared<const HostSimulation>(simulateHosts(*m_scenario));
    }
    const Trace original =
        hosts ? hosts->connections.at(hosts->named).trace : simulate(*m_scenario);
    m_whatIf.setScenario(*m_scenario, original, hosts);
    m_documentPath = idOrPath;
    if (QFileInfo::exists(idOrPath)) {
        m_settings.addRecent(QFileInfo(idOrPath).absoluteFilePath());
        rebuildRecentMenu();
        saveSettings();
    }
    setDocumentTitle(scenarioTitle(*m_scenario, m_settings.view.language));
    setWindowTitle(QStringLiteral("%1 — tcpviz").arg(m_titleLabel->text()));
    m_graph->clearStateCounts();
    // A new lesson starts with the whole exchange in view, whatever the last one was zoomed to.
    m_diagram->setFitToWindow(true);
    showTrace(&m_whatIf.current(), 0);
    updateBranchBanner();
    if (hosts) {
        m_capture->openDocument(simulationDocument(*hosts, *m_scenario), m_titleLabel->text());
        showCaptureDock();
        fitCaptureDock();
        // A lesson starts at its first step, whatever the crowd's clock did while
        // the document was being opened.
        m_player.seek(0);
    }
    const QString description = qs(m_scenario->description.in(m_settings.view.language));
    m_titleLabel->setToolTip(description);
    // A warning does not stop the lesson, but the author should see it.
    QStringList warnings;
    for (const Error& w : result->warnings) {
        warnings << qs(w.toString("warning"));
    }
    if (!warnings.isEmpty()) {
        statusBar()->showMessage(warnings.join(QStringLiteral("  ")), 30000);
    }
    return true;
}

void MainWindow::openCapture(const QString& path) {
    m_player.pause();
    m_scenario.reset();
    m_whatIf.clear();
    showTrace(nullptr, 0);
    m_documentPath = path;
    if (path != QLatin1String("-")) {
        m_settings.addRecent(QFileInfo(path).absoluteFilePath());
        rebuildRecentMenu();
        saveSettings();
    }
    setDocumentTitle(path == QLatin1String("-") ? tr("Capture from standard input")
                                                : QFileInfo(path).fileName());
    setWindowTitle(QStringLiteral("%1 — tcpviz").arg(m_titleLabel->text()));
    showCaptureDock();
    updateBranchBanner();
    m_capture->openFile(path, this);
}

void MainWindow::showTrace(const Trace* trace, std::size_t position) {
    m_player.pause();
    m_trace = trace;
    m_diagram->setTrace(trace);
    m_details->setTrace(trace);
    m_narration->setTrace(trace);
    if (trace != nullptr) {
        m_graph->clearStateCounts();
    }
    m_graph->setTrace(trace);
    m_quiz.setTrace(trace);
    if (m_quizAsking) {
        m_quizAsking.reset();
        holdBackNarration(false);
        m_quizPanel->showIntro();
    }
    m_player.setTrace(trace);
    m_player.setBarrier(m_quizEnabled ? std::function<bool(std::size_t)>(
                                            [this](std::size_t i) { return m_quiz.isBarrier(i); })
                                      : std::function<bool(std::size_t)>());
    updateTimeline();
    syncCompare();
    if (position > 0) {
        m_player.seek(position);
    }
    updateStatesChart();
    updateActions();
    updateStatus();
    updateCaptureStatus();
}

void MainWindow::updateCaptureStatus() {
    if (const auto reading = m_capture->readingConnection()) {
        m_captureLabel->setText(tr("Reading connection #%1…").arg(*reading));
        m_captureLabel->show();
        return;
    }
    if (m_trace == nullptr || !m_trace->meta.fromCapture) {
        m_captureLabel->clear();
        m_captureLabel->hide();
        return;
    }
    const CaptureView& view = m_trace->meta.capture;
    QStringList parts;
    switch (view.basis) {
    case DelayBasis::Handshake:
        parts << tr("Capture point %1 from the client, %2 from the server (estimated from the "
                    "handshake): each arrow runs from the estimated sending to the estimated "
                    "arrival")
                     .arg(formatDuration(view.clientUs), formatDuration(view.serverUs));
        break;
    case DelayBasis::Data:
        parts << tr("Capture point %1 from the client, %2 from the server (estimated from data "
                    "and its ACKs): each arrow runs from the estimated sending to the estimated "
                    "arrival")
                     .arg(formatDuration(view.clientUs), formatDuration(view.serverUs));
        break;
    case DelayBasis::None:
        parts << tr("No delay estimate (no handshake and no answered data captured): arrows are "
                    "drawn flat at the capture time");
        break;
    }
    if (view.startLost) {
        parts << tr("start not captured");
    }
    if (!view.sawSide(Side::Client)) {
        parts << tr("only the server's packets captured");
    } else if (!view.sawSide(Side::Server)) {
        parts << tr("only the client's packets captured");
    }
    if (m_capture->selectedEvicted()) {
        parts.prepend(tr("Connection #%1 was evicted by the live capture (finished, beyond the "
                         "retention limit): this ladder no longer grows")
                          .arg(*m_capture->selectedConnection()));
    }
    m_captureLabel->setText(parts.join(QStringLiteral(" · ")));
    m_captureLabel->show();
}

void MainWindow::onFrame(std::size_t position, double fraction) {
    m_diagram->setPlayhead(position, fraction);
}

void MainWindow::onPositionChanged(std::size_t position) {
    syncCrowdToPlayhead();
    m_graph->setPosition(position);
    m_details->setPosition(position);
    m_narration->setPosition(position);
    m_compare->setPosition(position);
    {
        const QSignalBlocker block(m_timeline);
        m_timeline->setValue(static_cast<int>(position));
    }
    updateStatus();
    updateActions();
}

void MainWindow::updateTimeline() {
    const QSignalBlocker block(m_timeline);
    std::vector<TimelineSlider::Mark> marks;
    if (m_trace != nullptr) {
        m_timeline->setRange(0, static_cast<int>(m_trace->size()));
        std::vector<std::uint32_t> lost;
        for (const TraceEvent& e : m_trace->events()) {
            if (e.kind == EventKind::Drop) {
                lost.push_back(e.segmentId);
            }
        }
        std::sort(lost.begin(), lost.end());
        for (const TraceEvent& e : m_trace->events()) {
            if (e.kind == EventKind::Send) {
                marks.push_back({static_cast<int>(e.index) + 1,
                                 std::binary_search(lost.begin(), lost.end(), e.segmentId),
                                 e.endpoint == Side::Client});
            }
        }
    } else {
        m_timeline->setRange(0, 0);
    }
    m_timeline->setValue(static_cast<int>(m_player.position()));
    m_timeline->setMarks(std::move(marks));
    m_timeline->setBranchPoint(m_whatIf.inBranch() && m_trace == &m_whatIf.current()
                                   ? static_cast<int>(m_whatIf.divergence())
                                   : -1);
}

void MainWindow::updateStatus() {
    if (m_trace == nullptr) {
        m_positionLabel->setText(QString());
        return;
    }
    const std::size_t p = m_player.position();
    const std::int64_t t = p == 0 ? 0 : m_trace->event(p - 1).timeUs;
    const std::int64_t t0 = m_trace->empty() ? 0 : m_trace->event(0).timeUs;
    m_positionLabel->setText(tr("Step %1 / %2 · %3")
                                 .arg(p)
                                 .arg(m_trace->size())
                                 .arg(formatDuration(p == 0 ? 0 : t - t0)));
    if (m_quizEnabled) {
        m_scoreLabel->setText(m_quizPanel->scoreText());
    }
}

void MainWindow::updateBranchBanner() {
    const bool branch = m_whatIf.inBranch();
    m_banner->setVisible(branch);
    if (branch) {
        QStringList what;
        for (const Intervention& iv : m_whatIf.interventions()) {
            what << tr("%1 at step %2").arg(describe(iv)).arg(iv.position);
        }
        m_bannerText->setText(
            tr("Branch: what if %1? (not the scenario as written)").arg(what.join(tr(", then "))));
    }
    updateTimeline();
    updateActions();
}

void MainWindow::updateActions() {
    const bool haveTrace = m_trace != nullptr && !m_trace->empty();
    const bool playing = m_player.isPlaying();
    m_act.play->setEnabled(haveTrace);
    updatePlayerIcons();
    m_act.play->setText(playing ? tr("&Pause") : tr("&Play"));
    m_act.play->setToolTip(playing ? tr("Pause (Space)") : tr("Play (Space)"));
    m_act.stepBack->setEnabled(haveTrace && m_player.position() > 0);
    m_act.toStart->setEnabled(haveTrace && m_player.position() > 0);
    m_act.stepForward->setEnabled(haveTrace && !m_player.atEnd());
    m_act.toEnd->setEnabled(haveTrace && !m_player.atEnd());
    m_timeline->setEnabled(haveTrace);
    const bool whatIf = m_whatIf.available() && !playing;
    m_whatIfMenu->setEnabled(m_whatIf.available());
    for (auto& side : m_act.calls) {
        for (QAction* x : side) {
            x->setEnabled(whatIf);
        }
    }
    for (auto& side : m_act.faults) {
        for (QAction* x : side) {
            x->setEnabled(whatIf);
        }
    }
    m_act.backToScenario->setEnabled(m_whatIf.inBranch());
    m_act.exportWhole->setEnabled(haveTrace);
    m_act.exportStep->setEnabled(haveTrace);
    m_act.exportMermaid->setEnabled(haveTrace);
    m_act.exportPlantUml->setEnabled(haveTrace);
    m_act.exportChart->setEnabled(m_capture->hasDocument() && m_capture->connectionCount() > 0);
    m_act.savePcap->setEnabled(haveTrace || m_capture->canSave());
    m_act.captureStart->setEnabled(!m_capture->isLive());
    m_act.captureStop->setEnabled(m_capture->isLive());
    m_act.quiz->setEnabled(haveTrace || m_quizEnabled);
    // One replay at a time: the action waits while the worker makes one.
    m_act.openAsScenario->setEnabled(m_capture->hasDocument() &&
                                     m_capture->selectedConnection().has_value() &&
                                     !m_capture->replayingConnection().has_value());
    m_act.saveScenario->setEnabled(m_scenario.has_value() && QFileInfo::exists(m_documentPath));
    m_act.scenarioText->setEnabled(m_act.saveScenario->isEnabled());
    m_act.backToCapture->setEnabled(isReplay() && m_replay->capturePath != QLatin1String("-"));
    m_act.compare->setEnabled(m_whatIf.inBranch() && m_trace == &m_whatIf.current());
}

void MainWindow::showError(const QString& title, const QString& message) {
    m_lastError = message;
    statusBar()->showMessage(message, 10000);
    if (!m_quiet) {
        QMessageBox::critical(this, title, message);
    }
}

// --- file actions ------------------------------------------------------------

void MainWindow::onOpen() {
    const QString dir = m_settings.recentFiles.isEmpty()
                            ? QString()
                            : QFileInfo(m_settings.recentFiles.first()).absolutePath();
    const QString path = QFileDialog::getOpenFileName(
        this, tr("Open scenario or capture"), dir,
        tr("Scenarios and captures (*.yaml *.yml *.pcap *.pcapng *.cap);;"
           "Scenarios (*.yaml *.yml);;Captures (*.pcap *.pcapng *.cap);;All files (*)"));
    if (!path.isEmpty()) {
        openPath(path);
    }
}

void MainWindow::onExportDiagram(bool wholeExchange) {
    if (m_trace == nullptr) {
        return;
    }
    m_player.pause();
    QString selected;
    QString path = QFileDialog::getSaveFileName(
        this,
        wholeExchange ? tr("Export the whole diagram") : tr("Export the diagram as at this step"),
        proposedExportName(wholeExchange),
        tr("SVG image (*.svg);;PNG image (*.png);;PDF document (*.pdf)"), &selected);
    if (path.isEmpty()) {
        return;
    }
    if (QFileInfo(path).suffix().isEmpty()) {
        path += selected.contains(QLatin1String("png"))   ? QStringLiteral(".png")
                : selected.contains(QLatin1String("pdf")) ? QStringLiteral(".pdf")
                                                          : QStringLiteral(".svg");
    }
    QString error;
    if (!exportTraceDiagram(*m_trace, wholeExchange ? m_trace->size() : m_player.position(),
                            wholeExchange, m_settings.view, path, error)) {
        showError(tr("Export failed"), error);
        return;
    }
    statusBar()->showMessage(tr("Exported %1").arg(QDir::toNativeSeparators(path)), 5000);
}

QString MainWindow::proposedExportName(bool wholeExchange) const {
    QString stem;
    if (m_scenario) {
        stem = qs(m_scenario->id);
    } else if (!m_documentPath.isEmpty() && m_documentPath != QLatin1String("-")) {
        stem = QFileInfo(m_documentPath).completeBaseName();
    }
    if (stem.isEmpty()) {
        stem = QStringLiteral("tcpviz");
    }
    if (!wholeExchange) {
        stem += QStringLiteral("-step-%1").arg(m_player.position());
    }
    return stem + QStringLiteral(".svg");
}

void MainWindow::onExportText(bool mermaid) {
    if (m_trace == nullptr) {
        return;
    }
    const QString path = QFileDialog::getSaveFileName(
        this, mermaid ? tr("Export as Mermaid") : tr("Export as PlantUML"), QString(),
        mermaid ? tr("Mermaid (*.mmd *.md)") : tr("PlantUML (*.puml *.plantuml)"));
    if (path.isEmpty()) {
        return;
    }
    QString error;
    if (!exportTraceText(*m_trace, mermaid, m_settings.view, path, error)) {
        showError(tr("Export failed"), error);
        return;
    }
    statusBar()->showMessage(tr("Exported %1").arg(QDir::toNativeSeparators(path)), 5000);
}

void MainWindow::onSavePcap() {
    const QString path = QFileDialog::getSaveFileName(this, tr("Save as pcap"), QString(),
                                                      tr("pcap capture (*.pcap)"));
    if (path.isEmpty()) {
        return;
    }
    QString error;
    bool ok = false;
    if (m_capture->canSave()) {
        ok = m_capture->savePcap(path, error);
    } else if (m_trace != nullptr) {
        const Status written = writeTracePcap(*m_trace, stdString(path));
        ok = written.has_value();
        if (!ok) {
            error = qs(written.error());
        }
    }
    if (!ok) {
        showError(tr("Cannot save"), error);
        return;
    }
    statusBar()->showMessage(tr("Saved %1").arg(QDir::toNativeSeparators(path)), 5000);
}

void MainWindow::closeEvent(QCloseEvent* event) {
    m_capture->stopLive();
    saveSettings();
    QMainWindow::closeEvent(event);
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event) {
    if (event->mimeData()->hasUrls() && event->mimeData()->urls().size() == 1 &&
        event->mimeData()->urls().first().isLocalFile()) {
        event->acceptProposedAction();
    }
}

void MainWindow::dropEvent(QDropEvent* event) {
    const auto urls = event->mimeData()->urls();
    if (!urls.isEmpty() && urls.first().isLocalFile()) {
        event->acceptProposedAction();
        // Not from inside the drop handler: a message box there would block the source.
        QTimer::singleShot(0, this, [this, urls] { openUrls(urls); });
    }
}

bool MainWindow::openUrls(const QList<QUrl>& urls) {
    if (urls.isEmpty() || !urls.first().isLocalFile()) {
        return false;
    }
    return openPath(urls.first().toLocalFile());
}

// --- what-if -------------------------------------------------------------------

void MainWindow::onWhatIfCall(Side side, UserCall call) {
    m_player.pause();
    Intervention iv;
    iv.kind = Intervention::Kind::Call;
    iv.side = side;
    iv.call = call;
    iv.position = m_player.position();
    if (call == UserCall::Send) {
        bool ok = false;
        const int bytes = QInputDialog::getInt(this, tr("What if: send data"),
                                               side == Side::Client ? tr("Bytes the client sends:")
                                                                    : tr("Bytes the server sends:"),
                                               1000, 1, 1'000'000, 100, &ok);
        if (!ok) {
            return;
        }
        iv.bytes = static_cast<std::uint32_t>(bytes);
    }
    QString error;
    if (!m_whatIf.intervene(iv, error)) {
        showError(tr("What if"), error);
    }
}

void MainWindow::onWhatIfFault(Side side, FaultKind kind) {
    m_player.pause();
    Intervention iv;
    iv.kind = Intervention::Kind::Fault;
    iv.side = side;
    iv.fault = kind;
    iv.position = m_player.position();
    QString error;
    if (!m_whatIf.intervene(iv, error)) {
        showError(tr("What if"), error);
    }
}

// --- quiz ----------------------------------------------------------------------

void MainWindow::setQuizEnabled(bool on) {
    m_quizEnabled = on;
    {
        const QSignalBlocker block(m_act.quiz);
        m_act.quiz->setChecked(on);
    }
    m_quiz.resetScore();
    m_quizAsking.reset();
    holdBackNarration(false);
    m_scoreLabel->setVisible(on);
    m_player.setBarrier(
        on ? std::function<bool(std::size_t)>([this](std::size_t i) { return m_quiz.isBarrier(i); })
           : std::function<bool(std::size_t)>());
    // Say what to do next where the student looks, not only in the status bar.
    m_quizPanel->showIntro();
    m_quizPanel->setScore(0, 0);
    if (on) {
        m_quizDock->show();
    } else {
        m_quizDock->hide();
    }
    updateStatus();
}

void MainWindow::holdBackNarration(bool hold) {
    m_narration->setPlaceholder(
        hold ? QStringLiteral("<p><i>%1</i></p>")
                   .arg(tr("Quiz: the explanation of this step is held back until you have "
                           "answered the question beside the diagram.")
                            .toHtmlEscaped())
             : QString());
}

void MainWindow::onBarrier(std::size_t eventIndex) {
    const QuizQuestion* q = m_quiz.questionBefore(eventIndex);
    if (q == nullptr) {
        return;
    }
    // The narration of the step on screen would tell the answer ("... and
    // answers with its own SYN"): hold it back until the student has answered.
    m_quizAsking = eventIndex;
    holdBackNarration(true);
    m_quizDock->show();
    m_quizPanel->ask(*q, m_settings.view);
}

std::optional<QuizQuestion> MainWindow::questionBeingAsked() const {
    if (!m_quizAsking) {
        return std::nullopt;
    }
    const QuizQuestion* q = m_quiz.questionBefore(*m_quizAsking);
    return q != nullptr ? std::optional<QuizQuestion>(*q) : std::nullopt;
}

void MainWindow::onQuizAnswered(State state, std::optional<std::uint8_t> flags) {
    const std::optional<QuizQuestion> question = questionBeingAsked();
    if (!question) {
        return;
    }
    const std::size_t eventIndex = *m_quizAsking;
    const QuizResult r = m_quiz.answer(eventIndex, state, flags, m_settings.view.language,
                                       m_settings.view.relativeNumbers);
    showQuizResult(eventIndex, *question, r);
}

void MainWindow::onQuizChoiceAnswered(QuizChoice choice) {
    const std::optional<QuizQuestion> question = questionBeingAsked();
    if (!question) {
        return;
    }
    const std::size_t eventIndex = *m_quizAsking;
    const QuizResult r = m_quiz.answerChoice(eventIndex, choice, m_settings.view.language,
                                             m_settings.view.relativeNumbers);
    showQuizResult(eventIndex, *question, r);
}

void MainWindow::showQuizResult(std::size_t eventIndex, const QuizQuestion& question,
                                const QuizResult& r) {
    m_quizAsking.reset();
    const QString who = question.side == Side::Client ? tr("client") : tr("server");
    const bool transition = question.kind == QuizKind::Transition;
    const QString verdict = r.correct        ? tr("Right!")
                            : !transition    ? tr("Not quite.")
                            : r.stateCorrect ? tr("Right state, wrong segment.")
                            : r.flagsCorrect ? tr("Right segment, wrong state.")
                                             : tr("Not quite.");
    const QString correct =
        !transition ? r.outcome
                    : tr("The %1 enters %2 and sends %3.")
                          .arg(who, stateLabel(question.correctState, m_settings.view),
                               question.correctFlags ? qs(flagsToString(*question.correctFlags))
                                                     : tr("nothing"));
    m_quizPanel->showResult(
        QStringLiteral("<p><b>%1</b></p><p>%2</p><p>%3</p>")
            .arg(verdict.toHtmlEscaped(), correct.toHtmlEscaped(), r.explanation.toHtmlEscaped()));
    m_quizPanel->setScore(m_quiz.correct(), m_quiz.asked());
    holdBackNarration(false);
    // Show the step the question was about (the transition and what it sent,
    // the segment, the receiver's reaction to the arrival), and no further: the student has not
    // seen what comes after it. A question due in between (the other side at the same instant) is
    // not skipped.
    std::size_t target = question.transition + 1;
    for (std::size_t i = eventIndex + 1; i < target; ++i) {
        if (m_quiz.isBarrier(i)) {
            target = i;
            break;
        }
    }
    m_player.seek(target);
    updateStatus();
}

// --- captures ------------------------------------------------------------------

void MainWindow::onCaptureConnectionSelected(std::optional<std::size_t> connection) {
    const bool lesson = connection && m_scenario && m_capture->isSimulation() &&
                        connection == m_capture->namedConnection() && m_whatIf.available();
    if (!connection) {
        showTrace(nullptr, 0);
        m_graph->setStateCounts(m_capture->stateCounts());
        updateCaptureNarration();
        return;
    }
    // The scenario's own client: the lesson's Trace, with its what-ifs. Any other
    // connection's Trace is ready: connectionSelected() comes after the worker read
    // its packets (connectionTrace never reads the file).
    const Trace* trace = lesson ? &m_whatIf.current() : m_capture->connectionTrace(*connection);
    if (m_capture->isSimulation() && trace != nullptr) {
        // One clock for the crowd: the new connection is shown where the playhead
        // was, at its last event by then.
        const std::int64_t timeUs = m_capture->overviewTimeUs();
        const auto& events = trace->events();
        const auto after =
            std::upper_bound(events.begin(), events.end(), timeUs,
                             [](std::int64_t t, const TraceEvent& e) { return t < e.timeUs; });
        showTrace(trace, static_cast<std::size_t>(after - events.begin()));
        m_capture->setOverviewTime(timeUs);
        return;
    }
    showTrace(trace, 0);
}

void MainWindow::showCaptureDock() {
    m_captureDock->show();
    m_countsDock->show();
    m_captureDock->raise(); // the table's tab in front
    // Two fifths of the window until the capture is read (fitCaptureDock).
    resizeDocks({m_captureDock}, {std::max(220, height() * 2 / 5)}, Qt::Vertical);
}

void MainWindow::fitCaptureDock() {
    if (!m_captureDock->isVisible() || presentationMode()) {
        return;
    }
    // The room the table needs: every row up to a dozen (a dozen rows at
    // 1920x1080), never more than two fifths of the window, so that the chart
    // (or the diagram) and the graph keep the larger part.
    const QTableView* table = m_capturePanel->table();
    // A simulation is a lesson first: a few rows, the ladder and narration keep the room.
    // On a 720-line screen three: the ladder's labels need the height.
    const std::size_t most = !m_capture->isSimulation() ? 12 : height() < 900 ? 3 : 4;
    const int rows = static_cast<int>(std::min<std::size_t>(m_capture->connectionCount(), most));
    const int chrome = m_capturePanel->height() - table->viewport()->height();
    const int rowHeight = table->verticalHeader()->defaultSectionSize();
    // Tabbed with the counts panel, the dock area also holds the tab bar, which the
    // dock's own size does not count.
    int tabBar = 0;
    for (const QTabBar* bar : findChildren<QTabBar*>(QString(), Qt::FindDirectChildrenOnly)) {
        for (int i = 0; i < bar->count(); ++i) {
            if (bar->isVisible() && bar->tabText(i) == m_captureDock->windowTitle()) {
                tabBar = bar->height();
            }
        }
    }
    const int need = chrome + tabBar + (rows + 1) * rowHeight;
    resizeDocks({m_captureDock}, {std::clamp(need, 160, std::max(220, height() * 2 / 5))},
                Qt::Vertical);
}

void MainWindow::updateStatesChart() {
    const bool overview = m_capture->hasDocument() && m_trace == nullptr;
    if (m_capture->hasDocument()) {
        const std::int64_t origin = m_capture->originNs();
        m_chart->setTimeline(m_capture->countsTimeline(), origin,
                             origin + m_capture->endTimeUs() * 1000);
        m_chart->setOrigin(origin);
        m_chart->setCursorTime(origin + m_capture->overviewTimeUs() * 1000);
        m_chart->setHighlight(m_capture->filterModel()->stateFilter());
        m_chart->setEmptyText(m_capture->countsFiltered()
                                  ? tr("No connection passes the table's address and anomaly "
                                       "filters.")
                                  : tr("No TCP connection in this capture."));
    } else {
        m_chart->setTimeline(nullptr, 0, 0);
    }
    m_diagramStack->setCurrentWidget(overview ? static_cast<QWidget*>(m_chart) : m_diagram);
    // A simulation: the chart stays in view under the connection's ladder, and the
    // graph shows the counts with the connection's two ends.
    const bool crowd = m_capture->isSimulation() && m_trace != nullptr;
    m_graph->setCountsWithTrace(m_capture->isSimulation());
    if (crowd) {
        const std::int64_t origin = m_capture->originNs();
        m_crowdChart->setTimeline(m_capture->countsTimeline(), origin,
                                  origin + m_capture->endTimeUs() * 1000);
        m_crowdChart->setOrigin(origin);
        m_crowdChart->setCursorTime(origin + m_capture->overviewTimeUs() * 1000);
        m_crowdChart->setHighlight(m_capture->filterModel()->stateFilter());
    } else {
        m_crowdChart->setTimeline(nullptr, 0, 0);
    }
    // In presentation mode the ladder keeps the height (the graph's heat map has
    // the counts); elsewhere the chart takes a quarter of the column at most, so
    // the ladder's labels keep their room at 1280x720.
    const bool chart = crowd && !presentationMode();
    const bool chartWasHidden = m_crowdChart->isHidden();
    m_crowdChart->setVisible(chart);
    if (chart && chartWasHidden) {
        const int h = m_diagramColumn->height();
        m_diagramColumn->setSizes({h - h / 4, h / 4});
    }
    updateCountsPanel();
    if (!presentationMode()) {
        // The overview has no packet to detail: the narration takes the width. So
        // does a crowd's lesson, told by the narration and the counts.
        m_details->setVisible(!overview && !crowd);
    }
}

void MainWindow::updateCaptureNarration() {
    const CaptureInfo* info = m_capture->captureInfo();
    // A simulation is narrated as the lesson it is.
    if (!m_capture->hasDocument() || info == nullptr || m_capture->isSimulation()) {
        m_narration->setDocumentText({});
        return;
    }
    const auto n = static_cast<int>(m_capture->connectionCount());
    const QString name = m_capture->isLive() ? m_titleLabel->text()
                         : m_documentPath == QLatin1String("-")
                             ? tr("standard input")
                             : QFileInfo(m_documentPath).fileName();
    QString html = QStringLiteral("<h3>%1</h3>").arg(name.toHtmlEscaped());
    html += QStringLiteral("<p>%1</p>")
                .arg(tr("%n connection(s) in %1 packets (%2 TCP), over %3.", nullptr, n)
                         .arg(info->packets)
                         .arg(info->tcpPackets)
                         .arg(formatDuration(m_capture->endTimeUs())));
    // The final states, as `ss -tan` on each host would list them at the last packet.
    if (const StateTimeline* all = m_capture->countsTimeline(); all != nullptr && n > 0) {
        const auto counts = all->sideCountsAt(all->endNs());
        QStringList sides;
        for (const Side side : {Side::Client, Side::Server}) {
            QStringList parts;
            for (const State st : kAllStates) {
                const auto c =
                    counts.at(static_cast<std::size_t>(side)).at(static_cast<std::size_t>(st));
                if (c > 0) {
                    parts << QStringLiteral("%1 %2").arg(stateLabel(st, m_settings.view)).arg(c);
                }
            }
            sides << (side == Side::Client ? tr("client ends: %1") : tr("server ends: %1"))
                         .arg(parts.join(QStringLiteral(", ")));
        }
        html += QStringLiteral("<p><b>%1</b> %2</p>")
                    .arg(tr("At the end:").toHtmlEscaped(),
                         sides.join(QStringLiteral("; ")).toHtmlEscaped());
    }
    int retransmitting = 0;
    qulonglong retransmissions = 0;
    int reset = 0;
    int midStream = 0;
    for (const ConnectionSummary& c : m_capture->document()->connections()) {
        const ConnectionStats& stats = c.tracker.stats();
        retransmitting += stats.retransmissions > 0 ? 1 : 0;
        retransmissions += stats.retransmissions;
        reset += stats.rst > 0 ? 1 : 0;
        midStream += c.tracker.midStream() ? 1 : 0;
    }
    QStringList odd;
    if (retransmitting > 0) {
        odd << tr("%n connection(s) with retransmissions", nullptr, retransmitting) +
                   QStringLiteral(" (%1)").arg(tr("%n retransmitted segment(s)", nullptr,
                                                  static_cast<int>(retransmissions)));
    }
    if (reset > 0) {
        odd << tr("%n reset by a RST", nullptr, reset);
    }
    if (midStream > 0) {
        odd << tr("%n already open when the capture began", nullptr, midStream);
    }
    html += QStringLiteral("<p><b>%1</b> %2</p>")
                .arg(tr("Anomalies:").toHtmlEscaped(),
                     odd.isEmpty() ? tr("none: no retransmission, reset or connection open "
                                        "before the capture.")
                                         .toHtmlEscaped()
                                   : odd.join(QStringLiteral("; ")).toHtmlEscaped());
    html += tr("<p><b>Heat map:</b> the state graph counts the endpoints of all %n "
               "connection(s) in each state at the time chosen below the table. Play the "
               "overview to watch them move; a pile-up in TIME-WAIT or CLOSE-WAIT stands out. "
               "Select a row to step through one connection.</p>",
               nullptr, n);
    html += QStringLiteral("<p>%1</p>")
                .arg(tr("The chart on the left shows the same counts over the whole capture: "
                        "click or drag on it to move the heat map's time, hover for the "
                        "numbers, click a state's band to list its connections.")
                         .toHtmlEscaped());
    m_narration->setDocumentText(html);
}

void MainWindow::onExportStatesChart() {
    if (!m_capture->hasDocument()) {
        return;
    }
    QString selected;
    const QString stem = m_documentPath.isEmpty() || m_documentPath == QLatin1String("-")
                             ? QStringLiteral("capture")
                             : QFileInfo(m_documentPath).completeBaseName();
    QString path = QFileDialog::getSaveFileName(
        this, tr("Export the states chart"), stem + QStringLiteral("-states.png"),
        tr("PNG image (*.png);;SVG image (*.svg);;CSV counts (*.csv)"), &selected);
    if (path.isEmpty()) {
        return;
    }
    if (QFileInfo(path).suffix().isEmpty()) {
        path += selected.contains(QLatin1String("svg"))   ? QStringLiteral(".svg")
                : selected.contains(QLatin1String("csv")) ? QStringLiteral(".csv")
                                                          : QStringLiteral(".png");
    }
    std::int64_t intervalNs = 1'000'000'000;
    if (QFileInfo(path).suffix().compare(QLatin1String("csv"), Qt::CaseInsensitive) == 0) {
        bool ok = false;
        const QString text = QInputDialog::getText(
            this, tr("Export the states chart"),
            tr("One row every (e.g. 1s, 250ms, 2min; as tcpviz-cli analyze --counts):"),
            QLineEdit::Normal, QStringLiteral("1s"), &ok);
        if (!ok) {
            return;
        }
        const auto parsed = parseCountsInterval(stdString(text.trimmed()));
        if (!parsed) {
            showError(
                tr("Export failed"),
                tr("'%1' is not an interval: write for example 1s, 250ms or 2min.").arg(text));
            return;
        }
        intervalNs = *parsed;
    }
    QString error;
    if (!exportStatesChart(path, intervalNs, error)) {
        showError(tr("Export failed"), error);
        return;
    }
    statusBar()->showMessage(tr("Exported %1").arg(QDir::toNativeSeparators(path)), 5000);
}

bool MainWindow::exportStatesChart(const QString& path, std::int64_t intervalNs, QString& error,
                                   QSize size) {
    const StateTimeline* timeline = m_capture->countsTimeline();
    if (timeline == nullptr) {
        error = tr("No capture is open.");
        return false;
    }
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix == QLatin1String("csv")) {
        std::ofstream out(stdString(path), std::ios::binary);
        const std::int64_t origin = m_capture->originNs();
        writeStateCountsCsv(out, *timeline, std::max<std::int64_t>(1, intervalNs), origin,
                            origin + m_capture->endTimeUs() * 1000);
        out.flush();
        if (!out) {
            error = tr("%1: cannot write").arg(path);
            return false;
        }
        return true;
    }
    if (suffix == QLatin1String("svg")) {
        QSvgGenerator svg;
        svg.setFileName(path);
        svg.setSize(size);
        svg.setViewBox(QRect(QPoint(0, 0), size));
        svg.setTitle(m_titleLabel->text());
        QPainter painter;
        if (!painter.begin(&svg)) {
            error = tr("%1: cannot write").arg(path);
            return false;
        }
        m_chart->render(painter, QSizeF(size));
        painter.end();
        return true;
    }
    if (suffix == QLatin1String("png")) {
        QImage image(size, QImage::Format_ARGB32_Premultiplied);
        QPainter painter(&image);
        m_chart->render(painter, QSizeF(size));
        painter.end();
        if (!image.save(path, "PNG")) {
            error = tr("%1: cannot write").arg(path);
            return false;
        }
        return true;
    }
    error = tr("%1: unknown format (use .png, .svg or .csv)").arg(path);
    return false;
}

void MainWindow::onCaptureOverviewTime(std::int64_t timeUs) {
    if (m_trace == nullptr || m_capture->isSimulation()) {
        m_graph->setStateCounts(m_capture->stateCounts());
    }
    if (m_crowdChart->isVisible()) {
        m_crowdChart->setCursorTime(m_capture->originNs() + timeUs * 1000);
    }
}

void MainWindow::syncCrowdToPlayhead() {
    if (!m_capture->isSimulation() || m_trace == nullptr) {
        return;
    }
    const std::size_t position = m_player.position();
    // Before the connection's first event the crowd's clock may stand anywhere
    // earlier: it stays unless it is past that event.
    const std::int64_t timeUs =
        position > 0       ? m_trace->event(position - 1).timeUs
        : m_trace->empty() ? 0
                           : std::min(m_capture->overviewTimeUs(), m_trace->event(0).timeUs);
    if (timeUs != m_capture->overviewTimeUs() || !m_graph->heatMap()) {
        m_capture->setOverviewTime(timeUs);
    }
}

void MainWindow::updateCountsPanel() {
    const StateTimeline* timeline = m_capture->countsTimeline();
    if (!m_capture->hasDocument() || timeline == nullptr) {
        m_countsPanel->clear();
        return;
    }
    const std::int64_t timeUs = m_capture->overviewTimeUs();
    const StateTimeline::SideCounts counts =
        timeline->sideCountsAt(m_capture->originNs() + timeUs * 1000);
    m_countsPanel->setCounts(counts[0], counts[1], timeUs, m_capture->isSimulation());
}

void MainWindow::setDocumentTitle(const QString& title) {
    m_titleLabel->setText(title);
    // The narration does not repeat it (a lesson's title is its trace's).
    m_narration->setTitleShownElsewhere(title);
}

void MainWindow::onStartLiveCapture() {
    m_player.pause();
    m_scenario.reset();
    m_whatIf.clear();
    showTrace(nullptr, 0);
    updateBranchBanner();
    CaptureController::LiveSettings live = m_capture->liveSettings();
    live.interface = m_settings.liveInterface;
    live.filter = m_settings.liveFilter;
    live.icmpErrors = m_settings.liveIcmpErrors;
    live.checkChecksums = m_settings.liveCheckChecksums;
    m_capture->setLiveSettings(live);
    const bool started = m_capture->startLiveInteractive(this);
    // What the dialog was given, remembered for the next session (unchanged when
    // it was cancelled).
    live = m_capture->liveSettings();
    m_settings.liveInterface = live.interface;
    m_settings.liveFilter = live.filter;
    m_settings.liveIcmpErrors = live.icmpErrors;
    m_settings.liveCheckChecksums = live.checkChecksums;
    saveSettings();
    if (started) {
        setDocumentTitle(tr("Live capture"));
        showCaptureDock();
    }
}

// --- a captured connection as a scenario, and compare mode -------------------

bool MainWindow::openConnectionAsScenario(std::size_t connection) {
    m_player.pause();
    QString error;
    if (!m_capture->replayConnection(connection, error)) {
        showError(
            tr("Open as scenario"),
            tr("Connection #%1 cannot be opened as a scenario: %2").arg(connection).arg(error));
        return false;
    }
    // Its packets (maybe from a large file) are read and simulated on the controller's
    // worker: the window stays responsive (replayingChanged: the status bar says so)
    // and goes on in openConnectionReplay().
    return true;
}

void MainWindow::openConnectionReplay(std::size_t connection,
                                      const CaptureController::ConnectionReplay& replay) {
    // A file, like every scenario the window opens: the lecturer can edit it
    // with any editor and open it again, or keep it (File > Save scenario as YAML).
    const QString path = replayScenarioPath(replay.fileName);
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) ||
        file.write(replay.text.toUtf8()) < 0) {
        showError(
            tr("Open as scenario"),
            tr("Cannot write %1: %2").arg(QDir::toNativeSeparators(path), file.errorString()));
        return;
    }
    file.close();
    // The capture is still the open document: the controller drops a replay whose
    // document was closed or replaced meanwhile.
    const QString capture = QFileInfo(m_documentPath).fileName();
    const QString capturePath = m_documentPath;
    if (!openScenario(path)) {
        return;
    }
    m_replay =
        ReplayDocument{path, capture, capturePath, connection, replay.exact, replay.difference};
    statusBar()->showMessage(
        replay.exact
            ? tr("Connection #%1 of %2 as a scenario (profile %3): its simulation reproduces "
                 "the capture.")
                  .arg(connection)
                  .arg(capture, replay.profile)
            : tr("Connection #%1 of %2 as a scenario (profile %3), not exact: %4")
                  .arg(connection)
                  .arg(capture, replay.profile, replay.difference),
        30000);
    updateActions();
}

bool MainWindow::backToCapture() {
    if (!isReplay() || m_replay->capturePath == QLatin1String("-") ||
        !QFileInfo::exists(m_replay->capturePath)) {
        return false;
    }
    const std::size_t connection = m_replay->connection;
    // The connection is selected once the analysis (on its thread) has finished.
    auto once = std::make_shared<QMetaObject::Connection>();
    *once =
        connect(m_capture, &CaptureController::analysisFinished, this, [this, once, connection] {
            disconnect(*once);
            // After the controller has adopted it (it shows the overview first).
            QTimer::singleShot(0, this,
                               [this, connection] { m_capture->selectConnection(connection); });
        });
    openPath(m_replay->capturePath);
    return true;
}

bool MainWindow::isReplay() const {
    return m_replay.has_value() && m_scenario.has_value() && m_documentPath == m_replay->path;
}

bool MainWindow::saveScenarioAs(const QString& path) {
    if (!m_scenario || !QFileInfo::exists(m_documentPath)) {
        return false;
    }
    if (QFileInfo(path).absoluteFilePath() == QFileInfo(m_documentPath).absoluteFilePath()) {
        return true;
    }
    QFile::remove(path);
    if (!QFile::copy(m_documentPath, path)) {
        showError(tr("Cannot save"), tr("Cannot write %1").arg(QDir::toNativeSeparators(path)));
        return false;
    }
    statusBar()->showMessage(tr("Saved %1").arg(QDir::toNativeSeparators(path)), 5000);
    return true;
}

void MainWindow::onSaveScenario() {
    QString path = QFileDialog::getSaveFileName(this, tr("Save scenario as YAML"),
                                                QFileInfo(m_documentPath).fileName(),
                                                tr("Scenarios (*.yaml *.yml)"));
    if (path.isEmpty()) {
        return;
    }
    if (QFileInfo(path).suffix().isEmpty()) {
        path += QStringLiteral(".yaml");
    }
    saveScenarioAs(path);
}

void MainWindow::setCompareMode(bool on) {
    const bool can = m_whatIf.inBranch() && m_trace == &m_whatIf.current();
    if (on && !can) {
        on = false;
        statusBar()->showMessage(tr("Compare needs a what-if branch: pause, then choose an "
                                    "action in the What if menu."),
                                 10000);
    }
    m_compareMode = on;
    {
        const QSignalBlocker block(m_act.compare);
        m_act.compare->setChecked(on);
    }
    // The ladder's pane in the splitter (the diagram, or what holds it).
    QWidget* ladder = m_diagram;
    while (ladder->parentWidget() != nullptr && ladder->parentWidget() != m_topSplitter) {
        ladder = ladder->parentWidget();
    }
    (ladder->parentWidget() == m_topSplitter ? ladder : m_diagram)->setVisible(!on);
    m_graph->setVisible(!on);
    m_compare->setVisible(on);
    if (on) {
        refreshCompare();
    } else {
        m_compare->clear();
    }
}

void MainWindow::syncCompare() {
    if (m_compare == nullptr || m_act.compare == nullptr) {
        return;
    }
    const bool can = m_whatIf.inBranch() && m_trace == &m_whatIf.current();
    m_act.compare->setEnabled(can);
    if (!m_compareMode) {
        return;
    }
    if (can) {
        refreshCompare();
    } else {
        setCompareMode(false);
    }
}

void MainWindow::refreshCompare() {
    QStringList what;
    for (const Intervention& iv : m_whatIf.interventions()) {
        what << describe(iv);
    }
    const QString branch = tr("What if %1?").arg(what.join(tr(", then ")));
    QString original;
    QString name;
    if (isReplay()) {
        const QString capture = m_replay->capture;
        const auto connection = static_cast<qulonglong>(m_replay->connection);
        if (m_replay->edited) {
            original = tr("Edited replay of %1, connection #%2").arg(capture).arg(connection);
        } else if (m_replay->exact) {
            original = tr("As captured: %1, connection #%2").arg(capture).arg(connection);
        } else {
            original = tr("Replay of %1, connection #%2 (not exact)").arg(capture).arg(connection);
        }
        name = m_replay->edited ? tr("the scenario") : tr("the capture");
    } else {
        original = tr("The scenario as written");
        name = tr("the scenario");
    }
    m_compare->setSettings(m_settings.view);
    m_compare->setTraces(&m_whatIf.original(), &m_whatIf.current(),
                         diffTraces(m_whatIf.original(), m_whatIf.current()), original, branch,
                         name);
    m_compare->setPosition(m_player.position());
}

QDialog* MainWindow::showScenarioText() {
    if (!m_scenario || !QFileInfo::exists(m_documentPath)) {
        return nullptr;
    }
    QFile file(m_documentPath);
    if (!file.open(QIODevice::ReadOnly)) {
        showError(tr("Scenario text"),
                  tr("Cannot read %1: %2")
                      .arg(QDir::toNativeSeparators(m_documentPath), file.errorString()));
        return nullptr;
    }
    const QString path = m_documentPath;
    auto* dialog = new QDialog(this);
    dialog->setObjectName(QStringLiteral("scenarioTextDialog"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowTitle(tr("Scenario text — %1").arg(QFileInfo(path).fileName()));
    auto* layout = new QVBoxLayout(dialog);
    auto* where = new QLabel(QDir::toNativeSeparators(path), dialog);
    where->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(where);
    auto* editor = new QPlainTextEdit(dialog);
    editor->setObjectName(QStringLiteral("scenarioTextEditor"));
    editor->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    editor->setLineWrapMode(QPlainTextEdit::NoWrap);
    editor->setPlainText(QString::fromUtf8(file.readAll()));
    layout->addWidget(editor, 1);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, dialog);
    QPushButton* reload = buttons->addButton(tr("Save and &reload"), QDialogButtonBox::ApplyRole);
    reload->setObjectName(QStringLiteral("saveAndReload"));
    QPushButton* saveAs = buttons->addButton(tr("Save &as…"), QDialogButtonBox::ActionRole);
    layout->addWidget(buttons);
    connect(buttons, &QDialogButtonBox::rejected, dialog, &QDialog::close);
    connect(reload, &QPushButton::clicked, dialog, [this, dialog, editor, path] {
        QFile out(path);
        if (!out.open(QIODevice::WriteOnly | QIODevice::Truncate) ||
            out.write(editor->toPlainText().toUtf8()) < 0) {
            showError(
                tr("Cannot save"),
                tr("Cannot write %1: %2").arg(QDir::toNativeSeparators(path), out.errorString()));
            return;
        }
        out.close();
        const bool replay = isReplay();
        auto kept = m_replay;
        // A parse error comes back with its line and column; the lesson on
        // screen stays until the text is right.
        if (openScenario(path) && replay && kept) {
            kept->edited = true;
            m_replay = kept;
        }
        dialog->raise();
    });
    connect(saveAs, &QPushButton::clicked, this, [this] { onSaveScenario(); });
    dialog->resize(static_cast<int>(fontMetrics().averageCharWidth() * 140),
                   fontMetrics().height() * 36);
    dialog->show();
    return dialog;
}

} // namespace tcpviz::gui
