// Live capture in the window's controller: a real loopback connection appears
// in the table while capturing, Stop keeps it, and it can be saved as pcap.
#include "capture_controller.h"
#include "connection_table_model.h"
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

TEST(LiveCapture, AMissingInterfaceIsReportedNotCrashed) {
    CaptureController controller;
    QString error;
    EXPECT_FALSE(controller.startLive(QStringLiteral("no-such-if0"), QString(), error));
    EXPECT_FALSE(error.isEmpty());
    EXPECT_FALSE(controller.isLive());
}
