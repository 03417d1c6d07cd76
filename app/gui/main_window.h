#pragma once

#include "app_settings.h"
#include "capture_controller.h"
#include "player.h"
#include "quiz.h"
#include "scenario/scenario.h"
#include "trace/trace.h"
#include "what_if.h"

#include <QColor>
#include <QIcon>
#include <QMainWindow>
#include <QPointer>
#include <QUrl>
#include <memory>
#include <optional>

class QAction;
class QActionGroup;
class QComboBox;
class QDialog;
class QDockWidget;
class QLabel;
class QMenu;
class QPushButton;
class QSplitter;
class QStackedWidget;
class QTimer;
class QToolBar;
class QToolButton;
class QTreeWidget;

namespace tcpviz {
class TraceCompareView;
class SequenceDiagramView;
class StateGraphView;
class SegmentDetailsView;
class NarrationView;
class StatesChartView;
} // namespace tcpviz

namespace tcpviz::gui {

class CapturePanel;
class QuizPanel;
class HostSocketsPanel;
class StateCountsPanel;
class TimelineSlider;

/// The window: sequence diagram left, state graph right, segment details and
/// narration below, the player's controls in the tool bar.
///
/// It owns the document (a scenario with its what-if branches, or a capture
/// with its connections) and wires the Player to the views. Errors from the
/// model arrive here as values and are shown in a message box here, never
/// from deeper down.
class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    /// Opens a scenario (built-in id or file) or a capture (by extension or magic
    /// number). Returns false and shows the error (unless quiet) on bad input.
    bool openPath(const QString& idOrPath);
    [[nodiscard]] QString lastError() const { return m_lastError; }
    /// What a drop does: opens the first local file.
    bool openUrls(const QList<QUrl>& urls);
    /// Tests and --export run without message boxes.
    void setQuiet(bool quiet) { m_quiet = quiet; }

    void setLanguage(const QString& code);
    void setPresentationMode(bool on);
    /// Presentation mode's smallest text for a screen `height` pixels tall:
    /// 14 px at 720, 21 px at 1080 (what the back row of a lecture hall reads).
    [[nodiscard]] static double presentationMinTextPx(int height);
    /// Presentation mode: the packet-field tree (and a capture's table) shown again, or hidden.
    void setDetailsShown(bool shown);
    [[nodiscard]] QWidget* detailsView();
    [[nodiscard]] bool presentationMode() const { return m_settings.view.presentation; }
    void setViewSettings(const ViewSettings& view);
    /// Language and palette given on the command line are not saved as the user's choice.
    void setSessionOverrides(bool on);
    [[nodiscard]] const AppSettings& settings() const { return m_settings; }

    [[nodiscard]] Player* player() { return &m_player; }
    [[nodiscard]] WhatIfController* whatIf() { return &m_whatIf; }
    [[nodiscard]] Quiz& quiz() { return m_quiz; }
    [[nodiscard]] QuizPanel* quizPanel() { return m_quizPanel; }
    [[nodiscard]] HostSocketsPanel* hostSocketsPanel() { return m_hostPanel; }
    [[nodiscard]] QDockWidget* hostSocketsDock() { return m_hostDock; }
    /// Shows or hides the dock of this machine's own sockets (tcpviz --host).
    void showHostSockets(bool on);
    [[nodiscard]] QDockWidget* quizDock() { return m_quizDock; }
    [[nodiscard]] NarrationView* narrationView() { return m_narration; }
    [[nodiscard]] CaptureController* captureController() { return m_capture; }
    [[nodiscard]] SequenceDiagramView* diagramView() { return m_diagram; }
    [[nodiscard]] StateGraphView* stateGraphView() { return m_graph; }
    /// A capture's states over time, shown instead of the diagram while no
    /// connection is selected.
    [[nodiscard]] StatesChartView* statesChart() { return m_chart; }
    [[nodiscard]] CapturePanel* capturePanel() { return m_capturePanel; }
    /// Sockets per state at the playhead, as `ss -tan | awk` counts them.
    [[nodiscard]] StateCountsPanel* stateCountsPanel() { return m_countsPanel; }
    [[nodiscard]] QDockWidget* stateCountsDock() { return m_countsDock; }
    /// A simulation's states over time under its connection's ladder, the
    /// playhead's time as its cursor.
    [[nodiscard]] StatesChartView* crowdChart() { return m_crowdChart; }
    /// Writes the states chart of the open capture: PNG or SVG (by suffix) as on
    /// screen at `size`, or CSV (`tcpviz-cli analyze --counts` format) with a row
    /// every `intervalNs`. False with a message naming the file on failure.
    bool exportStatesChart(const QString& path, std::int64_t intervalNs, QString& error,
                           QSize size = {1600, 900});
    [[nodiscard]] const Trace* currentTrace() const { return m_trace; }
    [[nodiscard]] const std::optional<Scenario>& scenario() const { return m_scenario; }

