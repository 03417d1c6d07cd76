#include "event_text.h"

#include "view_style.h"

#include <QCoreApplication>
#include <QRegularExpression>
#include <array>
#include <vector>

namespace tcpviz {

namespace {

struct Text {
    Q_DECLARE_TR_FUNCTIONS(tcpviz)
};

std::uint32_t isnOf(const Trace& trace, Side side) {
    return side == Side::Client ? trace.meta.client.isn : trace.meta.server.isn;
}

QString callLabel(UserCall call) {
    switch (call) {
    case UserCall::Listen:
        return Text::tr("LISTEN (passive open)");
    case UserCall::Connect:
        return Text::tr("CONNECT (active open)");
    case UserCall::Send:
        return Text::tr("SEND");
    case UserCall::Close:
        return Text::tr("CLOSE");
    case UserCall::Shutdown:
        return Text::tr("SHUTDOWN (half-close)");
    case UserCall::Abort:
        return Text::tr("ABORT");
    case UserCall::Recv:
        return Text::tr("RECEIVE (the application reads)");
    case UserCall::ShutdownRead:
        return Text::tr("SHUTDOWN (read side)");
    case UserCall::ShutdownBoth:
        return Text::tr("SHUTDOWN (both directions)");
    case UserCall::CloseLinger0:
        return Text::tr("CLOSE with SO_LINGER 0");
    case UserCall::Accept:
        return Text::tr("ACCEPT");
    case UserCall::CloseListener:
        return Text::tr("CLOSE the listening socket");
    }
    return {};
}

QString timerLabel(TimerKind kind) {
    switch (kind) {
    case TimerKind::Retransmission:
        return Text::tr("retransmission timeout");
    case TimerKind::TimeWait:
        return Text::tr("TIME-WAIT 2MSL timeout");
    case TimerKind::UserTimeout:
        return Text::tr("user timeout");
    case TimerKind::DelayedAck:
        return Text::tr("delayed ACK timer");
    case TimerKind::FinWait2:
        return Text::tr("FIN-WAIT-2 timeout");
    }
    return {};
}

constexpr const char* kNoteContext = "tcpviz::EventNote";

// Every remark the model writes on an event, as it writes it, with %1, %2 where
// it puts a number: the endpoints' notes (model/tcp/endpoint.cpp), the network's
// and the scripted endpoint's (model/sim/simulator.cpp), the call errors
// (model/tcp/endpoint.h) and the capture analyzer's (model/capture/analyzer.cpp).
// The translation test plays every built-in scenario and what-if branch in
// Chinese and fails on a remark that is missing here.
constexpr std::array kNotes{
    // The network (simulator).
    QT_TRANSLATE_NOOP("tcpviz::EventNote", "lost in the network"),
    QT_TRANSLATE_NOOP("tcpviz::EventNote", "duplicated by the network"),
    QT_TRANSLATE_NOOP("tcpviz::EventNote", "injected"),
    // User calls and their refusals (RFC 9293 section 3.10 error texts).
    QT_TRANSLATE_NOOP("tcpviz::EventNote", "ABORT (SO_LINGER 0)"),
    QT_TRANSLATE_NOOP("tcpviz::EventNote", "close with %1 unread bytes"),
    QT_TRANSLATE_NOOP("tcpviz::EventNote", "active OPEN on a listening connection"),
    QT_TRANSLATE_NOOP("tcpviz::EventNote", "data queued until ESTABLISHED"),
    QT_TRANSLATE_NOOP("tcpviz::EventNote", "CLOSE issued before ESTABLISHED"),
    QT_TRANSLATE_NOOP("tcpviz::EventNote", "connection does not exist"),
    QT_TRANSLATE_NOOP("tcpviz::EventNote", "connection already exists"),
    QT_TRANSLATE_NOOP("tcpviz::EventNote", "connection closing"),
    QT_TRANSLATE_NOOP("tcpviz::EventNote", "connection not accepted yet"),
    QT_TRANSLATE_NOOP("tcpviz::EventNote", "no listening socket"),
    QT_TRANSLATE_NOOP("tcpviz::EventNote", "window update: %1 bytes read"),
    QT_TRANSLATE_NOOP("tcpviz::EventNote", "listener closed: the half-open connection is dropped"),
    QT_TRANSLATE_NOOP("tcpviz::EventNote", "listener closed before accept(): reset"),
    QT_TRANSLATE_NOOP("tcpviz::EventNote",
                      "scripted endpoint: its segments come only from inject steps"),
    // Timers.
    QT_TRANSLATE_NOOP("tcpviz::EventNote", "retransmission %1, RTO now %2 ms"),
    QT_TRANSLATE_NOOP("tcpviz::EventNote", "retransmission limit reached"),
    QT_TRANSLATE_NOOP("tcpviz::EventNote", "connection timed out"),
    QT_TRANSLATE_NOOP("tcpviz::EventNote", "connection aborted due to user timeout"),
    QT_TRANSLATE_NOOP("tcpviz::EventNote", "SYN,ACK retries exhausted"),
    QT_TRANSLATE_NOOP("tcpviz::EventNote", "tcp_fin_timeout: orphan dropped"),
    QT_TRANSLATE_NOOP("tcpviz::EventNote", "delayed ACK"),
    QT_TRANSLATE_NOOP("tcpviz::EventNote", "ACK delayed"),
    // Segment arrival processing.
    QT_TRANSLATE_NOOP("tcpviz::EventNote", "no connection: reset"),
    QT_TRANSLATE_NOOP("tcpviz::EventNote", "ACK in LISTEN: reset"),
    QT_TRANSLATE_NOOP("tcpviz::EventNote", "unacceptable ACK in SYN-SENT: reset"),
    QT_TRANSLATE_NOOP("tcpviz::EventNote", "unacceptable ACK: reset"),
    QT_TRANSLATE_NOOP("tcpviz::EventNote", "connection refused"),
    QT_TRANSLATE_NOOP("tcpviz::EventNote", "connection reset"),
    QT_TRANSLATE_NOOP("tcpviz::EventNote", "retransmitted SYN: repeat SYN,ACK"),
    QT_TRANSLATE_NOOP("tcpviz::EventNote", "SYN in window: back to LISTEN"),
    QT_TRANSLATE_NOOP("tcpviz::EventNote", "challenge ACK (RFC 5961)"),
    QT_TRANSLATE_NOOP("tcpviz::EventNote", "RST ends TIME-WAIT (tcp_rfc1337 = 0)"),
    QT_TRANSLATE_NOOP("tcpviz::EventNote", "an ACK at RCV.NXT restarts TIME-WAIT"),
    QT_TRANSLATE_NOOP("tcpviz::EventNote", "restarts TIME-WAIT"),
    QT_TRANSLATE_NOOP("tcpviz::EventNote", "TIME-WAIT answers with its ACK"),
    QT_TRANSLATE_NOOP("tcpviz::EventNote", "RST in the window ends the orphan"),
    QT_TRANSLATE_NOOP("tcpviz::EventNote", "challenge ACK for SYN (RFC 5961)"),
    QT_TRANSLATE_NOOP("tcpviz::EventNote", "segment outside the window: re-ACK"),
    QT_TRANSLATE_NOOP("tcpviz::EventNote", "ACK of unsent data: re-ACK"),
    QT_TRANSLATE_NOOP("tcpviz::EventNote", "out of order: duplicate ACK"),
    QT_TRANSLATE_NOOP("tcpviz::EventNote", "data after close: reset"),
    QT_TRANSLATE_NOOP("tcpviz::EventNote", "new SYN above RCV.NXT: TIME-WAIT reopened"),
    QT_TRANSLATE_NOOP("tcpviz::EventNote", "SYN after close in FIN-WAIT-2: reset"),
    QT_TRANSLATE_NOOP("tcpviz::EventNote", "re-ACK retransmitted FIN"),
    QT_TRANSLATE_NOOP("tcpviz::EventNote", "retransmitted FIN restarts 2MSL"),
    QT_TRANSLATE_NOOP("tcpviz::EventNote", "SYN already received: immediate ACK"),
    QT_TRANSLATE_NOOP("tcpviz::EventNote", "data on the SYN not acknowledged: sent again"),
    // The listener's queues and the client hosts' ports (model/sim/host_simulator.cpp).
    QT_TRANSLATE_NOOP("tcpviz::EventNote", "SYN queue full and tcp_syncookies = 0: SYN dropped"),
    QT_TRANSLATE_NOOP("tcpviz::EventNote",
                      "SYN queue full: answered with a SYN cookie, no state kept"),
    QT_TRANSLATE_NOOP("tcpviz::EventNote",
                      "tcp_syncookies = 2: answered with a SYN cookie, no state kept"),
    QT_TRANSLATE_NOOP("tcpviz::EventNote", "accept queue full: SYN dropped"),
    QT_TRANSLATE_NOOP(
        "tcpviz::EventNote",
        "tcp_syncookies = 0 and the SYN queue past 3/4 of tcp_max_syn_backlog: SYN dropped"),
    QT_TRANSLATE_NOOP(
        "tcpviz::EventNote",
        "SYN cookie: the ISN encodes the connection; nothing is kept, nothing retransmitted"),
    QT_TRANSLATE_NOOP("tcpviz::EventNote", "SYN cookie checked: rebuilt from the ACK"),
    QT_TRANSLATE_NOOP("tcpviz::EventNote",
                      "valid SYN cookie, but the accept queue is full: ACK dropped"),
    QT_TRANSLATE_NOOP("tcpviz::EventNote", "accept queue full (tcp_abort_on_overflow = 0): ACK "
                                           "ignored, the request stays in SYN-RECEIVED"),
    QT_TRANSLATE_NOOP("tcpviz::EventNote", "accept queue full (tcp_abort_on_overflow = 1): reset"),
    QT_TRANSLATE_NOOP("tcpviz::EventNote", "request dropped: accept queue full"),
    QT_TRANSLATE_NOOP("tcpviz::EventNote", "SYN from a forged source address"),
    QT_TRANSLATE_NOOP("tcpviz::EventNote", "nobody at the forged address answers"),
    QT_TRANSLATE_NOOP("tcpviz::EventNote", "tcp_tw_reuse: port %1 taken by a new connection"),
    QT_TRANSLATE_NOOP(
        "tcpviz::EventNote",
        "EADDRINUSE: port %1 is held by %2 connection(s) in TIME-WAIT and SO_REUSEADDR is not set"),
    QT_TRANSLATE_NOOP(
        "tcpviz::EventNote",
        "EADDRNOTAVAIL: no local port free in ip_local_port_range %1-%2 towards %3.%4.%5.%6:%7"),
    QT_TRANSLATE_NOOP("tcpviz::EventNote",
                      "what-if calls are not available in a multi-connection scenario"),
    // Capture analysis.
    QT_TRANSLATE_NOOP("tcpviz::EventNote", "RST outside the receiver's window: ignored"),
    QT_TRANSLATE_NOOP("tcpviz::EventNote", "copy of packet %1 recorded by the capture"),
};

struct NotePattern {
    const char* source;
    QRegularExpression match; ///< the source with each %n as a captured number
};

const std::vector<NotePattern>& notePatterns() {
    static const std::vector<NotePattern> patterns = [] {
        std::vector<NotePattern> out;
        static const QRegularExpression placeholder(QStringLiteral("%[1-9]"));
        for (const char* source : kNotes) {
            // The literal text between the placeholders, each placeholder a number.
            const QStringList parts = QString::fromUtf8(source).split(placeholder);
            QStringList escaped;
            for (const QString& part : parts) {
                escaped << QRegularExpression::escape(part);
            }
            out.push_back({source, QRegularExpression(QLatin1Char('^') +
                                                      escaped.join(QStringLiteral("(\\d+)")) +
                                                      QLatin1Char('$'))});
        }
        return out;
    }();
    return patterns;
}

} // namespace

QString noteText(std::string_view note) {
    const QString text = toQString(note);
    for (const NotePattern& p : notePatterns()) {
        const QRegularExpressionMatch m = p.match.match(text);
        if (m.hasMatch()) {
            QString out = QCoreApplication::translate(kNoteContext, p.source);
            for (int i = 1; i <= m.lastCapturedIndex(); ++i) {
                out = out.arg(m.captured(i));
            }
            return out;
        }
    }
    return text;
}

std::int64_t shownSeq(const Trace& trace, Side sender, std::uint32_t seq,
                      const ViewSettings& settings) {
    return settings.relativeNumbers ? static_cast<std::int32_t>(seq - isnOf(trace, sender))
                                    : std::int64_t{seq};
}

std::int64_t shownAck(const Trace& trace, Side sender, std::uint32_t ack,
                      const ViewSettings& settings) {
    return settings.relativeNumbers ? static_cast<std::int32_t>(ack - isnOf(trace, peer(sender)))
                                    : std::int64_t{ack};
}

QString segmentLabel(const Trace& trace, const TraceEvent& send, const ViewSettings& settings) {
    const Segment& s = send.segment;
    QString text = toQString(flagsToString(s.flags));
    text += QStringLiteral(" seq=%1").arg(shownSeq(trace, send.endpoint, s.seq, settings));
    if (s.has(flag::ACK)) {
        text += QStringLiteral(" ack=%1").arg(shownAck(trace, send.endpoint, s.ack, settings));
    }
    if (s.len > 0) {
        text += QStringLiteral(" len=%1").arg(s.len);
    }
    return text;
}

QString formatDuration(std::int64_t us) {
    const std::int64_t a = us < 0 ? -us : us;
    if (a == 0) {
        return QStringLiteral("0");
    }
    if (a >= 1'000'000) {
        return QStringLiteral("%1 s").arg(static_cast<double>(us) / 1e6, 0, 'f',
                                          a % 1'000'000 == 0 ? 0 : (a >= 10'000'000 ? 1 : 3));
    }
    if (a >= 1000) {
        return QStringLiteral("%1 ms").arg(static_cast<double>(us) / 1e3, 0, 'f',
                                           a % 1000 == 0 ? 0 : 1);
    }
    return QStringLiteral("%1 µs").arg(us);
}

QString eventDescription(const Trace& trace, std::size_t eventIndex, const ViewSettings& settings) {
    if (eventIndex >= trace.size()) {
        return {};
    }
    const TraceEvent& e = trace.event(eventIndex);
    const QString who = sideLabel(e.endpoint);
    switch (e.kind) {
    case EventKind::Call: {
        QString text = Text::tr("The %1 application calls %2").arg(who, callLabel(e.call));
        if (e.call == UserCall::Send && e.bytes > 0) {
            text += Text::tr(" with %1 bytes").arg(e.bytes);
        }
        if (!e.callError.empty()) {
            text += Text::tr(": refused (%1)").arg(noteText(e.callError));
        }
        return text + QLatin1Char('.');
    }
    case EventKind::Send: {
        QString text = e.injected
                           ? Text::tr("A segment from outside the connection is injected: %1")
                                 .arg(segmentLabel(trace, e, settings))
                           : Text::tr("The %1 sends %2").arg(who, segmentLabel(trace, e, settings));
        if (e.retransmission) {
            text += Text::tr(" (retransmission)");
        }
        if (e.duplicate) {
            text += Text::tr(" (duplicate made by the network)");
        }
        if (e.captureCopyOf != 0) {
            text += Text::tr(" (recorded again by the capture: a copy of packet %1)")
                        .arg(e.captureCopyOf);
        }
        return text + QLatin1Char('.');
    }
    case EventKind::Arrive:
        return Text::tr("The %1 receives %2.").arg(who, segmentLabel(trace, e, settings));
    case EventKind::Drop:
        return Text::tr("The network loses the segment %1 sent by the %2.")
            .arg(segmentLabel(trace, e, settings), who);
    case EventKind::Timer:
        return Text::tr("The %1's %2 fires.").arg(who, timerLabel(e.timer));
    case EventKind::Transition: {
        const Arc& a = arc(e.arc);
        return Text::tr("The %1 goes from %2 to %3 (%4).")
            .arg(who, stateLabel(e.from, settings), stateLabel(e.to, settings),
                 toQString(a.label()));
    }
    case EventKind::Error:
        return Text::tr("The %1 application's %2() returns %3.")
            .arg(who, toQString(errorCallName(e.errorCall)),
                 toQString(socketErrorName(e.socketError)));
    }
    return {};
}

} // namespace tcpviz
