#include "segment_details_view.h"

#include "event_text.h"
#include "sequence_layout.h"
#include "view_style.h"

#include <QHeaderView>

namespace tcpviz {

namespace {

QTreeWidgetItem* add(QTreeWidgetItem* parent, const QString& field, const QString& value = {}) {
    auto* item = new QTreeWidgetItem(parent, QStringList{field, value});
    return item;
}

} // namespace

SegmentDetailsView::SegmentDetailsView(QWidget* parent)
    : QTreeWidget(parent) {
    setColumnCount(2);
    header()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    header()->setStretchLastSection(true);
    setUniformRowHeights(true);
    setAlternatingRowColors(true);
    setRootIsDecorated(true);
    rebuild();
}

void SegmentDetailsView::setTrace(const Trace* trace) {
    m_trace = trace;
    m_layout = trace != nullptr ? SequenceLayout(*trace) : SequenceLayout();
    m_position = 0;
    m_shown.reset();
    rebuild();
}

void SegmentDetailsView::setPosition(std::size_t position) {
    m_position = m_trace == nullptr ? 0 : std::min(position, m_trace->size());
    m_shown.reset();
    if (m_trace != nullptr) {
        m_shown = m_layout.lastSegmentEventBefore(m_position);
    }
    rebuild();
}

void SegmentDetailsView::pinEvent(std::size_t eventIndex) {
    if (m_trace == nullptr || eventIndex >= m_trace->size()) {
        return;
    }
    const EventKind k = m_trace->event(eventIndex).kind;
    if (k == EventKind::Send || k == EventKind::Arrive || k == EventKind::Drop) {
        m_shown = eventIndex;
        rebuild();
    }
}

void SegmentDetailsView::setSettings(const ViewSettings& settings) {
    m_settings = settings;
    setPalette(viewPalette(settings));
    setFont(viewFont(settings));
    rebuild();
}

QString SegmentDetailsView::valueOf(const QString& field) const {
    const auto found = findItems(field, Qt::MatchExactly | Qt::MatchRecursive, 0);
    return found.isEmpty() ? QString() : found.front()->text(1);
}

void SegmentDetailsView::rebuild() {
    // Here rather than once in the constructor: the language can change live.
    setHeaderLabels({tr("Field"), tr("Value")});
    clear();
    if (m_trace == nullptr) {
        return;
    }
    const Trace& t = *m_trace;
    const auto number = [&](std::int64_t shown, std::uint32_t raw) {
        return m_settings.relativeNumbers ? tr("%1 (relative), %2 (raw)").arg(shown).arg(raw)
                                          : QString::number(raw);
    };

    if (m_shown) {
        const TraceEvent& e = t.event(*m_shown);
        // The Send event carries the sender and the network's markers.
        const TraceEvent* send = &e;
        if (e.kind != EventKind::Send) {
            const std::size_t a = m_layout.arrowOfEvent(e.index);
            if (a < m_layout.arrows().size()) {
                send = &t.event(m_layout.arrows()[a].sendIndex);
            }
        }
        const Side sender = e.kind == EventKind::Arrive ? peer(e.endpoint) : e.endpoint;
        const Segment& s = e.segment;
        auto* top = new QTreeWidgetItem(
            this,
            QStringList{tr("Segment %1 \u2192 %2").arg(sideLabel(sender), sideLabel(peer(sender))),
                        segmentLabel(t, *send, m_settings)});
        QString what;
        switch (e.kind) {
        case EventKind::Send:
            what = tr("sent at %1").arg(formatDuration(e.timeUs));
            break;
        case EventKind::Arrive:
            what = tr("received at %1").arg(formatDuration(e.timeUs));
            break;
        default:
            what = tr("lost at %1").arg(formatDuration(e.timeUs));
            break;
        }
        add(top, tr("Event"), tr("#%1, %2").arg(e.index).arg(what));
        if (e.packet != 0) {
            add(top, tr("Capture packet"), QString::number(e.packet));
        }
        if (t.meta.fromCapture && send->kind == EventKind::Send) {
            // The capture point saw the packet once; when it left its sender and
            // reached its receiver follows from the estimated delays.
            add(top, tr("Captured at"), formatDuration(send->capturedUs));
            if (t.meta.capture.basis == DelayBasis::None) {
                add(top, tr("Estimated sending"), tr("unknown (no delay estimate)"));
                add(top, tr("Estimated arrival"), tr("unknown (no delay estimate)"));
            } else {
                add(top, tr("Estimated sending"), formatDuration(send->timeUs));
                add(top, tr("Estimated arrival"), formatDuration(send->plannedArrivalUs));
            }
        }
        add(top, tr("Source port"), QString::number(s.srcPort));
        add(top, tr("Destination port"), QString::number(s.dstPort));
        add(top, tr("Sequence number"), number(shownSeq(t, sender, s.seq, m_settings), s.seq));
        if (s.has(flag::ACK)) {
            add(top, tr("Acknowledgment number"),
                number(shownAck(t, sender, s.ack, m_settings), s.ack));
        } else {
            add(top, tr("Acknowledgment number"), tr("(not valid: ACK not set)"));
        }
        if (s.seqLen() > 0) {
            add(top, tr("Next sequence number"),
                number(shownSeq(t, sender, s.seq + s.seqLen(), m_settings), s.seq + s.seqLen()));
        }
        auto* flags = add(top, tr("Flags"),
                          QStringLiteral("0x%1 (%2)")
                              .arg(s.flags, 3, 16, QLatin1Char('0'))
                              .arg(toQString(flagsToString(s.flags))));
        const std::array<std::pair<std::uint8_t, const char*>, 8> bits{{{flag::CWR, "CWR"},
                                                                        {flag::ECE, "ECE"},
                                                                        {flag::URG, "URG"},
                                                                        {flag::ACK, "ACK"},
                                                                        {flag::PSH, "PSH"},
                                                                        {flag::RST, "RST"},
                                                                        {flag::SYN, "SYN"},
                                                                        {flag::FIN, "FIN"}}};
        for (const auto& [bit, name] : bits) {
            add(flags, QString::fromLatin1(name), s.has(bit) ? tr("Set") : tr("Not set"));
        }
        flags->setExpanded(true);
        add(top, tr("Window"), QString::number(s.window));
        add(top, tr("Payload length"), tr("%n byte(s)", nullptr, static_cast<int>(s.len)));
        const TcpOptions& o = s.options;
        if (o.mss || o.windowScale || o.sackPermitted || !o.sackBlocks.empty() || o.timestamp) {
            auto* opts = add(top, tr("Options"));
            if (o.mss) {
                add(opts, tr("Maximum segment size"), QString::number(*o.mss));
            }
            if (o.windowScale) {
                add(opts, tr("Window scale"),
                    tr("%1 (multiply by %2)").arg(*o.windowScale).arg(1U << *o.windowScale));
            }
            if (o.sackPermitted) {
                add(opts, tr("SACK permitted"), tr("Yes"));
            }
            for (const auto& [left, right] : o.sackBlocks) {
                add(opts, tr("SACK block"),
                    QStringLiteral("%1-%2")
                        .arg(shownAck(t, sender, left, m_settings))
                        .arg(shownAck(t, sender, right, m_settings)));
            }
            if (o.timestamp) {
                add(opts, tr("Timestamps"),
                    tr("TSval %1, TSecr %2").arg(o.timestamp->first).arg(o.timestamp->second));
            }
            opts->setExpanded(true);
        }
        // What happened to it on the way.
        QStringList markers;
        if (send->retransmission) {
            markers << tr("retransmission");
        }
        if (send->duplicate) {
            markers << tr("duplicate made by the network");
        }
        if (send->injected) {
            markers << tr("injected from outside the connection");
        }
        const std::size_t ai = m_layout.arrowOfSend(send->index);
        if (ai < m_layout.arrows().size()) {
            const SegmentArrow& a = m_layout.arrows()[ai];
            const std::size_t known = std::max(m_position, *m_shown + 1);
            if (a.lost && a.endIndex != kNoEvent && a.endIndex < known) {
                markers << tr("lost");
            }
            if (a.reordered && a.endIndex < known) {
                markers << tr("arrived out of order");
            }
            if (a.endIndex != kNoEvent && !a.lost) {
                add(top, tr("Flight time"), formatDuration(a.endUs - a.sendUs));
            }
        }
        add(top, tr("Markers"),
            markers.isEmpty() ? tr("none") : markers.join(QStringLiteral(", ")));
        if (const std::string_view note = displayNote(e); !note.empty()) {
            add(top, tr("Note"), noteText(note));
        }
        top->setExpanded(true);
    } else {
        new QTreeWidgetItem(this, QStringList{tr("No segment yet"), QString()});
    }

    const Snapshot& snap = t.snapshotAt(m_position);
    for (Side side : {Side::Client, Side::Server}) {
        const Tcb& tcb = snap.of(side);
        auto* item = new QTreeWidgetItem(this, QStringList{tr("%1 TCB").arg(sideLabel(side)),
                                                           stateLabel(tcb.state, m_settings)});
        add(item, tr("State"), stateLabel(tcb.state, m_settings));
        if (tcb.state != tcpviz::State::Closed && tcb.state != tcpviz::State::Listen) {
            add(item, QStringLiteral("SND.UNA"),
                number(shownSeq(t, side, tcb.sndUna, m_settings), tcb.sndUna));
            add(item, QStringLiteral("SND.NXT"),
                number(shownSeq(t, side, tcb.sndNxt, m_settings), tcb.sndNxt));
            add(item, QStringLiteral("SND.WND"), QString::number(tcb.sndWnd));
            add(item, QStringLiteral("RCV.NXT"),
                number(shownSeq(t, peer(side), tcb.rcvNxt, m_settings), tcb.rcvNxt));
            add(item, QStringLiteral("RCV.WND"), QString::number(tcb.rcvWnd));
        }
        if (tcb.retransmitDeadlineUs) {
            add(item, tr("Retransmission timer"),
                tr("fires at %1").arg(formatDuration(*tcb.retransmitDeadlineUs)));
        }
        if (tcb.timeWaitDeadlineUs) {
            add(item, tr("2MSL timer"),
                tr("fires at %1").arg(formatDuration(*tcb.timeWaitDeadlineUs)));
        }
        item->setExpanded(true);
    }
}

} // namespace tcpviz
