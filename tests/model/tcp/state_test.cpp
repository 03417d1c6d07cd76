#include "tcp/state.h"

#include <gtest/gtest.h>
#include <set>
#include <string>

namespace tcpviz {
namespace {

TEST(State, RfcNamesRoundTrip) {
    std::set<std::string> seen;
    for (State s : kAllStates) {
        const auto name = std::string(stateName(s));
        EXPECT_TRUE(seen.insert(name).second) << "duplicate name " << name;
        EXPECT_EQ(parseState(name), s) << name;
        EXPECT_EQ(parseState(stateName(s, StateNameStyle::Linux)), s);
    }
    EXPECT_EQ(seen.size(), 11U);
    EXPECT_EQ(stateName(State::SynReceived), "SYN-RECEIVED");
    EXPECT_EQ(stateName(State::FinWait1), "FIN-WAIT-1");
    EXPECT_EQ(stateName(State::TimeWait), "TIME-WAIT");
}

// `ss` (iproute2 misc/ss.c sstate_name) prints ESTAB, SYN-RECV and UNCONN; the
// other states it spells as RFC 9293 does. "both" adds the ss name where it differs.
TEST(State, BothStyleAddsTheSsNameWhereItDiffers) {
    for (State s : kAllStates) {
        const std::string rfc(stateName(s));
        const std::string ss(stateName(s, StateNameStyle::Linux));
        const std::string both(stateName(s, StateNameStyle::Both));
        EXPECT_EQ(both, rfc == ss ? rfc : rfc + " (" + ss + ")");
    }
    EXPECT_EQ(stateName(State::Established, StateNameStyle::Both), "ESTABLISHED (ESTAB)");
    EXPECT_EQ(stateName(State::SynReceived, StateNameStyle::Both), "SYN-RECEIVED (SYN-RECV)");
    EXPECT_EQ(stateName(State::TimeWait, StateNameStyle::Both), "TIME-WAIT");
    EXPECT_EQ(parseStateNameStyle("rfc"), StateNameStyle::Rfc9293);
    EXPECT_EQ(parseStateNameStyle("linux"), StateNameStyle::Linux);
    EXPECT_EQ(parseStateNameStyle("both"), StateNameStyle::Both);
    EXPECT_FALSE(parseStateNameStyle("netstat").has_value());
}

TEST(State, AcceptsLinuxAndNetstatSpellings) {
    EXPECT_EQ(parseState("SYN_RECV"), State::SynReceived);
    EXPECT_EQ(parseState("FIN_WAIT1"), State::FinWait1);
    EXPECT_EQ(parseState("FIN_WAIT2"), State::FinWait2);
    EXPECT_EQ(parseState("CLOSE"), State::Closed);
    EXPECT_EQ(parseState("CLOSE_WAIT"), State::CloseWait);
    EXPECT_EQ(parseState("TIME_WAIT"), State::TimeWait);
    EXPECT_EQ(parseState("ESTAB"), State::Established);
    EXPECT_EQ(parseState("established"), State::Established);
    EXPECT_EQ(parseState("last ack"), State::LastAck);
}

TEST(State, RejectsUnknownNames) {
    EXPECT_FALSE(parseState("").has_value());
    EXPECT_FALSE(parseState("HALF-OPEN").has_value());
    EXPECT_FALSE(parseState("FIN-WAIT-3").has_value());
}

TEST(State, Synchronized) {
    EXPECT_FALSE(isSynchronized(State::Closed));
    EXPECT_FALSE(isSynchronized(State::Listen));
    EXPECT_FALSE(isSynchronized(State::SynSent));
    EXPECT_TRUE(isSynchronized(State::SynReceived));
    EXPECT_TRUE(isSynchronized(State::TimeWait));
}

} // namespace
} // namespace tcpviz
