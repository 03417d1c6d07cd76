// The capture workspace around the states-over-time chart, in the real window
// (offscreen): the chart stands where the diagram is while no connection is
// selected, its cursor is the heat map's time, its bands and the state graph
// filter the table, the table's filter is what the chart and the heat map
// count, the narration describes the capture and the chart exports as the CLI
// writes its counts.
#include "capture/capture_document.h"
#include "capture/synth.h"
#include "capture/trace_pcap.h"
#include "capture_controller.h"
#include "capture_panel.h"
#include "connection_table_model.h"
#include "main_window.h"
#include "narration_view.h"
#include "scenario/library.h"
#include "sim/simulator.h"
#include "state_graph_view.h"
#include "states_chart_view.h"
#include "test_skip.h"

#include <QApplication>
#include <QComboBox>
#include <QFile>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QProcess>
#include <QSlider>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <gtest/gtest.h>

using namespace tcpviz;
using tcpviz::gui::CaptureController;
using tcpviz::gui::ConnectionTableModel;
using tcpviz::gui::MainWindow;
using tcpviz::gui::StateFilterMode;

namespace {

const QString kManyConnections = QStringLiteral(TCPVIZ_CORPUS_DIR "/pcpp_650HttpResponses.pcap");

/// A synthetic capture of `n` connections, the server closing first: every client
/// passes through CLOSE-WAIT and LAST-ACK and ends CLOSED, every server ends in TIME-WAIT.
QString writeServerCloses(const QTemporaryDir& dir, std::uint32_t n) {
    SynthOptions o;
    o.connections = n;
    o.close = SynthClose::Server;
    o.connectionIntervalNs = 3'000'000; // 3 ms apart: they overlap, but not all at once
    const QString path = dir.filePath(QStringLiteral("server-closes.pcap"));
    const auto written = writeSynthCapture(o, path.toStdString());
    EXPECT_TRUE(written.has_value());
    return path;
}

/// The window with a capture open, shown at `size`.
bool openShown(MainWindow& w, const QString& file, QSize size = {1280, 720}) {
    w.setQuiet(true);
    w.resize(size);
    w.show();
    if (!w.openPath(file) || !w.captureController()->waitForAnalysis(30000)) {
        return false;
    }
    QApplication::processEvents();
    return true;
}

std::size_t total(const gui::StateCounts& c) {
    std::size_t n = 0;
    for (const auto x : c) {
        n += x;
    }
    return n;
}

void screenshot(MainWindow& w, const QString& name) {
    if (const QString dir = qEnvironmentVariable("TCPVIZ_SCREENSHOT_DIR"); !dir.isEmpty()) {
        QApplication::processEvents();
        w.grab().save(dir + QLatin1Char('/') + name + QStringLiteral(".png"));
    }
}

/// The centre of the first band of some state (not LISTEN) at least 6 px tall,
/// searching the columns from the middle outwards.
std::optional<std::pair<QPoint, std::size_t>> findBand(const StatesChartLayout& l, int half) {
    const int mid = l.columns() / 2;
    for (int d = 0; d < l.columns(); ++d) {
        for (const int c : {mid + d, mid - d}) {
            if (c < 0 || c >= l.columns()) {
                continue;
            }
            for (std::size_t k = 1; k < StatesChartLayout::kStacked.size(); ++k) {
                const double top = l.yOf(half, l.stackTop(half, c, k));
                const double bottom = l.yOf(half, l.stackTop(half, c, k) - l.count(half, c, k));
                if (bottom - top >= 6) {
                    return std::pair{QPoint(static_cast<int>(l.columnX(c)),
                                            static_cast<int>((top + bottom) / 2)),
                                     k};
                }
            }
        }
    }
    return std::nullopt;
}

} // namespace

