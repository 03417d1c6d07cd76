#include "state.h"

#include <algorithm>
#include <cctype>
#include <string>

namespace tcpviz {

namespace {

constexpr std::array<std::string_view, kStateCount> kRfcNames{
    "CLOSED",     "LISTEN",     "SYN-SENT", "SYN-RECEIVED", "ESTABLISHED", "FIN-WAIT-1",
    "FIN-WAIT-2", "CLOSE-WAIT", "CLOSING",  "LAST-ACK",     "TIME-WAIT",
};

// `ss -t -a` spelling (iproute2 misc/ss.c sstate_name).
constexpr std::array<std::string_view, kStateCount> kLinuxNames{
    "UNCONN",     "LISTEN",     "SYN-SENT", "SYN-RECV", "ESTAB",     "FIN-WAIT-1",
    "FIN-WAIT-2", "CLOSE-WAIT", "CLOSING",  "LAST-ACK", "TIME-WAIT",
};

// The RFC name, then the `ss` name where it differs (what a student types
// into a terminal next to what the textbook calls the state).
constexpr std::array<std::string_view, kStateCount> kBothNames{
    "CLOSED (UNCONN)",
    "LISTEN",
    "SYN-SENT",
    "SYN-RECEIVED (SYN-RECV)",
    "ESTABLISHED (ESTAB)",
    "FIN-WAIT-1",
    "FIN-WAIT-2",
    "CLOSE-WAIT",
    "CLOSING",
    "LAST-ACK",
    "TIME-WAIT",
};

// Normalise: upper case, separators removed, so "fin_wait1" == "FIN-WAIT-1".
std::string squash(std::string_view text) {
    std::string out;
    for (char c : text) {
        if (c == '-' || c == '_' || c == ' ') {
            continue;
        }
        out.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
    }
    return out;
}

} // namespace

std::string_view stateName(State s) {
    return kRfcNames.at(index(s));
}

std::string_view stateName(State s, StateNameStyle style) {
    switch (style) {
    case StateNameStyle::Linux:
        return kLinuxNames.at(index(s));
    case StateNameStyle::Both:
        return kBothNames.at(index(s));
    case StateNameStyle::Rfc9293:
        break;
    }
    return kRfcNames.at(index(s));
}

std::optional<StateNameStyle> parseStateNameStyle(std::string_view text) {
    if (text == "rfc") {
        return StateNameStyle::Rfc9293;
    }
    if (text == "linux") {
        return StateNameStyle::Linux;
    }
    if (text == "both") {
        return StateNameStyle::Both;
    }
    return std::nullopt;
}

std::optional<State> parseState(std::string_view text) {
    const std::string key = squash(text);
    if (key.empty()) {
        return std::nullopt;
    }
    for (State s : kAllStates) {
        if (key == squash(kRfcNames.at(index(s))) || key == squash(kLinuxNames.at(index(s)))) {
            return s;
        }
    }
    // netstat / /proc/net/tcp spellings that differ from both tables.
    struct Alias {
        std::string_view name;
        State state;
    };
    static constexpr std::array kAliases{
        Alias{"CLOSE", State::Closed},        Alias{"SYNRCVD", State::SynReceived},
        Alias{"SYNRECV", State::SynReceived}, Alias{"ESTAB", State::Established},
        Alias{"FINWAIT1", State::FinWait1},   Alias{"FINWAIT2", State::FinWait2},
        Alias{"TIMEWAIT", State::TimeWait},   Alias{"LASTACK", State::LastAck},
        Alias{"CLOSEWAIT", State::CloseWait},
    };
    const auto it = std::find_if(kAliases.begin(), kAliases.end(),
                                 [&](const Alias& a) { return a.name == key; });
    if (it != kAliases.end()) {
        return it->state;
    }
    return std::nullopt;
}

bool isSynchronized(State s) {
    return s != State::Closed && s != State::Listen && s != State::SynSent;
}

} // namespace tcpviz
