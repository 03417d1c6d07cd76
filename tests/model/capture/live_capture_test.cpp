// Live capture on loopback with real sockets: the program's own capture must see
// the whole exchange (SYN, SYN-ACK, ACK, data, FINs) that the test makes.
#include "capture/capture_reader.h"
#include "capture/live_capture.h"
#include "loopback_listener.h"
#include "test_skip.h"

#include <arpa/inet.h>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <gtest/gtest.h>
#include <mutex>
#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace tcpviz {
namespace {

#define REQUIRE_ROOT()                                                                             \
    if (::geteuid() != 0) {                                                                        \
        TCPVIZ_SKIP("live capture needs root (CAP_NET_RAW); CI runs as root");                     \
    }

using Listener = test::LoopbackListener;

/// Client connects, sends "hello", server answers "world", client closes, then server.
void exchange(const Listener& l) {
    const int c = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = htons(l.port);
    ASSERT_EQ(::connect(c, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
    const int s = ::accept(l.fd, nullptr, nullptr);
    ASSERT_GE(s, 0);
    char buf[16];
    ASSERT_EQ(::send(c, "hello", 5, 0), 5);
    ASSERT_EQ(::recv(s, buf, sizeof buf, 0), 5);
    ASSERT_EQ(::send(s, "world", 5, 0), 5);
    ASSERT_EQ(::recv(c, buf, sizeof buf, 0), 5);
    ::close(c);
    ASSERT_EQ(::recv(s, buf, sizeof buf, 0), 0); // the client's FIN
    ::close(s);
}

struct Captured {
    std::mutex mutex;
    std::vector<DecodedPacket> packets;
};

TEST(LiveCapture, SeesARealLoopbackConnectionFromSynToFin) {
    REQUIRE_ROOT();
    Listener l;
    ASSERT_GT(l.port, 0);
    LiveCapture cap;
    LiveCaptureOptions o;
    o.interface = "lo";
    o.bpfFilter = "tcp port " + std::to_string(l.port);
    o.icmpQuotes = false; // TCP alone: ICMP errors other tests inject would pass the filter
    o.keepFrames = true;
    const Status opened = cap.open(o);
    ASSERT_TRUE(opened) << opened.error().toString();
    Captured got;
    std::thread worker([&] {
        (void)cap.run([&](const DecodedPacket& p) {
            std::lock_guard lock(got.mutex);
            got.packets.push_back(p);
        });
    });
    exchange(l);
    // Wait until the last ACK has been seen (at most 2 s), then stop.
    for (int i = 0; i < 200; ++i) {
        {
            std::lock_guard lock(got.mutex);
            if (got.packets.size() >= 8) {
                break;
            }
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    const auto stopAt = std::chrono::steady_clock::now();
    cap.stop();
    worker.join();
    // Generous: stop() wakes the capture at once, but a loaded machine (the suite
    // runs in parallel, also under ASan) may be slow to schedule the thread.
    EXPECT_LT(std::chrono::steady_clock::now() - stopAt, std::chrono::seconds(5))
        << "stop() ends the capture promptly";

    std::lock_guard lock(got.mutex);
    ASSERT_GE(got.packets.size(), 8U);
    const auto& p = got.packets;
    EXPECT_EQ(p[0].tcp.flags, flag::SYN);
    EXPECT_EQ(p[0].dst.port, l.port);
    EXPECT_EQ(p[0].src.toString().rfind("127.0.0.1:", 0), 0U);
    EXPECT_TRUE(p[0].tcp.options.mss.has_value()) << "Linux SYNs carry MSS";
    EXPECT_EQ(p[1].tcp.flags, flag::SYN | flag::ACK);
    EXPECT_EQ(p[1].tcp.ack, p[0].tcp.seq + 1);
    EXPECT_EQ(p[2].tcp.flags, flag::ACK);
    int finsFromClient = 0;
    int finsFromServer = 0;
    std::uint32_t payload = 0;
    for (std::size_t i = 0; i < p.size(); ++i) {
        EXPECT_EQ(p[i].number, i + 1) << "numbered in arrival order";
        if (p[i].tcp.has(flag::FIN)) {
            (p[i].dst.port == l.port ? finsFromClient : finsFromServer)++;
        }
        payload += p[i].tcp.len;
        EXPECT_GT(p[i].timeNs, 1'600'000'000'000'000'000LL);
    }
    EXPECT_EQ(finsFromClient, 1);
    EXPECT_EQ(finsFromServer, 1);
    EXPECT_EQ(payload, 10U);
    EXPECT_EQ(cap.stats().droppedByKernel, 0U);
    EXPECT_GE(cap.stats().received, p.size());

    // What was captured can be saved and reads back the same.
    const std::string path =
        (std::filesystem::temp_directory_path() / "tcpviz_live_saved.pcap").string();
    const Status saved = cap.saveCaptured(path);
    ASSERT_TRUE(saved) << saved.error().toString();
    CaptureInfo info;
    std::vector<DecodedPacket> back;
    const Status read = readCapture(
        path, {}, [&](const DecodedPacket& d) { back.push_back(d); }, info);
    ASSERT_TRUE(read) << read.error().toString();
    ASSERT_EQ(back.size(), p.size());
    EXPECT_EQ(back.front().timeNs, p.front().timeNs);
    EXPECT_EQ(back.back().tcp, p.back().tcp);
    std::filesystem::remove(path);
}

/// A burst of 10,000 new loopback connections, made as fast as this machine allows
/// (several client threads, server closes first so no client port is left in
/// TIME-WAIT): every packet must reach the program and the kernel drops none. How
/// fast that is is a benchmark's business (tests/bench/live_rate_bench.cpp).
TEST(LiveCapture, SeesEveryPacketOfABurstOfConnectionsWithoutKernelDrops) {
    REQUIRE_ROOT();
    Listener l;
    LiveCapture cap;
    LiveCaptureOptions o;
    o.interface = "lo";
    o.bpfFilter = "tcp port " + std::to_string(l.port);
    o.icmpQuotes = false; // TCP alone: ICMP errors other tests inject would pass the filter
    const Status opened = cap.open(o);
    ASSERT_TRUE(opened) << opened.error().toString();
    std::atomic<std::uint64_t> syns{0};
    std::atomic<std::uint64_t> seen{0};
    double captureCpu = 0; // CPU seconds the capture thread used: its real capacity
    std::thread worker([&] {
        (void)cap.run([&](const DecodedPacket& p) {
            seen.fetch_add(1, std::memory_order_relaxed);
            if (p.tcp.flags == flag::SYN) {
                syns.fetch_add(1, std::memory_order_relaxed);
            }
        });
        rusage ru{};
        ::getrusage(RUSAGE_THREAD, &ru);
        captureCpu = static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
                     static_cast<double>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
    });
    constexpr int kThreads = 2;
    constexpr int kPerThread = 5000;
    std::atomic<bool> acceptDone{false};
    std::thread acceptor([&] {
        for (int i = 0; i < kThreads * kPerThread; ++i) {
            const int s = ::accept(l.fd, nullptr, nullptr);
            if (s >= 0) {
                ::close(s); // server closes first: TIME-WAIT stays on the server side
            }
        }
        acceptDone = true;
    });
    const auto start = std::chrono::steady_clock::now();
    std::vector<std::thread> clients;
    std::atomic<int> failures{0};
    for (int t = 0; t < kThreads; ++t) {
        clients.emplace_back([&] {
            sockaddr_in a{};
            a.sin_family = AF_INET;
            a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
            a.sin_port = htons(l.port);
            for (int i = 0; i < kPerThread; ++i) {
                const int c = ::socket(AF_INET, SOCK_STREAM, 0);
                if (::connect(c, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
                    ++failures;
                }
                char b = 0;
                (void)::recv(c, &b, 1, 0); // the server's FIN
                ::close(c);
            }
        });
    }
    for (auto& c : clients) {
        c.join();
    }
    acceptor.join();
    const double secs =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const int total = kThreads * kPerThread;
    for (int i = 0; i < 300 && syns.load() < static_cast<std::uint64_t>(total); ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    cap.stop();
    worker.join();
    const LiveStats st = cap.stats();
    const double rate = total / secs;
    RecordProperty("connections_per_second", static_cast<int>(rate));
    std::printf("[ info ] %d connections in %.3f s (%.0f/s), %llu packets, kernel drops %llu; "
                "capture thread used %.3f s CPU (%.0f packets/s of capacity)\n",
                total, secs, rate, static_cast<unsigned long long>(seen.load()),
                static_cast<unsigned long long>(st.droppedByKernel), captureCpu,
                static_cast<double>(seen.load()) / std::max(captureCpu, 1e-6));
    EXPECT_EQ(failures.load(), 0);
    EXPECT_EQ(st.droppedByKernel, 0U);
    EXPECT_EQ(syns.load(), static_cast<std::uint64_t>(total)) << "every SYN reached the program";
    EXPECT_EQ(seen.load(), cap.info().tcpPackets);
}

TEST(LiveCapture, DurationAndPacketCountEndTheCapture) {
    REQUIRE_ROOT();
    Listener l;
    LiveCapture cap;
    LiveCaptureOptions o;
    o.interface = "lo";
    o.bpfFilter = "tcp port " + std::to_string(l.port);
    o.icmpQuotes = false; // TCP alone: ICMP errors other tests inject would pass the filter
    const Status opened = cap.open(o);
    ASSERT_TRUE(opened) << opened.error().toString();
    const auto start = std::chrono::steady_clock::now();
    ASSERT_TRUE(cap.run([](const DecodedPacket&) {}, 0, 200'000'000)); // 200 ms, nothing arrives
    const auto took = std::chrono::steady_clock::now() - start;
    EXPECT_GE(took, std::chrono::milliseconds(190));
    EXPECT_LT(took, std::chrono::seconds(5)) << "the 200 ms limit ended it, not something else";

    std::thread client([&] { exchange(l); });
    std::size_t n = 0;
    ASSERT_TRUE(cap.run([&](const DecodedPacket&) { ++n; }, 3, 5'000'000'000));
    client.join();
    EXPECT_EQ(n, 3U) << "handshake only";
}

TEST(LiveCapture, ErrorsAreClassified) {
    REQUIRE_ROOT();
    LiveCapture cap;
    LiveCaptureOptions o;
    o.interface = "tcpviz-no-such-if0";
    const Status missing = cap.open(o);
    ASSERT_FALSE(missing);
    EXPECT_EQ(cap.errorKind(), LiveErrorKind::NoSuchDevice) << missing.error().toString();
    EXPECT_EQ(missing.error().file, "tcpviz-no-such-if0");

    o.interface = "lo";
    o.bpfFilter = "tcp port banana";
    const Status badFilter = cap.open(o);
    ASSERT_FALSE(badFilter);
    EXPECT_EQ(cap.errorKind(), LiveErrorKind::BadFilter);
    EXPECT_NE(badFilter.error().message.find("banana"), std::string::npos);
}

TEST(LiveCapture, WithoutPermissionTheMessageExplainsSetcapAndTcpdump) {
    REQUIRE_ROOT();
    // Drop to an unprivileged user in a child process and try to capture there.
    int fds[2];
    ASSERT_EQ(::pipe(fds), 0);
    const pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
        ::close(fds[0]);
        if (::setgid(65534) != 0 || ::setuid(65534) != 0) {
            ::_exit(3);
        }
        LiveCapture cap;
        LiveCaptureOptions o;
        o.interface = "lo";
        const Status open = cap.open(o);
        const bool opened = open.has_value();
        const std::string msg = std::to_string(static_cast<int>(cap.errorKind())) + "|" +
                                (opened ? std::string() : open.error().toString());
        (void)!::write(fds[1], msg.data(), msg.size());
        ::_exit(opened ? 1 : 0);
    }
    ::close(fds[1]);
    std::string msg;
    char buf[512];
    ssize_t n = 0;
    while ((n = ::read(fds[0], buf, sizeof buf)) > 0) {
        msg.append(buf, static_cast<std::size_t>(n));
    }
    ::close(fds[0]);
    int status = 0;
    ::waitpid(pid, &status, 0);
    ASSERT_TRUE(WIFEXITED(status));
    ASSERT_NE(WEXITSTATUS(status), 3) << "could not drop privileges";
    EXPECT_EQ(WEXITSTATUS(status), 0) << "an unprivileged user could capture?";
    EXPECT_EQ(msg.substr(0, 2), std::to_string(static_cast<int>(LiveErrorKind::Permission)) + "|")
        << msg;
    EXPECT_NE(msg.find("setcap cap_net_raw,cap_net_admin=eip"), std::string::npos) << msg;
    EXPECT_NE(msg.find("tcpdump -i lo"), std::string::npos) << msg;
    EXPECT_NE(msg.find("-w - | tcpviz -r -"), std::string::npos) << msg;
}

} // namespace
} // namespace tcpviz
