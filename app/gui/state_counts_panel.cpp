#include "state_counts_panel.h"

#include "event_text.h"
#include "qt_text.h"

#include <QEvent>
#include <QHeaderView>
#include <QLabel>
#include <QTableWidget>
#include <QVBoxLayout>

namespace tcpviz::gui {

StateCountsPanel::StateCountsPanel(QWidget* parent)
    : QWidget(parent) {
    setObjectName(QStringLiteral("stateCountsPanel"));
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(2, 2, 2, 2);
    m_heading = new QLabel(this);
    m_heading->setWordWrap(true);
    m_heading->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_heading);
    m_table = new QTableWidget(this);
    m_table->setColumnCount(3);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionMode(QAbstractItemView::NoSelection);
    m_table->verticalHeader()->hide();
    // Three short columns that always fit the dock: no column scrolled out of sight.
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    m_table->horizontalHeader()->setMinimumSectionSize(
        fontMetrics().horizontalAdvance(QStringLiteral("0000")));
    m_table->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    setMinimumWidth(fontMetrics().horizontalAdvance(QStringLiteral("SYN-RECV  Clients  Server ")) +
                    24);
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 6);
    m_table->setAlternatingRowColors(true);
    layout->addWidget(m_table, 1);
    m_footnote = new QLabel(this);
    m_footnote->setWordWrap(true);
    layout->addWidget(m_footnote);
    retranslateUi();
}

void StateCountsPanel::setSettings(const ViewSettings& settings) {
    m_settings = settings;
    fill();
}

void StateCountsPanel::setCounts(const Counts& client, const Counts& server, std::int64_t timeUs,
                                 bool simulation) {
    m_client = client;
    m_server = server;
    m_timeUs = timeUs;
    m_simulation = simulation;
    m_have = true;
    fill();
}

void StateCountsPanel::clear() {
    m_have = false;
    fill();
}

void StateCountsPanel::changeEvent(QEvent* event) {
    if (event->type() == QEvent::LanguageChange) {
        retranslateUi();
    }
    QWidget::changeEvent(event);
}

void StateCountsPanel::retranslateUi() {
    m_table->setHorizontalHeaderLabels({tr("State"), tr("Clients"), tr("Server")});
    m_table->setToolTip(
        tr("What `ss -tan | awk 'NR>1 {d[$1]++} END {for (s in d) print s, d[s]}'` prints at the "
           "playhead, on the client hosts and on the server: one row per state that has "
           "sockets."));
    fill();
}

void StateCountsPanel::fill() {
    m_table->setRowCount(0);
    if (!m_have) {
        m_heading->setText(tr("Open a capture or a scenario with many connections to count "
                              "its sockets per state."));
        m_footnote->clear();
        return;
    }
    m_heading->setText(tr("At %1, as ss -tan counts them:").arg(formatDuration(m_timeUs)));
    std::uint32_t clientTotal = 0;
    std::uint32_t serverTotal = 0;
    for (const State s : kAllStates) {
        // ss lists no CLOSED socket (a closed end is gone).
        const std::size_t i = index(s);
        if (s == State::Closed || m_client.at(i) + m_server.at(i) == 0) {
            continue;
        }
        const int row = m_table->rowCount();
        m_table->insertRow(row);
        auto* name = new QTableWidgetItem(qs(std::string(stateName(s, StateNameStyle::Linux))));
        name->setToolTip(qs(std::string(stateName(s, StateNameStyle::Rfc9293))));
        m_table->setItem(row, 0, name);
        for (const auto& [column, n] :
             {std::pair{1, m_client.at(i)}, std::pair{2, m_server.at(i)}}) {
            auto* item = new QTableWidgetItem(QString::number(n));
            item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            m_table->setItem(row, column, item);
        }
        clientTotal += m_client.at(i);
        serverTotal += m_server.at(i);
    }
    QStringList notes;
    notes << tr("Sockets: %1 on the clients, %2 on the server.").arg(clientTotal).arg(serverTotal);
    const std::uint32_t closed =
        m_client.at(index(State::Closed)) + m_server.at(index(State::Closed));
    if (closed > 0) {
        notes << tr("%n end(s) in CLOSED: ss does not list them.", nullptr,
                    static_cast<int>(closed));
    }
    if (!m_simulation) {
        notes << tr("A capture's states are inferred from its packets; a server end counts as "
                    "LISTEN until its SYN+ACK is seen.");
    }
    m_footnote->setText(notes.join(QLatin1Char(' ')));
}

} // namespace tcpviz::gui