TEST(StatesChart, StandsInForTheDiagramWhileNoConnectionIsSelected) {
    if (!QFile::exists(kManyConnections)) {
        TCPVIZ_SKIP("corpus not available: " << kManyConnections.toStdString());
    }
    MainWindow w;
    ASSERT_TRUE(openShown(w, kManyConnections)) << w.lastError().toStdString();
    StatesChartView* chart = w.statesChart();
    ASSERT_NE(chart, nullptr);
    EXPECT_TRUE(chart->isVisible()) << "the overview shows the chart, not two empty lifelines";
    const StatesChartLayout& l = chart->chartLayout();
    EXPECT_EQ(l.halves(), 2) << "client ends and server ends apart by default";
    // Every column's stack is what the timeline counts at that column's time.
    const StateTimeline* t = w.captureController()->countsTimeline();
    ASSERT_NE(t, nullptr);
    for (const int c : {0, l.columns() / 3, l.columns() - 1}) {
        const auto counts = t->sideCountsAt(l.columnTimeNs(c));
        for (int h = 0; h < 2; ++h) {
            std::uint32_t open = 0;
            for (const State s : StatesChartLayout::kStacked) {
                open += counts.at(static_cast<std::size_t>(h)).at(static_cast<std::size_t>(s));
            }
            EXPECT_EQ(l.stackTop(h, c, StatesChartLayout::kStacked.size() - 1), open)
                << "column " << c << " half " << h;
        }
    }
    screenshot(w, QStringLiteral("states_chart_1280_en"));
    // Selecting a connection brings the diagram back; the overview button the chart.
    w.captureController()->selectConnection(3);
    EXPECT_FALSE(chart->isVisible());
    EXPECT_TRUE(reinterpret_cast<QWidget*>(w.diagramView())->isVisible());
    w.captureController()->selectConnection(std::nullopt);
    EXPECT_TRUE(chart->isVisible());
}

TEST(StatesChart, PressingAndDraggingMovesTheHeatMapTime) {
    if (!QFile::exists(kManyConnections)) {
        TCPVIZ_SKIP("corpus not available: " << kManyConnections.toStdString());
    }
    MainWindow w;
    ASSERT_TRUE(openShown(w, kManyConnections)) << w.lastError().toStdString();
    CaptureController* c = w.captureController();
    StatesChartView* chart = w.statesChart();
    const StatesChartLayout& l = chart->chartLayout();
    EXPECT_EQ(c->overviewTimeUs(), c->endTimeUs()) << "a capture opens at its end";
    const QRectF plot = l.plotRect(1);
    const QPoint quarter(static_cast<int>(plot.left() + plot.width() / 4),
                         static_cast<int>(plot.top() + 2));
    QTest::mousePress(chart, Qt::LeftButton, {}, quarter);
    const std::int64_t expected = (l.timeAtX(quarter.x()) - c->originNs()) / 1000;
    EXPECT_EQ(c->overviewTimeUs(), expected);
    EXPECT_LT(c->overviewTimeUs(), c->endTimeUs() / 2);
    // The heat map shows the counts at that time.
    EXPECT_EQ(c->stateCounts(), c->stateCountsAt(expected));
    EXPECT_TRUE(w.stateGraphView()->heatMap());
    // Dragging to three quarters follows.
    const QPoint threeQuarters(static_cast<int>(plot.left() + plot.width() * 3 / 4), quarter.y());
    QMouseEvent move(QEvent::MouseMove, QPointF(threeQuarters),
                     chart->mapToGlobal(QPointF(threeQuarters)), Qt::NoButton, Qt::LeftButton,
                     Qt::NoModifier);
    QApplication::sendEvent(chart, &move);
    QTest::mouseRelease(chart, Qt::LeftButton, {}, threeQuarters);
    EXPECT_EQ(c->overviewTimeUs(), (l.timeAtX(threeQuarters.x()) - c->originNs()) / 1000);
    EXPECT_GT(c->overviewTimeUs(), c->endTimeUs() / 2);
    EXPECT_EQ(chart->cursorTime(), l.timeAtX(threeQuarters.x()));
    // The slider under the table follows the chart.
    auto* slider = w.capturePanel()->findChild<QSlider*>();
    ASSERT_NE(slider, nullptr);
    EXPECT_NEAR(slider->value(), 750, 10);
    // The hover tooltip says the counts at that time, as ss would.
    const QString tip = chart->toolTipAt(QPointF(threeQuarters));
    EXPECT_TRUE(tip.contains(QStringLiteral("ss -tan"))) << tip.toStdString();
    // The counts it lists are the timeline's at that time.
    const auto counts = c->countsTimeline()->sideCountsAt(l.timeAtX(threeQuarters.x()));
    const auto established = static_cast<std::size_t>(State::Established);
    EXPECT_TRUE(tip.contains(QStringLiteral("<td align=right>%1</td><td align=right>%2</td>")
                                 .arg(counts[0].at(established))
                                 .arg(counts[1].at(established))))
        << tip.toStdString();
    if (const QString dir = qEnvironmentVariable("TCPVIZ_SCREENSHOT_DIR"); !dir.isEmpty()) {
        QLabel shown(tip);
        shown.setTextFormat(Qt::RichText);
        shown.adjustSize();
        shown.grab().save(dir + QStringLiteral("/states_chart_tooltip_en.png"));
    }
}

