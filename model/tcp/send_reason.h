#pragma once

#include <cstdint>

namespace tcpviz {

/// Why an endpoint sent a segment, as the endpoint that sent it knows it. The
/// narration and the RFC notation read this, never the human-readable note.
enum class SendReason : std::uint8_t {
    Unknown,        ///< nobody said: a segment seen in a capture
    Handshake,      ///< SYN of an OPEN, SYN,ACK answering a SYN, the ACK completing it
    Data,           ///< bytes of a SEND
    Ack,            ///< acknowledges what arrived in order (data or a FIN)
    DelayedAck,     ///< the delayed-ACK timer sends the acknowledgment held back
    Close,          ///< CLOSE or shutdown: the FIN after all queued data
    Retransmission, ///< the retransmission timer expired: the oldest unacknowledged segment
    SynAckRepeat,   ///< the peer repeated its SYN in SYN-RECEIVED: the SYN,ACK again at once
    ChallengeAck,   ///< RFC 5961: a RST not at RCV.NXT, or a SYN, in a synchronized state
    FinReAck,       ///< TIME-WAIT: the peer's retransmitted FIN is acknowledged again
    OutOfWindowAck, ///< an unacceptable segment is answered with the ACK really expected
    DuplicateAck,   ///< a segment beyond a hole: the ACK for the hole is repeated
    AckOfUnsent,    ///< an ACK of data never sent is answered with the real position
    ResetReply,     ///< RST answering a segment no connection accepts (RFC 9293 3.10.7)
    Abort,          ///< ABORT (SO_LINGER 0): RST
    CloseUnread,    ///< linux: CLOSE with unread data sends RST instead of FIN
    DataAfterClose, ///< linux: new data after CLOSE in FIN-WAIT-1/2 is answered with RST
    GiveUp,         ///< rfc9293: retransmission limit reached, RST to the peer (linux: none)
    Injected,       ///< a scenario's `inject` step, not a TCP endpoint
    WindowUpdate,   ///< the application read: the receive window opened again
    ListenerClosed, ///< linux: the listener closed with this connection not accepted: RST
};

} // namespace tcpviz
