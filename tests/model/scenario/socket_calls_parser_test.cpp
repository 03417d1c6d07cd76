// The socket calls a lecturer writes beyond open/send/close: recv with
// `reads: manual`, shutdown's `how`, close's `linger: 0`, listen's `backlog`,
// accept and close-listener. What they parse to, and the file:line:column of
// every mistake.
#include "scenario/scenario.h"
#include "scenario_parse.h"

#include <gtest/gtest.h>

namespace tcpviz {
namespace {

using scenario_test::expectError;
using scenario_test::parseOk;

constexpr const char* kHead = R"(profile: linux
client: {address: "192.168.0.2:52528"}
server: {address: "192.168.0.1:80", reads: manual}
steps:
  - {at: 0ms, server: listen}
)";

TEST(SocketCallsParser, EachNewStepBecomesItsCall) {
    const Scenario sc = parseOk(std::string(kHead) + R"(  - {at: 0ms, server: accept}
  - {at: 10ms, client: connect}
  - {at: 1s, server: recv, bytes: 100}
  - {at: 2s, server: recv}
  - {at: 3s, server: shutdown, how: read}
  - {at: 3s, server: shutdown, how: both}
  - {at: 3s, client: shutdown, how: write}
  - {at: 3s, client: shutdown}
  - {at: 4s, server: close, linger: 0}
  - {at: 5s, server: close-listener}
)");
    EXPECT_TRUE(sc.server.manualReads);
    EXPECT_FALSE(sc.server.reads);
    EXPECT_TRUE(sc.client.reads);
    EXPECT_FALSE(sc.client.manualReads);
    std::vector<std::string> calls;
    for (const Step& s : sc.steps) {
        calls.emplace_back(userCallName(*userCallOf(s)));
    }
    EXPECT_EQ(calls, (std::vector<std::string>{"listen", "accept", "connect", "recv", "recv",
                                               "shutdown-read", "shutdown-both", "shutdown",
                                               "shutdown", "close-linger-0", "close-listener"}));
    EXPECT_EQ(sc.steps.at(3).bytes, 100U);
    EXPECT_EQ(sc.steps.at(4).bytes, 0U); // all there is
}

TEST(SocketCallsParser, ListenTakesABacklogAndReadsFalseStaysValid) {
    const Scenario sc = parseOk(R"(client: {reads: false}
steps:
  - {at: 0ms, server: listen, backlog: 3}
  - {at: 1ms, client: connect}
)");
    ASSERT_TRUE(sc.steps.at(0).backlog.has_value());
    EXPECT_EQ(*sc.steps.at(0).backlog, 3U);
    EXPECT_FALSE(sc.client.reads);
    EXPECT_FALSE(sc.client.manualReads);
}

TEST(SocketCallsParserErrors, RecvWithoutManualReads) {
    expectError(R"(steps:
  - {at: 0ms, server: listen}
  - {at: 1s, client: recv}
)",
                3, 5, "`recv` needs `reads: manual` on the client");
}

TEST(SocketCallsParserErrors, BadReadsValue) {
    expectError(R"(client: {reads: manul}
steps:
  - {at: 0ms, server: listen}
)",
                1, 17, "bad `reads` `manul` (did you mean `manual`?)");
}

TEST(SocketCallsParserErrors, RecvOfZeroBytes) {
    expectError(std::string(kHead) + "  - {at: 1s, server: recv, bytes: 0}\n", 6, 35,
                "`recv` with `bytes` needs at least one byte");
}

TEST(SocketCallsParserErrors, UnknownShutdownHow) {
    expectError(std::string(kHead) + "  - {at: 1s, server: shutdown, how: red}\n", 6, 37,
                "unknown `how` `red` (did you mean `read`?)");
}

TEST(SocketCallsParserErrors, HowOnAnotherCall) {
    expectError(std::string(kHead) + "  - {at: 1s, server: close, how: read}\n", 6, 29,
                "`how` belongs to a `shutdown` step");
}

TEST(SocketCallsParserErrors, LingerOtherThanZero) {
    expectError(std::string(kHead) + "  - {at: 1s, server: close, linger: 5}\n", 6, 37,
                "`linger` takes only 0");
}

TEST(SocketCallsParserErrors, LingerOnAnotherCall) {
    expectError(std::string(kHead) + "  - {at: 1s, server: shutdown, linger: 0}\n", 6, 32,
                "`linger` belongs to a `close` step");
}

TEST(SocketCallsParserErrors, BacklogOnAnotherCall) {
    expectError(std::string(kHead) + "  - {at: 1s, client: connect, backlog: 4}\n", 6, 31,
                "`backlog` belongs to a `listen` step");
}

TEST(SocketCallsParserErrors, AcceptWithoutListen) {
    expectError(R"(steps:
  - {at: 0ms, server: listen}
  - {at: 1s, client: accept}
)",
                3, 5, "`accept` needs a listening socket: the client has no `listen` step");
}

TEST(SocketCallsParserErrors, CloseListenerWithoutListen) {
    expectError(R"(steps:
  - {at: 0ms, client: connect}
  - {at: 1s, server: close-listener}
)",
                3, 5, "`close-listener` needs a listening socket");
}

TEST(SocketCallsParserErrors, UnknownActionListsTheNewCalls) {
    expectError(std::string(kHead) + "  - {at: 1s, server: acept}\n", 6, 22,
                "unknown action `acept` (did you mean `accept`?); expected one of listen, "
                "connect, send, recv, close, shutdown, abort, accept, close-listener");
}

TEST(SocketCallsParserErrors, NewCallsAreNotForManyConnections) {
    expectError(R"(profile: linux
server: {reads: manual}
steps:
  - {at: 0ms, server: listen}
  - {at: 1s, server: recv}
load:
  - {count: 2, behaviour: connect-close}
)",
                5, 5, "`recv` is not available in a multi-connection scenario");
}

TEST(SocketCallsParser, ListensBacklogIsTheServersInAManyConnectionScenario) {
    const Scenario sc = parseOk(R"(profile: linux
steps:
  - {at: 0ms, server: listen, backlog: 8}
load:
  - {count: 2, behaviour: connect-close}
)");
    ASSERT_TRUE(sc.server.backlog.has_value());
    EXPECT_EQ(*sc.server.backlog, 8U);
}

TEST(SocketCallsParserErrors, TwoDifferentBacklogs) {
    expectError(R"(profile: linux
server: {backlog: 4}
steps:
  - {at: 0ms, server: listen, backlog: 8}
load:
  - {count: 2, behaviour: connect-close}
)",
                4, 5, "`backlog: 8` differs from `server.backlog: 4`");
}

} // namespace
} // namespace tcpviz
