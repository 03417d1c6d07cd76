// What a user sees when the world misbehaves under a capture: an interface that
// disappears mid-capture, a pipe whose writer stops halfway, a file deleted while
// (or after) it is read, a full disk when saving. Each must end with a clear
// message naming the thing, keep what was already captured, and never crash.
#include "capture/analyzer.h"
#include "capture/capture_reader.h"
#include "capture/connection_trace.h"
#include "capture/live_capture.h"
#include "capture/pcap_writer.h"
#include "capture/synth.h"
#include "capture/trace_pcap.h"
#include "scenario/library.h"
#include "sim/simulator.h"
#include "test_skip.h"

#include <arpa/inet.h>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <iterator>
#include <netinet/in.h>
#include <sched.h>
#include <string>
#include <sys/socket.h>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>
#include <vector>

namespace tcpviz {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

/// A fresh folder under the system temp dir, removed afterwards.
struct TempDir {
    fs::path path;
    TempDir() {
        std::string tmpl = (fs::temp_directory_path() / "tcpviz-failure-XXXXXX").string();
        path = ::mkdtemp(tmpl.data());
    }
    ~TempDir() {
        std::error_code ec;
        fs::remove_all(path, ec);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
};

/// A small capture: `connections` complete connections of 7 packets each.
std::string synthCapture(const TempDir& dir, std::uint32_t connections) {
    SynthOptions o;
    o.connections = connections;
    o.dataSegments = 0;
    const std::string path = (dir.path / "synth.pcap").string();
    if (const Result<SynthResult> r = writeSynthCapture(o, path); !r) {
        ADD_FAILURE() << r.error().toString();
    }
    return path;
}

std::vector<char> fileBytes(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// ---------------------------------------------------------------------------
// A pipe that closes mid-stream: `tcpdump -w - | tcpviz -r -` where tcpdump dies.

TEST(FailureBehaviour, PipeClosedMidRecordKeepsEarlierPacketsAndNamesThePacket) {
    TempDir dir;
    const std::string source = synthCapture(dir, 2); // 14 packets
    const std::vector<char> bytes = fileBytes(source);
    // File header (24) + 3 whole records, then half of the 4th.
    std::size_t cut = 24;
    for (int i = 0; i < 3; ++i) {
        std::uint32_t incl = 0;
        std::memcpy(&incl, bytes.data() + cut + 8, 4);
        cut += 16 + incl;
    }
    cut += 10; // inside the 4th record header
    ASSERT_LT(cut, bytes.size());

    const std::string fifo = (dir.path / "live.fifo").string();
    ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
    std::thread writer([&] {
        const int fd = ::open(fifo.c_str(), O_WRONLY);
        ASSERT_GE(fd, 0);
        // Two writes with a pause, as a live producer would, then it goes away.
        ASSERT_EQ(::write(fd, bytes.data(), 100), 100);
        std::this_thread::sleep_for(50ms);
        const auto rest = static_cast<ssize_t>(cut - 100);
        ASSERT_EQ(::write(fd, bytes.data() + 100, static_cast<std::size_t>(rest)), rest);
        ::close(fd);
    });
    CaptureInfo info;
    std::vector<std::uint64_t> numbers;
    const Status read = readCapture(
        fifo, {}, [&](const DecodedPacket& p) { numbers.push_back(p.number); }, info);
    const bool ok = read.has_value();
    const std::string fatal = ok ? std::string() : read.error().toString();
    writer.join();
    ASSERT_TRUE(ok) << fatal;
    EXPECT_EQ(numbers, (std::vector<std::uint64_t>{1, 2, 3}));
    EXPECT_TRUE(info.stoppedEarly);
    ASSERT_FALSE(info.errors.empty());
    EXPECT_EQ(info.errors.back().packet, 4U);
    EXPECT_NE(info.errors.back().message.find("earlier packets kept"), std::string::npos)
        << info.errors.back().message;
}

TEST(FailureBehaviour, PipeClosedInsideTheFileHeaderIsAClearFatalError) {
    TempDir dir;
    const std::vector<char> bytes = fileBytes(synthCapture(dir, 1));
    const std::string fifo = (dir.path / "short.fifo").string();
    ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
    std::thread writer([&] {
        const int fd = ::open(fifo.c_str(), O_WRONLY);
        ASSERT_GE(fd, 0);
        ASSERT_EQ(::write(fd, bytes.data(), 12), 12);
        ::close(fd);
    });
    CaptureInfo info;
    int packets = 0;
    const Status read = readCapture(
        fifo, {}, [&](const DecodedPacket&) { ++packets; }, info);
    const bool ok = read.has_value();
    const std::string fatal = ok ? std::string() : read.error().toString();
    writer.join();
    EXPECT_FALSE(ok);
    EXPECT_EQ(packets, 0);
    EXPECT_NE(fatal.find(fifo), std::string::npos) << fatal;
}

// ---------------------------------------------------------------------------
// A file deleted while it is open: reading goes on (the open file stays readable);
// re-reading it later for one connection's detail fails with a message naming it.

TEST(FailureBehaviour, FileDeletedWhileReadingIsReadToTheEnd) {
    TempDir dir;
    const std::string path = synthCapture(dir, 20); // 140 packets
    CaptureInfo info;
    std::uint64_t seen = 0;
    const Status read = readCapture(
        path, {},
        [&](const DecodedPacket&) {
            if (++seen == 1) {
                fs::remove(path);
            }
        },
        info);
    const bool ok = read.has_value();
    const std::string fatal = ok ? std::string() : read.error().toString();
    ASSERT_TRUE(ok) << fatal;
    EXPECT_FALSE(fs::exists(path));
    EXPECT_EQ(seen, 140U);
    EXPECT_TRUE(info.errors.empty());
}

TEST(FailureBehaviour, FileCutShortWhileReadingStopsAtTheCutWithoutACrash) {
    // Larger than 8 MiB (the reader's 1 MiB windows, the 8 MiB mapping it once
    // had), so the cut lands in a window read after it happens (see also
    // truncated_while_reading_test.cpp).
    TempDir dir;
    const std::string path = synthCapture(dir, 20'000); // 140,000 packets
    const auto size = fs::file_size(path);
    constexpr std::uint64_t kWindow = std::uint64_t{8} << 20;
    ASSERT_GT(size, kWindow + (1U << 20));
    const std::uint64_t cut = kWindow + (size - kWindow) / 2;
    CaptureInfo info;
    std::uint64_t seen = 0;
    const Status read = readCapture(
        path, {},
        [&](const DecodedPacket&) {
            if (++seen == 1) {
                fs::resize_file(path, cut);
            }
        },
        info);
    // A file that changed under the reader is an Error naming it and the first
    // packet lost (the CLI exits 1), after the packets before the cut.
    ASSERT_FALSE(read.has_value()) << "the cut is reported";
    EXPECT_EQ(read.error().file, path);
    EXPECT_EQ(read.error().packet, seen + 1);
    EXPECT_NE(read.error().message.find("cut short"), std::string::npos) << read.error().toString();
    EXPECT_GT(seen, 1000U) << "the packets before the cut were read";
    EXPECT_LT(seen, 140'000U);
}

TEST(FailureBehaviour, FileDeletedAfterAnalysisFailsConnectionDetailByName) {
    TempDir dir;
    const std::string path = synthCapture(dir, 3);
    const Result<AnalysisResult> analysed = analyzeCapture(path, {});
    ASSERT_TRUE(analysed) << analysed.error().toString();
    const AnalysisResult& result = *analysed;
    ASSERT_EQ(result.connections.size(), 3U);
    fs::remove(path);
    const Result<std::vector<DecodedPacket>> packets =
        collectConnectionPackets(path, {}, result.connections.at(1));
    ASSERT_FALSE(packets);
    EXPECT_NE(packets.error().toString().find(path), std::string::npos)
        << packets.error().toString();
}

// ---------------------------------------------------------------------------
// Disk full when saving (/dev/full accepts open() and fails every write with ENOSPC).

TEST(FailureBehaviour, DiskFullWhenWritingAPcapIsReportedNotIgnored) {
    if (!fs::exists("/dev/full")) {
        TCPVIZ_SKIP("/dev/full is missing");
    }
    PcapWriter w;
    const Status opened = w.open("/dev/full", 1, 65535, false);
    ASSERT_TRUE(opened) << opened.error().toString();
    const std::vector<std::uint8_t> frame(1400, 0xab);
    // Enough to get past any stdio buffer, so write() itself sees the failure.
    bool allOk = true;
    for (int i = 0; i < 1000; ++i) {
        allOk = w.write(i * 1000LL, frame.data(), 1400, 1400) && allOk;
    }
    EXPECT_FALSE(allOk);
    const Status closed = w.close();
    ASSERT_FALSE(closed);
    EXPECT_EQ(closed.error().file, "/dev/full");
}

TEST(FailureBehaviour, DiskFullWhenSavingASimulationOrSynthCapture) {
    if (!fs::exists("/dev/full")) {
        TCPVIZ_SKIP("/dev/full is missing");
    }
    const auto scenario = findBuiltinScenario("three-way-handshake");
    ASSERT_TRUE(scenario.has_value());
    const Status written = writeTracePcap(simulate(*scenario), "/dev/full");
    ASSERT_FALSE(written);
    EXPECT_EQ(written.error().file, "/dev/full");

    SynthOptions o;
    o.connections = 50;
    const Result<SynthResult> r = writeSynthCapture(o, "/dev/full");
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().file, "/dev/full");
}

// ---------------------------------------------------------------------------
// Live capture on an interface that disappears. The interface lives in
// a network namespace made for this test (a veth pair), so the host's interfaces are untouched.

bool run(const std::string& command) {
    return std::system((command + " >/dev/null 2>&1").c_str()) == 0;
}

/// `ip netns add` on construction, `ip netns del` on destruction.
struct NetNs {
    std::string name = "tcpviz-test-" + std::to_string(::getpid());
    bool ok = false;
    NetNs() { ok = run("ip netns add " + name); }
    ~NetNs() {
        if (ok) {
            run("ip netns del " + name);
        }
    }
    NetNs(const NetNs&) = delete;
    NetNs& operator=(const NetNs&) = delete;
    /// Moves the calling thread (only) into the namespace.
    [[nodiscard]] bool enter() const {
        const int fd = ::open(("/run/netns/" + name).c_str(), O_RDONLY | O_CLOEXEC);
        if (fd < 0) {
            return false;
        }
        const bool entered = ::setns(fd, CLONE_NEWNET) == 0;
        ::close(fd);
        return entered;
    }
};

TEST(FailureBehaviour, InterfaceRemovedMidCaptureEndsWithAMessageAndKeepsPackets) {
    if (::geteuid() != 0) {
        TCPVIZ_SKIP("needs root (network namespaces, live capture); CI runs as root");
    }
    NetNs ns;
    if (!ns.ok) {
        TCPVIZ_SKIP("cannot create a network namespace (no `ip` or no CAP_SYS_ADMIN)");
    }
    // A veth pair inside the namespace; a static neighbour entry sends the SYNs
    // straight out of tv0 (no ARP), and nothing answers them.
    const std::string ip = "ip -n " + ns.name + " ";
    ASSERT_TRUE(run(ip + "link add tv0 type veth peer name tv1"));
    ASSERT_TRUE(run(ip + "addr add 10.99.0.1/24 dev tv0"));
    ASSERT_TRUE(run(ip + "link set tv1 up"));
    ASSERT_TRUE(run(ip + "link set tv0 up"));
    ASSERT_TRUE(run(ip + "neigh add 10.99.0.2 lladdr 02:00:00:00:00:02 dev tv0"));

    std::atomic<int> tcpSeen{0};
    std::atomic<bool> opened{false};
    std::atomic<bool> finished{false};
    bool runOk = true;
    bool openOk = false;
    std::string runError;
    std::string openError;
    std::uint64_t kept = 0;
    std::uint64_t tcpPackets = 0;
    std::string savedError;
    bool saved = false;
    const TempDir dir;
    const std::string savePath = (dir.path / "kept.pcap").string();
    const auto started = std::chrono::steady_clock::now();

    std::thread capture([&] {
        if (!ns.enter()) {
            openError = "setns failed";
            opened = true;
            finished = true;
            return;
        }
        LiveCapture cap;
        LiveCaptureOptions o;
        o.interface = "tv0";
        o.keepFrames = true;
        o.bufferBytes = 1 << 20;
        const Status open = cap.open(o);
        openOk = open.has_value();
        openError = openOk ? std::string() : open.error().toString();
        opened = true;
        if (openOk) {
            const Status ran =
                cap.run([&](const DecodedPacket&) { ++tcpSeen; }, 0, 20'000'000'000LL);
            runOk = ran.has_value();
            runError = runOk ? std::string() : ran.error().toString();
            kept = cap.keptFrames();
            tcpPackets = cap.info().tcpPackets;
            const Status save = cap.saveCaptured(savePath);
            saved = save.has_value();
            savedError = saved ? std::string() : save.error().toString();
        }
        finished = true;
    });
    while (!opened) {
        std::this_thread::sleep_for(10ms);
    }
    ASSERT_TRUE(openOk) << openError;

    // Traffic out of tv0: connection attempts to an address behind it.
    std::thread traffic([&] {
        if (!ns.enter()) {
            return;
        }
        std::vector<int> fds;
        for (int i = 0; i < 5; ++i) {
            const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
            sockaddr_in a{};
            a.sin_family = AF_INET;
            a.sin_port = htons(static_cast<std::uint16_t>(8000 + i));
            ::inet_pton(AF_INET, "10.99.0.2", &a.sin_addr);
            (void)::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
            fds.push_back(fd);
        }
        for (int i = 0; i < 100 && tcpSeen < 5; ++i) {
            std::this_thread::sleep_for(20ms);
        }
        for (const int fd : fds) {
            ::close(fd);
        }
    });
    traffic.join();
    ASSERT_GE(tcpSeen.load(), 5) << "the SYNs sent out of tv0 were not captured";
    ASSERT_TRUE(run(ip + "link del tv0"));
    const auto removed = std::chrono::steady_clock::now();
    capture.join();
    const auto ended = std::chrono::steady_clock::now();

    // It ended because the interface went away, promptly, not at the 20 s limit.
    EXPECT_LT(ended - removed, 5s);
    EXPECT_LT(ended - started, 15s);
    EXPECT_FALSE(runOk);
    std::printf("capture ended: %s\n", runError.c_str());
    EXPECT_NE(runError.find("tv0"), std::string::npos) << runError;
    // What was captured before is kept and can be saved and read back.
    EXPECT_GE(tcpPackets, 5U);
    EXPECT_GE(kept, 5U);
    ASSERT_TRUE(saved) << savedError;
    CaptureInfo info;
    const Status read = readCapture(
        savePath, {}, [](const DecodedPacket&) {}, info);
    ASSERT_TRUE(read) << read.error().toString();
    EXPECT_EQ(info.packets, kept);
    EXPECT_GE(info.tcpPackets, 5U);
}

} // namespace
} // namespace tcpviz
