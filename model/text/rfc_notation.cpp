#include "text/rfc_notation.h"

#include "text/note_text.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <sstream>

namespace tcpviz {

namespace {

std::string padded(std::string text, std::size_t width) {
    if (text.size() < width) {
        text.append(width - text.size(), ' ');
    }
    return text;
}

/// Display width: CJK characters take two columns, other code points one.
std::size_t displayWidth(std::string_view text) {
    std::size_t width = 0;
    for (std::size_t i = 0; i < text.size();) {
        const auto c = static_cast<unsigned char>(text[i]);
        std::size_t len = 1;
        if (c >= 0xF0) {
            len = 4;
        } else if (c >= 0xE0) {
            len = 3;
        } else if (c >= 0xC0) {
            len = 2;
        }
        width += len >= 3 ? 2 : 1;
        i += len;
    }
    return width;
}

std::string call(const TraceEvent& e) {
    std::string out = "(" + std::string(userCallName(e.call));
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    if (e.call == UserCall::Send) {
        out += " " + std::to_string(e.bytes);
    }
    return out + ")";
}

const char* tr(Language lang, const char* en, const char* zh) {
    return lang == Language::Zh ? zh : en;
}

std::string timerText(TimerKind t, Language lang) {
    switch (t) {
    case TimerKind::Retransmission:
        return tr(lang, "[retransmission timeout]", "[重传超时]");
    case TimerKind::TimeWait:
        return tr(lang, "[2MSL timer expires]", "[2MSL 定时器到期]");
    case TimerKind::UserTimeout:
        return tr(lang, "[user timeout]", "[用户超时]");
    case TimerKind::DelayedAck:
        return tr(lang, "[delayed-ACK timer]", "[延迟确认定时器]");
    case TimerKind::FinWait2:
        return tr(lang, "[FIN-WAIT-2 timeout]", "[FIN-WAIT-2 超时]");
    }
    return {};
}

/// An arc's label in the style of the RFC figure ("rcv FIN / snd ACK"), in
/// Chinese for the Chinese table: the figure's verbs and phrases translated, the
/// flags, states and calls kept.
std::string arcLabel(const Arc& a, Language lang) {
    std::string label = a.label();
    if (lang != Language::Zh) {
        return label;
    }
    // Longer phrases first, so that "rcv ACK of SYN" is not cut into "rcv" + ...
    static constexpr std::array<std::pair<std::string_view, std::string_view>, 18> kPhrases{{
        {"SYN,ACK retries exhausted", "SYN+ACK 重传次数用尽"},
        {"drop half-open connection", "丢弃半连接"},
        {"rcv FIN,ACK of FIN", "收到确认我方 FIN 的 FIN"},
        {"CLOSE with unread data", "有未读数据时 CLOSE"},
        {"rcv data after CLOSE", "CLOSE 之后收到数据"},
        {"rcv SYN in window", "窗口内收到 SYN"},
        {"retransmission limit", "重传次数用尽"},
        {"ACK of SYN", "对 SYN 的 ACK"},
        {"ACK of FIN", "对 FIN 的 ACK"},
        {"passive OPEN", "被动 OPEN"},
        {"active OPEN", "主动 OPEN"},
        {"USER TIMEOUT", "用户超时"},
        {"Timeout=2MSL", "超时=2MSL"},
        {"create TCB", "创建 TCB"},
        {"delete TCB", "删除 TCB"},
        {"SYN,ACK", "SYN+ACK"},
        {"rcv ", "收到 "},
        {"snd ", "发送 "},
    }};
    for (const auto& [en, zh] : kPhrases) {
        for (auto at = label.find(en); at != std::string::npos; at = label.find(en, at)) {
            label.replace(at, en.size(), zh);
            at += zh.size();
        }
    }
    return label;
}

/// One line of the figure before layout.
struct Line {
    std::size_t event = 0;
    std::string left;   ///< TCP A column
    std::string middle; ///< arrows and segment, or a bracketed remark
    bool middleIsSegment = false;
    std::string leftArrow;
    std::string rightArrow;
    std::string right; ///< TCP B column
    std::vector<std::string> remarks;
};

class Formatter {
public:
    Formatter(const Trace& trace, const RfcNotationOptions& options)
        : m_trace(trace)
        , m_options(options)
        , m_absorbed(trace.size(), false)
        , m_arrivalDone(trace.size(), false) {
        // The state columns are as wide as the longest name ("SYN-RECEIVED").
        for (const State st : kAllStates) {
            m_stateWidth = std::max(m_stateWidth, stateName(st, options.stateNames).size());
        }
    }

