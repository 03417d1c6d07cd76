#include "tcp/segment.h"
#include "tcp/seq.h"

#include <gtest/gtest.h>

namespace tcpviz {
namespace {

TEST(Flags, WrittenInRfcFigureOrder) {
    EXPECT_EQ(flagsToString(flag::SYN | flag::ACK), "SYN,ACK");
    EXPECT_EQ(flagsToString(flag::ACK | flag::FIN), "FIN,ACK");
    EXPECT_EQ(flagsToString(flag::ACK | flag::PSH), "PSH,ACK");
    EXPECT_EQ(flagsToString(flag::RST), "RST");
    EXPECT_EQ(flagsToString(0), "NONE");
}

TEST(Flags, ParseAnyOrderAndCase) {
    EXPECT_EQ(parseFlags("SYN,ACK"), flag::SYN | flag::ACK);
    EXPECT_EQ(parseFlags("ack, syn"), flag::SYN | flag::ACK);
    EXPECT_EQ(parseFlags("FIN,PSH,ACK"), flag::FIN | flag::PSH | flag::ACK);
    EXPECT_FALSE(parseFlags("SYN,BOGUS").has_value());
    EXPECT_FALSE(parseFlags("").has_value());
    EXPECT_FALSE(parseFlags("SYN,,ACK").has_value());
    for (int f = 1; f < 256; ++f) {
        EXPECT_EQ(parseFlags(flagsToString(static_cast<std::uint8_t>(f))), f);
    }
}

TEST(Segment, SequenceSpaceCountsSynAndFin) {
    Segment s;
    s.flags = flag::SYN;
    EXPECT_EQ(s.seqLen(), 1U);
    s.flags = flag::FIN | flag::ACK;
    s.len = 10;
    EXPECT_EQ(s.seqLen(), 11U);
    s.flags = flag::ACK;
    s.len = 0;
    EXPECT_EQ(s.seqLen(), 0U);
}

TEST(Seq, ModularComparisonAcrossWrap) {
    EXPECT_TRUE(seqLt(0xFFFFFFF0U, 0x10U));
    EXPECT_TRUE(seqGt(0x10U, 0xFFFFFFF0U));
    EXPECT_TRUE(seqLe(5U, 5U));
    EXPECT_FALSE(seqLt(5U, 5U));
    EXPECT_FALSE(seqGt(5U, 5U));
    EXPECT_TRUE(seqGe(5U, 5U));
    EXPECT_FALSE(seqGt(0xFFFFFFFFU, 0x0U)) << "0 follows 0xFFFFFFFF";
    EXPECT_TRUE(seqGe(0x0U, 0xFFFFFFFFU));
    EXPECT_FALSE(seqLe(0x1U, 0xFFFFFFFFU));
    EXPECT_TRUE(seqInWindow(0x2U, 0xFFFFFFFEU, 0x10U));
    EXPECT_FALSE(seqInWindow(0x10U, 0xFFFFFFFEU, 0x10U));
}

} // namespace
} // namespace tcpviz
