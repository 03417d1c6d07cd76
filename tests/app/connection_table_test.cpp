#include "connection_table_model.h"

#include <QStringList>
#include <gtest/gtest.h>

using namespace tcpviz;
using tcpviz::gui::ConnectionFilterModel;
using tcpviz::gui::ConnectionRow;
using tcpviz::gui::ConnectionTableModel;

namespace {

ConnectionRow row(std::size_t id, const char* client, const char* server, State c, State s,
                  std::uint32_t retrans = 0, std::uint32_t rst = 0, bool mid = false) {
    ConnectionRow r;
    r.id = id;
    r.client = tcpviz::parseSocketAddress(client).value();
    r.server = tcpviz::parseSocketAddress(server).value();
    r.finalClient = c;
    r.finalServer = s;
    r.retransmissions = retrans;
    r.rst = rst;
    r.midStream = mid;
    r.packets = 10 * (id + 1);
    r.firstUs = static_cast<std::int64_t>(1000 * (5 - id));
    return r;
}

} // namespace

TEST(ConnectionTable, FiltersByAddressPortStateAndAnomalies) {
    ConnectionTableModel model;
    model.setRows({row(0, "10.0.0.1:5000", "10.0.0.9:80", State::TimeWait, State::Closed),
                   row(1, "10.0.0.2:5001", "10.0.0.9:443", State::Established, State::CloseWait, 2),
                   row(2, "10.0.0.3:5002", "10.0.0.9:80", State::Closed, State::Closed, 0, 1),
                   row(3, "10.0.0.4:5003", "10.0.0.8:22", State::Established, State::Established, 0,
                       0, true)});
    ConnectionFilterModel filter;
    filter.setSourceModel(&model);
    EXPECT_EQ(filter.rowCount(), 4);
    filter.setAddressFilter(QStringLiteral(":80"));
    EXPECT_EQ(filter.rowCount(), 2);
    filter.setAddressFilter(QStringLiteral("10.0.0.2"));
    EXPECT_EQ(filter.rowCount(), 1);
    filter.setAddressFilter({});
    filter.setStateFilter(State::CloseWait);
    ASSERT_EQ(filter.rowCount(), 1);
    EXPECT_EQ(filter.data(filter.index(0, ConnectionTableModel::Client)).toString(),
              QStringLiteral("10.0.0.2:5001"));
    filter.setStateFilter(std::nullopt);
    filter.setAnomaliesOnly(true);
    EXPECT_EQ(filter.rowCount(), 3) << "retransmissions, RST and mid-stream are anomalies";
    const QString text = ConnectionTableModel::anomalyText(model.row(3)) +
                         ConnectionTableModel::anomalyText(model.row(2));
    EXPECT_TRUE(text.contains(QStringLiteral("mid-stream")));
    EXPECT_TRUE(text.contains(QStringLiteral("RST")));
}

TEST(ConnectionTable, AddressAndHistoryColumnsAreMadeFromTheRowAndSortAsText) {
    // The row keeps addresses and the history, not texts: data() formats them, and
    // the columns sort as the texts they show (10.0.0.10 before 10.0.0.9, [::1] last).
    ConnectionTableModel model;
    std::vector<ConnectionRow> rows{
        row(0, "10.0.0.9:5000", "[2001:db8::1]:80", State::Closed, State::Closed),
        row(1, "10.0.0.10:5001", "10.0.0.1:443", State::Closed, State::Closed),
        row(2, "[::1]:5002", "10.0.0.1:80", State::Closed, State::Closed)};
    rows[0].history = "ShADadFf";
    rows[1].history = "S";
    rows[2].history = "ShR";
    model.setRows(rows);
    EXPECT_EQ(model.data(model.index(0, ConnectionTableModel::Server), Qt::DisplayRole).toString(),
              QStringLiteral("[2001:db8::1]:80"));
    EXPECT_EQ(model.data(model.index(0, ConnectionTableModel::History), Qt::DisplayRole).toString(),
              QStringLiteral("ShADadFf"));
    ConnectionFilterModel filter;
    filter.setSourceModel(&model);
    const auto column = [&filter](int c) {
        QStringList out;
        for (int r = 0; r < filter.rowCount(); ++r) {
            out << filter.data(filter.index(r, c)).toString();
        }
        return out.join(QLatin1Char(' '));
    };
    filter.sort(ConnectionTableModel::Client, Qt::AscendingOrder);
    EXPECT_EQ(column(ConnectionTableModel::Client),
              QStringLiteral("10.0.0.10:5001 10.0.0.9:5000 [::1]:5002"));
    filter.sort(ConnectionTableModel::Server, Qt::DescendingOrder);
    EXPECT_EQ(column(ConnectionTableModel::Server),
              QStringLiteral("[2001:db8::1]:80 10.0.0.1:80 10.0.0.1:443"));
    filter.sort(ConnectionTableModel::History, Qt::AscendingOrder);
    EXPECT_EQ(column(ConnectionTableModel::History), QStringLiteral("S ShADadFf ShR"));
    // Id: descending compares, ascending is the source's own order (no comparison).
    filter.sort(ConnectionTableModel::Id, Qt::DescendingOrder);
    EXPECT_EQ(column(ConnectionTableModel::Id), QStringLiteral("2 1 0"));
    filter.sort(ConnectionTableModel::Id, Qt::AscendingOrder);
    EXPECT_EQ(column(ConnectionTableModel::Id), QStringLiteral("0 1 2"));
    EXPECT_FALSE(model.index(3, 0).isValid());
    EXPECT_FALSE(model.index(0, ConnectionTableModel::ColumnCount).isValid());
    EXPECT_EQ(model.index(2, ConnectionTableModel::Client).data().toString(),
              QStringLiteral("[::1]:5002"));
    filter.setAddressFilter(QStringLiteral("db8"));
    EXPECT_EQ(filter.rowCount(), 1);
}

