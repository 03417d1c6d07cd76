#pragma once

#include "base/error.h"
#include "tcp/arc.h"
#include "tcp/endpoint_types.h"
#include "tcp/profile.h"
#include "tcp/segment.h"
#include "tcp/send_reason.h"
#include "tcp/state.h"
#include "tcp/tcb.h"

#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <vector>

namespace tcpviz {

/// How one endpoint behaves; the simulator fills it from the scenario.
struct EndpointConfig {
    Profile profile = Profile::Rfc9293;
    TimerSpec timers;
    std::uint32_t iss = 0; ///< ISS of the first connection; later ones add 64000 each
    /// ISS of the second, third, ... connection when a scenario fixes them (a lesson
    /// about a new incarnation needs its ISN near the old sequence numbers).
    std::vector<std::uint32_t> laterIss;
    std::uint16_t localPort = 0;
    std::uint16_t remotePort = 0;
    std::uint32_t mss = 1460;
    std::uint32_t window = 65535;
    /// The application reads whatever arrives at once. When false, received bytes
    /// stay unread (Linux profile: CLOSE then resets the connection).
    bool readsData = true;
    /// Delayed ACKs for data (RFC 1122 4.2.3.2), as real stacks do and a capture
    /// shows: in-order data is acknowledged `timers.delayedAckUs` later, at the
    /// second unacknowledged segment, or on the endpoint's own next segment,
    /// whichever comes first. Off (the lessons): every segment is ACKed at once.
    bool delaysAcks = false;
    /// Accepts data on a peer's SYN (a TCP Fast Open server, RFC 7413 4.2.2, whose
    /// cookie check passes; the cookie option itself is not modelled): the data is
    /// taken at once and the SYN,ACK acknowledges it. Off: the SYN,ACK acknowledges
    /// the SYN only and the data is dropped, so its sender sends it again.
    bool fastOpen = false;
    /// Linux's per-route `quickack 1` (RTAX_QUICKACK, `ip route ... quickack 1`):
    /// tcp_in_quickack_mode() is then always true, so even the ACK of a FIN, which
    /// pingpong mode otherwise delays, leaves at once. Only the linux profile delays
    /// that ACK; under rfc9293 this changes nothing.
    bool quickAck = false;
    /// A passively opened connection belongs to the application at once (false:
    /// only after accept(); until then it waits in the listener's accept queue,
    /// the kernel's ESTABLISHED socket that no program holds yet).
    bool acceptsAtOnce = true;
    /// The end is one connection of a listener, not the listener itself (the host
    /// simulator's server ends): in the linux profile its passive SYN-RECEIVED is a
    /// request socket, which the kernel frees when its SYN,ACK retries run out
    /// (SYN-RECEIVED -> CLOSED, `request-expired`); the listener was never this end.
    /// False: the end is the listener too and goes back to LISTEN.
    bool requestSocket = false;
};

/// Something an endpoint did while handling one input, in the order it happened:
/// a segment handed to the network or a state transition along a catalog arc.
struct EndpointEvent {
    /// Error: the application learns `error` from `call` (only while it still
    /// holds the socket: an orphan's fate is nobody's news).
    enum class Kind : std::uint8_t { Send, Transition, Error };
    Kind kind = Kind::Send;
    Segment segment;
    SendReason reason = SendReason::Unknown; ///< Send: why the endpoint sent it
    bool retransmission = false;             ///< Send: a segment sent before, sent again
    State from = State::Closed;
    State to = State::Closed;
    ArcId arc = ArcId::PassiveOpen;
    SocketError error = SocketError::ConnectionRefused;
    ErrorCall call = ErrorCall::Recv;
    std::string note;
    Tcb after; ///< this endpoint's TCB right after the event
};

/// RFC 9293 error strings returned by user calls.
namespace callerror {
inline constexpr const char* kDoesNotExist = "connection does not exist";
inline constexpr const char* kAlreadyExists = "connection already exists";
inline constexpr const char* kClosing = "connection closing";
/// A call on a connection the application has not accept()ed yet.
inline constexpr const char* kNotAccepted = "connection not accepted yet";
/// accept() or closing the listener without a listening socket (EINVAL, EBADF).
inline constexpr const char* kNotListening = "no listening socket";
} // namespace callerror

/// One TCP endpoint following RFC 9293 section 3.10 event processing, with the
/// `linux` profile's deviations. It knows nothing about time passing: the owner
/// calls the user calls, `segmentArrives` and `timerFires` with the current time,
/// reads the deadlines from `tcb()` and drains what happened with `takeEvents()`.
///
/// Segments carry no payload bytes, only lengths; the model is about sequence
/// space and states, not content.
///
/// Both profiles: RFC 5961 challenge ACKs (in-window RST not at RCV.NXT, any SYN
/// in a synchronized state); a SYN repeated in SYN-RECEIVED gets the SYN,ACK again
/// at once; a retransmitted FIN in TIME-WAIT is re-ACKed and restarts the timer;
/// out-of-order segments are kept and ACKed cumulatively; RTO per RFC 6298 from
/// non-retransmitted samples (Karn), doubled on each timeout. Each SEND becomes
/// its own segments (at most MSS, PSH on the last); the FIN is a segment of its
/// own; windows are fixed; no Nagle, congestion control or persist timer. The
/// user timeout runs while something sent is unacknowledged or, in FIN-WAIT-2,
/// while the peer's FIN is awaited, and restarts on progress.
///
/// rfc9293: ACKs at once; TIME-WAIT 2 x MSL; RTO at least 1 s, at most 60 s;
/// ABORT sends a bare RST; a passively opened SYN-RECEIVED that runs out of
/// SYN,ACK retries closes.
///
/// linux: TIME-WAIT 60 s whatever the MSL; SYN retransmissions 1 s apart for the
/// first tcp_syn_linear_timeouts (4), then doubling; a retry count is a time budget
/// (tcp_write_timeout: the time that many doublings of the initial RTO, or of
/// 200 ms for data, would take since the segment was first sent; SYN-SENT also
/// stops after syn_retries + 4 retransmissions, and a simultaneous open's
/// SYN-RECEIVED uses syn_retries; a listener's half-open connection counts its
/// synack_retries) and running out of it closes without a RST (tcp_write_err);
/// RTO about RTT + 200 ms, at
/// least 200 ms, at most 120 s; the ACK of a FIN waits `delayedAckUs` (so a
/// prompt CLOSE sends FIN,ACK alone: the three-way close); an orphaned (closed,
/// not shut down) FIN-WAIT-2 dies after `finTimeoutUs`; CLOSE with unread data
/// and ABORT send RST,ACK; new data reaching FIN-WAIT-1/2 after CLOSE (not after
/// shutdown) is answered with RST and the connection dies (RFC 1122 4.2.2.13);
/// a half-open connection out of SYN,ACK retries is dropped silently back to
/// LISTEN; after a simultaneous open the peer's SYN,ACK, whose SYN is already
/// taken, is answered with a pure ACK (tcp_validate_incoming, tcp_data_queue);
/// a SYN (no ACK) reaching TIME-WAIT with SEQ above RCV.NXT, on a port that still
/// has a listener, reopens the connection: TIME-WAIT -> SYN-RECEIVED with an ISN
/// 65537 above the old SND.NXT (tcp_timewait_state_process, TCP_TW_SYN; RFC 9293
/// 3.6 MAY-2). rfc9293 answers any SYN in TIME-WAIT with a challenge ACK. An
/// orphaned FIN-WAIT-2 (tcp_fin_timeout at most 60 s) is a TIME-WAIT mini-socket
/// in the kernel: an in-window SYN at or above RCV.NXT gets RST,ACK and kills it,
/// and an unacceptable pure ACK or SYN is answered at most once per 500 ms, as in
/// TIME-WAIT (tcp_oow_rate_limited).
class Endpoint {
public:
    explicit Endpoint(EndpointConfig config);

