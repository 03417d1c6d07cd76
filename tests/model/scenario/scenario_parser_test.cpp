// The scenario parser: what a lecturer's file turns into, and the message a
// mistake gets. Every error path has a test that checks the line and column.
#include "scenario/scenario.h"
#include "scenario_parse.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>

namespace tcpviz {
namespace {

using scenario_test::expectError;
using scenario_test::parseOk;

constexpr const char* kMinimal = R"(client: {address: "192.168.0.2:52528"}
server: {address: "192.168.0.1:80"}
steps:
  - {at: 0ms, server: listen}
)";

TEST(ScenarioParser, ReadsTheContractExample) {
    const auto sc = parseOk(R"(title: {en: "Three-way handshake", zh: "三次握手"}
topic: close
profile: linux
client: {address: "192.168.0.2:52528", isn: 100}
server: {address: "192.168.0.1:80", isn: 300}
network: {latency: 50ms}
timers: {msl: 30s, rto: 1s, syn_retries: 6, synack_retries: 5, fin_timeout: 60s, delayed_ack: 40ms}
steps:
  - {at: 0ms, server: listen}
  - {at: 0ms, client: connect}
  - {when: client ESTABLISHED, after: 10ms, client: send, bytes: 100}
  - {at: 1s, client: close}
  - {when: server CLOSE-WAIT, after: 100ms, server: close}
  - {at: 3s, inject: {to: server, flags: "RST", seq: 5000}}
faults:
  - drop: {from: client, flags: "ACK", nth: 2}
  - drop: {from: server, flags: "SYN,ACK", every: true}
  - delay: {from: server, flags: "FIN,ACK", nth: 1, by: 300ms}
  - duplicate: {from: client, flags: "SYN", nth: 1, after: 2s}
)");
    EXPECT_EQ(sc.id, "my-lesson");
    EXPECT_EQ(sc.title.en, "Three-way handshake");
    EXPECT_EQ(sc.title.zh, "三次握手");
    EXPECT_EQ(sc.topic, "close");
    EXPECT_EQ(sc.profile, Profile::Linux);
    ASSERT_TRUE(sc.client.address.has_value());
    EXPECT_EQ(sc.client.address->toString(), "192.168.0.2:52528");
    EXPECT_EQ(sc.client.isn, 100U);
    EXPECT_EQ(sc.server.isn, 300U);
    EXPECT_FALSE(sc.server.scripted);
    EXPECT_EQ(sc.network.clientToServerUs, 50'000);
    EXPECT_EQ(sc.network.serverToClientUs, 50'000);
    EXPECT_EQ(sc.timers.mslUs, 30'000'000);
    EXPECT_EQ(sc.timers.finTimeoutUs, 60'000'000);
    EXPECT_EQ(sc.timers.delayedAckUs, 40'000);
    ASSERT_EQ(sc.steps.size(), 6U);
    EXPECT_EQ(sc.steps[0].action, Action::Listen);
    EXPECT_EQ(sc.steps[0].endpoint, Side::Server);
    EXPECT_EQ(sc.steps[0].trigger.atUs, 0);
    EXPECT_EQ(sc.steps[0].where.line, 9);
    EXPECT_EQ(sc.steps[2].action, Action::Send);
    EXPECT_EQ(sc.steps[2].bytes, 100U);
    EXPECT_EQ(sc.steps[2].trigger.whenSide, Side::Client);
    EXPECT_EQ(sc.steps[2].trigger.whenState, State::Established);
    EXPECT_EQ(sc.steps[2].trigger.afterUs, 10'000);
    EXPECT_FALSE(sc.steps[2].trigger.atUs.has_value());
    EXPECT_EQ(sc.steps[3].trigger.atUs, 1'000'000);
    EXPECT_EQ(sc.steps[5].action, Action::Inject);
    EXPECT_EQ(sc.steps[5].inject.to, Side::Server);
    EXPECT_EQ(sc.steps[5].inject.flags, flag::RST);
    EXPECT_EQ(sc.steps[5].inject.seq, 5000U);
    EXPECT_EQ(sc.steps[5].inject.ack, 0U);
    ASSERT_EQ(sc.faults.size(), 4U);
    EXPECT_EQ(sc.faults[0].kind, FaultKind::Drop);
    EXPECT_EQ(sc.faults[0].flags, flag::ACK);
    EXPECT_EQ(sc.faults[0].nth, 2U);
    EXPECT_TRUE(sc.faults[1].every);
    EXPECT_EQ(sc.faults[1].flags, flag::SYN | flag::ACK);
    EXPECT_EQ(sc.faults[2].kind, FaultKind::Delay);
    EXPECT_EQ(sc.faults[2].byUs, 300'000);
    EXPECT_EQ(sc.faults[3].kind, FaultKind::Duplicate);
    EXPECT_EQ(sc.faults[3].afterUs, 2'000'000);
}

TEST(ScenarioParser, DefaultsAndProfileTimers) {
    const auto rfc = parseOk(kMinimal, "lessons/handshake-demo.yaml");
    EXPECT_EQ(rfc.id, "handshake-demo");
    EXPECT_EQ(rfc.title.en, "handshake-demo"); // untitled: the id stands in
    EXPECT_EQ(rfc.profile, Profile::Rfc9293);
    EXPECT_EQ(rfc.timers.mslUs, 120'000'000); // RFC 9293: MSL = 2 minutes
    EXPECT_EQ(rfc.timers.rtoUs, 1'000'000);
    EXPECT_FALSE(rfc.client.isn.has_value());
    const auto noAddress = parseOk("client: {}\nserver: {isn: 7}\nsteps: []\n");
    EXPECT_FALSE(noAddress.client.address.has_value()); // the simulator's default address
    EXPECT_EQ(noAddress.server.isn, 7U);

    const auto linux = parseOk(std::string("profile: linux\n") + kMinimal);
    EXPECT_EQ(linux.profile, Profile::Linux);
    EXPECT_EQ(2 * linux.timers.mslUs, 60'000'000); // TCP_TIMEWAIT_LEN
    EXPECT_EQ(linux.timers.synRetries, 6);
    EXPECT_EQ(linux.timers.synackRetries, 5);

    // An explicit setting overrides the profile default wherever it is written.
    const auto custom =
        parseOk(std::string("timers: {msl: 1min}\n") + kMinimal + "profile: linux\n");
    EXPECT_EQ(custom.timers.mslUs, 60'000'000);
}

// Linux's TIME-WAIT is the fixed TCP_TIMEWAIT_LEN: an msl in a linux scenario
// would be ignored silently, so the parser warns with its line and column and
// still loads the scenario. rfc9293 uses the MSL and gets no warning.
TEST(ScenarioParser, MslInALinuxScenarioIsAWarning) {
    const std::string linux =
        std::string("profile: linux\n") + kMinimal + "timers: {rto: 2s, msl: 10s}\n";
    const auto result = parseScenarioText(linux, "dir/my-lesson.yaml");
    ASSERT_TRUE(result.has_value()) << result.error().toString();
    ASSERT_EQ(result->warnings.size(), 1U);
    EXPECT_EQ(result->warnings[0].line, 6);
    EXPECT_EQ(result->warnings[0].column, 19);
    const std::string text = result->warnings[0].toString("warning");
    EXPECT_EQ(text.rfind("dir/my-lesson.yaml:6:19: warning: `msl` has no effect", 0), 0U) << text;
    EXPECT_NE(text.find("TCP_TIMEWAIT_LEN"), std::string::npos) << text;

    const std::string rfc = std::string(kMinimal) + "timers: {msl: 10s}\n";
    const auto r = parseScenarioText(rfc, "rfc.yaml");
    ASSERT_TRUE(r.has_value());
    EXPECT_TRUE(r->warnings.empty());
    EXPECT_EQ(r->timers.mslUs, 10'000'000);

    // A later error wins: the result is that error (a Result holds a scenario with
    // its warnings, or an error, never both).
    const auto bad = parseScenarioText(linux + "nonsense: 1\n", "bad.yaml");
    ASSERT_FALSE(bad.has_value());
    EXPECT_NE(bad.error().message.find("nonsense"), std::string::npos) << bad.error().toString();
}

TEST(ScenarioParser, FoldedChineseTextHasNoStraySpaces) {
    const auto sc = parseOk(std::string(kMinimal) + R"(description:
  en: >-
    Two lines
    of English.
  zh: >-
    第一行，
    第二行包含 FIN-WAIT-1 和
    ACK。
)");
    EXPECT_EQ(sc.description.en, "Two lines of English.");
    EXPECT_EQ(sc.description.zh, "第一行，第二行包含 FIN-WAIT-1 和 ACK。");
}

TEST(ScenarioParser, DurationsAcceptEveryUnit) {
    const auto sc = parseOk(std::string(kMinimal) + R"(  - {at: 250us, client: connect}
  - {at: 1.5s, client: close}
  - {at: 2min, client: abort}
  - {at: 20 ms, client: shutdown}
)");
    ASSERT_EQ(sc.steps.size(), 5U);
    EXPECT_EQ(sc.steps[1].trigger.atUs, 250);
    EXPECT_EQ(sc.steps[2].trigger.atUs, 1'500'000);
    EXPECT_EQ(sc.steps[3].trigger.atUs, 120'000'000);
    EXPECT_EQ(sc.steps[4].trigger.atUs, 20'000);
}

TEST(ScenarioParser, LinuxStateSpellingsInWhen) {
    const auto sc = parseOk(std::string(kMinimal) + R"(  - {when: server SYN_RECV, client: close}
  - {when: client fin_wait1, client: close}
  - {when: client TIME_WAIT, client: close}
)");
    EXPECT_EQ(sc.steps[1].trigger.whenState, State::SynReceived);
    EXPECT_EQ(sc.steps[2].trigger.whenState, State::FinWait1);
    EXPECT_EQ(sc.steps[3].trigger.whenState, State::TimeWait);
}

TEST(ScenarioParser, LocalizedTextsNotesAndExpectations) {
    const auto sc = parseOk(std::string(kMinimal) + R"(  - at: 10ms
    client: connect
    note: {en: "SYN consumes one sequence number", zh: "SYN 占用一个序列号"}
  - {at: 20ms, client: close, note: "plain note"}
title: "Plain title"
description: {en: "Why it matters", zh: "为什么重要"}
id: custom-id
expect:
  client: [CLOSED, SYN_SENT, ESTAB]
  server: [closed, listen]
  segments: ["SYN", "ack,syn", "PSH,ACK"]
  arcs: [active-open, rcv-syn-ack]
)");
    EXPECT_EQ(sc.expect.arcs, (std::vector<ArcId>{ArcId::ActiveOpen, ArcId::RcvSynAck}));
    EXPECT_EQ(sc.id, "custom-id");
    EXPECT_EQ(sc.title.en, "Plain title");
    EXPECT_EQ(sc.title.in(Language::Zh), "Plain title"); // falls back to English
    EXPECT_EQ(sc.description.zh, "为什么重要");
    EXPECT_EQ(sc.steps[1].note.zh, "SYN 占用一个序列号");
    EXPECT_EQ(sc.steps[2].note.en, "plain note");
    EXPECT_EQ(sc.expect.client,
              (std::vector<State>{State::Closed, State::SynSent, State::Established}));
    EXPECT_EQ(sc.expect.server, (std::vector<State>{State::Closed, State::Listen}));
    EXPECT_EQ(sc.expect.segments, (std::vector<std::string>{"SYN", "SYN,ACK", "PSH,ACK"}));
}

TEST(ScenarioParser, ScriptedRoleIPv6AndDirectionalLatency) {
    const auto sc = parseOk(R"(client: {address: "[2001:db8::2]:52528", role: scripted}
server: {address: "[2001:db8::1]:443", role: tcp, isn: 0xFFFFFF00}
network: {client_to_server: 30ms, server_to_client: 80ms}
steps:
  - {at: 0ms, server: listen}
  - {at: 1ms, inject: {to: server, flags: "SYN", seq: 7, len: 10, window: 1024}}
)");
    EXPECT_TRUE(sc.client.scripted);
    EXPECT_FALSE(sc.server.scripted);
    EXPECT_EQ(sc.server.isn, 0xFFFFFF00U);
    EXPECT_EQ(sc.network.clientToServerUs, 30'000);
    EXPECT_EQ(sc.network.serverToClientUs, 80'000);
    EXPECT_EQ(sc.steps[1].inject.len, 10U);
    EXPECT_EQ(sc.steps[1].inject.window, 1024U);
    EXPECT_EQ(sc.steps[1].endpoint, Side::Client); // the injected segment comes from the peer
}

TEST(ScenarioParser, ParsesAFileAndNamesItInErrors) {
    const auto dir = std::filesystem::temp_directory_path() / "tcpviz_scenario_parser_test";
    std::filesystem::create_directories(dir);
    const auto good = dir / "from-disk.yaml";
    std::ofstream(good) << kMinimal;
    const auto ok = parseScenarioFile(good.string());
    ASSERT_TRUE(ok.has_value()) << ok.error().toString();
    EXPECT_EQ(ok->id, "from-disk");
    EXPECT_EQ(ok->sourceFile, good.string());

    const auto bad = dir / "broken.yaml";
    std::ofstream(bad) << "client: {address: \"1.2.3.4:5\"}\nserver: {adress: \"1.2.3.4:6\"}\n";
    const auto err = parseScenarioFile(bad.string());
    ASSERT_FALSE(err.has_value());
    EXPECT_EQ(err.error().toString().rfind(bad.string() + ":2:10: error: unknown key `adress`", 0),
              0U)
        << err.error().toString();

    const auto missing = parseScenarioFile((dir / "nope.yaml").string());
    ASSERT_FALSE(missing.has_value());
    EXPECT_NE(missing.error().toString().find("nope.yaml: cannot open"), std::string::npos);
    std::filesystem::remove_all(dir);
}

// ---- error paths -------------------------------------------------------------

TEST(ScenarioParserErrors, UnknownAction) {
    expectError(std::string(kMinimal) + "  - {at: 1s, client: conect}\n", 5, 22,
                "unknown action `conect` (did you mean `connect`?)");
}

TEST(ScenarioParserErrors, BadDurationMissingUnit) {
    expectError(std::string(kMinimal) + "  - {at: 100, client: connect}\n", 5, 10, "missing unit");
}

TEST(ScenarioParserErrors, BadDurationUnknownUnit) {
    expectError(std::string(kMinimal) + "  - {at: 3 hours, client: connect}\n", 5, 10,
                "unknown unit `hours`");
}

TEST(ScenarioParserErrors, BadDurationNotANumber) {
    expectError("network: {latency: fast}\n" + std::string(kMinimal), 1, 20, "bad duration `fast`");
}

TEST(ScenarioParserErrors, UnknownStateInWhen) {
    expectError(std::string(kMinimal) + "  - {when: client ESTABLISH, client: close}\n", 5, 12,
                "unknown state `ESTABLISH` in `when` (did you mean `ESTABLISHED`?)");
}

TEST(ScenarioParserErrors, UnknownEndpointInWhen) {
    expectError(std::string(kMinimal) + "  - {when: clinet ESTABLISHED, client: close}\n", 5, 12,
                "unknown endpoint `clinet`");
}

TEST(ScenarioParserErrors, MalformedWhen) {
    expectError(std::string(kMinimal) + "  - {when: ESTABLISHED, client: close}\n", 5, 12,
                "write an endpoint and a state");
}

TEST(ScenarioParserErrors, StepWithoutEndpoint) {
    expectError(std::string(kMinimal) + "  - {at: 1s, bytes: 10}\n", 5, 5, "missing endpoint");
}

TEST(ScenarioParser, EndpointsAreOptionalAndAppsMayNotRead) {
    // Without `client:`/`server:` the simulator gives both sides its default addresses.
    const auto bare = parseOk("steps: [{at: 0ms, client: connect}]\n");
    EXPECT_FALSE(bare.client.address.has_value());
    EXPECT_TRUE(bare.client.reads);
    const auto lazy = parseOk("server: {reads: false}\nsteps: [{at: 0ms, client: connect}]\n");
    EXPECT_FALSE(lazy.server.reads);
}

TEST(ScenarioParserErrors, EndpointIsNotAMapping) {
    expectError("client: 1.2.3.4\nserver: {address: \"1.2.3.4:80\"}\nsteps: []\n", 1, 9,
                "client must be a mapping");
}

TEST(ScenarioParserErrors, InjectWithoutTarget) {
    expectError(std::string(kMinimal) + "  - {at: 1s, inject: {flags: RST}}\n", 5, 22,
                "missing endpoint: `inject` needs `to:");
}

TEST(ScenarioParserErrors, FaultWithoutSender) {
    expectError(std::string(kMinimal) + "faults:\n  - drop: {flags: SYN}\n", 6, 11,
                "missing endpoint: drop needs `from:");
}

TEST(ScenarioParserErrors, UnknownTopLevelKey) {
    expectError(std::string(kMinimal) + "setps: []\n", 5, 1,
                "unknown key `setps` in the scenario (did you mean `steps`?)");
}

TEST(ScenarioParserErrors, UnknownKeyInStep) {
    expectError(std::string(kMinimal) + "  - {at: 1s, client: close, aftr: 1s}\n", 5, 29,
                "unknown key `aftr` in a step (did you mean `after`?)");
}

TEST(ScenarioParserErrors, UnknownKeyInTimers) {
    expectError("timers: {msl: 1s, synretries: 3}\n" + std::string(kMinimal), 1, 19,
                "unknown key `synretries` in timers (did you mean `syn_retries`?)");
}

TEST(ScenarioParserErrors, DuplicateKey) {
    expectError(std::string(kMinimal) + "  - {at: 1s, at: 2s, client: close}\n", 5, 14,
                "duplicate key `at`");
}

TEST(ScenarioParserErrors, BadFlagsInInject) {
    expectError(std::string(kMinimal) + "  - {at: 1s, inject: {to: client, flags: \"SYN,AKC\"}}\n",
                5, 42, "bad flags `SYN,AKC`");
}

TEST(ScenarioParserErrors, BadFlagsInFault) {
    expectError(std::string(kMinimal) + "faults:\n  - drop: {from: client, flags: \"\"}\n", 6, 33,
                "bad flags");
}

TEST(ScenarioParserErrors, BadFlagsInExpect) {
    expectError(std::string(kMinimal) + "expect: {segments: [SYN, XYZ]}\n", 5, 26,
                "bad flags `XYZ`");
}

TEST(ScenarioParserErrors, BadAddressHost) {
    expectError("client: {address: \"192.168.0.300:5\"}\nserver: {address: \"1.2.3.4:80\"}\n"
                "steps: []\n",
                1, 19, "is not an IPv4 address");
}

TEST(ScenarioParserErrors, BadAddressPort) {
    expectError("client: {address: \"1.2.3.4:70000\"}\nserver: {address: \"1.2.3.4:80\"}\n"
                "steps: []\n",
                1, 19, "port `70000`");
}

TEST(ScenarioParserErrors, PortZeroIsNoPortToConnectTo) {
    expectError("client: {address: \"[::1]:0\"}\nsteps: []\n", 1, 19,
                "port `0` is not a number from 1 to 65535");
}

TEST(ScenarioParserErrors, BadAddressNoPort) {
    expectError("client: {address: \"1.2.3.4\"}\nserver: {address: \"1.2.3.4:80\"}\nsteps: []\n", 1,
                19, "missing port");
}

TEST(ScenarioParserErrors, BadIPv6Address) {
    expectError("client: {address: \"[2001:db8::zz]:5\"}\nserver: {address: \"1.2.3.4:80\"}\n"
                "steps: []\n",
                1, 19, "is not an IPv6 address");
}

TEST(ScenarioParserErrors, YamlSyntaxError) {
    expectError("client: {address: \"1.2.3.4:5\"\nserver: x\n", 2, 1, "YAML syntax");
}

TEST(ScenarioParserErrors, YamlSyntaxBadIndentation) {
    const auto result = parseScenarioText("steps:\n  - at: 1s\n   client: connect\n", "bad.yaml");
    ASSERT_FALSE(result.has_value());
    EXPECT_EQ(result.error().line, 3) << result.error().toString();
    EXPECT_NE(result.error().message.find("YAML syntax"), std::string::npos);
}

TEST(ScenarioParserErrors, EmptyDocument) {
    expectError("", 1, 1, "the scenario is empty");
}

TEST(ScenarioParserErrors, RootIsNotAMapping) {
    expectError("- a\n- b\n", 1, 1, "must be a mapping");
}

TEST(ScenarioParserErrors, UnknownProfile) {
    expectError("profile: linx\n" + std::string(kMinimal), 1, 10,
                "unknown profile `linx` (did you mean `linux`?)");
}

TEST(ScenarioParserErrors, UnknownTopic) {
    expectError("topic: closing\n" + std::string(kMinimal), 1, 8, "unknown topic `closing`");
}

TEST(ScenarioParserErrors, UnknownRole) {
    expectError("client: {address: \"1.2.3.4:5\", role: robot}\nserver: {address: \"1.2.3.4:80\"}\n"
                "steps: []\n",
                1, 38, "unknown role `robot`");
}

TEST(ScenarioParserErrors, StepWithTwoActors) {
    expectError(std::string(kMinimal) + "  - {at: 1s, client: close, server: close}\n", 5, 29,
                "a step has one actor");
}

TEST(ScenarioParserErrors, StepWithoutTrigger) {
    expectError(std::string(kMinimal) + "  - {client: close}\n", 5, 5, "needs `at: TIME`");
}

TEST(ScenarioParserErrors, StepWithBothTriggers) {
    expectError(std::string(kMinimal) + "  - {at: 1s, when: client LISTEN, client: close}\n", 5, 5,
                "not both");
}

TEST(ScenarioParserErrors, SendWithoutBytes) {
    expectError(std::string(kMinimal) + "  - {at: 1s, client: send}\n", 5, 5, "needs `bytes");
}

TEST(ScenarioParserErrors, BytesOnANonSendStep) {
    expectError(std::string(kMinimal) + "  - {at: 1s, client: close, bytes: 5}\n", 5, 36,
                "belongs to a `send` step");
}

TEST(ScenarioParserErrors, BadNumber) {
    expectError(std::string(kMinimal) + "  - {at: 1s, client: send, bytes: many}\n", 5, 35,
                "bad number `many`");
}

TEST(ScenarioParserErrors, IsnTooLarge) {
    expectError("client: {address: \"1.2.3.4:5\", isn: 4294967296}\n"
                "server: {address: \"1.2.3.4:80\"}\nsteps: []\n",
                1, 37, "too large");
}

TEST(ScenarioParser, IsnListGivesEachIncarnationItsIsn) {
    const auto sc = parseOk("client: {isn: [100, 600, 40]}\nserver: {isn: [300]}\nsteps: []\n");
    EXPECT_EQ(sc.client.isn, 100U);
    EXPECT_EQ(sc.client.laterIsns, (std::vector<std::uint32_t>{600, 40}));
    EXPECT_EQ(sc.server.isn, 300U);
    EXPECT_TRUE(sc.server.laterIsns.empty());
}

TEST(ScenarioParserErrors, EmptyIsnList) {
    expectError("client: {isn: []}\nserver: {}\nsteps: []\n", 1, 15, "at least one number");
}

TEST(ScenarioParserErrors, UnknownFaultKind) {
    expectError(std::string(kMinimal) + "faults:\n  - lose: {from: client, flags: SYN}\n", 6, 5,
                "unknown fault `lose`");
}

TEST(ScenarioParserErrors, DelayWithoutAmount) {
    expectError(std::string(kMinimal) + "faults:\n  - delay: {from: client, flags: SYN}\n", 6, 12,
                "delay needs `by:");
}

TEST(ScenarioParserErrors, NthZero) {
    expectError(std::string(kMinimal) + "faults:\n  - drop: {from: client, flags: SYN, nth: 0}\n",
                6, 43, "counts from 1");
}

TEST(ScenarioParserErrors, NthAndEvery) {
    expectError(std::string(kMinimal) +
                    "faults:\n  - drop: {from: client, flags: SYN, nth: 1, every: true}\n",
                6, 11, "not both");
}

TEST(ScenarioParserErrors, BadBoolean) {
    expectError(std::string(kMinimal) +
                    "faults:\n  - drop: {from: client, flags: SYN, every: maybe}\n",
                6, 45, "expected true or false");
}

TEST(ScenarioParserErrors, UnknownStateInExpect) {
    expectError(std::string(kMinimal) + "expect: {client: [CLOSED, OPEN]}\n", 5, 27,
                "unknown state `OPEN`");
}

TEST(ScenarioParserErrors, UnknownArcInExpect) {
    expectError(std::string(kMinimal) + "expect: {arcs: [rcv-syn, fin-wait1-fin-ack]}\n", 5, 26,
                "unknown arc `fin-wait1-fin-ack` (did you mean `fin-wait-1-fin-ack`?)");
}

TEST(ScenarioParserErrors, StepsNotAList) {
    expectError("client: {address: \"1.2.3.4:5\"}\nserver: {address: \"1.2.3.4:80\"}\nsteps: go\n",
                3, 8, "steps must be a list");
}

TEST(ScenarioParserErrors, MissingSteps) {
    expectError("client: {address: \"1.2.3.4:5\"}\nserver: {address: \"1.2.3.4:80\"}\n", 1, 1,
                "missing `steps`");
}

TEST(ScenarioParserErrors, ScriptedEndpointCannotCallTcp) {
    expectError("client: {address: \"1.2.3.4:5\", role: scripted}\n"
                "server: {address: \"1.2.3.4:80\"}\nsteps:\n  - {at: 0ms, client: connect}\n",
                4, 5, "scripted");
}

TEST(ScenarioParserErrors, LatencyGivenTwice) {
    expectError("network: {latency: 1ms, client_to_server: 2ms}\n" + std::string(kMinimal), 1, 10,
                "not both");
}

TEST(ScenarioParserErrors, LocalizedTextWithoutEnglish) {
    expectError("title: {zh: \"三次握手\"}\n" + std::string(kMinimal), 1, 8,
                "needs an English text");
}

TEST(ScenarioParserErrors, ListWhereAValueBelongs) {
    expectError(std::string(kMinimal) + "  - {at: [1s, 2s], client: connect}\n", 5, 10,
                "at must be a single value, not a list");
}

TEST(ScenarioParserErrors, DurationTooLong) {
    expectError(std::string(kMinimal) + "  - {at: 99999999999min, client: connect}\n", 5, 10,
                "is too long");
}

TEST(ScenarioParserErrors, DurationWithMoreDigitsThanADoubleHoldsIsPositioned) {
    // 400 digits: std::stod threw out_of_range here once, and the message had no position.
    expectError(std::string(kMinimal) + "  - {at: " + std::string(400, '9') +
                    "ms, client: connect}\n",
                5, 10, "has too many digits to represent");
    expectError(std::string(kMinimal) + "  - {at: 1.5.5s, client: connect}\n", 5, 10,
                "bad duration `1.5.5s` for at");
}

TEST(ScenarioParserErrors, UnknownEndpointInInjectAndFault) {
    expectError(std::string(kMinimal) + "  - {at: 1s, inject: {to: router, flags: RST}}\n", 5, 27,
                "unknown endpoint `router` for inject.to");
    expectError(std::string(kMinimal) + "faults:\n  - drop: {from: sever, flags: SYN}\n", 6, 18,
                "unknown endpoint `sever` for drop.from (did you mean `server`?)");
}

TEST(ScenarioParserErrors, BadIPv6Brackets) {
    expectError("client: {address: \"[::1]80\"}\nsteps: []\n", 1, 19, "bad address `[::1]80`");
}

TEST(ScenarioParserErrors, ZeroRto) {
    expectError("timers: {rto: 0ms}\n" + std::string(kMinimal), 1, 15, "rto must be longer than 0");
}

TEST(ScenarioParserErrors, InjectWithoutFlags) {
    expectError(std::string(kMinimal) + "  - {at: 1s, inject: {to: client, seq: 5}}\n", 5, 22,
                "`inject` needs `flags`");
}

TEST(ScenarioParserErrors, SendOfZeroBytes) {
    expectError(std::string(kMinimal) + "  - {at: 1s, client: send, bytes: 0}\n", 5, 35,
                "at least one byte");
}

TEST(ScenarioParserErrors, FaultWithTwoKinds) {
    expectError(std::string(kMinimal) +
                    "faults:\n  - {drop: {from: client, flags: SYN}, delay: {from: client}}\n",
                6, 5, "a fault is one of");
}

TEST(ScenarioParserErrors, FaultWithoutFlags) {
    expectError(std::string(kMinimal) + "faults:\n  - duplicate: {from: client}\n", 6, 16,
                "duplicate needs `flags`");
}

TEST(ScenarioParserErrors, EmptyId) {
    expectError("id: \"\"\n" + std::string(kMinimal), 1, 5, "`id` must not be empty");
}

TEST(ScenarioParserErrors, MessageFormatWithoutPosition) {
    Error e;
    e.file = "x.yaml";
    e.message = "boom";
    EXPECT_EQ(e.toString(), "x.yaml: boom"); // as for a capture file that cannot be read
    e.line = 3;
    e.column = 7;
    EXPECT_EQ(e.toString(), "x.yaml:3:7: error: boom");
    EXPECT_EQ(e.toString("warning"), "x.yaml:3:7: warning: boom");
}

} // namespace
} // namespace tcpviz