    std::string run() {
        std::vector<Line> lines;
        Line first;
        first.left =
            std::string(stateName(m_trace.initial().of(Side::Client).state, m_options.stateNames));
        first.right =
            std::string(stateName(m_trace.initial().of(Side::Server).state, m_options.stateNames));
        lines.push_back(first);
        const auto& events = m_trace.events();
        for (std::size_t i = 0; i < events.size(); ++i) {
            if (m_absorbed[i] || m_arrivalDone[i]) {
                continue;
            }
            lines.push_back(lineFor(i));
        }
        return layout(lines);
    }

private:
    std::string state(Side side, std::size_t position) const {
        return std::string(stateName(m_trace.stateAt(side, position), m_options.stateNames));
    }

    /// End (exclusive) of the reaction event i is part of or causes (Trace::reaction).
    /// The Transitions in it after event i are shown through the state columns of
    /// event i's line.
    std::size_t reactionEnd(std::size_t i) {
        const std::size_t end = m_trace.reaction(i).end;
        for (std::size_t j = i + 1; j < end; ++j) {
            if (m_trace.event(j).kind == EventKind::Transition) {
                m_absorbed[j] = true;
            }
        }
        return end;
    }

    /// Whether a line would be printed for an event strictly between i and k.
    bool printedBetween(std::size_t i, std::size_t k) const {
        for (std::size_t j = i + 1; j < k; ++j) {
            if (!m_absorbed[j] && !m_arrivalDone[j]) {
                return true;
            }
        }
        return false;
    }

    std::optional<std::size_t> fateOf(std::size_t sendIndex) const {
        const auto& events = m_trace.events();
        const auto& send = events[sendIndex];
        for (std::size_t k = sendIndex + 1; k < events.size(); ++k) {
            const auto& e = events[k];
            if ((e.kind == EventKind::Arrive || e.kind == EventKind::Drop) &&
                e.segmentId == send.segmentId) {
                return k;
            }
        }
        return std::nullopt;
    }

    std::vector<std::string> segmentRemarks(const TraceEvent& e) const {
        const Language lang = m_options.lang;
        std::vector<std::string> out;
        // The endpoint's note on a timeout retransmission ("retransmission 2, RTO now
        // 4000 ms", in Chinese too) already says it; a network copy carries the network's note.
        const bool noteSaysRetransmission = e.reason == SendReason::Retransmission && !e.duplicate;
        if (e.retransmission && !noteSaysRetransmission) {
            out.emplace_back(tr(lang, "retransmission", "重传"));
        }
        if (e.duplicate) {
            out.emplace_back(tr(lang, "network duplicate", "网络复制的副本"));
        }
        if (e.injected) {
            out.emplace_back(tr(lang, "injected", "注入"));
        }
        // Only the producer's own note: displayNote()'s words for losses, copies and
        // injected segments would repeat the remarks above (and the caller's "lost").
        if (!e.note.empty()) {
            out.push_back(localizedNote(e.note).in(lang));
        }
        return out;
    }

