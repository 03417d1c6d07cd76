// packetdrill's notation: "<time> <|> FLAGS start:end(len) [ack N] [win W]", the
// flags as one letter each (F S R P) and "." for ACK, socket calls written as C.
#include "replay/packetdrill.h"

#include <array>
#include <cstdio>
#include <optional>
#include <sstream>

namespace tcpviz {

namespace {

std::string flagLetters(std::uint8_t flags) {
    std::string out;
    if ((flags & flag::FIN) != 0) {
        out += 'F';
    }
    if ((flags & flag::SYN) != 0) {
        out += 'S';
    }
    if ((flags & flag::RST) != 0) {
        out += 'R';
    }
    if ((flags & flag::PSH) != 0) {
        out += 'P';
    }
    if ((flags & flag::ACK) != 0) {
        out += '.';
    }
    return out;
}

bool acceptsData(State s) {
    return s == State::SynReceived || s == State::Established || s == State::FinWait1 ||
           s == State::FinWait2;
}

std::string seconds(std::int64_t us) {
    std::array<char, 32> buf{};
    std::snprintf(buf.data(), buf.size(), "%.6f", static_cast<double>(us) / 1e6);
    return buf.data();
}

} // namespace

std::string packetdrillScript(const Trace& trace, Side kernel, bool readsData) {
    const Side remote = peer(kernel);
    // Each side's ISN: its first SYN (the simulator's configured ISS otherwise).
    std::array<std::optional<std::uint32_t>, 2> isn;
    for (const TraceEvent& e : trace.events()) {
        auto& mine = isn.at(static_cast<std::size_t>(e.endpoint));
        if (e.kind == EventKind::Send && e.segment.has(flag::SYN) && !mine) {
            mine = e.segment.seq;
        }
    }
    const auto base = [&](Side s) {
        return isn.at(static_cast<std::size_t>(s))
            .value_or(s == Side::Client ? trace.meta.client.isn : trace.meta.server.isn);
    };
    std::ostringstream out;
    out << "// packetdrill script of " << trace.meta.scenarioId << " (" << trace.meta.profile
        << " profile), written by tcpviz: the " << sideName(kernel)
        << " is the kernel under test, the " << sideName(remote) << "'s segments are injected.\n";
    const bool passive = [&] {
        for (const TraceEvent& e : trace.events()) {
            if (e.kind == EventKind::Call && e.endpoint == kernel && e.callError.empty()) {
                return e.call == UserCall::Listen;
            }
        }
        return false;
    }();
    out << "0.000000 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n";
    if (passive) {
        out << "+0 setsockopt(3, SOL_SOCKET, SO_REUSEADDR, [1], 4) = 0\n"
            << "+0 bind(3, ..., ...) = 0\n";
    } else {
        out << "+0 fcntl(3, F_SETFL, O_RDWR|O_NONBLOCK) = 0\n";
    }
    int fd = passive ? 4 : 3;
    bool accepted = !passive;
    std::uint32_t unread = 0;
    const auto segment = [&](const char* dir, Side from, const Segment& s) {
        const std::uint32_t start = s.seq - base(from);
        out << dir << ' ' << flagLetters(s.flags) << ' ' << start << ':' << start + s.len << '('
            << s.len << ')';
        if (s.has(flag::ACK)) {
            out << " ack " << s.ack - base(peer(from));
        }
        if (*dir == '<') {
            out << " win " << s.window;
            if (s.has(flag::SYN)) {
                out << " <mss 1460>";
            }
        } else if (s.has(flag::SYN)) {
            out << " <...>";
        }
        out << '\n';
    };
    std::int64_t arrivedUs = 0;
    State state = State::Closed; // the kernel side's, as the events go
    // The application reads what arrived once the kernel has reacted to it (its
    // ACK comes first) and the connection is its own (accepted).
    const auto readArrived = [&] {
        if (readsData && accepted && unread > 0) {
            out << seconds(arrivedUs) << " read(" << fd << ", ..., " << unread << ") = " << unread
                << '\n';
            unread = 0;
        }
    };
    for (const TraceEvent& e : trace.events()) {
        const std::string t = seconds(e.timeUs);
        const bool kernelReacts = e.endpoint == kernel && e.timeUs == arrivedUs &&
                                  (e.kind == EventKind::Send || e.kind == EventKind::Transition);
        if (!kernelReacts) {
            readArrived();
        }
        if (e.kind == EventKind::Call && e.endpoint == kernel && e.callError.empty()) {
            switch (e.call) {
            case UserCall::Listen:
                out << t << " listen(3, 1) = 0\n";
                break;
            case UserCall::Connect:
                out << t << " connect(3, ..., ...) = -1 EINPROGRESS (Operation now in progress)\n";
                break;
            case UserCall::Send:
                out << t << " write(" << fd << ", ..., " << e.bytes << ") = " << e.bytes << '\n';
                break;
            case UserCall::Close:
                out << t << " close(" << fd << ") = 0\n";
                break;
            case UserCall::Shutdown:
                out << t << " shutdown(" << fd << ", SHUT_WR) = 0\n";
                break;
            case UserCall::Abort:
            case UserCall::CloseLinger0:
                out << t << " setsockopt(" << fd
                    << ", SOL_SOCKET, SO_LINGER, {onoff=1, linger=0}, 8) = 0\n"
                    << t << " close(" << fd << ") = 0\n";
                break;
            case UserCall::Recv: {
                const Tcb& before = trace.snapshotAt(e.index).of(kernel);
                const Tcb& after = trace.snapshotAt(trace.reaction(e.index).end).of(kernel);
                const std::uint32_t n = before.unreadBytes - after.unreadBytes;
                if (n > 0) {
                    out << t << " read(" << fd << ", ..., " << n << ") = " << n << '\n';
                }
                break;
            }
            case UserCall::ShutdownRead:
                out << t << " shutdown(" << fd << ", SHUT_RD) = 0\n";
                break;
            case UserCall::ShutdownBoth:
                out << t << " shutdown(" << fd << ", SHUT_RDWR) = 0\n";
                break;
            case UserCall::Accept:
                break; // written where the connection is ESTABLISHED (accept() blocks)
            case UserCall::CloseListener:
                out << t << " close(3) = 0\n";
                break;
            }
        } else if (e.kind == EventKind::Send && e.endpoint == kernel && !e.duplicate &&
                   !e.injected) {
            // A copy made by the network and a segment injected from outside in the
            // kernel's name are not the kernel's to send.
            out << t << ' ';
            segment(">", kernel, e.segment);
        } else if (e.kind == EventKind::Arrive && e.endpoint == kernel) {
            out << t << ' ';
            segment("<", remote, e.segment);
            // Only a connection that takes data in has something to read.
            if (acceptsData(state)) {
                unread += e.segment.len;
            }
            arrivedUs = e.timeUs;
        } else if (e.kind == EventKind::Transition && e.endpoint == kernel) {
            if (passive && e.from == State::SynReceived && e.to == State::Established) {
                // Each connection the listener completes is accepted as a new fd.
                fd = accepted ? fd + 1 : fd;
                out << t << " accept(3, ..., ...) = " << fd << '\n';
                accepted = true;
            }
            state = e.to;
        }
    }
    readArrived();
    return out.str();
}

} // namespace tcpviz
