#include "connection_table_model.h"

#include "event_text.h"
#include "view_style.h"

#include <QColor>

namespace tcpviz::gui {

ConnectionTableModel::ConnectionTableModel(QObject* parent)
    : QAbstractTableModel(parent) {}

void ConnectionTableModel::setRows(std::vector<ConnectionRow> rows) {
    beginResetModel();
    m_rows = std::move(rows);
    endResetModel();
}

void ConnectionTableModel::updateRows(const std::vector<ConnectionRow>& rows) {
    // Live eviction: connections older than the new first id left from the front.
    // Removing their rows (rather than resetting the model) keeps the views'
    // persistent indexes, so the selection stays on its connection.
    const std::size_t firstId = rows.empty() ? SIZE_MAX : rows.front().id;
    std::size_t gone = 0;
    while (gone < m_rows.size() && m_rows[gone].id < firstId) {
        ++gone;
    }
    if (gone > 0) {
        beginRemoveRows({}, 0, static_cast<int>(gone) - 1);
        m_rows.erase(m_rows.begin(), m_rows.begin() + static_cast<std::ptrdiff_t>(gone));
        endRemoveRows();
    }
    const std::size_t old = m_rows.size();
    const std::size_t common = std::min(old, rows.size());
    std::optional<std::size_t> first;
    std::size_t last = 0;
    for (std::size_t i = 0; i < common; ++i) {
        if (!(m_rows[i] == rows[i])) {
            m_rows[i] = rows[i];
            if (!first) {
                first = i;
            }
            last = i;
        }
    }
    if (first) {
        emit dataChanged(index(static_cast<int>(*first), 0),
                         index(static_cast<int>(last), ColumnCount - 1));
    }
    if (rows.size() > old) {
        beginInsertRows({}, static_cast<int>(old), static_cast<int>(rows.size()) - 1);
        m_rows.insert(m_rows.end(), rows.begin() + static_cast<std::ptrdiff_t>(old), rows.end());
        endInsertRows();
    }
}

std::optional<int> ConnectionTableModel::rowOf(std::size_t id) const {
    if (m_rows.empty() || id < m_rows.front().id || id - m_rows.front().id >= m_rows.size()) {
        return std::nullopt;
    }
    return static_cast<int>(id - m_rows.front().id);
}

void ConnectionTableModel::setSettings(const ViewSettings& settings) {
    m_settings = settings;
    if (!m_rows.empty()) {
        emit dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
    }
}

int ConnectionTableModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int ConnectionTableModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

namespace {

/// "#14, #20" (the first `most` of `packets`), with "…" when more were counted.
QString packetList(const std::vector<std::uint64_t>& packets, std::uint32_t counted,
                   std::size_t most) {
    QStringList numbers;
    for (std::size_t i = 0; i < packets.size() && i < most; ++i) {
        numbers << QStringLiteral("#%1").arg(packets[i]);
    }
    if (counted > numbers.size()) {
        numbers << QStringLiteral("…");
    }
    return numbers.join(QStringLiteral(", "));
}

} // namespace

QString ConnectionTableModel::anomalyText(const ConnectionRow& row) {
    QStringList parts;
    if (row.midStream) {
        parts << tr("mid-stream");
    }
    const auto named = [](QString text, const std::vector<std::uint64_t>& packets,
                          std::uint32_t counted) {
        if (!packets.empty()) {
            text += QStringLiteral(" (%1)").arg(packetList(packets, counted, 3));
        }
        return text;
    };
    if (row.rst > 0) {
        parts << named(tr("RST"), row.rstPackets, row.rst);
    }
    if (row.retransmissions > 0) {
        parts << named(tr("%n retransmission(s)", nullptr, static_cast<int>(row.retransmissions)),
                       row.retransmissionPackets, row.retransmissions);
    }
    return parts.join(QStringLiteral(", "));
}

QString ConnectionTableModel::anomalyToolTip(const ConnectionRow& row) {
    QStringList lines;
    if (row.midStream) {
        lines << tr("Mid-stream: the capture starts after the connection's handshake.");
    }
    if (row.rst > 0) {
        lines << tr("%n RST segment(s): packets %1", nullptr, static_cast<int>(row.rst))
                     .arg(packetList(row.rstPackets, row.rst, row.rstPackets.size()));
    }
    if (row.retransmissions > 0) {
        lines << tr("%n retransmission(s): packets %1", nullptr,
                    static_cast<int>(row.retransmissions))
                     .arg(packetList(row.retransmissionPackets, row.retransmissions,
                                     row.retransmissionPackets.size()));
    }
    return lines.join(QLatin1Char('\n'));
}

QString ConnectionTableModel::seenText(const ConnectionRow& row) {
    QStringList parts;
    if (row.midStream) {
        parts << tr("start not captured");
    }
    if (!row.serverSeen) {
        parts << tr("client \u2192 server only");
    } else if (!row.clientSeen) {
        parts << tr("server \u2192 client only");
    }
    if (row.captureCopies > 0) {
        parts << tr("%n capture copy(ies)", nullptr, static_cast<int>(row.captureCopies));
    }
    return parts.join(QStringLiteral(", "));
}

QString ConnectionRow::clientText() const {
    return QString::fromStdString(client.toString());
}

QString ConnectionRow::serverText() const {
    return QString::fromStdString(server.toString());
}

QString ConnectionRow::historyText() const {
    return QString::fromStdString(history);
}

QVariant ConnectionTableModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= rowCount()) {
        return {};
    }
    const ConnectionRow& r = m_rows[static_cast<std::size_t>(index.row())];
    const auto column = static_cast<Column>(index.column());
    if (role == SortRole) {
        switch (column) {
        case Id:
            return static_cast<qulonglong>(r.id);
        case Packets:
            return static_cast<qulonglong>(r.packets);
        case Start:
            return static_cast<qlonglong>(r.firstUs);
        case Duration:
            return static_cast<qlonglong>(r.lastUs - r.firstUs);
        case Retransmissions:
            return r.retransmissions;
        case Resets:
            return r.rst;
        case IcmpErrors:
            return r.icmpErrors;
        case ClientState:
            return static_cast<int>(r.finalClient);
        case ServerState:
            return static_cast<int>(r.finalServer);
        default:
            return data(index, Qt::DisplayRole);
        }
    }
    if (role == Qt::DisplayRole) {
        switch (column) {
        case Id:
            return static_cast<qulonglong>(r.id);
        case Client:
            return r.clientText();
        case Server:
            return r.serverText();
        case Packets:
            return static_cast<qulonglong>(r.packets);
        case Start:
            return formatDuration(r.firstUs);
        case Duration:
            return formatDuration(r.lastUs - r.firstUs);
        case ClientState:
            return stateLabel(r.finalClient, m_settings);
        case ServerState:
            return stateLabel(r.finalServer, m_settings);
        case Retransmissions:
            return r.retransmissions;
        case Resets:
            return r.rst;
        case IcmpErrors:
            return r.icmpErrors;
        case Anomalies:
            return anomalyText(r);
        case Seen:
            return seenText(r);
        case History:
            return r.historyText();
        case ColumnCount:
            break;
        }
        return {};
    }
    if (role == Qt::ForegroundRole && column == Anomalies && r.anomalous()) {
        return QColor(204, 0, 0);
    }
    if (role == Qt::ToolTipRole && column == Anomalies && r.anomalous()) {
        return anomalyToolTip(r);
    }
    if (role == Qt::ToolTipRole && column == Seen &&
        (r.midStream || !r.clientSeen || !r.serverSeen)) {
        QStringList why;
        if (r.midStream) {
            why << tr(
                "The capture begins after the handshake: both ends are assumed ESTABLISHED at "
                "its first packet, not seen so.");
        }
        if (!r.clientSeen || !r.serverSeen) {
            why << tr("Only one direction was captured: the other side's states are inferred "
                      "from these packets alone.");
        }
        return why.join(QLatin1Char('\n'));
    }
    if (role == Qt::ToolTipRole && column == IcmpErrors) {
        return tr("ICMP errors (unreachable, too big, time exceeded) quoting a packet of this "
                  "connection");
    }
    if (role == Qt::ToolTipRole && column == History) {
        return tr("Zeek conn.log history; Wireshark tcp.completeness = %1").arg(r.completeness);
    }
    if (role == Qt::TextAlignmentRole) {
        switch (column) {
        case Id:
        case Packets:
        case Start:
        case Duration:
        case Retransmissions:
        case Resets:
        case IcmpErrors:
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        default:
            return {};
        }
    }
    return {};
}