TEST(StatesChart, ClickingABandListsTheConnectionsInThatStateThen) {
    QTemporaryDir dir;
    const QString file = writeServerCloses(dir, 40);
    MainWindow w;
    ASSERT_TRUE(openShown(w, file)) << w.lastError().toStdString();
    CaptureController* c = w.captureController();
    StatesChartView* chart = w.statesChart();
    const StatesChartLayout& l = chart->chartLayout();
    const auto band = findBand(l, 0);
    ASSERT_TRUE(band.has_value()) << "some client state is tall enough to click";
    const State state = StatesChartLayout::kStacked.at(band->second);
    QTest::mouseClick(chart, Qt::LeftButton, {}, band->first);
    auto* filter = c->filterModel();
    ASSERT_EQ(filter->stateFilter(), state);
    EXPECT_EQ(filter->stateFilterMode(), StateFilterMode::AtTime);
    // As many connections as endpoints in that state at that time (each connection
    // has one client; a server end in the same state adds at most as many).
    const auto at = c->countsTimeline()->sideCountsAt(c->originNs() + c->overviewTimeUs() * 1000);
    const auto clients = at[0].at(static_cast<std::size_t>(state));
    const auto servers = at[1].at(static_cast<std::size_t>(state));
    EXPECT_GT(clients, 0U);
    EXPECT_GE(static_cast<std::uint32_t>(filter->rowCount()), std::max(clients, servers));
    EXPECT_LE(static_cast<std::uint32_t>(filter->rowCount()), clients + servers);
    EXPECT_LT(filter->rowCount(), c->tableModel()->rowCount());
    // The combo boxes say so.
    EXPECT_EQ(w.capturePanel()->stateFilterBox()->currentData().toInt(), static_cast<int>(state));
    EXPECT_EQ(w.capturePanel()->stateModeBox()->currentData().toInt(),
              static_cast<int>(StateFilterMode::AtTime));

    // A state clicked on the heat map filters the same way.
    filter->setStateFilter(std::nullopt);
    ASSERT_TRUE(w.stateGraphView()->heatMap());
    const QRectF node = w.stateGraphView()->nodeRect(State::TimeWait);
    QTest::mouseClick(w.stateGraphView(), Qt::LeftButton, {}, node.center().toPoint());
    EXPECT_EQ(filter->stateFilter(), State::TimeWait);
    EXPECT_EQ(filter->stateFilterMode(), StateFilterMode::AtTime);
}

