// scenarioFromCapture on a long connection: the sequence look-ups answer as the
// scans over the packets they replaced did (modulo 2^32 too), and the time grows
// with the packets, not with their square (best of a few runs, so that a busy
// machine does not decide).
#include "capture/capture_document.h"
#include "capture/synth.h"
#include "replay/scenario_from_capture.h"
#include "replay/sequence_index.h"
#include "tcp/seq.h"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <gtest/gtest.h>
#include <random>
#include <string>
#include <unistd.h>
#include <vector>

namespace tcpviz {
namespace {

namespace fs = std::filesystem;

struct Segment {
    std::uint32_t seq = 0;
    std::uint32_t len = 0;
};

// Sequence numbers near 0 and near 2^32 (wrapping), and near 2^31 (where
// seqLt/seqGe turn round), with lengths like a segment's.
std::vector<Segment> randomSegments(std::mt19937& rng, std::uint32_t base, std::size_t n) {
    std::uniform_int_distribution<std::uint32_t> offset(0, 4000);
    std::uniform_int_distribution<std::uint32_t> length(1, 1500);
    std::vector<Segment> out;
    for (std::size_t i = 0; i < n; ++i) {
        out.push_back({base + offset(rng), length(rng)});
    }
    return out;
}

TEST(SequenceIndex, TheLatestHolderIsTheLastSegmentHoldingTheByteBeforeTheAck) {
    std::mt19937 rng(7);
    for (const std::uint32_t base : {0U, 0xFFFFF000U, 0x7FFFF800U}) {
        const std::vector<Segment> segments = randomSegments(rng, base, 300);
        LatestHolder holder;
        for (std::size_t i = 0; i < segments.size(); ++i) {
            holder.add(segments[i].seq, segments[i].len, i);
            for (std::uint32_t ack = base - 10; ack != base + 6000; ack += 10) {
                std::optional<std::size_t> scanned;
                for (std::size_t k = i + 1; k-- > 0;) {
                    const Segment& q = segments[k];
                    if (seqLt(q.seq, ack) && seqLe(ack, q.seq + q.len)) {
                        scanned = k;
                        break;
                    }
                }
                ASSERT_EQ(holder.holding(ack - 1), scanned)
                    << "base " << base << ", " << i + 1 << " segments, ack " << ack;
            }
        }
    }
}

TEST(SequenceIndex, FirstAtOrAfterIsTheFirstSegmentNotAcknowledged) {
    std::mt19937 rng(11);
    for (const std::uint32_t base : {0U, 0xFFFFF000U, 0x7FFFF800U}) {
        std::vector<Segment> segments = randomSegments(rng, base, 300);
        // Half a sequence space away: at the edge of what seqGe calls after.
        segments.push_back({base + 0x80000000U, 10});
        segments.push_back({base + 0x80000001U, 10});
        std::vector<std::uint32_t> seqs;
        for (const Segment& s : segments) {
            seqs.push_back(s.seq);
        }
        FirstAtOrAfter first(seqs);
        const std::vector<std::uint32_t> acks = {base,
                                                 base - 1,
                                                 base + 1,
                                                 base + 0x80000000U,
                                                 base + 0x80000001U,
                                                 base - 0x80000000U,
                                                 base + 0x7FFFFFFFU};
        for (std::size_t i = 0; i < segments.size(); ++i) {
            first.add(segments[i].seq, i);
            std::vector<std::uint32_t> probes = acks;
            for (std::uint32_t ack = base - 10; ack != base + 6000; ack += 10) {
                probes.push_back(ack);
            }
            for (const std::uint32_t ack : probes) {
                std::optional<std::size_t> scanned;
                for (std::size_t k = 0; k <= i; ++k) {
                    if (seqGe(segments[k].seq, ack)) {
                        scanned = k;
                        break;
                    }
                }
                ASSERT_EQ(first.first(ack), scanned)
                    << "base " << base << ", " << i + 1 << " segments, ack " << ack;
            }
        }
    }
}

struct LongConnection {
    std::vector<DecodedPacket> packets;
    CapturePoint point;
};

LongConnection longConnection(std::uint32_t segments) {
    const std::string path =
        (fs::temp_directory_path() / ("tcpviz_scaling_" + std::to_string(::getpid()) + "_" +
                                      std::to_string(segments) + ".pcap"))
            .string();
    SynthOptions o;
    o.connections = 1;
    o.longConnectionSegments = segments;
    LongConnection out;
    const Result<SynthResult> written = writeSynthCapture(o, path);
    EXPECT_TRUE(written) << written.error().toString();
    Result<CaptureDocument> doc = CaptureDocument::open(path, {});
    EXPECT_TRUE(doc) << doc.error().toString();
    if (doc) {
        Result<std::vector<DecodedPacket>> packets = doc->connectionPackets(0);
        EXPECT_TRUE(packets) << packets.error().toString();
        if (packets) {
            out.packets = std::move(*packets);
        }
        out.point = doc->connection(0)->capturePoint.estimate();
    }
    fs::remove(path);
    return out;
}

// The best of `runs` runs, in milliseconds.
double bestMs(const LongConnection& c, int runs) {
    double best = 1e18;
    ScenarioFromCaptureOptions options;
    options.source = "long.pcap";
    for (int run = 0; run < runs; ++run) {
        const auto start = std::chrono::steady_clock::now();
        const Result<CapturedScenario> made = scenarioFromCapture(c.packets, c.point, options);
        const std::chrono::duration<double, std::milli> took =
            std::chrono::steady_clock::now() - start;
        EXPECT_TRUE(made) << made.error().toString();
        best = std::min(best, took.count());
    }
    return best;
}

// Sixteen times the packets: about twenty times the time; the quadratic passes
// took 256 times as long. The bound (100) leaves room on both sides for a loaded
// machine, or a sanitizer, slowing one of the two measurements.
// Prints the figures:
//     build/ci/tests/model/tcpviz_model_tests --gtest_filter='ScenarioFromCaptureScaling.*'
TEST(ScenarioFromCaptureScaling, SixteenTimesThePacketsTakeLessThan100TimesTheTime) {
    const LongConnection small = longConnection(1000);
    const LongConnection large = longConnection(16000);
    ASSERT_EQ(small.packets.size(), 2007U);
    ASSERT_EQ(large.packets.size(), 32007U);
    const double smallMs = bestMs(small, 7);
    const double largeMs = bestMs(large, 5);
    std::printf("scenarioFromCapture: %zu packets %.1f ms, %zu packets %.1f ms (x%.1f)\n",
                small.packets.size(), smallMs, large.packets.size(), largeMs, largeMs / smallMs);
    EXPECT_LT(largeMs, 100 * smallMs) << "quadratic in the packets again";
}

} // namespace
} // namespace tcpviz
