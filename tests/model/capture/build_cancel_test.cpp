// Building a long connection's Trace (the most of a ladder's read) stops when the
// window no longer wants it: the cancelled Error, soon, and never a part of a Trace.
#include "cancel_probe.h"
#include "capture/capture_document.h"
#include "capture/connection_trace.h"
#include "capture/synth.h"

#include <cstdio>
#include <filesystem>
#include <gtest/gtest.h>
#include <string>
#include <unistd.h>
#include <vector>

namespace tcpviz {
namespace {

namespace fs = std::filesystem;

/// The packets of a synthetic capture's connection 0 of 2 x `segments` + 7 packets.
std::vector<DecodedPacket> longConnection(std::uint32_t segments) {
    const std::string path = (fs::temp_directory_path() /
                              ("tcpviz_build_cancel_" + std::to_string(::getpid()) + ".pcap"))
                                 .string();
    SynthOptions o;
    o.connections = 20;
    o.dataSegments = 1;
    o.longConnectionSegments = segments;
    const Result<SynthResult> written = writeSynthCapture(o, path);
    EXPECT_TRUE(written) << written.error().toString();
    Result<CaptureDocument> doc = CaptureDocument::open(path, {});
    EXPECT_TRUE(doc) << doc.error().toString();
    if (!doc) {
        fs::remove(path);
        return {};
    }
    Result<std::vector<DecodedPacket>> packets = doc->connectionPackets(0);
    fs::remove(path); // read back through its packet index when not kept
    EXPECT_TRUE(packets) << packets.error().toString();
    return packets ? std::move(*packets) : std::vector<DecodedPacket>{};
}

bool sameEvents(const Trace& a, const Trace& b) {
    if (a.size() != b.size()) {
        return false;
    }
    for (std::size_t i = 0; i < a.size(); ++i) {
        const TraceEvent& x = a.event(i);
        const TraceEvent& y = b.event(i);
        if (x.kind != y.kind || x.timeUs != y.timeUs || x.packet != y.packet ||
            x.endpoint != y.endpoint) {
            return false;
        }
    }
    return true;
}

// A connection of 120,007 packets. Prints how long the build takes and how soon a
// cancel stops it:
//     build/ci/tests/model/tcpviz_model_tests --gtest_filter='BuildCancel.*'
TEST(BuildCancel, ACancelledBuildStopsSoonWithTheCancelledErrorNeverAPartialTrace) {
    const std::vector<DecodedPacket> packets = longConnection(60'000);
    ASSERT_EQ(packets.size(), 120'007U);

    auto start = std::chrono::steady_clock::now();
    const Trace plain = buildConnectionTrace(packets, "long.pcap");
    const double wholeMs = elapsedMs(start);
    ASSERT_GE(plain.size(), 2 * packets.size()) << "a send and an arrival per packet";

    // A flag never set: the same Trace as without one.
    std::atomic<bool> cancel{false};
    const Result<Trace> flagged = buildConnectionTrace(packets, "long.pcap", &cancel);
    ASSERT_TRUE(flagged) << flagged.error().toString();
    EXPECT_TRUE(sameEvents(*flagged, plain));
    EXPECT_EQ(flagged->meta.title.en, plain.meta.title.en);
    EXPECT_EQ(flagged->meta.capture.source, "long.pcap");

    // Set before the call: at once, the cancelled Error naming the source.
    cancel = true;
    start = std::chrono::steady_clock::now();
    const Result<Trace> before = buildConnectionTrace(packets, "long.pcap", &cancel);
    const double beforeMs = elapsedMs(start);
    ASSERT_FALSE(before);
    EXPECT_TRUE(before.error().cancelled);
    EXPECT_EQ(before.error().file, "long.pcap");
    EXPECT_LT(beforeMs, wholeMs / 10) << "a cancelled build still built";

    // Set from another thread while it builds, at 1/7 ... 6/7 of the build.
    const CancelProbe probe = probeCancel<Trace>(
        [&packets](const std::atomic<bool>* flag) {
            return buildConnectionTrace(packets, "long.pcap", flag);
        },
        wholeMs, 6, [&plain](const Trace& t) { return sameEvents(t, plain); });
    EXPECT_GE(probe.stopped, 3) << "builds ran on after the cancel (whole build: " << wholeMs
                                << " ms)";
    // Uncancelled, the first round would end 6/7 of the build after its flag. What a
    // cancel still costs is mostly freeing what was built (more, the later it comes).
    EXPECT_LT(probe.slowestMs, std::max(50.0, wholeMs / 2)) << "it built on after the cancel";
    std::printf("build of %zu packets: %.1f ms; cancelled before: %.3f ms; cancelled while "
                "building: %d of %d stopped, %.2f to %.2f ms after the cancel\n",
                packets.size(), wholeMs, beforeMs, probe.stopped, probe.rounds, probe.fastestMs,
                probe.slowestMs);
}

} // namespace
} // namespace tcpviz
