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
