// Kernel conformance: every case plays one side of a `profile: linux` scenario
// on this machine's real TCP (see README.md in this folder) and compares it
// with the simulator's Trace of the same scenario.
//
// Each case prints one report line; ConformanceReport.Score prints the score.
// Differences the simulator is known to have today are listed in
// kKnownDifferences: such a case passes while it differs exactly as listed and
// fails once it agrees (or differs otherwise), so the list stays true.

#include "comparison.h"
#include "kernel_run.h"
#include "replay/packetdrill.h"
#include "replay/packetdrill_reader.h"
#include "scenario/library.h"
#include "sim/simulator.h"
#include "state_event_cases.h"
#include "test_skip.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>
#include <vector>

namespace tcpviz::conformance {
namespace {

// Scenarios written for the harness: the classic lessons of the library are
// rfc9293 lessons, so here they are again with `profile: linux`.
constexpr const char* kHandshakeClientCloses = R"(
profile: linux
client: {address: "192.168.0.2:52528", isn: 100}
server: {address: "192.168.0.1:80", isn: 300}
network: {latency: 50ms}
steps:
  - {at: 0ms, server: listen}
  - {at: 10ms, client: connect}
  - {at: 1s, client: close}
  - {when: server CLOSE-WAIT, after: 200ms, server: close}
)";

constexpr const char* kServerClosesFirst = R"(
profile: linux
client: {address: "192.168.0.2:52528", isn: 100}
server: {address: "192.168.0.1:80", isn: 300}
network: {latency: 50ms}
steps:
  - {at: 0ms, server: listen}
  - {at: 10ms, client: connect}
  - {at: 1s, server: close}
  - {when: client CLOSE-WAIT, after: 200ms, client: close}
)";

constexpr const char* kConnectionRefused = R"(
profile: linux
client: {address: "192.168.0.2:52528", isn: 100}
server: {address: "192.168.0.1:81", isn: 300}
network: {latency: 50ms}
steps:
  - {at: 0ms, client: connect}
)";

constexpr const char* kDataExchange = R"(
profile: linux
client: {address: "192.168.0.2:52528", isn: 100}
server: {address: "192.168.0.1:80", isn: 300}
network: {latency: 50ms}
steps:
  - {at: 0ms, server: listen}
  - {at: 10ms, client: connect}
  - {at: 300ms, client: send, bytes: 100}
  - {at: 700ms, server: send, bytes: 200}
  - {at: 1100ms, client: send, bytes: 50}
)";

constexpr const char* kSimultaneousOpen = R"(
profile: linux
client: {address: "192.168.0.2:52528", isn: 100}
server: {address: "192.168.0.1:5000", isn: 300}
network: {latency: 50ms}
steps:
  - {at: 0ms, client: connect}
  - {at: 10ms, server: connect}
)";

// The syn-retries-linux lesson with tcp_syn_retries = 2, so that the kernel
// gives up within seconds instead of the lesson's 127 s.
constexpr const char* kSynRetries2 = R"(
profile: linux
client: {address: "192.168.0.2:52528", isn: 100}
server: {address: "192.168.0.1:80", isn: 300}
network: {latency: 50ms}
timers: {syn_retries: 2}
steps:
  - {at: 0ms, server: listen}
  - {at: 10ms, client: connect}
faults:
  - drop: {from: client, flags: "SYN", every: true}
)";

// Data never acknowledged, tcp_retries2 = 3: the client gives up when the budget
// tcp_model_timeout(3, TCP_RTO_MIN) = 3 s since the data first left has passed
// (tcp_write_timeout), at the 4th timeout (RTO 300 ms doubling: 4.8 s), and closes
// through tcp_write_err: ETIMEDOUT, no RST.
constexpr const char* kDataRetries3 = R"(
profile: linux
client: {address: "192.168.0.2:52528", isn: 100}
server: {address: "192.168.0.1:80", isn: 300}
network: {latency: 50ms}
timers: {data_retries: 3}
steps:
  - {at: 0ms, server: listen}
  - {at: 10ms, client: connect}
  - {at: 300ms, client: send, bytes: 100}
faults:
  - drop: {from: client, flags: "PSH,ACK", every: true}
)";

