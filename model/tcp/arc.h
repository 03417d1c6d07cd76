#pragma once

#include "state.h"

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace tcpviz {

// The one catalog of state-diagram arcs. Every transition in a Trace names one
// of these, whichever driver produced it, so the state graph can light the arc.
//
// X(enumerator, stable id, from, to, event, action, drawn in RFC 9293 Figure 5)
// The id is part of the JSON contract: never rename one, only add.
#define TCPVIZ_ARCS(X)                                                                             \
    X(PassiveOpen, "passive-open", Closed, Listen, "passive OPEN", "create TCB", true)             \
    X(ActiveOpen, "active-open", Closed, SynSent, "active OPEN", "create TCB, snd SYN", true)      \
    X(ListenClose, "listen-close", Listen, Closed, "CLOSE", "delete TCB", true)                    \
    X(ListenSend, "listen-send", Listen, SynSent, "SEND", "snd SYN", true)                         \
    X(RcvSyn, "rcv-syn", Listen, SynReceived, "rcv SYN", "snd SYN,ACK", true)                      \
    X(SynSentClose, "syn-sent-close", SynSent, Closed, "CLOSE", "delete TCB", true)                \
    X(SimultaneousOpen, "simultaneous-open", SynSent, SynReceived, "rcv SYN", "snd SYN,ACK", true) \
    X(RcvSynAck, "rcv-syn-ack", SynSent, Established, "rcv SYN,ACK", "snd ACK", true)              \
    X(RcvAckOfSyn, "rcv-ack-of-syn", SynReceived, Established, "rcv ACK of SYN", "x", true)        \
    X(SynReceivedClose, "syn-received-close", SynReceived, FinWait1, "CLOSE", "snd FIN", true)     \
    X(SynReceivedRst, "syn-received-rst", SynReceived, Listen, "rcv RST", "x", true)               \
    X(EstablishedClose, "established-close", Established, FinWait1, "CLOSE", "snd FIN", true)      \
    X(RcvFin, "rcv-fin", Established, CloseWait, "rcv FIN", "snd ACK", true)                       \
    X(FinWait1AckOfFin, "fin-wait-1-ack-of-fin", FinWait1, FinWait2, "rcv ACK of FIN", "x", true)  \
    X(SimultaneousClose, "simultaneous-close", FinWait1, Closing, "rcv FIN", "snd ACK", true)      \
    X(FinWait2RcvFin, "fin-wait-2-rcv-fin", FinWait2, TimeWait, "rcv FIN", "snd ACK", true)        \
    X(ClosingAckOfFin, "closing-ack-of-fin", Closing, TimeWait, "rcv ACK of FIN", "x", true)       \
    X(CloseWaitClose, "close-wait-close", CloseWait, LastAck, "CLOSE", "snd FIN", true)            \
    X(LastAckAckOfFin, "last-ack-ack-of-fin", LastAck, Closed, "rcv ACK of FIN", "delete TCB",     \
      true)                                                                                        \
    X(TimeWaitTimeout, "time-wait-timeout", TimeWait, Closed, "Timeout=2MSL", "delete TCB", true)  \
    /* Section 3.10 arcs that Figure 5 leaves out. */                                              \
    X(FinWait1FinAck, "fin-wait-1-fin-ack", FinWait1, TimeWait, "rcv FIN,ACK of FIN", "snd ACK",   \
      false)                                                                                       \
    X(SynSentRst, "syn-sent-rst", SynSent, Closed, "rcv RST,ACK", "delete TCB", false)             \
    X(SynReceivedRstActive, "syn-received-rst-active", SynReceived, Closed, "rcv RST",             \
      "delete TCB", false)                                                                         \
    X(RstEstablished, "rst-established", Established, Closed, "rcv RST", "delete TCB", false)      \
    X(RstFinWait1, "rst-fin-wait-1", FinWait1, Closed, "rcv RST", "delete TCB", false)             \
    X(RstFinWait2, "rst-fin-wait-2", FinWait2, Closed, "rcv RST", "delete TCB", false)             \
    X(RstCloseWait, "rst-close-wait", CloseWait, Closed, "rcv RST", "delete TCB", false)           \
    X(RstClosing, "rst-closing", Closing, Closed, "rcv RST", "delete TCB", false)                  \
    X(RstLastAck, "rst-last-ack", LastAck, Closed, "rcv RST", "delete TCB", false)                 \
    X(RstTimeWait, "rst-time-wait", TimeWait, Closed, "rcv RST", "delete TCB", false)              \
    X(AbortListen, "abort-listen", Listen, Closed, "ABORT", "delete TCB", false)                   \
    X(AbortSynSent, "abort-syn-sent", SynSent, Closed, "ABORT", "delete TCB", false)               \
    X(AbortSynReceived, "abort-syn-received", SynReceived, Closed, "ABORT", "snd RST", false)      \
    X(AbortEstablished, "abort-established", Established, Closed, "ABORT", "snd RST", false)       \
    X(AbortFinWait1, "abort-fin-wait-1", FinWait1, Closed, "ABORT", "snd RST", false)              \
    X(AbortFinWait2, "abort-fin-wait-2", FinWait2, Closed, "ABORT", "snd RST", false)              \
    X(AbortCloseWait, "abort-close-wait", CloseWait, Closed, "ABORT", "snd RST", false)            \
    X(AbortClosing, "abort-closing", Closing, Closed, "ABORT", "delete TCB", false)                \
    X(AbortLastAck, "abort-last-ack", LastAck, Closed, "ABORT", "delete TCB", false)               \
    X(AbortTimeWait, "abort-time-wait", TimeWait, Closed, "ABORT", "delete TCB", false)            \
    X(GiveUpSynSent, "give-up-syn-sent", SynSent, Closed, "retransmission limit", "delete TCB",    \
      false)                                                                                       \
    X(GiveUpSynReceived, "give-up-syn-received", SynReceived, Closed, "retransmission limit",      \
      "delete TCB", false)                                                                         \
    X(GiveUpSynReceivedListen, "give-up-syn-received-listen", SynReceived, Listen,                 \
      "SYN,ACK retries exhausted", "drop half-open connection", false)                             \
    X(GiveUpEstablished, "give-up-established", Established, Closed, "retransmission limit",       \
      "snd RST, delete TCB", false)                                                                \
    X(GiveUpFinWait1, "give-up-fin-wait-1", FinWait1, Closed, "retransmission limit",              \
      "snd RST, delete TCB", false)                                                                \
    X(GiveUpCloseWait, "give-up-close-wait", CloseWait, Closed, "retransmission limit",            \
      "snd RST, delete TCB", false)                                                                \
    X(GiveUpClosing, "give-up-closing", Closing, Closed, "retransmission limit", "delete TCB",     \
      false)                                                                                       \
    X(GiveUpLastAck, "give-up-last-ack", LastAck, Closed, "retransmission limit", "delete TCB",    \
      false)                                                                                       \
    X(UserTimeoutSynSent, "user-timeout-syn-sent", SynSent, Closed, "USER TIMEOUT", "delete TCB",  \
      false)                                                                                       \
    X(UserTimeoutSynReceived, "user-timeout-syn-received", SynReceived, Closed, "USER TIMEOUT",    \
      "delete TCB", false)                                                                         \
    X(UserTimeoutEstablished, "user-timeout-established", Established, Closed, "USER TIMEOUT",     \
      "delete TCB", false)                                                                         \
    X(UserTimeoutFinWait1, "user-timeout-fin-wait-1", FinWait1, Closed, "USER TIMEOUT",            \
      "delete TCB", false)                                                                         \
    X(UserTimeoutFinWait2, "user-timeout-fin-wait-2", FinWait2, Closed, "USER TIMEOUT",            \
      "delete TCB", false)                                                                         \
    X(UserTimeoutCloseWait, "user-timeout-close-wait", CloseWait, Closed, "USER TIMEOUT",          \
      "delete TCB", false)                                                                         \
    X(UserTimeoutClosing, "user-timeout-closing", Closing, Closed, "USER TIMEOUT", "delete TCB",   \
      false)                                                                                       \
    X(UserTimeoutLastAck, "user-timeout-last-ack", LastAck, Closed, "USER TIMEOUT", "delete TCB",  \
      false)                                                                                       \
    /* Linux behaviour (profile: linux). */                                                        \
    X(FinWait2Timeout, "fin-wait-2-timeout", FinWait2, Closed, "tcp_fin_timeout", "delete TCB",    \
      false)                                                                                       \
    X(CloseUnreadEstablished, "close-unread-established", Established, Closed,                     \
      "CLOSE with unread data", "snd RST", false)                                                  \
    X(CloseUnreadCloseWait, "close-unread-close-wait", CloseWait, Closed,                          \
      "CLOSE with unread data", "snd RST", false)                                                  \
    /* RFC 9293 3.10.7.4: an in-window SYN in passively opened SYN-RECEIVED. */                    \
    X(SynReceivedSyn, "syn-received-syn", SynReceived, Listen, "rcv SYN in window", "x", false)    \
    /* Linux (RFC 1122 4.2.2.13): new data for an application that has CLOSEd. */                  \
    X(DataAfterCloseFinWait1, "data-after-close-fin-wait-1", FinWait1, Closed,                     \
      "rcv data after CLOSE", "snd RST", false)                                                    \
    X(DataAfterCloseFinWait2, "data-after-close-fin-wait-2", FinWait2, Closed,                     \
      "rcv data after CLOSE", "snd RST", false)                                                    \
    /* Linux (RFC 9293 3.6 MAY-2, RFC 1122 4.2.2.13): a new SYN reopens TIME-WAIT. */              \
    X(TimeWaitSyn, "time-wait-syn", TimeWait, SynReceived, "rcv SYN above RCV.NXT", "snd SYN,ACK", \
      false)                                                                                       \
    /* Linux: an orphaned FIN-WAIT-2 is a TIME-WAIT mini-socket; a SYN resets it. */               \
    X(SynAfterCloseFinWait2, "syn-after-close-fin-wait-2", FinWait2, Closed,                       \
      "rcv SYN after CLOSE", "snd RST", false)                                                     \
    /* Linux: the listener closes with a connection the application never accepted. */             \
    X(ListenerClosedSynReceived, "listener-closed-syn-received", SynReceived, Closed,              \
      "listener CLOSE", "drop request", false)                                                     \
    X(ListenerClosedEstablished, "listener-closed-established", Established, Closed,               \
      "listener CLOSE before accept", "snd RST", false)                                            \
    X(ListenerClosedCloseWait, "listener-closed-close-wait", CloseWait, Closed,                    \
      "listener CLOSE before accept", "snd RST", false)                                            \
    /* Linux: one connection of a listener (a request socket) whose SYN,ACK retries ran out. */    \
    X(RequestExpired, "request-expired", SynReceived, Closed, "SYN,ACK retries exhausted",         \
      "drop request", false)

enum class ArcId : std::uint8_t {
#define TCPVIZ_ARC_ENUM(name, id, from, to, event, action, figure) name,
    TCPVIZ_ARCS(TCPVIZ_ARC_ENUM)
#undef TCPVIZ_ARC_ENUM
};

/// One arc of the state diagram, labelled in the style of the RFC figure:
/// `event / action` (for example `rcv SYN / snd SYN,ACK`).
struct Arc {
    ArcId id;
    std::string_view key; ///< stable id used in JSON, e.g. "rcv-syn"
    State from;
    State to;
    std::string_view event;
    std::string_view action;
    bool inFigure; ///< drawn in RFC 9293 Figure 5 (the others come from section 3.10)

    [[nodiscard]] std::string label() const;
};

[[nodiscard]] std::span<const Arc> arcCatalog();
[[nodiscard]] const Arc& arc(ArcId id);
[[nodiscard]] std::optional<ArcId> findArc(std::string_view key);

/// The "rcv RST" arc leaving `from` (SYN-RECEIVED: the passive variant goes back to
/// LISTEN, pass passiveOpen). nullopt where RST causes no transition.
[[nodiscard]] std::optional<ArcId> rstArc(State from, bool passiveOpen = false);
/// The ABORT arc leaving `from`; nullopt in CLOSED.
[[nodiscard]] std::optional<ArcId> abortArc(State from);
/// The retransmission-limit arc leaving `from`; nullopt where nothing is retransmitted.
[[nodiscard]] std::optional<ArcId> giveUpArc(State from);
/// The user-timeout arc leaving `from`.
[[nodiscard]] std::optional<ArcId> userTimeoutArc(State from);

} // namespace tcpviz
