// The keys of a many-connection scenario: what they turn into, and the
// FILE:LINE:COLUMN message each mistake gets.
#include "scenario/scenario.h"
#include "scenario_parse.h"

#include <gtest/gtest.h>

namespace tcpviz {
namespace {

using scenario_test::expectError;
using scenario_test::parseOk;

const std::string kHead = "profile: linux\nsteps:\n  - {at: 0ms, server: listen}\n";

TEST(ManyConnectionsParser, ReadsEveryKey) {
    const Scenario sc = parseOk(
        "profile: linux\n"
        "server: {address: \"192.168.0.1:80\", backlog: 16, reuseaddr: true}\n"
        "sysctls: {tcp_syncookies: 2, tcp_max_syn_backlog: 256, somaxconn: 8, "
        "tcp_abort_on_overflow: 1, tcp_tw_reuse: 1, tcp_tw_reuse_delay: 500, "
        "tcp_timestamps: 0, ip_local_port_range: \"40000 40100\", tcp_fin_timeout: 30, "
        "tcp_synack_retries: 2, tcp_syn_retries: 3, tcp_retries2: 5}\n"
        "app: {accept: {every: 100ms}, close: {after: 2s}}\n"
        "steps:\n  - {at: 0ms, server: listen}\n"
        "load:\n"
        "  - {at: 1s, count: 300, rate: 50/s, from: \"10.1.2.0/24\", behaviour: connect-hold, "
        "bytes: 10}\n"
        "  - {count: 5, from: \"203.0.113.9\", behaviour: syn-only}\n");
    EXPECT_TRUE(sc.manyConnections());
    EXPECT_EQ(sc.server.backlog, std::optional<std::uint32_t>(16));
    EXPECT_TRUE(sc.server.reuseaddr);
    EXPECT_EQ(sc.sysctls.tcpSyncookies, 2);
    EXPECT_EQ(sc.sysctls.tcpMaxSynBacklog, 256U);
    EXPECT_EQ(sc.sysctls.somaxconn, 8U);
    EXPECT_EQ(sc.sysctls.tcpAbortOnOverflow, 1);
    EXPECT_EQ(sc.sysctls.tcpTwReuse, 1);
    EXPECT_EQ(sc.sysctls.tcpTwReuseDelayUs, 500'000);
    EXPECT_FALSE(sc.sysctls.tcpTimestamps);
    EXPECT_EQ(sc.sysctls.portLow, 40000);
    EXPECT_EQ(sc.sysctls.portHigh, 40100);
    EXPECT_EQ(sc.timers.finTimeoutUs, 30'000'000);
    EXPECT_EQ(sc.timers.synackRetries, 2);
    EXPECT_EQ(sc.timers.synRetries, 3);
    EXPECT_EQ(sc.timers.dataRetries, 5);
    EXPECT_EQ(sc.app.accept, AppSpec::Accept::Every);
    EXPECT_EQ(sc.app.acceptEveryUs, 100'000);
    EXPECT_EQ(sc.app.close, AppSpec::Close::After);
    EXPECT_EQ(sc.app.closeAfterUs, 2'000'000);
    ASSERT_EQ(sc.load.size(), 2U);
    EXPECT_EQ(sc.load[0].atUs, 1'000'000);
    EXPECT_EQ(sc.load[0].count, 300U);
    EXPECT_DOUBLE_EQ(sc.load[0].rate, 50.0);
    EXPECT_EQ(sc.load[0].base.toString(), "10.1.2.1"); // the network address is left out
    EXPECT_EQ(sc.load[0].hosts, 254U);
    EXPECT_EQ(sc.load[0].behaviour, LoadBehaviour::ConnectHold);
    EXPECT_EQ(sc.load[0].bytes, 10U);
    EXPECT_EQ(sc.load[1].hosts, 1U);
    EXPECT_EQ(sc.load[1].behaviour, LoadBehaviour::SynOnly);
    EXPECT_DOUBLE_EQ(sc.load[1].rate, 0.0);
}

TEST(ManyConnectionsParser, ScalarFormsAndDefaults) {
    const Scenario sc = parseOk(kHead + "app: {accept: never, close: \"after 1.5s\"}\n"
                                        "sysctls: {ip_local_port_range: [1000, 1003]}\n"
                                        "load:\n  - {behaviour: connect-close}\n");
    EXPECT_EQ(sc.app.accept, AppSpec::Accept::Never);
    EXPECT_EQ(sc.app.closeAfterUs, 1'500'000);
    EXPECT_EQ(sc.sysctls.portLow, 1000);
    EXPECT_EQ(sc.load[0].count, 1U);
    EXPECT_EQ(sc.load[0].bytes, 100U); // connect-close sends something by default
    // Without load nothing changes, and what needs a crowd says so.
    const auto single = parseScenarioText(kHead + "app: {close: never}\n", "one.yaml");
    ASSERT_TRUE(single.has_value());
    EXPECT_FALSE(single->manyConnections());
    ASSERT_EQ(single->warnings.size(), 1U);
    EXPECT_EQ(single->warnings[0].line, 4);
    EXPECT_NE(single->warnings[0].message.find("without `load`"), std::string::npos);
}

TEST(ManyConnectionsParser, MistakesSayWhere) {
    expectError(kHead + "load:\n  - {count: 5, behaviour: syn-flood}\n", 5, 27,
                "unknown behaviour `syn-flood`");
    expectError(kHead + "load:\n  - {count: 5}\n", 5, 5, "needs `behaviour");
    expectError(kHead + "load:\n  - {count: 0, behaviour: syn-only}\n", 5, 13,
                "`count` must be at least 1");
    expectError(kHead + "load:\n  - {rate: fast, behaviour: syn-only}\n", 5, 12, "bad rate");
    expectError(kHead + "load:\n  - {from: \"10.0.0.0/40\", behaviour: syn-only}\n", 5, 12,
                "prefix length");
    expectError(kHead + "load:\n  - {from: \"ten\", behaviour: syn-only}\n", 5, 12,
                "bad address `ten`");
    expectError(kHead + "load:\n  - {bytes: 5, behaviour: syn-only}\n", 5, 5,
                "`bytes` makes no sense for syn-only");
    expectError(kHead + "load: []\n", 4, 7, "at least one entry");
    expectError(kHead + "sysctls: {tcp_syncookie: 1}\n", 4, 11,
                "unknown key `tcp_syncookie` in sysctls (did you mean `tcp_syncookies`?)");
    expectError(kHead + "sysctls: {tcp_syncookies: 3}\n", 4, 27, "too large");
    expectError(kHead + "sysctls: {ip_local_port_range: \"60999 32768\"}\n", 4, 32,
                "ip_local_port_range needs two ports");
    expectError(kHead + "sysctls: {ip_local_port_range: \"1 x\"}\n", 4, 32, "bad number `x`");
    expectError(kHead + "app: {close: sometimes}\n", 4, 14, "unknown close `sometimes`");
    expectError(kHead + "app: {accept: {after: 1s}}\n", 4, 16, "unknown key `after`");
    expectError(kHead + "client: {backlog: 5}\n", 4, 10, "`backlog` belongs to the server");
}

} // namespace
} // namespace tcpviz