// A SYN reaching an orphaned FIN-WAIT-2 (closed, the peer's FIN not yet in):
// Linux keeps such a socket as a TIME-WAIT mini-socket in substate FIN_WAIT2, and
// tcp_timewait_state_process answers an in-window SYN at or above RCV.NXT with a
// RST (TCP_TW_RST).
constexpr const char* kSynToOrphanFinWait2 = R"(
profile: linux
client: {address: "192.168.0.2:52528", isn: 100}
server: {address: "192.168.0.1:80", isn: 300}
network: {latency: 50ms}
steps:
  - {at: 0ms, server: listen}
  - {at: 10ms, client: connect}
  - {at: 500ms, client: close}
  - at: 1500ms
    inject: {to: client, flags: "SYN", seq: 1301}
)";

struct Case {
    std::string scenario; ///< built-in id, or the name of the text below
    std::string text;     ///< scenario text; empty: the built-in lesson `scenario`
    Side kernel = Side::Client;
    std::int64_t observeUs =
        0; ///< 0: until the simulation's end, at most 3 s after the last action, + 1 s
    /// A minute or more of real time (TIME-WAIT's 60 s, tcp_fin_timeout's 60 s):
    /// labelled `conformance-long`, run in the ci preset only.
    bool slow = false;
    [[nodiscard]] std::string name() const {
        return scenario + (kernel == Side::Client ? ".kernel-client" : ".kernel-server");
    }
};

// gtest prints a parameter in the test's listing (and so in ctest's names).
[[maybe_unused]] void PrintTo(const Case& c, std::ostream* os) {
    *os << c.name();
}

std::vector<Case> bothRoles(const std::string& scenario, const std::string& text,
                            std::int64_t observeUs = 0) {
    return {{scenario, text, Side::Client, observeUs}, {scenario, text, Side::Server, observeUs}};
}

std::vector<Case> allCases() {
    std::vector<Case> cases;
    for (auto v : {bothRoles("handshake-client-closes", kHandshakeClientCloses),
                   bothRoles("server-closes-first", kServerClosesFirst),
                   bothRoles("connection-refused", kConnectionRefused),
                   bothRoles("abort-linger-zero", {}), bothRoles("data-exchange", kDataExchange),
                   bothRoles("simultaneous-open", kSimultaneousOpen),
                   bothRoles("syn-retries-2", kSynRetries2, 9'000'000),
                   bothRoles("data-retries-3", kDataRetries3, 7'000'000),
                   bothRoles("three-way-close", {}), bothRoles("close-with-unread-data", {})}) {
        cases.insert(cases.end(), v.begin(), v.end());
    }
    // A SYN reaching the server's TIME-WAIT (tcp_timewait_state_process, TCP_TW_SYN):
    // kernel as the server only. The scripted client replays the simulated ISNs, and
    // the kernel's new ISN, old SND.NXT + 65537, is then comparable; a kernel client
    // would pick a fresh random ISN for its second connect().
    cases.push_back({"time-wait-reconnect", {}, Side::Server});
    cases.push_back({"syn-to-orphan-fin-wait-2", kSynToOrphanFinWait2, Side::Client});
    // The rest of the built-in linux lessons. Left out (README.md): the second
    // connection of linger-zero-old-duplicate, whose chosen ISNs are the lesson
    // (a kernel picks its own for every connection), and synack-retries-old-rto,
    // whose 3 s initial RTO Linux cannot be given (TCP_TIMEOUT_INIT).
    for (auto v : {bothRoles("challenge-ack", {}), bothRoles("close-wait-myths", {}),
                   bothRoles("network-failure", {})}) {
        cases.insert(cases.end(), v.begin(), v.end());
    }
    cases.push_back({"time-wait-myths", {}, Side::Client});
    cases.push_back({"time-wait-myths", {}, Side::Server, 0, true}); // listens again at 30 s
    cases.push_back({"syn-flood-half-open", {}, Side::Server});
    // The long ones: TIME-WAIT watched to its end, fin_timeout's full minute.
    cases.push_back({"time-wait-expiry", {}, Side::Client, 63'000'000, true});
    cases.push_back({"time-wait-expiry", {}, Side::Server});
    // fin-wait-2-timeout (91 s a role) is played on the kernel by its exported
    // packetdrill scripts (Scripts/PacketdrillScriptOnKernel), both roles, and its
    // rule by fin-wait-2-timeout-short here: not a third and fourth time.
    for (const StateEventCase& s : stateEventCases()) {
        if (s.kernelClient) {
            cases.push_back({s.name, s.text, Side::Client, s.observeUs});
        }
        if (s.kernelServer) {
            cases.push_back({s.name, s.text, Side::Server, s.observeUs});
        }
    }
    return cases;
}