    [[nodiscard]] const Tcb& tcb() const { return m_tcb; }
    [[nodiscard]] State state() const { return m_tcb.state; }
    [[nodiscard]] const EndpointConfig& config() const { return m_cfg; }
    /// Bytes the application has read so far.
    [[nodiscard]] std::uint64_t bytesRead() const { return m_bytesRead; }

    /// Events produced since the last call, oldest first.
    [[nodiscard]] std::vector<EndpointEvent> takeEvents();

    // User calls (RFC 9293 3.10.1-3.10.5). Each returns success or an Error whose
    // message is the RFC's error text ("connection does not exist", callerror::).
    /// OPEN; `synData` bytes of an active OPEN ride on the SYN (TCP Fast Open,
    /// RFC 7413: sendto() with MSG_FASTOPEN).
    Status open(bool active, std::int64_t nowUs, std::uint32_t synData = 0);
    Status send(std::uint32_t bytes, std::int64_t nowUs);
    /// CLOSE: the application is done with the socket (it still reads in the
    /// rfc9293 profile; in the linux profile unread data turns the FIN into a RST).
    Status close(std::int64_t nowUs);
    /// shutdown(SHUT_WR): send FIN, keep reading.
    Status shutdown(std::int64_t nowUs);
    /// shutdown(SHUT_RD): sends nothing; the application reads no more of what
    /// arrives (linux: new data in FIN-WAIT-1/2 then gets RST, as after close()).
    Status shutdownRead(std::int64_t nowUs);
    Status abort(std::int64_t nowUs);
    /// recv(): the application reads up to `maxBytes` of the unread data (0: all
    /// of it). The receive window grows back by what was read; a window update
    /// is sent when the window has opened enough (linux: tcp_cleanup_rbuf, the
    /// advertised window was at most half the buffer and at least doubles;
    /// rfc9293: receiver SWS avoidance, it grows by min(buffer / 2, MSS)).
    Status recv(std::uint32_t maxBytes, std::int64_t nowUs);
    /// accept(): the application takes the passively opened connection (when
    /// EndpointConfig::acceptsAtOnce is false). Before the handshake completes
    /// the accept blocks and takes the connection once it is ESTABLISHED.
    Status accept(std::int64_t nowUs);
    /// close() of the listening socket. An accepted connection lives on; one not
    /// yet accepted is reset (linux inet_csk_listen_stop: RST,ACK); a half-open
    /// one is dropped silently when its next segment comes (which then meets no
    /// socket and gets RST) or its SYN,ACK timer fires.
    Status closeListener(std::int64_t nowUs);
    /// Whether the application holds the connection (always, once actively opened).
    [[nodiscard]] bool accepted() const { return m_accepted; }

