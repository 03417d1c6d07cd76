#include "capture_panel.h"

#include "capture/capture_reader.h"
#include "capture_controller.h"
#include "connection_table_model.h"
#include "event_text.h"
#include "qt_text.h"
#include "view_style.h"

#include <QCheckBox>
#include <QComboBox>
#include <QEvent>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QPushButton>
#include <QSlider>
#include <QTableView>
#include <QTimer>
#include <QToolButton>
#include <QTreeWidget>
#include <QVBoxLayout>
#include <algorithm>
#include <climits>

namespace tcpviz::gui {

CapturePanel::CapturePanel(CaptureController* controller, QWidget* parent)
    : QWidget(parent)
    , m_controller(controller) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(2, 2, 2, 2);
    auto* filters = new QHBoxLayout;
    m_filterText = new QLineEdit(this);
    m_filterText->setClearButtonEnabled(true);
    m_stateFilter = new QComboBox(this);
    m_stateFilter->setObjectName(QStringLiteral("stateFilter"));
    m_stateMode = new QComboBox(this);
    m_stateMode->setObjectName(QStringLiteral("stateFilterMode"));
    m_stateMode->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_anomaliesOnly = new QCheckBox(this);
    m_overviewButton = new QPushButton(this);
    filters->addWidget(m_filterText, 2);
    filters->addWidget(m_stateFilter);
    filters->addWidget(m_stateMode);
    filters->addWidget(m_anomaliesOnly);
    filters->addStretch(1);
    filters->addWidget(m_overviewButton);
    layout->addLayout(filters);

    // When the filters leave nothing, say why rather than show a blank table.
    m_emptyReason = new QLabel(this);
    m_emptyReason->setObjectName(QStringLiteral("emptyReason"));
    m_emptyReason->setWordWrap(true);
    m_emptyReason->setStyleSheet(
        QStringLiteral("QLabel { background: #fff4d6; color: #3a2a00; padding: 4px; "
                       "border-radius: 3px; }"));
    m_emptyReason->hide();
    layout->addWidget(m_emptyReason);

    m_table = new QTableView(this);
    m_table->setModel(controller->filterModel());
    // Columns fit the first 200 rows' texts rather than 1000 (Qt's default): a
    // large capture's table is sized in a fifth of the time.
    m_table->horizontalHeader()->setResizeContentsPrecision(200);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(ConnectionTableModel::Id, Qt::AscendingOrder);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setAlternatingRowColors(true);
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 6);
    layout->addWidget(m_table, 1);
    installConnectionMenu();

    m_problems = new QTreeWidget(this);
    m_problems->setColumnCount(2);
    m_problems->setRootIsDecorated(false);
    m_problems->setAlternatingRowColors(true);
    m_problems->setVisible(false);
    layout->addWidget(m_problems);

    auto* overview = new QHBoxLayout;
    m_playOverview = new QPushButton(this);
    m_playOverview->setCheckable(true);
    m_overviewSlider = new QSlider(Qt::Horizontal, this);
    m_overviewSlider->setRange(0, 1000);
    m_overviewLabel = new QLabel(this);
    m_overviewLabel->setMinimumWidth(160);
    m_summary = new QLabel(this);
    overview->addWidget(m_playOverview);
    overview->addWidget(m_overviewSlider, 1);
    overview->addWidget(m_overviewLabel);
    overview->addWidget(m_summary);
    m_problemsButton = new QToolButton(this);
    m_problemsButton->setCheckable(true);
    m_problemsButton->setVisible(false);
    overview->addWidget(m_problemsButton);
    layout->addLayout(overview);

    m_overviewTimer = new QTimer(this);
    m_overviewTimer->setInterval(50);

    connect(m_filterText, &QLineEdit::textChanged, controller->filterModel(),
            &ConnectionFilterModel::setAddressFilter);
    connect(m_stateFilter, &QComboBox::activated, this, [this](int) { applyStateFilter(); });
    connect(m_stateMode, &QComboBox::activated, this, [this](int) { applyStateFilter(); });
    connect(controller->filterModel(), &ConnectionFilterModel::filtersChanged, this,
            &CapturePanel::updateEmptyReason);
    connect(controller->tableModel(), &QAbstractItemModel::modelReset, this,
            &CapturePanel::updateEmptyReason);
    connect(m_anomaliesOnly, &QCheckBox::toggled, controller->filterModel(),
            &ConnectionFilterModel::setAnomaliesOnly);
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex& current) {
                // Rows removed by a live eviction move the current index: that is
                // not the user choosing another connection.
                if (!current.isValid() || m_ignoreCurrent || m_controller->updatingRows()) {
                    return;
                }
                const QModelIndex source = m_controller->filterModel()->mapToSource(current);
                const auto* table = m_controller->tableModel();
                if (source.row() >= 0 && source.row() < table->rowCount()) {
                    m_controller->selectConnection(
                        table->idAt(static_cast<std::size_t>(source.row())));
                }
            });
    connect(m_overviewButton, &QPushButton::clicked, this, [this] {
        m_table->clearSelection();
        m_table->setCurrentIndex({});
        m_controller->selectConnection(std::nullopt);
    });
    connect(m_overviewSlider, &QSlider::valueChanged, this, [this](int v) {
        const auto end = m_controller->endTimeUs();
        m_controller->setOverviewTime(end * v / 1000);
        if (m_controller->selectedConnection()) {
            m_controller->selectConnection(std::nullopt);
        }
        updateOverview();
    });
    // The overview plays the whole capture in about 20 s, whatever its length.
    connect(m_playOverview, &QPushButton::toggled, this, [this](bool on) {
        if (on) {
            if (m_overviewSlider->value() >= 1000) {
                m_overviewSlider->setValue(0);
            }
            m_overviewTimer->start();
        } else {
            m_overviewTimer->stop();
        }
    });
    connect(m_overviewTimer, &QTimer::timeout, this, [this] {
        const int next = std::min(1000, m_overviewSlider->value() + 2);
        m_overviewSlider->setValue(next);
        if (next >= 1000) {
            m_playOverview->setChecked(false);
        }
    });
    connect(m_problemsButton, &QToolButton::toggled, m_problems, &QWidget::setVisible);
    connect(controller, &CaptureController::stateCountsChanged, this,
            &CapturePanel::updateProblems);
    connect(controller, &CaptureController::analysisFinished, this, [this] {
        updateProblems();
        m_table->resizeColumnsToContents();
        m_overviewSlider->setValue(1000);
        m_controller->setOverviewTime(m_controller->endTimeUs());
        updateOverview();
    });
    connect(controller, &CaptureController::connectionSelected, this,
            [this](std::optional<std::size_t>) { updateOverview(); });
    // Its row is gone; the ladder stays on the evicted connection (frozen).
    connect(controller, &CaptureController::selectedConnectionEvicted, this, [this] {
        m_ignoreCurrent = true;
        m_table->clearSelection();
        m_table->setCurrentIndex({});
        m_ignoreCurrent = false;
        updateOverview();
    });
    // The chart's cursor moves the heat map's time: the slider follows.
    connect(controller, &CaptureController::overviewTimeChanged, this, [this](std::int64_t us) {
        const auto end = m_controller->endTimeUs();
        const QSignalBlocker block(m_overviewSlider);
        m_overviewSlider->setValue(end > 0 ? static_cast<int>(us * 1000 / end) : 1000);
        updateOverview();
    });
    retranslateUi();
}

