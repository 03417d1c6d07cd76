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

QString ConnectionTableModel::anomalyText(const ConnectionRow& row) {
    QStringList parts;
    if (row.midStream) {
        parts << tr("mid-stream");
    }
    if (row.rst > 0) {
        parts << tr("RST");
    }
    if (row.retransmissions > 0) {
        parts << tr("%n retransmission(s)", nullptr, static_cast<int>(row.retransmissions));
    }
    if (row.captureCopies > 0) {
        parts << tr("%n capture copy(ies)", nullptr, static_cast<int>(row.captureCopies));
    }
    return parts.join(QStringLiteral(", "));
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
            return r.client;
        case Server:
            return r.server;
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
        case Anomalies:
            return anomalyText(r);
        case History:
            return r.history;
        case ColumnCount:
            break;
        }
        return {};
    }
    if (role == Qt::ForegroundRole && column == Anomalies && r.anomalous()) {
        return QColor(204, 0, 0);
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
    case Anomalies:
        return tr("Anomalies");
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
    default:
        return QSortFilterProxyModel::lessThan(left, right);
    }
}

void ConnectionFilterModel::setAddressFilter(const QString& text) {
    m_address = text.trimmed();
    invalidateFilter();
}

void ConnectionFilterModel::setStateFilter(std::optional<State> state) {
    m_state = state;
    invalidateFilter();
}

void ConnectionFilterModel::setAnomaliesOnly(bool on) {
    m_anomaliesOnly = on;
    invalidateFilter();
}

bool ConnectionFilterModel::filterAcceptsRow(int sourceRow, const QModelIndex&) const {
    const auto* model = qobject_cast<const ConnectionTableModel*>(sourceModel());
    if (model == nullptr || sourceRow < 0 ||
        static_cast<std::size_t>(sourceRow) >= model->rows().size()) {
        return false;
    }
    const ConnectionRow& r = model->rows()[static_cast<std::size_t>(sourceRow)];
    if (!m_address.isEmpty() && !r.client.contains(m_address, Qt::CaseInsensitive) &&
        !r.server.contains(m_address, Qt::CaseInsensitive)) {
        return false;
    }
    if (m_state && r.finalClient != *m_state && r.finalServer != *m_state) {
        return false;
    }
    return !m_anomaliesOnly || r.anomalous();
}

} // namespace tcpviz::gui
