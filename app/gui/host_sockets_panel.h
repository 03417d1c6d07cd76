#pragma once

#include "tcp/state.h"
#include "view_settings.h"

#include <QWidget>
#include <array>
#include <memory>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QTableWidget;
class QTimer;

namespace tcpviz {
struct HostSnapshot; // host/host_sockets.h stays out of this header: moc cannot parse <compare>
class StateTimeline;
class StatesChartView;
} // namespace tcpviz

namespace tcpviz::gui {

/// This machine's own TCP sockets, read through sock_diag as `ss` reads them and
/// refreshed every second while shown: the counts per state that
/// `ss -tan | awk '{print $1}' | sort | uniq -c` prints, and a table of sockets
/// (state, local, remote, timer, owning process) filtered by port and state, so
/// that "which process holds the CLOSE-WAIT sockets on :8080" is one filter away.
class HostSocketsPanel : public QWidget {
    Q_OBJECT
public:
    explicit HostSocketsPanel(QWidget* parent = nullptr);
    ~HostSocketsPanel() override;
    void setSettings(const ViewSettings& settings);

    /// Reads the sockets again (the timer calls it every second while shown).
    void refresh();
    [[nodiscard]] QTableWidget* table() const { return m_table; }
    [[nodiscard]] QLineEdit* portFilter() const { return m_port; }
    [[nodiscard]] const HostSnapshot& snapshot() const { return *m_snapshot; }
    /// Sockets per state among those the filters let through.
    [[nodiscard]] std::array<std::size_t, kStateCount> filteredCounts() const { return m_counts; }
    /// The filtered counts over time, one sample a refresh (the last ten minutes;
    /// a new filter starts it again), client and server ends apart (hostSides).
    [[nodiscard]] const StateTimeline& timeline() const { return *m_timeline; }
    [[nodiscard]] StatesChartView* chart() const { return m_chart; }
    /// Whether the counts should light the state graph as a heat map.
    [[nodiscard]] bool showOnGraph() const;

signals:
    /// New counts after a refresh or a filter change.
    void countsChanged(const std::array<std::size_t, kStateCount>& counts);
    void showOnGraphToggled(bool on);

protected:
    void changeEvent(QEvent* event) override;
    void showEvent(QShowEvent* event) override;
    void hideEvent(QHideEvent* event) override;

private:
    void retranslateUi();
    void fill();
    /// Adds the current filtered counts to the chart's history.
    void sample();
    void filtersChanged();

    QLineEdit* m_port = nullptr;
    QComboBox* m_state = nullptr;
    QCheckBox* m_onGraph = nullptr;
    QLabel* m_summary = nullptr;
    QTableWidget* m_table = nullptr;
    QTimer* m_timer = nullptr;
    std::unique_ptr<HostSnapshot> m_snapshot;
    QString m_error;
    std::array<std::size_t, kStateCount> m_counts{};
    std::array<std::array<std::uint32_t, kStateCount>, 2> m_sideCounts{};
    StatesChartView* m_chart = nullptr;
    struct History;
    std::unique_ptr<History> m_history;
    std::unique_ptr<StateTimeline> m_timeline;
    ViewSettings m_settings;
    bool m_sized = false;
};

} // namespace tcpviz::gui
