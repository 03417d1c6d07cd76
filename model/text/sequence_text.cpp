#include "sequence_text.h"

#include <algorithm>
#include <unordered_map>
#include <vector>

namespace tcpviz {

namespace {

enum class Dialect : std::uint8_t { Mermaid, PlantUml };

struct Words {
    const char* client;
    const char* server;
    const char* outside;
    const char* lost;
    const char* retransmission;
    const char* duplicate;
    const char* inFlight;
    const char* fires;
    const char* calls;
};

const Words& words(Language lang) {
    static const Words en{"Client",    "Server",    "Outside",     "lost", "retransmission",
                          "duplicate", "in flight", "timer fires", "calls"};
    static const Words zh{"客户端", "服务器", "外部",       "丢失", "重传",
                          "重复",   "传输中", "定时器到期", "调用"};
    return lang == Language::Zh ? zh : en;
}

std::uint32_t isnOf(const TraceMeta& meta, Side s) {
    return s == Side::Client ? meta.client.isn : meta.server.isn;
}

std::string label(const TraceEvent& send, const TraceMeta& meta, const SequenceTextOptions& o) {
    const Segment& s = send.segment;
    const Side from = send.endpoint;
    const std::uint32_t seq = o.relativeNumbers ? s.seq - isnOf(meta, from) : s.seq;
    std::string text = flagsToString(s.flags) + " seq=" + std::to_string(seq);
    if (s.has(flag::ACK)) {
        const std::uint32_t ack = o.relativeNumbers ? s.ack - isnOf(meta, peer(from)) : s.ack;
        text += " ack=" + std::to_string(ack);
    }
    if (s.len > 0) {
        text += " len=" + std::to_string(s.len);
    }
    return text;
}

/// Characters that end or confuse a message in either language.
std::string clean(std::string text) {
    for (char& c : text) {
        if (c == ';' || c == '#' || c == '\n' || c == '\r' || c == '"') {
            c = ' ';
        }
    }
    return text;
}

std::string generate(const Trace& trace, std::size_t position, const SequenceTextOptions& o,
                     Dialect d) {
    const Words& w = words(o.language);
    const auto& events = trace.events();
    position = std::min(position, events.size());
    const bool anyInjected =
        std::any_of(events.begin(), events.begin() + static_cast<std::ptrdiff_t>(position),
                    [](const TraceEvent& e) { return e.kind == EventKind::Send && e.injected; });
    const auto id = [](Side s) { return s == Side::Client ? std::string("C") : std::string("S"); };
    std::string out;
    const std::string title = clean(trace.meta.title.in(o.language));
    if (d == Dialect::Mermaid) {
        out += "sequenceDiagram\n";
        if (!title.empty()) {
            out += "    %% " + title + "\n";
        }
        out += "    participant C as " + std::string(w.client) + " " +
               clean(trace.meta.client.address.toString()) + "\n";
        if (anyInjected) {
            out += "    participant X as " + std::string(w.outside) + "\n";
        }
        out += "    participant S as " + std::string(w.server) + " " +
               clean(trace.meta.server.address.toString()) + "\n";
    } else {
        out += "@startuml\n";
        if (!title.empty()) {
            out += "title " + title + "\n";
        }
        out += "participant \"" + std::string(w.client) + "\\n" +
               clean(trace.meta.client.address.toString()) + "\" as C\n";
        if (anyInjected) {
            out += "participant \"" + std::string(w.outside) + "\" as X\n";
        }
        out += "participant \"" + std::string(w.server) + "\\n" +
               clean(trace.meta.server.address.toString()) + "\" as S\n";
    }
    const std::string indent = d == Dialect::Mermaid ? "    " : "";
    const auto note = [&](Side s, const std::string& text) {
        if (d == Dialect::Mermaid) {
            out += indent + "Note over " + id(s) + ": " + clean(text) + "\n";
        } else {
            out += "hnote over " + id(s) + " : " + clean(text) + "\n";
        }
    };
    if (o.states) {
        for (Side s : {Side::Client, Side::Server}) {
            note(s, std::string(stateName(trace.initial().of(s).state, o.stateNames)));
        }
    }
    std::unordered_map<std::uint32_t, std::size_t> sends; // segmentId -> Send event, still open
    const auto message = [&](const TraceEvent& send, Side to, bool lost, bool inFlight) {
        const std::string from = send.injected ? std::string("X") : id(send.endpoint);
        std::string text = label(send, trace.meta, o);
        std::vector<std::string> tags;
        if (send.retransmission) {
            tags.emplace_back(w.retransmission);
        }
        if (send.duplicate) {
            tags.emplace_back(w.duplicate);
        }
        if (lost) {
            tags.emplace_back(w.lost);
        }
        if (inFlight) {
            tags.emplace_back(w.inFlight);
        }
        if (!tags.empty()) {
            text += " (";
            for (std::size_t i = 0; i < tags.size(); ++i) {
                text += (i > 0 ? ", " : "") + tags[i];
            }
            text += ")";
        }
        const bool dashed = send.retransmission || inFlight;
        std::string arrow;
        if (d == Dialect::Mermaid) {
            arrow = lost ? (dashed ? "--x" : "-x") : (dashed ? "-->>" : "->>");
            out += indent + from + arrow + id(to) + ": " + clean(text) + "\n";
        } else {
            arrow = lost ? (dashed ? "-->x" : "->x") : (dashed ? "-->" : "->");
            out += from + " " + arrow + " " + id(to) + " : " + clean(text) + "\n";
        }
    };
    for (std::size_t i = 0; i < position; ++i) {
        const TraceEvent& e = events[i];
        switch (e.kind) {
        case EventKind::Send:
            sends[e.segmentId] = i;
            break;
        case EventKind::Arrive:
        case EventKind::Drop: {
            const auto it = sends.find(e.segmentId);
            if (it == sends.end()) {
                break;
            }
            const TraceEvent& send = events[it->second];
            message(send, e.kind == EventKind::Arrive ? e.endpoint : peer(send.endpoint),
                    e.kind == EventKind::Drop, false);
            sends.erase(it);
            break;
        }
        case EventKind::Transition:
            if (o.states) {
                note(e.endpoint, std::string(stateName(e.to, o.stateNames)));
            }
            break;
        case EventKind::Timer:
            note(e.endpoint, std::string(timerKindName(e.timer)) + " " + w.fires);
            break;
        case EventKind::Call:
            note(e.endpoint, std::string(w.calls) + " " + std::string(userCallName(e.call)));
            break;
        case EventKind::Error:
            note(e.endpoint, std::string(errorCallName(e.errorCall)) +
                                 "() = " + std::string(socketErrorName(e.socketError)));
            break;
        }
    }
    // Still in flight: in the order they were sent.
    std::vector<std::size_t> open;
    open.reserve(sends.size());
    for (const auto& [segment, index] : sends) {
        open.push_back(index);
    }
    std::sort(open.begin(), open.end());
    for (std::size_t index : open) {
        message(events[index], peer(events[index].endpoint), false, true);
    }
    if (d == Dialect::PlantUml) {
        out += "@enduml\n";
    }
    return out;
}

} // namespace

std::string mermaidSequence(const Trace& trace, std::size_t position,
                            const SequenceTextOptions& options) {
    return generate(trace, position, options, Dialect::Mermaid);
}

std::string plantUmlSequence(const Trace& trace, std::size_t position,
                             const SequenceTextOptions& options) {
    return generate(trace, position, options, Dialect::PlantUml);
}

} // namespace tcpviz