// Known differences between the linux profile and the kernel, pending fixes of
// the profile. Key: case name; value: the start of the first difference as the
// report prints it, and whether the kernel varies from run to run. A listed case
// passes while it differs this way and fails when it differs otherwise; one
// that does not vary also fails when it agrees, so the list stays true.
struct KnownDifference {
    std::string firstDifference;
    bool varies = false; ///< the kernel sometimes agrees: both outcomes pass
};
const std::map<std::string, KnownDifference>& knownDifferences() {
    static const std::map<std::string, KnownDifference> known{
        // The three-way-close lesson, kernel as server: the FIN arrives at 1.050 s,
        // the application reads end-of-file and closes 5 ms later, within the
        // 40 ms delayed-ACK time. The kernel acknowledges the FIN with a pure ACK
        // of its own (seen at 1.051 s in one run, at 1.055 s in another: right
        // after the FIN, or only at close()) and then sends FIN,ACK: four
        // segments, not the lesson's three. The profile (and the lesson text)
        // merge the ACK into the FIN. Not modelled, because the source does not
        // explain it yet: quick-ACK mode is ruled out for the FIN itself, since
        // tcp_fin() calls inet_csk_enter_pingpong_mode() on ESTABLISHED ->
        // CLOSE-WAIT and tcp_in_quickack_mode() requires !pingpong, so
        // by these functions alone __tcp_ack_snd_check() delays the ACK
        // (tcp_send_delayed_ack) and the FIN of close() (tcp_send_fin) would carry
        // it, as the profile says. The run-to-run variation
        // points at timing between the softirq and the application's read/close
        // (backlog processing, tcp_cleanup_rbuf, the delack timer's "about to
        // expire" shortcut), not at a rule the profile could follow; to trace next.
        // Five runs in a row on 6.18 gave the separate ACK at 1.050, 1.052 and
        // 1.055 s, and once none at all (the lesson's three segments), so the
        // case passes either way and reports which.
        {"three-way-close.kernel-server",
         {"segment 2: expected FIN,ACK seq=1 ack=2 len=0 at 1.055s, "
          "kernel ACK seq=1 ack=2 len=0",
          true}},
    };
    return known;
}

std::string kernelRelease() {
    utsname u{};
    return ::uname(&u) == 0 ? u.release : "unknown";
}

/// Where the cases leave their report lines for ConformanceReport.Score when
/// ctest runs every case in a process of its own; empty: in-process only.
std::string resultsDir() {
    const char* dir = std::getenv("TCPVIZ_CONFORMANCE_RESULTS");
    return dir == nullptr ? std::string() : std::string(dir);
}

struct CaseResult {
    std::string line;
    bool agree = false;
};
std::map<std::string, CaseResult>& inProcessResults() {
    static std::map<std::string, CaseResult> results;
    return results;
}

void recordResult(const Case& c, const CaseResult& r) {
    inProcessResults()[c.name()] = r;
    const std::string dir = resultsDir();
    if (!dir.empty()) {
        std::filesystem::create_directories(dir);
        std::ofstream(dir + "/" + c.name() + ".txt") << (r.agree ? 1 : 0) << ' ' << r.line << '\n';
    }
}

std::string skipReason() {
    if (::geteuid() != 0) {
        return "kernel conformance needs root (a network namespace and a tun device)";
    }
    if (::access("/dev/net/tun", R_OK | W_OK) != 0) {
        return "kernel conformance needs /dev/net/tun";
    }
    return {};
}

std::optional<Scenario> loadCase(const Case& c, std::string& error) {
    if (c.text.empty()) {
        std::optional<Scenario> builtin = findBuiltinScenario(c.scenario);
        if (!builtin) {
            error = "no built-in scenario " + c.scenario;
        }
        return builtin;
    }
    Result<Scenario> r = parseScenarioText(c.text, c.scenario + ".yaml");
    if (!r) {
        error = r.error().toString();
        return std::nullopt;
    }
    return std::move(*r);
}