void CapturePanel::applyStateFilter() {
    const int s = m_stateFilter->currentData().toInt();
    auto* filter = m_controller->filterModel();
    filter->setStateFilterMode(static_cast<StateFilterMode>(m_stateMode->currentData().toInt()));
    filter->setStateFilter(s < 0 ? std::nullopt : std::optional<State>(static_cast<State>(s)));
    m_stateMode->setEnabled(s >= 0); // "any state" reads no state at all
}

void CapturePanel::filterByState(State state, int mode) {
    m_stateFilter->setCurrentIndex(m_stateFilter->findData(static_cast<int>(state)));
    m_stateMode->setCurrentIndex(std::max(0, m_stateMode->findData(mode)));
    applyStateFilter();
}

void CapturePanel::updateEmptyReason() {
    const QString reason = m_controller->filterModel()->emptyReason();
    m_emptyReason->setText(reason);
    m_emptyReason->setVisible(!reason.isEmpty());
}

void CapturePanel::setSettings(const ViewSettings& settings) {
    m_settings = settings;
    m_controller->tableModel()->setSettings(settings);
    retranslateUi();
}

void CapturePanel::changeEvent(QEvent* event) {
    if (event->type() == QEvent::LanguageChange) {
        retranslateUi();
    }
    QWidget::changeEvent(event);
}

