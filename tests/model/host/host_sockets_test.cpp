// This machine's sockets through sock_diag: real loopback sockets put into each
// state by the test must be read back in that state, with this process as owner.
#include "base/unique_fd.h"
#include "host/host_sockets.h"

#include <arpa/inet.h>
#include <chrono>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>

namespace tcpviz {
namespace {

sockaddr_in loopback(std::uint16_t port) {
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = htons(port);
    return a;
}

std::uint16_t portOf(int fd) {
    sockaddr_in a{};
    socklen_t len = sizeof a;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
    return ntohs(a.sin_port);
}

/// The socket with these local and remote ports, or nullptr.
const HostSocket* find(const HostSnapshot& s, std::uint16_t local, std::uint16_t remote) {
    for (const auto& x : s.sockets) {
        if (x.local.port == local && x.remote.port == remote &&
            x.local.toString().starts_with("127.0.0.1")) {
            return &x;
        }
    }
    return nullptr;
}

TEST(HostSockets, LoopbackSocketsInEachStateAreReadBackWithTheirOwner) {
    UniqueFd listener(::socket(AF_INET, SOCK_STREAM, 0));
    auto any = loopback(0);
    ASSERT_EQ(::bind(listener.fd, reinterpret_cast<sockaddr*>(&any), sizeof any), 0);
    ASSERT_EQ(::listen(listener.fd, 16), 0);
    const std::uint16_t port = portOf(listener.fd);
    auto to = loopback(port);

    // ESTABLISHED on both sides.
    UniqueFd est(::socket(AF_INET, SOCK_STREAM, 0));
    ASSERT_EQ(::connect(est.fd, reinterpret_cast<sockaddr*>(&to), sizeof to), 0);
    UniqueFd estPeer(::accept(listener.fd, nullptr, nullptr));
    // The client half-closes: client FIN-WAIT-2, server CLOSE-WAIT (it never closes).
    UniqueFd half(::socket(AF_INET, SOCK_STREAM, 0));
    ASSERT_EQ(::connect(half.fd, reinterpret_cast<sockaddr*>(&to), sizeof to), 0);
    UniqueFd halfPeer(::accept(listener.fd, nullptr, nullptr));
    ASSERT_EQ(::shutdown(half.fd, SHUT_WR), 0);
    // Client closes first, then the server: the client's end waits in TIME-WAIT.
    UniqueFd gone(::socket(AF_INET, SOCK_STREAM, 0));
    ASSERT_EQ(::connect(gone.fd, reinterpret_cast<sockaddr*>(&to), sizeof to), 0);
    UniqueFd gonePeer(::accept(listener.fd, nullptr, nullptr));
    const std::uint16_t estPort = portOf(est.fd);
    const std::uint16_t halfPort = portOf(half.fd);
    const std::uint16_t gonePort = portOf(gone.fd);
    gone.close();
    char b = 0;
    ASSERT_EQ(::recv(gonePeer.fd, &b, 1, 0), 0); // the client's FIN
    gonePeer.close();
    ASSERT_EQ(::recv(halfPeer.fd, &b, 1, 0), 0); // the half-close's FIN arrived
    // The last ACKs (FIN-WAIT-1 -> FIN-WAIT-2, LAST-ACK -> gone) land a moment
    // after the FINs were read: poll briefly instead of racing them.
    HostSnapshot snap;
    for (int i = 0; i < 100; ++i) {
        Result<HostSnapshot> read = readHostSockets();
        ASSERT_TRUE(read) << read.error().toString();
        snap = std::move(*read);
        const HostSocket* h = find(snap, halfPort, port);
        const HostSocket* t = find(snap, gonePort, port);
        if (h != nullptr && h->state == State::FinWait2 && t != nullptr &&
            t->state == State::TimeWait) {
            break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    const auto expect = [&](std::uint16_t local, std::uint16_t remote, State state, bool owned) {
        SCOPED_TRACE(std::to_string(local) + " -> " + std::to_string(remote));
        const HostSocket* s = find(snap, local, remote);
        ASSERT_NE(s, nullptr);
        EXPECT_EQ(s->state, state) << stateName(s->state);
        if (owned) {
            ASSERT_EQ(s->owners.size(), 1U);
            EXPECT_EQ(s->owners.front().pid, ::getpid());
        } else {
            EXPECT_TRUE(s->owners.empty());
        }
    };
    expect(port, 0, State::Listen, true);
    expect(estPort, port, State::Established, true);
    expect(port, estPort, State::Established, true);
    expect(halfPort, port, State::FinWait2, true);
    expect(port, halfPort, State::CloseWait, true);
    expect(gonePort, port, State::TimeWait, false);
    const HostSocket* tw = find(snap, gonePort, port);
    ASSERT_NE(tw, nullptr);
    EXPECT_EQ(tw->timer, "timewait");
    EXPECT_GT(tw->timerMs, 50'000U) << "Linux keeps TIME-WAIT 60 s";
    EXPECT_FALSE(find(snap, port, gonePort) != nullptr && find(snap, port, gonePort)->inode != 0)
        << "the server's end is gone once its last ACK arrived";
    // The counts are the states of every socket listed.
    std::uint32_t total = 0;
    for (const auto n : snap.counts) {
        total += n;
    }
    EXPECT_EQ(total, snap.sockets.size());
    EXPECT_GE(snap.counts.at(static_cast<std::size_t>(State::CloseWait)), 1U);
}

TEST(HostSockets, KernelStateNumbersMapToRfcStates) {
    EXPECT_EQ(stateOfKernelTcpState(1), State::Established);
    EXPECT_EQ(stateOfKernelTcpState(2), State::SynSent);
    EXPECT_EQ(stateOfKernelTcpState(3), State::SynReceived);
    EXPECT_EQ(stateOfKernelTcpState(12), State::SynReceived); // TCP_NEW_SYN_RECV
    EXPECT_EQ(stateOfKernelTcpState(4), State::FinWait1);
    EXPECT_EQ(stateOfKernelTcpState(5), State::FinWait2);
    EXPECT_EQ(stateOfKernelTcpState(6), State::TimeWait);
    EXPECT_EQ(stateOfKernelTcpState(7), State::Closed);
    EXPECT_EQ(stateOfKernelTcpState(8), State::CloseWait);
    EXPECT_EQ(stateOfKernelTcpState(9), State::LastAck);
    EXPECT_EQ(stateOfKernelTcpState(10), State::Listen);
    EXPECT_EQ(stateOfKernelTcpState(11), State::Closing);
}

} // namespace
} // namespace tcpviz

namespace tcpviz {
namespace {

HostSocket socketOf(State state, std::uint16_t localPort, std::uint16_t remotePort) {
    HostSocket s;
    s.state = state;
    s.local.port = localPort;
    s.remote.port = remotePort;
    return s;
}

TEST(HostSockets, SocketsOnAListenersPortAreServerEndsTheRestClientEnds) {
    HostSnapshot snap;
    snap.sockets.push_back(socketOf(State::Established, 8080, 40001)); // accepted
    snap.sockets.push_back(socketOf(State::Listen, 8080, 0));
    snap.sockets.push_back(socketOf(State::Established, 40001, 8080)); // its client, same host
    snap.sockets.push_back(socketOf(State::CloseWait, 8080, 40002));
    snap.sockets.push_back(socketOf(State::TimeWait, 51000, 443)); // to another machine
    EXPECT_EQ(hostSides(snap),
              (std::vector{Side::Server, Side::Server, Side::Client, Side::Server, Side::Client}));
    EXPECT_TRUE(hostSides(HostSnapshot{}).empty());
}

} // namespace
} // namespace tcpviz
