#pragma once

#include "tcp/state.h"
#include "view_settings.h"

#include <QWidget>
#include <array>
#include <cstdint>

class QLabel;
class QTableWidget;

namespace tcpviz::gui {

/// What `ss -tan | awk 'NR>1 {d[$1]++} END {for (s in d) print s, d[s]}'` would
/// print at the playhead, client hosts and server host apart: one row per state
/// that has sockets, named as ss names it (ESTAB, SYN-RECV, TIME-WAIT...). Fed
/// from the open document's timeline, so captures and simulations read alike.
class StateCountsPanel : public QWidget {
    Q_OBJECT
public:
    using Counts = std::array<std::uint32_t, kStateCount>;

    explicit StateCountsPanel(QWidget* parent = nullptr);
    void setSettings(const ViewSettings& settings);
    /// The counts at `timeUs` (shown in the heading); `simulation`: sockets counted
    /// as ss lists them; a capture's ends are inferred, CLOSED ones included.
    void setCounts(const Counts& client, const Counts& server, std::int64_t timeUs,
                   bool simulation);
    /// No document: an empty table and a word on what fills it.
    void clear();
    [[nodiscard]] QTableWidget* table() const { return m_table; }
    [[nodiscard]] QLabel* heading() const { return m_heading; }

protected:
    void changeEvent(QEvent* event) override;

private:
    void retranslateUi();
    void fill();

    QLabel* m_heading = nullptr;
    QTableWidget* m_table = nullptr;
    QLabel* m_footnote = nullptr;
    Counts m_client{};
    Counts m_server{};
    std::int64_t m_timeUs = 0;
    bool m_simulation = false;
    bool m_have = false;
    ViewSettings m_settings;
};

} // namespace tcpviz::gui
