// Live capture in the window evicts finished connections as `tcpviz-cli capture`
// does: crafted packets fed to the controller (no interface needed), then the
// table's rows, the view's selection and the open ladder are checked as older
// connections are evicted.
#include "capture/packet.h"
#include "capture/wire.h"
#include "capture_controller.h"
#include "capture_panel.h"
#include "connection_table_model.h"

#include <QLabel>
#include <QSignalSpy>
#include <QTableView>
#include <fstream>
#include <gtest/gtest.h>

using namespace tcpviz;
using tcpviz::gui::CaptureController;
using tcpviz::gui::ConnectionRow;

namespace {

constexpr std::uint16_t kFirstPort = 43000;

/// The packets of one connection on client port `port`; `close` adds the
/// four-segment close (client first) so that it finishes.
std::vector<DecodedPacket> connection(Wire& w, std::uint16_t port, bool open, bool close) {
    const std::size_t before = w.packets().size();
    w.m_client.port = port;
    if (open) {
        handshakeAndData(w);
    }
    if (close) {
        w.send(Side::Client, "FIN,ACK", 105, 305);
        w.send(Side::Server, "ACK", 305, 106);
        w.send(Side::Server, "FIN,ACK", 305, 106);
        w.send(Side::Client, "ACK", 106, 306);
    }
    return {w.packets().begin() + static_cast<std::ptrdiff_t>(before), w.packets().end()};
}

std::size_t idAtCurrent(const QTableView& view, CaptureController& c) {
    const QModelIndex source = c.filterModel()->mapToSource(view.currentIndex());
    EXPECT_TRUE(source.isValid());
    return c.tableModel()->idAt(static_cast<std::size_t>(source.row()));
}

std::uint16_t clientPort(const ConnectionRow& r) {
    return static_cast<std::uint16_t>(r.clientText().section(QLatin1Char(':'), -1).toUInt());
}

} // namespace

TEST(LiveEviction, RowsKeepTheirConnectionAndTheSelectionSurvivesEvictions) {
    CaptureController c;
    c.setLiveSettings({/*retainFinished=*/4, /*keepFrameBytes=*/0});
    c.startLiveDocument(QStringLiteral("feed"));
    // Before the first packet the heat map counts nothing (it once threw here,
    // which ended the window's Capture > Start at once).
    for (const auto n : c.stateCounts()) {
        EXPECT_EQ(n, 0U);
    }
    QTableView view;
    view.setModel(c.filterModel());
    Wire w;
    // Connections 0..3 finish (as many as are retained); 4 stays open (it will
    // hold eviction back at the front of the table until it finishes).
    std::vector<DecodedPacket> batch;
    for (std::uint16_t i = 0; i < 4; ++i) {
        const auto p = connection(w, kFirstPort + i, true, true);
        batch.insert(batch.end(), p.begin(), p.end());
    }
    const auto open4 = connection(w, kFirstPort + 4, true, false);
    batch.insert(batch.end(), open4.begin(), open4.end());
    c.addLivePackets(batch);
    ASSERT_EQ(c.tableModel()->rowCount(), 5);
    EXPECT_EQ(c.evictedCount(), 0U);

    // The user selects connection 4 in the table and its ladder opens.
    const auto row4 = c.tableModel()->rowOf(4);
    ASSERT_TRUE(row4);
    view.setCurrentIndex(c.filterModel()->mapFromSource(c.tableModel()->index(*row4, 0)));
    c.selectConnection(4);
    const Trace* ladder = c.connectionTrace(4);
    ASSERT_NE(ladder, nullptr);

    // Six more connections finish: 0..3 go (oldest first), 4 stops the eviction.
    batch.clear();
    for (std::uint16_t i = 5; i < 11; ++i) {
        const auto p = connection(w, kFirstPort + i, true, true);
        batch.insert(batch.end(), p.begin(), p.end());
    }
    QSignalSpy removed(c.tableModel(), &QAbstractItemModel::rowsRemoved);
    QSignalSpy reset(c.tableModel(), &QAbstractItemModel::modelReset);
    c.addLivePackets(batch);
    EXPECT_EQ(c.evictedCount(), 4U);
    EXPECT_EQ(removed.count(), 1) << "evicted rows leave, the model is not reset";
    EXPECT_EQ(reset.count(), 0);
    const auto rows = c.tableModel()->allRows();
    ASSERT_EQ(rows.size(), 7U); // ids 4..10
    for (std::size_t i = 0; i < rows.size(); ++i) {
        EXPECT_EQ(rows[i].id, 4 + i);
        EXPECT_EQ(clientPort(rows[i]), kFirstPort + 4 + i) << "row " << i;
    }
    EXPECT_EQ(c.connectionCount() + c.evictedCount(), 11U);
    // The view's current row still shows connection 4, and it is still selected.
    EXPECT_EQ(idAtCurrent(view, c), 4U);
    EXPECT_EQ(c.selectedConnection(), std::optional<std::size_t>(4));
    EXPECT_FALSE(c.selectedEvicted());
    EXPECT_EQ(c.connectionTrace(0), nullptr) << "an evicted, unselected connection is gone";

    // Connection 4 finishes and, with more behind it, is evicted itself: its
    // ladder stays (a Trace with its close), the controller says so once.
    QSignalSpy evicted(&c, &CaptureController::selectedConnectionEvicted);
    QSignalSpy updated(&c, &CaptureController::connectionUpdated);
    batch = connection(w, kFirstPort + 4, false, true);
    for (std::uint16_t i = 11; i < 14; ++i) {
        const auto p = connection(w, kFirstPort + i, true, true);
        batch.insert(batch.end(), p.begin(), p.end());
    }
    c.addLivePackets(batch);
    EXPECT_TRUE(c.selectedEvicted());
    ASSERT_EQ(evicted.count(), 1);
    EXPECT_EQ(evicted.front().front().value<std::size_t>(), 4U);
    ASSERT_EQ(updated.count(), 1) << "the ladder is told to take the rebuilt Trace";
    const Trace* frozen = c.connectionTrace(4);
    ASSERT_NE(frozen, nullptr);
    std::size_t sends = 0;
    for (const auto& e : frozen->events()) {
        sends += e.kind == EventKind::Send ? 1 : 0;
    }
    EXPECT_EQ(sends, 10U) << "the evicted connection's Trace holds all its packets";
    EXPECT_FALSE(c.tableModel()->rowOf(4).has_value());
    EXPECT_GT(c.tableModel()->idAt(0), 4U);

    // More packets later do not signal again, and the pinned Trace stays.
    batch = connection(w, kFirstPort + 20, true, true);
    c.addLivePackets(batch);
    EXPECT_EQ(evicted.count(), 1);
    EXPECT_NE(c.connectionTrace(4), nullptr);
    // Choosing another connection lets the frozen one go.
    c.selectConnection(
        c.tableModel()->idAt(static_cast<std::size_t>(c.tableModel()->rowCount()) - 1));
    c.selectConnection(std::nullopt);
    EXPECT_EQ(c.connectionTrace(4), nullptr);
}

