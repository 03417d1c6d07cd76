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
};

struct NetworkSpec {
    std::int64_t clientToServerUs = 50'000;
    std::int64_t serverToClientUs = 50'000;
};

enum class Action : std::uint8_t { Listen, Connect, Send, Close, Shutdown, Abort, Inject };

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
    std::uint32_t bytes = 0; ///< for Send
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
};

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
