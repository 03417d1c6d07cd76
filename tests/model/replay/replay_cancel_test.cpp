// Open as scenario of a long connection (several replays, each a simulation and
// two Trace builds) stops when the window no longer wants it: the cancelled Error,
// soon, never a scenario made of a part of the replays.
#include "cancel_probe.h"
#include "capture/capture_document.h"
#include "capture/synth.h"
#include "replay/replay_check.h"

#include <cstdio>
#include <filesystem>
#include <gtest/gtest.h>
#include <string>
#include <unistd.h>
#include <vector>

namespace tcpviz {
namespace {

namespace fs = std::filesystem;

// A connection of 2 x 2000 + 7 packets. Prints how long bestReplay takes and how
// soon a cancel stops it:
//     build/ci/tests/model/tcpviz_model_tests --gtest_filter='ReplayCancel.*'
TEST(ReplayCancel, ACancelledBestReplayStopsSoonWithTheCancelledError) {
    const std::string path = (fs::temp_directory_path() /
                              ("tcpviz_replay_cancel_" + std::to_string(::getpid()) + ".pcap"))
                                 .string();
    SynthOptions o;
    o.connections = 20;
    o.dataSegments = 1;
    o.longConnectionSegments = 2000;
    const Result<SynthResult> written = writeSynthCapture(o, path);
    ASSERT_TRUE(written) << written.error().toString();
    Result<CaptureDocument> doc = CaptureDocument::open(path, {});
    ASSERT_TRUE(doc) << doc.error().toString();
    const Result<std::vector<DecodedPacket>> packets = doc->connectionPackets(0);
    fs::remove(path); // read back through its packet index when not kept
    ASSERT_TRUE(packets) << packets.error().toString();
    ASSERT_EQ(packets->size(), 4007U);
    const CapturePoint point = doc->connection(0)->capturePoint.estimate();
    ScenarioFromCaptureOptions options;
    options.source = "long.pcap";

    auto start = std::chrono::steady_clock::now();
    const Result<ReplayResult> plain = bestReplay(*packets, point, options);
    const double wholeMs = elapsedMs(start);
    ASSERT_TRUE(plain) << plain.error().toString();

    // A flag never set: the same scenario as without one.
    std::atomic<bool> cancel{false};
    const Result<ReplayResult> flagged = bestReplay(*packets, point, options, &cancel);
    ASSERT_TRUE(flagged) << flagged.error().toString();
    EXPECT_EQ(flagged->scenario.text, plain->scenario.text);
    EXPECT_EQ(flagged->difference, plain->difference);
    const Result<ReplayResult> one = replayConnection(*packets, point, options, &cancel);
    ASSERT_TRUE(one) << one.error().toString();

    // Set before the call: at once, the cancelled Error naming the source.
    cancel = true;
    start = std::chrono::steady_clock::now();
    const Result<ReplayResult> before = bestReplay(*packets, point, options, &cancel);
    const double beforeMs = elapsedMs(start);
    ASSERT_FALSE(before);
    EXPECT_TRUE(before.error().cancelled);
    EXPECT_EQ(before.error().file, "long.pcap");
    EXPECT_LT(beforeMs, wholeMs / 10) << "a cancelled replay still ran";
    const Result<ReplayResult> oneBefore = replayConnection(*packets, point, options, &cancel);
    ASSERT_FALSE(oneBefore);
    EXPECT_TRUE(oneBefore.error().cancelled);

    // Set from another thread while it replays, at 1/7 ... 6/7 of the work.
    const std::string text = plain->scenario.text;
    const CancelProbe probe = probeCancel<ReplayResult>(
        [&packets, &point, &options](const std::atomic<bool>* flag) {
            return bestReplay(*packets, point, options, flag);
        },
        wholeMs, 6, [&text](const ReplayResult& r) { return r.scenario.text == text; });
    EXPECT_GE(probe.stopped, 3) << "replays ran on after the cancel (whole: " << wholeMs << " ms)";
    // Uncancelled, the first round would end 6/7 of the work after its flag; what
    // cannot stop midway is one replay's scenario text and its parse.
    EXPECT_LT(probe.slowestMs, std::max(50.0, wholeMs / 4)) << "it replayed on after the cancel";
    std::printf("bestReplay of %zu packets: %.1f ms; cancelled before: %.3f ms; cancelled while "
                "replaying: %d of %d stopped, %.2f to %.2f ms after the cancel\n",
                packets->size(), wholeMs, beforeMs, probe.stopped, probe.rounds, probe.fastestMs,
                probe.slowestMs);
}

} // namespace
} // namespace tcpviz
