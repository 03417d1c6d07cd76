#include "host_sockets_panel.h"

#include "capture/state_timeline.h"
#include "host/host_sockets.h"
#include "qt_text.h"
#include "states_chart_view.h"
#include "view_style.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDateTime>
#include <QEvent>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QSplitter>
#include <QTableWidget>
#include <QTimer>
#include <QVBoxLayout>
#include <algorithm>
#include <deque>

namespace tcpviz::gui {

namespace {

/// Rows shown at most: a busy server's tens of thousands of TIME-WAIT sockets are
/// counted in full, but a table that long helps nobody (filter instead).
constexpr int kMaxRows = 5000;

/// Samples kept for the chart: ten minutes at one a second.
constexpr std::size_t kHistory = 600;

} // namespace

struct HostSocketsPanel::History {
    std::deque<StateTimeline::Sample> samples;
};

HostSocketsPanel::HostSocketsPanel(QWidget* parent)
    : QWidget(parent)
    , m_snapshot(std::make_unique<HostSnapshot>())
    , m_history(std::make_unique<History>())
    , m_timeline(std::make_unique<StateTimeline>()) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(2, 2, 2, 2);
    auto* filters = new QHBoxLayout;
    m_port = new QLineEdit(this);
    m_port->setClearButtonEnabled(true);
    m_state = new QComboBox(this);
    m_onGraph = new QCheckBox(this);
    filters->addWidget(m_port, 1);
    filters->addWidget(m_state);
    filters->addWidget(m_onGraph);
    layout->addLayout(filters);
    m_summary = new QLabel(this);
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_summary);
    m_table = new QTableWidget(this);
    m_table->setColumnCount(5);
    m_table->setSortingEnabled(true);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setAlternatingRowColors(true);
    m_table->setWordWrap(false);
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 6);
    // The states over time beside the table: what the counts did while watched.
    m_chart = new StatesChartView(this);
    m_chart->setObjectName(QStringLiteral("hostStatesChart"));
    auto* split = new QSplitter(Qt::Horizontal, this);
    split->addWidget(m_table);
    split->addWidget(m_chart);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    split->setChildrenCollapsible(false);
    layout->addWidget(split, 1);
    m_timer = new QTimer(this);
    m_timer->setInterval(1000);
    connect(m_timer, &QTimer::timeout, this, &HostSocketsPanel::refresh);
    connect(m_port, &QLineEdit::textChanged, this, &HostSocketsPanel::filtersChanged);
    connect(m_state, &QComboBox::activated, this, &HostSocketsPanel::fill);
    connect(m_onGraph, &QCheckBox::toggled, this, &HostSocketsPanel::showOnGraphToggled);
    retranslateUi();
}

HostSocketsPanel::~HostSocketsPanel() = default;

void HostSocketsPanel::setSettings(const ViewSettings& settings) {
    m_settings = settings;
    m_chart->setSettings(settings);
    retranslateUi();
}

bool HostSocketsPanel::showOnGraph() const {
    return m_onGraph->isChecked();
}

void HostSocketsPanel::showEvent(QShowEvent* event) {
    refresh();
    m_timer->start();
    QWidget::showEvent(event);
}

void HostSocketsPanel::hideEvent(QHideEvent* event) {
    m_timer->stop();
    QWidget::hideEvent(event);
}

void HostSocketsPanel::changeEvent(QEvent* event) {
    if (event->type() == QEvent::LanguageChange) {
        retranslateUi();
    }
    QWidget::changeEvent(event);
}

void HostSocketsPanel::retranslateUi() {
    m_port->setPlaceholderText(tr("Port, e.g. 8080"));
    m_onGraph->setText(tr("Show on the state graph"));
    m_onGraph->setToolTip(tr("Light the state graph with how many sockets are in each state"));
    m_table->setHorizontalHeaderLabels(
        {tr("State"), tr("Local"), tr("Remote"), tr("Timer"), tr("Process")});
    const int current = std::max(m_state->currentIndex(), 0);
    m_state->clear();
    m_state->addItem(tr("Any state"), -1);
    for (const State s : kAllStates) {
        m_state->addItem(stateLabel(s, m_settings), static_cast<int>(s));
    }
    m_state->setCurrentIndex(current);
    fill();
}

void HostSocketsPanel::refresh() {
    if (Result<HostSnapshot> snap = readHostSockets()) {
        *m_snapshot = std::move(*snap);
        m_error.clear();
    } else {
        m_error = qs(snap.error());
    }
    fill();
    sample();
}

