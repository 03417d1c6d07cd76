// The glossary of the state diagram: what each arc and each state means, in
// English and Simplified Chinese. The graph shows it on hover; the narration
// quotes it when an endpoint takes an arc.
#include "narration/glossary.h"

#include "narration/narration_text.h"

namespace tcpviz {

using namespace narration;

namespace {

/// A generic explanation for the arc families that share one reason.
LocalizedText familyExplanation(const Arc& a) {
    const std::string from = name(a.from);
    const std::string_view key = a.key;
    if (startsWith(key, "rst-")) {
        LocalizedText out = rstDeletes(from);
        append(out, both("An application that still holds the socket learns \"connection "
                         "reset by peer\"; one that has already closed it is told nothing.",
                         "仍持有套接字的应用会得知 ECONNRESET（“连接被对方重置”）；"
                         "已经关闭套接字的应用什么也不会被告知。"));
        return out;
    }
    if (startsWith(key, "abort-")) {
        return both(fill("The application aborts in {0}. Where the peer may still hold the "
                         "connection, a RST is sent so that it drops it too; the TCB is "
                         "deleted at once, without TIME-WAIT.",
                         {from}),
                    fill("应用在 {0} 中止连接。如果对方可能仍持有这条连接，就发送 RST 让它也丢弃；"
                         "TCB 立即被删除，没有 TIME-WAIT。",
                         {from}));
    }
    if (startsWith(key, "give-up-")) {
        return both(fill("In {0}, the same segment was retransmitted the maximum number of "
                         "times without an acknowledgment. TCP concludes that the peer or the "
                         "path is gone and deletes the connection; the application gets "
                         "\"connection timed out\".",
                         {from}),
                    fill("在 {0}，同一个报文段已被重传到最大次数仍没有确认。TCP 认定对方或路径已经"
                         "不在，删除连接；应用得到 ETIMEDOUT（“连接超时”）。",
                         {from}));
    }
    if (startsWith(key, "data-after-close-")) {
        return both(
            fill("Linux: data arrives in {0} after the application called close() "
                 "(not shutdown()). Nobody will ever read it, so rather than let the "
                 "peer believe it was delivered, TCP answers with a RST and deletes "
                 "the connection.",
                 {from}),
            fill("Linux：应用调用 close()（而不是 shutdown()）之后，数据在 {0} 到达。"
                 "再也没有人会读取它，为了不让对方误以为数据已送达，TCP 用 RST 回答并删除连接。",
                 {from}));
    }
    if (startsWith(key, "user-timeout-")) {
        return both(
            fill("The user timeout expired in {0}: data could not be delivered within "
                 "the time the application allowed, so the connection is deleted.",
                 {from}),
            fill("在 {0} 用户超时到期：数据未能在应用允许的时间内送达，连接被删除。", {from}));
    }
    return both(a.label(), a.label());
}

} // namespace

LocalizedText rstDeletes(const std::string& from) {
    return both(fill("A valid RST arrived in {0}: its sequence number is exactly the next "
                     "one expected, so it cannot be an old or forged segment. The "
                     "connection is deleted at once.",
                     {from}),
                fill("在 {0} 收到有效的 RST：它的序列号恰好是期望的下一个，不可能是旧的或伪造的"
                     "报文段。连接立即被删除。",
                     {from}));
}

LocalizedText arcExplanation(ArcId id) {
    const Arc& a = arc(id);
    switch (id) {
    case ArcId::PassiveOpen:
        return both("Passive OPEN: the application is ready to accept connections. TCP "
                    "creates a TCB with no peer yet and waits for a SYN.",
                    "被动打开：应用准备接受连接。TCP 创建一个还没有对端的 TCB，等待 SYN。");
    case ArcId::ActiveOpen:
        return both(
            "Active OPEN: the application wants to connect. TCP chooses its initial "
            "sequence number and sends a SYN carrying it.",
            "主动打开：应用要发起连接。TCP 选择初始序列号，并发送携带初始序列号 ISN 的 SYN。");
    case ArcId::ListenClose:
        return both("The listening application closes: there is no connection yet, so the "
                    "TCB is simply deleted.",
                    "监听的应用关闭：还没有连接，TCB 直接被删除。");
    case ArcId::ListenSend:
        return both("A SEND on a listening connection turns it into an active open: TCP "
                    "sends a SYN.",
                    "在监听的连接上调用 SEND 会把它变成主动打开：TCP 发送 SYN。");
    case ArcId::RcvSyn:
        return both("A SYN arrives at a listener. TCP records the peer's ISN and answers "
                    "SYN,ACK: its own SYN plus the acknowledgment of the peer's. The "
                    "connection is half-open until the final ACK arrives.",
                    "SYN 到达监听方。TCP 记录对方的 ISN，回复 SYN+ACK：自己的 SYN 加上对对方 SYN 的"
                    "确认。在最后的 ACK 到达前，这是一条半连接，放在半连接队列（SYN 队列）中。");
    case ArcId::SynSentClose:
        return both("The application gives up before the handshake completed: the TCB is "
                    "deleted.",
                    "应用在握手完成之前放弃：TCB 被删除。");
    case ArcId::SimultaneousOpen:
        return both("A bare SYN (no ACK) arrives while our own SYN is unanswered: both sides "
                    "opened at once. TCP answers SYN,ACK and waits, like a listener would, "
                    "for the acknowledgment of its SYN.",
                    "在自己的 SYN 尚未得到应答时收到一个不带 ACK 的 SYN：双方同时打开。TCP 回复 "
                    "SYN+ACK，并像监听方那样等待对自己 SYN 的确认。");
    case ArcId::RcvSynAck:
        return both(
            "The SYN,ACK acknowledges our SYN (ACK = our ISN + 1) and carries the "
            "peer's ISN. Both sequence numbers are now known to both sides... almost: "
            "TCP sends the final ACK so that the peer knows its SYN arrived.",
            "SYN+ACK 确认了我们的 SYN（ACK = 我们的 ISN + 1），并携带对方的 ISN。双方现在"
            "都知道了两个序列号……还差一点：TCP 发送最后的 ACK，让对方知道它的 SYN 已到达。");
    case ArcId::RcvAckOfSyn:
        return both(
            "The ACK of our SYN arrives: the peer has confirmed our ISN, and we "
            "already know its ISN. Both directions are synchronized; data may flow.",
            "对我们 SYN 的 ACK 到达：对方确认了我们的 ISN，而我们已经知道它的 ISN。两个方向都已"
            "同步；数据可以流动了。");
    case ArcId::SynReceivedClose:
        return both("The application closes before the handshake completed: TCP finishes the "
                    "handshake's obligations by sending a FIN.",
                    "应用在握手完成之前关闭：TCP 发送 FIN。");
    case ArcId::SynReceivedRst:
        return both(
            "A RST answers our SYN,ACK: the SYN we accepted was an old duplicate, or "
            "the client changed its mind. The half-open connection is dropped and, "
            "since it came from a listener, TCP goes back to LISTEN for the next SYN.",
            "RST 回应了我们的 SYN+ACK：我们接受的 SYN 是一个旧的重复报文，或者客户端改变了主意。"
            "半连接被丢弃，因为它来自监听方，TCP 回到 LISTEN 等待下一个 SYN。");
    case ArcId::SynReceivedSyn:
        return both(
            "A SYN arrives inside the window of a half-open connection that came "
            "from a listener: the peer evidently restarted, so the half-open "
            "connection is dropped and the listener is back in LISTEN.",
            "一个 SYN 落在来自监听方的半连接的窗口内：对方显然重新开始了，所以半连接被丢弃，"
            "监听方回到 LISTEN。");
    case ArcId::EstablishedClose:
        return both(
            "Active close: the application has no more data to send. TCP sends FIN "
            "and waits for it to be acknowledged; it can still receive data.",
            "主动关闭：应用没有更多数据要发送。TCP 发送 FIN 并等待它被确认；它仍然可以接收数据。");
    case ArcId::RcvFin:
        return both(
            "The peer's FIN arrives: it will send nothing more. TCP acknowledges it (RFC 9293 "
            "at once; Linux delays the ACK up to 40 ms, hoping to send it with the "
            "application's FIN) and tells the application end-of-file, but it cannot close "
            "for the application.",
            "对方的 FIN 到达：它不会再发送任何数据。TCP 确认它（RFC 9293 立即确认；Linux 把 ACK "
            "最多推迟 40 毫秒，希望与应用的 FIN 一起发送），并告诉应用文件结束，但它不能"
            "替应用关闭。");
    case ArcId::FinWait1AckOfFin:
        return both("Our FIN is acknowledged: our direction is closed. Now we wait for the "
                    "peer to close its direction.",
                    "我们的 FIN 已被确认：我们的方向关闭了。现在等待对方关闭它的方向。");
    case ArcId::SimultaneousClose:
        return both("A FIN arrives while our own FIN is not yet acknowledged: both sides are "
                    "closing at the same time. TCP acknowledges the FIN and keeps waiting for "
                    "the ACK of its own.",
                    "在自己的 FIN 尚未被确认时收到 FIN：双方同时关闭。TCP 确认这个 "
                    "FIN，继续等待对自己 FIN 的确认。");
    case ArcId::FinWait2RcvFin:
        return both("The peer's FIN arrives: both directions are closed. TCP sends the last "
                    "ACK and enters TIME-WAIT, because that ACK might be lost.",
                    "对方的 FIN 到达：两个方向都关闭了。TCP 发送最后的 ACK 并进入 "
                    "TIME-WAIT，因为这个 ACK 可能丢失。");
    case ArcId::ClosingAckOfFin:
        return both("The ACK of our FIN arrives after a simultaneous close: both directions "
                    "are closed, and we enter TIME-WAIT.",
                    "同时关闭之后，对我们 FIN 的 ACK 到达：两个方向都关闭了，进入 TIME-WAIT。");
    case ArcId::CloseWaitClose:
        return both("The application finally closes. TCP sends its FIN and waits for the "
                    "last ACK.",
                    "应用终于关闭。TCP 发送 FIN 并等待最后的 ACK。");
    case ArcId::LastAckAckOfFin:
        return both("The ACK of our FIN arrives: everything has been sent and acknowledged "
                    "in both directions. The passive closer needs no TIME-WAIT: the TCB is "
                    "deleted at once.",
                    "对我们 FIN 的 ACK 到达：两个方向的所有数据都已发送并确认。被动关闭方不需要 "
                    "TIME-WAIT：TCB 立即被删除。");
    case ArcId::TimeWaitTimeout:
        return both(
            "2xMSL have passed: old duplicates of this connection have died out in "
            "the network and a retransmitted FIN would have arrived by now. The "
            "connection is deleted and the port pair can be used again.",
            "2×MSL 已经过去：这条连接的旧重复报文已在网络中消亡，重传的 FIN 如果有也早该到了。"
            "连接被删除，这对端口可以再次使用。");
    case ArcId::FinWait1FinAck:
        return both("One segment carries the peer's FIN and the acknowledgment of our FIN: "
                    "both directions close at once, so FIN-WAIT-2 is skipped. TCP "
                    "acknowledges the FIN and enters TIME-WAIT.",
                    "一个报文段同时携带对方的 FIN 和对我方 FIN 的确认：两个方向同时关闭，因此跳过 "
                    "FIN-WAIT-2。TCP 确认这个 FIN，进入 TIME-WAIT。");
    case ArcId::SynSentRst:
        return both("A RST that acknowledges our SYN: nobody listens on that port. The "
                    "connection attempt fails with \"connection refused\".",
                    "一个确认了我们 SYN 的 RST：那个端口上没有人监听。连接尝试以 ECONNREFUSED"
                    "（“连接被拒绝”）失败。");
    case ArcId::SynReceivedRstActive:
        return both("A RST during a simultaneous open: the connection attempt is refused and "
                    "the TCB deleted.",
                    "同时打开期间收到 RST：连接尝试被拒绝，TCB 被删除。");
    case ArcId::GiveUpSynReceivedListen:
        return both(
            "The SYN,ACK was retransmitted tcp_synack_retries times and the final "
            "ACK never came: the client was probably a forged address. Linux drops "
            "the half-open connection silently, and the endpoint goes back to LISTEN. "
            "(In the kernel the listening socket itself never left LISTEN: each half-open "
            "connection is a request socket of its own, in SYN-RECEIVED.)",
            "SYN+ACK 已重传 tcp_synack_retries 次，最后的 ACK 始终没有到来：客户端很可能是伪造的"
            "地址。Linux 悄悄丢弃这条半连接，端点回到 LISTEN。（在内核中，监听套接字本身从未离开 "
            "LISTEN：每条半连接都是一个单独的请求套接字，处于 SYN-RECEIVED。）");
    case ArcId::FinWait2Timeout:
        return both(
            "Linux: the application has closed, and the peer has not sent its FIN "
            "within tcp_fin_timeout. Nobody could read more data anyway, so the "
            "connection is dropped; a late FIN will get a RST.",
            "Linux：应用已经关闭，而对方在 tcp_fin_timeout 内没有发送 FIN。反正没有人能读取更多"
            "数据，于是连接被丢弃；迟到的 FIN 会得到 RST。");
    case ArcId::TimeWaitSyn:
        return both(
            "Linux: a new SYN reaches the connection in TIME-WAIT. Its sequence number lies "
            "above everything the old connection received (RCV.NXT), so it cannot be an old "
            "duplicate: the TIME-WAIT socket is dropped and the listener on this port takes "
            "the SYN as a new connection, choosing an ISN 65537 above the old SND.NXT so that "
            "no old segment fits the new one (RFC 9293 3.6 allows this, MAY-2; "
            "tcp_timewait_state_process). A SYN at or below RCV.NXT would only get the old "
            "connection's ACK.",
            "Linux：一个新的 SYN 到达处于 TIME-WAIT 的连接。它的序列号高于旧连接收到的一切"
            "（RCV.NXT），不可能是旧的重复报文：TIME-WAIT 套接字被丢弃，这个端口上的监听套接字"
            "把这个 SYN 当作新连接接受，并选一个比旧 SND.NXT 大 65537 的 ISN，使旧报文段无法"
            "混入新连接（RFC 9293 3.6 允许这样做，MAY-2；tcp_timewait_state_process）。"
            "序列号不超过 RCV.NXT 的 SYN 只会得到旧连接的 ACK。");
    case ArcId::SynAfterCloseFinWait2:
        return both(
            "Linux: the application has closed and our FIN is acknowledged, so the kernel "
            "keeps this FIN-WAIT-2 only as a small TIME-WAIT socket. A SYN inside its window "
            "cannot belong to this connection: it answers with a RST built from the SYN "
            "(SEQ=0, ACK=the SYN's SEQ + 1) and deletes the connection "
            "(tcp_timewait_state_process, TCP_TW_RST). A full socket would send a challenge "
            "ACK (RFC 5961), as RFC 9293 does.",
            "Linux：应用已经关闭，我们的 FIN 也已被确认，所以内核只把这个 FIN-WAIT-2 保留为一个"
            "小小的 TIME-WAIT 套接字。落在其窗口内的 SYN 不可能属于这条连接：它用根据该 SYN "
            "构造的 RST 回答（SEQ=0，ACK=该 SYN 的 SEQ + 1）并删除连接"
            "（tcp_timewait_state_process，TCP_TW_RST）。完整的套接字会像 RFC 9293 那样发送挑战 "
            "ACK（RFC 5961）。");
    case ArcId::ListenerClosedSynReceived:
        return both(
            "Linux: the application closes its listening socket while this connection is "
            "still half-open. The request is dropped without a word; the client's final ACK "
            "will find no socket and get a RST.",
            "Linux：应用关闭了监听套接字，而这条连接仍是半连接。这个连接请求被悄悄丢弃；"
            "客户端最后的 ACK 将找不到任何套接字，得到一个 RST。");
    case ArcId::RequestExpired:
        return both(
            "Linux: the SYN,ACK was retransmitted as often as tcp_synack_retries allows "
            "(fewer while the SYN queue is more than half full) and the final ACK never "
            "came. The request socket is freed without a word to the client and leaves the "
            "SYN queue: this connection no longer exists on the server (ss -tan stops "
            "listing it). The listening socket, another socket, stays in LISTEN.",
            "Linux：SYN+ACK 已按 tcp_synack_retries 允许的次数重传（SYN 队列超过一半时次数更少），"
            "最后的 ACK 始终没有到来。请求套接字被释放，不通知客户端，并离开 SYN 队列："
            "服务器上这条连接已不复存在（ss -tan 不再列出它）。监听套接字是另一个套接字，"
            "仍处于 LISTEN。");
    case ArcId::ListenerClosedEstablished:
    case ArcId::ListenerClosedCloseWait:
        return both(
            "Linux: the application closes its listening socket while this connection waits "
            "in the accept queue, never accept()ed. Nobody can ever read it, so the kernel "
            "resets it (RST) and deletes it (inet_csk_listen_stop). A connection already "
            "accepted would have lived on.",
            "Linux：应用关闭了监听套接字，而这条连接还在全连接队列（accept 队列）中，从未被 "
            "accept()。再也没有人能读取它，所以内核用 RST 复位并删除它"
            "（inet_csk_listen_stop）。已经被 accept() 的连接则会继续存在。");
    case ArcId::CloseUnreadEstablished:
    case ArcId::CloseUnreadCloseWait:
        return both(
            "The application closes while received data is still unread. That data "
            "would be lost without the peer knowing, so Linux sends RST instead of "
            "FIN (RFC 2525).",
            "应用在仍有未读数据时关闭。这些数据会在对方不知情的情况下丢失，所以 Linux 发送 RST "
            "而不是 FIN（RFC 2525）。");
    default:
        return familyExplanation(a);
    }
}

LocalizedText stateExplanation(State state) {
    switch (state) {
    case State::Closed:
        return both("CLOSED: no connection. There is no TCB; a segment arriving for this "
                    "connection is answered with a RST.",
                    "CLOSED：没有连接。没有 TCB；到达这条连接的报文段会得到 RST（复位）。");
    case State::Listen:
        return both("LISTEN: waiting for a connection request (SYN) from any remote TCP.",
                    "LISTEN：等待任何远端 TCP 的连接请求（SYN）。");
    case State::SynSent:
        return both("SYN-SENT: our SYN is out; waiting for the peer's SYN and the "
                    "acknowledgment of ours.",
                    "SYN-SENT：我们的 SYN 已发出；等待对方的 SYN 以及对我们 SYN 的确认。");
    case State::SynReceived:
        return both(
            "SYN-RECEIVED: we have the peer's SYN and sent ours; waiting for the "
            "acknowledgment of our SYN. A listener's half-open connections wait here; "
            "a SYN flood fills the queue of this state.",
            "SYN-RECEIVED：已收到对方的 SYN 并发出我们的 SYN；等待对我们 SYN 的确认。监听方的"
            "半连接在这里等待，即半连接队列（SYN 队列）；SYN 洪泛（SYN "
            "Flood）攻击填满的就是这个队列。握手完成后，连接进入全连接队列（accept "
            "队列），等待应用调用 accept()。");
    case State::Established:
        return both("ESTABLISHED: the connection is open; data flows in both directions. "
                    "This is the normal state for the data transfer phase.",
                    "ESTABLISHED：连接已打开；数据双向流动。这是数据传输阶段的正常状态。");
    case State::FinWait1:
        return both("FIN-WAIT-1: our application closed and our FIN is out; waiting for its "
                    "acknowledgment (or for the peer's FIN). We can still receive data.",
                    "FIN-WAIT-1：我们的应用已关闭，FIN 已发出；等待它的确认（或对方的 "
                    "FIN）。我们仍然可以接收数据。");
    case State::FinWait2:
        return both("FIN-WAIT-2: our direction is closed and acknowledged; waiting for the "
                    "peer to finish sending and close its direction with a FIN. Data may "
                    "still arrive (half-close).",
                    "FIN-WAIT-2：我们的方向已关闭并被确认；等待对方发送完毕并用 FIN 关闭它的方向。"
                    "数据仍可能到达（半关闭）。");
    case State::CloseWait:
        return both(
            "CLOSE-WAIT: the peer has closed its direction; TCP is waiting for OUR "
            "application to close. The application has read end-of-file and may "
            "still send. Sockets stuck here for long are an application bug: it "
            "never calls close().",
            "CLOSE-WAIT：对方已关闭它的方向；TCP 在等待我们的应用关闭。应用再读会读到文件结束"
            "（read() 返回 0），它仍可以发送。长时间停在这里的套接字是应用的缺陷：它从不调用 "
            "close()。");
    case State::Closing:
        return both("CLOSING: both sides closed at the same time; we have acknowledged the "
                    "peer's FIN and wait for the acknowledgment of ours.",
                    "CLOSING：双方同时关闭；我们已确认对方的 FIN，正在等待对我们 FIN 的确认。");
    case State::LastAck:
        return both("LAST-ACK: the peer closed first, then our application closed; waiting "
                    "for the acknowledgment of our FIN, after which the TCB is deleted.",
                    "LAST-ACK：对方先关闭，随后我们的应用也关闭了；等待对我们 FIN 的确认，之后 TCB "
                    "被删除。");
    case State::TimeWait:
        return both(
            "TIME-WAIT: the active closer waits 2xMSL before deleting the "
            "connection, for two reasons: if our last ACK was lost, the peer's "
            "retransmitted FIN must be answered; and old duplicate segments must die "
            "out before the same address and port pair is used again.",
            "TIME-WAIT：主动关闭方在删除连接前等待 2×MSL，原因有二：如果我们最后的 ACK 丢失，"
            "必须应答对方重传的 FIN；并且在同一对地址和端口再次使用之前，旧的重复报文段必须消亡。");
    }
    return {};
}

} // namespace tcpviz