void CapturePanel::retranslateUi() {
    m_filterText->setPlaceholderText(tr("Filter by address or port, e.g. 10.0.0.1 or :443"));
    m_anomaliesOnly->setText(tr("Only anomalies"));
    m_anomaliesOnly->setToolTip(tr("Retransmissions, resets, connections that started before "
                                   "the capture"));
    m_overviewButton->setText(tr("All connections (heat map)"));
    m_overviewButton->setToolTip(tr("Show how many endpoints are in each state over time"));
    m_playOverview->setText(tr("Play overview"));
    m_problems->setHeaderLabels({tr("Packet"), tr("Problem")});
    m_problemsButton->setToolTip(tr("Packets that could not be decoded or were cut short, by "
                                    "packet number; the rest of the capture was analysed"));
    if (m_problems->topLevelItemCount() > 0) {
        m_problems->clear(); // the "and N more" line is rebuilt in the new language
        updateProblems();
    }
    const int current = m_stateFilter->currentIndex();
    m_stateFilter->clear();
    m_stateFilter->addItem(tr("Any state"), -1);
    for (const State s : kAllStates) {
        m_stateFilter->addItem(stateLabel(s, m_settings), static_cast<int>(s));
    }
    m_stateFilter->setCurrentIndex(std::max(current, 0));
    m_stateFilter->setToolTip(tr("Only connections with an end in this state"));
    const int mode = m_stateMode->currentIndex();
    m_stateMode->clear();
    m_stateMode->addItem(tr("as final state"), static_cast<int>(StateFilterMode::Final));
    m_stateMode->addItem(tr("ever in state"), static_cast<int>(StateFilterMode::Ever));
    m_stateMode->addItem(tr("in state at the cursor time"),
                         static_cast<int>(StateFilterMode::AtTime));
    m_stateMode->setCurrentIndex(std::max(mode, 0));
    m_stateMode->setEnabled(m_stateFilter->currentData().toInt() >= 0);
    m_stateMode->setToolTip(tr("Which state counts: the one each end ended in, any it passed "
                               "through, or the one it was in at the heat map's time"));
    updateOverview();
    updateEmptyReason();
}

void CapturePanel::updateProblems() {
    const CaptureInfo* info = m_controller->captureInfo();
    const std::size_t listed = info == nullptr ? 0 : info->errors.size();
    const std::uint64_t more = info == nullptr ? 0 : info->errorsNotListed;
    if (static_cast<std::size_t>(m_problems->topLevelItemCount()) != listed) {
        m_problems->clear();
        QList<QTreeWidgetItem*> items;
        for (std::size_t i = 0; i < listed; ++i) {
            const auto& e = info->errors[i];
            auto* item = new QTreeWidgetItem;
            item->setData(0, Qt::DisplayRole, QVariant::fromValue<qulonglong>(e.packet));
            item->setText(1, qs(e.message));
            item->setToolTip(1, qs(e.message));
            items.append(item);
        }
        if (more > 0) {
            auto* item = new QTreeWidgetItem;
            item->setText(1, tr("… and %n more, counted but not listed", nullptr,
                                static_cast<int>(std::min<std::uint64_t>(more, INT_MAX))));
            items.append(item);
        }
        m_problems->addTopLevelItems(items);
        m_problems->resizeColumnToContents(0);
    }
    const auto total = static_cast<int>(std::min<std::uint64_t>(listed + more, INT_MAX));
    m_problemsButton->setVisible(total > 0);
    m_problemsButton->setText(tr("%n packet problem(s)", nullptr, total));
    if (total == 0) {
        m_problemsButton->setChecked(false);
    }
}

void CapturePanel::updateOverview() {
    const bool overview = !m_controller->selectedConnection().has_value();
    m_overviewLabel->setText(
        overview ? tr("Heat map at %1").arg(formatDuration(m_controller->overviewTimeUs()))
        : m_controller->selectedEvicted()
            ? tr("Connection #%1 (evicted: finished, no longer in the table)")
                  .arg(*m_controller->selectedConnection())
            : tr("Connection #%1").arg(*m_controller->selectedConnection()));
    const auto held = static_cast<int>(m_controller->connectionCount());
    const std::uint64_t evicted = m_controller->evictedCount();
    m_summary->setText(
        evicted == 0
            ? tr("%n connection(s)", nullptr, held)
            : tr("%n connection(s), %1 finished ones evicted", nullptr, held).arg(evicted));
}

// Right-click on a connection: open it as the scenario that replays it.
void CapturePanel::installConnectionMenu() {
    m_table->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_table, &QWidget::customContextMenuRequested, this, [this](const QPoint& pos) {
        QMenu* menu = connectionMenu(pos);
        if (menu != nullptr) {
            menu->setAttribute(Qt::WA_DeleteOnClose);
            menu->popup(m_table->viewport()->mapToGlobal(pos));
        }
    });
}

QMenu* CapturePanel::connectionMenu(const QPoint& pos) {
    const QModelIndex index = m_table->indexAt(pos);
    if (!index.isValid()) {
        return nullptr;
    }
    const QModelIndex source = m_controller->filterModel()->mapToSource(index);
    const auto* table = m_controller->tableModel();
    if (source.row() < 0 || source.row() >= table->rowCount()) {
        return nullptr;
    }
    const std::size_t id = table->idAt(static_cast<std::size_t>(source.row()));
    auto* menu = new QMenu(m_table);
    QAction* open = menu->addAction(tr("Open connection #%1 as a scenario").arg(id));
    open->setObjectName(QStringLiteral("openAsScenario"));
    open->setEnabled(!m_controller->replayingConnection().has_value()); // one at a time
    open->setToolTip(tr("Write the scenario that replays this connection in the simulator, "
                        "and play it like a lesson: edit it, ask what if"));
    connect(open, &QAction::triggered, this, [this, id] { emit openAsScenarioRequested(id); });
    return menu;
}

} // namespace tcpviz::gui
