#include "kernel_run.h"

#include "capture/decoder.h"
#include "capture/frame_builder.h"
#include "kernel_sandbox.h"
#include "tcp/endpoint.h"

#include <algorithm>
#include <array>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <map>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <set>
#include <sstream>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

namespace tcpviz::conformance {

namespace {

KernelRecord failed(std::string error) {
    KernelRecord r;
    r.error = std::move(error);
    return r;
}

std::vector<ScriptStep> scheduleFrom(const Trace& trace, Side kernel) {
    std::vector<ScriptStep> out;
    for (const TraceEvent& e : trace.events()) {
        if (e.endpoint != kernel) {
            continue;
        }
        ScriptStep a;
        a.timeUs = e.timeUs;
        if (e.kind == EventKind::Arrive) {
            // Arrive events already reflect the scenario's faults: a dropped
            // segment never arrives, a delayed one arrives later, a duplicate twice.
            a.kind = ScriptStep::Kind::Inject;
            a.segment = e.segment;
            out.push_back(a);
        } else if (e.kind == EventKind::Call && !e.callError.empty() && e.call == UserCall::Send &&
                   e.callError != callerror::kNotAccepted) {
            // A send() the simulated application makes on a connection shut for
            // writing or gone: the kernel's send() is asked too, to compare errnos.
            a.kind = ScriptStep::Kind::Write;
            a.bytes = e.bytes;
            out.push_back(a);
        } else if (e.kind == EventKind::Call && e.callError.empty()) {
            switch (e.call) {
            case UserCall::Listen:
                a.kind = ScriptStep::Kind::Listen;
                break;
            case UserCall::Connect:
                a.kind = ScriptStep::Kind::Connect;
                break;
            case UserCall::Send:
                a.kind = ScriptStep::Kind::Write;
                break;
            case UserCall::Close:
                a.kind = ScriptStep::Kind::Close;
                break;
            case UserCall::Shutdown:
                a.kind = ScriptStep::Kind::Shutdown;
                break;
            case UserCall::Abort:
            case UserCall::CloseLinger0:
                a.kind = ScriptStep::Kind::Abort;
                break;
            case UserCall::Recv:
                a.kind = ScriptStep::Kind::Read;
                break;
            case UserCall::ShutdownRead:
                a.kind = ScriptStep::Kind::ShutdownRead;
                break;
            case UserCall::ShutdownBoth:
                a.kind = ScriptStep::Kind::ShutdownBoth;
                break;
            case UserCall::Accept:
                a.kind = ScriptStep::Kind::Accept;
                break;
            case UserCall::CloseListener:
                a.kind = ScriptStep::Kind::CloseListener;
                break;
            }
            a.bytes = e.bytes;
            out.push_back(a);
        }
    }
    return out;
}

std::string seconds(std::int64_t us) {
    std::array<char, 32> b{};
    std::snprintf(b.data(), b.size(), "%.3fs", static_cast<double>(us) / 1e6);
    return b.data();
}

sockaddr_in toSockaddr(const SocketAddress& a) {
    sockaddr_in sin{};
    sin.sin_family = AF_INET;
    sin.sin_port = htons(a.port);
    std::memcpy(&sin.sin_addr, a.ip.bytes.data(), 4);
    return sin;
}

/// The kernel side: the child process's whole life after fork().
class KernelSide {
public:
    KernelSide(const Scenario& scenario, const Trace& trace, const RunOptions& options)
        : m_scenario(scenario)
        , m_options(options)
        , m_schedule(scheduleFrom(trace, options.kernelSide))
        , m_reads(options.kernelSide == Side::Client ? scenario.client.reads
                                                     : scenario.server.reads)
        , m_deferAccept(
              std::any_of(scenario.steps.begin(), scenario.steps.end(), [&options](const Step& st) {
                  return st.action == Action::Accept && st.endpoint == options.kernelSide;
              })) {
        const bool client = options.kernelSide == Side::Client;
        const TraceEndpointInfo& k = client ? trace.meta.client : trace.meta.server;
        const TraceEndpointInfo& p = client ? trace.meta.server : trace.meta.client;
        m_local = k.address;
        m_remote = p.address;
        m_simIss = k.isn;
    }

