// A captured connection in the window, as a lecturer shows it: the ladder with the
// capture point's lifeline, the status bar saying where the capture point is,
// the details giving each packet's capture time and estimated sending and
// arrival, in English and Chinese, at the two screen sizes of a lecture hall.
// TCPVIZ_SCREENSHOT_DIR keeps the windows for people to look at.
#include "capture_controller.h"
#include "connection_table_model.h"
#include "event_text.h"
#include "main_window.h"
#include "narration_view.h"
#include "segment_details_view.h"
#include "sequence_diagram_view.h"
#include "test_skip.h"

#include <QApplication>
#include <QFile>
#include <QLabel>
#include <QStatusBar>
#include <gtest/gtest.h>

using namespace tcpviz;
using tcpviz::gui::MainWindow;

namespace {

TEST(CaptureLatency, TheWindowShowsWhereTheCapturePointIs) {
    const QString file = QStringLiteral(TCPVIZ_CORPUS_DIR "/pcpp_three_http_streams.pcap");
    if (!QFile::exists(file)) {
        TCPVIZ_SKIP("corpus not available: " << file.toStdString());
    }
    for (const char* language : {"en", "zh_CN"}) {
        const bool zh = QLatin1String(language) == QLatin1String("zh_CN");
        for (const QSize size : {QSize(1280, 720), QSize(1920, 1080)}) {
            SCOPED_TRACE(std::string(language) + " " + std::to_string(size.width()));
            MainWindow w;
            w.setQuiet(true);
            w.setLanguage(QLatin1String(language));
            w.resize(size);
            w.show();
            ASSERT_TRUE(w.openPath(file));
            ASSERT_TRUE(w.captureController()->waitForAnalysis(30000))
                << w.lastError().toStdString();
            w.captureController()->selectConnection(0);
            const Trace* trace = w.currentTrace();
            ASSERT_NE(trace, nullptr);
            ASSERT_TRUE(trace->meta.fromCapture);
            const CaptureView& view = trace->meta.capture;
            ASSERT_EQ(view.basis, DelayBasis::Handshake) << "the sessions begin with a handshake";
            EXPECT_EQ(view.source, "pcpp_three_http_streams.pcap");
            // Half-way through, on the step that sends a segment.
            std::size_t at = trace->size() / 2;
            while (at < trace->size() && trace->event(at).kind != EventKind::Send) {
                ++at;
            }
            ASSERT_LT(at, trace->size());
            w.player()->seek(at + 1);
            QApplication::processEvents();

            // The status bar: the delays and their basis.
            const auto* status = w.findChild<QLabel*>(QStringLiteral("captureStatus"));
            ASSERT_NE(status, nullptr);
            EXPECT_TRUE(status->isVisible());
            const QString said = status->text();
            EXPECT_TRUE(said.contains(formatDuration(view.clientUs))) << said.toStdString();
            EXPECT_TRUE(said.contains(formatDuration(view.serverUs))) << said.toStdString();
            EXPECT_TRUE(
                said.contains(zh ? QString::fromUtf8("抓包点") : QStringLiteral("handshake")))
                << said.toStdString();

            // The details: capture time, estimated sending and arrival of that packet.
            const auto* details = qobject_cast<SegmentDetailsView*>(w.detailsView());
            ASSERT_NE(details, nullptr);
            const TraceEvent& send = trace->event(at);
            const QString captured = details->valueOf(zh ? QString::fromUtf8("抓包时刻")
                                                         : QStringLiteral("Captured at"));
            EXPECT_EQ(captured, formatDuration(send.capturedUs));
            EXPECT_EQ(details->valueOf(zh ? QString::fromUtf8("估计发送时刻")
                                          : QStringLiteral("Estimated sending")),
                      formatDuration(send.timeUs));
            EXPECT_EQ(details->valueOf(zh ? QString::fromUtf8("估计到达时刻")
                                          : QStringLiteral("Estimated arrival")),
                      formatDuration(send.plannedArrivalUs));
            EXPECT_LT(send.timeUs, send.capturedUs);
            EXPECT_LT(send.capturedUs, send.plannedArrivalUs);

            // The ladder: the capture line between the lifelines.
            const auto& renderer = w.diagramView()->renderer();
            ASSERT_TRUE(renderer.captureLineX().has_value());
            EXPECT_GT(*renderer.captureLineX(), renderer.lifelineX(Side::Client));
            EXPECT_LT(*renderer.captureLineX(), renderer.lifelineX(Side::Server));

            // The table names its new column.
            EXPECT_EQ(
                w.captureController()
                    ->tableModel()
                    ->headerData(gui::ConnectionTableModel::Seen, Qt::Horizontal, Qt::DisplayRole)
                    .toString(),
                zh ? QString::fromUtf8("抓包所见") : QStringLiteral("Captured"));

            if (const QString dir = qEnvironmentVariable("TCPVIZ_SCREENSHOT_DIR"); !dir.isEmpty()) {
                w.grab().save(dir + QStringLiteral("/capture_latency_%1_%2x%3.png")
                                        .arg(QLatin1String(language))
                                        .arg(size.width())
                                        .arg(size.height()));
            }
        }
    }
}

} // namespace

