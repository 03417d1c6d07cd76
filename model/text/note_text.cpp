// The Chinese of the model's remarks ("retransmission 1, RTO now 2000 ms"), so
// that the Chinese RFC table and narration carry no English (the model has no
// Qt translator).
#include "text/note_text.h"

#include <array>
#include <cctype>
#include <string>
#include <vector>

namespace tcpviz {

namespace {

constexpr std::array<NoteTranslation, 67> kNotes{{
    // The network (simulator).
    {"lost in the network", "在网络中丢失"},
    {"duplicated by the network", "网络复制出的副本"},
    {"injected", "从连接外部注入"},
    // User calls and their refusals (RFC 9293 section 3.10 error texts).
    {"ABORT (SO_LINGER 0)", "应用中止连接（ABORT，SO_LINGER 为 l_onoff=1、l_linger=0）"},
    {"close with %1 unread bytes", "关闭时仍有 %1 字节未读"},
    {"active OPEN on a listening connection", "在监听中的连接上主动打开"},
    {"data queued until ESTABLISHED", "数据先排队，进入 ESTABLISHED 后再发送"},
    {"CLOSE issued before ESTABLISHED", "在进入 ESTABLISHED 之前调用了 CLOSE"},
    {"connection does not exist", "连接不存在"},
    {"connection already exists", "连接已存在"},
    {"connection closing", "连接正在关闭"},
    {"connection not accepted yet", "连接尚未被 accept()"},
    {"no listening socket", "没有监听套接字"},
    {"window update: %1 bytes read", "窗口更新：已读取 %1 字节"},
    {"listener closed: the half-open connection is dropped", "监听套接字已关闭：半连接被丢弃"},
    {"listener closed before accept(): reset", "监听套接字在 accept() 之前关闭：复位"},
    {"scripted endpoint: its segments come only from inject steps",
     "脚本端点：它的报文段只来自场景的注入（inject）步骤"},
    // Timers.
    {"retransmission %1, RTO now %2 ms", "第 %1 次重传，RTO 现为 %2 ms"},
    {"retransmission limit reached", "已达到重传次数上限"},
    {"connection timed out", "连接超时（ETIMEDOUT）"},
    {"connection aborted due to user timeout", "用户超时，连接被中止"},
    {"SYN,ACK retries exhausted", "SYN+ACK 重传次数已用完"},
    {"tcp_fin_timeout: orphan dropped", "tcp_fin_timeout 到期：丢弃孤儿连接"},
    {"delayed ACK", "延迟确认"},
    {"ACK delayed", "ACK 延迟发送"},
    // Segment arrival processing.
    {"no connection: reset", "连接不存在：回复 RST"},
    {"ACK in LISTEN: reset", "在 LISTEN 状态收到 ACK：回复 RST"},
    {"unacceptable ACK in SYN-SENT: reset", "在 SYN-SENT 状态收到不可接受的 ACK：回复 RST"},
    {"unacceptable ACK: reset", "不可接受的 ACK：回复 RST"},
    {"connection refused", "连接被拒绝（ECONNREFUSED）"},
    {"connection reset", "连接被重置（ECONNRESET）"},
    {"retransmitted SYN: repeat SYN,ACK", "收到重传的 SYN：再次发送 SYN+ACK"},
    {"SYN in window: back to LISTEN", "窗口内收到 SYN：回到 LISTEN"},
    {"challenge ACK (RFC 5961)", "挑战 ACK（RFC 5961）"},
    {"RST ends TIME-WAIT (tcp_rfc1337 = 0)", "RST 提前结束了 TIME-WAIT（tcp_rfc1337 = 0）"},
    {"an ACK at RCV.NXT restarts TIME-WAIT", "RCV.NXT 处的 ACK 使 TIME-WAIT 重新计时"},
    {"restarts TIME-WAIT", "TIME-WAIT 重新计时"},
    {"TIME-WAIT answers with its ACK", "TIME-WAIT 以它的 ACK 作答"},
    {"RST in the window ends the orphan", "窗口内的 RST 结束了孤儿连接"},
    {"challenge ACK for SYN (RFC 5961)", "针对 SYN 的挑战 ACK（RFC 5961）"},
    {"segment outside the window: re-ACK", "报文段在窗口之外：重新确认"},
    {"ACK of unsent data: re-ACK", "确认了尚未发送的数据：重新确认"},
    {"out of order: duplicate ACK", "乱序到达：发送重复 ACK"},
    {"data after close: reset", "关闭后又收到数据：回复 RST"},
    {"re-ACK retransmitted FIN", "再次确认重传的 FIN"},
    {"retransmitted FIN restarts 2MSL", "重传的 FIN 让 2MSL 计时重新开始"},
    {"SYN already received: immediate ACK", "SYN 已经收到过：立即回 ACK"},
    {"data on the SYN not acknowledged: sent again", "SYN 携带的数据未被确认：再次发送"},
    // The listener's queues and the client hosts' ports (host simulator).
    {"SYN queue full and tcp_syncookies = 0: SYN dropped",
     "SYN 队列（半连接队列）已满且 tcp_syncookies = 0：丢弃 SYN"},
    {"SYN queue full: answered with a SYN cookie, no state kept",
     "SYN 队列（半连接队列）已满：以 SYN cookie 应答，不保存任何状态"},
    {"tcp_syncookies = 2: answered with a SYN cookie, no state kept",
     "tcp_syncookies = 2：以 SYN cookie 应答，不保存任何状态"},
    {"accept queue full: SYN dropped", "全连接队列已满：丢弃 SYN"},
    {"tcp_syncookies = 0 and the SYN queue past 3/4 of tcp_max_syn_backlog: SYN dropped",
     "tcp_syncookies = 0 且 SYN 队列已超过 tcp_max_syn_backlog 的 3/4：丢弃 SYN"},
    {"SYN cookie: the ISN encodes the connection; nothing is kept, nothing retransmitted",
     "SYN cookie：ISN 编码了这条连接；什么都不保存，也不重传"},
    {"SYN cookie checked: rebuilt from the ACK", "SYN cookie 校验通过：根据 ACK 重建连接"},
    {"valid SYN cookie, but the accept queue is full: ACK dropped",
     "SYN cookie 有效，但全连接队列已满：丢弃 ACK"},
    {"accept queue full (tcp_abort_on_overflow = 0): ACK ignored, the request stays in "
     "SYN-RECEIVED",
     "全连接队列已满（tcp_abort_on_overflow = 0）：忽略 ACK，这条请求仍停在 SYN-RECEIVED"},
    {"accept queue full (tcp_abort_on_overflow = 1): reset",
     "全连接队列已满（tcp_abort_on_overflow = 1）：回复 RST"},
    {"request dropped: accept queue full", "全连接队列已满：丢弃这条请求"},
    {"SYN from a forged source address", "来自伪造源地址的 SYN"},
    {"nobody at the forged address answers", "伪造的地址上没有人应答"},
    {"tcp_tw_reuse: port %1 taken by a new connection", "tcp_tw_reuse：端口 %1 被一条新连接拿走"},
    {"EADDRINUSE: port %1 is held by %2 connection(s) in TIME-WAIT and SO_REUSEADDR is not set",
     "EADDRINUSE：端口 %1 被 %2 条处于 TIME-WAIT 的连接占用，且没有设置 SO_REUSEADDR"},
    // IPv4 servers only: a number at each %n.
    {"EADDRNOTAVAIL: no local port free in ip_local_port_range %1-%2 towards %3.%4.%5.%6:%7",
     "EADDRNOTAVAIL：ip_local_port_range %1-%2 中没有空闲的本地端口可用于连接 %3.%4.%5.%6:%7"},
    {"what-if calls are not available in a multi-connection scenario",
     "多连接场景中不能做“假如”实验的调用"},
    // Capture analysis.
    {"RST outside the receiver's window: ignored", "RST 不在接收窗口内：忽略"},
    {"copy of packet %1 recorded by the capture", "抓包重复记录的第 %1 号分组的副本"},
}};

/// Whether `note` is `pattern` with a number at each %1, %2, ...; the numbers go to `numbers`.
bool match(std::string_view pattern, std::string_view note, std::vector<std::string>& numbers) {
    numbers.clear();
    std::size_t n = 0;
    for (std::size_t p = 0; p < pattern.size(); ++p) {
        if (pattern[p] == '%' && p + 1 < pattern.size() && pattern[p + 1] >= '1' &&
            pattern[p + 1] <= '9') {
            std::string digits;
            while (n < note.size() && std::isdigit(static_cast<unsigned char>(note[n])) != 0) {
                digits.push_back(note[n++]);
            }
            if (digits.empty()) {
                return false;
            }
            numbers.push_back(digits);
            ++p;
            continue;
        }
        if (n >= note.size() || note[n] != pattern[p]) {
            return false;
        }
        ++n;
    }
    return n == note.size();
}

std::string substitute(std::string_view pattern, const std::vector<std::string>& numbers) {
    std::string out;
    for (std::size_t p = 0; p < pattern.size(); ++p) {
        if (pattern[p] == '%' && p + 1 < pattern.size() && pattern[p + 1] >= '1' &&
            pattern[p + 1] <= '9') {
            const auto k = static_cast<std::size_t>(pattern[p + 1] - '1');
            out += k < numbers.size() ? numbers[k] : std::string();
            ++p;
            continue;
        }
        out.push_back(pattern[p]);
    }
    return out;
}

} // namespace

std::span<const NoteTranslation> noteCatalogue() {
    return kNotes;
}

LocalizedText localizedNote(std::string_view note) {
    std::vector<std::string> numbers;
    for (const auto& entry : kNotes) {
        if (match(entry.en, note, numbers)) {
            return {std::string(note), substitute(entry.zh, numbers)};
        }
    }
    return {std::string(note), std::string(note)};
}

} // namespace tcpviz
