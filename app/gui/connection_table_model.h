#pragma once

#include "tcp/address.h"
#include "tcp/endpoint_types.h"
#include "tcp/state.h"
#include "view_settings.h"

#include <QAbstractTableModel>
#include <QSortFilterProxyModel>
#include <QString>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace tcpviz::gui {

/// One connection of a capture as the table lists it. Made when a view asks
/// (ConnectionRowSource::row), never stored per connection: the table of 100,000
/// connections reads them from the analysis' ConnectionSummary.
struct ConnectionRow {
    std::size_t id = 0;
    SocketAddress client;
    SocketAddress server;
    std::uint64_t packets = 0;
    std::uint64_t firstPacket = 0;
    std::uint64_t lastPacket = 0;
    std::int64_t firstUs = 0; ///< relative to the capture's first packet
    std::int64_t lastUs = 0;
    State finalClient = State::Closed;
    State finalServer = State::Closed;
    std::uint32_t retransmissions = 0;
    std::uint32_t captureCopies = 0; ///< packets the capture recorded twice (not retransmissions)
    std::uint32_t syn = 0;
    std::uint32_t fin = 0;
    std::uint32_t rst = 0;
    /// ICMP errors (unreachable, too big, time exceeded...) quoting this connection.
    std::uint32_t icmpErrors = 0;
    bool midStream = false;
    bool clientSeen = true; ///< the capture holds packets the client sent
    bool serverSeen = true;
    std::string history; ///< Zeek conn.log history
    int completeness = 0;
    /// Bit i set when that end was ever in kAllStates[i] (ConnectionSummary::statesEver).
    std::uint16_t everClient = 0;
    std::uint16_t everServer = 0;
    /// Packet numbers of the first retransmissions and RSTs, named by the anomalies column.
    std::vector<std::uint64_t> retransmissionPackets;
    std::vector<std::uint64_t> rstPackets;

    [[nodiscard]] QString clientText() const; ///< "10.0.0.1:52528"
    [[nodiscard]] QString serverText() const;
    [[nodiscard]] QString historyText() const;

    [[nodiscard]] bool anomalous() const {
        return retransmissions > 0 || rst > 0 || midStream || captureCopies > 0;
    }
    bool operator==(const ConnectionRow&) const = default;
};

/// What the table lists: connections with consecutive ids from firstId(), each
/// read into a ConnectionRow only when asked (a view shows a few dozen at a time).
class ConnectionRowSource {
public:
    ConnectionRowSource() = default;
    ConnectionRowSource(const ConnectionRowSource&) = delete;
    ConnectionRowSource& operator=(const ConnectionRowSource&) = delete;
    virtual ~ConnectionRowSource() = default;
    [[nodiscard]] virtual std::size_t firstId() const = 0;
    [[nodiscard]] virtual std::size_t size() const = 0;
    /// The connection with id firstId() + i, i < size().
    [[nodiscard]] virtual ConnectionRow row(std::size_t i) const = 0;
};

/// Rows held in memory: a small table made by hand (tests).
class HeldConnectionRows : public ConnectionRowSource {
public:
    explicit HeldConnectionRows(std::vector<ConnectionRow> rows)
        : m_rows(std::move(rows)) {}
    [[nodiscard]] std::size_t firstId() const override {
        return m_rows.empty() ? 0 : m_rows.front().id;
    }
    [[nodiscard]] std::size_t size() const override { return m_rows.size(); }
    [[nodiscard]] ConnectionRow row(std::size_t i) const override { return m_rows.at(i); }
    [[nodiscard]] std::vector<ConnectionRow>& rows() { return m_rows; }

private:
    std::vector<ConnectionRow> m_rows;
};

/// The capture's connections, one row each, in id order, read from a
/// ConnectionRowSource when a view asks: the model copies nothing per connection.
/// Live capture appends rows, changes them in place, and removes evicted ones from
/// the front (refresh): a row keeps showing its connection, so a selection
/// survives a refresh.
class ConnectionTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    // No fixed underlying type: with one, lupdate loses track of the namespace and
    // files the tr() strings of ConnectionFilterModel under the wrong context.
    enum Column {
        Id,
        Client,
        Server,
        Packets,
        Start,
        Duration,
        ClientState,
        ServerState,
        Retransmissions,
        Resets,
        IcmpErrors,
        Anomalies,
        Seen,
        History,
        ColumnCount
    };
    /// Sort key role: numbers sort as numbers.
    static constexpr int SortRole = Qt::UserRole + 1;

    explicit ConnectionTableModel(QObject* parent = nullptr);

    /// Lists the source's connections (none: an empty table); a reset.
    void setSource(std::shared_ptr<const ConnectionRowSource> source);
    /// Lists rows held in memory (HeldConnectionRows).
    void setRows(std::vector<ConnectionRow> rows);
    /// After the source changed in place (live capture): rows whose ids fell below its
    /// firstId() are removed (evicted), the rows of `changed` ids are updated, new ones
    /// appended. No reset: the views keep their selection.
    void refresh(const std::set<std::size_t>& changed);
    /// The connection of row `row` (0 <= row < rowCount()), read from the source.
    [[nodiscard]] ConnectionRow row(std::size_t row) const;
    /// Every row, read now: a copy of the whole table (tests and small tables only).
    [[nodiscard]] std::vector<ConnectionRow> allRows() const;
    /// The id of the connection in row `row`, without reading it.
    [[nodiscard]] std::size_t idAt(std::size_t row) const { return m_firstId + row; }
    /// The row showing the connection with this id (nullopt: not listed).
    [[nodiscard]] std::optional<int> rowOf(std::size_t id) const;
    void setSettings(const ViewSettings& settings);
    [[nodiscard]] const ViewSettings& settings() const { return m_settings; }

    [[nodiscard]] QModelIndex index(int row, int column,
                                    const QModelIndex& parent = {}) const override;
    [[nodiscard]] int rowCount(const QModelIndex& parent = {}) const override;
    [[nodiscard]] int columnCount(const QModelIndex& parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex& index, int role) const override;
    [[nodiscard]] QVariant headerData(int section, Qt::Orientation orientation,
                                      int role) const override;

    /// "mid-stream, RST (#9), 2 retransmissions (#14, #20)" (empty when nothing is odd).
    [[nodiscard]] static QString anomalyText(const ConnectionRow& row);
    /// The anomalies column's tooltip: each kind with every packet it counts.
    [[nodiscard]] static QString anomalyToolTip(const ConnectionRow& row);
    /// What the capture shows of the connection when it is not the whole of it:
    /// "start not captured", "client → server only" (empty otherwise).
    [[nodiscard]] static QString seenText(const ConnectionRow& row);