// HTTP responses captured without their requests: one direction, no handshake.
// Nothing to estimate a delay from (flat arrows, and the status bar says so), and
// the table and the narration say what the states rest on.
TEST(CaptureLatency, AOneWayCaptureSaysSoAndDrawsFlatArrows) {
    const QString file = QStringLiteral(TCPVIZ_CORPUS_DIR "/pcpp_650HttpResponses.pcap");
    if (!QFile::exists(file)) {
        TCPVIZ_SKIP("corpus not available: " << file.toStdString());
    }
    constexpr std::size_t kConnection = 109; // 14 packets, server -> client only
    for (const char* language : {"en", "zh_CN"}) {
        const bool zh = QLatin1String(language) == QLatin1String("zh_CN");
        SCOPED_TRACE(language);
        MainWindow w;
        w.setQuiet(true);
        w.setLanguage(QLatin1String(language));
        w.resize(1280, 720);
        w.show();
        ASSERT_TRUE(w.openPath(file));
        ASSERT_TRUE(w.captureController()->waitForAnalysis(30000)) << w.lastError().toStdString();
        w.captureController()->selectConnection(kConnection);
        const Trace* trace = w.currentTrace();
        ASSERT_NE(trace, nullptr);
        ASSERT_EQ(trace->meta.capture.basis, DelayBasis::None);
        ASSERT_FALSE(trace->meta.capture.sawSide(Side::Client));
        w.player()->seek(trace->size() / 2);
        QApplication::processEvents();

        const auto* table = w.captureController()->tableModel();
        const QString seen =
            table
                ->data(table->index(static_cast<int>(kConnection), gui::ConnectionTableModel::Seen),
                       Qt::DisplayRole)
                .toString();
        EXPECT_EQ(seen, zh ? QString::fromUtf8("未抓到开始, 只有服务器 → 客户端")
                           : QStringLiteral("start not captured, server \u2192 client only"));
        const QString narration = w.narrationView()->currentHtml();
        EXPECT_TRUE(narration.contains(zh ? QString::fromUtf8("只抓到了服务器发送的分组")
                                          : QStringLiteral("Only the server&#x27;s packets")) ||
                    narration.contains(QStringLiteral("Only the server's packets")))
            << narration.toStdString();
        const auto* status = w.findChild<QLabel*>(QStringLiteral("captureStatus"));
        ASSERT_NE(status, nullptr);
        EXPECT_TRUE(status->text().contains(zh ? QString::fromUtf8("无法估计时延")
                                               : QStringLiteral("No delay estimate")))
            << status->text().toStdString();
        for (const DrawnArrow& a : w.diagramView()->renderer().lastArrows()) {
            EXPECT_NEAR(a.line.y1(), a.line.y2(), 0.5) << "flat";
        }
        if (const QString dir = qEnvironmentVariable("TCPVIZ_SCREENSHOT_DIR"); !dir.isEmpty()) {
            w.grab().save(
                dir +
                QStringLiteral("/capture_one_way_%1_1280x720.png").arg(QLatin1String(language)));
        }
    }
}
