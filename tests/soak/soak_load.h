#pragma once
// What the live-capture soaks share: a loopback request/response server and
// client (127.0.0.1 only), the resident set size, and the trend of samples.
#include <algorithm>
#include <arpa/inet.h>
#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <netinet/in.h>
#include <string>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>
#include <vector>

namespace tcpviz::soak {

inline long envOr(const char* name, long fallback) {
    const char* v = std::getenv(name);
    if (v == nullptr || *v == '\0') {
        return fallback;
    }
    const long n = std::strtol(v, nullptr, 10);
    return n > 0 ? n : fallback;
}

/// Resident set size in KiB, from /proc/self/status.
inline long rssKiB() {
    std::ifstream in("/proc/self/status");
    std::string key;
    while (in >> key) {
        if (key == "VmRSS:") {
            long kib = 0;
            in >> kib;
            return kib;
        }
        std::getline(in, key);
    }
    return -1;
}

/// A listener on 127.0.0.1 whose thread accepts, reads the request, answers and
/// closes first (so TIME-WAIT stays on the server side, as on a busy web server).
class Server {
public:
    Server() {
        m_fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        const int one = 1;
        ::setsockopt(m_fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        ::bind(m_fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
        ::listen(m_fd, 512);
        socklen_t len = sizeof a;
        ::getsockname(m_fd, reinterpret_cast<sockaddr*>(&a), &len);
        m_port = ntohs(a.sin_port);
        m_thread = std::thread([this] { serve(); });
    }
    ~Server() {
        m_stop = true;
        ::shutdown(m_fd, SHUT_RDWR);
        m_thread.join();
        ::close(m_fd);
    }
    Server(const Server&) = delete;
    Server& operator=(const Server&) = delete;
    [[nodiscard]] std::uint16_t port() const { return m_port; }

private:
    void serve() {
        while (!m_stop) {
            const int c = ::accept4(m_fd, nullptr, nullptr, SOCK_CLOEXEC);
            if (c < 0) {
                continue;
            }
            char buf[256];
            if (::recv(c, buf, sizeof buf, 0) > 0) {
                (void)::send(c, "HTTP/1.0 200 OK\r\n\r\nok", 21, MSG_NOSIGNAL);
            }
            ::close(c);
        }
    }
    int m_fd = -1;
    std::uint16_t m_port = 0;
    std::atomic<bool> m_stop{false};
    std::thread m_thread;
};

/// One request/response connection; false when the kernel refused it.
inline bool oneConnection(std::uint16_t port) {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        return false;
    }
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = htons(port);
    bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0 &&
              ::send(fd, "GET / HTTP/1.0\r\n\r\n", 18, MSG_NOSIGNAL) == 18;
    char buf[64];
    while (ok && ::recv(fd, buf, sizeof buf, 0) > 0) {
    }
    ::close(fd);
    return ok;
}

struct Sample {
    double atS = 0;
    long rssKiB = 0;
    std::uint64_t connections = 0;
};

/// Least-squares slope of RSS over time, in KiB per second.
inline double slopeKiBPerS(const std::vector<Sample>& samples) {
    double sx = 0;
    double sy = 0;
    double sxx = 0;
    double sxy = 0;
    for (const auto& s : samples) {
        sx += s.atS;
        sy += static_cast<double>(s.rssKiB);
        sxx += s.atS * s.atS;
        sxy += s.atS * static_cast<double>(s.rssKiB);
    }
    const double n = static_cast<double>(samples.size());
    const double d = n * sxx - sx * sx;
    return d != 0 ? (n * sxy - sx * sy) / d : 0;
}

} // namespace tcpviz::soak