    Line lineFor(std::size_t i) {
        const auto& e = m_trace.event(i);
        const Language lang = m_options.lang;
        Line line;
        line.event = i;
        switch (e.kind) {
        case EventKind::Call: {
            const std::size_t end = reactionEnd(i);
            // Only transitions are absorbed by a call; its segments get their own lines.
            line.left = e.endpoint == Side::Client ? call(e) : state(Side::Client, end);
            line.right = e.endpoint == Side::Server ? call(e) : state(Side::Server, end);
            if (!e.callError.empty()) {
                line.remarks.push_back(tr(lang, "error: ", "错误：") +
                                       localizedNote(e.callError).in(lang));
            }
            break;
        }
        case EventKind::Send:
            return sendLine(i);
        case EventKind::Arrive:
        case EventKind::Drop:
            return lateFateLine(i);
        case EventKind::Timer: {
            const std::size_t end = reactionEnd(i);
            line.left = state(Side::Client, end);
            line.right = state(Side::Server, end);
            line.middle =
                std::string(e.endpoint == Side::Client ? "A " : "B ") + timerText(e.timer, lang);
            break;
        }
        case EventKind::Transition: {
            const std::size_t end = reactionEnd(i);
            line.left = state(Side::Client, end);
            line.right = state(Side::Server, end);
            line.middle = std::string(e.endpoint == Side::Client ? "A [" : "B [") +
                          arcLabel(arc(e.arc), lang) + "]";
            break;
        }
        case EventKind::Error: {
            const std::size_t end = reactionEnd(i);
            line.left = state(Side::Client, end);
            line.right = state(Side::Server, end);
            line.middle = std::string(e.endpoint == Side::Client ? "A " : "B ") +
                          std::string(errorCallName(e.errorCall)) +
                          "() = " + std::string(socketErrorName(e.socketError));
            break;
        }
        }
        return line;
    }

    Line sendLine(std::size_t i) {
        const auto& e = m_trace.event(i);
        const Language lang = m_options.lang;
        Line line;
        line.event = i;
        line.middle = segmentNotation(e.segment, e.endpoint, m_trace.meta, m_options.relative);
        line.middleIsSegment = true;
        line.remarks = segmentRemarks(e);
        const bool fromA = e.endpoint == Side::Client;
        const std::size_t senderEnd = reactionEnd(i);
        const std::string senderState = state(e.endpoint, senderEnd);
        (fromA ? line.left : line.right) = e.injected ? std::string() : senderState;
        (fromA ? line.leftArrow : line.rightArrow) = fromA ? "-->" : "<--";

        const auto fate = fateOf(i);
        if (fate && !printedBetween(senderEnd - 1, *fate)) {
            const auto& f = m_trace.event(*fate);
            m_arrivalDone[*fate] = true;
            if (f.kind == EventKind::Drop) {
                (fromA ? line.rightArrow : line.leftArrow) = fromA ? "--X" : "X--";
                line.remarks.insert(line.remarks.begin(), tr(lang, "lost", "丢失"));
            } else {
                const std::size_t end = reactionEnd(*fate);
                (fromA ? line.rightArrow : line.leftArrow) = fromA ? "-->" : "<--";
                (fromA ? line.right : line.left) = state(f.endpoint, end);
                if (!f.note.empty() && f.note != e.note) {
                    line.remarks.push_back(localizedNote(f.note).in(lang));
                }
            }
        } else {
            (fromA ? line.rightArrow : line.leftArrow) = "...";
        }
        return line;
    }

    /// An arrival or loss shown apart from its send because other things happened
    /// while the segment was in flight.
    Line lateFateLine(std::size_t k) {
        const auto& f = m_trace.event(k);
        const Language lang = m_options.lang;
        Line line;
        line.event = k;
        // Arrive names the receiver; Drop names the sender.
        const Side sender = f.kind == EventKind::Arrive ? peer(f.endpoint) : f.endpoint;
        const bool fromA = sender == Side::Client;
        line.middle = segmentNotation(f.segment, sender, m_trace.meta, m_options.relative);
        line.middleIsSegment = true;
        line.remarks = segmentRemarks(f);
        (fromA ? line.leftArrow : line.rightArrow) = "...";
        if (f.kind == EventKind::Drop) {
            (fromA ? line.rightArrow : line.leftArrow) = fromA ? "--X" : "X--";
            line.remarks.insert(line.remarks.begin(), tr(lang, "lost", "丢失"));
        } else {
            const std::size_t end = reactionEnd(k);
            (fromA ? line.rightArrow : line.leftArrow) = fromA ? "-->" : "<--";
            (fromA ? line.right : line.left) = state(f.endpoint, end);
        }
        return line;
    }

