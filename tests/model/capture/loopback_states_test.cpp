// Real sockets on loopback, captured with the program's own live capture on `lo`
// and analysed: both endpoints' inferred state sequences must tell what the test
// made the sockets do. Needs root (CAP_NET_RAW); CI runs as root.
//
// Linux ACKs a FIN after its delayed-ACK timer unless data or a FIN goes out
// first, so each close waits 200 ms before the second side closes: the ACK of the
// first FIN is then on the wire on its own, and FIN-WAIT-2 is visible.
#include "base/unique_fd.h"
#include "capture/analyzer.h"
#include "capture/live_capture.h"
#include "test_skip.h"

#include <arpa/inet.h>
#include <chrono>
#include <functional>
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

#define REQUIRE_ROOT()                                                                             \
    if (::geteuid() != 0) {                                                                        \
        TCPVIZ_SKIP("live capture on lo needs root (CAP_NET_RAW); CI runs as root");               \
    }

sockaddr_in loopback(std::uint16_t port) {
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = htons(port);
    return a;
}

std::uint16_t freePort() {
    UniqueFd s(::socket(AF_INET, SOCK_STREAM, 0));
    auto a = loopback(0);
    ::bind(s.fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
    socklen_t len = sizeof a;
    ::getsockname(s.fd, reinterpret_cast<sockaddr*>(&a), &len);
    return ntohs(a.sin_port);
}

// Captures `tcp port P` on lo while `action(P)` runs, then analyses what was seen.
AnalysisResult captureAndAnalyse(const std::function<void(std::uint16_t)>& action) {
    const std::uint16_t port = freePort();
    LiveCapture cap;
    LiveCaptureOptions o;
    o.interface = "lo";
    o.bpfFilter = "tcp port " + std::to_string(port);
    const Status opened = cap.open(o);
    EXPECT_TRUE(opened) << opened.error().toString();
    std::mutex mutex;
    std::vector<DecodedPacket> packets;
    std::thread worker([&] {
        (void)cap.run([&](const DecodedPacket& p) {
            const std::lock_guard lock(mutex);
            packets.push_back(p);
        });
    });
    std::this_thread::sleep_for(50ms);
    action(port);
    std::this_thread::sleep_for(300ms); // the last ACKs
    cap.stop();
    worker.join();
    Analyzer analyzer;
    for (const auto& p : packets) {
        analyzer.add(p);
    }
    return analyzer.finish(cap.info());
}

std::string sequence(const ConnectionSummary& c, Side s) {
    std::string out;
    for (const auto& e : c.states(s)) {
        out += (out.empty() ? "" : " ") + std::string(stateName(e.state));
    }
    return out;
}

struct Pair {
    UniqueFd listener{::socket(AF_INET, SOCK_STREAM, 0)};
    UniqueFd client{::socket(AF_INET, SOCK_STREAM, 0)};
    UniqueFd server{-1};
    explicit Pair(std::uint16_t port) {
        const int one = 1;
        ::setsockopt(listener.fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        auto a = loopback(port);
        EXPECT_EQ(::bind(listener.fd, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
        EXPECT_EQ(::listen(listener.fd, 8), 0);
        EXPECT_EQ(::connect(client.fd, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
        server.fd = ::accept(listener.fd, nullptr, nullptr);
        EXPECT_GE(server.fd, 0);
    }
};

void sendAll(int fd, const char* text) {
    const auto n = static_cast<ssize_t>(std::char_traits<char>::length(text));
    EXPECT_EQ(::send(fd, text, static_cast<std::size_t>(n), 0), n);
}

ssize_t receive(int fd) {
    char buf[256];
    return ::recv(fd, buf, sizeof buf, 0);
}

TEST(LoopbackStates, ClientClosesFirst) {
    REQUIRE_ROOT();
    const auto r = captureAndAnalyse([](std::uint16_t port) {
        Pair p(port);
        sendAll(p.client.fd, "hello");
        EXPECT_EQ(receive(p.server.fd), 5);
        p.client.close();
        EXPECT_EQ(receive(p.server.fd), 0); // the client's FIN
        std::this_thread::sleep_for(200ms);
        p.server.close();
    });
    ASSERT_EQ(r.connections.size(), 1U);
    const auto& c = r.connections.front();
    EXPECT_EQ(sequence(c, Side::Client),
              "CLOSED SYN-SENT ESTABLISHED FIN-WAIT-1 FIN-WAIT-2 TIME-WAIT");
    EXPECT_EQ(sequence(c, Side::Server),
              "LISTEN SYN-RECEIVED ESTABLISHED CLOSE-WAIT LAST-ACK CLOSED");
    EXPECT_EQ(c.tracker.stats().connState(), "SF");
    EXPECT_EQ(c.tracker.stats().completeness(), 31);
}

TEST(LoopbackStates, ServerClosesFirst) {
    REQUIRE_ROOT();
    const auto r = captureAndAnalyse([](std::uint16_t port) {
        Pair p(port);
        sendAll(p.server.fd, "banner");
        EXPECT_EQ(receive(p.client.fd), 6);
        p.server.close();
        EXPECT_EQ(receive(p.client.fd), 0);
        std::this_thread::sleep_for(200ms);
        p.client.close();
    });
    ASSERT_EQ(r.connections.size(), 1U);
    const auto& c = r.connections.front();
    EXPECT_EQ(sequence(c, Side::Server),
              "LISTEN SYN-RECEIVED ESTABLISHED FIN-WAIT-1 FIN-WAIT-2 TIME-WAIT");
    EXPECT_EQ(sequence(c, Side::Client), "CLOSED SYN-SENT ESTABLISHED CLOSE-WAIT LAST-ACK CLOSED");
}

TEST(LoopbackStates, HalfCloseWithDataAfterTheFin) {
    REQUIRE_ROOT();
    const auto r = captureAndAnalyse([](std::uint16_t port) {
        Pair p(port);
        sendAll(p.client.fd, "request");
        ::shutdown(p.client.fd, SHUT_WR); // the client's FIN: it still reads
        EXPECT_EQ(receive(p.server.fd), 7);
        EXPECT_EQ(receive(p.server.fd), 0);
        std::this_thread::sleep_for(100ms);
        sendAll(p.server.fd, "response after your FIN");
        EXPECT_EQ(receive(p.client.fd), 23);
        std::this_thread::sleep_for(200ms);
        p.server.close();
        EXPECT_EQ(receive(p.client.fd), 0);
    });
    ASSERT_EQ(r.connections.size(), 1U);
    const auto& c = r.connections.front();
    EXPECT_EQ(sequence(c, Side::Client),
              "CLOSED SYN-SENT ESTABLISHED FIN-WAIT-1 FIN-WAIT-2 TIME-WAIT");
    EXPECT_EQ(sequence(c, Side::Server),
              "LISTEN SYN-RECEIVED ESTABLISHED CLOSE-WAIT LAST-ACK CLOSED");
    EXPECT_EQ(c.tracker.stats().bytes[1], 23U) << "the server's data after the client's FIN";
    // The data went out while the client sat in FIN-WAIT-2 and the server in CLOSE-WAIT.
    const auto client = c.states(Side::Client);
    const auto server = c.states(Side::Server);
    EXPECT_LT(client[4].packet, server[4].packet) << "FIN-WAIT-2 before the server's FIN";
}

TEST(LoopbackStates, AbortWithSoLingerZeroSendsRst) {
    REQUIRE_ROOT();
    const auto r = captureAndAnalyse([](std::uint16_t port) {
        Pair p(port);
        sendAll(p.client.fd, "bye");
        EXPECT_EQ(receive(p.server.fd), 3);
        const linger l{1, 0};
        ::setsockopt(p.client.fd, SOL_SOCKET, SO_LINGER, &l, sizeof l);
        p.client.close(); // RST, no FIN
        std::this_thread::sleep_for(50ms);
    });
    ASSERT_EQ(r.connections.size(), 1U);
    const auto& c = r.connections.front();
    EXPECT_EQ(sequence(c, Side::Client), "CLOSED SYN-SENT ESTABLISHED CLOSED");
    EXPECT_EQ(sequence(c, Side::Server), "LISTEN SYN-RECEIVED ESTABLISHED CLOSED");
    const auto client = c.states(Side::Client);
    const auto server = c.states(Side::Server);
    ASSERT_TRUE(client.back().arc && server.back().arc);
    EXPECT_EQ(*client.back().arc, ArcId::AbortEstablished);
    EXPECT_EQ(*server.back().arc, ArcId::RstEstablished);
    EXPECT_EQ(c.tracker.stats().rst, 1U);
    EXPECT_EQ(c.tracker.stats().fin, 0U);
    EXPECT_EQ(c.tracker.stats().connState(), "RSTO");
}

TEST(LoopbackStates, ConnectionRefused) {
    REQUIRE_ROOT();
    const auto r = captureAndAnalyse([](std::uint16_t port) {
        UniqueFd c(::socket(AF_INET, SOCK_STREAM, 0));
        auto a = loopback(port); // nothing listens there
        EXPECT_NE(::connect(c.fd, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
        EXPECT_EQ(errno, ECONNREFUSED);
    });
    ASSERT_EQ(r.connections.size(), 1U);
    const auto& c = r.connections.front();
    EXPECT_EQ(sequence(c, Side::Client), "CLOSED SYN-SENT CLOSED");
    EXPECT_EQ(sequence(c, Side::Server), "CLOSED");
    EXPECT_EQ(c.tracker.stats().connState(), "REJ");
    EXPECT_EQ(c.tracker.stats().history(), "Sr");
}

} // namespace
} // namespace tcpviz