    /// Capture > Open connection as scenario, and the connection table's context
    /// menu: the controller's worker makes the scenario that replays connection
    /// `connection` of the open capture (model/replay: the best-fitting profile)
    /// while the window goes on (the status bar says so, the action waits); then
    /// the window writes it to a file and opens it as a lesson, or shows why it
    /// cannot be made. False, with the error shown, when there is no such
    /// connection; true when the replay was started (it ends when the controller's
    /// replayingConnection() is empty again).
    bool openConnectionAsScenario(std::size_t connection);
    /// The open scenario is a captured connection replayed (openConnectionAsScenario).
    [[nodiscard]] bool isReplay() const;
    /// Capture > Back to the capture: opens the replay's capture again with its
    /// connection selected. False when there is none to go back to.
    bool backToCapture();
    /// Writes the open scenario's file (a replay's, or one opened from disk) to `path`.
    bool saveScenarioAs(const QString& path);
    /// File > Scenario text: the open scenario's file in an editor; "Save and
    /// reload" writes it back and opens it again (a parse error is shown with its
    /// line and column, and the lesson on screen stays). nullptr without a file.
    QDialog* showScenarioText();
    /// Compare mode: the original ladder (the capture, or the lesson as written)
    /// and the what-if branch side by side on one time axis, differences
    /// highlighted. Only while a branch is shown; leaving it brings the ladder back.
    void setCompareMode(bool on);
    [[nodiscard]] bool compareMode() const { return m_compareMode; }
    [[nodiscard]] TraceCompareView* compareView() { return m_compare; }

    /// Enables the quiz: playing stops before each transition to ask about it.
    void setQuizEnabled(bool on);