std::int64_t observeWindow(const Case& c, const Trace& trace, Side kernel) {
    if (c.observeUs != 0) {
        return c.observeUs;
    }
    std::int64_t lastAction = 0;
    for (const TraceEvent& e : trace.events()) {
        if (e.endpoint == kernel && (e.kind == EventKind::Arrive || e.kind == EventKind::Call)) {
            lastAction = e.timeUs;
        }
    }
    std::int64_t window = std::min(trace.endTimeUs(), lastAction + 3'000'000) + 1'000'000;
    // The side's last state change, when a timer makes it (TIME-WAIT's 60 s): the
    // kernel's timer wheel may run it up to an eighth late, which compare() allows
    // (toleranceUs); watch until that tolerance is over, or a late expiry reads as
    // "kernel stays in TIME-WAIT" (seen once: 61.3 s expected, window 62.3 s).
    const std::vector<StateEntry>& states = trace.states(kernel);
    if (states.size() > 1) {
        const std::int64_t last = trace.event(states.back().event).timeUs;
        if (last <= window && last > lastAction) {
            window = std::max(window, last + toleranceUs(last, lastAction) + 500'000);
        }
    }
    return window;
}

class Conformance : public ::testing::TestWithParam<Case> {};

TEST_P(Conformance, KernelAgreesWithTheLinuxProfile) {
    const Case& c = GetParam();
    if (const std::string why = skipReason(); !why.empty()) {
        TCPVIZ_SKIP(why);
    }
    std::string error;
    const std::optional<Scenario> scenario = loadCase(c, error);
    ASSERT_TRUE(scenario) << error;
    ASSERT_EQ(scenario->profile, Profile::Linux)
        << c.scenario << " is not a linux-profile scenario";
    const Trace trace = simulate(*scenario);
    const std::int64_t window = observeWindow(c, trace, c.kernel);
    const KernelRecord kernel = runKernelSide(*scenario, trace, {c.kernel, window});
    ASSERT_TRUE(kernel.error.empty()) << "harness: " << kernel.error;

    const Verdict v = compare(trace, c.kernel, kernel, window);
    // The errnos the kernel side's application saw, against the simulated Error events.
    const std::string errors = compareErrors(trace, c.kernel, kernel, window);
    const auto known = knownDifferences().find(c.name());
    std::ostringstream line;
    line << "conformance: " << c.scenario << "  kernel=" << sideName(c.kernel) << "  "
         << (v.agree && errors.empty() ? "PASS" : "DIFF");
    if (!kernel.errors.empty()) {
        line << "  errors=" << kernel.errors.size();
    }
    if (!errors.empty()) {
        line << "  errno: " << errors;
    }
    if (!v.agree) {
        line << "  " << v.firstDifference;
        if (known != knownDifferences().end()) {
            line << "  [known]";
        }
    }
    std::cout << line.str() << '\n';
    // TCPVIZ_CONFORMANCE_VERBOSE=1 shows both sides of agreeing cases too.
    if (!v.agree || std::getenv("TCPVIZ_CONFORMANCE_VERBOSE") != nullptr) {
        std::cout << sideBySide(trace, c.kernel, kernel, window);
    }
    for (const std::string& n : kernel.notes) {
        std::cout << "    kernel side: " << n << '\n';
    }
    recordResult(c, {line.str(), v.agree && errors.empty()});
    EXPECT_TRUE(errors.empty()) << "the application's errors differ: " << errors;

    if (known == knownDifferences().end()) {
        EXPECT_TRUE(v.agree) << "the kernel and the linux profile differ: " << v.firstDifference;
    } else {
        const KnownDifference& k = known->second;
        if (!k.varies) {
            EXPECT_FALSE(v.agree) << c.name()
                                  << " agrees now: remove it from the known differences";
        }
        if (!v.agree) {
            EXPECT_EQ(v.firstDifference.rfind(k.firstDifference, 0), 0U)
                << "differs otherwise than listed: " << v.firstDifference;
        }
    }
}

std::vector<Case> casesTaking(bool slow) {
    std::vector<Case> cases = allCases();
    std::erase_if(cases, [slow](const Case& c) { return c.slow != slow; });
    return cases;
}

std::string caseTestName(const ::testing::TestParamInfo<Case>& param) {
    std::string n = param.param.name();
    std::replace_if(
        n.begin(), n.end(), [](char ch) { return std::isalnum(ch) == 0; }, '_');
    return n;
}

INSTANTIATE_TEST_SUITE_P(Cases, Conformance, ::testing::ValuesIn(casesTaking(false)), caseTestName);
INSTANTIATE_TEST_SUITE_P(LongCases, Conformance, ::testing::ValuesIn(casesTaking(true)),
                         caseTestName);

// ---------------------------------------------------------------------------
// Exported packetdrill scripts played against the kernel.
//
// For every built-in `profile: linux` lesson and each side that a script can
// express, packetdrillScript() writes the script, parsePacketdrillScript() reads
// it back, and the harness plays it: the application does the script's calls at
// their times, the `<` segments are injected through the tun (ACK fields moved
// to the kernel's real ISN) and the `>` segments are asserted in order (flags,
// relative SEQ/ACK, length, time within toleranceUs()). Unlike the cases above,
// nothing comes from the Trace but the script's text and the scenario's
// addresses and sysctls; states are not compared (a script has none).

struct ScriptCase {
    std::string lesson;
    Side kernel = Side::Client;
    [[nodiscard]] std::string name() const {
        return lesson + (kernel == Side::Client ? ".client.pkt" : ".server.pkt");
    }
};

[[maybe_unused]] void PrintTo(const ScriptCase& c, std::ostream* os) {
    *os << c.name();
}

struct NotExpressible {
    std::string lesson;
    Side side = Side::Client;
    const char* why = "";
};

// Lesson sides of `profile: linux` lessons that no script of ours can play on the
// kernel, and why (README.md in this folder repeats the list).
const std::vector<NotExpressible>& notExpressible() {
    static const std::vector<NotExpressible> list{
        {"syn-flood-half-open", Side::Client,
         "the client is scripted (role: scripted): a forged SYN, no TCP to test"},
        {"synack-retries-old-rto", Side::Client,
         "the client is scripted (role: scripted): a forged SYN, no TCP to test"},
        {"synack-retries-old-rto", Side::Server,
         "the lesson sets the initial RTO to 3 s; Linux's is the compile-time "
         "TCP_TIMEOUT_INIT (1 s), no sysctl sets it"},
        {"linger-zero-old-duplicate", Side::Client,
         "the second connect() gets a fresh random ISN from the kernel; the lesson places "
         "it (600) below the old connection's bytes, which a script cannot impose"},
        {"linger-zero-old-duplicate", Side::Server,
         "the second connection's SYN,ACK carries a fresh random ISN (the first ended by "
         "RST, no TIME-WAIT to derive it from); the script's relative numbers assume the "
         "lesson's 900"},
        {"time-wait-reconnect", Side::Client,
         "the second connect() from the port in TIME-WAIT gets a fresh random ISN; the "
         "script's relative numbers assume the lesson's"},
    };
    static const std::vector<NotExpressible> all = [] {
        std::vector<NotExpressible> out = list;
        // The many-connection lessons: one script plays one connection, but what
        // the named connection meets (a full SYN or accept queue, ports held by
        // other sockets, a listener that other connections keep from binding) is
        // made by the crowd around it. Their queue and port rules are checked on
        // the kernel by syn_queue_test.cpp instead.
        for (const char* lesson :
             {"syn-flood", "syn-cookies", "accept-queue-overflow", "time-wait-pileup",
              "close-wait-leak", "server-restart-reuseaddr"}) {
            for (const Side side : {Side::Client, Side::Server}) {
                out.push_back({lesson, side,
                               "a many-connection lesson (load:): the named connection's "
                               "fate depends on the other connections, which one script "
                               "cannot play; syn_queue_test.cpp checks the rules on the "
                               "kernel"});
            }
        }
        return out;
    }();
    return all;
}

// Scripts whose kernel side varies from run to run in a known way, and the
// variation accepted besides the script itself. three-way-close, kernel as the
// server: the FIN arrives 5 ms before the application's close(), and the kernel
// sometimes acknowledges it at once with a pure ACK before its FIN,ACK (four
// segments) and sometimes lets the FIN,ACK carry the ACK (the script's three),
// as the case three-way-close.kernel-server above shows; not explained yet.
const std::map<std::string, std::string>& knownScriptVariations() {
    static const std::map<std::string, std::string> list{
        {"three-way-close.server.pkt", "a pure ACK of the peer's FIN before the FIN,ACK"},
    };
    return list;
}

/// `expected` with a pure ACK inserted before its first FIN, acknowledging what
/// that FIN acknowledges (the variation of knownScriptVariations).
Expected withAckBeforeFin(Expected expected) {
    for (std::size_t i = 0; i < expected.sent.size(); ++i) {
        if (expected.sent[i].segment.has(flag::FIN)) {
            TimedSegment ack = expected.sent[i];
            ack.segment.flags = flag::ACK;
            expected.sent.insert(expected.sent.begin() + static_cast<std::ptrdiff_t>(i), ack);
            break;
        }
    }
    return expected;
}

bool expressible(const std::string& lesson, Side side) {
    return std::none_of(
        notExpressible().begin(), notExpressible().end(),
        [&](const NotExpressible& n) { return n.lesson == lesson && n.side == side; });
}

std::vector<ScriptCase> scriptCases() {
    std::vector<ScriptCase> out;
    for (const Scenario& lesson : builtinScenarios()) {
        if (lesson.profile != Profile::Linux) {
            continue;
        }
        for (const Side side : {Side::Client, Side::Server}) {
            if (expressible(lesson.id, side)) {
                out.push_back({lesson.id, side});
            }
        }
    }
    return out;
}

/// The script's fd argument ("4" in "write(4, ..., 100)").
int fdArgument(const PacketdrillLine& l) {
    return l.args.empty() ? -1 : std::atoi(l.args.front().c_str());
}

/// The script as the harness plays it and what it asserts. Numbers: the peer
/// uses its simulated ISN `peerIsn`; the kernel's are based on its simulated
/// ISN, and the harness moves them to its real one.
struct PlayableScript {
    KernelScript run;
    Expected expected;
    std::size_t injected = 0;
    std::size_t calls = 0;
    std::int64_t lastLineUs = 0;
};

Result<PlayableScript> playable(const PacketdrillScript& script, const Scenario& scenario,
                                const Trace& trace, Side kernel, const std::string& file) {
    const bool client = kernel == Side::Client;
    const TraceEndpointInfo& k = client ? trace.meta.client : trace.meta.server;
    const TraceEndpointInfo& p = client ? trace.meta.server : trace.meta.client;
    PlayableScript out;
    out.run.local = k.address;
    out.run.remote = p.address;
    out.run.kernelIsn = k.isn;
    (void)scenario;
    for (const PacketdrillLine& l : script.lines) {
        out.lastLineUs = std::max(out.lastLineUs, l.timeUs);
        if (l.kind != PacketdrillLine::Kind::Call) {
            Segment seg;
            seg.flags = l.flags;
            seg.len = l.len;
            seg.window = l.window.value_or(65535);
            const bool in = l.kind == PacketdrillLine::Kind::Inbound;
            seg.seq = (in ? p.isn : k.isn) + l.start;
            seg.ack = l.ack ? (in ? k.isn : p.isn) + *l.ack : 0;
            seg.srcPort = in ? p.address.port : k.address.port;
            seg.dstPort = in ? k.address.port : p.address.port;
            seg.options.mss = l.mss;
            if (in) {
                ScriptStep step;
                step.timeUs = l.timeUs;
                step.kind = ScriptStep::Kind::Inject;
                step.segment = seg;
                step.line = l.line;
                out.run.steps.push_back(step);
                out.expected.anchors.push_back(l.timeUs);
                ++out.injected;
            } else {
                out.expected.sent.push_back({l.timeUs, seg});
            }
            continue;
        }
        ScriptStep step;
        step.timeUs = l.timeUs;
        step.line = l.line;
        step.fd = fdArgument(l);
        std::string text = l.call + "(";
        for (std::size_t i = 0; i < l.args.size(); ++i) {
            text += (i == 0 ? "" : ", ") + l.args[i];
        }
        step.text = text + ") = " + std::to_string(l.returns);
        const auto bytes = [&] {
            return l.args.size() == 3 ? static_cast<std::uint32_t>(std::stoul(l.args[2])) : 0U;
        };
        const auto arg = [&](std::size_t i) { return i < l.args.size() ? l.args[i] : ""; };
        if (l.call == "socket" || l.call == "fcntl" || l.call == "bind" ||
            (l.call == "setsockopt" && arg(2) == "SO_REUSEADDR")) {
            // The harness's socket is non-blocking, SO_REUSEADDR and bound to the
            // scenario's address whatever the script says: nothing to do.
            continue;
        }
        if (l.call == "setsockopt" && arg(2) == "SO_LINGER" && arg(3) == "{onoff=1, linger=0}") {
            step.kind = ScriptStep::Kind::LingerZero;
        } else if (l.call == "listen") {
            step.kind = ScriptStep::Kind::Listen;
        } else if (l.call == "connect" && l.returns == -1 && l.errnoName == "EINPROGRESS") {
            step.kind = ScriptStep::Kind::Connect;
        } else if (l.call == "accept") {
            step.kind = ScriptStep::Kind::Accept;
            step.result = static_cast<int>(l.returns);
        } else if ((l.call == "write" || l.call == "read") &&
                   static_cast<std::int64_t>(bytes()) == l.returns) {
            step.kind = l.call == "write" ? ScriptStep::Kind::Write : ScriptStep::Kind::Read;
            step.bytes = bytes();
        } else if (l.call == "shutdown" && arg(1) == "SHUT_WR" && l.returns == 0) {
            step.kind = ScriptStep::Kind::Shutdown;
        } else if (l.call == "close" && l.returns == 0) {
            step.kind = ScriptStep::Kind::Close;
        } else {
            Error e;
            e.file = file;
            e.line = l.line;
            e.column = 1;
            e.message = "the harness does not play " + step.text;
            return fail(std::move(e));
        }
        out.run.steps.push_back(step);
        out.expected.anchors.push_back(l.timeUs);
        ++out.calls;
    }
    // Calls and injections at one time keep the script's order.
    std::stable_sort(out.run.steps.begin(), out.run.steps.end(),
                     [](const ScriptStep& a, const ScriptStep& b) { return a.timeUs < b.timeUs; });
    return out;
}

class PacketdrillScriptOnKernel : public ::testing::TestWithParam<ScriptCase> {};

TEST_P(PacketdrillScriptOnKernel, KernelDoesWhatTheScriptSays) {
    const ScriptCase& c = GetParam();
    if (const std::string why = skipReason(); !why.empty()) {
        TCPVIZ_SKIP(why);
    }
    const std::optional<Scenario> scenario = findBuiltinScenario(c.lesson);
    ASSERT_TRUE(scenario) << "no built-in lesson " << c.lesson;
    const Scenario& sc = *scenario;
    const Trace trace = simulate(sc);
    const bool reads = (c.kernel == Side::Client ? sc.client : sc.server).reads;
    const std::string text = packetdrillScript(trace, c.kernel, reads);
    const Result<PacketdrillScript> script = parsePacketdrillScript(text, c.name());
    ASSERT_TRUE(script) << script.error().toString() << "\n" << text;
    const Result<PlayableScript> play = playable(*script, sc, trace, c.kernel, c.name());
    ASSERT_TRUE(play) << play.error().toString() << "\n" << text;

    // Every line of the script is played and every `>` asserted: the kernel is
    // watched until 1 s after the script's last line, and at least as long as
    // the last `>` line's time tolerance (the timer wheel's lateness adds up:
    // syn-retries-linux's 11th SYN comes ~0.8 s after its scripted 67.01 s).
    std::int64_t window = play->lastLineUs + 1'000'000;
    if (const auto& sent = play->expected.sent; !sent.empty()) {
        const std::int64_t last = sent.back().timeUs;
        std::int64_t since = sent.size() > 1 ? sent[sent.size() - 2].timeUs : 0;
        for (const std::int64_t a : play->expected.anchors) {
            since = a <= last ? std::max(since, a) : since;
        }
        window = std::max(window, last + toleranceUs(last, since));
    }
    const KernelRecord kernel = runKernelScript(sc, play->run, {c.kernel, window});
    ASSERT_TRUE(kernel.error.empty()) << "harness: " << kernel.error;

    const std::uint32_t peerIss =
        c.kernel == Side::Client ? trace.meta.server.isn : trace.meta.client.isn;
    Verdict v = compareSent(play->expected, kernel, peerIss, window);
    std::string variation;
    if (const auto known = knownScriptVariations().find(c.name());
        !v.agree && known != knownScriptVariations().end() &&
        compareSent(withAckBeforeFin(play->expected), kernel, peerIss, window).agree) {
        v = {};
        variation = known->second;
    }
    if (v.agree && !kernel.callFailures.empty()) {
        v = {false, kernel.callFailures.front()};
    }
    std::ostringstream line;
    line << "packetdrill: " << c.name() << "  kernel=" << sideName(c.kernel) << "  "
         << (v.agree ? "PASS" : "DIFF") << "  " << play->expected.sent.size() << " '>' asserted, "
         << play->injected << " '<' injected, " << play->calls << " calls";
    if (!v.agree) {
        line << "  " << v.firstDifference;
    }
    if (!variation.empty()) {
        line << "  [known variation: " << variation << "]";
    }
    std::cout << line.str() << '\n';
    if (!v.agree || std::getenv("TCPVIZ_CONFORMANCE_VERBOSE") != nullptr) {
        std::cout << text << "    script expects: " << describeAll(play->expected.sent, peerIss)
                  << "\n    kernel sends:   " << describeAll(kernel.sent, peerIss) << '\n';
    }
    for (const std::string& n : kernel.notes) {
        std::cout << "    kernel side: " << n << '\n';
    }
    for (const std::string& f : kernel.callFailures) {
        std::cout << "    call: " << f << '\n';
    }
    const CaseResult result{line.str(), v.agree};
    inProcessResults()[c.name()] = result;
    if (const std::string dir = resultsDir(); !dir.empty()) {
        std::filesystem::create_directories(dir);
        std::ofstream(dir + "/" + c.name() + ".txt")
            << (v.agree ? 1 : 0) << ' ' << line.str() << '\n';
    }
    EXPECT_TRUE(v.agree) << "the kernel does not do what the script says: " << v.firstDifference;
}

INSTANTIATE_TEST_SUITE_P(Scripts, PacketdrillScriptOnKernel, ::testing::ValuesIn(scriptCases()),
                         [](const ::testing::TestParamInfo<ScriptCase>& param) {
                             std::string n = param.param.name();
                             std::replace_if(
                                 n.begin(), n.end(), [](char ch) { return std::isalnum(ch) == 0; },
                                 '_');
                             return n;
                         });

void printScore(const std::map<std::string, CaseResult>& results) {
    std::size_t agreeing = 0;
    std::size_t ran = 0;
    const std::vector<Case> cases = allCases();
    for (const Case& c : cases) {
        const auto r = results.find(c.name());
        if (r != results.end()) {
            std::cout << r->second.line << '\n';
            ++ran;
            agreeing += r->second.agree ? 1 : 0;
        }
    }
    std::cout << "conformance: " << agreeing << " of " << ran << " cases agree (kernel "
              << kernelRelease() << ")";
    if (ran != cases.size()) {
        std::cout << "; " << cases.size() - ran << " of " << cases.size() << " cases not run";
    }
    std::cout << '\n';

    std::size_t passing = 0;
    std::size_t played = 0;
    const std::vector<ScriptCase> scripts = scriptCases();
    for (const ScriptCase& c : scripts) {
        const auto r = results.find(c.name());
        if (r != results.end()) {
            std::cout << r->second.line << '\n';
            ++played;
            passing += r->second.agree ? 1 : 0;
        }
    }
    for (const NotExpressible& n : notExpressible()) {
        std::cout << "packetdrill: " << n.lesson << "." << sideName(n.side)
                  << ".pkt  not expressible: " << n.why << '\n';
    }
    std::cout << "packetdrill: " << passing << " of " << played
              << " exported scripts pass on the kernel (" << notExpressible().size()
              << " lesson sides not expressible)";
    if (played != scripts.size()) {
        std::cout << "; " << scripts.size() - played << " of " << scripts.size()
                  << " scripts not run";
    }
    std::cout << '\n';
}

// Under ctest every case runs in a process of its own and leaves its line in
// TCPVIZ_CONFORMANCE_RESULTS; this test is the fixture's cleanup, run after them.
TEST(ConformanceReport, Score) {
    // The list of sides no script can express names linux lessons, each once.
    for (const NotExpressible& n : notExpressible()) {
        const std::optional<Scenario> lesson = findBuiltinScenario(n.lesson);
        EXPECT_TRUE(lesson && lesson->profile == Profile::Linux)
            << n.lesson << " is not a built-in linux lesson";
        EXPECT_EQ(std::count_if(notExpressible().begin(), notExpressible().end(),
                                [&](const NotExpressible& o) {
                                    return o.lesson == n.lesson && o.side == n.side;
                                }),
                  1)
            << n.lesson;
    }
    if (const std::string why = skipReason(); !why.empty()) {
        TCPVIZ_SKIP(why);
    }
    const std::string dir = resultsDir();
    if (dir.empty()) {
        std::cout << "conformance: the score follows the cases at the end of this run\n";
        return;
    }
    std::map<std::string, CaseResult> results;
    if (std::filesystem::exists(dir)) {
        for (const auto& entry : std::filesystem::directory_iterator(dir)) {
            std::ifstream in(entry.path());
            int agree = 0;
            CaseResult r;
            in >> agree >> std::ws;
            std::getline(in, r.line);
            r.agree = agree != 0;
            results[entry.path().stem().string()] = r;
        }
    }
    ASSERT_FALSE(results.empty()) << "no case left a result in " << dir;
    printScore(results);
}

/// Run directly (not through ctest), the executable prints the score after all cases.
class ScoreAtExit : public ::testing::Environment {
public:
    void TearDown() override {
        if (resultsDir().empty() && !inProcessResults().empty()) {
            printScore(inProcessResults());
        }
    }
};
[[maybe_unused]] const auto* const kScoreAtExit =
    ::testing::AddGlobalTestEnvironment(new ScoreAtExit);

} // namespace
} // namespace tcpviz::conformance
