// This machine's TCP sockets through NETLINK_SOCK_DIAG, the interface `ss` uses:
// one SOCK_DIAG_BY_FAMILY dump per address family, every state requested.
#include "host/host_sockets.h"

#include "base/unique_fd.h"

#include <arpa/inet.h>
#include <cerrno>
#include <cstring>
#include <dirent.h>
#include <fstream>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <set>
#include <sys/socket.h>
#include <unistd.h>

namespace tcpviz {

namespace {

constexpr int kNewSynRecv = 12; // TCP_NEW_SYN_RECV

SocketAddress addressOf(std::uint8_t family, const __be32* words, __be16 port) {
    SocketAddress a;
    a.ip.v6 = family == AF_INET6;
    std::memcpy(a.ip.bytes.data(), words, a.ip.v6 ? 16 : 4);
    a.port = ntohs(port);
    return a;
}

std::string timerName(std::uint8_t timer) {
    switch (timer) {
    case 1:
        return "on"; // retransmission (or SYN,ACK) timer
    case 2:
        return "keepalive";
    case 3:
        return "timewait";
    case 4:
        return "persist";
    default:
        return {};
    }
}

Status dumpFamily(int fd, std::uint8_t family, std::vector<HostSocket>& out) {
    struct Request {
        nlmsghdr header;
        inet_diag_req_v2 req;
    } request{};
    request.header.nlmsg_len = sizeof request;
    request.header.nlmsg_type = SOCK_DIAG_BY_FAMILY;
    request.header.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
    request.req.sdiag_family = family;
    request.req.sdiag_protocol = IPPROTO_TCP;
    request.req.idiag_states = ~0U; // every state, TCP_NEW_SYN_RECV's request sockets too
    sockaddr_nl kernel{};
    kernel.nl_family = AF_NETLINK;
    if (::sendto(fd, &request, sizeof request, 0, reinterpret_cast<sockaddr*>(&kernel),
                 sizeof kernel) < 0) {
        return fail({}, std::string("sock_diag request failed: ") + std::strerror(errno));
    }
    std::vector<char> buffer(1 << 16);
    while (true) {
        const ssize_t n = ::recv(fd, buffer.data(), buffer.size(), 0);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            return fail({}, std::string("sock_diag read failed: ") + std::strerror(errno));
        }
        // Walked by hand: the NLMSG_* macros are C casts.
        const auto size = static_cast<std::size_t>(n);
        std::size_t at = 0;
        while (at + sizeof(nlmsghdr) <= size) {
            nlmsghdr h{};
            std::memcpy(&h, buffer.data() + at, sizeof h);
            if (h.nlmsg_len < sizeof(nlmsghdr) || at + h.nlmsg_len > size) {
                break;
            }
            const char* payload = buffer.data() + at + NLMSG_ALIGN(sizeof(nlmsghdr));
            at += NLMSG_ALIGN(h.nlmsg_len);
            if (h.nlmsg_type == NLMSG_DONE) {
                return {};
            }
            if (h.nlmsg_type == NLMSG_ERROR) {
                nlmsgerr e{};
                std::memcpy(&e, payload, sizeof e);
                return fail({}, std::string("sock_diag: ") + std::strerror(-e.error));
            }
            if (h.nlmsg_len < NLMSG_ALIGN(sizeof(nlmsghdr)) + sizeof(inet_diag_msg)) {
                continue;
            }
            inet_diag_msg m{};
            std::memcpy(&m, payload, sizeof m);
            HostSocket s;
            s.local = addressOf(m.idiag_family, m.id.idiag_src, m.id.idiag_sport);
            s.remote = addressOf(m.idiag_family, m.id.idiag_dst, m.id.idiag_dport);
            s.state = stateOfKernelTcpState(m.idiag_state);
            s.requestSocket = m.idiag_state == kNewSynRecv;
            s.timer = timerName(m.idiag_timer);
            s.timerMs = m.idiag_expires;
            s.retransmits = m.idiag_retrans;
            s.receiveQueue = m.idiag_rqueue;
            s.sendQueue = m.idiag_wqueue;
            s.uid = m.idiag_uid;
            s.inode = m.idiag_inode;
            out.push_back(std::move(s));
        }
    }
}

/// socket inode -> the processes holding it, from /proc/PID/fd/* -> "socket:[INODE]".
std::map<std::uint64_t, std::vector<SocketOwner>> socketOwners(bool& complete) {
    std::map<std::uint64_t, std::vector<SocketOwner>> owners;
    complete = true;
    DIR* proc = ::opendir("/proc");
    if (proc == nullptr) {
        complete = false;
        return owners;
    }
    while (const dirent* e = ::readdir(proc)) {
        char* end = nullptr;
        const long pid = std::strtol(e->d_name, &end, 10);
        if (end == e->d_name || *end != '\0') {
            continue;
        }
        const std::string base = std::string("/proc/") + e->d_name;
        DIR* fds = ::opendir((base + "/fd").c_str());
        if (fds == nullptr) {
            complete = false; // another user's process, without root
            continue;
        }
        std::string command;
        std::ifstream(base + "/comm") >> command;
        while (const dirent* f = ::readdir(fds)) {
            char target[64] = {};
            const std::string link = base + "/fd/" + f->d_name;
            const ssize_t n = ::readlink(link.c_str(), target, sizeof target - 1);
            if (n < 0 && errno == EACCES) {
                complete = false; // a process we may list but not look into
            }
            if (n <= 0 || std::strncmp(target, "socket:[", 8) != 0) {
                continue;
            }
            const std::uint64_t inode = std::strtoull(target + 8, nullptr, 10);
            auto& list = owners[inode];
            if (list.empty() || list.back().pid != static_cast<int>(pid)) {
                list.push_back({static_cast<int>(pid), command});
            }
        }
        ::closedir(fds);
    }
    ::closedir(proc);
    return owners;
}

} // namespace