    /// The file name the export dialog proposes: the lesson id and the step
    /// ("lecture-step-7.svg"), or the lesson id alone for the whole exchange.
    [[nodiscard]] QString proposedExportName(bool wholeExchange) const;

protected:
    void changeEvent(QEvent* event) override;
    void showEvent(QShowEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void closeEvent(QCloseEvent* event) override;
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void createActions();
    void createMenus();
    void createToolBar();
    void createCentral();
    void createDocks();
    void retranslateUi();
    void rebuildScenarioMenus();
    void rebuildRecentMenu();
    void applyViewSettings();
    void applyPalette();
    void updatePlayerIcons();
    void saveSettings() const;

    bool openScenario(const QString& idOrPath);
    void openCapture(const QString& path);
    void showTrace(const Trace* trace, std::size_t position);
    void onFrame(std::size_t position, double fraction);
    void onPositionChanged(std::size_t position);
    void updateTimeline();
    void updateStatus();
    /// The status bar's word on a captured connection: where the capture point is,
    /// or that there is no estimate and the arrows are flat.
    void updateCaptureStatus();
    void updateBranchBanner();
    void updateActions();
    void showError(const QString& title, const QString& message);

    void onOpen();
    void onExportDiagram(bool wholeExchange);
    void onExportText(bool mermaid);
    void onSavePcap();
    void onWhatIfCall(Side side, UserCall call);
    void onWhatIfFault(Side side, FaultKind kind);
    void syncCompare();
    void refreshCompare();
    void onSaveScenario();
    void onBarrier(std::size_t eventIndex);
    void onQuizAnswered(State state, std::optional<std::uint8_t> flags);
    void onQuizChoiceAnswered(QuizChoice choice);
    /// The question the quiz dock is asking now, if any.
    [[nodiscard]] std::optional<QuizQuestion> questionBeingAsked() const;
    void showQuizResult(std::size_t eventIndex, const QuizQuestion& question, const QuizResult& r);
    void holdBackNarration(bool hold);
    void onCaptureConnectionSelected(std::optional<std::size_t> connection);
    /// The replay openConnectionAsScenario() started is ready: written and opened.
    void openConnectionReplay(std::size_t connection,
                              const CaptureController::ConnectionReplay& replay);
    void onCaptureOverviewTime(std::int64_t timeUs);
    /// A simulation of many connections: the heat map, the chart's cursor and the
    /// counts follow the playhead of the connection shown.
    void syncCrowdToPlayhead();
    void updateCountsPanel();
    /// The chart or the diagram, whichever the document calls for, and the chart's data.
    void updateStatesChart();
    void updateCaptureNarration();
    void onExportStatesChart();
    void onStartLiveCapture();
    /// The title above the diagram (the lesson's, the capture file's name).
    void setDocumentTitle(const QString& title);
    void showCaptureDock();
    /// The connections dock as tall as its table needs, once the capture is read.
    void fitCaptureDock();
    void showControlsForAWhile();

    AppSettings m_settings;
    /// A captured connection opened as a scenario: its file and where it came from.
    struct ReplayDocument {
        QString path;        ///< the scenario file written
        QString capture;     ///< the capture's file name
        QString capturePath; ///< and where it is, to go back to it ("-": cannot)
        std::size_t connection = 0;
        bool exact = false;
        QString difference;
        bool edited = false; ///< changed in the scenario text editor since
    };
    std::optional<ReplayDocument> m_replay;
    bool m_compareMode = false;
    TraceCompareView* m_compare = nullptr;
    QToolButton* m_bannerCompare = nullptr;
    Player m_player;
    WhatIfController m_whatIf;
    Quiz m_quiz;
    bool m_quizEnabled = false;
    std::optional<std::size_t> m_quizAsking; ///< event index the open question stands before

    // The document.
    std::optional<Scenario> m_scenario;
    const Trace* m_trace = nullptr; ///< what the views show (owned by m_whatIf or m_capture)
    QString m_documentPath;
    QString m_lastError;
    bool m_quiet = false;
    bool m_sessionOverrides = false;
    QList<int> m_normalSplitterSizes;
    QList<int> m_normalTopSizes;
    bool m_captureDockWasShown = false;
    bool m_shownOnce = false; ///< showEvent has fitted the connections dock once

    // Views.
    SequenceDiagramView* m_diagram = nullptr;
    StatesChartView* m_chart = nullptr;
    QStackedWidget* m_diagramStack = nullptr; ///< the diagram, or a capture's states chart
    StatesChartView* m_crowdChart = nullptr;  ///< under a simulated connection's ladder
    QSplitter* m_diagramColumn = nullptr;     ///< m_diagramStack over m_crowdChart
    StateGraphView* m_graph = nullptr;
    SegmentDetailsView* m_details = nullptr;
    NarrationView* m_narration = nullptr;
    QSplitter* m_mainSplitter = nullptr;
    QSplitter* m_topSplitter = nullptr;
    QSplitter* m_bottomSplitter = nullptr;
    QWidget* m_banner = nullptr;
    QLabel* m_bannerText = nullptr;
    QPushButton* m_bannerBack = nullptr;
    QLabel* m_titleLabel = nullptr;

    // Capture.
    CaptureController* m_capture = nullptr;
    CapturePanel* m_capturePanel = nullptr;
    QDockWidget* m_captureDock = nullptr;
    QDockWidget* m_libraryDock = nullptr;
    QTreeWidget* m_libraryTree = nullptr;
    QDockWidget* m_quizDock = nullptr;
    QuizPanel* m_quizPanel = nullptr;
    QDockWidget* m_hostDock = nullptr;
    HostSocketsPanel* m_hostPanel = nullptr;
    QDockWidget* m_countsDock = nullptr;
    StateCountsPanel* m_countsPanel = nullptr;

    // Controls.
    QToolBar* m_toolBar = nullptr;
    TimelineSlider* m_timeline = nullptr;
    QComboBox* m_speedBox = nullptr;
    QLabel* m_positionLabel = nullptr;
    QLabel* m_scoreLabel = nullptr;
    QLabel* m_captureLabel = nullptr;
    QToolButton* m_scenarioButton = nullptr;
    QTimer* m_hideControlsTimer = nullptr;

    QMenu* m_fileMenu = nullptr;
    QMenu* m_recentMenu = nullptr;
    QMenu* m_editMenu = nullptr;
    QMenu* m_viewMenu = nullptr;
    QMenu* m_stateNamesMenu = nullptr;
    QMenu* m_axisMenu = nullptr;
    QMenu* m_languageMenu = nullptr;
    QMenu* m_playMenu = nullptr;
    QMenu* m_scenarioMenu = nullptr;
    QMenu* m_whatIfMenu = nullptr;
    QMenu* m_whatIfClientMenu = nullptr;
    QMenu* m_whatIfServerMenu = nullptr;
    QMenu* m_whatIfNetworkMenu = nullptr;
    QMenu* m_captureMenu = nullptr;
    QMenu* m_helpMenu = nullptr;

    struct Actions {
        QAction* open = nullptr;
        QAction* savePcap = nullptr;
        QAction* exportWhole = nullptr;
        QAction* exportStep = nullptr;
        QAction* exportMermaid = nullptr;
        QAction* exportPlantUml = nullptr;
        QAction* exportChart = nullptr;
        QAction* quit = nullptr;
        QAction* undo = nullptr;
        QAction* redo = nullptr;
        QAction* relative = nullptr;
        QAction* rfcNames = nullptr;
        QAction* linuxNames = nullptr;
        QAction* bothNames = nullptr; ///< RFC name with the ss name: ESTABLISHED (ESTAB)
        QAction* english = nullptr;
        QAction* chinese = nullptr;
        QAction* dark = nullptr;
        QAction* axisAutomatic = nullptr; ///< the sequence diagram's vertical axis
        QAction* axisTime = nullptr;
        QAction* axisSteps = nullptr;
        QAction* showFuture = nullptr; ///< the rest of the exchange, faint, ahead of the playhead
        QAction* presentation = nullptr;
        QAction* leavePresentation = nullptr;
        QAction* showDetails = nullptr;
        QAction* showLibrary = nullptr;
        QAction* play = nullptr;
        QAction* stepBack = nullptr;
        QAction* stepForward = nullptr;
        QAction* toStart = nullptr;
        QAction* toEnd = nullptr;
        QAction* faster = nullptr;
        QAction* slower = nullptr;
        QAction* quiz = nullptr;
        QAction* backToScenario = nullptr;
        QAction* captureStart = nullptr;
        QAction* captureStop = nullptr;
        QAction* hostSockets = nullptr;
        QAction* about = nullptr;
        QAction* zoomIn = nullptr;
        QAction* zoomOut = nullptr;
        QAction* zoomFit = nullptr;
        QAction* helpKeys = nullptr;
        QAction* helpGuide = nullptr;
        QAction* helpLegend = nullptr;
        QAction* openAsScenario = nullptr; ///< the selected connection as a scenario
        QAction* backToCapture = nullptr;  ///< from a replayed connection to its capture
        QAction* saveScenario = nullptr;
        QAction* scenarioText = nullptr;
        QAction* compare = nullptr; ///< compare mode (checkable)
        // What-if: [side][call] and [side][fault].
        std::array<std::array<QAction*, 4>, 2> calls{};
        std::array<std::array<QAction*, 3>, 2> faults{};
    } m_act;
    /// The player's icons in the palette's text colour, made once per colour: a new
    /// QIcon on every updateActions() (every ladder opened) got its pixmaps scaled
    /// and cached anew by Qt (keys are per icon), ~14 KiB per ladder.
    struct PlayerIcons {
        QColor color;
        QIcon play;
        QIcon pause;
    };
    std::optional<PlayerIcons> m_playerIcons;
};

} // namespace tcpviz::gui