TEST(StatesChart, TheTablesFilterIsWhatTheChartAndTheHeatMapCount) {
    if (!QFile::exists(kManyConnections)) {
        TCPVIZ_SKIP("corpus not available: " << kManyConnections.toStdString());
    }
    MainWindow w;
    ASSERT_TRUE(openShown(w, kManyConnections)) << w.lastError().toStdString();
    CaptureController* c = w.captureController();
    const auto rows = c->tableModel()->allRows();
    ASSERT_GT(rows.size(), 10U);
    const std::int64_t end = c->endTimeUs();
    EXPECT_EQ(total(c->stateCountsAt(end)), 2 * rows.size());
    // Filter by one client address:port: only its connection is counted.
    const QString client = rows[5].clientText();
    std::size_t matching = 0;
    for (const auto& r : rows) {
        matching += r.clientText().contains(client) || r.serverText().contains(client) ? 1 : 0;
    }
    w.capturePanel()->filterText()->setText(client);
    QApplication::processEvents();
    EXPECT_EQ(c->filterModel()->rowCount(), static_cast<int>(matching));
    EXPECT_TRUE(c->countsFiltered());
    EXPECT_EQ(total(c->stateCountsAt(end)), 2 * matching) << "the heat map counts the filtered";
    const StatesChartLayout& l = w.statesChart()->chartLayout();
    std::uint32_t most = 0;
    for (int col = 0; col < l.columns(); ++col) {
        most = std::max(most, l.stackTop(0, col, StatesChartLayout::kStacked.size() - 1));
    }
    EXPECT_EQ(most, 1U) << "one client end at most, however many the whole capture has";
    screenshot(w, QStringLiteral("states_chart_filtered_en"));
    // Cleared: everything counts again.
    w.capturePanel()->filterText()->clear();
    QApplication::processEvents();
    EXPECT_FALSE(c->countsFiltered());
    EXPECT_EQ(total(c->stateCountsAt(end)), 2 * rows.size());
}

TEST(StatesChart, StateFilterReadsFinalEverOrAtTheCursorAndSaysWhyItIsEmpty) {
    QTemporaryDir dir;
    const QString file = writeServerCloses(dir, 30);
    MainWindow w;
    ASSERT_TRUE(openShown(w, file)) << w.lastError().toStdString();
    CaptureController* c = w.captureController();
    auto* filter = c->filterModel();
    auto* panel = w.capturePanel();
    const int all = c->tableModel()->rowCount();
    ASSERT_EQ(all, 30);
    // Every client passed through CLOSE-WAIT; none ended there.
    panel->filterByState(State::CloseWait, static_cast<int>(StateFilterMode::Final));
    EXPECT_EQ(filter->rowCount(), 0);
    ASSERT_TRUE(panel->emptyReasonLabel()->isVisible()) << "an empty table says why";
    const QString why = panel->emptyReasonLabel()->text();
    EXPECT_TRUE(why.contains(QStringLiteral("CLOSE-WAIT"))) << why.toStdString();
    EXPECT_TRUE(why.contains(QStringLiteral("30 passed through it"))) << why.toStdString();
    screenshot(w, QStringLiteral("states_chart_empty_reason_en"));
    panel->filterByState(State::CloseWait, static_cast<int>(StateFilterMode::Ever));
    EXPECT_EQ(filter->rowCount(), all);
    EXPECT_FALSE(panel->emptyReasonLabel()->isVisible());
    // At the cursor: exactly the connections whose client was in CLOSE-WAIT then.
    Result<CaptureDocument> doc = CaptureDocument::open(file.toStdString(), {});
    ASSERT_TRUE(doc.has_value());
    const auto& conns = doc->connections();
    std::int64_t when = -1;
    int expected = 0;
    for (std::int64_t us = 0; us <= c->endTimeUs() && when < 0; us += 100) {
        int n = 0;
        for (const auto& conn : conns) {
            n +=
                conn.stateAt(Side::Client, doc->originNs() + us * 1000) == State::CloseWait ? 1 : 0;
        }
        if (n > 0 && n < all) {
            when = us;
            expected = n;
        }
    }
    ASSERT_GE(when, 0) << "some time with some clients in CLOSE-WAIT";
    c->setOverviewTime(when);
    panel->filterByState(State::CloseWait, static_cast<int>(StateFilterMode::AtTime));
    EXPECT_EQ(filter->rowCount(), expected);
    // At the end nobody is in CLOSE-WAIT: the table says why.
    c->setOverviewTime(c->endTimeUs());
    EXPECT_EQ(filter->rowCount(), 0);
    EXPECT_TRUE(panel->emptyReasonLabel()->isVisible());
    EXPECT_TRUE(panel->emptyReasonLabel()->text().contains(QStringLiteral("at other times")))
        << panel->emptyReasonLabel()->text().toStdString();
    // Final state TIME-WAIT: every server.
    panel->filterByState(State::TimeWait, static_cast<int>(StateFilterMode::Final));
    EXPECT_EQ(filter->rowCount(), all);
    // An address that matches nothing says so.
    panel->filterText()->setText(QStringLiteral("203.0.113.99"));
    QApplication::processEvents();
    EXPECT_EQ(filter->rowCount(), 0);
    EXPECT_TRUE(panel->emptyReasonLabel()->text().contains(QStringLiteral("203.0.113.99")));
}

