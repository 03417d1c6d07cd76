#pragma once

#include "tcp/state.h"
#include "view_settings.h"

#include <QAbstractTableModel>
#include <QSortFilterProxyModel>
#include <QString>
#include <cstdint>
#include <optional>
#include <vector>

namespace tcpviz::gui {

/// One connection of a capture as the table lists it.
struct ConnectionRow {
    std::size_t id = 0;
    QString client; ///< "10.0.0.1:52528"
    QString server;
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
    bool midStream = false;
    QString history; ///< Zeek conn.log history
    int completeness = 0;

    [[nodiscard]] bool anomalous() const {
        return retransmissions > 0 || rst > 0 || midStream || captureCopies > 0;
    }
    bool operator==(const ConnectionRow&) const = default;
};

/// The capture's connections, one row each. Rows only ever grow or change in
/// place (live capture appends), so a selection survives a refresh.
class ConnectionTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column : std::uint8_t {
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
        Anomalies,
        History,
        ColumnCount
    };
    /// Sort key role: numbers sort as numbers.
    static constexpr int SortRole = Qt::UserRole + 1;

    explicit ConnectionTableModel(QObject* parent = nullptr);

    void setRows(std::vector<ConnectionRow> rows);
    /// Updates rows in place and appends new ones (ids are 0..n-1 in order).
    void updateRows(const std::vector<ConnectionRow>& rows);
    [[nodiscard]] const std::vector<ConnectionRow>& rows() const { return m_rows; }
    void setSettings(const ViewSettings& settings);

    [[nodiscard]] int rowCount(const QModelIndex& parent = {}) const override;
    [[nodiscard]] int columnCount(const QModelIndex& parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex& index, int role) const override;
    [[nodiscard]] QVariant headerData(int section, Qt::Orientation orientation,
                                      int role) const override;

    /// "mid-stream, RST, 2 retransmissions" (empty when nothing is odd).
    [[nodiscard]] static QString anomalyText(const ConnectionRow& row);

private:
    std::vector<ConnectionRow> m_rows;
    ViewSettings m_settings;
};

/// Filters the table by address/port text, by a state either side ended in,
/// and to connections with anomalies.
class ConnectionFilterModel : public QSortFilterProxyModel {
    Q_OBJECT
public:
    explicit ConnectionFilterModel(QObject* parent = nullptr);

    /// Substring of the client or server "address:port"; ":80" finds port 80.
    void setAddressFilter(const QString& text);
    /// Only connections where either side's final state is `state`.
    void setStateFilter(std::optional<State> state);
    void setAnomaliesOnly(bool on);

protected:
    [[nodiscard]] bool filterAcceptsRow(int sourceRow,
                                        const QModelIndex& sourceParent) const override;
    /// Numeric columns compare the rows' fields directly (same order as their SortRole
    /// values): sorting 100,000 rows through QVariants took a noticeable part of opening
    /// a large capture. Text columns keep the default comparison.
    [[nodiscard]] bool lessThan(const QModelIndex& left, const QModelIndex& right) const override;

private:
    QString m_address;
    std::optional<State> m_state;
    bool m_anomaliesOnly = false;
};

} // namespace tcpviz::gui
