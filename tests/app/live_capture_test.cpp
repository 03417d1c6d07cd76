// Live capture in the window's controller: a real loopback connection appears
// in the table while capturing, Stop keeps it, and it can be saved as pcap.
#include "capture_controller.h"
#include "connection_table_model.h"
#include "loopback_listener.h"
#include "raw_inject.h"
#include "test_skip.h"

#include <QFileInfo>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace tcpviz;
using tcpviz::gui::CaptureController;

namespace {

/// Opens, uses and closes one TCP connection on 127.0.0.1; returns the server port.
int loopbackConnection() {
    const int listener = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    if (::bind(listener, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
        ::listen(listener, 1) != 0) {
        ::close(listener);
        return -1;
    }
    socklen_t len = sizeof addr;
    ::getsockname(listener, reinterpret_cast<sockaddr*>(&addr), &len);
    const int client = ::socket(AF_INET, SOCK_STREAM, 0);
    if (::connect(client, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
        ::close(client);
        ::close(listener);
        return -1;
    }
    const int server = ::accept(listener, nullptr, nullptr);
    const char hello[] = "hello";
    (void)::write(client, hello, sizeof hello);
    char buf[16];
    (void)::read(server, buf, sizeof buf);
    ::close(client);
    ::close(server);
    ::close(listener);
    return ntohs(addr.sin_port);
}

} // namespace

TEST(LiveCapture, ConnectionsAppearWhileCapturingAndStopKeepsThem) {
    if (::geteuid() != 0) {
        TCPVIZ_SKIP("live capture needs CAP_NET_RAW (CI runs as root)");
    }
    CaptureController controller;
    QString error;
    ASSERT_TRUE(controller.startLive(QStringLiteral("lo"), QStringLiteral("tcp"), error))
        << error.toStdString();
    EXPECT_TRUE(controller.isLive());
    QTest::qWait(300); // the capture is running before the connection starts
    const int port = loopbackConnection();
    ASSERT_GT(port, 0);
    const QString serverEnd = QStringLiteral(":%1").arg(port);
    // The table fills at the refresh rate, without stopping.
    bool seen = false;
    for (int i = 0; i < 50 && !seen; ++i) {
        QTest::qWait(100);
        for (const auto& row : controller.tableModel()->allRows()) {
            seen = seen || row.serverText().endsWith(serverEnd);
        }
    }
    EXPECT_TRUE(seen) << "the connection shows up while capturing";
    controller.stopLive();
    EXPECT_FALSE(controller.isLive());
    const auto rows = controller.tableModel()->allRows();
    const auto it = std::find_if(rows.begin(), rows.end(),
                                 [&](const auto& r) { return r.serverText().endsWith(serverEnd); });
    ASSERT_NE(it, rows.end());
    EXPECT_EQ(it->finalClient, State::TimeWait) << "the client closed first";
    const Trace* trace = controller.connectionTrace(it->id);
    ASSERT_NE(trace, nullptr);
    EXPECT_GE(trace->segmentsSentBefore(trace->size()), 7U) << "handshake, data, ack, close";
    ASSERT_TRUE(controller.canSave());
    QTemporaryDir dir;
    const QString out = dir.filePath(QStringLiteral("live.pcap"));
    ASSERT_TRUE(controller.savePcap(out, error)) << error.toStdString();
    EXPECT_GT(QFileInfo(out).size(), 24 + 7 * 40);
}

namespace {

/// The table's row whose server end is on `port`, waited for at the refresh rate
/// until `done` holds for it (at most 5 s); nullopt when it never does.
template <typename Done>
std::optional<tcpviz::gui::ConnectionRow> waitForRow(const CaptureController& controller,
                                                     std::uint16_t port, Done done) {
    const QString serverEnd = QStringLiteral(":%1").arg(port);
    for (int i = 0; i < 50; ++i) {
        QTest::qWait(100);
        for (const auto& row : controller.tableModel()->allRows()) {
            if (row.serverText().endsWith(serverEnd) && done(row)) {
                return row;
            }
        }
    }
    return std::nullopt;
}

} // namespace

// The window's default filter is "tcp": without the filter extended, the ICMP
// error would never reach the table's ICMP column.
TEST(LiveCapture, AnIcmpErrorAboutAConnectionShowsInItsRowWithTheDefaultFilter) {
    if (::geteuid() != 0) {
        TCPVIZ_SKIP("live capture and raw sockets need root (CAP_NET_RAW); CI runs as root");
    }
    CaptureController controller;
    EXPECT_TRUE(controller.liveSettings().icmpErrors) << "on by default";
    QString error;
    ASSERT_TRUE(controller.startLive(QStringLiteral("lo"), QStringLiteral("tcp"), error))
        << error.toStdString();
    QTest::qWait(300); // the capture is running before the connection starts
    const tcpviz::test::LoopbackListener l;
    const int client = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons(l.port);
    ASSERT_EQ(::connect(client, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    const int server = ::accept(l.fd, nullptr, nullptr);
    ASSERT_GE(server, 0);
    sockaddr_in mine{};
    socklen_t len = sizeof mine;
    ::getsockname(client, reinterpret_cast<sockaddr*>(&mine), &len);
    const auto established = waitForRow(
        controller, l.port, [](const auto& row) { return row.finalClient == State::Established; });
    ASSERT_TRUE(established) << "the connection shows up while capturing";
    EXPECT_EQ(established->icmpErrors, 0U);
    ASSERT_TRUE(tcpviz::test::sendIcmpErrorAbout(ntohs(mine.sin_port), l.port, 1));
    const auto counted =
        waitForRow(controller, l.port, [](const auto& row) { return row.icmpErrors > 0; });
    ::close(client);
    ::close(server);
    controller.stopLive();
    ASSERT_TRUE(counted) << "the ICMP column counts the error while capturing";
    EXPECT_EQ(counted->icmpErrors, 1U);
    EXPECT_EQ(counted->id, established->id) << "no connection of its own";
}

namespace {

/// A live capture of three crafted RSTs to `l` (right, wrong, right checksum) with
/// these settings; the row they make.
std::optional<tcpviz::gui::ConnectionRow> craftedRsts(const CaptureController::LiveSettings& s,
                                                      const tcpviz::test::LoopbackListener& l) {
    CaptureController controller;
    controller.setLiveSettings(s);
    QString error;
    const QString filter = QStringLiteral("tcp port %1").arg(l.port);
    EXPECT_TRUE(controller.startLive(QStringLiteral("lo"), filter, error)) << error.toStdString();
    QTest::qWait(300);
    tcpviz::test::CraftedTcp t;
    t.srcPort = static_cast<std::uint16_t>(l.port == 65535 ? 1024 : l.port + 1);
    t.dstPort = l.port;
    for (const std::uint32_t seq : {1000U, 2000U, 3000U}) {
        t.seq = seq;
        t.badChecksum = seq == 2000;
        EXPECT_TRUE(tcpviz::test::sendRawIpv4(tcpviz::test::ipv4Tcp(t)));
    }
    // Three packets, followed or (the wrong one, when validated) noted in the history.
    const auto row = waitForRow(controller, l.port, [&s](const auto& r) {
        return r.packets + (s.checkChecksums ? 1U : 0U) >= 3;
    });
    controller.stopLive();
    return row;
}

} // namespace

TEST(LiveCapture, TheChecksumSettingMarksACraftedWrongChecksumInTheHistoryOnlyWhenOn) {
    if (::geteuid() != 0) {
        TCPVIZ_SKIP("live capture and raw sockets need root (CAP_NET_RAW); CI runs as root");
    }
    const tcpviz::test::LoopbackListener l; // a listener ignores the RSTs
    CaptureController::LiveSettings settings;
    EXPECT_FALSE(settings.checkChecksums) << "off by default: loopback checksums are partial";
    const auto off = craftedRsts(settings, l);
    ASSERT_TRUE(off);
    EXPECT_EQ(off->packets, 3U) << "all three followed";
    EXPECT_EQ(
        QString::fromStdString(off->history).indexOf(QLatin1Char('c'), 0, Qt::CaseInsensitive), -1)
        << off->history;
    settings.checkChecksums = true;
    const auto on = craftedRsts(settings, l);
    ASSERT_TRUE(on);
    EXPECT_EQ(on->packets, 2U) << "the wrong one is not followed";
    EXPECT_NE(QString::fromStdString(on->history).indexOf(QLatin1Char('c'), 0, Qt::CaseInsensitive),
              -1)
        << on->history;
}

TEST(LiveCapture, AMissingInterfaceIsReportedNotCrashed) {
    CaptureController controller;
    QString error;
    EXPECT_FALSE(controller.startLive(QStringLiteral("no-such-if0"), QString(), error));
    EXPECT_FALSE(error.isEmpty());
    EXPECT_FALSE(controller.isLive());
}
