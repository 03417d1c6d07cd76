#include "kernel_sandbox.h"

#include "base/unique_fd.h"

#include <arpa/inet.h>
#include <array>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <sched.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <unistd.h>

namespace tcpviz::conformance {

namespace {

std::string errnoText(const std::string& what) {
    return what + ": " + std::strerror(errno);
}

sockaddr_in toSockaddr(const IpAddress& ip) {
    sockaddr_in sin{};
    sin.sin_family = AF_INET;
    std::memcpy(&sin.sin_addr, ip.bytes.data(), 4);
    return sin;
}

std::string setInterfaceUp(int ctl, const char* name) {
    ifreq ifr{};
    std::strncpy(ifr.ifr_name, name, IFNAMSIZ - 1);
    if (::ioctl(ctl, SIOCGIFFLAGS, &ifr) < 0) {
        return errnoText(std::string("SIOCGIFFLAGS ") + name);
    }
    ifr.ifr_flags = static_cast<short>(ifr.ifr_flags | IFF_UP | IFF_RUNNING);
    if (::ioctl(ctl, SIOCSIFFLAGS, &ifr) < 0) {
        return errnoText(std::string("SIOCSIFFLAGS ") + name);
    }
    return {};
}

} // namespace

std::string enterFreshNetworkNamespace() {
    // If the test process dies (Ctrl-C, a ctest timeout's SIGKILL), so does this
    // child, and with it the namespace: nothing is left behind.
    if (::prctl(PR_SET_PDEATHSIG, SIGKILL) != 0) {
        return errnoText("prctl(PR_SET_PDEATHSIG)");
    }
    if (::getppid() == 1) {
        return "parent already gone";
    }
    if (::unshare(CLONE_NEWNET) != 0) {
        return errnoText("unshare(CLONE_NEWNET)");
    }
    return {};
}

std::string writeSysctl(const std::string& key, const std::string& value) {
    std::string path = "/proc/sys/" + key;
    for (std::size_t i = std::string("/proc/sys/").size(); i < path.size(); ++i) {
        if (path[i] == '.') {
            path[i] = '/';
        }
    }
    std::ofstream out(path);
    out << value << '\n';
    out.flush();
    if (!out) {
        return "cannot write " + path;
    }
    return {};
}

int openTun(const IpAddress& local, const IpAddress& peer, std::string& error) {
    const int fd = ::open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        error = errnoText("open /dev/net/tun");
        return -1;
    }
    ifreq ifr{};
    ifr.ifr_flags = IFF_TUN | IFF_NO_PI;
    std::strncpy(ifr.ifr_name, "tcpviz0", IFNAMSIZ - 1);
    if (::ioctl(fd, TUNSETIFF, &ifr) < 0) {
        error = errnoText("TUNSETIFF");
        ::close(fd);
        return -1;
    }
    const UniqueFd ctl(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
    if (ctl.get() < 0) {
        error = errnoText("socket(AF_INET, SOCK_DGRAM)");
        ::close(fd);
        return -1;
    }
    auto fail = [&](std::string text) {
        error = std::move(text);
        ::close(fd);
        return -1;
    };
    if (auto e = setInterfaceUp(ctl.get(), "lo"); !e.empty()) {
        return fail(e);
    }
    ifreq addr{};
    std::strncpy(addr.ifr_name, "tcpviz0", IFNAMSIZ - 1);
    sockaddr_in sin = toSockaddr(local);
    std::memcpy(&addr.ifr_addr, &sin, sizeof sin);
    if (::ioctl(ctl.get(), SIOCSIFADDR, &addr) < 0) {
        return fail(errnoText("SIOCSIFADDR"));
    }
    sin = toSockaddr(peer);
    std::memcpy(&addr.ifr_dstaddr, &sin, sizeof sin);
    if (::ioctl(ctl.get(), SIOCSIFDSTADDR, &addr) < 0) {
        return fail(errnoText("SIOCSIFDSTADDR"));
    }
    if (auto e = setInterfaceUp(ctl.get(), "tcpviz0"); !e.empty()) {
        return fail(e);
    }
    return fd;
}

std::optional<State> stateFromLinux(int linuxState) {
    switch (linuxState) {
    case 1:
        return State::Established;
    case 2:
        return State::SynSent;
    case 3:
        return State::SynReceived;
    case 4:
        return State::FinWait1;
    case 5:
        return State::FinWait2;
    case 6:
        return State::TimeWait;
    case 7:
        return State::Closed;
    case 8:
        return State::CloseWait;
    case 9:
        return State::LastAck;
    case 10:
        return State::Listen;
    case 11:
        return State::Closing;
    case 12:
        return State::SynReceived; // TCP_NEW_SYN_RECV: a request socket
    default:
        return std::nullopt;
    }
}

std::optional<State> diagState(const SocketAddress& local, const SocketAddress& remote,
                               std::string& error) {
    const UniqueFd nl(::socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG));
    if (nl.get() < 0) {
        error = errnoText("socket(NETLINK_SOCK_DIAG)");
        return std::nullopt;
    }
    struct {
        nlmsghdr nlh;
        inet_diag_req_v2 req;
    } request{};
    request.nlh.nlmsg_len = sizeof request;
    request.nlh.nlmsg_type = SOCK_DIAG_BY_FAMILY;
    request.nlh.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
    request.req.sdiag_family = AF_INET;
    request.req.sdiag_protocol = IPPROTO_TCP;
    request.req.idiag_states = ~0U; // every state, TIME-WAIT and request sockets included
    if (::send(nl.get(), &request, sizeof request, 0) < 0) {
        error = errnoText("send(sock_diag)");
        return std::nullopt;
    }
    std::uint32_t localIp = 0;
    std::uint32_t remoteIp = 0;
    std::memcpy(&localIp, local.ip.bytes.data(), 4);
    std::memcpy(&remoteIp, remote.ip.bytes.data(), 4);
    std::optional<State> found;
    alignas(nlmsghdr) std::array<char, 16384> buf{};
    for (;;) {
        const ssize_t n = ::recv(nl.get(), buf.data(), buf.size(), 0);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            error = errnoText("recv(sock_diag)");
            return std::nullopt;
        }
        // NLMSG_NEXT spelled out: the macro's C cast trips -Wold-style-cast.
        for (std::size_t off = 0; off + sizeof(nlmsghdr) <= static_cast<std::size_t>(n);) {
            const auto* h = reinterpret_cast<const nlmsghdr*>(buf.data() + off);
            if (h->nlmsg_len < sizeof(nlmsghdr) ||
                off + h->nlmsg_len > static_cast<std::size_t>(n)) {
                break;
            }
            off += NLMSG_ALIGN(h->nlmsg_len);
            if (h->nlmsg_type == NLMSG_DONE) {
                return found;
            }
            if (h->nlmsg_type == NLMSG_ERROR) {
                error = "sock_diag answered with an error";
                return std::nullopt;
            }
            const auto* m = reinterpret_cast<const inet_diag_msg*>(h + 1);
            if (m->id.idiag_sport == htons(local.port) && m->id.idiag_dport == htons(remote.port) &&
                m->id.idiag_src[0] == localIp && m->id.idiag_dst[0] == remoteIp) {
                found = stateFromLinux(m->idiag_state);
            }
        }
    }
}

} // namespace tcpviz::conformance
