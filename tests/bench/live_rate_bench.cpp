// How many new loopback connections per second live capture keeps up with.
//
// Makes bursts of short connections on 127.0.0.1 (two client threads, the server
// closes first so that no client port is left in TIME-WAIT), first with nothing
// capturing (the peer: what this machine's kernel manages on its own), then while
// tcpviz's LiveCapture follows them. Prints both rates, their ratio, the packets
// the program saw, the kernel's drops, and the CPU time of the capture thread
// (its real capacity, in packets per second). Needs root (CAP_NET_RAW).
//
//   build/ci/tests/bench/tcpviz_live_rate_bench [CONNECTIONS]   (default 10,000)
#include "capture/live_capture.h"
#include "loopback_listener.h"

#include <algorithm>
#include <arpa/inet.h>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <netinet/in.h>
#include <string>
#include <sys/resource.h>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>
#include <vector>

namespace {

using Listener = tcpviz::test::LoopbackListener;

/// Makes `total` connections to `l` from two threads; returns connections/s and
/// counts failed connects.
double burst(const Listener& l, int total, int& failures) {
    constexpr int kThreads = 2;
    const int perThread = total / kThreads;
    std::atomic<int> failed{0};
    std::thread acceptor([&] {
        for (int i = 0; i < kThreads * perThread; ++i) {
            const int s = ::accept(l.fd, nullptr, nullptr);
            if (s >= 0) {
                ::close(s);
            }
        }
    });
    const auto start = std::chrono::steady_clock::now();
    std::vector<std::thread> clients;
    for (int t = 0; t < kThreads; ++t) {
        clients.emplace_back([&] {
            sockaddr_in a{};
            a.sin_family = AF_INET;
            a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
            a.sin_port = htons(l.port);
            for (int i = 0; i < perThread; ++i) {
                const int c = ::socket(AF_INET, SOCK_STREAM, 0);
                if (::connect(c, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
                    ++failed;
                }
                char b = 0;
                (void)::recv(c, &b, 1, 0);
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
    failures = failed.load();
    return kThreads * perThread / secs;
}

} // namespace

int main(int argc, char** argv) {
    if (::geteuid() != 0) {
        std::printf("live_rate_bench: needs root (live capture on lo); nothing measured\n");
        return 0;
    }
    const int total = argc > 1 ? std::max(2, std::atoi(argv[1])) : 10'000;
    Listener l;
    int failuresBare = 0;
    const double bare = burst(l, total, failuresBare);

    Listener l2;
    tcpviz::LiveCapture cap;
    tcpviz::LiveCaptureOptions o;
    o.interface = "lo";
    o.bpfFilter = "tcp port " + std::to_string(l2.port);
    if (const tcpviz::Status opened = cap.open(o); !opened) {
        std::fprintf(stderr, "live_rate_bench: %s\n", opened.error().toString().c_str());
        return 1;
    }
    std::atomic<std::uint64_t> seen{0};
    std::atomic<std::uint64_t> syns{0};
    double captureCpu = 0;
    std::thread worker([&] {
        (void)cap.run([&](const tcpviz::DecodedPacket& p) {
            seen.fetch_add(1, std::memory_order_relaxed);
            if (p.tcp.flags == tcpviz::flag::SYN) {
                syns.fetch_add(1, std::memory_order_relaxed);
            }
        });
        rusage ru{};
        ::getrusage(RUSAGE_THREAD, &ru);
        captureCpu = static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
                     static_cast<double>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
    });
    int failuresCaptured = 0;
    const double captured = burst(l2, total, failuresCaptured);
    for (int i = 0; i < 300 && syns.load() < static_cast<std::uint64_t>(total); ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    cap.stop();
    worker.join();
    const auto st = cap.stats();
    std::printf("connections                 %d per run\n", total);
    std::printf("no capture (kernel alone)   %.0f connections/s (%d failed)\n", bare, failuresBare);
    std::printf("with tcpviz live capture    %.0f connections/s (%d failed)\n", captured,
                failuresCaptured);
    std::printf("ratio                       %.2f of the kernel's own rate\n", captured / bare);
    std::printf("packets seen / SYNs seen    %llu / %llu; kernel drops %llu\n",
                static_cast<unsigned long long>(seen.load()),
                static_cast<unsigned long long>(syns.load()),
                static_cast<unsigned long long>(st.droppedByKernel));
    std::printf("capture thread CPU          %.3f s (capacity %.0f packets/s)\n", captureCpu,
                static_cast<double>(seen.load()) / std::max(captureCpu, 1e-6));
    return 0;
}
