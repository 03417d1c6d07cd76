#include "base/error.h"

#include <gtest/gtest.h>

namespace tcpviz {
namespace {

TEST(Error, APositionInATextFileIsWrittenAsCompilersWriteIt) {
    Error e;
    e.file = "lesson.yaml";
    e.line = 12;
    e.column = 5;
    e.message = "unknown key";
    EXPECT_EQ(e.toString(), "lesson.yaml:12:5: error: unknown key");
    e.column = 0;
    EXPECT_EQ(e.toString(), "lesson.yaml:12: error: unknown key");
}

TEST(Error, APacketIsNamedByItsNumberAfterTheFile) {
    Error e;
    e.file = "a.pcap";
    e.packet = 7;
    e.message = "truncated TCP header";
    EXPECT_EQ(e.toString(), "a.pcap: packet 7: truncated TCP header");
}

TEST(Error, AFileWithoutPositionAndAMessageAlone) {
    Error e;
    e.file = "a.pcap";
    e.message = "cannot open: No such file or directory";
    EXPECT_EQ(e.toString(), "a.pcap: cannot open: No such file or directory");
    e.file.clear();
    EXPECT_EQ(e.toString(), "cannot open: No such file or directory");
}

TEST(Error, FailBuildsTheErrorBranchOfAResult) {
    const auto half = [](int x) -> Result<int> {
        if (x % 2 != 0) {
            return fail("input", "odd: " + std::to_string(x));
        }
        return x / 2;
    };
    ASSERT_TRUE(half(4));
    EXPECT_EQ(*half(4), 2);
    const Result<int> odd = half(3);
    ASSERT_FALSE(odd);
    EXPECT_EQ(odd.error().file, "input");
    EXPECT_EQ(odd.error().toString(), "input: odd: 3");
}

} // namespace
} // namespace tcpviz
