// The simulations behind the arc-coverage test. Each one sets up one case of
// RFC 9293 section 3.10 (or of the linux profile); the focused tests look at
// them in detail, the coverage test only collects their arcs.
//
// Numbers used below: client ISS 100, server ISS 300, 50 ms one way. After the
// handshake the client's RCV.NXT is 301 and the server's is 101; after the
// server's FIN the client's RCV.NXT is 302, after the client's FIN the
// server's is 102.
#include "sim/host_simulator.h"
#include "sim_test_support.h"
#include "tcp/segment.h"

namespace tcpviz::test {

namespace {

using enum Side;

Trace run(const Scenario& s, SimulatorOptions options = {}) {
    return simulate(s, options);
}

Scenario withSteps(Scenario s, std::initializer_list<Step> steps) {
    for (const Step& st : steps) {
        s.steps.push_back(st);
    }
    return s;
}

Fault after(Fault f, std::int64_t atUs) {
    f.sentAtOrAfterUs = atUs;
    return f;
}

Scenario quickTimers(Scenario s) {
    s.timers.mslUs = 1 * kSec;
    s.timers.synRetries = 2;
    s.timers.synackRetries = 2;
    s.timers.dataRetries = 2;
    s.timers.finTimeoutUs = 5 * kSec;
    return s;
}

std::vector<NamedSimulation> build() {
    std::vector<NamedSimulation> v;
    auto add = [&v](std::string name, std::function<Trace()> fn) {
        v.push_back({std::move(name), std::move(fn)});
    };

    // --- opening
    add("handshake", [] { return run(handshakeScenario()); });
    add("handshake-linux", [] { return run(handshakeScenario(Profile::Linux)); });
    add("listen-close", [] {
        return run(withSteps(baseScenario(), {atStep(0, Server, Action::Listen),
                                              atStep(10 * kMs, Server, Action::Close)}));
    });
    add("listen-send", [] {
        // The server turns active by SEND; the client is CLOSED and refuses.
        return run(withSteps(baseScenario(), {atStep(0, Server, Action::Listen),
                                              atStep(10 * kMs, Server, Action::Send, 100)}));
    });
    add("syn-sent-close", [] {
        return run(withSteps(baseScenario(), {atStep(0, Client, Action::Connect),
                                              atStep(10 * kMs, Client, Action::Close)}));
    });
    add("connection-refused",
        [] { return run(withSteps(baseScenario(), {atStep(0, Client, Action::Connect)})); });
    add("simultaneous-open", [] {
        return run(withSteps(baseScenario(), {atStep(0, Client, Action::Connect),
                                              atStep(0, Server, Action::Connect)}));
    });
    add("syn-received-close", [] {
        Scenario s = handshakeScenario();
        s.steps.push_back(whenStep(Server, State::SynReceived, 0, Server, Action::Close));
        s.steps.push_back(whenStep(Client, State::CloseWait, 10 * kMs, Client, Action::Close));
        return run(quickTimers(s));
    });
    add("old-duplicate-syn", [] {
        // RFC 9293 Figure 9: an old SYN (seq 9000) reaches the listener before
        // the client's real one, which the network holds back 200 ms.
        Scenario s = handshakeScenario();
        s.steps.push_back(injectStep(10 * kMs, Server, flag::SYN, 9000));
        Fault slow = fault(FaultKind::Delay, Client, "SYN", 1);
        slow.byUs = 200 * kMs;
        s.faults.push_back(slow);
        return run(s);
    });
    add("syn-received-rst-active", [] {
        Scenario s = baseScenario();
        s.steps.push_back(atStep(0, Client, Action::Connect));
        s.steps.push_back(atStep(0, Server, Action::Connect));
        s.steps.push_back(injectStep(60 * kMs, Client, flag::RST, 301));
        return run(s);
    });
    add("syn-received-syn", [] {
        // An in-window SYN with another sequence number in SYN-RECEIVED.
        Scenario s = handshakeScenario();
        s.steps.push_back(injectStep(60 * kMs, Server, flag::SYN, 150));
        return run(s);
    });

    // --- closing
    add("close-client-first", [] {
        Scenario s = handshakeScenario();
        s.steps.push_back(atStep(1 * kSec, Client, Action::Close));
        s.steps.push_back(whenStep(Server, State::CloseWait, 100 * kMs, Server, Action::Close));
        return run(quickTimers(s));
    });
    add("three-way-close-linux", [] {
        Scenario s = handshakeScenario(Profile::Linux);
        s.steps.push_back(atStep(1 * kSec, Client, Action::Close));
        s.steps.push_back(whenStep(Server, State::CloseWait, 10 * kMs, Server, Action::Close));
        return run(s);
    });
    add("simultaneous-close", [] {
        Scenario s = handshakeScenario();
        s.steps.push_back(atStep(1 * kSec, Client, Action::Close));
        s.steps.push_back(atStep(1 * kSec, Server, Action::Close));
        return run(quickTimers(s));
    });
    add("lost-final-ack", [] {
        Scenario s = handshakeScenario();
        s.steps.push_back(atStep(1 * kSec, Client, Action::Close));
        s.steps.push_back(whenStep(Server, State::CloseWait, 100 * kMs, Server, Action::Close));
        s.faults.push_back(fault(FaultKind::Drop, Client, "ACK", 2));
        return run(s);
    });

    // --- RST in each synchronized state
    add("rst-established", [] {
        Scenario s = handshakeScenario();
        s.steps.push_back(injectStep(1 * kSec, Client, flag::RST, 301));
        return run(s);
    });
    add("rst-fin-wait-1", [] {
        // The client dies by RST in FIN-WAIT-1; the server's ACK of its FIN then
        // meets a CLOSED client, whose RST kills the server in CLOSE-WAIT.
        Scenario s = handshakeScenario();
        s.steps.push_back(atStep(1 * kSec, Client, Action::Close));
        s.steps.push_back(injectStep(1 * kSec + 20 * kMs, Client, flag::RST, 301));
        return run(s);
    });
    add("rst-fin-wait-2", [] {
        Scenario s = handshakeScenario();
        s.steps.push_back(atStep(1 * kSec, Client, Action::Close));
        s.steps.push_back(injectStep(1500 * kMs, Client, flag::RST, 301));
        return run(s);
    });
    add("rst-closing", [] {
        Scenario s = handshakeScenario();
        s.steps.push_back(atStep(1 * kSec, Client, Action::Close));
        s.steps.push_back(atStep(1 * kSec, Server, Action::Close));
        s.steps.push_back(injectStep(1070 * kMs, Client, flag::RST, 302));
        return run(quickTimers(s));
    });
    add("rst-last-ack", [] {
        Scenario s = handshakeScenario();
        s.steps.push_back(atStep(1 * kSec, Client, Action::Close));
        s.steps.push_back(whenStep(Server, State::CloseWait, 10 * kMs, Server, Action::Close));
        s.steps.push_back(injectStep(1070 * kMs, Server, flag::RST, 102));
        return run(quickTimers(s));
    });
    add("rst-time-wait", [] {
        Scenario s = handshakeScenario();
        s.steps.push_back(atStep(1 * kSec, Client, Action::Close));
        s.steps.push_back(whenStep(Server, State::CloseWait, 10 * kMs, Server, Action::Close));
        s.steps.push_back(injectStep(2 * kSec, Client, flag::RST, 302));
        return run(s);
    });

    // --- ABORT in each state
    add("abort-listen", [] {
        return run(withSteps(baseScenario(), {atStep(0, Server, Action::Listen),
                                              atStep(10 * kMs, Server, Action::Abort)}));
    });
    add("abort-syn-sent", [] {
        Scenario s = handshakeScenario();
        s.steps.push_back(atStep(10 * kMs, Client, Action::Abort));
        return run(s);
    });
    add("abort-syn-received", [] {
        Scenario s = handshakeScenario();
        s.steps.push_back(whenStep(Server, State::SynReceived, 0, Server, Action::Abort));
        return run(s);
    });
    add("abort-established", [] {
        Scenario s = handshakeScenario();
        s.steps.push_back(atStep(1 * kSec, Client, Action::Abort));
        return run(s);
    });
    add("abort-fin-wait-1", [] {
        Scenario s = handshakeScenario();
        s.steps.push_back(atStep(1 * kSec, Client, Action::Close));
        s.steps.push_back(atStep(1010 * kMs, Client, Action::Abort));
        return run(s);
    });
    add("abort-fin-wait-2-and-close-wait", [] {
        Scenario s = handshakeScenario();
        s.steps.push_back(atStep(1 * kSec, Client, Action::Close));
        s.steps.push_back(atStep(1500 * kMs, Client, Action::Abort));
        return run(s);
    });
    add("abort-close-wait", [] {
        Scenario s = handshakeScenario();
        s.steps.push_back(atStep(1 * kSec, Client, Action::Close));
        s.steps.push_back(whenStep(Server, State::CloseWait, 10 * kMs, Server, Action::Abort));
        return run(s);
    });
    add("abort-closing", [] {
        Scenario s = handshakeScenario();
        s.steps.push_back(atStep(1 * kSec, Client, Action::Close));
        s.steps.push_back(atStep(1 * kSec, Server, Action::Close));
        s.steps.push_back(atStep(1070 * kMs, Client, Action::Abort));
        return run(quickTimers(s));
    });
    add("abort-last-ack", [] {
        Scenario s = handshakeScenario();
        s.steps.push_back(atStep(1 * kSec, Client, Action::Close));
        s.steps.push_back(whenStep(Server, State::CloseWait, 10 * kMs, Server, Action::Close));
        s.steps.push_back(whenStep(Server, State::LastAck, 10 * kMs, Server, Action::Abort));
        return run(quickTimers(s));
    });
    add("abort-time-wait", [] {
        Scenario s = handshakeScenario();
        s.steps.push_back(atStep(1 * kSec, Client, Action::Close));
        s.steps.push_back(whenStep(Server, State::CloseWait, 10 * kMs, Server, Action::Close));
        s.steps.push_back(whenStep(Client, State::TimeWait, 1 * kSec, Client, Action::Abort));
        return run(s);
    });

    // --- retransmission limits
    add("give-up-syn-sent", [] {
        Scenario s = quickTimers(handshakeScenario());
        s.faults.push_back(fault(FaultKind::Drop, Client, "SYN", std::nullopt, true));
        return run(s);
    });
    add("give-up-syn-received", [] {
        Scenario s = quickTimers(handshakeScenario());
        s.faults.push_back(fault(FaultKind::Drop, Client, "ACK", std::nullopt, true));
        return run(s);
    });
    add("give-up-syn-received-linux", [] {
        Scenario s = quickTimers(handshakeScenario(Profile::Linux));
        s.faults.push_back(fault(FaultKind::Drop, Client, "ACK", std::nullopt, true));
        return run(s);
    });
    add("give-up-established", [] {
        Scenario s = quickTimers(handshakeScenario());
        s.steps.push_back(atStep(1 * kSec, Client, Action::Send, 100));
        s.faults.push_back(
            after(fault(FaultKind::Drop, Server, "ACK", std::nullopt, true), 1 * kSec));
        return run(s);
    });
    add("give-up-fin-wait-1", [] {
        Scenario s = quickTimers(handshakeScenario());
        s.steps.push_back(atStep(1 * kSec, Client, Action::Close));
        s.faults.push_back(
            after(fault(FaultKind::Drop, Server, "ACK", std::nullopt, true), 1 * kSec));
        return run(s);
    });
    add("give-up-close-wait", [] {
        Scenario s = quickTimers(handshakeScenario());
        s.steps.push_back(atStep(1 * kSec, Client, Action::Close));
        s.steps.push_back(whenStep(Server, State::CloseWait, 10 * kMs, Server, Action::Send, 100));
        s.faults.push_back(
            after(fault(FaultKind::Drop, Client, "ACK", std::nullopt, true), 1100 * kMs));
        return run(s);
    });
    add("give-up-closing", [] {
        Scenario s = quickTimers(handshakeScenario());
        s.steps.push_back(atStep(1 * kSec, Client, Action::Close));
        s.steps.push_back(atStep(1 * kSec, Server, Action::Close));
        s.faults.push_back(
            after(fault(FaultKind::Drop, Client, "ACK", std::nullopt, true), 1 * kSec));
        s.faults.push_back(
            after(fault(FaultKind::Drop, Server, "ACK", std::nullopt, true), 1 * kSec));
        return run(s);
    });
    add("give-up-last-ack", [] {
        Scenario s = quickTimers(handshakeScenario());
        s.timers.mslUs = 30 * kSec; // TIME-WAIT outlives the server's retries
        s.steps.push_back(atStep(1 * kSec, Client, Action::Close));
        s.steps.push_back(whenStep(Server, State::CloseWait, 10 * kMs, Server, Action::Close));
        s.faults.push_back(
            after(fault(FaultKind::Drop, Client, "ACK", std::nullopt, true), 1 * kSec));
        return run(s);
    });

    // --- user timeout (3 s) in each state that waits for the peer
    auto userTimeout = [](Scenario s) {
        s.timers.userTimeoutUs = 3 * kSec;
        s.timers.synRetries = 10;
        s.timers.synackRetries = 10;
        s.timers.dataRetries = 10;
        return s;
    };
    add("user-timeout-syn-sent", [userTimeout] {
        Scenario s = userTimeout(handshakeScenario());
        s.faults.push_back(fault(FaultKind::Drop, Client, "SYN", std::nullopt, true));
        return run(s);
    });
    add("user-timeout-syn-received", [userTimeout] {
        Scenario s = userTimeout(handshakeScenario());
        s.faults.push_back(fault(FaultKind::Drop, Client, "ACK", std::nullopt, true));
        return run(s);
    });
    add("user-timeout-established", [userTimeout] {
        Scenario s = userTimeout(handshakeScenario());
        s.steps.push_back(atStep(1 * kSec, Client, Action::Send, 100));
        s.faults.push_back(
            after(fault(FaultKind::Drop, Server, "ACK", std::nullopt, true), 1 * kSec));
        return run(s);
    });
    add("user-timeout-fin-wait-1", [userTimeout] {
        Scenario s = userTimeout(handshakeScenario());
        s.steps.push_back(atStep(1 * kSec, Client, Action::Close));
        s.faults.push_back(
            after(fault(FaultKind::Drop, Server, "ACK", std::nullopt, true), 1 * kSec));
        return run(s);
    });
    add("user-timeout-fin-wait-2", [userTimeout] {
        Scenario s = userTimeout(handshakeScenario());
        s.steps.push_back(atStep(1 * kSec, Client, Action::Close));
        return run(s);
    });
    add("user-timeout-close-wait", [userTimeout] {
        Scenario s = userTimeout(handshakeScenario());
        s.steps.push_back(atStep(1 * kSec, Client, Action::Shutdown));
        s.steps.push_back(whenStep(Server, State::CloseWait, 10 * kMs, Server, Action::Send, 100));
        s.faults.push_back(
            after(fault(FaultKind::Drop, Client, "ACK", std::nullopt, true), 1100 * kMs));
        return run(s);
    });
    add("user-timeout-closing", [userTimeout] {
        Scenario s = userTimeout(handshakeScenario());
        s.steps.push_back(atStep(1 * kSec, Client, Action::Close));
        s.steps.push_back(atStep(1 * kSec, Server, Action::Close));
        s.faults.push_back(
            after(fault(FaultKind::Drop, Client, "ACK", std::nullopt, true), 1 * kSec));
        s.faults.push_back(
            after(fault(FaultKind::Drop, Server, "ACK", std::nullopt, true), 1 * kSec));
        return run(s);
    });
    add("user-timeout-last-ack", [userTimeout] {
        Scenario s = userTimeout(handshakeScenario());
        s.steps.push_back(atStep(1 * kSec, Client, Action::Close));
        s.steps.push_back(whenStep(Server, State::CloseWait, 10 * kMs, Server, Action::Close));
        s.faults.push_back(
            after(fault(FaultKind::Drop, Client, "ACK", std::nullopt, true), 1 * kSec));
        return run(s);
    });

    // --- linux profile specifics
    add("fin-wait-2-timeout-linux", [] {
        Scenario s = quickTimers(handshakeScenario(Profile::Linux));
        s.steps.push_back(atStep(1 * kSec, Client, Action::Close));
        s.steps.push_back(atStep(10 * kSec, Server, Action::Close)); // late FIN
        return run(s);
    });
    add("close-unread-established-linux", [] {
        Scenario s = handshakeScenario(Profile::Linux);
        s.steps.push_back(atStep(1 * kSec, Client, Action::Send, 100));
        s.steps.push_back(atStep(2 * kSec, Server, Action::Close));
        s.server.reads = false;
        return run(s);
    });
    add("close-unread-close-wait-linux", [] {
        Scenario s = handshakeScenario(Profile::Linux);
        s.steps.push_back(atStep(1 * kSec, Client, Action::Send, 100));
        s.steps.push_back(atStep(1 * kSec, Client, Action::Close));
        s.steps.push_back(whenStep(Server, State::CloseWait, 10 * kMs, Server, Action::Close));
        SimulatorOptions o;
        o.applicationReads = {true, false};
        return run(s, o);
    });
    add("data-after-close-fin-wait-1-linux", [] {
        // The server's data crosses the client's FIN, so it does not ACK it.
        Scenario s = handshakeScenario(Profile::Linux);
        s.steps.push_back(atStep(1 * kSec, Client, Action::Close));
        s.steps.push_back(atStep(1 * kSec, Server, Action::Send, 100));
        return run(s);
    });
    add("data-after-close-fin-wait-2-linux", [] {
        Scenario s = handshakeScenario(Profile::Linux);
        s.steps.push_back(atStep(1 * kSec, Client, Action::Close));
        s.steps.push_back(whenStep(Server, State::CloseWait, 100 * kMs, Server, Action::Send, 100));
        return run(s);
    });
    add("time-wait-syn-linux", [] {
        // The server closes first and sits in TIME-WAIT; the client reconnects from
        // the same port with a higher ISN, which Linux takes as a new connection.
        Scenario s = handshakeScenario(Profile::Linux);
        s.steps.push_back(atStep(1 * kSec, Server, Action::Close));
        s.steps.push_back(whenStep(Client, State::CloseWait, 100 * kMs, Client, Action::Close));
        s.steps.push_back(whenStep(Client, State::Closed, 1 * kSec, Client, Action::Connect));
        return run(s);
    });
    add("syn-after-close-fin-wait-2-linux", [] {
        // The client closed and its FIN is acknowledged; a SYN from the server's
        // address reaches the orphaned FIN-WAIT-2.
        Scenario s = handshakeScenario(Profile::Linux);
        s.steps.push_back(atStep(1 * kSec, Client, Action::Close));
        s.steps.push_back(injectStep(2 * kSec, Client, flag::SYN, 1301));
        return run(s);
    });
    // --- a listener apart from its connection (linux): closed before accept()
    add("listener-closed-established-linux", [] {
        Scenario s = handshakeScenario(Profile::Linux);
        s.steps.push_back(atStep(1 * kSec, Server, Action::CloseListener));
        s.steps.push_back(atStep(2 * kSec, Server, Action::Accept));
        return run(s);
    });
    add("listener-closed-close-wait-linux", [] {
        Scenario s = handshakeScenario(Profile::Linux);
        s.steps.push_back(atStep(1 * kSec, Client, Action::Shutdown));
        s.steps.push_back(
            whenStep(Server, State::CloseWait, 100 * kMs, Server, Action::CloseListener));
        s.steps.push_back(atStep(3 * kSec, Server, Action::Accept));
        return run(s);
    });
    add("listener-closed-syn-received-linux", [] {
        Scenario s = handshakeScenario(Profile::Linux);
        s.steps.push_back(whenStep(Server, State::SynReceived, 0, Server, Action::CloseListener));
        s.steps.push_back(atStep(3 * kSec, Server, Action::Accept));
        return run(s);
    });
    // --- a listener's request socket whose SYN,ACK retries run out (host simulator)
    add("request-expired-linux", [] {
        auto sc =
            parseScenarioText("profile: linux\n"
                              "server: {address: \"192.168.0.1:80\", backlog: 8}\n"
                              "sysctls: {tcp_synack_retries: 1}\n"
                              "steps:\n"
                              "  - {at: 0ms, server: listen}\n"
                              "load:\n"
                              "  - {at: 100ms, count: 1, rate: 1/s, from: \"203.0.113.0/24\", "
                              "behaviour: syn-only}\n",
                              "request-expired.yaml");
        if (!sc) {
            return Trace{};
        }
        HostSimulation r = simulateHosts(*sc);
        for (HostConnection& c : r.connections) {
            if (c.load) {
                return std::move(c.trace);
            }
        }
        return Trace{};
    });
    return v;
}

} // namespace

const std::vector<NamedSimulation>& coverageSimulations() {
    static const std::vector<NamedSimulation> kAll = build();
    return kAll;
}

} // namespace tcpviz::test