void HostSocketsPanel::filtersChanged() {
    // Another port: the history was of other sockets.
    m_history->samples.clear();
    fill();
    sample();
}

void HostSocketsPanel::sample() {
    auto& samples = m_history->samples;
    StateTimeline::Sample s;
    s.timeNs = QDateTime::currentMSecsSinceEpoch() * 1'000'000;
    if (!samples.empty() && s.timeNs <= samples.back().timeNs) {
        s.timeNs = samples.back().timeNs + 1; // two refreshes within a millisecond
    }
    s.counts = m_sideCounts;
    samples.push_back(s);
    while (samples.size() > kHistory) {
        samples.pop_front();
    }
    const std::vector<StateTimeline::Sample> all(samples.begin(), samples.end());
    *m_timeline = StateTimeline::fromSamples(all);
    // A single sample still shows as a sliver: the chart needs a span of time.
    const std::int64_t start = all.front().timeNs;
    const std::int64_t end = std::max(all.back().timeNs, start + 1'000'000'000);
    m_chart->setTimeline(m_timeline.get(), start, end);
    m_chart->setOrigin(start);
    m_chart->setCursorTime(all.back().timeNs);
}

void HostSocketsPanel::fill() {
    bool portOk = false;
    const int port = m_port->text().trimmed().remove(QLatin1Char(':')).toInt(&portOk);
    const int state = m_state->currentData().toInt();
    std::vector<const HostSocket*> rows;
    m_counts = {};
    m_sideCounts = {};
    const std::vector<Side> sides = hostSides(*m_snapshot);
    for (std::size_t i = 0; i < m_snapshot->sockets.size(); ++i) {
        const HostSocket& s = m_snapshot->sockets[i];
        if (portOk && s.local.port != port && s.remote.port != port) {
            continue;
        }
        ++m_counts.at(static_cast<std::size_t>(s.state));
        ++m_sideCounts.at(static_cast<std::size_t>(sides[i])).at(static_cast<std::size_t>(s.state));
        if (state < 0 || static_cast<int>(s.state) == state) {
            rows.push_back(&s);
        }
    }
    QStringList parts;
    for (const State s : kAllStates) {
        if (const auto n = m_counts.at(static_cast<std::size_t>(s)); n > 0) {
            parts << QStringLiteral("%1 %2").arg(stateLabel(s, m_settings)).arg(n);
        }
    }
    QString summary =
        parts.isEmpty() ? tr("No TCP socket matches.") : parts.join(QStringLiteral(" · "));
    if (!m_error.isEmpty()) {
        summary = tr("Cannot read this machine's sockets: %1").arg(m_error);
    } else if (!m_snapshot->allOwnersKnown) {
        summary += QLatin1Char('\n') + tr("Processes of other users are shown only to root.");
    }
    const int shown = std::min(static_cast<int>(rows.size()), kMaxRows);
    if (shown < static_cast<int>(rows.size())) {
        summary += QLatin1Char('\n') +
                   tr("%n socket(s) more than the table shows: filter by port or state.", nullptr,
                      static_cast<int>(rows.size()) - shown);
    }
    m_summary->setText(summary);

    m_table->setSortingEnabled(false);
    m_table->setRowCount(shown);
    for (int r = 0; r < shown; ++r) {
        const HostSocket& s = *rows.at(static_cast<std::size_t>(r));
        QStringList owners;
        for (const auto& o : s.owners) {
            owners << QStringLiteral("%1/%2").arg(qs(o.command)).arg(o.pid);
        }
        const QString timer = s.timer.empty()
                                  ? QString()
                                  : QStringLiteral("%1 %2 ms").arg(qs(s.timer)).arg(s.timerMs);
        const std::array<QString, 5> cells{stateLabel(s.state, m_settings), qs(s.local.toString()),
                                           qs(s.remote.toString()), timer,
                                           owners.join(QStringLiteral(", "))};
        for (int c = 0; c < 5; ++c) {
            auto* item = m_table->item(r, c);
            if (item == nullptr) {
                item = new QTableWidgetItem;
                m_table->setItem(r, c, item);
            }
            item->setText(cells.at(static_cast<std::size_t>(c)));
        }
    }
    m_table->setSortingEnabled(true);
    if ((!m_sized || shown <= 200) && shown > 0) {
        // On the first rows, and while there are few (a filter): states,
        // addresses and timers shown whole, not elided.
        m_table->resizeColumnsToContents();
        m_sized = true;
    }
    emit countsChanged(m_counts);
}

} // namespace tcpviz::gui
