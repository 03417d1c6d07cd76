// The listener's queues against this machine's kernel, each case in a network
// namespace of its own:
// * SYN queue: N forged SYNs at a listener with backlog B, tcp_syncookies 0 and
//   1. The number of request sockets (SYN-RECV, read through sock_diag) and the
//   fate of one more, legitimate SYN must be what the host simulator says:
//   dropped without cookies, answered by a stateless cookie SYN,ACK with them.
// * accept queue: a final ACK finding it full leaves the request in SYN-RECV
//   (tcp_abort_on_overflow 0) or is answered by RST and the request is gone (1).
// * pruning: a flooded queue keeps what reqsk_timer_handler lets it keep.
// * client ports: TIME-WAIT holds a port until connect() fails with
//   EADDRNOTAVAIL; tcp_tw_reuse gives it back after tcp_tw_reuse_delay.
// * server restart: bind() fails with EADDRINUSE while the old connections are
//   in TIME-WAIT, unless SO_REUSEADDR.
#include "capture/decoder.h"
#include "capture/frame_builder.h"
#include "kernel_sandbox.h"
#include "scenario/scenario.h"
#include "sim/host_simulator.h"
#include "test_skip.h"

#include <array>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <functional>
#include <gtest/gtest.h>
#include <map>
#include <netinet/in.h>
#include <optional>
#include <poll.h>
#include <sstream>
#include <string>
#include <sys/socket.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace tcpviz::conformance {
namespace {

constexpr std::uint16_t kFirstFloodPort = 20000;
constexpr std::uint16_t kClientPort = 40000;

struct QueueOutcome {
    int synRecv = -1;           ///< request sockets after the flood
    bool clientSynAck = false;  ///< the legitimate SYN was answered
    bool clientRequest = false; ///< ... and left a request socket (no cookie)
    std::string error;
};

IpAddress v4(std::uint8_t a, std::uint8_t b, std::uint8_t c, std::uint8_t d) {
    return IpAddress{false, {a, b, c, d}};
}

void writeSegment(int tun, const SocketAddress& from, const SocketAddress& to, std::uint8_t flags,
                  std::uint32_t seq, std::uint32_t ack) {
    FrameSpec spec;
    spec.src = from;
    spec.dst = to;
    spec.tcp.srcPort = from.port;
    spec.tcp.dstPort = to.port;
    spec.tcp.seq = seq;
    spec.tcp.ack = ack;
    spec.tcp.flags = flags;
    spec.tcp.window = 65535;
    if ((flags & flag::SYN) != 0) {
        spec.tcp.options.mss = 1460;
    }
    std::vector<std::uint8_t> frame;
    buildTcpFrame(spec, frame);
    constexpr std::size_t kEthernetHeader = 14; // the tun takes bare IP
    (void)::write(tun, frame.data() + kEthernetHeader, frame.size() - kEthernetHeader);
}

void writeSyn(int tun, const SocketAddress& from, const SocketAddress& to, std::uint32_t seq) {
    writeSegment(tun, from, to, flag::SYN, seq, 0);
}

/// Every segment that came out of the tun by now.
std::vector<Segment> drain(int tun) {
    std::vector<Segment> out;
    std::array<std::uint8_t, 65536> buf{};
    for (;;) {
        const ssize_t n = ::read(tun, buf.data(), buf.size());
        if (n <= 0) {
            return out;
        }
        DecodedPacket p;
        std::string error;
        const auto len = static_cast<std::uint32_t>(n);
        if (decodeFrame(linktype::Raw, buf.data(), len, len, p, error) == DecodeStatus::Tcp) {
            out.push_back(p.tcp);
        }
    }
}

/// Whether a SYN,ACK to `port` came out of the tun (everything else is read and dropped).
bool drainSawSynAckTo(int tun, std::uint16_t port) {
    bool seen = false;
    std::array<std::uint8_t, 65536> buf{};
    for (;;) {
        const ssize_t n = ::read(tun, buf.data(), buf.size());
        if (n <= 0) {
            return seen;
        }
        DecodedPacket p;
        std::string error;
        const auto len = static_cast<std::uint32_t>(n);
        if (decodeFrame(linktype::Raw, buf.data(), len, len, p, error) == DecodeStatus::Tcp &&
            p.tcp.flags == (flag::SYN | flag::ACK) && p.tcp.dstPort == port) {
            seen = true;
        }
    }
}

/// The kernel side, in a forked child: "synRecv clientSynAck clientRequest" or "error: ...".
std::string floodInNamespace(int floodCount, int backlog, int syncookies, int waitMs = 100) {
    if (std::string e = enterFreshNetworkNamespace(); !e.empty()) {
        return "error: " + e;
    }
    for (const auto& [key, value] : {std::pair<std::string, std::string>{
                                         "net.ipv4.tcp_syncookies", std::to_string(syncookies)},
                                     {"net.ipv4.tcp_max_syn_backlog", "1024"},
                                     {"net.core.somaxconn", "4096"},
                                     {"net.ipv6.conf.all.disable_ipv6", "1"},
                                     {"net.ipv6.conf.default.disable_ipv6", "1"}}) {
        if (std::string e = writeSysctl(key, value); !e.empty()) {
            return "error: " + e;
        }
    }
    const SocketAddress server{v4(10, 0, 0, 1), 80};
    const IpAddress peer = v4(10, 0, 0, 2);
    std::string error;
    const int tun = openTun(server.ip, peer, error);
    if (tun < 0) {
        return "error: " + error;
    }
    const int listener = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(server.port);
    std::memcpy(&addr.sin_addr, server.ip.bytes.data(), 4);
    if (listener < 0 || ::bind(listener, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
        ::listen(listener, backlog) != 0) {
        return std::string("error: listener: ") + std::strerror(errno);
    }
    for (int i = 0; i < floodCount; ++i) {
        writeSyn(tun, {peer, static_cast<std::uint16_t>(kFirstFloodPort + i)}, server,
                 1000U * static_cast<std::uint32_t>(i + 1));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(waitMs));
    (void)drainSawSynAckTo(tun, 0);
    int synRecv = 0;
    for (int i = 0; i < floodCount; ++i) {
        const auto s =
            diagState(server, {peer, static_cast<std::uint16_t>(kFirstFloodPort + i)}, error);
        synRecv += s == State::SynReceived ? 1 : 0;
    }
    if (!error.empty()) {
        return "error: " + error;
    }
    writeSyn(tun, {peer, kClientPort}, server, 777);
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    const bool synAck = drainSawSynAckTo(tun, kClientPort);
    const bool request = diagState(server, {peer, kClientPort}, error) == State::SynReceived;
    std::ostringstream out;
    out << synRecv << ' ' << synAck << ' ' << request;
    return out.str();
}

QueueOutcome kernelFlood(int floodCount, int backlog, int syncookies) {
    QueueOutcome out;
    std::array<int, 2> fds{};
    if (::pipe2(fds.data(), O_CLOEXEC) != 0) {
        out.error = std::strerror(errno);
        return out;
    }
    std::fflush(nullptr);
    const pid_t child = ::fork();
    if (child == 0) {
        ::close(fds[0]);
        const std::string text = floodInNamespace(floodCount, backlog, syncookies);
        (void)::write(fds[1], text.data(), text.size());
        ::_exit(0);
    }
    ::close(fds[1]);
    std::string text;
    std::array<char, 256> buf{};
    pollfd p{fds[0], POLLIN, 0};
    while (::poll(&p, 1, 20'000) > 0) {
        const ssize_t n = ::read(fds[0], buf.data(), buf.size());
        if (n <= 0) {
            break;
        }
        text.append(buf.data(), static_cast<std::size_t>(n));
    }
    ::close(fds[0]);
    ::kill(child, SIGKILL);
    int status = 0;
    while (::waitpid(child, &status, 0) < 0 && errno == EINTR) {
    }
    if (text.empty() || text.starts_with("error")) {
        out.error = text.empty() ? "the kernel side said nothing" : text;
        return out;
    }
    std::istringstream in(text);
    in >> out.synRecv >> out.clientSynAck >> out.clientRequest;
    return out;
}

QueueOutcome simulatedFlood(int floodCount, int backlog, int syncookies) {
    const std::string yaml =
        "profile: linux\n"
        "client: {address: \"10.0.0.2:40000\"}\n"
        "server: {address: \"10.0.0.1:80\", backlog: " +
        std::to_string(backlog) + "}\nsysctls: {tcp_syncookies: " + std::to_string(syncookies) +
        "}\nnetwork: {latency: 1ms}\n"
        "steps:\n  - {at: 0ms, server: listen}\n  - {at: 100ms, client: connect}\n"
        "load:\n  - {at: 1ms, count: " +
        std::to_string(floodCount) + ", from: \"10.0.0.2\", behaviour: syn-only}\n";
    QueueOutcome out;
    auto sc = parseScenarioText(yaml, "kernel-flood.yaml");
    if (!sc) {
        out.error = sc.error().toString();
        return out;
    }
    const HostSimulation r = simulateHosts(*sc);
    out.synRecv = static_cast<int>(r.stats.maxSynQueue);
    const Trace& t = r.connections.at(r.named).trace;
    for (std::size_t i = 0; i < t.size(); ++i) {
        const TraceEvent& e = t.event(i);
        if (e.kind == EventKind::Arrive && e.endpoint == Side::Server &&
            e.segment.flags == flag::SYN) {
            const std::size_t end = t.reaction(i).end;
            out.clientRequest = t.stateAt(Side::Server, end) == State::SynReceived;
            for (std::size_t k = i + 1; k < t.size(); ++k) {
                const TraceEvent& s = t.event(k);
                if (s.timeUs != e.timeUs) {
                    break;
                }
                out.clientSynAck =
                    out.clientSynAck || (s.kind == EventKind::Send && s.endpoint == Side::Server &&
                                         s.segment.flags == (flag::SYN | flag::ACK));
            }
            break;
        }
    }
    return out;
}

// ---------------------------------------------------------------- accept queue

/// "xState rst" for the 4th of four handshakes at a listener with backlog 2 that
/// never accepts: two complete first (the accept queue holds 2), then two more
/// SYNs are queued and both final ACKs sent; the second finds the accept queue
/// full (3 > 2). xState: Linux's view through sock_diag in tcpviz's State numbers,
/// 0 when there is no socket.
std::string overflowInNamespace(int abortOnOverflow) {
    if (std::string e = enterFreshNetworkNamespace(); !e.empty()) {
        return "error: " + e;
    }
    for (const auto& [key, value] :
         {std::pair<std::string, std::string>{"net.ipv4.tcp_abort_on_overflow",
                                              std::to_string(abortOnOverflow)},
          {"net.ipv4.tcp_syncookies", "1"},
          {"net.ipv4.tcp_timestamps", "0"},
          {"net.ipv6.conf.all.disable_ipv6", "1"},
          {"net.ipv6.conf.default.disable_ipv6", "1"}}) {
        if (std::string e = writeSysctl(key, value); !e.empty()) {
            return "error: " + e;
        }
    }
    const SocketAddress server{v4(10, 0, 0, 1), 80};
    const IpAddress peer = v4(10, 0, 0, 2);
    std::string error;
    const int tun = openTun(server.ip, peer, error);
    if (tun < 0) {
        return "error: " + error;
    }
    const int listener = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(server.port);
    std::memcpy(&addr.sin_addr, server.ip.bytes.data(), 4);
    if (listener < 0 || ::bind(listener, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
        ::listen(listener, 2) != 0) {
        return std::string("error: listener: ") + std::strerror(errno);
    }
    (void)drain(tun);
    const auto pause = [] { std::this_thread::sleep_for(std::chrono::milliseconds(50)); };
    // Sends the SYNs of `ports` and returns the server ISN each SYN,ACK carried.
    const auto syns = [&](const std::vector<std::uint16_t>& ports) {
        std::map<std::uint16_t, std::uint32_t> isn;
        for (const std::uint16_t port : ports) {
            writeSyn(tun, {peer, port}, server, port * 1000U);
        }
        pause();
        for (const Segment& s : drain(tun)) {
            if (s.flags == (flag::SYN | flag::ACK)) {
                isn[s.dstPort] = s.seq;
            }
        }
        return isn;
    };
    const auto ack = [&](const std::map<std::uint16_t, std::uint32_t>& isn, std::uint16_t port) {
        writeSegment(tun, {peer, port}, server, flag::ACK, port * 1000U + 1, isn.at(port) + 1);
        pause();
    };
    const auto first = syns({30001, 30002});
    if (first.size() != 2) {
        return "error: no SYN,ACK for the first two";
    }
    ack(first, 30001);
    ack(first, 30002);
    (void)drain(tun);
    const auto second = syns({30003, 30004});
    if (second.size() != 2) {
        return "error: no SYN,ACK for the last two";
    }
    ack(second, 30003);
    (void)drain(tun);
    ack(second, 30004);
    bool rst = false;
    for (const Segment& s : drain(tun)) {
        rst = rst || (s.dstPort == 30004 && s.has(flag::RST));
    }
    const auto x = diagState(server, {peer, 30004}, error);
    std::ostringstream out;
    out << (x ? static_cast<int>(*x) : 0) << ' ' << rst;
    return out.str();
}

std::string inChild(const std::function<std::string()>& work) {
    std::array<int, 2> fds{};
    if (::pipe2(fds.data(), O_CLOEXEC) != 0) {
        return std::string("error: ") + std::strerror(errno);
    }
    std::fflush(nullptr);
    const pid_t child = ::fork();
    if (child == 0) {
        ::close(fds[0]);
        const std::string text = work();
        (void)::write(fds[1], text.data(), text.size());
        ::_exit(0);
    }
    ::close(fds[1]);
    std::string text;
    std::array<char, 256> buf{};
    pollfd p{fds[0], POLLIN, 0};
    while (::poll(&p, 1, 20'000) > 0) {
        const ssize_t n = ::read(fds[0], buf.data(), buf.size());
        if (n <= 0) {
            break;
        }
        text.append(buf.data(), static_cast<std::size_t>(n));
    }
    ::close(fds[0]);
    ::kill(child, SIGKILL);
    int status = 0;
    while (::waitpid(child, &status, 0) < 0 && errno == EINTR) {
    }
    return text.empty() ? std::string("error: the kernel side said nothing") : text;
}

class KernelAcceptQueue : public ::testing::TestWithParam<int> {};

TEST_P(KernelAcceptQueue, TheFinalAckOnAFullQueueAsSimulated) {
    if (::geteuid() != 0) {
        TCPVIZ_SKIP("the accept queue check needs root (a network namespace and a tun device)");
    }
    if (::access("/dev/net/tun", R_OK | W_OK) != 0) {
        TCPVIZ_SKIP("the accept queue check needs /dev/net/tun");
    }
    const int abortOnOverflow = GetParam();
    const std::string text = inChild([&] { return overflowInNamespace(abortOnOverflow); });
    ASSERT_FALSE(text.starts_with("error")) << text;
    int kernelState = -1;
    bool kernelRst = false;
    std::istringstream(text) >> kernelState >> kernelRst;

    // The same four clients in the simulation.
    const std::string yaml = "profile: linux\n"
                             "server: {address: \"10.0.0.1:80\", backlog: 2}\n"
                             "sysctls: {tcp_abort_on_overflow: " +
                             std::to_string(abortOnOverflow) +
                             "}\n"
                             "app: {accept: never}\n"
                             "network: {latency: 1ms}\n"
                             "steps:\n  - {at: 0ms, server: listen}\n"
                             "load:\n"
                             "  - {count: 2, from: \"10.0.0.2\", behaviour: connect-hold}\n"
                             "  - {at: 100ms, count: 2, from: \"10.0.0.2\", behaviour: "
                             "connect-hold}\n";
    auto sc = parseScenarioText(yaml, "kernel-overflow.yaml");
    ASSERT_TRUE(sc.has_value()) << sc.error().toString();
    const HostSimulation r = simulateHosts(*sc);
    const Trace& x = r.connections.back().trace;
    std::optional<State> simState;
    bool simRst = false;
    for (std::size_t i = 0; i < x.size(); ++i) {
        const TraceEvent& e = x.event(i);
        if (e.kind == EventKind::Arrive && e.endpoint == Side::Server &&
            e.segment.flags == flag::ACK) {
            const std::size_t end = x.reaction(i).end;
            simState = x.stateAt(Side::Server, end);
            for (std::size_t k = i; k < end; ++k) {
                simRst = simRst ||
                         (x.event(k).kind == EventKind::Send && x.event(k).segment.has(flag::RST));
            }
            break;
        }
    }
    ASSERT_TRUE(simState.has_value());
    const int simStateNumber = *simState == State::Closed ? 0 : static_cast<int>(*simState);
    std::printf("tcp_abort_on_overflow %d: kernel state %d rst %d; simulation %d, %d\n",
                abortOnOverflow, kernelState, kernelRst, simStateNumber, simRst);
    EXPECT_EQ(kernelState, simStateNumber);
    EXPECT_EQ(kernelRst, simRst);
    EXPECT_EQ(simRst, abortOnOverflow != 0);
}

INSTANTIATE_TEST_SUITE_P(AbortOnOverflow, KernelAcceptQueue, ::testing::Values(0, 1));

class KernelSynQueue : public ::testing::TestWithParam<int> {};

TEST_P(KernelSynQueue, RequestSocketsAndTheLegitimateSynAsSimulated) {
    if (::geteuid() != 0) {
        TCPVIZ_SKIP("the SYN queue check needs root (a network namespace and a tun device)");
    }
    if (::access("/dev/net/tun", R_OK | W_OK) != 0) {
        TCPVIZ_SKIP("the SYN queue check needs /dev/net/tun");
    }
    const int syncookies = GetParam();
    constexpr int kFlood = 20;
    constexpr int kBacklog = 8;
    const QueueOutcome kernel = kernelFlood(kFlood, kBacklog, syncookies);
    ASSERT_TRUE(kernel.error.empty()) << kernel.error;
    const QueueOutcome sim = simulatedFlood(kFlood, kBacklog, syncookies);
    ASSERT_TRUE(sim.error.empty()) << sim.error;
    std::printf("tcp_syncookies %d: kernel %d SYN-RECV, client SYN,ACK %d request %d; "
                "simulation %d, %d, %d\n",
                syncookies, kernel.synRecv, kernel.clientSynAck, kernel.clientRequest, sim.synRecv,
                sim.clientSynAck, sim.clientRequest);
    EXPECT_EQ(kernel.synRecv, sim.synRecv);
    EXPECT_EQ(kernel.clientSynAck, sim.clientSynAck);
    EXPECT_EQ(kernel.clientRequest, sim.clientRequest);
    // And what the lesson claims: the queue holds backlog + 1.
    EXPECT_EQ(sim.synRecv, kBacklog + 1);
    EXPECT_EQ(sim.clientSynAck, syncookies != 0);
    EXPECT_FALSE(sim.clientRequest);
}

INSTANTIATE_TEST_SUITE_P(Syncookies, KernelSynQueue, ::testing::Values(0, 1));

TEST(KernelSynQueuePruning, AFloodedQueueKeepsWhatTheSimulationKeeps) {
    if (::geteuid() != 0) {
        TCPVIZ_SKIP("the SYN queue check needs root (a network namespace and a tun device)");
    }
    if (::access("/dev/net/tun", R_OK | W_OK) != 0) {
        TCPVIZ_SKIP("the SYN queue check needs /dev/net/tun");
    }
    // 20 SYNs at backlog 8, tcp_synack_retries at its default 5: after 7.5 s
    // reqsk_timer_handler has pruned the old requests down to half the queue.
    constexpr int kWaitMs = 7500;
    const std::string text = inChild([] { return floodInNamespace(20, 8, 0, kWaitMs); });
    ASSERT_FALSE(text.starts_with("error")) << text;
    int kernel = -1;
    std::istringstream(text) >> kernel;
    const std::string yaml = "profile: linux\n"
                             "server: {address: \"10.0.0.1:80\", backlog: 8}\n"
                             "sysctls: {tcp_syncookies: 0}\n"
                             "network: {latency: 1ms}\n"
                             "steps:\n  - {at: 0ms, server: listen}\n"
                             "load:\n  - {at: 1ms, count: 20, from: \"10.0.0.2\", "
                             "behaviour: syn-only}\n";
    auto sc = parseScenarioText(yaml, "kernel-prune.yaml");
    ASSERT_TRUE(sc.has_value()) << sc.error().toString();
    const HostSimulation r = simulateHosts(*sc);
    std::uint32_t sim = 0;
    for (const StateCounts& c : r.counts) {
        if (c.timeUs <= 2'000 + kWaitMs * 1'000LL) {
            sim = c.server.at(index(State::SynReceived));
        }
    }
    std::printf("after %d ms: kernel %d SYN-RECV, simulation %u\n", kWaitMs, kernel, sim);
    EXPECT_EQ(kernel, static_cast<int>(sim));
    EXPECT_EQ(sim, 4U);
}

// ---------------------------------------------------------------- client ports

/// On loopback in a fresh namespace, with ip_local_port_range "40000 40003":
/// five short connections at once (connect, send, close: the client's ends stay
/// in TIME-WAIT), then one more 1.2 s later. "failures lateOk": how many of the
/// five connect() calls failed with EADDRNOTAVAIL, and whether the late one worked.
std::string portsInNamespace(int twReuse) {
    if (std::string e = enterFreshNetworkNamespace(); !e.empty()) {
        return "error: " + e;
    }
    for (const auto& [key, value] :
         {std::pair<std::string, std::string>{"net.ipv4.ip_local_port_range", "40000 40003"},
          {"net.ipv4.tcp_tw_reuse", std::to_string(twReuse)},
          {"net.ipv4.tcp_timestamps", "1"}}) {
        if (std::string e = writeSysctl(key, value); !e.empty()) {
            return "error: " + e;
        }
    }
    std::string error;
    if (openTun(v4(10, 0, 0, 1), v4(10, 0, 0, 2), error) < 0) { // brings lo up too
        return "error: " + error;
    }
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(80);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    const int listener = ::socket(AF_INET, SOCK_STREAM, 0);
    if (listener < 0 || ::bind(listener, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
        ::listen(listener, 16) != 0) {
        return std::string("error: listener: ") + std::strerror(errno);
    }
    // One short connection; false when connect() fails with EADDRNOTAVAIL.
    const auto shortConnection = [&]() -> std::optional<bool> {
        const int c = ::socket(AF_INET, SOCK_STREAM, 0);
        if (::connect(c, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
            const int why = errno;
            ::close(c);
            return why == EADDRNOTAVAIL ? std::optional<bool>(false) : std::nullopt;
        }
        const int s = ::accept(listener, nullptr, nullptr);
        std::array<char, 100> data{};
        (void)::send(c, data.data(), data.size(), 0);
        ::close(c); // the client closes first: its end goes to TIME-WAIT
        while (::recv(s, data.data(), data.size(), 0) > 0) {
        }
        ::close(s); // EOF: the server closes too
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
        return true;
    };
    int failures = 0;
    for (int i = 0; i < 5; ++i) {
        const auto ok = shortConnection();
        if (!ok) {
            return std::string("error: connect: ") + std::strerror(errno);
        }
        failures += *ok ? 0 : 1;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(1200));
    const auto late = shortConnection();
    if (!late) {
        return std::string("error: connect: ") + std::strerror(errno);
    }
    std::ostringstream out;
    out << failures << ' ' << *late;
    return out.str();
}

class KernelClientPorts : public ::testing::TestWithParam<int> {};

TEST_P(KernelClientPorts, TimeWaitHoldsPortsAndTwReuseFreesThemAsSimulated) {
    if (::geteuid() != 0) {
        TCPVIZ_SKIP("the client port check needs root (a network namespace)");
    }
    if (::access("/dev/net/tun", R_OK | W_OK) != 0) {
        TCPVIZ_SKIP("the client port check needs /dev/net/tun");
    }
    const int twReuse = GetParam();
    const std::string text = inChild([&] { return portsInNamespace(twReuse); });
    ASSERT_FALSE(text.starts_with("error")) << text;
    int kernelFailures = -1;
    bool kernelLate = false;
    std::istringstream(text) >> kernelFailures >> kernelLate;

    const std::string yaml = "profile: linux\n"
                             "server: {address: \"127.0.0.1:80\"}\n"
                             "sysctls: {ip_local_port_range: \"40000 40003\", tcp_tw_reuse: " +
                             std::to_string(twReuse) +
                             "}\n"
                             "network: {latency: 0.05ms}\n"
                             "steps:\n  - {at: 0ms, server: listen}\n"
                             "load:\n"
                             "  - {count: 5, rate: 100/s, from: \"127.0.0.1\", "
                             "behaviour: connect-close}\n"
                             "  - {at: 1250ms, from: \"127.0.0.1\", behaviour: connect-close}\n";
    auto sc = parseScenarioText(yaml, "kernel-ports.yaml");
    ASSERT_TRUE(sc.has_value()) << sc.error().toString();
    const HostSimulation r = simulateHosts(*sc);
    int simFailures = 0;
    for (std::size_t i = 1; i <= 5; ++i) {
        simFailures += r.connections.at(i).connectError.empty() ? 0 : 1;
    }
    const bool simLate = r.connections.at(6).connectError.empty();
    std::printf("tcp_tw_reuse %d: kernel %d EADDRNOTAVAIL, late connect %d; simulation %d, %d\n",
                twReuse, kernelFailures, kernelLate, simFailures, simLate);
    EXPECT_EQ(kernelFailures, simFailures);
    EXPECT_EQ(kernelLate, simLate);
    EXPECT_EQ(simFailures, 1);
    EXPECT_EQ(simLate, twReuse != 0);
}

INSTANTIATE_TEST_SUITE_P(TwReuse, KernelClientPorts, ::testing::Values(0, 1));

// ---------------------------------------------------------------- server restart

/// On loopback: a server (SO_REUSEADDR or not) accepts one connection and closes
/// it first (its end goes to TIME-WAIT), the client closes on EOF, the listener
/// closes; then a new socket, with the same SO_REUSEADDR, binds port 80 again.
/// "1" when that bind() fails with EADDRINUSE, "0" when it works.
std::string restartInNamespace(bool reuseaddr) {
    if (std::string e = enterFreshNetworkNamespace(); !e.empty()) {
        return "error: " + e;
    }
    std::string error;
    if (openTun(v4(10, 0, 0, 1), v4(10, 0, 0, 2), error) < 0) { // brings lo up too
        return "error: " + error;
    }
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(80);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    const int one = reuseaddr ? 1 : 0;
    const auto bound = [&]() {
        const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
        (void)::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
            const int why = errno;
            ::close(fd);
            errno = why;
            return -1;
        }
        return fd;
    };
    const int listener = bound();
    if (listener < 0 || ::listen(listener, 16) != 0) {
        return std::string("error: listener: ") + std::strerror(errno);
    }
    const int c = ::socket(AF_INET, SOCK_STREAM, 0);
    if (::connect(c, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
        return std::string("error: connect: ") + std::strerror(errno);
    }
    const int s = ::accept(listener, nullptr, nullptr);
    ::close(s); // the server closes first: its end goes to TIME-WAIT
    std::array<char, 16> data{};
    while (::recv(c, data.data(), data.size(), 0) > 0) {
    }
    ::close(c);
    ::close(listener);
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    const int again = bound();
    if (again >= 0) {
        return "0";
    }
    return errno == EADDRINUSE ? "1" : std::string("error: bind: ") + std::strerror(errno);
}

class KernelServerRestart : public ::testing::TestWithParam<bool> {};

TEST_P(KernelServerRestart, BindAfterTimeWaitAsSimulated) {
    if (::geteuid() != 0) {
        TCPVIZ_SKIP("the server restart check needs root (a network namespace)");
    }
    if (::access("/dev/net/tun", R_OK | W_OK) != 0) {
        TCPVIZ_SKIP("the server restart check needs /dev/net/tun");
    }
    const bool reuseaddr = GetParam();
    const std::string text = inChild([&] { return restartInNamespace(reuseaddr); });
    ASSERT_FALSE(text.starts_with("error")) << text;
    const bool kernelFails = text == "1";

    const std::string yaml = std::string("profile: linux\n"
                                         "server: {address: \"127.0.0.1:80\", reuseaddr: ") +
                             (reuseaddr ? "true" : "false") +
                             "}\n"
                             "network: {latency: 0.05ms}\n"
                             "steps:\n"
                             "  - {at: 0ms, server: listen}\n"
                             "  - {at: 100ms, server: close}\n"
                             "  - {at: 200ms, server: listen}\n"
                             "load:\n"
                             "  - {from: \"127.0.0.1\", behaviour: connect-hold}\n";
    auto sc = parseScenarioText(yaml, "kernel-restart.yaml");
    ASSERT_TRUE(sc.has_value()) << sc.error().toString();
    const HostSimulation r = simulateHosts(*sc);
    const bool simFails = r.stats.bindFailures == 1;
    std::printf("SO_REUSEADDR %d: kernel bind %s; simulation %s\n", reuseaddr ? 1 : 0,
                kernelFails ? "EADDRINUSE" : "ok", simFails ? "EADDRINUSE" : "ok");
    EXPECT_EQ(kernelFails, simFails);
    EXPECT_EQ(simFails, !reuseaddr);
}

INSTANTIATE_TEST_SUITE_P(Reuseaddr, KernelServerRestart, ::testing::Values(false, true));

} // namespace
} // namespace tcpviz::conformance
