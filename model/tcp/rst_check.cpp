#include "tcp/rst_check.h"

#include "tcp/arc.h"
#include "tcp/seq.h"

namespace tcpviz {

RstCheck checkRst(const Tcb& receiver, const Segment& rst) {
    RstCheck c;
    c.state = receiver.state;
    c.seq = rst.seq;
    c.rcvNxt = receiver.rcvNxt;
    c.windowEnd = receiver.rcvNxt + receiver.rcvWnd;
    c.hasAck = rst.has(flag::ACK);
    c.ack = rst.ack;
    c.expectedAck = receiver.iss + 1;
    switch (receiver.state) {
    case State::Closed:
    case State::Listen:
        return c; // nothing to reset (3.10.7.1, 3.10.7.2)
    case State::SynSent:
        // 3.10.7.3: acceptable only if it acknowledges our SYN.
        if (c.hasAck && seqLt(receiver.sndUna, rst.ack) && seqLe(rst.ack, receiver.sndNxt) &&
            seqGt(rst.ack, receiver.iss)) {
            c.verdict = RstVerdict::Reset;
        }
        return c;
    default:
        break;
    }
    // The sequence number check (a RST occupies no sequence space), then RFC 5961.
    const std::uint32_t len = rst.seqLen();
    if (receiver.rcvWnd == 0) {
        c.inWindow = len == 0 && rst.seq == receiver.rcvNxt;
    } else {
        c.inWindow = seqInWindow(rst.seq, receiver.rcvNxt, c.windowEnd) ||
                     (len > 0 && seqInWindow(rst.seq + len - 1, receiver.rcvNxt, c.windowEnd));
    }
    if (!c.inWindow) {
        return c;
    }
    if (rst.seq != receiver.rcvNxt) {
        c.verdict = RstVerdict::ChallengeAck;
        return c;
    }
    if (rstArc(receiver.state, receiver.passiveOpen)) {
        c.verdict = RstVerdict::Reset;
    }
    return c;
}

} // namespace tcpviz