TEST(LiveEviction, ThePanelSaysHowManyWereEvicted) {
    CaptureController c;
    c.setLiveSettings({/*retainFinished=*/2, /*keepFrameBytes=*/0});
    tcpviz::gui::CapturePanel panel(&c);
    c.startLiveDocument(QStringLiteral("feed"));
    Wire w;
    std::vector<DecodedPacket> batch;
    for (std::uint16_t i = 0; i < 9; ++i) {
        const auto p = connection(w, kFirstPort + i, true, true);
        batch.insert(batch.end(), p.begin(), p.end());
    }
    c.addLivePackets(batch);
    ASSERT_GT(c.evictedCount(), 0U);
    const QString expected = QStringLiteral("%1 finished ones evicted").arg(c.evictedCount());
    bool found = false;
    for (const QLabel* label : panel.findChildren<QLabel*>()) {
        found = found || label->text().contains(expected);
    }
    EXPECT_TRUE(found) << "a label names the " << c.evictedCount() << " evicted connections";
    // Without a retention limit nothing is evicted.
    CaptureController all;
    all.setLiveSettings({/*retainFinished=*/0, /*keepFrameBytes=*/0});
    all.startLiveDocument(QStringLiteral("feed"));
    all.addLivePackets(w.packets());
    EXPECT_EQ(all.evictedCount(), 0U);
    EXPECT_EQ(all.connectionCount(), 9U);
}

namespace {
long rssKiB() {
    std::ifstream in("/proc/self/status");
    std::string key;
    while (in >> key) {
        if (key == "VmRSS:") {
            long kib = 0;
            in >> kib;
            return kib;
        }
        std::getline(in, key);
    }
    return -1;
}
} // namespace

// Without an interface or root: 60,000 crafted connections through the window's
// live path (document, eviction, table rows, counts). What it holds is bounded by
// the retention limit, so memory after the first 20,000 must stay flat.
TEST(LiveEviction, MemoryStaysFlatOverManyConnections) {
    CaptureController c;
    c.setLiveSettings({/*retainFinished=*/1000, /*keepFrameBytes=*/0});
    c.startLiveDocument(QStringLiteral("feed"));
    QTableView view;
    view.setModel(c.filterModel());
    long atWarmUp = 0;
    constexpr int kBatches = 260;
    constexpr int kPerBatch = 1000;
    for (int b = 0; b < kBatches; ++b) {
        Wire w;
        w.m_client.ip.bytes[1] = static_cast<std::uint8_t>(b);
        for (int i = 0; i < kPerBatch; ++i) {
            (void)connection(w, static_cast<std::uint16_t>(10000 + i), true, true);
        }
        c.addLivePackets(w.packets());
        // A ladder opened on the newest connection now and then, as a user would.
        c.selectConnection(
            c.tableModel()->idAt(static_cast<std::size_t>(c.tableModel()->rowCount()) - 1));
        EXPECT_NE(c.connectionTrace(c.tableModel()->idAt(
                      static_cast<std::size_t>(c.tableModel()->rowCount()) - 1)),
                  nullptr);
        if (b == 19) {
            atWarmUp = rssKiB();
        }
    }
    const long atEnd = rssKiB();
    EXPECT_EQ(c.connectionCount() + c.evictedCount(), std::uint64_t{kBatches * kPerBatch});
    EXPECT_LE(c.connectionCount(), 1001U);
    const double perConnection =
        static_cast<double>(atEnd - atWarmUp) * 1024 / ((kBatches - 20) * kPerBatch);
    std::printf("live eviction: rss %ld -> %ld KiB over %d connections: %.1f bytes each\n",
                atWarmUp, atEnd, (kBatches - 20) * kPerBatch, perConnection);
    EXPECT_LT(perConnection, 16) << "the window's live path keeps something per connection";
}
