// The narration speaks like a lecturer at the blackboard: each event is
// explained with the numbers of this very trace (ISN 100, so ACK=101) and with
// the reason behind the rule, in English and Simplified Chinese. It reads only
// the Trace (events, snapshots and why each segment was sent), so it works for
// simulated and captured connections alike.
#include "narration/narrator.h"

#include "narration/glossary.h"
#include "narration/narration_text.h"
#include "tcp/seq.h"
#include "text/note_text.h"

#include <algorithm>
#include <array>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

namespace tcpviz {

using namespace narration;

namespace {

std::string num(std::uint64_t v) {
    return std::to_string(v);
}

/// Sequence and acknowledgment numbers as the reader's views show them: raw, or
/// relative to the ISN of the side whose sequence space they count in, exactly
/// as the diagram and the details compute them (signed, as `simulate --relative` writes them).
class Numbers {
public:
    Numbers(const Trace& trace, const NarrationOptions& options)
        : m_relative(options.relativeNumbers)
        , m_isn{trace.meta.client.isn, trace.meta.server.isn} {}

    /// `value` counted in the sequence space of `space` (its SEQs, the peer's ACKs);
    /// relative numbers are signed (an old SYN below the ISN is -10).
    [[nodiscard]] std::string in(Side space, std::uint32_t value) const {
        return m_relative ? std::to_string(static_cast<std::int32_t>(value - isn(space)))
                          : num(value);
    }
    [[nodiscard]] bool relative() const { return m_relative; }
    [[nodiscard]] std::uint32_t isn(Side space) const {
        return m_isn.at(space == Side::Client ? 0 : 1);
    }

private:
    bool m_relative = false;
    std::array<std::uint32_t, 2> m_isn{};
};

/// The sequence space a number a lesson's author wrote belongs to: the side
/// whose segments cover it (from its ISN or lowest SEQ to the end of its highest
/// segment); when both do, the one whose ISN is nearer below it (a lesson's ISNs
/// are far apart compared with its transfers). None when neither does.
std::optional<Side> spaceOf(const Trace& trace, std::uint32_t value) {
    std::optional<Side> found;
    std::uint32_t foundDistance = 0;
    for (const Side side : {Side::Client, Side::Server}) {
        const std::uint32_t isn =
            side == Side::Client ? trace.meta.client.isn : trace.meta.server.isn;
        std::uint32_t lo = isn;
        std::uint32_t hi = isn + 1;
        for (const TraceEvent& e : trace.events()) {
            if (e.kind == EventKind::Send && e.endpoint == side) {
                lo = std::min(lo, e.segment.seq);
                hi = std::max(hi, e.segment.seq + e.segment.seqLen());
            }
        }
        if (value < lo || value > hi) {
            continue;
        }
        const std::uint32_t distance = value >= isn ? value - isn : isn - value;
        if (!found || distance < foundDistance) {
            found = side;
            foundDistance = distance;
        }
    }
    return found;
}

/// A scenario step's note, written with raw numbers, for a reader whose views
/// count from each side's ISN: "SEQ=101" becomes "SEQ=1 (raw 101)" wherever the
/// number's sequence space is clear, so the note agrees with the diagram and
/// the raw number the rest of the sentence may use stays findable.
std::string relativeNoteText(const Trace& trace, const Numbers& n, const std::string& text,
                             Language lang) {
    static constexpr std::array<std::string_view, 5> kTokens{
        "SEQ=", "ACK=", "RCV.NXT=", "SND.NXT=", "SND.UNA="};
    std::string out;
    std::size_t i = 0;
    while (i < text.size()) {
        std::string_view token;
        for (const std::string_view t : kTokens) {
            if (text.compare(i, t.size(), t) == 0) {
                token = t;
                break;
            }
        }
        std::size_t end = i + token.size();
        while (!token.empty() && end < text.size() && text[end] >= '0' && text[end] <= '9') {
            ++end;
        }
        const std::size_t digits = end - i - token.size();
        if (token.empty() || digits == 0 || digits > 9) {
            out.push_back(text[i]);
            ++i;
            continue;
        }
        const auto value =
            static_cast<std::uint32_t>(std::stoul(text.substr(i + token.size(), digits)));
        const auto space = spaceOf(trace, value);
        out.append(token);
        if (space) {
            out += n.in(*space, value);
            out +=
                lang == Language::Zh ? "（原始 " + num(value) + "）" : " (raw " + num(value) + ")";
        } else {
            out += num(value);
        }
        i = end;
    }
    return out;
}

LocalizedText relativeNote(const Trace& trace, const Numbers& n, const LocalizedText& note) {
    return {relativeNoteText(trace, n, note.en, Language::En),
            relativeNoteText(trace, n, note.zh, Language::Zh)};
}

std::string seconds(std::int64_t us) {
    if (us % 1'000'000 == 0) {
        return std::to_string(us / 1'000'000) + " s";
    }
    if (us % 1000 == 0) {
        return std::to_string(us / 1000) + " ms";
    }
    return std::to_string(us) + " us";
}

std::string sideEn(Side s) {
    return s == Side::Client ? "the client" : "the server";
}
std::string sideEnCapitalised(Side s) {
    return s == Side::Client ? "The client" : "The server";
}
std::string sideZh(Side s) {
    return s == Side::Client ? "客户端" : "服务器";
}

/// Flags as Chinese prose writes them: SYN+ACK (the RFC notation keeps SYN,ACK).
std::string proseFlagsZh(std::string flags) {
    if (flags == "SYN,ACK") {
        return "SYN+ACK";
    }
    return flags;
}

/// How the application spells a call.
std::string callName(UserCall call) {
    switch (call) {
    case UserCall::Listen:
        return "listen()";
    case UserCall::Connect:
        return "connect()";
    case UserCall::Send:
        return "send()";
    case UserCall::Close:
        return "close()";
    case UserCall::Shutdown:
        return "shutdown(SHUT_WR)";
    case UserCall::Abort:
        return "close() with SO_LINGER 0";
    case UserCall::Recv:
        return "recv()";
    case UserCall::ShutdownRead:
        return "shutdown(SHUT_RD)";
    case UserCall::ShutdownBoth:
        return "shutdown(SHUT_RDWR)";
    case UserCall::CloseLinger0:
        return "close() with SO_LINGER {1, 0}";
    case UserCall::Accept:
        return "accept()";
    case UserCall::CloseListener:
        return "close() of the listening socket";
    }
    return {};
}

/// Whether `side`'s application has given up its socket (close() or an abort)
/// before event `i`; nullopt when the trace records no calls of that side (a
/// capture, a scripted endpoint), so nobody can tell. shutdown() keeps the socket.
std::optional<bool> applicationClosed(const Trace& trace, Side side, std::size_t i) {
    std::optional<bool> closed;
    for (std::size_t j = 0; j < i && j < trace.size(); ++j) {
        const TraceEvent& e = trace.event(j);
        if (e.kind != EventKind::Call || e.endpoint != side || !e.callError.empty()) {
            continue;
        }
        // close() and abort give the socket up; listen() and connect() open a new
        // one; any other call shows the application still holds its socket.
        const bool gone = e.call == UserCall::Close || e.call == UserCall::Abort ||
                          e.call == UserCall::CloseLinger0;
        const bool opens =
            e.call == UserCall::Listen || e.call == UserCall::Connect || e.call == UserCall::Accept;
        closed = gone || (!opens && closed.value_or(false));
    }
    return closed;
}

/// What the application of the endpoint reset at event `i` learns.
LocalizedText resetTold(const Trace& trace, Side side, std::size_t i) {
    const std::optional<bool> closed = applicationClosed(trace, side, i);
    if (!closed) {
        return both("If the application still holds the socket, it learns \"connection reset "
                    "by peer\" (ECONNRESET); if it has already closed it, nobody is told.",
                    "如果应用仍持有这个套接字，它会得知 ECONNRESET（“连接被对方重置”）；"
                    "如果应用早已关闭了它，就没有人会被告知。");
    }
    if (*closed) {
        return both(
            "The application already called close(), so nobody is told: the TCB simply "
            "goes, and no error reaches any program.",
            "应用早已调用 close()，所以没有人会被告知：TCB 直接消失，任何程序都不会收到错误。");
    }
    return both("The application still holds the socket, so its next call fails with "
                "\"connection reset by peer\" (ECONNRESET).",
                "应用仍持有这个套接字，所以它的下一次调用会以 ECONNRESET（“连接被对方重置”）"
                "失败。");
}

/// Explanation of a user call.
LocalizedText narrateCall(const Trace& trace, std::size_t i, const Numbers& n) {
    const auto& e = trace.event(i);
    const Side s = e.endpoint;
    const Tcb& before = trace.snapshotAt(i).of(s);
    const Tcb& after = trace.snapshotAt(i + 1).of(s);
    if (!e.callError.empty()) {
        // A refused call does nothing: telling what it would have done (FIN,
        // FIN-WAIT-1) would contradict the diagram, e.g. a close() in a what-if
        // branch where the connection was already aborted.
        return both(
            fill("{0} application calls {1}, but the call fails: \"{2}\" (in state "
                 "{3}). Nothing is sent and the state does not change.",
                 {sideEnCapitalised(s), callName(e.call), e.callError, name(before.state)}),
            fill("{0}应用调用 {1}，但调用失败：“{2}”（状态 {3}）。不发送任何报文，"
                 "状态也不变。",
                 {sideZh(s), callName(e.call), localizedNote(e.callError).zh, name(before.state)}));
    }
    LocalizedText out;
    switch (e.call) {
    case UserCall::Listen:
        out = both(fill("{0} application calls listen(), a passive OPEN: its TCP creates a "
                        "connection record (TCB) and waits in LISTEN for a SYN from anyone. "
                        "Nothing is sent; a server only answers.",
                        {sideEnCapitalised(s)}),
                   fill("{0}应用调用 listen()，即被动打开：它的 TCP 创建传输控制块（TCB），"
                        "在 LISTEN 状态等待任何一方的 SYN。此时不发送任何报文；"
                        "服务器只负责应答。",
                        {sideZh(s)}));
        break;
    case UserCall::Connect:
        out =
            both(fill("{0} application calls connect(), an active OPEN. Its TCP picks an initial "
                      "sequence number{1} and sends a SYN to announce it. The ISN is not 0 "
                      "but chosen by a clock-driven, hard-to-guess function, so that segments of "
                      "an old connection between the same ports do not fit into the new one.",
                      {sideEnCapitalised(s), " (ISN " + num(after.iss) + ")"}),
                 fill("{0}应用调用 connect()，即主动打开。它的 TCP 选择一个初始序列号{1}，并用 SYN "
                      "宣告它。ISN 不是 0，而是由一个随时钟变化、难以猜测的函数选出，"
                      "这样同一对端口上旧连接的报文段就不会混进新连接。",
                      {sideZh(s), "（ISN " + num(after.iss) + "）"}));
        break;
    case UserCall::Send:
        out = both(fill("{0} application writes {1} bytes. TCP numbers every byte: these "
                        "will be {2} to {3}. It keeps a copy of them until they are "
                        "acknowledged, so that it can retransmit them if they are lost.",
                        {sideEnCapitalised(s), num(e.bytes), n.in(s, before.sndNxt),
                         n.in(s, before.sndNxt + e.bytes - 1)}),
                   fill("{0}应用写入 {1} 字节。TCP 给每个字节编号：它们将是 {2} 到 {3}。"
                        "在被确认之前，TCP 保留它们的副本，以便丢失时重传。",
                        {sideZh(s), num(e.bytes), n.in(s, before.sndNxt),
                         n.in(s, before.sndNxt + e.bytes - 1)}));
        break;
    case UserCall::Close:
        if (before.state == State::CloseWait) {
            out = both(fill("{0} application calls close(). The peer had already finished "
                            "sending (that is what CLOSE-WAIT meant); now this side is done "
                            "too: its TCP sends its own FIN and waits in LAST-ACK for that FIN "
                            "to be acknowledged.",
                            {sideEnCapitalised(s)}),
                       fill("{0}应用调用 close()。对方早已发送完毕（这正是 CLOSE-WAIT 的含义）；"
                            "现在这一方，即被动关闭方，也结束了：它的 TCP 发送自己的 FIN，"
                            "并在 LAST-ACK 等待这个 FIN 被确认。",
                            {sideZh(s)}));
        } else if (before.state == State::Listen) {
            out = both(fill("{0} application closes its listening socket: no connection "
                            "exists yet, so the TCB is simply deleted.",
                            {sideEnCapitalised(s)}),
                       fill("{0}应用关闭监听套接字：还没有连接，TCB 直接被删除。", {sideZh(s)}));
        } else if (before.state == State::SynSent) {
            out =
                both(fill("{0} application gives up before the handshake completed: the "
                          "TCB is deleted and nothing more is sent.",
                          {sideEnCapitalised(s)}),
                     fill("{0}应用在握手完成前放弃：TCB 被删除，不再发送任何报文。", {sideZh(s)}));
        } else if (e.callError.empty() &&
                   trace.stateAt(s, trace.reaction(i).end) == State::Closed) {
            out =
                both(fill("{0} application calls close() while received data is still "
                          "unread. Linux does not send a FIN: the data would be lost without "
                          "the peer knowing, so it resets the connection (RST) and deletes "
                          "it at once (RFC 2525).",
                          {sideEnCapitalised(s)}),
                     fill("{0}应用在仍有未读数据时调用 close()。Linux 不发送 FIN：这些数据会在"
                          "对方不知情的情况下丢失，所以它用 RST 复位连接并立即删除它（RFC 2525）。",
                          {sideZh(s)}));
        } else if (e.callError.empty() &&
                   trace.stateAt(s, trace.reaction(i).end) == State::SynReceived) {
            out = both(fill("{0} application calls close() before the handshake completed, "
                            "with data still queued: TCP will send that data and then its FIN "
                            "once the connection is ESTABLISHED.",
                            {sideEnCapitalised(s)}),
                       fill("{0}应用在握手完成前调用 close()，仍有数据排队：连接 ESTABLISHED 之后，"
                            "TCP 会先发送这些数据，再发送 FIN。",
                            {sideZh(s)}));
        } else {
            out = both(fill("{0} application calls close(): \"I have nothing more to send\". "
                            "This is an active close. TCP sends a FIN after any data still "
                            "queued and moves to FIN-WAIT-1. It can still receive: a FIN only "
                            "closes one direction.",
                            {sideEnCapitalised(s)}),
                       fill("{0}应用调用 close()：“我没有更多数据要发送了”。这一方是主动关闭方。"
                            "TCP 在所有排队的数据之后发送 FIN，进入 FIN-WAIT-1。它仍然可以接收："
                            "FIN 只关闭一个方向。",
                            {sideZh(s)}));
        }
        break;
    case UserCall::Shutdown:
        out = both(fill("{0} application calls shutdown(SHUT_WR): a half-close. TCP sends a "
                        "FIN, so the peer will read end-of-file, but this side keeps "
                        "reading whatever the peer still sends.",
                        {sideEnCapitalised(s)}),
                   fill("{0}应用调用 shutdown(SHUT_WR)：半关闭。TCP 发送 FIN，对方将读到文件结束，"
                        "但这一方继续读取对方仍在发送的数据。",
                        {sideZh(s)}));
        break;
    case UserCall::Abort:
        out = both(fill("{0} application aborts the connection (close() with SO_LINGER set to "
                        "0). Queued data is thrown away, a RST tells the peer to drop the "
                        "connection at once, and the TCB is deleted immediately: no FIN, no "
                        "FIN-WAIT, no TIME-WAIT.",
                        {sideEnCapitalised(s)}),
                   fill("{0}应用中止连接（SO_LINGER 设为 l_onoff=1、l_linger=0 后调用 "
                        "close()）。排队的数据被丢弃，一个 RST（复位）通知对方立即丢弃连接，"
                        "TCB 立即被删除：没有 FIN，没有 FIN-WAIT，也没有 TIME-WAIT。",
                        {sideZh(s)}));
        break;
    case UserCall::CloseLinger0:
        out = both(fill("{0} application has set SO_LINGER to {1, 0} and calls close(). A "
                        "linger time of 0 means \"do not wait\": queued data is thrown away, "
                        "a RST tells the peer to drop the connection at once, and the TCB is "
                        "deleted immediately: no FIN, no FIN-WAIT, no TIME-WAIT. It is the "
                        "RFC's ABORT, written the way a program writes it.",
                        {sideEnCapitalised(s)}),
                   fill("{0}应用把 SO_LINGER 设为 {1, 0}（l_onoff=1、l_linger=0）后调用 "
                        "close()。逗留时间为 0 表示“不等待”：排队的数据被丢弃，一个 RST（复位）"
                        "通知对方立即丢弃连接，TCB 立即被删除：没有 FIN，没有 FIN-WAIT，"
                        "也没有 TIME-WAIT。这就是 RFC 中的 ABORT，只是以程序的写法表达。",
                        {sideZh(s)}));
        break;
    case UserCall::Recv: {
        // A window update may follow the call: the buffer as the whole reaction leaves it.
        const Tcb& done = trace.snapshotAt(trace.reaction(i).end).of(s);
        const std::uint32_t read =
            before.unreadBytes > done.unreadBytes ? before.unreadBytes - done.unreadBytes : 0;
        if (read == 0) {
            out = both(fill("{0} application calls recv(), but nothing is waiting in the "
                            "receive buffer: a blocking recv() would wait (or return 0, end "
                            "of file, once the peer's FIN has come).",
                            {sideEnCapitalised(s)}),
                       fill("{0}应用调用 recv()，但接收缓冲区中没有等待读取的数据：阻塞的 "
                            "recv() 会一直等待（对方的 FIN 到达之后则返回 0，即文件结束）。",
                            {sideZh(s)}));
        } else {
            out =
                both(fill("{0} application calls recv() and reads {1} bytes; {2} stay unread "
                          "in the receive buffer. The bytes read leave the buffer, so the "
                          "receive window it advertises grows from {3} to {4}.",
                          {sideEnCapitalised(s), num(read), num(done.unreadBytes),
                           num(before.rcvWnd), num(done.rcvWnd)}),
                     fill("{0}应用调用 recv()，读取 {1} 字节；还有 {2} 字节未读，留在接收缓冲区中。"
                          "读走的字节离开缓冲区，所以它通告的接收窗口从 {3} 增大到 {4}。",
                          {sideZh(s), num(read), num(done.unreadBytes), num(before.rcvWnd),
                           num(done.rcvWnd)}));
        }
        break;
    }
    case UserCall::ShutdownRead:
        out = both(fill("{0} application calls shutdown(SHUT_RD): it will read no more. "
                        "Nothing is sent: TCP has no segment that says \"stop sending\", "
                        "and the state does not change. Data that still arrives is "
                        "acknowledged but never read; on Linux, once this side has also sent "
                        "its FIN, new data is answered with a RST.",
                        {sideEnCapitalised(s)}),
                   fill("{0}应用调用 shutdown(SHUT_RD)：它不再读取。不发送任何报文：TCP 没有"
                        "表示“停止发送”的报文段，状态也不变。之后仍到达的数据会被确认，但永远"
                        "不会被读取；在 Linux 上，一旦这一方也发送了自己的 FIN，新的数据会得到 "
                        "RST。",
                        {sideZh(s)}));
        break;
    case UserCall::ShutdownBoth:
        out = both(fill("{0} application calls shutdown(SHUT_RDWR): it will neither read nor "
                        "write any more, but keeps the socket. TCP sends a FIN, as for "
                        "SHUT_WR; unlike close(), the socket is not given up, so Linux does "
                        "not start tcp_fin_timeout in FIN-WAIT-2.",
                        {sideEnCapitalised(s)}),
                   fill("{0}应用调用 shutdown(SHUT_RDWR)：它既不再读也不再写，但仍持有套接字。"
                        "TCP 像 SHUT_WR 一样发送 FIN；与 close() 不同，套接字没有被放弃，所以 "
                        "Linux 不会在 FIN-WAIT-2 启动 tcp_fin_timeout。",
                        {sideZh(s)}));
        break;
    case UserCall::Accept:
        if (before.state == State::Listen || before.state == State::SynReceived) {
            out = both(fill("{0} application calls accept(), but no connection has completed "
                            "its handshake yet: accept() blocks, and returns the connection "
                            "as soon as it is ESTABLISHED.",
                            {sideEnCapitalised(s)}),
                       fill("{0}应用调用 accept()，但还没有连接完成握手：accept() 阻塞，"
                            "连接一进入 ESTABLISHED 就返回它。",
                            {sideZh(s)}));
        } else {
            out = both(fill("{0} application calls accept() and gets the connection, which "
                            "has waited in the listener's accept queue since its handshake "
                            "completed: the kernel had made it {1} without the application. "
                            "From now on the program holds it as a socket of its own; the "
                            "listening socket stays in LISTEN for the next client.",
                            {sideEnCapitalised(s), name(before.state)}),
                       fill("{0}应用调用 accept()，取得这条连接。自握手完成起，它就在监听套接字的"
                            "全连接队列（accept 队列）中等待：内核无需应用参与就已把它变为 {1}。"
                            "从现在起，程序以一个单独的套接字持有它；监听套接字仍处于 LISTEN，"
                            "等待下一个客户端。",
                            {sideZh(s), name(before.state)}));
        }
        break;
    case UserCall::CloseListener:
        if (before.state == State::Listen) {
            out = both(fill("{0} application closes its listening socket: no connection "
                            "exists yet, so the TCB is simply deleted.",
                            {sideEnCapitalised(s)}),
                       fill("{0}应用关闭监听套接字：还没有连接，TCB 直接被删除。", {sideZh(s)}));
        } else if (before.state == State::SynReceived) {
            out = both(fill("{0} application closes its listening socket while this connection "
                            "is still half-open. Nothing is sent now: Linux drops the request "
                            "when its next segment arrives (which then finds no socket and "
                            "gets a RST) or when its SYN,ACK timer fires.",
                            {sideEnCapitalised(s)}),
                       fill("{0}应用关闭监听套接字，而这条连接仍是半连接。此刻不发送任何报文："
                            "Linux 会在它的下一个报文段到达时（该报文段找不到任何套接字，"
                            "得到 RST），或在 SYN+ACK 定时器到期时丢弃这个连接请求。",
                            {sideZh(s)}));
        } else if (trace.stateAt(s, trace.reaction(i).end) == before.state) {
            out = both(fill("{0} application closes its listening socket. The connection it "
                            "accepted is a socket of its own and lives on in {1}; only new "
                            "clients will now be refused.",
                            {sideEnCapitalised(s), name(before.state)}),
                       fill("{0}应用关闭监听套接字。它已经 accept() 的连接是一个单独的套接字，"
                            "继续处于 {1}；只是新的客户端从此会被拒绝。",
                            {sideZh(s), name(before.state)}));
        } else {
            out = both(fill("{0} application closes its listening socket while the connection "
                            "(in {1}) was never accepted. Nobody will ever read it, so Linux "
                            "discards it: a completed connection is reset, a half-open one "
                            "dropped without a word.",
                            {sideEnCapitalised(s), name(before.state)}),
                       fill("{0}应用关闭监听套接字，而这条连接（处于 {1}）从未被 accept()。"
                            "再也没有人会读取它，所以 Linux 丢弃它：已完成握手的连接被复位，"
                            "半连接则被悄悄丢弃。",
                            {sideZh(s), name(before.state)}));
        }
        break;
    }
    return out;
}

/// Explanation of a segment leaving its sender.
LocalizedText narrateSend(const Trace& trace, std::size_t i, const Numbers& n) {
    const auto& e = trace.event(i);
    const Side s = e.endpoint;
    const Segment& seg = e.segment;
    const Tcb& before = trace.snapshotAt(i).of(s);
    const Reaction reaction = trace.reaction(i);
    const auto cause = reaction.cause;
    const TraceEvent* lead = cause ? &trace.event(*cause) : nullptr;
    const State stateBefore = lead != nullptr ? trace.stateAt(s, *cause) : before.state;
    const std::string seq = n.in(s, seg.seq);
    const std::string ack = n.in(peer(s), seg.ack);
    const std::string flags = flagsToString(seg.flags);
    LocalizedText out;

    if (e.injected) {
        append(out, both(fill("A segment from outside: this {0} was written into the scenario "
                              "(forged, or an old copy from the past), not produced by {1}'s "
                              "TCP.",
                              {flags, sideEn(s)}),
                         fill("一个来自外部的报文段：这个 {0} 是写在场景里的（伪造的，或来自过去的"
                              "旧副本），不是由{1}的 TCP 产生的。",
                              {proseFlagsZh(flags), sideZh(s)})));
    }
    if (e.captureCopyOf != 0) {
        append(out,
               both(fill("The capture recorded packet {0} a second time: same IP datagram "
                         "(same identification), same TCP header. A bridge, a mirror (SPAN) "
                         "port or a capture on two interfaces makes such copies; {1} sent the "
                         "segment once. It is not a retransmission, and it changes no state "
                         "or counter.",
                         {std::to_string(e.captureCopyOf), sideEn(s)}),
                    fill("抓包把第 {0} 号分组又记录了一次：同一个 IP 数据报（标识相同），TCP "
                         "首部也相同。网桥、镜像（SPAN）端口或同时在两个接口上抓包都会产生这样的"
                         "副本；{1}只发送了一次这个报文段。它不是重传，也不改变任何状态或计数。",
                         {std::to_string(e.captureCopyOf), sideZh(s)})));
        return out;
    }
    if (e.duplicate) {
        append(out, both("The network delivers an extra copy of this segment: IP may duplicate "
                         "packets, and TCP must cope, using sequence numbers to recognise "
                         "what it already has.",
                         "网络递送了这个报文段的一个额外副本：IP 可能复制分组，TCP 必须应对，"
                         "它用序列号识别已经收到的内容。"));
        return out;
    }
    if (e.retransmission) {
        append(out,
               both(fill("Retransmission: {0} sends SEQ={1} again because no acknowledgment "
                         "arrived before its retransmission timer expired. The segment is the "
                         "same, with the same sequence number, so the receiver can tell a "
                         "copy from new data.{2}",
                         {sideEn(s), seq,
                          before.rtoUs > 0 ? " The timeout doubles after each try "
                                             "(exponential backoff, RFC 6298), so a congested "
                                             "network is not flooded."
                                           : ""}),
                    fill("重传：{0}再次发送 SEQ={1}，因为在重传定时器到期前没有收到确认。"
                         "报文段完全相同，序列号也相同，所以接收方能把副本与新数据区分开。"
                         "每次重试后超时时间加倍（指数退避，RFC 6298），以免拥塞的网络被淹没。",
                         {sideZh(s), seq})));
        if (e.reason == SendReason::SynAckRepeat) {
            append(out, both("The peer repeated its SYN, which means our SYN,ACK was lost: "
                             "answer again at once.",
                             "对方重复了它的 SYN，说明我们的 SYN+ACK 丢失了：立即再次应答。"));
        }
        return out;
    }

    if (seg.has(flag::RST)) {
        const bool answerToSegment = lead != nullptr && lead->kind == EventKind::Arrive;
        if (lead != nullptr && lead->kind == EventKind::Call &&
            lead->call == UserCall::CloseListener) {
            append(out, both(fill("{0} resets the connection that was never accepted: its "
                                  "listener is closed, so no program will ever read it.",
                                  {sideEnCapitalised(s)}),
                             fill("{0}复位这条从未被 accept() 的连接：它的监听套接字已关闭，"
                                  "再也不会有程序读取它。",
                                  {sideZh(s)})));
            append(out, resetTold(trace, peer(s), i));
        } else if (lead != nullptr && lead->kind == EventKind::Call &&
                   (lead->call == UserCall::Abort || lead->call == UserCall::CloseLinger0)) {
            append(out, both(fill("{0} sends RST with SEQ={1} (SND.NXT): the ABORT. A reset is "
                                  "never acknowledged; the peer drops the connection as soon as "
                                  "it arrives.",
                                  {sideEnCapitalised(s), seq}),
                             fill("{0}发送 SEQ={1}（SND.NXT）的 RST：这就是 ABORT。复位从不被确认；"
                                  "对方一收到就丢弃连接。",
                                  {sideZh(s), seq})));
            append(out, resetTold(trace, peer(s), i));
        } else if (lead != nullptr && lead->kind == EventKind::Call) {
            append(out,
                   both(fill("{0} application closes while received data is still unread. "
                             "That data would be lost silently, so Linux tells the peer with "
                             "a RST instead of a FIN.",
                             {sideEnCapitalised(s)}),
                        fill("{0}应用在仍有未读数据时关闭。这些数据会悄无声息地丢失，所以 Linux "
                             "用 RST 而不是 FIN 告知对方。",
                             {sideZh(s)})));
        } else if (answerToSegment && stateBefore == State::SynSent) {
            append(out, both(fill("{0} is waiting for the answer to its SYN (ISN {1}), but this "
                                  "SYN,ACK acknowledges {2}, a number it never sent: it answers "
                                  "an old connection attempt. {0} resets it with "
                                  "<SEQ={2}><CTL=RST>, taking the SEQ from the ACK field so "
                                  "that the other side accepts the reset. This is exactly why the "
                                  "handshake has a third segment.",
                                  {sideEnCapitalised(s), n.in(s, before.iss),
                                   n.in(s, lead->segment.ack)}),
                             fill("{0}在等待对自己 SYN（ISN {1}）的应答，但这个 SYN+ACK 确认的是 "
                                  "{2}，一个它从未发送过的序号：这是对一次旧连接尝试的应答。{0}用 "
                                  "<SEQ={2}><CTL=RST> 复位它，SEQ 取自 ACK 字段，这样对方才会"
                                  "接受这个复位。这正是握手需要第三次握手（第三个报文段）的原因。",
                                  {sideZh(s), n.in(s, before.iss), n.in(s, lead->segment.ack)})));
        } else if (answerToSegment &&
                   (stateBefore == State::Closed || stateBefore == State::Listen)) {
            if (lead->segment.has(flag::ACK)) {
                append(out,
                       both(fill("No connection matches this segment, so {0} answers with a "
                                 "reset. The segment carried an ACK, so the RST takes its SEQ "
                                 "from that ACK field (SEQ={1}): that is the one number the "
                                 "other side is sure to accept.",
                                 {sideEn(s), seq}),
                            fill("没有连接与这个报文段对应，所以{0}用复位回答。该报文段带有 ACK，"
                                 "所以 RST 的 SEQ 取自那个 ACK 字段（SEQ={1}）：这是对方一定会"
                                 "接受的序号。",
                                 {sideZh(s), seq})));
            } else {
                append(
                    out,
                    both(
                        fill("Nobody listens here, so the SYN is refused with a reset: "
                             "<SEQ={1}><ACK={0}><CTL=RST,ACK>. The SYN had no ACK field to "
                             "copy, so the RST acknowledges the SYN instead (its SEQ + 1); "
                             "that proves to the client that the RST answers its very SYN. "
                             "connect() will fail with \"connection refused\".",
                             {ack, seq}),
                        fill(
                            "这里没有人监听，所以 SYN 被复位拒绝：<SEQ={1}><ACK={0}><CTL=RST,ACK>。"
                            "SYN 没有可以复制的 ACK 字段，所以 RST 改为确认这个 SYN（它的 SEQ + "
                            "1）；"
                            "这向客户端证明这个 RST 回答的正是它的 SYN。connect() 将以"
                            " ECONNREFUSED（“连接被拒绝”）失败。",
                            {ack, seq})));
            }
        } else if (lead != nullptr && lead->kind == EventKind::Timer) {
            append(out, both(fill("{0} has retransmitted too many times without an answer and "
                                  "gives up; the RST tells the peer, in case it is still there.",
                                  {sideEnCapitalised(s)}),
                             fill("{0}重传了太多次仍没有应答，于是放弃；RST 通知对方，以防它还在。",
                                  {sideZh(s)})));
        } else {
            append(out,
                   both(fill("{0} sends a reset (SEQ={1}): the connection is over for it.",
                             {sideEnCapitalised(s), seq}),
                        fill("{0}发送复位（SEQ={1}）：对它来说连接结束了。", {sideZh(s), seq})));
        }
        return out;
    }

    if (seg.has(flag::SYN) && !seg.has(flag::ACK)) {
        append(out, both(fill("{0} sends SYN with SEQ={1}, its initial sequence number. A SYN "
                              "carries no data, yet it occupies one sequence number: that way "
                              "it can be acknowledged (the answer will say ACK={2}) and "
                              "retransmitted exactly like data. The first data byte will be "
                              "number {2}.",
                              {sideEnCapitalised(s), seq, n.in(s, seg.seq + 1)}),
                         fill("{0}发送 SEQ={1} 的 SYN，即它的初始序列号。SYN 不携带数据，却占用一个"
                              "序列号：这样它就能像数据一样被确认（应答将是 ACK={2}）和重传。"
                              "第一个数据字节的编号是 {2}。",
                              {sideZh(s), seq, n.in(s, seg.seq + 1)})));
        if (n.relative() && !e.retransmission) {
            append(out, both(fill("Numbers here count from each side's ISN, as in the diagram "
                                  "and in Wireshark: SEQ={1} is the real ISN {0}.",
                                  {num(seg.seq), seq}),
                             fill("这里的序号从各方的 ISN 起算（与图中和 Wireshark 相同）：SEQ={1} "
                                  "就是真实的 ISN {0}。",
                                  {num(seg.seq), seq})));
        }
        return out;
    }
    if (seg.has(flag::SYN) && seg.has(flag::ACK)) {
        append(out, both(fill("{0} answers with SYN,ACK: two things in one segment. Its own SYN "
                              "announces its ISN, SEQ={1}. The ACK={2} acknowledges the peer's "
                              "SYN: the peer's ISN was {3}, the SYN consumed that number, so "
                              "the next byte expected is {3}+1 = {2}.",
                              {sideEnCapitalised(s), seq, ack, n.in(peer(s), seg.ack - 1)}),
                         fill("{0}用 SYN+ACK 应答：一个报文段做两件事。它自己的 SYN 宣告它的 ISN，"
                              "SEQ={1}。ACK={2} 确认对方的 SYN：对方的 ISN 是 {3}，SYN 占用了这个"
                              "序号，所以期望的下一个字节是 {3}+1 = {2}。",
                              {sideZh(s), seq, ack, n.in(peer(s), seg.ack - 1)})));
        if (stateBefore == State::SynSent) {
            append(out, both("Both sides opened at the same time: each answers the other's "
                             "SYN while its own SYN is still unacknowledged (simultaneous "
                             "open).",
                             "双方同时打开：每一方在自己的 SYN 尚未被确认时应答对方的 SYN"
                             "（同时打开）。"));
        }
        return out;
    }

    const TraceEvent* arrived = lead != nullptr && lead->kind == EventKind::Arrive ? lead : nullptr;

    if (seg.has(flag::FIN)) {
        append(out, both(fill("{0} sends FIN with SEQ={1}: it has no more data to send. Like a "
                              "SYN, a FIN occupies one sequence number, so that it is "
                              "acknowledged reliably: the peer will answer ACK={2}.",
                              {sideEnCapitalised(s), seq, n.in(s, seg.seq + seg.len + 1)}),
                         fill("{0}发送 SEQ={1} 的 FIN：它没有更多数据要发送了。和 SYN 一样，FIN "
                              "占用一个序列号，这样它才能被可靠地确认：对方将回复 ACK={2}。",
                              {sideZh(s), seq, n.in(s, seg.seq + seg.len + 1)})));
        // Merged FIN and ACK: this segment is the first to acknowledge the peer's FIN.
        if (before.finReceived && seg.has(flag::ACK)) {
            bool ackedBefore = false;
            for (std::size_t j = i; j > 0; --j) {
                const auto& p = trace.event(j - 1);
                if (p.kind == EventKind::Send && p.endpoint == s && !p.injected) {
                    ackedBefore = p.segment.has(flag::ACK) && p.segment.ack == seg.ack;
                    break;
                }
            }
            if (!ackedBefore) {
                append(
                    out,
                    both(fill("Its ACK={0} also acknowledges the peer's FIN: the "
                              "acknowledgment was delayed, and the application closed "
                              "before it went out, so FIN and ACK travel together. The "
                              "close takes three segments instead of four.",
                              {ack}),
                         fill("它的 ACK={0} 同时确认了对方的 FIN：确认被推迟了，而应用在它发出前"
                              "就关闭了，所以 FIN 和 ACK 一起发送。关闭只需三个报文段而不是四个。",
                              {ack})));
            }
        }
        if (seg.len > 0) {
            append(out, both(fill("It also carries the last {0} bytes of data.", {num(seg.len)}),
                             fill("它还携带最后的 {0} 字节数据。", {num(seg.len)})));
        }
        return out;
    }

    if (seg.len > 0) {
        append(out,
               both(fill("{0} sends {1} bytes of data, SEQ={2}: the bytes are numbered {2} to "
                         "{3}, so the next segment from {4} will start at SEQ={5}. ACK={6} "
                         "tells the peer that everything before byte {6} has arrived (a "
                         "cumulative acknowledgment, repeated on every segment).",
                         {sideEnCapitalised(s), num(seg.len), seq, n.in(s, seg.seq + seg.len - 1),
                          sideEn(s), n.in(s, seg.seq + seg.len), ack}),
                    fill("{0}发送 {1} 字节数据，SEQ={2}：这些字节编号为 {2} 到 {3}，所以{4}的"
                         "下一个报文段将从 SEQ={5} 开始。ACK={6} 告诉对方 {6} 之前的所有字节都已"
                         "到达（累积确认，每个报文段都会重复携带）。",
                         {sideZh(s), num(seg.len), seq, n.in(s, seg.seq + seg.len - 1), sideZh(s),
                          n.in(s, seg.seq + seg.len), ack})));
        if (seg.has(flag::PSH)) {
            append(out, both("PSH asks the receiver to hand the data to the application "
                             "without waiting for more.",
                             "PSH 要求接收方立即把数据交给应用，而不必等待更多数据。"));
        }
        return out;
    }

    // A pure ACK: say what it acknowledges and why it is sent now.
    if (e.reason == SendReason::WindowUpdate) {
        append(out, both(fill("Window update: {0}'s application has read data, so its receive "
                              "buffer has room again. The ACK acknowledges nothing new "
                              "(ACK={1}); it is sent to announce the larger window, {2} bytes, "
                              "so that the sender does not wait.",
                              {sideEn(s), ack, num(seg.window)}),
                         fill("窗口更新：{0}的应用读取了数据，接收缓冲区又有了空间。这个 ACK 没有"
                              "确认新的数据（ACK={1}）；发送它是为了通告更大的窗口（{2} 字节），"
                              "使发送方不必等待。",
                              {sideZh(s), ack, num(seg.window)})));
        return out;
    }
    if (e.reason == SendReason::ChallengeAck) {
        append(out,
               both(fill("Challenge ACK: a RST (or SYN) arrived whose sequence number is "
                         "inside the window but not exactly RCV.NXT={0}. It might be "
                         "forged by an attacker guessing numbers, so {1} does not reset. "
                         "It sends an ACK with its real position instead: if the peer "
                         "really lost the connection, it will answer with a correct RST; "
                         "an attacker never sees this ACK (RFC 5961).",
                         {ack, sideEn(s)}),
                    fill("挑战 ACK：到达了一个 RST（或 SYN），它的序列号在窗口内，但不恰好等于 "
                         "RCV.NXT={0}。它可能是攻击者猜测序号伪造的，所以{1}不复位，而是发送一个"
                         "带有真实位置的 ACK：如果对方真的丢失了连接，它会用正确的 RST 回答；"
                         "攻击者永远看不到这个 ACK（RFC 5961）。",
                         {ack, sideZh(s)})));
        return out;
    }
    if (e.reason == SendReason::FinReAck) {
        append(out,
               both(fill("The peer's FIN came again: our last ACK must have been lost. "
                         "{0} is still in TIME-WAIT, so it can answer: it acknowledges "
                         "the FIN again (ACK={1}) and restarts the 2MSL timer, since this "
                         "ACK may be lost too. Had {2} already deleted the connection, the "
                         "FIN would have been answered by a RST and the peer would report "
                         "an error for a clean close.",
                         {sideEnCapitalised(s), ack, sideEn(s)}),
                    fill("对方的 FIN 再次到来：我们最后的 ACK 一定丢失了。{0}仍在 TIME-WAIT，"
                         "所以它能应答：再次确认这个 FIN（ACK={1}），并重新启动 2MSL 定时器，"
                         "因为这个 ACK 也可能丢失。如果{0}已经删除了连接，这个 FIN 会得到 RST，"
                         "对方会把一次正常关闭报告为错误。",
                         {sideZh(s), ack})));
        return out;
    }
    if (e.reason == SendReason::OutOfWindowAck || e.reason == SendReason::DuplicateAck ||
        e.reason == SendReason::AckOfUnsent) {
        append(out, both(fill("The segment that just arrived was not acceptable (it lies "
                              "outside the receive window, or its bytes were already "
                              "received). {0} drops it and answers with an ACK of what it "
                              "really expects, ACK={1}: that resynchronises a confused peer "
                              "and is harmless to a correct one.",
                              {sideEnCapitalised(s), ack}),
                         fill("刚到达的报文段不可接受（它位于接收窗口之外，或者其字节早已收到）。"
                              "{0}丢弃它，并用它真正期望的 ACK={1} 回复：这能让混乱的对方重新同步，"
                              "对正常的对方也无害。",
                              {sideZh(s), ack})));
        return out;
    }
    if (arrived != nullptr && arrived->segment.has(flag::SYN) && arrived->segment.has(flag::ACK) &&
        stateBefore == State::SynReceived) {
        append(
            out,
            both(fill("The peer's SYN,ACK acknowledges {0}'s SYN, so {0} is ESTABLISHED. "
                      "Its SYN is not new: it crossed {0}'s own and was taken already. Linux "
                      "treats a segment it already has as a retransmission and acknowledges "
                      "at once: a pure ACK={1}. RFC 9293 sends nothing here (Figure 8).",
                      {sideEn(s), ack}),
                 fill("对方的 SYN+ACK 确认了{0}的 SYN，所以{0}进入 ESTABLISHED。其中的 SYN "
                      "并不新：它与{0}自己的 SYN 交叉而过，早已收到。Linux 把已经收到的报文段"
                      "当作重传，立即确认：一个纯 ACK={1}。RFC 9293 在这里什么也不发送（图 8）。",
                      {sideZh(s), ack})));
        return out;
    }
    if (arrived != nullptr && arrived->segment.has(flag::SYN) && arrived->segment.has(flag::ACK)) {
        append(out,
               both(fill("{0} completes the handshake with ACK={1}: the server's ISN was "
                         "{2} and its SYN consumed that number. This third segment is "
                         "what tells the server that its SYN arrived and that the client "
                         "really wants this connection (not an old duplicate SYN). {3} is "
                         "ESTABLISHED now; the server will be when this ACK arrives.",
                         {sideEnCapitalised(s), ack, n.in(peer(s), seg.ack - 1),
                          sideEnCapitalised(s)}),
                    fill("{0}用 ACK={1} 完成握手：服务器的 ISN 是 {2}，它的 SYN 占用了这个序号。"
                         "第三次握手（第三个报文段）告诉服务器它的 SYN "
                         "已到达，并且客户端确实想要这条连接"
                         "（而不是旧的重复 SYN）。{0}现在是 ESTABLISHED；服务器在收到这个 ACK "
                         "时也将如此。",
                         {sideZh(s), ack, n.in(peer(s), seg.ack - 1)})));
        return out;
    }
    const State stateAfter = trace.stateAt(s, reaction.end);
    const bool acksFin =
        (arrived != nullptr && arrived->segment.has(flag::FIN)) ||
        (lead != nullptr && lead->kind == EventKind::Timer &&
         lead->timer == TimerKind::DelayedAck && before.finReceived && seg.ack == before.rcvNxt);
    if (acksFin) {
        append(
            out,
            both(fill("{0} acknowledges the peer's FIN with ACK={1}: the FIN occupied "
                      "sequence number {2}, so the next number is {1}.",
                      {sideEnCapitalised(s), ack, n.in(peer(s), seg.ack - 1)}),
                 fill("{0}用 ACK={1} 确认对方的 FIN：FIN 占用了序列号 {2}，所以下一个序号是 {1}。",
                      {sideZh(s), ack, n.in(peer(s), seg.ack - 1)})));
        if (stateAfter == State::CloseWait) {
            append(out, both("TCP acknowledges, but it cannot close for the "
                             "application: it waits in CLOSE-WAIT until the application has "
                             "read end-of-file and calls close() itself.",
                             "TCP 发出确认，但它不能替应用关闭：它在 CLOSE-WAIT 等待，直到应用"
                             "读到文件结束并自己调用 close()。"));
        } else if (stateAfter == State::TimeWait) {
            append(out, both("This is the last segment of the connection, and nothing "
                             "acknowledges an ACK: if it is lost, the peer will retransmit its "
                             "FIN. That is one reason to wait in TIME-WAIT.",
                             "这是连接的最后一个报文段，而 ACK 不会被确认：如果它丢失，对方会重传"
                             "它的 FIN。这就是要在 TIME-WAIT 等待的原因之一。"));
        } else if (stateAfter == State::Closing) {
            append(out, both("Both sides are closing at the same time; this side still waits "
                             "for its own FIN to be acknowledged (CLOSING).",
                             "双方同时关闭；这一方仍在等待自己的 FIN 被确认（CLOSING）。"));
        }
        if (lead != nullptr && lead->kind == EventKind::Timer) {
            append(out, both("The ACK was held back by the delayed-ACK timer, hoping to "
                             "piggyback it on data; none came.",
                             "这个 ACK 被延迟确认定时器推迟了，希望能搭载在数据上；但没有数据。"));
        }
        return out;
    }
    if (arrived != nullptr && arrived->segment.len > 0) {
        append(out, both(fill("{0} acknowledges the {1} bytes it received: ACK={2} = {3} + {1}. "
                              "This one number acknowledges every byte before {2} (cumulative "
                              "acknowledgment).",
                              {sideEnCapitalised(s), num(arrived->segment.len), ack,
                               n.in(peer(s), arrived->segment.seq)}),
                         fill("{0}确认收到的 {1} 字节：ACK={2} = {3} + {1}。这一个数字确认了 {2} "
                              "之前的所有字节（累积确认）。",
                              {sideZh(s), num(arrived->segment.len), ack,
                               n.in(peer(s), arrived->segment.seq)})));
        return out;
    }
    if (lead != nullptr && lead->kind == EventKind::Timer && lead->timer == TimerKind::DelayedAck) {
        append(out,
               both(fill("The delayed-ACK timer expired: no data went out to carry the "
                         "acknowledgment, so {0} sends a pure ACK={1}.",
                         {sideEn(s), ack}),
                    fill("延迟确认定时器到期：没有数据可以捎带确认，所以{0}发送一个纯 ACK={1}。",
                         {sideZh(s), ack})));
        return out;
    }
    append(out, both(fill("{0} sends an acknowledgment: ACK={1}, the next byte it expects.",
                          {sideEnCapitalised(s), ack}),
                     fill("{0}发送确认：ACK={1}，即它期望的下一个字节。", {sideZh(s), ack})));
    return out;
}

LocalizedText narrateArrive(const Trace& trace, std::size_t i, const Numbers& n) {
    const auto& e = trace.event(i);
    const Side s = e.endpoint;
    const Segment& seg = e.segment;
    const Tcb& before = trace.snapshotAt(i).of(s);
    const std::string flags = flagsToString(seg.flags);
    LocalizedText out = both(
        fill("{0} reaches {1} (in {2}).", {flags, sideEn(s), name(before.state)}),
        fill("{0} 到达{1}（状态 {2}）。", {proseFlagsZh(flags), sideZh(s), name(before.state)}));
    if (e.captureCopyOf != 0) {
        // Only the capture has this packet twice: nothing new reached the receiver.
        append(out, both(fill("This is the capture's second record of packet {0}, not a second "
                              "segment: {1} received it once.",
                              {std::to_string(e.captureCopyOf), sideEn(s)}),
                         fill("这是抓包对第 {0} 号分组的第二次记录，并不是第二个报文段：{1}只收到了"
                              "一次。",
                              {std::to_string(e.captureCopyOf), sideZh(s)})));
        return out;
    }

    // Whether the receiver answered or changed state at the same instant. A
    // captured host answers at its own estimated moment, a little later: for a
    // capture, any segment it sends afterwards counts.
    bool reacted = !trace.reaction(i).empty();
    for (std::size_t j = i + 1; trace.meta.fromCapture && !reacted && j < trace.size(); ++j) {
        reacted = trace.event(j).kind == EventKind::Send && trace.event(j).endpoint == s;
    }
    const bool synchronized = isSynchronized(before.state);
    if (seg.has(flag::RST) && synchronized && before.state != State::SynReceived) {
        if (seg.seq == before.rcvNxt) {
            append(out,
                   both(fill("Its SEQ={0} is exactly RCV.NXT, the next number expected: "
                             "the reset is genuine and the connection is dropped at once, "
                             "without any acknowledgment.",
                             {n.in(peer(s), seg.seq)}),
                        fill("它的 SEQ={0} 恰好等于 RCV.NXT，即期望的下一个序号：复位是真实的，"
                             "连接立即被丢弃，不做任何确认。",
                             {n.in(peer(s), seg.seq)})));
        } else if (reacted) {
            append(out, both(fill("Its SEQ={0} is inside the window but is not RCV.NXT={1}: "
                                  "it could be forged, so it is not obeyed (RFC 5961).",
                                  {n.in(peer(s), seg.seq), n.in(peer(s), before.rcvNxt)}),
                             fill("它的 SEQ={0} 在窗口内，但不等于 RCV.NXT={1}：它可能是伪造的，"
                                  "所以不予执行（RFC 5961）。",
                                  {n.in(peer(s), seg.seq), n.in(peer(s), before.rcvNxt)})));
        } else {
            append(out, both(fill("Its SEQ={0} is outside the receive window: it is silently "
                                  "ignored.",
                                  {n.in(peer(s), seg.seq)}),
                             fill("它的 SEQ={0} 在接收窗口之外：被悄悄忽略。",
                                  {n.in(peer(s), seg.seq)})));
        }
    } else if (before.state == State::Closed && !reacted && seg.has(flag::RST)) {
        append(out,
               both(fill("{0} has no connection here, and a RST is never answered: the "
                         "segment is discarded.",
                         {sideEnCapitalised(s)}),
                    fill("{0}在这里没有连接，而 RST 从不被应答：报文段被丢弃。", {sideZh(s)})));
    } else if (before.state == State::Closed && !reacted) {
        append(out,
               both(fill("Nothing answers: {0} is scripted, it has no TCP at all and sends "
                         "only what the scenario injects (in a capture: a host that stays "
                         "silent). A real TCP without a connection would answer this {1} "
                         "with a RST.",
                         {sideEn(s), flags}),
                    fill("没有任何应答：{0}是脚本化的端点，根本没有 TCP，只发送场景注入的报文段"
                         "（在抓包中：一台保持沉默的主机）。真正的 TCP 在没有连接时会用 RST "
                         "回答这个 {1}。",
                         {sideZh(s), proseFlagsZh(flags)})));
    } else if (seg.has(flag::SYN) && before.state == State::Listen) {
        append(
            out,
            both(fill("A SYN in LISTEN: TCP records the peer's initial sequence number "
                      "(IRS={0}), so it expects byte {1} next, and answers with its own "
                      "SYN.",
                      {n.in(peer(s), seg.seq), n.in(peer(s), seg.seq + 1)}),
                 fill("LISTEN 状态收到 SYN：TCP 记录对方的初始序列号（IRS={0}），于是期望的下一个"
                      "字节是 {1}，并用自己的 SYN 应答。",
                      {n.in(peer(s), seg.seq), n.in(peer(s), seg.seq + 1)})));
    } else if (seg.has(flag::ACK) && synchronized && seg.len == 0 && !seg.has(flag::FIN) &&
               !seg.has(flag::SYN) && !seg.has(flag::RST) && !reacted) {
        append(out,
               both(fill("The ACK={0} tells {1} that everything before byte {0} has "
                         "arrived: those bytes can leave the retransmission queue "
                         "(SND.UNA moves to {0}).",
                         {n.in(s, seg.ack), sideEn(s)}),
                    fill("ACK={0} 告诉{1}：{0} 之前的所有字节都已到达，这些字节可以离开重传队列"
                         "（SND.UNA 移到 {0}）。",
                         {n.in(s, seg.ack), sideZh(s)})));
    } else if (seg.len > 0 && !reacted && synchronized) {
        append(out, both(fill("The {0} bytes are accepted; the acknowledgment may be delayed a "
                              "little, hoping to piggyback it on data going the other way.",
                              {num(seg.len)}),
                         fill("这 {0} 字节被接受；确认可能会稍作推迟，希望搭载在反方向的数据上。",
                              {num(seg.len)})));
    }
    return out;
}

LocalizedText narrateDrop(const Trace& trace, std::size_t i) {
    const auto& e = trace.event(i);
    const Side s = e.endpoint;
    const Segment& seg = e.segment;
    const std::string flags = flagsToString(seg.flags);
    LocalizedText out = both(fill("The network loses this {0}. Nobody tells {1}: TCP learns of "
                                  "a loss only from silence.",
                                  {flags, sideEn(s)}),
                             fill("网络丢失了这个 {0}。没有人通知{1}：TCP 只能从沉默中得知丢失。",
                                  {proseFlagsZh(flags), sideZh(s)}));
    if (seg.seqLen() > 0) {
        append(out,
               both(fill("Because this segment occupies sequence space, {0} keeps it in "
                         "its retransmission queue and will send it again when its "
                         "retransmission timer expires.",
                         {sideEn(s)}),
                    fill("因为这个报文段占用序列号空间，{0}把它保留在重传队列中，重传定时器到期时"
                         "会再次发送它。",
                         {sideZh(s)})));
    } else if (!seg.has(flag::RST)) {
        append(out,
               both("A pure ACK is never retransmitted, because nothing acknowledges an "
                    "ACK. Only the peer, still waiting, can repair this: it will "
                    "retransmit whatever this ACK was acknowledging.",
                    "纯 ACK 从不被重传，因为 ACK 不会被确认。只有仍在等待的对方能修复这个问题："
                    "它会重传这个 ACK 本应确认的内容。"));
    }
    return out;
}

/// Why a Linux TIME-WAIT lasts 60 s whatever the scenario's MSL.
LocalizedText linuxTimeWait() {
    return both(
        "Linux does not compute TIME-WAIT from an MSL: it is a fixed 60 s "
        "(TCP_TIMEWAIT_LEN, compiled into the kernel), and no sysctl changes it "
        "(tcp_fin_timeout limits how long an orphaned connection waits for the peer's FIN, "
        "not TIME-WAIT), so a scenario's `msl` has no effect here.",
        "Linux 不根据 MSL 计算 TIME-WAIT：它固定为 60 秒（TCP_TIMEWAIT_LEN，编译在内核中），"
        "没有任何内核参数能改变它（tcp_fin_timeout 限制的是孤儿连接等待对方 FIN 的时间，"
        "而不是 TIME-WAIT），所以场景里的 `msl` "
        "在这里不起作用。");
}

LocalizedText narrateTimer(const Trace& trace, std::size_t i, const Numbers& n) {
    const auto& e = trace.event(i);
    const Side s = e.endpoint;
    const Tcb& before = trace.snapshotAt(i).of(s);
    switch (e.timer) {
    case TimerKind::Retransmission:
        return both(
            fill("{0}'s retransmission timer expires after {1}: the oldest "
                 "unacknowledged segment (SEQ={2}) got no acknowledgment in time.",
                 {sideEnCapitalised(s), seconds(before.rtoUs), n.in(s, before.sndUna)}),
            fill("{0}的重传定时器在 {1} 后到期：最早的未确认报文段（SEQ={2}）没有及时得到确认。",
                 {sideZh(s), seconds(before.rtoUs), n.in(s, before.sndUna)}));
    case TimerKind::TimeWait:
        if (trace.meta.profile == "linux") {
            LocalizedText out = both(
                fill("{0} has waited 60 s in TIME-WAIT. Old duplicates of this connection have "
                     "died out by now, and a retransmitted FIN would have arrived; the TCB is "
                     "deleted.",
                     {sideEnCapitalised(s)}),
                fill("{0}已在 TIME-WAIT 等待了 60 秒。这条连接的旧重复报文此时都已消亡，"
                     "重传的 FIN 如果有也早该到了；TCB 被删除。",
                     {sideZh(s)}));
            append(out, linuxTimeWait());
            return out;
        }
        return both(
            fill("{0} has waited 2xMSL in TIME-WAIT. MSL, the Maximum Segment "
                 "Lifetime, bounds how long a segment can survive in the network: "
                 "after one MSL every old duplicate of this connection has died out, "
                 "and a second MSL covers any reply to it, so a new connection on the "
                 "same addresses and ports cannot receive stale segments. Meanwhile "
                 "{1} stayed able to re-acknowledge a retransmitted FIN if its last ACK "
                 "had been lost. Now the TCB is deleted.",
                 {sideEnCapitalised(s), sideEn(s)}),
            fill("{0}已在 TIME-WAIT 等待了 2×MSL。MSL（最大报文段生存时间）限定了报文段能在网络中"
                 "存活多久：一个 MSL 之后，这条连接的所有旧重复报文都已消亡，第二个 MSL 覆盖"
                 "对它们的应答，所以同一地址和端口上的新连接不会收到过时的报文段。在此期间，"
                 "如果最后的 ACK 丢失，{0}仍能再次确认重传的 FIN。现在 TCB 被删除。",
                 {sideZh(s)}));
    case TimerKind::UserTimeout:
        return both(fill("{0}'s user timeout expires: data could not be delivered in the time "
                         "the application allowed, so TCP gives up and deletes the connection.",
                         {sideEnCapitalised(s)}),
                    fill("{0}的用户超时到期：数据未能在应用允许的时间内送达，TCP 放弃并删除连接。",
                         {sideZh(s)}));
    case TimerKind::DelayedAck:
        return both(
            fill("{0}'s delayed-ACK timer expires. TCP had held the acknowledgment "
                 "back a little, hoping to send it together with data or a FIN; "
                 "nothing came, so it goes out alone.",
                 {sideEnCapitalised(s)}),
            fill("{0}的延迟确认定时器到期。TCP 把确认推迟了一会儿，希望与数据或 FIN 一起发送；"
                 "什么也没等到，于是单独发出。",
                 {sideZh(s)}));
    case TimerKind::FinWait2:
        return both(fill("{0} has been in FIN-WAIT-2 for tcp_fin_timeout. Its application "
                         "already closed the socket, so no one could read what the peer might "
                         "still send; Linux drops the connection instead of waiting for ever.",
                         {sideEnCapitalised(s)}),
                    fill("{0}在 FIN-WAIT-2 已经停留了 tcp_fin_timeout。它的应用已经关闭了套接字，"
                         "没有人能读取对方可能还会发送的数据；Linux 丢弃连接，而不是永远等待。",
                         {sideZh(s)}));
    }
    return {};
}

/// Linux's give-up (tcp_write_timeout): a time budget, not a count.
LocalizedText linuxGiveUpExplanation(const Arc& a) {
    const std::string from = name(a.from);
    const bool syn = a.from == State::SynSent || a.from == State::SynReceived;
    return both(
        fill("In {0}, the retransmission timer found the retries used up. Linux turns "
             "{1} into a time budget: what that many doublings of the {2} timeout "
             "would take, counted from the first transmission of the segment.{3} "
             "TCP deletes the connection without a word to the peer (no RST: "
             "tcp_write_err); the application gets \"connection timed out\" (ETIMEDOUT).",
             {from, syn ? "tcp_syn_retries" : "tcp_retries2",
              syn ? "initial 1 s" : "minimum 200 ms",
              a.from == State::SynSent ? " SYN-SENT also stops after tcp_syn_retries + "
                                         "tcp_syn_linear_timeouts retransmissions."
                                       : ""}),
        fill("在 {0}，重传定时器发现重试已经用完。Linux 把 {1} 换算成一个时间预算："
             "{2}的超时加倍这么多次所需的时间，从该报文段第一次发送时算起。{3}"
             "TCP 删除连接，不通知对方（不发送 RST：tcp_write_err）；应用得到"
             " ETIMEDOUT（“连接超时”）。",
             {from, syn ? "tcp_syn_retries" : "tcp_retries2", syn ? "初始 1 秒" : "最小 200 毫秒",
              a.from == State::SynSent ? "在 SYN-SENT 中，重传达到 tcp_syn_retries + "
                                         "tcp_syn_linear_timeouts 次时也会放弃。"
                                       : ""}));
}

/// ESTABLISHED -> CLOSE-WAIT as this trace shows it: whether the FIN's ACK left
/// at once or later (Linux delays it), and on what.
LocalizedText rcvFinExplanation(const Trace& trace, std::size_t i) {
    const TraceEvent& e = trace.event(i);
    const Side s = e.endpoint;
    const std::uint32_t finEnd = trace.snapshotAt(i + 1).of(s).rcvNxt;
    const Reaction r = trace.reaction(i);
    const TraceEvent* ack = nullptr;
    for (std::size_t j = r.cause.value_or(r.begin); j < trace.size(); ++j) {
        const TraceEvent& c = trace.event(j);
        if (c.kind == EventKind::Send && c.endpoint == s && !c.injected &&
            c.segment.has(flag::ACK) && seqGe(c.segment.ack, finEnd)) {
            ack = &c;
            break;
        }
    }
    LocalizedText out = both("The peer's FIN arrives: it will send nothing more. The application "
                             "will read end-of-file (read() returns 0), but TCP cannot close for "
                             "the application.",
                             "对方的 FIN 到达：它不会再发送任何数据。应用再读会读到文件结束"
                             "（read() 返回 0），但 TCP 不能替应用关闭。");
    if (ack == nullptr) {
        append(out, both("Its acknowledgment has not left yet.", "对它的确认还没有发出。"));
        return out;
    }
    const std::int64_t delay = ack->timeUs - e.timeUs;
    if (delay <= 0) {
        append(out, both("TCP acknowledges the FIN at once.", "TCP 立即确认这个 FIN。"));
    } else if (ack->segment.has(flag::FIN)) {
        append(out, both(fill("Linux does not acknowledge it at once: it holds the ACK back "
                              "(delayed ACK) hoping the application closes soon. It did, {0} "
                              "later, so the ACK rides on its FIN.",
                              {seconds(delay)}),
                         fill("Linux 不立即确认：它推迟 ACK（延迟确认），希望应用很快关闭。"
                              "应用在 {0} 后关闭了，于是 ACK 搭载在它的 FIN 上。",
                              {seconds(delay)})));
    } else {
        append(out, both(fill("Linux does not acknowledge it at once: it holds the ACK back "
                              "(delayed ACK) hoping the application closes soon, and the ACK "
                              "leaves on its own {0} later.",
                              {seconds(delay)}),
                         fill("Linux 不立即确认：它推迟 ACK（延迟确认），希望应用很快关闭；"
                              "ACK 在 {0} 后单独发出。",
                              {seconds(delay)})));
    }
    return out;
}

// What the application's call returns when the connection fails under it.
LocalizedText narrateError(const TraceEvent& e) {
    static constexpr std::array<std::string_view, 4> kZhText{"连接被拒绝", "连接被对方重置",
                                                             "连接超时", "管道破裂"};
    const std::string name(socketErrorName(e.socketError));
    const std::string en(socketErrorText(e.socketError));
    const std::string zh(kZhText.at(static_cast<std::size_t>(e.socketError)));
    switch (e.errorCall) {
    case ErrorCall::Connect:
        return both(fill("{0}'s application: its connect() returns -1 with errno {1} (\"{2}\").",
                         {sideEnCapitalised(e.endpoint), name, en}),
                    fill("{0}应用：它的 connect() 返回 -1，errno 为 {1}（“{2}”）。",
                         {sideZh(e.endpoint), name, zh}));
    case ErrorCall::Recv:
        return both(fill("{0}'s application: the read it has pending returns -1 with errno {1} "
                         "(\"{2}\"); the connection is gone, and the program learns it here.",
                         {sideEnCapitalised(e.endpoint), name, en}),
                    fill("{0}应用：它正在等待的读调用返回 -1，errno 为 {1}（“{2}”）；"
                         "连接已经不在了，程序在这里得知。",
                         {sideZh(e.endpoint), name, zh}));
    case ErrorCall::Send:
        return both(fill("{0}'s application: send() returns -1 with errno {1} (\"{2}\"): this "
                         "side can send no more. Unless the program ignores SIGPIPE, that signal "
                         "ends it first.",
                         {sideEnCapitalised(e.endpoint), name, en}),
                    fill("{0}应用：send() 返回 -1，errno 为 {1}（“{2}”）：这一端不能再发送了。"
                         "程序若没有忽略 SIGPIPE，会先被这个信号终止。",
                         {sideZh(e.endpoint), name, zh}));
    }
    return {};
}

LocalizedText narrateTransition(const Trace& trace, std::size_t i) {
    const auto& e = trace.event(i);
    // A linux lesson names each state also as `ss` prints it (ESTABLISHED (ESTAB)),
    // since that is what a student types into a terminal and sees.
    const StateNameStyle style =
        trace.meta.profile == "linux" ? StateNameStyle::Both : StateNameStyle::Rfc9293;
    const std::string from(stateName(e.from, style));
    const std::string to(stateName(e.to, style));
    LocalizedText out = both(fill("{0}: {1} -> {2}.", {sideEnCapitalised(e.endpoint), from, to}),
                             fill("{0}：{1} -> {2}。", {sideZh(e.endpoint), from, to}));
    const Arc& a = arc(e.arc);
    if (trace.meta.profile == "linux" && startsWith(a.key, "give-up-") &&
        e.arc != ArcId::GiveUpSynReceivedListen) {
        append(out, linuxGiveUpExplanation(a));
    } else if (startsWith(a.key, "rst-")) {
        // Who learns of the reset is a fact of this trace, not of the arc.
        append(out, rstDeletes(name(a.from)));
        append(out, resetTold(trace, e.endpoint, i));
    } else if (e.arc == ArcId::RcvFin) {
        append(out, rcvFinExplanation(trace, i));
    } else if (e.arc == ArcId::TimeWaitTimeout && trace.meta.profile == "linux") {
        append(out, both("TIME-WAIT's 60 s have passed: old duplicates of this connection have "
                         "died out and a retransmitted FIN would have arrived by now. The "
                         "connection is deleted and the port pair can be used again.",
                         "TIME-WAIT 的 60 秒已经过去：这条连接的旧重复报文已经消亡，重传的 FIN "
                         "如果有也早该到了。连接被删除，这对端口可以再次使用。"));
    } else {
        append(out, arcExplanation(e.arc));
    }
    if (trace.meta.profile == "linux" && e.to == State::TimeWait) {
        append(out, linuxTimeWait());
    }
    append(out, stateExplanation(e.to), true);
    return out;
}

} // namespace

LocalizedText captureCaveat(const Trace& trace) {
    LocalizedText out;
    if (!trace.meta.fromCapture) {
        return out;
    }
    const CaptureView& view = trace.meta.capture;
    if (view.startLost) {
        append(out, both("The capture begins after this connection's handshake (no SYN seen): "
                         "both ends are taken to be ESTABLISHED at its first packet. That is an "
                         "assumption, not something the capture shows.",
                         "抓包开始于这条连接的握手之后（没有看到 SYN）：两端在第一个分组时被当作 "
                         "ESTABLISHED。这是假定，并非抓包所见。"));
    }
    for (const Side seen : {Side::Client, Side::Server}) {
        if (view.sawSide(seen) && !view.sawSide(peer(seen))) {
            append(out,
                   both(fill("Only {0}'s packets were captured (the others took another "
                             "path, or the capture missed them): {1}'s states are inferred "
                             "from {0}'s packets alone.",
                             {sideEn(seen), sideEn(peer(seen))}),
                        fill("只抓到了{0}发送的分组（另一方向的分组走了别的路径，或没有被抓到）："
                             "{1}的状态仅由{0}的分组推断。",
                             {sideZh(seen), sideZh(peer(seen))})));
        }
    }
    return out;
}

LocalizedText narrate(const Trace& trace, std::size_t eventIndex, const NarrationOptions& options) {
    if (eventIndex >= trace.size()) {
        return {};
    }
    const Numbers numbers(trace, options);
    LocalizedText out;
    const TraceEvent& event = trace.event(eventIndex);
    // A lesson's note tells what its step does; a call that was refused (in a
    // what-if branch, say) did not do it.
    const bool refused = event.kind == EventKind::Call && !event.callError.empty();
    for (const auto& n : trace.meta.stepNotes) {
        if (n.event == eventIndex && !refused) {
            append(out, numbers.relative() ? relativeNote(trace, numbers, n.text) : n.text, true);
        }
    }
    LocalizedText generated;
    switch (trace.event(eventIndex).kind) {
    case EventKind::Call:
        generated = narrateCall(trace, eventIndex, numbers);
        break;
    case EventKind::Send:
        generated = narrateSend(trace, eventIndex, numbers);
        break;
    case EventKind::Arrive:
        generated = narrateArrive(trace, eventIndex, numbers);
        break;
    case EventKind::Drop:
        generated = narrateDrop(trace, eventIndex);
        break;
    case EventKind::Timer:
        generated = narrateTimer(trace, eventIndex, numbers);
        break;
    case EventKind::Transition:
        generated = narrateTransition(trace, eventIndex);
        break;
    case EventKind::Error:
        generated = narrateError(trace.event(eventIndex));
        break;
    }
    append(out, generated, true);
    if (out.zh.empty()) {
        out.zh = out.en;
    }
    return out;
}

} // namespace tcpviz