    std::string time(std::size_t event) const {
        char buffer[32];
        const double seconds = static_cast<double>(m_trace.event(event).timeUs) / 1e6;
        std::snprintf(buffer, sizeof buffer, "%9.3fs  ", seconds);
        return buffer;
    }

    std::string layout(const std::vector<Line>& lines) const {
        std::size_t segmentWidth = 34;
        for (const auto& l : lines) {
            if (l.middleIsSegment) {
                segmentWidth = std::max(segmentWidth, l.middle.size() + 1);
            }
        }
        const std::size_t numberWidth = std::to_string(lines.size()).size() + 3;
        const std::string timePad = m_options.times ? std::string(12, ' ') : std::string();
        // The B column starts after "STATE--> SEGMENT--> ".
        const std::size_t middleWidth = 4 + segmentWidth + 4;
        std::ostringstream out;
        const std::string a = "TCP A (" + m_trace.meta.client.address.toString() + ")";
        const std::string b = "TCP B (" + m_trace.meta.server.address.toString() + ")";
        out << std::string(numberWidth, ' ') << timePad << padded(a, m_stateWidth + middleWidth)
            << b << '\n';
        for (std::size_t n = 0; n < lines.size(); ++n) {
            const Line& l = lines[n];
            std::string text = padded(std::to_string(n + 1) + ".", numberWidth);
            if (m_options.times) {
                text += n == 0 ? timePad : time(l.event);
            }
            text += padded(l.left, m_stateWidth);
            if (l.left.size() >= m_stateWidth) {
                text += ' ';
            }
            if (l.middleIsSegment) {
                text += padded(l.leftArrow, 3) + " " + padded(l.middle, segmentWidth) +
                        padded(l.rightArrow, 3) + " ";
            } else {
                text += padded(l.middle, middleWidth + (l.middle.size() - displayWidth(l.middle)));
                if (displayWidth(l.middle) >= middleWidth) {
                    text += ' ';
                }
            }
            text += l.right;
            if (!l.remarks.empty()) {
                text = padded(text, numberWidth + timePad.size() + m_stateWidth + middleWidth +
                                        m_stateWidth);
                text += " ; ";
                for (std::size_t r = 0; r < l.remarks.size(); ++r) {
                    text += (r == 0 ? "" : ", ") + l.remarks[r];
                }
            }
            while (!text.empty() && text.back() == ' ') {
                text.pop_back();
            }
            out << text << '\n';
        }
        return out.str();
    }

    const Trace& m_trace;
    const RfcNotationOptions& m_options;
    std::vector<bool> m_absorbed;
    std::vector<bool> m_arrivalDone;
    std::size_t m_stateWidth = 0;
};

std::string relativeNumber(std::uint32_t value, std::uint32_t isn) {
    return std::to_string(static_cast<std::int32_t>(value - isn));
}

} // namespace

std::string segmentNotation(const Segment& segment, Side sender, const TraceMeta& meta,
                            bool relative) {
    const auto& own = sender == Side::Client ? meta.client : meta.server;
    const auto& other = sender == Side::Client ? meta.server : meta.client;
    std::string out = "<SEQ=";
    out += relative ? relativeNumber(segment.seq, own.isn) : std::to_string(segment.seq);
    out += ">";
    if (segment.has(flag::ACK)) {
        out += "<ACK=";
        out += relative ? relativeNumber(segment.ack, other.isn) : std::to_string(segment.ack);
        out += ">";
    }
    out += "<CTL=" + flagsToString(segment.flags) + ">";
    if (segment.len > 0) {
        out += "<LEN=" + std::to_string(segment.len) + ">";
    }
    return out;
}

std::string formatRfcNotation(const Trace& trace, const RfcNotationOptions& options) {
    return Formatter(trace, options).run();
}

} // namespace tcpviz
