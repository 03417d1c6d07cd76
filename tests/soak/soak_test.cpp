// Live-capture soak: steady loopback connection load while the program's live
// capture, flow table and passive trackers (the Analyzer, as `tcpviz-cli capture`
// and the desktop program's Capture > Start use them) run; the resident set size
// is sampled every few seconds and must not keep growing after warm-up.
//
// One minute by default (CI). The long version (README, "Long soak"):
//     TCPVIZ_SOAK_SECONDS=3600 build/ci/tests/soak/tcpviz_soak_test
// TCPVIZ_SOAK_RATE sets the connections per second (default 100).
#include "capture/analyzer.h"
#include "capture/live_capture.h"
#include "soak_load.h"
#include "test_skip.h"

#include <algorithm>
#include <arpa/inet.h>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <gtest/gtest.h>
#include <mutex>
#include <netinet/in.h>
#include <string>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>
#include <vector>

namespace tcpviz {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

using soak::envOr;
using soak::oneConnection;
using soak::rssKiB;
using soak::Server;

TEST(Soak, LiveCaptureMemoryStaysFlatUnderSteadyLoad) {
    if (::geteuid() != 0) {
        TCPVIZ_SKIP("live capture needs root (CAP_NET_RAW); CI runs as root");
    }
    const long seconds = envOr("TCPVIZ_SOAK_SECONDS", 60);
    const long rate = envOr("TCPVIZ_SOAK_RATE", 100);
    const auto warmUp = std::chrono::seconds(std::min(15L, seconds / 4));
    const auto sampleEvery = std::chrono::seconds(seconds >= 600 ? 30 : 5);

    Server server;
    LiveCapture capture;
    LiveCaptureOptions o;
    o.interface = "lo";
    o.bpfFilter = "tcp port " + std::to_string(server.port());
    const Status opened = capture.open(o);
    ASSERT_TRUE(opened) << opened.error().toString();

    std::mutex mutex;
    // As `tcpviz-cli capture` does: finished connections past the limit are
    // counted, not kept. A smaller limit than the CLI's so that a one-minute run
    // (6,000 connections) spends most of its time evicting.
    AnalyzeOptions analyzeOptions;
    analyzeOptions.retainFinished = static_cast<std::size_t>(envOr("TCPVIZ_SOAK_RETAIN", 1000));
    Analyzer analyzer(analyzeOptions);
    std::atomic<std::uint64_t> packets{0};
    std::thread captureThread([&] {
        (void)capture.run([&](const DecodedPacket& p) {
            const std::lock_guard lock(mutex);
            analyzer.add(p);
            ++packets;
        });
    });

    // Steady load: `rate` connections per second, paced, 127.0.0.1 only.
    std::atomic<bool> stopLoad{false};
    std::atomic<std::uint64_t> made{0};
    std::atomic<std::uint64_t> refused{0};
    const std::uint64_t maxConnections = static_cast<std::uint64_t>(seconds * rate);
    std::thread load([&] {
        const auto start = Clock::now();
        const auto interval = std::chrono::microseconds(1'000'000 / rate);
        while (!stopLoad && made + refused < maxConnections) {
            (oneConnection(server.port()) ? made : refused) += 1;
            std::this_thread::sleep_until(start + interval * static_cast<long>(made + refused));
        }
    });

    struct Sample {
        double atS;
        long rssKiB;
        std::uint64_t connections;
    };
    std::vector<Sample> samples;
    std::size_t held = 0; ///< most connections the analyzer held at a sample
    const auto start = Clock::now();
    const auto end = start + std::chrono::seconds(seconds);
    for (auto next = start + warmUp; next <= end; next += sampleEvery) {
        std::this_thread::sleep_until(next);
        std::uint64_t conns = 0;
        {
            const std::lock_guard lock(mutex);
            conns = analyzer.totalConnections();
            held = std::max(held, analyzer.connections().size());
        }
        samples.push_back(
            {std::chrono::duration<double>(Clock::now() - start).count(), rssKiB(), conns});
        std::printf("soak t=%5.0f s  rss=%6ld KiB  connections=%llu\n", samples.back().atS,
                    samples.back().rssKiB, static_cast<unsigned long long>(conns));
        std::fflush(stdout);
    }
    stopLoad = true;
    load.join();
    std::this_thread::sleep_for(200ms);
    capture.stop();
    captureThread.join();
    const LiveStats stats = capture.stats();

    ASSERT_GE(samples.size(), 3U);
    // The load really ran and the capture really saw it, without kernel drops.
    EXPECT_GE(made.load(), maxConnections * 9 / 10);
    EXPECT_EQ(refused.load(), 0U);
    EXPECT_GE(packets.load(), made.load() * 8); // >= 8 segments per request/response connection
    EXPECT_EQ(stats.droppedByKernel, 0U);

    // The trend after warm-up: least-squares slope of RSS over time, and the total
    // rise from the first sample after warm-up to the highest one. Growth that
    // continues at a steady rate is a leak; what the analyzer keeps per connection
    // (a summary of ~0.5 KiB for the connection table) is reported separately.
    const Sample& first = samples.front();
    long highest = first.rssKiB;
    double sx = 0;
    double sy = 0;
    double sxx = 0;
    double sxy = 0;
    for (const auto& s : samples) {
        highest = std::max(highest, s.rssKiB);
        sx += s.atS;
        sy += static_cast<double>(s.rssKiB);
        sxx += s.atS * s.atS;
        sxy += s.atS * static_cast<double>(s.rssKiB);
    }
    const double n = static_cast<double>(samples.size());
    const double slopeKiBPerS = (n * sxy - sx * sy) / (n * sxx - sx * sx);
    const Sample& last = samples.back();
    const double newConnections = static_cast<double>(last.connections - first.connections);
    const double perConnectionBytes =
        newConnections > 0 ? static_cast<double>(last.rssKiB - first.rssKiB) * 1024 / newConnections
                           : 0;
    std::printf("soak: %llu connections, %llu packets, rss %ld -> %ld KiB (max %ld), "
                "slope %.1f KiB/s, %.0f bytes per new connection\n",
                static_cast<unsigned long long>(made.load()),
                static_cast<unsigned long long>(packets.load()), first.rssKiB, last.rssKiB, highest,
                slopeKiBPerS, perConnectionBytes);

    // Eviction really ran: the analyzer held about `retainFinished` connections
    // (plus those still open) however many went by.
    EXPECT_GT(analyzer.evicted().connections, 0U);
    EXPECT_LE(held, analyzeOptions.retainFinished + static_cast<std::size_t>(rate) * 2);
    // Bounds: memory per new connection (a kept summary costs about 600 bytes, so
    // this fails if connections are retained), and a small absolute rise.
    EXPECT_LT(perConnectionBytes, 256) << "memory grows with every connection";
    EXPECT_LT(highest - first.rssKiB, 16 * 1024) << "RSS rose by more than 16 MiB after warm-up";
}

} // namespace
} // namespace tcpviz