TEST(StatesChart, NarrationDescribesTheOpenCaptureInEnglishAndChinese) {
    QTemporaryDir dir;
    const QString file = writeServerCloses(dir, 12);
    MainWindow w;
    w.setLanguage(QStringLiteral("en"));
    ASSERT_TRUE(openShown(w, file)) << w.lastError().toStdString();
    const QString html = w.narrationView()->currentHtml();
    EXPECT_FALSE(html.contains(QStringLiteral("Open a scenario"))) << html.toStdString();
    EXPECT_TRUE(html.contains(QStringLiteral("server-closes.pcap"))) << html.toStdString();
    const CaptureInfo* info = w.captureController()->captureInfo();
    ASSERT_NE(info, nullptr);
    EXPECT_TRUE(html.contains(QStringLiteral("12 connections in %1 packets").arg(info->packets)))
        << html.toStdString();
    // The final states: every server end in TIME-WAIT, every client end CLOSED.
    EXPECT_TRUE(html.contains(QStringLiteral("server ends: TIME-WAIT 12"))) << html.toStdString();
    EXPECT_TRUE(html.contains(QStringLiteral("client ends: CLOSED 12"))) << html.toStdString();
    EXPECT_TRUE(html.contains(QStringLiteral("Anomalies:")));
    w.setLanguage(QStringLiteral("zh_CN"));
    QApplication::processEvents();
    const QString zh = w.narrationView()->currentHtml();
    EXPECT_TRUE(zh.contains(QString::fromUtf8("12 个连接"))) << zh.toStdString();
    EXPECT_TRUE(zh.contains(QString::fromUtf8("服务器端：TIME-WAIT 12"))) << zh.toStdString();
    screenshot(w, QStringLiteral("states_chart_1280_zh"));
    w.setLanguage(QStringLiteral("en"));
}

TEST(StatesChart, TheTableHasRoomForADozenRowsAt1920x1080) {
    if (!QFile::exists(kManyConnections)) {
        TCPVIZ_SKIP("corpus not available: " << kManyConnections.toStdString());
    }
    MainWindow w;
    ASSERT_TRUE(openShown(w, kManyConnections, {1920, 1080})) << w.lastError().toStdString();
    QTableView* table = w.capturePanel()->table();
    const int rows = table->viewport()->height() / table->verticalHeader()->defaultSectionSize();
    EXPECT_GE(rows, 12) << "table viewport " << table->viewport()->height() << " px";
    EXPECT_GE(w.statesChart()->height(), 300) << "and the chart keeps room too";
    screenshot(w, QStringLiteral("states_chart_1920_en"));
    w.setLanguage(QStringLiteral("zh_CN"));
    screenshot(w, QStringLiteral("states_chart_1920_zh"));
    w.setLanguage(QStringLiteral("en"));
}