QVariant ConnectionTableModel::headerData(int section, Qt::Orientation orientation,
                                          int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) {
        return QAbstractTableModel::headerData(section, orientation, role);
    }
    switch (static_cast<Column>(section)) {
    case Id:
        return tr("#");
    case Client:
        return tr("Client");
    case Server:
        return tr("Server");
    case Packets:
        return tr("Packets");
    case Start:
        return tr("Start");
    case Duration:
        return tr("Duration");
    case ClientState:
        return tr("Client state");
    case ServerState:
        return tr("Server state");
    case Retransmissions:
        return tr("Retrans.");
    case Resets:
        return tr("RST");
    case IcmpErrors:
        return tr("ICMP");
    case Anomalies:
        return tr("Anomalies");
    case Seen:
        return tr("Captured");
    case History:
        return tr("History");
    case ColumnCount:
        break;
    }
    return {};
}

ConnectionFilterModel::ConnectionFilterModel(QObject* parent)
    : QSortFilterProxyModel(parent) {
    setSortRole(ConnectionTableModel::SortRole);
    setDynamicSortFilter(true);
}

bool ConnectionFilterModel::lessThan(const QModelIndex& left, const QModelIndex& right) const {
    const auto* model = qobject_cast<const ConnectionTableModel*>(sourceModel());
    const auto rows = model != nullptr ? model->rows().size() : 0;
    if (model == nullptr || sortRole() != ConnectionTableModel::SortRole ||
        left.column() != right.column() || left.row() < 0 || right.row() < 0 ||
        static_cast<std::size_t>(left.row()) >= rows ||
        static_cast<std::size_t>(right.row()) >= rows) {
        return QSortFilterProxyModel::lessThan(left, right);
    }
    const ConnectionRow& a = model->rows()[static_cast<std::size_t>(left.row())];
    const ConnectionRow& b = model->rows()[static_cast<std::size_t>(right.row())];
    switch (static_cast<ConnectionTableModel::Column>(left.column())) {
    case ConnectionTableModel::Id:
        return a.id < b.id;
    case ConnectionTableModel::Packets:
        return a.packets < b.packets;
    case ConnectionTableModel::Start:
        return a.firstUs < b.firstUs;
    case ConnectionTableModel::Duration:
        return a.lastUs - a.firstUs < b.lastUs - b.firstUs;
    case ConnectionTableModel::ClientState:
        return static_cast<int>(a.finalClient) < static_cast<int>(b.finalClient);
    case ConnectionTableModel::ServerState:
        return static_cast<int>(a.finalServer) < static_cast<int>(b.finalServer);
    case ConnectionTableModel::Retransmissions:
        return a.retransmissions < b.retransmissions;
    case ConnectionTableModel::Resets:
        return a.rst < b.rst;
    case ConnectionTableModel::IcmpErrors:
        return a.icmpErrors < b.icmpErrors;
    case ConnectionTableModel::Client:
        // The order of the texts the column shows (ASCII: as QString compares them).
        return a.client.toString() < b.client.toString();
    case ConnectionTableModel::Server:
        return a.server.toString() < b.server.toString();
    case ConnectionTableModel::History:
        return a.history < b.history;
    default:
        return QSortFilterProxyModel::lessThan(left, right);
    }
}