State stateOfKernelTcpState(int kernelState) {
    switch (kernelState) {
    case 1:
        return State::Established;
    case 2:
        return State::SynSent;
    case 3:
    case kNewSynRecv:
        return State::SynReceived;
    case 4:
        return State::FinWait1;
    case 5:
        return State::FinWait2;
    case 6:
        return State::TimeWait;
    case 8:
        return State::CloseWait;
    case 9:
        return State::LastAck;
    case 10:
        return State::Listen;
    case 11:
        return State::Closing;
    default:
        return State::Closed; // 7 TCP_CLOSE, and anything newer than this table
    }
}

Result<HostSnapshot> readHostSockets(bool withOwners) {
    HostSnapshot out;
    const UniqueFd fd(::socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_SOCK_DIAG));
    if (fd.fd < 0) {
        return fail({},
                    std::string("cannot open a sock_diag netlink socket: ") + std::strerror(errno));
    }
    for (const std::uint8_t family : {std::uint8_t{AF_INET}, std::uint8_t{AF_INET6}}) {
        if (Status dumped = dumpFamily(fd.fd, family, out.sockets); !dumped) {
            return fail(std::move(dumped.error()));
        }
    }
    if (withOwners) {
        bool complete = true;
        const auto owners = socketOwners(complete);
        out.allOwnersKnown = complete;
        for (auto& s : out.sockets) {
            if (const auto it = owners.find(s.inode); s.inode != 0 && it != owners.end()) {
                s.owners = it->second;
            }
        }
    }
    for (const auto& s : out.sockets) {
        ++out.counts.at(static_cast<std::size_t>(s.state));
    }
    return out;
}

std::vector<Side> hostSides(const HostSnapshot& snapshot) {
    std::set<std::uint16_t> listening;
    for (const HostSocket& s : snapshot.sockets) {
        if (s.state == State::Listen) {
            listening.insert(s.local.port);
        }
    }
    std::vector<Side> sides;
    sides.reserve(snapshot.sockets.size());
    for (const HostSocket& s : snapshot.sockets) {
        sides.push_back(listening.count(s.local.port) != 0 ? Side::Server : Side::Client);
    }
    return sides;
}

} // namespace tcpviz
