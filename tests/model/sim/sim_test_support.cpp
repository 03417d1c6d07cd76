#include "sim_test_support.h"

#include "tcp/segment.h"

#include <sstream>
#include <stdexcept>

namespace tcpviz::test {

Scenario baseScenario(Profile profile) {
    Scenario s;
    s.id = "test";
    s.title = {"test", "测试"};
    s.profile = profile;
    s.client.address = parseSocketAddress("192.168.0.2:52528");
    s.client.isn = 100;
    s.server.address = parseSocketAddress("192.168.0.1:80");
    s.server.isn = 300;
    s.network = {50 * kMs, 50 * kMs};
    return s;
}

Step atStep(std::int64_t atUs, Side side, Action action, std::uint32_t bytes) {
    Step st;
    st.trigger.atUs = atUs;
    st.endpoint = side;
    st.action = action;
    st.bytes = bytes;
    return st;
}

Step whenStep(Side whenSide, State whenState, std::int64_t afterUs, Side side, Action action,
              std::uint32_t bytes) {
    Step st;
    st.trigger.whenSide = whenSide;
    st.trigger.whenState = whenState;
    st.trigger.afterUs = afterUs;
    st.endpoint = side;
    st.action = action;
    st.bytes = bytes;
    return st;
}

Step injectStep(std::int64_t atUs, Side to, std::uint8_t flags, std::uint32_t seq,
                std::uint32_t ack, std::uint32_t len) {
    Step st;
    st.trigger.atUs = atUs;
    st.action = Action::Inject;
    st.inject.to = to;
    st.inject.flags = flags;
    st.inject.seq = seq;
    st.inject.ack = ack;
    st.inject.len = len;
    return st;
}

Fault fault(FaultKind kind, Side from, const std::string& flags, std::optional<std::uint32_t> nth,
            bool every) {
    Fault f;
    f.kind = kind;
    f.from = from;
    const auto parsed = parseFlags(flags);
    if (!parsed) {
        throw std::invalid_argument("bad flags in test: " + flags);
    }
    f.flags = *parsed;
    f.nth = every ? std::nullopt : nth;
    f.every = every;
    return f;
}

Scenario handshakeScenario(Profile profile) {
    Scenario s = baseScenario(profile);
    s.steps.push_back(atStep(0, Side::Server, Action::Listen));
    s.steps.push_back(atStep(0, Side::Client, Action::Connect));
    return s;
}

std::vector<State> statesOf(const Trace& t, Side side) {
    std::vector<State> out;
    for (const StateEntry& e : t.states(side)) {
        out.push_back(e.state);
    }
    return out;
}

std::vector<std::string> segmentsOf(const Trace& t) {
    std::vector<std::string> out;
    for (const TraceEvent& e : t.events()) {
        if (e.kind == EventKind::Send && !e.duplicate) {
            out.push_back(std::string(e.endpoint == Side::Client ? "c:" : "s:") +
                          flagsToString(e.segment.flags));
        }
    }
    return out;
}

std::vector<const TraceEvent*> sendsOf(const Trace& t, Side side, const std::string& flags) {
    std::vector<const TraceEvent*> out;
    for (const TraceEvent& e : t.events()) {
        if (e.kind == EventKind::Send && e.endpoint == side && !e.duplicate &&
            (flags.empty() || flagsToString(e.segment.flags) == flags)) {
            out.push_back(&e);
        }
    }
    return out;
}

std::set<ArcId> arcsOf(const Trace& t) {
    std::set<ArcId> out;
    for (const TraceEvent& e : t.events()) {
        if (e.kind == EventKind::Transition) {
            out.insert(e.arc);
        }
    }
    return out;
}

bool tookArc(const Trace& t, ArcId id) {
    return arcsOf(t).count(id) > 0;
}

std::string dump(const Trace& t) {
    std::ostringstream out;
    out << '\n';
    for (const TraceEvent& e : t.events()) {
        out << e.index << " t=" << e.timeUs / 1000.0 << "ms " << sideName(e.endpoint) << ' '
            << eventKindName(e.kind);
        switch (e.kind) {
        case EventKind::Call:
            out << ' ' << userCallName(e.call);
            if (e.bytes > 0) {
                out << ' ' << e.bytes;
            }
            if (!e.callError.empty()) {
                out << " ERROR " << e.callError;
            }
            break;
        case EventKind::Send:
        case EventKind::Arrive:
        case EventKind::Drop:
            out << " #" << e.segmentId << " <SEQ=" << e.segment.seq << "><ACK=" << e.segment.ack
                << "><CTL=" << flagsToString(e.segment.flags) << "> len=" << e.segment.len;
            if (e.retransmission) {
                out << " rtx";
            }
            if (e.duplicate) {
                out << " dup";
            }
            if (e.injected) {
                out << " injected";
            }
            break;
        case EventKind::Timer:
            out << ' ' << timerKindName(e.timer);
            break;
        case EventKind::Transition:
            out << ' ' << stateName(e.from) << " -> " << stateName(e.to) << " (" << arc(e.arc).key
                << ')';
            break;
        case EventKind::Error:
            out << ' ' << errorCallName(e.errorCall) << "() = " << socketErrorName(e.socketError);
            break;
        }
        if (!e.note.empty()) {
            out << "  // " << e.note;
        }
        out << '\n';
    }
    return out.str();
}

Trace runNamed(const std::string& name) {
    for (const NamedSimulation& s : coverageSimulations()) {
        if (s.name == name) {
            return s.run();
        }
    }
    throw std::invalid_argument("no simulation named " + name);
}

} // namespace tcpviz::test