void ConnectionFilterModel::refilter() {
    invalidateFilter();
    emit filtersChanged();
}

void ConnectionFilterModel::setAddressFilter(const QString& text) {
    m_address = text.trimmed();
    refilter();
}

void ConnectionFilterModel::setStateFilter(std::optional<State> state) {
    m_state = state;
    refilter();
}

void ConnectionFilterModel::setStateFilterMode(StateFilterMode mode) {
    m_mode = mode;
    refilter();
}

void ConnectionFilterModel::setStateFilterTime(std::int64_t timeUs) {
    if (timeUs == m_timeUs) {
        return;
    }
    m_timeUs = timeUs;
    if (m_state && m_mode == StateFilterMode::AtTime) {
        refilter();
    }
}

void ConnectionFilterModel::setStateAt(StateAtFunction stateAt) {
    m_stateAt = std::move(stateAt);
    if (m_state && m_mode == StateFilterMode::AtTime) {
        refilter();
    }
}

void ConnectionFilterModel::setAnomaliesOnly(bool on) {
    m_anomaliesOnly = on;
    refilter();
}

bool ConnectionFilterModel::countsFilterAccepts(const ConnectionRow& r) const {
    if (!m_address.isEmpty() && !r.clientText().contains(m_address, Qt::CaseInsensitive) &&
        !r.serverText().contains(m_address, Qt::CaseInsensitive)) {
        return false;
    }
    return !m_anomaliesOnly || r.anomalous();
}

