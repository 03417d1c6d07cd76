// The comparison's timing rules, on made-up records (no kernel, no root).

#include "comparison.h"

#include <gtest/gtest.h>

namespace tcpviz::conformance {
namespace {

constexpr std::uint32_t kIss = 1000;
constexpr std::uint32_t kPeerIss = 5000;

Segment syn() {
    Segment s;
    s.seq = kIss;
    s.flags = flag::SYN;
    return s;
}

Segment data() {
    Segment s;
    s.seq = kIss + 1;
    s.ack = kPeerIss + 1;
    s.flags = flag::PSH | flag::ACK;
    s.len = 100;
    return s;
}

/// The client sends SYN at 0, data at 1 s (a call: an anchor) and retransmits it
/// with the backoff `firstRto`, doubled each time, `count` times.
Expected expectedChain(std::int64_t firstRto, int count) {
    Expected e;
    e.sent.push_back({0, syn()});
    e.anchors = {0, 100'000, 1'000'000};
    std::int64_t t = 1'000'000;
    std::int64_t rto = firstRto;
    e.sent.push_back({t, data()});
    for (int i = 0; i < count; ++i) {
        t += rto;
        rto *= 2;
        e.sent.push_back({t, data()});
    }
    return e;
}

/// The same chain as the kernel sends it, each interval `stretch` times as long.
KernelRecord kernelChain(std::int64_t firstRto, int count, double stretch) {
    KernelRecord k;
    k.sent.push_back({0, syn()});
    std::int64_t t = 1'000'000;
    std::int64_t rto = firstRto;
    k.sent.push_back({t, data()});
    for (int i = 0; i < count; ++i) {
        t += static_cast<std::int64_t>(static_cast<double>(rto) * stretch);
        rto *= 2;
        k.sent.push_back({t, data()});
    }
    return k;
}

// The timer wheel rounds each backoff up by up to an eighth (32 ms at 300 ms,
// 256 ms past 2 s at HZ 250): each retransmission is timed from the one before,
// as the kernel's timer is, so the rounding does not add up to a difference.
TEST(ConformanceComparison, BackoffIntervalsEachAnEighthLongAgree) {
    const Expected e = expectedChain(300'000, 5);
    const KernelRecord k = kernelChain(300'000, 5, 1.11);
    // Summed from the call, the fifth retransmission is 1.02 s late: more than
    // the tolerance of its own 4.8 s interval.
    const std::int64_t last = e.sent.back().timeUs;
    ASSERT_GT(k.sent.back().timeUs - last, toleranceUs(last, e.sent[e.sent.size() - 2].timeUs));
    const Verdict v = compareSent(e, k, kPeerIss, 60'000'000);
    EXPECT_TRUE(v.agree) << v.firstDifference;
}

TEST(ConformanceComparison, ABackoffIntervalHalfAsLongAgainDiffers) {
    const Expected e = expectedChain(300'000, 5);
    KernelRecord k = kernelChain(300'000, 5, 1.05);
    // The third retransmission (segment 5) comes 1.8 s after the second, at
    // 1.945 s, instead of 1.2 s.
    for (std::size_t i = 4; i < k.sent.size(); ++i) {
        k.sent[i].timeUs += 600'000;
    }
    const Verdict v = compareSent(e, k, kPeerIss, 60'000'000);
    EXPECT_FALSE(v.agree);
    EXPECT_NE(v.firstDifference.find("segment 5:"), std::string::npos) << v.firstDifference;
    EXPECT_NE(v.firstDifference.find("after the kernel's previous segment at 1.945s"),
              std::string::npos)
        << v.firstDifference;
}

// A segment that answers a scripted action is timed from the script, not from
// the kernel's previous segment: a late first segment does not excuse a late second.
TEST(ConformanceComparison, AScriptedActionResetsTheTiming) {
    Expected e;
    e.sent.push_back({0, syn()});
    e.sent.push_back({1'000'000, data()});
    e.anchors = {0, 1'000'000};
    KernelRecord k;
    k.sent.push_back({40'000, syn()});
    k.sent.push_back({1'090'000, data()});
    const Verdict v = compareSent(e, k, kPeerIss, 60'000'000);
    EXPECT_FALSE(v.agree);
    EXPECT_NE(v.firstDifference.find("segment 2:"), std::string::npos) << v.firstDifference;
}

} // namespace
} // namespace tcpviz::conformance