    /// SEGMENT ARRIVES (RFC 9293 3.10.7).
    void segmentArrives(const Segment& seg, std::int64_t nowUs);
    /// Fires timer `kind` if it is due at `nowUs`; returns false (and does
    /// nothing) when it is not armed for that time.
    bool timerFires(TimerKind kind, std::int64_t nowUs);

    [[nodiscard]] std::optional<std::int64_t> deadline(TimerKind kind) const;

    // A listening host's decisions, taken outside the endpoint by the host
    // simulator (model/sim/host_simulator.h), which plays the listener's queues.

    /// SYN cookie (Linux cookie_v4_check): a LISTEN endpoint that kept no state for
    /// the peer's SYN takes the handshake's final `ack`, whose ACK - 1 is the cookie
    /// it sent as ISS: the connection is rebuilt from the ACK alone (LISTEN ->
    /// SYN-RECEIVED -> ESTABLISHED in one go; no SYN,ACK is sent or retransmitted).
    /// Nothing else but the MSS survives in a cookie (see host_simulator.h).
    void acceptCookie(const Segment& ack, std::uint32_t iss, std::int64_t nowUs);
    /// tcp_abort_on_overflow = 1: the final ACK of a half-open connection finds the
    /// accept queue full; the request is dropped with a RST built from the ACK
    /// (SEQ = SEG.ACK, as tcp_v4_send_reset does), SYN-RECEIVED -> CLOSED.
    void resetOnOverflow(const Segment& ack, std::int64_t nowUs);
    /// tcp_tw_reuse: a new connect() takes this TIME-WAIT socket's port; the kernel
    /// kills the TIME-WAIT socket (inet_twsk_deschedule_put), TIME-WAIT -> CLOSED.
    void killTimeWait(std::int64_t nowUs, std::string note);
    /// The SYN,ACK retries a listener allows this request now (reqsk_timer_handler
    /// lowers them for old requests when the SYN queue is more than half full).
    void setSynAckRetries(int retries) { m_cfg.timers.synackRetries = retries; }

private:
    struct RtxEntry {
        std::uint32_t seq = 0;
        std::uint32_t len = 0;   ///< payload bytes
        std::uint8_t flags = 0;  ///< SYN / FIN / PSH (ACK is added when sent)
        std::int64_t sentUs = 0; ///< first transmission
        bool retransmitted = false;
        [[nodiscard]] std::uint32_t seqLen() const {
            return len + ((flags & (flag::SYN | flag::FIN)) != 0 ? 1U : 0U);
        }
    };
    struct OutOfOrder {
        std::uint32_t seq = 0;
        std::uint32_t len = 0;
        bool fin = false;
    };

    // segment arrival per state
    void arriveClosed(const Segment& seg);
    void arriveListen(const Segment& seg);
    void arriveSynSent(const Segment& seg);
    void arriveSynchronized(const Segment& seg);
    [[nodiscard]] bool acceptable(const Segment& seg) const;
    bool processAck(const Segment& seg); ///< false: stop processing the segment
    /// Steps 7 and 8 (text and FIN); `seq` is where the payload starts.
    void processTextAndFin(std::uint32_t seq, std::uint32_t len, bool fin);
    void processFin();
    /// The application reads what arrives by itself now (not `reads: false`/manual,
    /// accepted, not shut for reading).
    [[nodiscard]] bool appReadsNow() const;
    /// RCV.WND: the buffer less what the application has not read.
    void updateReceiveWindow();
    /// The connection not yet accepted belongs to nobody: "not accepted yet".
    [[nodiscard]] bool awaitingAccept() const;
    /// accept() returns: the application holds the connection from now on.
    void takeConnection();

