#pragma once

#include "tcp/state.h"
#include "view_settings.h"

#include <QWidget>

class QLabel;
class QMenu;
class QPoint;
class QLineEdit;
class QComboBox;
class QCheckBox;
class QSlider;
class QTableView;
class QPushButton;
class QTimer;
class QToolButton;
class QTreeWidget;

namespace tcpviz::gui {

class CaptureController;

/// The dock under the window for captures: filter box, connection table, and
/// the overview timeline that drives the heat map when no connection is selected.
class CapturePanel : public QWidget {
    Q_OBJECT
public:
    CapturePanel(CaptureController* controller, QWidget* parent = nullptr);
    void setSettings(const ViewSettings& settings);
    /// The connection table's context menu for the row at `pos` (viewport
    /// coordinates), or nullptr off the rows; the caller shows and deletes it.
    [[nodiscard]] QMenu* connectionMenu(const QPoint& pos);

signals:
    /// "Open as scenario" on a connection (its id as `tcpviz-cli analyze` lists it).
    void openAsScenarioRequested(std::size_t connection);

public:
    /// The capture's per-packet problems as listed (packet number, message): like
    /// Wireshark's expert info, shown under the table behind the Problems button.
    [[nodiscard]] QTreeWidget* problemsList() const { return m_problems; }
    [[nodiscard]] QToolButton* problemsButton() const { return m_problemsButton; }
    [[nodiscard]] QTableView* table() const { return m_table; }
    /// Filters the table to connections in `state`, read as `mode` says
    /// (StateFilterMode: final, ever, at the cursor time); the combo boxes follow.
    void filterByState(State state, int mode);
    /// The line that says why the table is empty (hidden when it is not).
    [[nodiscard]] QLabel* emptyReasonLabel() const { return m_emptyReason; }
    [[nodiscard]] QComboBox* stateFilterBox() const { return m_stateFilter; }
    [[nodiscard]] QComboBox* stateModeBox() const { return m_stateMode; }
    [[nodiscard]] QLineEdit* filterText() const { return m_filterText; }

protected:
    void changeEvent(QEvent* event) override;

private:
    void retranslateUi();
    void installConnectionMenu();
    void updateOverview();
    void updateProblems();
    void updateEmptyReason();
    void applyStateFilter();

    CaptureController* m_controller;
    QLineEdit* m_filterText = nullptr;
    QComboBox* m_stateFilter = nullptr;
    QComboBox* m_stateMode = nullptr;
    QLabel* m_emptyReason = nullptr;
    QCheckBox* m_anomaliesOnly = nullptr;
    QTableView* m_table = nullptr;
    bool m_ignoreCurrent = false; ///< a programmatic selection change, not the user's
    QPushButton* m_overviewButton = nullptr;
    QPushButton* m_playOverview = nullptr;
    QSlider* m_overviewSlider = nullptr;
    QLabel* m_overviewLabel = nullptr;
    QLabel* m_summary = nullptr;
    QTimer* m_overviewTimer = nullptr;
    QToolButton* m_problemsButton = nullptr;
    QTreeWidget* m_problems = nullptr;
    ViewSettings m_settings;
};

} // namespace tcpviz::gui