private:
    std::shared_ptr<const ConnectionRowSource> m_source;
    /// What the views were last told: ids m_firstId .. m_firstId + m_count - 1 (the
    /// source may already hold others until refresh()).
    std::size_t m_firstId = 0;
    std::size_t m_count = 0;
    ViewSettings m_settings;
};

/// How the table's state filter reads a state.
enum class StateFilterMode : std::uint8_t {
    Final,  ///< either end ended in it
    Ever,   ///< either end was in it at some time
    AtTime, ///< either end was in it at the heat map's time
};

/// The state of one end of the connection in source row `row` at `timeUs`
/// after the capture's start (nullopt before its first packet).
using StateAtFunction = std::function<std::optional<State>(std::size_t, Side, std::int64_t)>;

/// Filters the table by address/port text, by a state (see StateFilterMode),
/// and to connections with anomalies. The address and anomaly filters are also
/// the heat map's and the states chart's (countsFilterAccepts).
class ConnectionFilterModel : public QSortFilterProxyModel {
    Q_OBJECT
public:
    explicit ConnectionFilterModel(QObject* parent = nullptr);

    /// Substring of the client or server "address:port"; ":80" finds port 80.
    void setAddressFilter(const QString& text);
    /// Only connections where either side is in `state` (read as the mode says).
    void setStateFilter(std::optional<State> state);
    void setStateFilterMode(StateFilterMode mode);
    /// The time StateFilterMode::AtTime looks at, in microseconds after the start.
    void setStateFilterTime(std::int64_t timeUs);
    /// Where AtTime looks the states up (the capture document); without it AtTime
    /// falls back to the final state.
    void setStateAt(StateAtFunction stateAt);
    void setAnomaliesOnly(bool on);

    [[nodiscard]] const QString& addressFilter() const { return m_address; }
    [[nodiscard]] std::optional<State> stateFilter() const { return m_state; }
    [[nodiscard]] StateFilterMode stateFilterMode() const { return m_mode; }
    [[nodiscard]] std::int64_t stateFilterTime() const { return m_timeUs; }
    [[nodiscard]] bool anomaliesOnly() const { return m_anomaliesOnly; }
    /// Whether the connection passes the address and anomaly filters: the ones the
    /// heat map and the states chart count with.
    [[nodiscard]] bool countsFilterAccepts(const ConnectionRow& row) const;
    /// Whether the address or the anomaly filter is set (else every row passes them).
    [[nodiscard]] bool countsFilterActive() const {
        return !m_address.isEmpty() || m_anomaliesOnly;
    }
    /// Whether the connection in source row `row` passes the state filter alone.
    [[nodiscard]] bool stateFilterAccepts(std::size_t row, const ConnectionRow& r,
                                          StateFilterMode mode) const;
    /// Reads the column's sort key of every row once, then sorts by it: rows are
    /// read from the analysis when asked, too slow to read twice per comparison.
    /// Ascending ids are the source's own order: no comparison at all.
    void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;
    /// Why the table is empty when it is and the capture is not; empty otherwise.
    [[nodiscard]] QString emptyReason() const;

signals:
    /// Any of the filters changed (after the rows were filtered again).
    void filtersChanged();

protected:
    [[nodiscard]] bool filterAcceptsRow(int sourceRow,
                                        const QModelIndex& sourceParent) const override;
    /// Numeric columns compare the rows' fields directly (same order as their SortRole
    /// values): sorting 100,000 rows through QVariants took a noticeable part of opening
    /// a large capture. Text columns keep the default comparison.
    [[nodiscard]] bool lessThan(const QModelIndex& left, const QModelIndex& right) const override;

private:
    void refilter();
    /// The sort keys of the column being sorted (sort()), by source row; empty otherwise.
    struct SortKeys {
        int column = -1;
        std::vector<std::int64_t> numbers;
        std::vector<std::string> texts;
    };
    SortKeys m_keys;

    QString m_address;
    std::optional<State> m_state;
    StateFilterMode m_mode = StateFilterMode::Final;
    std::int64_t m_timeUs = 0;
    StateAtFunction m_stateAt;
    bool m_anomaliesOnly = false;
};

} // namespace tcpviz::gui
