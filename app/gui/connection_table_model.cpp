#include "connection_table_model.h"

#include "event_text.h"
#include "view_style.h"

#include <QColor>

namespace tcpviz::gui {

ConnectionTableModel::ConnectionTableModel(QObject* parent)
    : QAbstractTableModel(parent) {}

void ConnectionTableModel::setSource(std::shared_ptr<const ConnectionRowSource> source) {
    beginResetModel();
    m_source = std::move(source);
    m_firstId = m_source ? m_source->firstId() : 0;
    m_count = m_source ? m_source->size() : 0;
    endResetModel();
}

void ConnectionTableModel::setRows(std::vector<ConnectionRow> rows) {
    setSource(std::make_shared<HeldConnectionRows>(std::move(rows)));
}

void ConnectionTableModel::refresh(const std::set<std::size_t>& changed) {
    const std::size_t firstId = m_source ? m_source->firstId() : SIZE_MAX;
    const std::size_t size = m_source ? m_source->size() : 0;
    // Live eviction: connections older than the new first id left from the front.
    // Removing their rows (rather than resetting the model) keeps the views'
    // persistent indexes, so the selection stays on its connection.
    const std::size_t gone = std::min(m_count, firstId > m_firstId ? firstId - m_firstId : 0);
    if (gone > 0) {
        beginRemoveRows({}, 0, static_cast<int>(gone) - 1);
        m_firstId += gone;
        m_count -= gone;
        endRemoveRows();
    }
    if (m_count == 0 && m_source) {
        m_firstId = firstId;
    }
    // The rows still listed and changed, one update per run of consecutive rows: a
    // sorted proxy places again every row of an update, reading it, so a run from
    // the oldest touched connection to the newest would read the whole table.
    std::optional<std::size_t> first;
    std::size_t last = 0;
    const auto update = [this, &first, &last] {
        if (first) {
            emit dataChanged(index(static_cast<int>(*first), 0),
                             index(static_cast<int>(last), ColumnCount - 1));
        }
    };
    for (const std::size_t id : changed) { // ascending
        if (id < m_firstId || id - m_firstId >= m_count) {
            continue;
        }
        const std::size_t row = id - m_firstId;
        if (first && row != last + 1) {
            update();
            first.reset();
        }
        first = first.value_or(row);
        last = row;
    }
    update();
    if (size > m_count) {
        beginInsertRows({}, static_cast<int>(m_count), static_cast<int>(size) - 1);
        m_count = size;
        endInsertRows();
    }
}

ConnectionRow ConnectionTableModel::row(std::size_t row) const {
    if (!m_source || row >= m_count) {
        return {};
    }
    // Before refresh() the source may already have dropped the front rows.
    const std::size_t id = m_firstId + row;
    const std::size_t first = m_source->firstId();
    if (id < first || id - first >= m_source->size()) {
        ConnectionRow gone;
        gone.id = id;
        return gone;
    }
    return m_source->row(id - first);
}

std::vector<ConnectionRow> ConnectionTableModel::allRows() const {
    std::vector<ConnectionRow> out;
    out.reserve(m_count);
    for (std::size_t i = 0; i < m_count; ++i) {
        out.push_back(row(i));
    }
    return out;
}

std::optional<int> ConnectionTableModel::rowOf(std::size_t id) const {
    if (id < m_firstId || id - m_firstId >= m_count) {
        return std::nullopt;
    }
    return static_cast<int>(id - m_firstId);
}

void ConnectionTableModel::setSettings(const ViewSettings& settings) {
    m_settings = settings;
    if (m_count > 0) {
        emit dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
    }
}

int ConnectionTableModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(m_count);
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

QModelIndex ConnectionTableModel::index(int row, int column, const QModelIndex& parent) const {
    // QAbstractTableModel's asks rowCount() and columnCount() through virtual calls; a
    // proxy sorting or filtering 100,000 rows makes an index per row and comparison.
    if (parent.isValid() || row < 0 || column < 0 || column >= ColumnCount ||
        static_cast<std::size_t>(row) >= m_count) {
        return {};
    }
    return createIndex(row, column);
}

QVariant ConnectionTableModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= rowCount()) {
        return {};
    }
    const auto column = static_cast<Column>(index.column());
    // Roles the table never answers return before the row is read (a view asks for
    // many of them, e.g. when it sizes the columns to their contents).
    switch (role) {
    case SortRole:
    case Qt::DisplayRole:
        break;
    case Qt::ForegroundRole:
        if (column != Anomalies) {
            return {};
        }
        break;
    case Qt::ToolTipRole:
        if (column == IcmpErrors) {
            return tr("ICMP errors (unreachable, too big, time exceeded) quoting a packet of "
                      "this connection");
        }
        break;
    case Qt::TextAlignmentRole:
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
    default:
        return {};
    }
    if (column == Id && (role == Qt::DisplayRole || role == SortRole)) {
        return static_cast<qulonglong>(idAt(static_cast<std::size_t>(index.row())));
    }
    const ConnectionRow r = row(static_cast<std::size_t>(index.row()));
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
    if (role == Qt::ToolTipRole && column == History) {
        return tr("Zeek conn.log history; Wireshark tcp.completeness = %1").arg(r.completeness);
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

namespace {

/// The number a numeric column sorts by (the same order as its SortRole values).
std::optional<std::int64_t> sortNumber(const ConnectionRow& r, int column) {
    switch (static_cast<ConnectionTableModel::Column>(column)) {
    case ConnectionTableModel::Id:
        return static_cast<std::int64_t>(r.id);
    case ConnectionTableModel::Packets:
        return static_cast<std::int64_t>(r.packets);
    case ConnectionTableModel::Start:
        return r.firstUs;
    case ConnectionTableModel::Duration:
        return r.lastUs - r.firstUs;
    case ConnectionTableModel::ClientState:
        return static_cast<std::int64_t>(r.finalClient);
    case ConnectionTableModel::ServerState:
        return static_cast<std::int64_t>(r.finalServer);
    case ConnectionTableModel::Retransmissions:
        return r.retransmissions;
    case ConnectionTableModel::Resets:
        return r.rst;
    case ConnectionTableModel::IcmpErrors:
        return r.icmpErrors;
    default:
        return std::nullopt;
    }
}

/// The text a text column sorts by: the order of the texts the column shows (ASCII:
/// as QString compares them).
std::optional<std::string> sortText(const ConnectionRow& r, int column) {
    switch (static_cast<ConnectionTableModel::Column>(column)) {
    case ConnectionTableModel::Client:
        return r.client.toString();
    case ConnectionTableModel::Server:
        return r.server.toString();
    case ConnectionTableModel::History:
        return r.history;
    default:
        return std::nullopt;
    }
}

} // namespace

void ConnectionFilterModel::sort(int column, Qt::SortOrder order) {
    const auto* model = qobject_cast<const ConnectionTableModel*>(sourceModel());
    m_keys = {};
    if (column == ConnectionTableModel::Id && order == Qt::AscendingOrder) {
        // The source's own order: nothing to compare, also when 100,000 rows arrive
        // (a sorted proxy compares every row again on each reset).
        QSortFilterProxyModel::sort(-1, order);
        return;
    }
    if (model != nullptr && column >= 0 && column != ConnectionTableModel::Id) {
        const auto rows = static_cast<std::size_t>(model->rowCount());
        const ConnectionRow probe;
        if (sortNumber(probe, column)) {
            m_keys.numbers.reserve(rows);
            for (std::size_t i = 0; i < rows; ++i) {
                m_keys.numbers.push_back(*sortNumber(model->row(i), column));
            }
            m_keys.column = column;
        } else if (sortText(probe, column)) {
            m_keys.texts.reserve(rows);
            for (std::size_t i = 0; i < rows; ++i) {
                m_keys.texts.push_back(*sortText(model->row(i), column));
            }
            m_keys.column = column;
        }
    }
    QSortFilterProxyModel::sort(column, order);
    m_keys = {}; // later (live) re-sorts read the rows
}

bool ConnectionFilterModel::lessThan(const QModelIndex& left, const QModelIndex& right) const {
    const auto* model = qobject_cast<const ConnectionTableModel*>(sourceModel());
    const auto rows = model != nullptr ? static_cast<std::size_t>(model->rowCount()) : 0;
    if (model == nullptr || sortRole() != ConnectionTableModel::SortRole ||
        left.column() != right.column() || left.row() < 0 || right.row() < 0 ||
        static_cast<std::size_t>(left.row()) >= rows ||
        static_cast<std::size_t>(right.row()) >= rows) {
        return QSortFilterProxyModel::lessThan(left, right);
    }
    const auto l = static_cast<std::size_t>(left.row());
    const auto r = static_cast<std::size_t>(right.row());
    const int column = left.column();
    if (column == ConnectionTableModel::Id) {
        return l < r; // ids follow the rows
    }
    if (m_keys.column == column && m_keys.numbers.size() == rows) {
        return m_keys.numbers[l] < m_keys.numbers[r];
    }
    if (m_keys.column == column && m_keys.texts.size() == rows) {
        return m_keys.texts[l] < m_keys.texts[r];
    }
    const ConnectionRow a = model->row(l);
    const ConnectionRow b = model->row(r);
    if (const auto x = sortNumber(a, column)) {
        return *x < *sortNumber(b, column);
    }
    if (const auto x = sortText(a, column)) {
        return *x < *sortText(b, column);
    }
    return QSortFilterProxyModel::lessThan(left, right);
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
    if (model == nullptr || sourceRow < 0 || sourceRow >= model->rowCount()) {
        return false;
    }
    if (!countsFilterActive() && !m_state) {
        return true; // nothing to read: a large capture opens without reading every row
    }
    const auto row = static_cast<std::size_t>(sourceRow);
    const ConnectionRow r = model->row(row);
    return countsFilterAccepts(r) && stateFilterAccepts(row, r, m_mode);
}

QString ConnectionFilterModel::emptyReason() const {
    const auto* model = qobject_cast<const ConnectionTableModel*>(sourceModel());
    if (model == nullptr || model->rowCount() == 0 || rowCount() > 0) {
        return {};
    }
    const auto rows = static_cast<std::size_t>(model->rowCount());
    std::size_t passing = 0;
    int ever = 0;
    for (std::size_t i = 0; i < rows; ++i) {
        const ConnectionRow r = model->row(i);
        if (!countsFilterAccepts(r)) {
            continue;
        }
        ++passing;
        ever += stateFilterAccepts(i, r, StateFilterMode::Ever) ? 1 : 0;
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