    /// Script mode: the application does only what the script says.
    KernelSide(const Scenario& scenario, const KernelScript& script, const RunOptions& options)
        : m_scenario(scenario)
        , m_options(options)
        , m_schedule(script.steps)
        , m_reads(false)
        , m_scripted(true)
        , m_local(script.local)
        , m_remote(script.remote)
        , m_simIss(script.kernelIsn) {}

    KernelRecord run() {
        if (m_local.ip.v6 || m_remote.ip.v6) {
            m_record.error = "IPv6 scenarios are not supported by the harness yet";
            return m_record;
        }
        if (auto e = enterFreshNetworkNamespace(); !e.empty()) {
            m_record.error = e;
            return m_record;
        }
        for (const SysctlSetting& s : sysctlsFor(m_scenario)) {
            if (auto e = writeSysctl(s.key, s.value); !e.empty()) {
                m_record.error = e;
                return m_record;
            }
        }
        m_tun = openTun(m_local.ip, m_remote.ip, m_record.error);
        if (m_tun < 0) {
            return m_record;
        }
        m_start = std::chrono::steady_clock::now();
        m_record.states.push_back({0, State::Closed});
        std::size_t next = 0;
        while (now() < m_options.observeUs && m_record.error.empty()) {
            while (next < m_schedule.size() && m_schedule[next].timeUs <= now()) {
                perform(m_schedule[next]);
                ++next;
                drainTun();
                sample();
            }
            const std::int64_t until = next < m_schedule.size()
                                           ? std::min(m_schedule[next].timeUs, m_options.observeUs)
                                           : m_options.observeUs;
            waitAndServe(std::clamp<std::int64_t>(until - now(), 0, 2'000));
            drainTun();
            sample();
        }
        if (m_scripted) {
            reportUnfinishedCalls(next);
        }
        return m_record;
    }

private:
    [[nodiscard]] std::int64_t now() const {
        return std::chrono::duration_cast<std::chrono::microseconds>(
                   std::chrono::steady_clock::now() - m_start)
            .count();
    }

    void note(const std::string& text) { m_record.notes.push_back(seconds(now()) + " " + text); }

    int newSocket() {
        const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        if (fd < 0) {
            m_record.error = std::string("socket(): ") + std::strerror(errno);
            return -1;
        }
        const int one = 1;
        ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        if (m_scenario.timers.userTimeoutUs) {
            const auto ms = static_cast<unsigned>(*m_scenario.timers.userTimeoutUs / 1000);
            ::setsockopt(fd, IPPROTO_TCP, TCP_USER_TIMEOUT, &ms, sizeof ms);
        }
        const sockaddr_in sin = toSockaddr(m_local);
        if (::bind(fd, reinterpret_cast<const sockaddr*>(&sin), sizeof sin) != 0) {
            m_record.error = "bind(" + m_local.toString() + "): " + std::strerror(errno);
            ::close(fd);
            return -1;
        }
        return fd;
    }

    void callFailed(const ScriptStep& a, const std::string& what) {
        if (m_scripted) {
            m_record.callFailures.push_back("line " + std::to_string(a.line) + ": " + a.text +
                                            ": " + what + " at " + seconds(now()));
        } else {
            note(what);
        }
    }

    /// The socket behind a script's fd (trace mode: the connection, else the listener).
    [[nodiscard]] int socketOf(const ScriptStep& a) const {
        if (a.fd < 0) {
            return m_conn >= 0 ? m_conn : m_listener;
        }
        const auto it = m_fds.find(a.fd);
        return it == m_fds.end() ? -1 : it->second;
    }

    void forget(int socket) {
        for (auto it = m_fds.begin(); it != m_fds.end();) {
            it = it->second == socket ? m_fds.erase(it) : std::next(it);
        }
        if (socket == m_conn) {
            m_conn = -1;
            m_connecting = false;
        }
        if (socket == m_listener) {
            m_listener = -1;
        }
    }

    void closeSocket(const ScriptStep& a, bool abort) {
        const int fd = socketOf(a);
        if (fd < 0) {
            callFailed(a, std::string(abort ? "abort" : "close") + ": no socket");
            return;
        }
        if (abort || m_lingerZero.count(fd) != 0) {
            const linger l{1, 0}; // SO_LINGER {on, 0 s}: close() sends RST
            ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof l);
        }
        m_lingerZero.erase(fd);
        ::close(fd);
        forget(fd);
    }

    void perform(const ScriptStep& a) {
        switch (a.kind) {
        case ScriptStep::Kind::Inject:
            inject(a.segment);
            break;
        case ScriptStep::Kind::Listen:
            if (m_listener >= 0) {
                // A program's listener outlives the connections it accepted; the
                // simulated endpoint, one connection, listens again. The next
                // connection is the one watched now; listen() again on the
                // listening socket only changes its backlog.
                m_connectionSeen = false;
                m_pastHalfOpen = false;
                m_accepted = false;
                if (::listen(m_listener, 16) != 0) {
                    callFailed(a, std::string("listen(): ") + std::strerror(errno));
                }
                break;
            }
            m_listener = newSocket();
            if (m_listener >= 0 && ::listen(m_listener, 16) != 0) {
                m_record.error = std::string("listen(): ") + std::strerror(errno);
            }
            if (a.fd >= 0) {
                m_fds[a.fd] = m_listener;
            }
            break;
        case ScriptStep::Kind::Connect: {
            m_conn = newSocket();
            m_errorTaken = false;
            if (m_conn < 0) {
                break;
            }
            if (a.fd >= 0) {
                m_fds[a.fd] = m_conn;
            }
            const sockaddr_in sin = toSockaddr(m_remote);
            if (::connect(m_conn, reinterpret_cast<const sockaddr*>(&sin), sizeof sin) != 0 &&
                errno != EINPROGRESS) {
                callFailed(a, std::string("connect(): ") + std::strerror(errno));
            } else {
                m_connecting = true;
            }
            m_connectionSeen = true;
            break;
        }
        case ScriptStep::Kind::Write: {
            const int fd = a.fd < 0 ? m_conn : socketOf(a);
            if (fd < 0) {
                callFailed(a, "send: no connection");
                break;
            }
            const std::vector<char> zeros(a.bytes, 0);
            const ssize_t n = ::send(fd, zeros.data(), zeros.size(), MSG_NOSIGNAL);
            if (n < 0) {
                kernelError(errno, ErrorCall::Send);
            }
            if (n != static_cast<ssize_t>(zeros.size())) {
                callFailed(a,
                           "send(" + std::to_string(a.bytes) + ") returned " + std::to_string(n) +
                               (n < 0 ? std::string(": ") + std::strerror(errno) : std::string()));
            }
            break;
        }
        case ScriptStep::Kind::Read:
            if (m_scripted) {
                m_pendingReads.push_back(a);
            } else {
                readNow(a.bytes);
            }
            break;
        case ScriptStep::Kind::Accept:
            if (m_scripted) {
                m_pendingAccepts.push_back(a);
            } else {
                m_acceptRequested = true; // a blocking accept(): served by the loop
            }
            break;
        case ScriptStep::Kind::CloseListener:
            if (m_listener < 0) {
                note("close(listener): no listener");
                break;
            }
            ::close(m_listener);
            forget(m_listener);
            break;
        case ScriptStep::Kind::ShutdownRead:
        case ScriptStep::Kind::ShutdownBoth: {
            const int fd = a.fd < 0 ? m_conn : socketOf(a);
            const int how = a.kind == ScriptStep::Kind::ShutdownRead ? SHUT_RD : SHUT_RDWR;
            if (fd < 0 || ::shutdown(fd, how) != 0) {
                callFailed(a, std::string("shutdown() failed: ") + std::strerror(errno));
            }
            if (how == SHUT_RD && !m_scripted) {
                m_readShut = true; // the application reads no more
            }
            break;
        }
        case ScriptStep::Kind::Close:
            closeSocket(a, false);
            break;
        case ScriptStep::Kind::Abort:
            closeSocket(a, true);
            break;
        case ScriptStep::Kind::LingerZero:
            if (const int fd = socketOf(a); fd >= 0) {
                m_lingerZero.insert(fd);
            } else {
                callFailed(a, "setsockopt: no socket");
            }
            break;
        case ScriptStep::Kind::Shutdown: {
            const int fd = a.fd < 0 ? m_conn : socketOf(a);
            if (fd < 0 || ::shutdown(fd, SHUT_WR) != 0) {
                callFailed(a, std::string("shutdown(SHUT_WR) failed: ") + std::strerror(errno));
            }
            break;
        }
        }
    }

    /// A read still waiting for its bytes, an accept still waiting for its
    /// connection, or a step never reached when the window closed: the script
    /// was not played as written.
    void reportUnfinishedCalls(std::size_t next) {
        for (const ScriptStep& r : m_pendingReads) {
            callFailed(r, std::to_string(m_readSoFar) + " of " + std::to_string(r.bytes) +
                              " bytes had come");
            m_readSoFar = 0;
        }
        for (const ScriptStep& a : m_pendingAccepts) {
            callFailed(a, "no connection to accept");
        }
        for (std::size_t i = next; i < m_schedule.size(); ++i) {
            if (m_schedule[i].kind != ScriptStep::Kind::Inject) {
                callFailed(m_schedule[i], "not reached in the observed window");
            }
        }
    }

    /// Writes a segment of the simulated peer into the tun. The peer's own
    /// sequence numbers are the simulation's (the scripted peer uses the
    /// simulated ISN); acknowledgment numbers refer to the kernel side's
    /// sequence space and are moved from the simulated ISN to the real one.
    void inject(Segment seg) {
        if (seg.has(flag::ACK) && m_realIss) {
            seg.ack = seg.ack - m_simIss + *m_realIss;
        }
        seg.window = std::min<std::uint32_t>(seg.window, 65535); // no window scaling
        FrameSpec spec;
        spec.src = m_remote;
        spec.dst = m_local;
        spec.tcp = seg;
        spec.ipId = ++m_ipId;
        buildTcpFrame(spec, m_frame);
        constexpr std::size_t kEthernetHeader = 14; // a tun without PI takes bare IP
        const std::size_t n = m_frame.size() - kEthernetHeader;
        if (::write(m_tun, m_frame.data() + kEthernetHeader, n) != static_cast<ssize_t>(n)) {
            m_record.error = std::string("write(tun): ") + std::strerror(errno);
        }
    }

    void drainTun() {
        std::array<std::uint8_t, 65536> buf{};
        for (;;) {
            const ssize_t n = ::read(m_tun, buf.data(), buf.size());
            if (n <= 0) {
                return;
            }
            DecodedPacket p;
            std::string error;
            const auto len = static_cast<std::uint32_t>(n);
            if (decodeFrame(linktype::Raw, buf.data(), len, len, p, error) != DecodeStatus::Tcp) {
                continue; // not TCP (nothing else is expected with IPv6 off)
            }
            if (p.src != m_local || p.dst != m_remote) {
                note("ignored a segment " + p.src.toString() + " > " + p.dst.toString());
                continue;
            }
            if (p.tcp.has(flag::SYN) && !m_realIss) {
                m_realIss = p.tcp.seq;
            }
            m_record.sent.push_back({now(), p.tcp});
            sample();
        }
    }

    void waitAndServe(std::int64_t timeoutUs) {
        // An fd the loop is not interested in is left out altogether: poll()
        // would report POLLHUP on it for ever and spin.
        std::array<pollfd, 3> fds{};
        fds[0] = {m_tun, POLLIN, 0};
        fds[1] = {-1, 0, 0};
        fds[2] = {-1, 0, 0};
        const bool wantsData =
            m_scripted ? !m_pendingReads.empty() : m_reads && !m_eof && !m_readShut;
        if (m_conn >= 0 && m_connecting) {
            fds[1] = {m_conn, POLLOUT, 0};
        } else if (m_conn >= 0 && wantsData) {
            fds[1] = {m_conn, POLLIN, 0};
        }
        const bool wantsConnection = m_scripted      ? !m_pendingAccepts.empty()
                                     : m_deferAccept ? m_acceptRequested
                                                     : m_conn < 0 && !m_accepted;
        if (m_listener >= 0 && wantsConnection) {
            fds[2] = {m_listener, POLLIN, 0};
        }
        const timespec ts{0, static_cast<long>(timeoutUs * 1000)};
        if (::ppoll(fds.data(), fds.size(), &ts, nullptr) <= 0) {
            return;
        }
        if (fds[1].revents != 0 && m_connecting) {
            int err = 0;
            socklen_t len = sizeof err;
            ::getsockopt(m_conn, SOL_SOCKET, SO_ERROR, &err, &len);
            note(std::string("connect(): ") + (err == 0 ? "connected" : std::strerror(err)));
            m_connecting = false;
            m_eof = err != 0;
            if (err != 0) {
                kernelError(err, ErrorCall::Connect);
            }
        } else if (fds[1].revents != 0) {
            m_scripted ? readScripted() : readAll();
        }
        if (fds[2].revents != 0) {
            const int fd = ::accept4(m_listener, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
            if (fd >= 0) {
                m_conn = fd;
                m_accepted = true;
                m_acceptRequested = false;
                m_errorTaken = false;
                m_connectionSeen = true;
                if (m_deferAccept && m_reads) {
                    readAll(); // what waited in the buffer is read at accept()
                }
                if (m_scripted) {
                    m_fds[m_pendingAccepts.front().result] = fd;
                    m_pendingAccepts.erase(m_pendingAccepts.begin());
                }
            }
        }
    }

    /// The application reads whatever arrives (unless the scenario says `reads: false`).
    void readAll() {
        std::array<char, 65536> buf{};
        for (;;) {
            const ssize_t n = ::read(m_conn, buf.data(), buf.size());
            if (n > 0) {
                continue;
            }
            if (n == 0) {
                note("read(): end of file");
                m_eof = true;
            } else if (errno != EAGAIN && errno != EINTR) {
                note(std::string("read(): ") + std::strerror(errno));
                kernelError(errno, ErrorCall::Recv);
                m_eof = true;
            }
            return;
        }
    }

    /// Trace mode, a `recv` step: what is there now, at most `bytes` (0: all).
    void readNow(std::uint32_t bytes) {
        if (m_conn < 0) {
            note("recv: no connection");
            return;
        }
        std::array<char, 65536> buf{};
        std::uint32_t got = 0;
        while (bytes == 0 || got < bytes) {
            const std::size_t want =
                bytes == 0 ? buf.size() : std::min<std::size_t>(bytes - got, buf.size());
            const ssize_t n = ::recv(m_conn, buf.data(), want, MSG_DONTWAIT);
            if (n > 0) {
                got += static_cast<std::uint32_t>(n);
                continue;
            }
            if (n < 0 && errno != EAGAIN && errno != EINTR) {
                kernelError(errno, ErrorCall::Recv);
            }
            break;
        }
        note("recv(): " + std::to_string(got) + " bytes");
    }

    /// Records an errno a program sees, once per connection for the read side.
    void kernelError(int err, ErrorCall call) {
        SocketError e = SocketError::ConnectionReset;
        switch (err) {
        case ECONNREFUSED:
            e = SocketError::ConnectionRefused;
            break;
        case ECONNRESET:
            e = SocketError::ConnectionReset;
            break;
        case ETIMEDOUT:
            e = SocketError::TimedOut;
            break;
        case EPIPE:
            e = SocketError::BrokenPipe;
            break;
        default:
            note(std::string("unexpected errno: ") + std::strerror(err));
            return;
        }
        m_record.errors.push_back({now(), e, call});
    }

    /// Trace mode: the connection the application holds is gone (CLOSED); the
    /// error its next read would return is the pending SO_ERROR.
    void pendingError() {
        if (m_scripted || m_conn < 0 || m_connecting || m_errorTaken) {
            return;
        }
        tcp_info info{};
        socklen_t len = sizeof info;
        if (::getsockopt(m_conn, IPPROTO_TCP, TCP_INFO, &info, &len) != 0 ||
            stateFromLinux(info.tcpi_state).value_or(State::Closed) != State::Closed) {
            return;
        }
        m_errorTaken = true;
        int err = 0;
        socklen_t elen = sizeof err;
        ::getsockopt(m_conn, SOL_SOCKET, SO_ERROR, &err, &elen);
        if (err != 0) {
            kernelError(err, ErrorCall::Recv);
        }
    }

    /// Script mode: the pending reads take exactly their bytes, in order, as
    /// packetdrill's blocking read() would.
    void readScripted() {
        std::array<char, 65536> buf{};
        while (!m_pendingReads.empty()) {
            const ScriptStep& r = m_pendingReads.front();
            const std::size_t want = std::min<std::size_t>(r.bytes - m_readSoFar, buf.size());
            const int fd = socketOf(r);
            const ssize_t n = fd < 0 ? -1 : ::read(fd, buf.data(), want);
            if (n > 0) {
                m_readSoFar += static_cast<std::uint32_t>(n);
                if (m_readSoFar == r.bytes) {
                    m_pendingReads.erase(m_pendingReads.begin());
                    m_readSoFar = 0;
                }
                continue;
            }
            if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
                callFailed(r, n == 0 ? "end of file after " + std::to_string(m_readSoFar) + " bytes"
                                     : std::string("read(): ") + std::strerror(errno));
                m_pendingReads.erase(m_pendingReads.begin());
                m_readSoFar = 0;
                continue;
            }
            return;
        }
    }

    [[nodiscard]] State currentState() {
        if (m_conn >= 0) {
            tcp_info info{};
            socklen_t len = sizeof info;
            if (::getsockopt(m_conn, IPPROTO_TCP, TCP_INFO, &info, &len) == 0) {
                return stateFromLinux(info.tcpi_state).value_or(State::Closed);
            }
        }
        std::string error;
        const std::optional<State> s = diagState(m_local, m_remote, error);
        if (!error.empty()) {
            m_record.error = error;
        }
        if (s) {
            m_connectionSeen = true;
            m_pastHalfOpen = m_pastHalfOpen || *s != State::SynReceived;
            return *s;
        }
        // The connection does not exist yet, or it was only ever a request socket
        // (SYN-RECEIVED) that the kernel dropped (a RST, its SYN,ACKs unanswered):
        // the listener stands for it, as RFC 9293 returns a passive connection to
        // LISTEN.
        if ((!m_connectionSeen || !m_pastHalfOpen) && m_listener >= 0 && !m_accepted) {
            return State::Listen;
        }
        return State::Closed;
    }

    void sample() {
        pendingError();
        const State s = currentState();
        if (s != m_record.states.back().state) {
            m_record.states.push_back({now(), s});
        }
    }

    const Scenario& m_scenario;
    RunOptions m_options;
    std::vector<ScriptStep> m_schedule;
    bool m_reads = true;
    bool m_deferAccept = false;     ///< trace mode: the scenario has `accept` steps
    bool m_acceptRequested = false; ///< trace mode: an accept() is waiting
    bool m_readShut = false;        ///< trace mode: shutdown(SHUT_RD) was called
    bool m_errorTaken = false;      ///< the gone connection's SO_ERROR was read
    bool m_scripted = false;
    std::map<int, int> m_fds; ///< script mode: the script's fd -> this process's socket
    std::set<int> m_lingerZero;
    std::vector<ScriptStep> m_pendingReads;
    std::uint32_t m_readSoFar = 0;
    std::vector<ScriptStep> m_pendingAccepts;
    SocketAddress m_local;
    SocketAddress m_remote;
    std::uint32_t m_simIss = 0;
    std::optional<std::uint32_t> m_realIss;
    int m_tun = -1;
    int m_listener = -1;
    bool m_pastHalfOpen = false; ///< the connection was seen beyond SYN-RECEIVED
    int m_conn = -1;
    bool m_connecting = false;
    bool m_accepted = false;
    bool m_eof = false;
    bool m_connectionSeen = false;
    std::uint16_t m_ipId = 0;
    std::vector<std::uint8_t> m_frame;
    std::chrono::steady_clock::time_point m_start;
    KernelRecord m_record;
};

// The child hands its record to the parent as text lines over a pipe.
std::string serialize(const KernelRecord& r) {
    std::ostringstream out;
    for (const TimedSegment& s : r.sent) {
        out << "seg " << s.timeUs << ' ' << int{s.segment.flags} << ' ' << s.segment.seq << ' '
            << s.segment.ack << ' ' << s.segment.len << ' ' << s.segment.window << '\n';
    }
    for (const TimedState& s : r.states) {
        out << "state " << s.timeUs << ' ' << static_cast<int>(s.state) << '\n';
    }
    for (const std::string& n : r.notes) {
        out << "note " << n << '\n';
    }
    for (const std::string& f : r.callFailures) {
        out << "fail " << f << '\n';
    }
    for (const KernelError& e : r.errors) {
        out << "errno " << e.timeUs << ' ' << static_cast<int>(e.error) << ' '
            << static_cast<int>(e.call) << '\n';
    }
    if (!r.error.empty()) {
        out << "error " << r.error << '\n';
    }
    return out.str();
}

KernelRecord deserialize(const std::string& text) {
    KernelRecord r;
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) {
        std::istringstream l(line);
        std::string kind;
        l >> kind;
        if (kind == "seg") {
            TimedSegment s;
            int flags = 0;
            l >> s.timeUs >> flags >> s.segment.seq >> s.segment.ack >> s.segment.len >>
                s.segment.window;
            s.segment.flags = static_cast<std::uint8_t>(flags);
            r.sent.push_back(s);
        } else if (kind == "state") {
            TimedState s;
            int state = 0;
            l >> s.timeUs >> state;
            s.state = static_cast<State>(state);
            r.states.push_back(s);
        } else if (kind == "errno") {
            KernelError e;
            int error = 0;
            int call = 0;
            l >> e.timeUs >> error >> call;
            e.error = static_cast<SocketError>(error);
            e.call = static_cast<ErrorCall>(call);
            r.errors.push_back(e);
        } else if (kind == "fail") {
            std::getline(l >> std::ws, r.callFailures.emplace_back());
        } else if (kind == "note" || kind == "error") {
            std::string rest;
            std::getline(l >> std::ws, rest);
            (kind == "note" ? r.notes.emplace_back() : r.error) = rest;
        }
    }
    return r;
}

} // namespace

std::vector<SysctlSetting> sysctlsFor(const Scenario& scenario) {
    const TimerSpec& t = scenario.timers;
    return {
        // Options the simulator does not model: without them the kernel's
        // segments carry only what the simulated ones carry (MSS in SYNs).
        {"net.ipv4.tcp_timestamps", "0"},
        {"net.ipv4.tcp_sack", "0"},
        {"net.ipv4.tcp_window_scaling", "0"},
        {"net.ipv4.tcp_ecn", "0"},
        // The scenario's timers where Linux has a knob for them.
        {"net.ipv4.tcp_syn_retries", std::to_string(t.synRetries)},
        {"net.ipv4.tcp_synack_retries", std::to_string(t.synackRetries)},
        {"net.ipv4.tcp_retries2", std::to_string(t.dataRetries)},
        {"net.ipv4.tcp_fin_timeout",
         std::to_string(std::max<std::int64_t>(1, t.finTimeoutUs / 1'000'000))},
        // No IPv6 on the tun: no router solicitations or MLD reports in the way.
        {"net.ipv6.conf.all.disable_ipv6", "1"},
        {"net.ipv6.conf.default.disable_ipv6", "1"},
    };
}

namespace {

/// Forks; the child plays `side` and hands its record back through a pipe.
template <typename MakeSide> KernelRecord runInChild(const RunOptions& options, MakeSide makeSide) {
    std::array<int, 2> pipeFds{};
    if (::pipe2(pipeFds.data(), O_CLOEXEC) != 0) {
        return failed(std::string("pipe2: ") + std::strerror(errno));
    }
    std::fflush(nullptr);
    const pid_t child = ::fork();
    if (child < 0) {
        ::close(pipeFds[0]);
        ::close(pipeFds[1]);
        return failed(std::string("fork: ") + std::strerror(errno));
    }
    if (child == 0) {
        ::close(pipeFds[0]);
        KernelSide side = makeSide();
        const std::string text = serialize(side.run());
        std::size_t done = 0;
        while (done < text.size()) {
            const ssize_t n = ::write(pipeFds[1], text.data() + done, text.size() - done);
            if (n <= 0) {
                break;
            }
            done += static_cast<std::size_t>(n);
        }
        ::_exit(0); // no destructors or atexit handlers of the test process
    }
    ::close(pipeFds[1]);
    // The child is killed and reaped whatever happens here.
    struct Reaper {
        pid_t pid;
        int fd;
        ~Reaper() {
            ::close(fd);
            ::kill(pid, SIGKILL);
            int status = 0;
            while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
            }
        }
    } reaper{child, pipeFds[0]};
    const auto deadline = std::chrono::steady_clock::now() +
                          std::chrono::microseconds(options.observeUs) + std::chrono::seconds(20);
    std::string text;
    std::array<char, 4096> buf{};
    for (;;) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                              deadline - std::chrono::steady_clock::now())
                              .count();
        if (left <= 0) {
            return failed("the kernel side did not finish in time");
        }
        pollfd p{pipeFds[0], POLLIN, 0};
        if (::poll(&p, 1, static_cast<int>(left)) <= 0) {
            continue;
        }
        const ssize_t n = ::read(pipeFds[0], buf.data(), buf.size());
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            break;
        }
        text.append(buf.data(), static_cast<std::size_t>(n));
    }
    KernelRecord record = deserialize(text);
    if (record.states.empty() && record.error.empty()) {
        record.error = "the kernel side ended without a record";
    }
    return record;
}

} // namespace

KernelRecord runKernelSide(const Scenario& scenario, const Trace& trace,
                           const RunOptions& options) {
    return runInChild(options, [&] { return KernelSide(scenario, trace, options); });
}

KernelRecord runKernelScript(const Scenario& scenario, const KernelScript& script,
                             const RunOptions& options) {
    return runInChild(options, [&] { return KernelSide(scenario, script, options); });
}

} // namespace tcpviz::conformance