TEST(StatesChart, AnomaliesColumnNamesThePacketsItCounts) {
    for (const char* id : {"lost-data", "rst-in-established"}) {
        const auto lesson = findBuiltinScenario(id);
        ASSERT_TRUE(lesson.has_value()) << id;
        const Trace simulated = simulate(*lesson);
        // One frame per Send event, in order: the packet numbers of the
        // retransmissions and RSTs are known from the simulation.
        std::vector<std::uint64_t> retransmitted;
        std::vector<std::uint64_t> resets;
        std::uint64_t number = 0;
        for (const TraceEvent& e : simulated.events()) {
            if (e.kind != EventKind::Send) {
                continue;
            }
            ++number;
            if (e.retransmission) {
                retransmitted.push_back(number);
            }
            if (e.segment.has(flag::RST)) {
                resets.push_back(number);
            }
        }
        QTemporaryDir dir;
        const QString pcap = dir.filePath(QStringLiteral("lesson.pcap"));
        ASSERT_TRUE(writeTracePcap(simulated, pcap.toStdString()));
        MainWindow w;
        ASSERT_TRUE(openShown(w, pcap)) << w.lastError().toStdString();
        auto* model = w.captureController()->tableModel();
        ASSERT_EQ(model->rowCount(), 1);
        const auto row = model->row(0);
        EXPECT_EQ(row.retransmissionPackets, retransmitted) << id;
        EXPECT_EQ(row.rstPackets, resets) << id;
        const QString text =
            model->data(model->index(0, ConnectionTableModel::Anomalies), Qt::DisplayRole)
                .toString();
        const QString tip =
            model->data(model->index(0, ConnectionTableModel::Anomalies), Qt::ToolTipRole)
                .toString();
        for (const auto n : retransmitted.empty() ? resets : retransmitted) {
            EXPECT_TRUE(text.contains(QStringLiteral("#%1").arg(n))) << text.toStdString();
            EXPECT_TRUE(tip.contains(QStringLiteral("#%1").arg(n))) << tip.toStdString();
        }
        EXPECT_FALSE(retransmitted.empty() && resets.empty()) << id << ": nothing to name";
    }
}

TEST(StatesChart, CsvFromTheWindowIsTheClisCounts) {
    for (const QString& file :
         {kManyConnections, QStringLiteral(TCPVIZ_CORPUS_DIR "/zeek_http-methods.pcap")}) {
        if (!QFile::exists(file)) {
            TCPVIZ_SKIP("corpus not available: " << file.toStdString());
        }
        MainWindow w;
        ASSERT_TRUE(openShown(w, file)) << w.lastError().toStdString();
        QTemporaryDir dir;
        const QString csv = dir.filePath(QStringLiteral("counts.csv"));
        QString error;
        ASSERT_TRUE(w.exportStatesChart(csv, 250'000'000, error)) << error.toStdString();
        QFile exported(csv);
        ASSERT_TRUE(exported.open(QIODevice::ReadOnly));
        const QByteArray fromWindow = exported.readAll();
        QProcess cli;
        cli.start(
            QStringLiteral(TCPVIZ_CLI_BINARY),
            {QStringLiteral("analyze"), file, QStringLiteral("--counts"), QStringLiteral("250ms")});
        ASSERT_TRUE(cli.waitForFinished(60000));
        ASSERT_EQ(cli.exitCode(), 0) << cli.readAllStandardError().toStdString();
        const QByteArray fromCli = cli.readAllStandardOutput();
        EXPECT_GT(fromCli.count('\n'), 3);
        EXPECT_EQ(fromWindow, fromCli) << file.toStdString();
        // PNG and SVG of the chart as shown.
        const QString png = dir.filePath(QStringLiteral("chart.png"));
        const QString svg = dir.filePath(QStringLiteral("chart.svg"));
        ASSERT_TRUE(w.exportStatesChart(png, 0, error, {1280, 720})) << error.toStdString();
        ASSERT_TRUE(w.exportStatesChart(svg, 0, error)) << error.toStdString();
        EXPECT_EQ(QImage(png).size(), QSize(1280, 720));
        QFile svgFile(svg);
        ASSERT_TRUE(svgFile.open(QIODevice::ReadOnly));
        const QByteArray svgText = svgFile.readAll();
        EXPECT_TRUE(svgText.contains("ESTABLISHED")) << "the legend is text in the SVG";
        EXPECT_FALSE(w.exportStatesChart(dir.filePath(QStringLiteral("x.gif")), 0, error));
        EXPECT_TRUE(error.contains(QStringLiteral("x.gif")));
    }
}
