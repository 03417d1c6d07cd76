#include "arc.h"

#include <algorithm>
#include <array>

namespace tcpviz {

namespace {
constexpr std::array kCatalog{
#define TCPVIZ_ARC_ENTRY(name, id, from, to, event, action, figure)                                \
    Arc{ArcId::name, id, State::from, State::to, event, action, figure},
    TCPVIZ_ARCS(TCPVIZ_ARC_ENTRY)
#undef TCPVIZ_ARC_ENTRY
};

std::optional<ArcId> firstFrom(State from, std::string_view event) {
    const auto it = std::find_if(kCatalog.begin(), kCatalog.end(),
                                 [&](const Arc& a) { return a.from == from && a.event == event; });
    if (it == kCatalog.end()) {
        return std::nullopt;
    }
    return it->id;
}
} // namespace

std::string Arc::label() const {
    std::string out(event);
    out += " / ";
    out += action;
    return out;
}

std::span<const Arc> arcCatalog() {
    return kCatalog;
}

const Arc& arc(ArcId id) {
    return kCatalog.at(static_cast<std::size_t>(id));
}

std::optional<ArcId> findArc(std::string_view key) {
    const auto it =
        std::find_if(kCatalog.begin(), kCatalog.end(), [&](const Arc& a) { return a.key == key; });
    if (it == kCatalog.end()) {
        return std::nullopt;
    }
    return it->id;
}

std::optional<ArcId> rstArc(State from, bool passiveOpen) {
    switch (from) {
    case State::SynSent:
        return ArcId::SynSentRst;
    case State::SynReceived:
        return passiveOpen ? ArcId::SynReceivedRst : ArcId::SynReceivedRstActive;
    case State::Closed:
    case State::Listen:
        return std::nullopt;
    default:
        return firstFrom(from, "rcv RST");
    }
}

std::optional<ArcId> abortArc(State from) {
    return firstFrom(from, "ABORT");
}

std::optional<ArcId> giveUpArc(State from) {
    return firstFrom(from, "retransmission limit");
}

std::optional<ArcId> userTimeoutArc(State from) {
    return firstFrom(from, "USER TIMEOUT");
}

} // namespace tcpviz