TEST(ConnectionTable, SortsNumbersAsNumbersAndKeepsRowsOnLiveUpdates) {
    std::vector<ConnectionRow> made;
    for (std::size_t i = 0; i < 12; ++i) {
        made.push_back(row(i, "10.0.0.1:1", "10.0.0.2:2", State::Established, State::Established));
    }
    // A source that changes in place, as the live document does.
    auto source = std::make_shared<tcpviz::gui::HeldConnectionRows>(made);
    auto& rows = source->rows();
    ConnectionTableModel model;
    model.setSource(source);
    ConnectionFilterModel filter;
    filter.setSourceModel(&model);
    filter.sort(ConnectionTableModel::Packets, Qt::DescendingOrder);
    EXPECT_EQ(filter.data(filter.index(0, ConnectionTableModel::Packets)).toULongLong(), 120U)
        << "120 sorts above 20 (numeric, not text)";
    rows[3].finalClient = State::FinWait1;
    rows.push_back(row(12, "10.0.0.5:1", "10.0.0.2:2", State::SynSent, State::Listen));
    int inserted = 0;
    int changed = 0;
    QObject::connect(&model, &QAbstractItemModel::rowsInserted, [&] { ++inserted; });
    QObject::connect(&model, &QAbstractItemModel::dataChanged, [&] { ++changed; });
    QObject::connect(&model, &QAbstractItemModel::modelReset,
                     [] { FAIL() << "no reset on update"; });
    model.refresh({3, 12});
    EXPECT_EQ(inserted, 1);
    EXPECT_EQ(changed, 1);
    EXPECT_EQ(model.rowCount(), 13);
    EXPECT_EQ(model.row(3).finalClient, State::FinWait1);
    // Rows apart are updated apart (a run from the first to the last would make a
    // sorted proxy read every row between them); neighbours together.
    changed = 0;
    model.refresh({1, 2, 9});
    EXPECT_EQ(changed, 2);
    // The dynamic re-sort of the new row reads the rows (no keys cached): still numeric.
    EXPECT_EQ(filter.data(filter.index(0, ConnectionTableModel::Packets)).toULongLong(), 130U);
    EXPECT_EQ(filter.data(filter.index(12, ConnectionTableModel::Packets)).toULongLong(), 10U);

    // Eviction: the two oldest leave from the front, without a reset.
    int removed = 0;
    QObject::connect(&model, &QAbstractItemModel::rowsRemoved, [&] { ++removed; });
    rows.erase(rows.begin(), rows.begin() + 2);
    model.refresh({});
    EXPECT_EQ(removed, 1);
    ASSERT_EQ(model.rowCount(), 11);
    EXPECT_EQ(model.idAt(0), 2U);
    EXPECT_EQ(model.row(0).id, 2U);
    EXPECT_EQ(model.rowOf(12), 10);
    EXPECT_FALSE(model.rowOf(1).has_value());
}

// A capture that shows one direction only, or starts after the handshake, says so
// in a column of its own; a whole connection leaves it empty.
TEST(ConnectionTable, SaysWhatTheCaptureDoesNotShow) {
    ConnectionTableModel model;
    std::vector<ConnectionRow> rows{
        row(0, "10.0.0.1:5000", "10.0.0.9:80", State::TimeWait, State::Closed),
        row(1, "10.0.0.2:5001", "10.0.0.9:80", State::Established, State::Established, 0, 0, true),
        row(2, "10.0.0.3:5002", "10.0.0.9:80", State::FinWait1, State::CloseWait),
        row(3, "10.0.0.4:5003", "10.0.0.9:80", State::Established, State::Established, 0, 0, true)};
    rows[2].serverSeen = false;
    rows[3].clientSeen = false;
    model.setRows(rows);
    const auto shown = [&model](int r) {
        return model.data(model.index(r, ConnectionTableModel::Seen), Qt::DisplayRole).toString();
    };
    EXPECT_EQ(model.headerData(ConnectionTableModel::Seen, Qt::Horizontal, Qt::DisplayRole),
              QStringLiteral("Captured"));
    EXPECT_TRUE(shown(0).isEmpty());
    EXPECT_EQ(shown(1), QStringLiteral("start not captured"));
    EXPECT_EQ(shown(2), QStringLiteral("client \u2192 server only"));
    EXPECT_EQ(shown(3), QStringLiteral("start not captured, server \u2192 client only"));
    EXPECT_TRUE(model.data(model.index(3, ConnectionTableModel::Seen), Qt::ToolTipRole)
                    .toString()
                    .contains(QStringLiteral("inferred")));
    EXPECT_FALSE(model.data(model.index(0, ConnectionTableModel::Seen), Qt::ToolTipRole).isValid());
}
