#pragma once

#include "base/error.h"
#include "tcp/address.h"
#include "tcp/arc.h"
#include "tcp/profile.h"
#include "tcp/state.h"
#include "text/localized.h"
#include "trace/trace.h"

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tcpviz {

/// 1-based line and column in the scenario file (0 when not from a file).
struct SourceLocation {
    int line = 0;
    int column = 0;
};

struct EndpointSpec {
    /// Written "192.168.0.2:52528" or "[2001:db8::1]:80"; none: the simulator's default.
    std::optional<SocketAddress> address;
    std::optional<std::uint32_t> isn; ///< deterministic default when absent
    bool scripted = false;            ///< `role: scripted`: no TCP logic, only `inject`
    /// `reads: false`: the application never reads, so received bytes stay unread
    /// (linux profile: its CLOSE then sends RST instead of FIN).
    bool reads = true;
    /// `reads: manual`: bytes stay unread until a `recv` step (`reads` is then false).
    bool manualReads = false;
    /// `isn: [100, 600]`: the ISNs of the later connections of this endpoint
    /// (a reconnect); without them each new connection adds 64000.
    std::vector<std::uint32_t> laterIsns;
    /// `window: N`: the receive window this side advertises (a captured
    /// connection's); none: the endpoint's default 65535.
    std::optional<std::uint32_t> window{};
    /// `delays_acks: true`: data is acknowledged after `timers.delayed_ack`, at the
    /// second segment or on the side's next segment (EndpointConfig::delaysAcks).
    bool delaysAcks = false;
    /// `fast_open: true`: data on the peer's SYN is accepted and acknowledged by
    /// the SYN,ACK (EndpointConfig::fastOpen).
    bool fastOpen = false;
    /// `quick_ack: true`: a linux side acknowledges a FIN at once instead of
    /// delaying it in pingpong mode (the route option `quickack 1`,
    /// EndpointConfig::quickAck).
    bool quickAck = false;
    /// `backlog: N` (server, multi-connection scenarios): listen()'s backlog; the
    /// kernel caps it at `net.core.somaxconn` (sk_max_ack_backlog).
    std::optional<std::uint32_t> backlog{};
    /// `reuseaddr: true` (server): SO_REUSEADDR on the listening socket (and so on
    /// the connections it accepts): a restarted server may bind its port while old
    /// connections of it are in TIME-WAIT.
    bool reuseaddr = false;
};

/// Linux sysctls of the hosts of a multi-connection scenario (`sysctls:`), named
/// as in /proc/sys/net. The defaults are the kernel's (6.x).
struct Sysctls {
    int tcpSyncookies = 1; ///< net.ipv4.tcp_syncookies: 0, 1 (on overflow) or 2 (always)
    std::uint32_t tcpMaxSynBacklog = 1024;      ///< net.ipv4.tcp_max_syn_backlog
    std::uint32_t somaxconn = 4096;             ///< net.core.somaxconn
    int tcpAbortOnOverflow = 0;                 ///< net.ipv4.tcp_abort_on_overflow
    int tcpTwReuse = 2;                         ///< net.ipv4.tcp_tw_reuse: 0, 1, 2 (loopback only)
    std::int64_t tcpTwReuseDelayUs = 1'000'000; ///< net.ipv4.tcp_tw_reuse_delay (ms in /proc)
    bool tcpTimestamps = true;                  ///< net.ipv4.tcp_timestamps
    std::uint16_t portLow = 32768;              ///< net.ipv4.ip_local_port_range, first
    std::uint16_t portHigh = 60999;             ///< net.ipv4.ip_local_port_range, last
};

/// What a generated client of a `load:` entry does.
enum class LoadBehaviour : std::uint8_t {
    SynOnly,      ///< a spoofed SYN that never answers (SYN flood)
    ConnectClose, ///< connect, send `bytes`, close
    ConnectHold,  ///< connect (send `bytes` if given) and never close
};
[[nodiscard]] std::string_view loadBehaviourName(LoadBehaviour b); ///< "syn-only", ...

/// One `load:` entry: `count` generated clients starting at `atUs`, `rate` per
/// second (0: all at `atUs`), from the addresses of `from` taken in turn.
struct LoadSpec {
    std::int64_t atUs = 0;
    std::uint32_t count = 1;
    double rate = 0;         ///< connections per second; 0: all at once
    IpAddress base;          ///< first address of `from`
    std::uint32_t hosts = 1; ///< addresses in `from` (a CIDR's size; 1 for an address)
    LoadBehaviour behaviour = LoadBehaviour::ConnectClose;
    std::uint32_t bytes = 0; ///< what each client sends once connected (0: nothing)
    SourceLocation where;
};

/// The server application of a multi-connection scenario (`app:`).
struct AppSpec {
    enum class Close : std::uint8_t { OnEof, Never, After };
    enum class Accept : std::uint8_t { AtOnce, Never, Every };
    Close close = Close::OnEof;
    std::int64_t closeAfterUs = 0; ///< Close::After: this long after accept()
    Accept accept = Accept::AtOnce;
    std::int64_t acceptEveryUs = 0; ///< Accept::Every: one accept() this often
};

struct NetworkSpec {
    std::int64_t clientToServerUs = 50'000;
    std::int64_t serverToClientUs = 50'000;
};

/// What a step does. Recv, Accept and CloseListener came later than Inject, so
/// the order is not the order of the guide.
enum class Action : std::uint8_t {
    Listen,
    Connect,
    Send,
    Close,
    Shutdown,
    Abort,
    Inject,
    Recv,          ///< `recv` (`bytes: N`, or all): needs `reads: manual`
    Accept,        ///< `accept`: the server takes the connection off the accept queue
    CloseListener, ///< `close-listener`: close() of the listening socket alone
};

/// `shutdown` with `how: write` (the default, SHUT_WR), `read` or `both`.
enum class ShutdownHow : std::uint8_t { Write, Read, Both };

/// How an endpoint's application reads (`reads:`).
enum class ReadMode : std::uint8_t {
    Auto,   ///< `reads: true` (default): whatever arrives is read at once
    Never,  ///< `reads: false`: nothing is ever read
    Manual, ///< `reads: manual`: data waits in the receive buffer until a `recv` step
};

/// A raw segment from outside, delivered to `to` at the step's time.
struct InjectSpec {
    Side to = Side::Server;
    std::uint8_t flags = 0;
    std::uint32_t seq = 0;
    std::uint32_t ack = 0;
    std::uint32_t len = 0;
    std::optional<std::uint32_t> window{};
};

/// When a step runs: at an absolute time, or when `whenSide` enters `whenState`;
/// either way `afterUs` later.
struct Trigger {
    std::optional<std::int64_t> atUs;
    std::optional<Side> whenSide;
    std::optional<State> whenState;
    std::int64_t afterUs = 0;
};

struct Step {
    Trigger trigger;
    Side endpoint = Side::Client; ///< whose application acts (unused for Inject)
    Action action = Action::Listen;
    std::uint32_t bytes = 0;              ///< for Send; Recv: at most this many (0: all there is)
    ShutdownHow how = ShutdownHow::Write; ///< for Shutdown
    bool lingerZero = false;              ///< Close with `linger: 0` (SO_LINGER {1, 0})
    std::optional<std::uint32_t> backlog; ///< Listen with `backlog: N`
    InjectSpec inject;
    LocalizedText note; ///< optional lecturer's remark shown as narration
    SourceLocation where;
};

enum class FaultKind : std::uint8_t { Drop, Delay, Duplicate };

/// Matches segments sent by `from` whose flags equal `flags` exactly.
/// `nth` counts matching segments (1-based); `every` matches all of them.
struct Fault {
    FaultKind kind = FaultKind::Drop;
    Side from = Side::Client;
    std::uint8_t flags = 0;
    std::optional<std::uint32_t> nth;
    bool every = false;
    std::int64_t byUs = 0;            ///< Delay: extra latency
    std::int64_t afterUs = 0;         ///< Duplicate: the copy arrives this long after the original
    std::int64_t sentAtOrAfterUs = 0; ///< only segments sent at or after this time count
    SourceLocation where;
};

/// What the lesson expects; the golden tests compare the simulation with it.
struct Expectation {
    std::vector<State> client; ///< every state occupied, in order, initial included
    std::vector<State> server;
    std::vector<std::string> segments; ///< flags of every segment sent, in order ("SYN,ACK")
    /// Arcs the lesson is about: taken in this order (other arcs may come between).
    std::vector<ArcId> arcs;
    [[nodiscard]] bool empty() const {
        return client.empty() && server.empty() && segments.empty() && arcs.empty();
    }
};

/// A scenario as written in a YAML file (see ARCHITECTURE.md "Scenario file").
struct Scenario {
    std::string id; ///< file stem, e.g. "three-way-handshake"
    LocalizedText title;
    LocalizedText description; ///< the lesson, shown before playing
    std::string topic = "handshake";
    Profile profile = Profile::Rfc9293;
    EndpointSpec client;
    EndpointSpec server;
    NetworkSpec network;
    TimerSpec timers;
    std::vector<Step> steps;
    std::vector<Fault> faults;
    Expectation expect;
    std::string sourceFile; ///< path it was read from, for messages
    /// Things the file says that the scenario will not do as written (e.g.
    /// `timers.msl` in a linux scenario: Linux's TIME-WAIT is a fixed 60 s), each
    /// with its position. The scenario still loads; the CLI prints them to stderr
    /// (Error::toString("warning")), the window shows them.
    std::vector<Error> warnings;

    // Many connections (all optional; a scenario with a `load` is simulated by
    // the host simulator, model/sim/host_simulator.h).
    Sysctls sysctls;
    std::vector<LoadSpec> load;
    AppSpec app;
    /// True when the scenario plays one server host and many clients.
    [[nodiscard]] bool manyConnections() const { return !load.empty(); }
};

/// The user call a step makes (none for Inject): `shutdown` with `how: read` is
/// UserCall::ShutdownRead, `close` with `linger: 0` UserCall::CloseLinger0, ...
[[nodiscard]] std::optional<UserCall> userCallOf(const Step& step);

/// The scenario topics, in the order a course meets them.
inline constexpr std::array<std::string_view, 6> kScenarioTopics{"handshake", "transfer", "close",
                                                                 "reset",     "timers",   "attack"};

/// Parses a scenario file; `id` defaults to the file stem.
/// The Error says where: "FILE:LINE:COLUMN: error: MESSAGE". The parser never lets
/// an exception escape.
[[nodiscard]] Result<Scenario> parseScenarioFile(const std::string& path);
/// Parses scenario text; `name` is used in messages and as the default id
/// (its stem: "dir/x.yaml" gives id "x").
[[nodiscard]] Result<Scenario> parseScenarioText(std::string_view text, const std::string& name);

} // namespace tcpviz