    // sending
    [[nodiscard]] Segment makeSegment(std::uint8_t flags, std::uint32_t seq, std::uint32_t ack,
                                      std::uint32_t len) const;
    void emitSend(const Segment& seg, SendReason reason, std::string note = {});
    void sendAck(SendReason reason = SendReason::Ack, std::string note = {});
    void sendReset(SendReason reason, std::string note);
    /// Records the peer's SYN: IRS, RCV.NXT and its window.
    void takePeerSyn(const Segment& syn);
    void sendSyn(bool withAck, std::uint32_t data = 0);
    void transmitQueued();
    void sendFin();
    void retransmitFront();
    void armRetransmitIfIdle();
    void restartRetransmit();

    // state
    void setState(State to, ArcId arcId, std::string note = {});
    void enterEstablished(ArcId arcId);
    void enterTimeWait(ArcId arcId, std::string note = {});
    void enterFinWait2();
    void reopenFromTimeWait(const Segment& seg);
    void resetOrphanOnSyn(const Segment& seg);
    void arriveTimeWaitLinux(const Segment& seg);
    /// The application, if it still holds the socket, learns `error` from `call`.
    void tellApplication(SocketError error, ErrorCall call);
    [[nodiscard]] bool linuxOrphanFinWait2() const;
    /// linux tcp_oow_rate_limited: true when the ACK answering the unacceptable
    /// `seg` must be skipped (another went out less than 500 ms ago).
    bool oowAckRateLimited(const Segment& seg);
    void deleteTcb();
    void resetToListen();
    void stopTimers();
    void updateUserTimeout(bool progress);
    void rttSample(std::int64_t sampleUs);
    void giveUp();
    /// The retransmission timer fired: has this side run out of retries?
    [[nodiscard]] bool retriesExhausted() const;
    Status closeImpl(bool appCloses);
    std::uint32_t nextIss();
    [[nodiscard]] bool isLinux() const { return m_cfg.profile == Profile::Linux; }
    [[nodiscard]] std::int64_t minRto() const;
    [[nodiscard]] std::int64_t maxRto() const;
    [[nodiscard]] std::uint8_t rstFlags() const;

    EndpointConfig m_cfg;
    Tcb m_tcb;
    std::int64_t m_now = 0;
    std::deque<RtxEntry> m_rtx;
    std::deque<std::uint32_t> m_pendingSends; ///< bytes of each SEND not yet segmentized
    std::vector<OutOfOrder> m_outOfOrder;
    std::vector<EndpointEvent> m_events;
    std::optional<std::int64_t> m_srttUs;
    std::int64_t m_rttvarUs = 0;
    std::uint32_t m_opens = 0;
    std::uint64_t m_bytesRead = 0;
    /// linux retrans_stamp: first transmission of the segment being retransmitted,
    /// where the time budget of tcp_write_timeout starts (set by the first retransmission).
    std::optional<std::int64_t> m_retransStampUs;
    bool m_sendsIssued = false;
    bool m_synCarriedData = false; ///< our SYN carried data (Fast Open), not yet settled
    bool m_appClosed = false;      ///< CLOSE called: the socket is orphaned (linux fin_timeout)
    bool m_writeShut = false;      ///< CLOSE or shutdown called
    bool m_readShut = false;       ///< CLOSE, ABORT or shutdown(SHUT_RD) called
    bool m_accepted = true;        ///< the application holds the connection
    bool m_acceptWaiting = false;  ///< accept() called before the handshake completed
    /// SYN-RECEIVED whose listener closed: dropped at its next segment or timeout.
    bool m_requestOrphaned = false;
    /// listen() was called and that listener not closed. Linux's listening socket
    /// outlives the connections it accepted; the simulator folds listener and
    /// connection into one endpoint, so this is all that remains of it.
    bool m_listenerOpen = false;
    /// linux: when TIME-WAIT or an orphaned FIN-WAIT-2 last answered a pure ACK or a
    /// SYN (tcp_invalid_ratelimit).
    std::optional<std::int64_t> m_lastOowAckUs;
};

/// Makes user call `c` on `ep` (`bytes`: Send's data, Connect's data on the SYN,
/// Recv's limit). The one dispatcher the simulators share.
Status callEndpoint(Endpoint& ep, UserCall c, std::uint32_t bytes, std::int64_t nowUs);

} // namespace tcpviz