bool ConnectionFilterModel::stateFilterAccepts(std::size_t row, const ConnectionRow& r,
                                               StateFilterMode mode) const {
    if (!m_state) {
        return true;
    }
    const State s = *m_state;
    switch (mode) {
    case StateFilterMode::Ever: {
        const auto bit = static_cast<std::uint16_t>(1U << static_cast<unsigned>(s));
        return ((r.everClient | r.everServer) & bit) != 0;
    }
    case StateFilterMode::AtTime:
        if (m_stateAt) {
            return m_stateAt(row, Side::Client, m_timeUs) == s ||
                   m_stateAt(row, Side::Server, m_timeUs) == s;
        }
        break;
    case StateFilterMode::Final:
        break;
    }
    return r.finalClient == s || r.finalServer == s;
}

bool ConnectionFilterModel::filterAcceptsRow(int sourceRow, const QModelIndex&) const {
    const auto* model = qobject_cast<const ConnectionTableModel*>(sourceModel());
    if (model == nullptr || sourceRow < 0 ||
        static_cast<std::size_t>(sourceRow) >= model->rows().size()) {
        return false;
    }
    const auto row = static_cast<std::size_t>(sourceRow);
    const ConnectionRow& r = model->rows()[row];
    return countsFilterAccepts(r) && stateFilterAccepts(row, r, m_mode);
}

QString ConnectionFilterModel::emptyReason() const {
    const auto* model = qobject_cast<const ConnectionTableModel*>(sourceModel());
    if (model == nullptr || model->rows().empty() || rowCount() > 0) {
        return {};
    }
    const auto& rows = model->rows();
    std::size_t passing = 0;
    int ever = 0;
    for (std::size_t i = 0; i < rows.size(); ++i) {
        if (!countsFilterAccepts(rows[i])) {
            continue;
        }
        ++passing;
        ever += stateFilterAccepts(i, rows[i], StateFilterMode::Ever) ? 1 : 0;
    }
    if (passing == 0) {
        if (!m_address.isEmpty() && m_anomaliesOnly) {
            return tr("No connection with anomalies has a client or server matching “%1”.")
                .arg(m_address);
        }
        if (!m_address.isEmpty()) {
            return tr("No client or server address matches “%1”.").arg(m_address);
        }
        return tr("No connection has anomalies.");
    }
    if (!m_state) {
        return {};
    }
    const QString name = stateLabel(*m_state, model->settings());
    switch (m_mode) {
    case StateFilterMode::Final:
        if (ever > 0) {
            return tr("No connection ended in %1, but %n passed through it: choose “ever "
                      "in state” to list them.",
                      nullptr, ever)
                .arg(name);
        }
        break;
    case StateFilterMode::AtTime:
        if (ever > 0) {
            return tr("No connection was in %1 at %2, but %n passed through it at other "
                      "times: move the cursor or choose “ever in state”.",
                      nullptr, ever)
                .arg(name, formatDuration(m_timeUs));
        }
        break;
    case StateFilterMode::Ever:
        break;
    }
    return tr("No connection was ever in %1 in this capture.").arg(name);
}

} // namespace tcpviz::gui
