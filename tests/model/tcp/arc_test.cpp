#include "tcp/arc.h"

#include <gtest/gtest.h>
#include <set>
#include <string>

namespace tcpviz {
namespace {

TEST(ArcCatalog, IdsAreUniqueAndFindable) {
    std::set<std::string> keys;
    for (const Arc& a : arcCatalog()) {
        EXPECT_TRUE(keys.insert(std::string(a.key)).second) << a.key;
        EXPECT_EQ(findArc(a.key), a.id);
        EXPECT_EQ(&arc(a.id), &a);
        EXPECT_NE(a.from, a.to) << a.key;
    }
    EXPECT_FALSE(findArc("no-such-arc").has_value());
}

TEST(ArcCatalog, FigureFiveIsComplete) {
    // RFC 9293 Figure 5 draws 20 labelled arcs.
    int inFigure = 0;
    for (const Arc& a : arcCatalog()) {
        inFigure += a.inFigure ? 1 : 0;
    }
    EXPECT_EQ(inFigure, 20);
    EXPECT_EQ(arc(ArcId::RcvSyn).label(), "rcv SYN / snd SYN,ACK");
    EXPECT_EQ(arc(ArcId::TimeWaitTimeout).label(), "Timeout=2MSL / delete TCB");
}

TEST(ArcCatalog, EveryStateIsReachableAndLeavable) {
    for (State s : kAllStates) {
        bool in = false;
        bool out = false;
        for (const Arc& a : arcCatalog()) {
            in = in || a.to == s;
            out = out || a.from == s;
        }
        EXPECT_TRUE(in) << stateName(s);
        EXPECT_TRUE(out) << stateName(s);
    }
}

TEST(ArcCatalog, RstAbortAndGiveUpFromSynchronizedStates) {
    for (State s : kAllStates) {
        if (isSynchronized(s)) {
            ASSERT_TRUE(rstArc(s).has_value()) << stateName(s);
            EXPECT_EQ(arc(*rstArc(s)).from, s);
            ASSERT_TRUE(abortArc(s).has_value()) << stateName(s);
            EXPECT_EQ(arc(*abortArc(s)).to, State::Closed);
        }
    }
    EXPECT_EQ(rstArc(State::SynReceived, true), ArcId::SynReceivedRst);
    EXPECT_EQ(arc(*rstArc(State::SynReceived, true)).to, State::Listen);
    EXPECT_EQ(rstArc(State::SynReceived, false), ArcId::SynReceivedRstActive);
    EXPECT_FALSE(rstArc(State::Listen).has_value());
    EXPECT_EQ(giveUpArc(State::SynSent), ArcId::GiveUpSynSent);
    EXPECT_FALSE(giveUpArc(State::TimeWait).has_value());
    EXPECT_EQ(userTimeoutArc(State::Established), ArcId::UserTimeoutEstablished);
}

} // namespace
} // namespace tcpviz
