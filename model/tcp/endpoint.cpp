#include "endpoint.h"

#include "tcp/seq.h"

#include <algorithm>
#include <cstddef>
#include <stdexcept>
#include <utility>

namespace tcpviz {

namespace {
// Linux constants (include/net/tcp.h): TCP_TIMEWAIT_LEN, TCP_RTO_MIN, TCP_RTO_MAX and
// the default of net.ipv4.tcp_syn_linear_timeouts.
constexpr std::int64_t kLinuxTimeWaitUs = 60'000'000;
constexpr std::int64_t kLinuxMinRtoUs = 200'000;
constexpr std::int64_t kLinuxMaxRtoUs = 120'000'000;
constexpr std::uint32_t kLinuxSynLinearTimeouts = 4;
// tcp_timewait_state_process(): a connection reopened from TIME-WAIT starts its
// ISN this far above the old SND.NXT, above anything the old incarnation used
// (RFC 9293 3.6 MAY-2, condition 1) and beyond the old peer's window.
constexpr std::uint32_t kLinuxTimeWaitIsnGap = 65535 + 2;
// The time budget Linux gives `boundary` retries (tcp_model_timeout in
// net/ipv4/tcp_timer.c): what `boundary` doublings of `rtoBase` take, each timeout
// capped at TCP_RTO_MAX.
std::int64_t linuxModelTimeout(int boundary, std::int64_t rtoBase) {
    const std::int64_t base = std::max<std::int64_t>(rtoBase, 1);
    int linearBackoffThresh = 0; // ilog2(TCP_RTO_MAX / rto_base)
    for (std::int64_t q = kLinuxMaxRtoUs / base; q > 1; q /= 2) {
        ++linearBackoffThresh;
    }
    const int b = std::max(boundary, 0);
    if (b <= linearBackoffThresh) {
        return ((std::int64_t{2} << b) - 1) * base;
    }
    return ((std::int64_t{2} << linearBackoffThresh) - 1) * base +
           static_cast<std::int64_t>(b - linearBackoffThresh) * kLinuxMaxRtoUs;
}
// RFC 6298: RTO at least 1 s; an upper bound of at least 60 s.
constexpr std::int64_t kRfcMinRtoUs = 1'000'000;
constexpr std::int64_t kRfcMaxRtoUs = 60'000'000;
// RFC 6298 clock granularity G.
constexpr std::int64_t kClockGranularityUs = 1'000;
// Each new connection of the same endpoint picks a fresh ISS, as the BSD
// stacks once did; readable and deterministic.
constexpr std::uint32_t kIssIncrement = 64'000;
} // namespace

Endpoint::Endpoint(EndpointConfig config)
    : m_cfg(std::move(config)) {
    m_tcb.iss = m_cfg.iss;
    m_tcb.rcvWnd = m_cfg.window;
    m_tcb.rtoUs = m_cfg.timers.rtoUs;
}

std::vector<EndpointEvent> Endpoint::takeEvents() {
    return std::exchange(m_events, {});
}

std::int64_t Endpoint::minRto() const {
    return isLinux() ? kLinuxMinRtoUs : kRfcMinRtoUs;
}

std::int64_t Endpoint::maxRto() const {
    return isLinux() ? kLinuxMaxRtoUs : kRfcMaxRtoUs;
}

std::uint8_t Endpoint::rstFlags() const {
    // Linux's active resets (tcp_send_active_reset) carry ACK; RFC 9293 sends a bare RST.
    return isLinux() ? static_cast<std::uint8_t>(flag::RST | flag::ACK) : flag::RST;
}

std::uint32_t Endpoint::nextIss() {
    const std::uint32_t iss = m_opens > 0 && m_opens <= m_cfg.laterIss.size()
                                  ? m_cfg.laterIss.at(m_opens - 1)
                                  : m_cfg.iss + kIssIncrement * m_opens;
    ++m_opens;
    return iss;
}

std::optional<std::int64_t> Endpoint::deadline(TimerKind kind) const {
    switch (kind) {
    case TimerKind::Retransmission:
        return m_tcb.retransmitDeadlineUs;
    case TimerKind::TimeWait:
        return m_tcb.timeWaitDeadlineUs;
    case TimerKind::UserTimeout:
        return m_tcb.userTimeoutDeadlineUs;
    case TimerKind::DelayedAck:
        return m_tcb.delayedAckDeadlineUs;
    case TimerKind::FinWait2:
        return m_tcb.finWait2DeadlineUs;
    }
    return std::nullopt;
}

// ---------------------------------------------------------------- output

Segment Endpoint::makeSegment(std::uint8_t flags, std::uint32_t seq, std::uint32_t ack,
                              std::uint32_t len) const {
    Segment s;
    s.srcPort = m_cfg.localPort;
    s.dstPort = m_cfg.remotePort;
    s.seq = seq;
    s.ack = (flags & flag::ACK) != 0 ? ack : 0;
    s.flags = flags;
    s.window = (flags & flag::RST) != 0 && (flags & flag::ACK) == 0 ? 0 : m_tcb.rcvWnd;
    s.len = len;
    if ((flags & flag::SYN) != 0) {
        s.options.mss = static_cast<std::uint16_t>(m_cfg.mss);
    }
    return s;
}

void Endpoint::emitSend(const Segment& seg, SendReason reason, std::string note) {
    // Every segment but a bare RST carries ACK, so a pending delayed ACK rides along.
    if ((seg.flags & flag::ACK) != 0) {
        m_tcb.delayedAckDeadlineUs.reset();
    }
    EndpointEvent e;
    e.kind = EndpointEvent::Kind::Send;
    e.segment = seg;
    e.reason = reason;
    e.retransmission = reason == SendReason::Retransmission || reason == SendReason::SynAckRepeat;
    e.note = std::move(note);
    e.after = m_tcb;
    m_events.push_back(std::move(e));
}

void Endpoint::sendAck(SendReason reason, std::string note) {
    emitSend(makeSegment(flag::ACK, m_tcb.sndNxt, m_tcb.rcvNxt, 0), reason, std::move(note));
}

void Endpoint::sendReset(SendReason reason, std::string note) {
    emitSend(makeSegment(rstFlags(), m_tcb.sndNxt, m_tcb.rcvNxt, 0), reason, std::move(note));
}

void Endpoint::setState(State to, ArcId arcId, std::string note) {
    const Arc& a = arc(arcId);
    if (a.from != m_tcb.state || a.to != to) {
        // A wrong arc would light the wrong edge of the graph: a programming error.
        throw std::logic_error("endpoint: arc " + std::string(a.key) + " does not lead from " +
                               std::string(stateName(m_tcb.state)) + " to " +
                               std::string(stateName(to)));
    }
    EndpointEvent e;
    e.kind = EndpointEvent::Kind::Transition;
    e.from = m_tcb.state;
    e.to = to;
    e.arc = arcId;
    e.note = std::move(note);
    m_tcb.state = to;
    e.after = m_tcb;
    m_events.push_back(std::move(e));
}

void Endpoint::tellApplication(SocketError error, ErrorCall call) {
    if (m_appClosed || !m_accepted) {
        return;
    }
    EndpointEvent e;
    e.kind = EndpointEvent::Kind::Error;
    e.error = error;
    e.call = call;
    e.after = m_tcb;
    m_events.push_back(std::move(e));
}

// ---------------------------------------------------------------- timers

void Endpoint::stopTimers() {
    m_tcb.retransmitDeadlineUs.reset();
    m_tcb.retransmitStartUs.reset();
    m_tcb.timeWaitDeadlineUs.reset();
    m_tcb.timeWaitStartUs.reset();
    m_tcb.userTimeoutDeadlineUs.reset();
    m_tcb.delayedAckDeadlineUs.reset();
    m_tcb.finWait2DeadlineUs.reset();
}

void Endpoint::armRetransmitIfIdle() {
    if (!m_tcb.retransmitDeadlineUs && !m_rtx.empty()) {
        restartRetransmit();
    }
}

void Endpoint::restartRetransmit() {
    m_tcb.retransmitStartUs = m_now;
    m_tcb.retransmitDeadlineUs = m_now + m_tcb.rtoUs;
}

// The user timeout runs while this side waits for the peer: something sent is
// unacknowledged, or (FIN-WAIT-2) the peer's FIN is awaited. Progress restarts it.
void Endpoint::updateUserTimeout(bool progress) {
    const auto& ut = m_cfg.timers.userTimeoutUs;
    const State s = m_tcb.state;
    const bool waiting = !m_rtx.empty() || s == State::FinWait2;
    if (!ut || !waiting || s == State::Closed || s == State::Listen || s == State::TimeWait) {
        m_tcb.userTimeoutDeadlineUs.reset();
        return;
    }
    if (progress || !m_tcb.userTimeoutDeadlineUs) {
        m_tcb.userTimeoutDeadlineUs = m_now + *ut;
    }
}

void Endpoint::rttSample(std::int64_t sampleUs) {
    // RFC 6298 section 2 (alpha 1/8, beta 1/4). Linux keeps its variance term at
    // least TCP_RTO_MIN, so its RTO is about RTT + 200 ms.
    if (!m_srttUs) {
        m_srttUs = sampleUs;
        m_rttvarUs = sampleUs / 2;
    } else {
        const std::int64_t diff =
            *m_srttUs > sampleUs ? *m_srttUs - sampleUs : sampleUs - *m_srttUs;
        m_rttvarUs = (3 * m_rttvarUs + diff) / 4;
        m_srttUs = (7 * *m_srttUs + sampleUs) / 8;
    }
    const std::int64_t var =
        std::max(4 * m_rttvarUs, isLinux() ? kLinuxMinRtoUs : kClockGranularityUs);
    m_tcb.rtoUs = std::clamp(*m_srttUs + var, minRto(), maxRto());
}

bool Endpoint::timerFires(TimerKind kind, std::int64_t nowUs) {
    const auto due = deadline(kind);
    if (!due || *due != nowUs) {
        return false;
    }
    m_now = nowUs;
    switch (kind) {
    case TimerKind::Retransmission: {
        m_tcb.retransmitDeadlineUs.reset();
        m_tcb.retransmitStartUs.reset();
        if (m_rtx.empty()) {
            break;
        }
        if (m_requestOrphaned && m_tcb.state == State::SynReceived) {
            // reqsk_timer_handler: the listener is no longer listening: drop.
            m_requestOrphaned = false;
            setState(State::Closed, ArcId::ListenerClosedSynReceived,
                     "listener closed: the half-open connection is dropped");
            deleteTcb();
            break;
        }
        const State s = m_tcb.state;
        if (retriesExhausted()) {
            giveUp();
            break;
        }
        if (m_tcb.retries == 0) {
            m_retransStampUs = m_rtx.front().sentUs;
        }
        ++m_tcb.retries;
        // Exponential backoff (RFC 6298 5.5). Linux keeps the first
        // tcp_syn_linear_timeouts SYN retransmissions 1 s apart (kernel 6.5+).
        const bool linear =
            isLinux() && s == State::SynSent && m_tcb.retries <= kLinuxSynLinearTimeouts;
        if (!linear) {
            m_tcb.rtoUs = std::min(m_tcb.rtoUs * 2, maxRto());
        }
        retransmitFront();
        restartRetransmit();
        break;
    }
    case TimerKind::TimeWait:
        m_tcb.timeWaitDeadlineUs.reset();
        setState(State::Closed, ArcId::TimeWaitTimeout);
        deleteTcb();
        break;
    case TimerKind::UserTimeout: {
        m_tcb.userTimeoutDeadlineUs.reset();
        const auto a = userTimeoutArc(m_tcb.state);
        if (a) {
            const bool connecting = m_tcb.state == State::SynSent ||
                                    (m_tcb.state == State::SynReceived && !m_tcb.passiveOpen);
            setState(State::Closed, *a, "connection aborted due to user timeout");
            deleteTcb();
            tellApplication(SocketError::TimedOut,
                            connecting ? ErrorCall::Connect : ErrorCall::Recv);
        }
        break;
    }
    case TimerKind::DelayedAck:
        m_tcb.delayedAckDeadlineUs.reset();
        sendAck(SendReason::DelayedAck, "delayed ACK");
        break;
    case TimerKind::FinWait2:
        m_tcb.finWait2DeadlineUs.reset();
        if (m_tcb.state == State::FinWait2) {
            setState(State::Closed, ArcId::FinWait2Timeout, "tcp_fin_timeout: orphan dropped");
            deleteTcb();
        }
        break;
    }
    updateUserTimeout(false);
    return true;
}

bool Endpoint::retriesExhausted() const {
    const State s = m_tcb.state;
    const bool synState = s == State::SynSent || s == State::SynReceived;
    if (!isLinux() || (s == State::SynReceived && m_tcb.passiveOpen)) {
        // rfc9293 counts retransmissions. So does Linux for a half-open connection
        // of a listener: the request socket's timer (reqsk_timer_handler) expires
        // after tcp_synack_retries SYN,ACK retransmissions.
        const int limit = s == State::SynSent       ? m_cfg.timers.synRetries
                          : s == State::SynReceived ? m_cfg.timers.synackRetries
                                                    : m_cfg.timers.dataRetries;
        return m_tcb.retries >= static_cast<std::uint32_t>(std::max(limit, 0));
    }
    // Linux, tcp_write_timeout: a socket of its own in SYN-SENT or SYN-RECEIVED
    // (after a simultaneous open) uses tcp_syn_retries, any other state
    // tcp_retries2. The retry count becomes a time budget (retransmits_timed_out):
    // the time `retries` doublings of the initial RTO (SYN states) or of
    // TCP_RTO_MIN would take, counted from the first transmission of the segment
    // being retransmitted. SYN-SENT also stops after tcp_syn_retries +
    // tcp_syn_linear_timeouts retransmissions.
    const int retries = synState ? m_cfg.timers.synRetries : m_cfg.timers.dataRetries;
    if (s == State::SynSent && m_tcb.retries >= static_cast<std::uint32_t>(std::max(retries, 0)) +
                                                    kLinuxSynLinearTimeouts) {
        return true;
    }
    if (m_tcb.retries == 0 || !m_retransStampUs) {
        return false; // retransmits_timed_out: nothing retransmitted yet
    }
    const std::int64_t rtoBase = synState ? m_cfg.timers.rtoUs : kLinuxMinRtoUs;
    return m_now - *m_retransStampUs >= linuxModelTimeout(retries, rtoBase);
}

void Endpoint::giveUp() {
    const State s = m_tcb.state;
    if (s == State::SynReceived && m_tcb.passiveOpen && isLinux() && m_cfg.requestSocket) {
        // reqsk_timer_handler: the request socket is freed, nothing is sent; the
        // listener, another socket, never left LISTEN.
        setState(State::Closed, ArcId::RequestExpired, "SYN,ACK retries exhausted");
        deleteTcb();
        return;
    }
    if (s == State::SynReceived && m_tcb.passiveOpen && isLinux()) {
        // Linux drops the request socket silently; the listener stays.
        setState(State::Listen, ArcId::GiveUpSynReceivedListen, "SYN,ACK retries exhausted");
        resetToListen();
        return;
    }
    const auto a = giveUpArc(s);
    if (!a) {
        return;
    }
    // rfc9293 tells a peer that may still be there. Linux closes silently:
    // tcp_write_timeout calls tcp_write_err (ETIMEDOUT for the application,
    // tcp_done), which sends nothing.
    if (!isLinux() && (s == State::Established || s == State::FinWait1 || s == State::CloseWait)) {
        sendReset(SendReason::GiveUp, "retransmission limit reached");
    }
    setState(State::Closed, *a, "connection timed out");
    deleteTcb();
    // tcp_write_err: the application's blocked connect() or pending read fails.
    const bool connecting = s == State::SynSent || s == State::SynReceived;
    tellApplication(SocketError::TimedOut, connecting ? ErrorCall::Connect : ErrorCall::Recv);
}

void Endpoint::deleteTcb() {
    // Sequence variables stay visible in the snapshot; queues and timers go.
    stopTimers();
    m_rtx.clear();
    m_pendingSends.clear();
    m_outOfOrder.clear();
    m_tcb.sendQueued = 0;
    m_tcb.finQueued = false;
    m_tcb.retries = 0;
}

void Endpoint::resetToListen() {
    deleteTcb();
    m_tcb.passiveOpen = false;
    m_tcb.finSent = false;
    m_tcb.finAcked = false;
    m_tcb.finReceived = false;
    m_tcb.unreadBytes = 0;
    m_tcb.rtoUs = m_cfg.timers.rtoUs;
    m_srttUs.reset();
    m_writeShut = false;
    m_sendsIssued = false;
}

// ---------------------------------------------------------------- sending data

void Endpoint::takePeerSyn(const Segment& syn) {
    // RFC 9293 3.10.7.2/3: IRS is the SYN's sequence number, the SYN takes one
    // number, and the peer's window is recorded.
    m_tcb.irs = syn.seq;
    m_tcb.rcvNxt = syn.seq + 1;
    m_tcb.sndWnd = syn.window;
}

void Endpoint::sendSyn(bool withAck, std::uint32_t data) {
    RtxEntry e;
    e.seq = m_tcb.iss;
    e.len = data;
    e.flags = flag::SYN;
    e.sentUs = m_now;
    m_rtx.push_back(e);
    m_tcb.sndUna = m_tcb.iss;
    m_tcb.sndNxt = m_tcb.iss + 1 + data;
    m_synCarriedData = data > 0;
    if (data > 0) {
        m_sendsIssued = true;
    }
    const auto flags = static_cast<std::uint8_t>(withAck ? (flag::SYN | flag::ACK) : flag::SYN);
    emitSend(makeSegment(flags, m_tcb.iss, m_tcb.rcvNxt, data), SendReason::Handshake);
    armRetransmitIfIdle();
}

// Segmentizes queued SENDs (each SEND into segments of at most MSS, PSH on its
// last one) as far as the peer's window allows, then the FIN once all is out.
void Endpoint::transmitQueued() {
    const State s = m_tcb.state;
    const bool canSend = s == State::Established || s == State::CloseWait || s == State::FinWait1 ||
                         s == State::LastAck || s == State::Closing;
    if (!canSend) {
        return;
    }
    while (!m_pendingSends.empty()) {
        const std::uint32_t inFlight = m_tcb.sndNxt - m_tcb.sndUna;
        const std::uint32_t usable = m_tcb.sndWnd > inFlight ? m_tcb.sndWnd - inFlight : 0;
        if (usable == 0) {
            return; // wait for the window to open
        }
        std::uint32_t& left = m_pendingSends.front();
        const std::uint32_t n = std::min({left, m_cfg.mss, usable});
        const bool last = n == left;
        RtxEntry e;
        e.seq = m_tcb.sndNxt;
        e.len = n;
        e.flags = last ? flag::PSH : 0;
        e.sentUs = m_now;
        m_rtx.push_back(e);
        m_tcb.sndNxt += n;
        left -= n;
        m_tcb.sendQueued -= n;
        if (last) {
            m_pendingSends.pop_front();
        }
        emitSend(
            makeSegment(static_cast<std::uint8_t>(e.flags | flag::ACK), e.seq, m_tcb.rcvNxt, n),
            SendReason::Data);
        armRetransmitIfIdle();
    }
    if (m_tcb.finQueued && !m_tcb.finSent) {
        sendFin();
    }
}

void Endpoint::sendFin() {
    RtxEntry e;
    e.seq = m_tcb.sndNxt;
    e.flags = flag::FIN;
    e.sentUs = m_now;
    m_rtx.push_back(e);
    m_tcb.sndNxt += 1;
    m_tcb.finQueued = false;
    m_tcb.finSent = true;
    emitSend(makeSegment(flag::FIN | flag::ACK, e.seq, m_tcb.rcvNxt, 0), SendReason::Close);
    armRetransmitIfIdle();
}

void Endpoint::retransmitFront() {
    RtxEntry& e = m_rtx.front();
    e.retransmitted = true;
    std::uint8_t flags = e.flags;
    // A SYN is re-sent as it was first sent: bare in SYN-SENT, SYN,ACK once the
    // peer's SYN is known (SYN-RECEIVED).
    if ((flags & flag::SYN) == 0 || m_tcb.state != State::SynSent) {
        flags = static_cast<std::uint8_t>(flags | flag::ACK);
    }
    emitSend(makeSegment(flags, e.seq, m_tcb.rcvNxt, e.len), SendReason::Retransmission,
             "retransmission " + std::to_string(m_tcb.retries) + ", RTO now " +
                 std::to_string(m_tcb.rtoUs / 1000) + " ms");
}

// ---------------------------------------------------------------- user calls

Status Endpoint::open(bool active, std::int64_t nowUs, std::uint32_t synData) {
    m_now = nowUs;
    const State s = m_tcb.state;
    if (s == State::Listen && active) {
        // RFC 9293 3.10.1: an active OPEN turns a listening connection active.
        m_tcb.passiveOpen = false;
        m_tcb.iss = nextIss();
        sendSyn(false);
        setState(State::SynSent, ArcId::ListenSend, "active OPEN on a listening connection");
        updateUserTimeout(false);
        return {};
    }
    if (s != State::Closed) {
        return fail({}, callerror::kAlreadyExists);
    }
    resetToListen();
    m_appClosed = false;
    m_readShut = false;
    m_requestOrphaned = false;
    m_listenerOpen = !active;
    m_accepted = active || m_cfg.acceptsAtOnce;
    m_acceptWaiting = false;
    if (!active) {
        setState(State::Listen, ArcId::PassiveOpen);
        return {};
    }
    m_tcb.iss = nextIss();
    m_tcb.rcvNxt = 0;
    m_tcb.irs = 0;
    sendSyn(false, synData);
    setState(State::SynSent, ArcId::ActiveOpen);
    updateUserTimeout(false);
    return {};
}

Status Endpoint::send(std::uint32_t bytes, std::int64_t nowUs) {
    m_now = nowUs;
    const State s = m_tcb.state;
    if (s == State::Closed) {
        return fail({}, callerror::kDoesNotExist);
    }
    if (awaitingAccept()) {
        return fail({}, callerror::kNotAccepted);
    }
    if (m_writeShut || s == State::FinWait1 || s == State::FinWait2 || s == State::Closing ||
        s == State::LastAck || s == State::TimeWait) {
        return fail({}, callerror::kClosing);
    }
    if (bytes > 0) {
        m_pendingSends.push_back(bytes);
        m_tcb.sendQueued += bytes;
        m_sendsIssued = true;
    }
    if (s == State::Listen) {
        m_tcb.passiveOpen = false;
        m_tcb.iss = nextIss();
        sendSyn(false);
        setState(State::SynSent, ArcId::ListenSend, "data queued until ESTABLISHED");
    } else {
        transmitQueued(); // SYN-SENT / SYN-RECEIVED: queued until ESTABLISHED
    }
    updateUserTimeout(false);
    return {};
}

Status Endpoint::close(std::int64_t nowUs) {
    m_now = nowUs;
    if (awaitingAccept()) {
        return fail({}, callerror::kNotAccepted);
    }
    return closeImpl(true);
}

Status Endpoint::shutdown(std::int64_t nowUs) {
    m_now = nowUs;
    if (awaitingAccept()) {
        return fail({}, callerror::kNotAccepted);
    }
    return closeImpl(false);
}

Status Endpoint::shutdownRead(std::int64_t nowUs) {
    m_now = nowUs;
    const State s = m_tcb.state;
    // Linux inet_shutdown: ENOTCONN in CLOSED, LISTEN and SYN-SENT.
    if (s == State::Closed || s == State::Listen || s == State::SynSent) {
        return fail({}, callerror::kDoesNotExist);
    }
    if (awaitingAccept()) {
        return fail({}, callerror::kNotAccepted);
    }
    m_readShut = true; // RCV_SHUTDOWN: a flag on the socket, nothing on the wire
    return {};
}

bool Endpoint::awaitingAccept() const {
    const State s = m_tcb.state;
    return !m_accepted && s != State::Closed && s != State::Listen;
}

bool Endpoint::appReadsNow() const {
    return m_cfg.readsData && m_accepted && !m_readShut;
}

void Endpoint::updateReceiveWindow() {
    m_tcb.rcvWnd = m_cfg.window > m_tcb.unreadBytes ? m_cfg.window - m_tcb.unreadBytes : 0;
}

Status Endpoint::recv(std::uint32_t maxBytes, std::int64_t nowUs) {
    m_now = nowUs;
    const State s = m_tcb.state;
    if (s == State::Listen || (s == State::Closed && m_tcb.unreadBytes == 0 && m_opens == 0)) {
        return fail({}, callerror::kDoesNotExist);
    }
    if (awaitingAccept()) {
        return fail({}, callerror::kNotAccepted);
    }
    const std::uint32_t n =
        maxBytes == 0 ? m_tcb.unreadBytes : std::min(maxBytes, m_tcb.unreadBytes);
    if (n == 0) {
        return {}; // nothing there (a blocking recv() would wait; EOF after a FIN)
    }
    const std::uint32_t before = m_tcb.rcvWnd;
    m_tcb.unreadBytes -= n;
    m_bytesRead += n;
    updateReceiveWindow();
    const std::uint32_t after = m_tcb.rcvWnd;
    const bool open = s == State::Established || s == State::FinWait1 || s == State::FinWait2;
    if (!open || after <= before) {
        return {};
    }
    // When is the opened window worth a segment of its own?
    bool update = false;
    if (isLinux()) {
        // tcp_cleanup_rbuf(): the window now advertised is at most half the
        // clamp, and the new one at least twice it.
        update = 2ULL * before <= m_cfg.window && after >= 2ULL * before;
    } else {
        // RFC 9293 3.8.6.2.2 (receiver SWS avoidance): the right edge moves on
        // once it can by min(buffer / 2, MSS).
        update = after - before >= std::min(m_cfg.window / 2, m_cfg.mss);
    }
    if (update) {
        sendAck(SendReason::WindowUpdate, "window update: " + std::to_string(n) + " bytes read");
    }
    return {};
}

Status Endpoint::accept(std::int64_t nowUs) {
    m_now = nowUs;
    const State s = m_tcb.state;
    if (!m_listenerOpen) {
        return fail({}, callerror::kNotListening);
    }
    if (m_accepted) {
        return {}; // blocks for a next connection, which a two-endpoint scenario never has
    }
    if (s == State::Listen || s == State::SynReceived) {
        m_acceptWaiting = true; // a blocking accept(): it returns once ESTABLISHED
        return {};
    }
    takeConnection();
    return {};
}

void Endpoint::takeConnection() {
    m_accepted = true;
    m_acceptWaiting = false;
    if (appReadsNow() && m_tcb.unreadBytes > 0) {
        // The application reads what waited in the buffer before it accepted.
        m_bytesRead += m_tcb.unreadBytes;
        m_tcb.unreadBytes = 0;
        updateReceiveWindow();
    }
}

Status Endpoint::closeListener(std::int64_t nowUs) {
    m_now = nowUs;
    if (!m_listenerOpen) {
        return fail({}, callerror::kNotListening);
    }
    m_listenerOpen = false;
    const State s = m_tcb.state;
    if (s == State::Listen) {
        m_appClosed = true;
        m_writeShut = true;
        setState(State::Closed, ArcId::ListenClose);
        deleteTcb();
        return {};
    }
    if (m_accepted) {
        return {}; // the accepted connection is a socket of its own: it lives on
    }
    m_appClosed = true;
    m_writeShut = true;
    m_readShut = true;
    switch (s) {
    case State::SynReceived:
        // The request socket stays until its next segment or its SYN,ACK timer
        // finds the listener gone (tcp_v4_rcv, reqsk_timer_handler): nothing is
        // sent now.
        m_requestOrphaned = true;
        return {};
    case State::Established:
    case State::CloseWait:
        // inet_csk_listen_stop -> inet_child_forget -> tcp_disconnect: RST.
        sendReset(SendReason::ListenerClosed, "listener closed before accept(): reset");
        setState(State::Closed, s == State::Established ? ArcId::ListenerClosedEstablished
                                                        : ArcId::ListenerClosedCloseWait);
        break;
    default:
        return {};
    }
    deleteTcb();
    return {};
}

Status Endpoint::closeImpl(bool appCloses) {
    const State s = m_tcb.state;
    if (s == State::Closed) {
        return fail({}, callerror::kDoesNotExist);
    }
    if (m_writeShut) {
        // shutdown() followed by close(): the FIN is already on its way; only the
        // application goes away (Linux then arms tcp_fin_timeout in FIN-WAIT-2).
        if (appCloses && !m_appClosed) {
            m_appClosed = true;
            m_readShut = true;
            if (isLinux() && s == State::FinWait2) {
                m_tcb.finWait2DeadlineUs = m_now + m_cfg.timers.finTimeoutUs;
                m_lastOowAckUs.reset(); // a fresh mini-socket (tcp_time_wait)
            }
            return {};
        }
        return fail({}, callerror::kClosing);
    }
    if (s == State::Closing || s == State::LastAck || s == State::TimeWait) {
        return fail({}, callerror::kClosing);
    }
    if (appCloses && isLinux() && m_tcb.unreadBytes > 0 &&
        (s == State::Established || s == State::CloseWait)) {
        // tcp_close(): unread data is lost, so the peer must learn it (RFC 2525 2.17).
        m_appClosed = true;
        m_writeShut = true;
        sendReset(SendReason::CloseUnread,
                  "close with " + std::to_string(m_tcb.unreadBytes) + " unread bytes");
        setState(State::Closed, s == State::Established ? ArcId::CloseUnreadEstablished
                                                        : ArcId::CloseUnreadCloseWait);
        deleteTcb();
        return {};
    }
    m_appClosed = appCloses;
    m_readShut = m_readShut || appCloses;
    m_writeShut = true;
    switch (s) {
    case State::Listen:
        m_listenerOpen = false;
        setState(State::Closed, ArcId::ListenClose);
        deleteTcb();
        break;
    case State::SynSent:
        setState(State::Closed, ArcId::SynSentClose);
        deleteTcb();
        break;
    case State::SynReceived:
        m_tcb.finQueued = true;
        if (!m_sendsIssued && m_pendingSends.empty()) {
            sendFin();
            setState(State::FinWait1, ArcId::SynReceivedClose);
        } // otherwise the FIN follows the data once ESTABLISHED
        break;
    case State::Established:
        m_tcb.finQueued = true;
        transmitQueued();
        setState(State::FinWait1, ArcId::EstablishedClose);
        break;
    case State::CloseWait:
        m_tcb.finQueued = true;
        transmitQueued();
        setState(State::LastAck, ArcId::CloseWaitClose);
        break;
    default:
        break;
    }
    updateUserTimeout(false);
    return {};
}

Status Endpoint::abort(std::int64_t nowUs) {
    m_now = nowUs;
    const State s = m_tcb.state;
    const auto a = abortArc(s);
    if (!a) {
        return fail({}, callerror::kDoesNotExist);
    }
    m_appClosed = true;
    m_writeShut = true;
    m_readShut = true;
    if (s == State::Listen) {
        m_listenerOpen = false;
    }
    if (s == State::SynReceived || s == State::Established || s == State::FinWait1 ||
        s == State::FinWait2 || s == State::CloseWait) {
        sendReset(SendReason::Abort, "ABORT (SO_LINGER 0)");
    }
    setState(State::Closed, *a);
    deleteTcb();
    return {};
}

// ---------------------------------------------------------------- segment arrives

void Endpoint::segmentArrives(const Segment& seg, std::int64_t nowUs) {
    m_now = nowUs;
    if (m_requestOrphaned && m_tcb.state == State::SynReceived) {
        // tcp_v4_rcv: the request's listener is gone; the request is dropped and
        // the segment looked up again, finding no socket (a RST answers it).
        m_requestOrphaned = false;
        setState(State::Closed, ArcId::ListenerClosedSynReceived,
                 "listener closed: the half-open connection is dropped");
        deleteTcb();
    }
    switch (m_tcb.state) {
    case State::Closed:
        arriveClosed(seg);
        break;
    case State::Listen:
        arriveListen(seg);
        break;
    case State::SynSent:
        arriveSynSent(seg);
        break;
    default:
        arriveSynchronized(seg);
        break;
    }
    updateUserTimeout(false);
}

void Endpoint::arriveClosed(const Segment& seg) {
    // 3.10.7.1: everything but a RST is answered with a RST.
    if (seg.has(flag::RST)) {
        return;
    }
    Segment r;
    if (seg.has(flag::ACK)) {
        r = makeSegment(flag::RST, seg.ack, 0, 0);
    } else {
        r = makeSegment(flag::RST | flag::ACK, 0, seg.seq + seg.seqLen(), 0);
    }
    r.window = 0;
    emitSend(r, SendReason::ResetReply, "no connection: reset");
}

void Endpoint::arriveListen(const Segment& seg) {
    if (seg.has(flag::RST)) {
        return;
    }
    if (seg.has(flag::ACK)) {
        Segment r = makeSegment(flag::RST, seg.ack, 0, 0);
        emitSend(r, SendReason::ResetReply, "ACK in LISTEN: reset");
        return;
    }
    if (!seg.has(flag::SYN)) {
        return;
    }
    takePeerSyn(seg);
    if (seg.len > 0 && m_cfg.fastOpen) {
        // RFC 7413 4.2.2: a Fast Open server takes the SYN's data at once, and
        // its SYN,ACK acknowledges it.
        m_tcb.rcvNxt += seg.len;
        if (appReadsNow()) {
            m_bytesRead += seg.len;
        } else {
            m_tcb.unreadBytes += seg.len;
            updateReceiveWindow();
        }
    }
    m_tcb.iss = nextIss();
    m_tcb.passiveOpen = true;
    m_tcb.finReceived = false;
    m_tcb.finSent = false;
    m_tcb.finAcked = false;
    sendSyn(true);
    setState(State::SynReceived, ArcId::RcvSyn);
}

void Endpoint::arriveSynSent(const Segment& seg) {
    bool ackOk = false;
    if (seg.has(flag::ACK)) {
        if (seqLe(seg.ack, m_tcb.iss) || seqGt(seg.ack, m_tcb.sndNxt)) {
            if (!seg.has(flag::RST)) {
                emitSend(makeSegment(flag::RST, seg.ack, 0, 0), SendReason::ResetReply,
                         "unacceptable ACK in SYN-SENT: reset");
            }
            if (isLinux() && m_tcb.retries == 0 && m_tcb.retransmitDeadlineUs) {
                // tcp_rcv_synsent_state_process: "Previous FIN/ACK or RST/ACK might be
                // ignored", so before any retransmission the SYN goes again after
                // TCP_TIMEOUT_MIN, two jiffies (8 ms at Debian's HZ = 250).
                constexpr std::int64_t kLinuxTimeoutMinUs = 8'000;
                m_tcb.retransmitDeadlineUs = m_now + kLinuxTimeoutMinUs;
            }
            return;
        }
        ackOk = seqLt(m_tcb.sndUna, seg.ack) && seqLe(seg.ack, m_tcb.sndNxt);
    }
    if (seg.has(flag::RST)) {
        if (ackOk) {
            setState(State::Closed, ArcId::SynSentRst, "connection refused");
            deleteTcb();
            tellApplication(SocketError::ConnectionRefused, ErrorCall::Connect);
        }
        return;
    }
    if (!seg.has(flag::SYN)) {
        return;
    }
    takePeerSyn(seg);
    if (ackOk) {
        processAck(seg);
    }
    if (seqGt(m_tcb.sndUna, m_tcb.iss)) {
        // The SYN,ACK acknowledged the SYN but not its data: the peer is no Fast
        // Open server. The data goes again at once, and acknowledges the SYN,ACK
        // itself (RFC 7413 4.2.1, Linux's tcp_rcv_fastopen_synack).
        const bool resendSynData = m_synCarriedData && !m_rtx.empty() &&
                                   m_rtx.front().seq == m_tcb.iss + 1 && m_rtx.front().len > 0;
        m_synCarriedData = false;
        if (!resendSynData) {
            sendAck(SendReason::Handshake);
        }
        enterEstablished(ArcId::RcvSynAck);
        if (resendSynData && m_tcb.state == State::Established) {
            RtxEntry& e = m_rtx.front();
            e.retransmitted = true;
            emitSend(makeSegment(static_cast<std::uint8_t>(e.flags | flag::ACK), e.seq,
                                 m_tcb.rcvNxt, e.len),
                     SendReason::Retransmission, "data on the SYN not acknowledged: sent again");
        }
        if (m_tcb.state == State::Established && (seg.len > 0 || seg.has(flag::FIN))) {
            processTextAndFin(seg.seq + 1, seg.len, seg.has(flag::FIN));
        }
        return;
    }
    // Simultaneous open: our SYN crossed theirs.
    m_rtx.clear();
    m_tcb.retransmitDeadlineUs.reset();
    m_tcb.retries = 0;
    sendSyn(true);
    setState(State::SynReceived, ArcId::SimultaneousOpen);
}

void Endpoint::enterEstablished(ArcId arcId) {
    setState(State::Established, arcId);
    if (m_acceptWaiting) {
        takeConnection();
    }
    m_tcb.retries = 0;
    transmitQueued();
    if (m_tcb.finSent && m_tcb.state == State::Established) {
        setState(State::FinWait1, ArcId::EstablishedClose, "CLOSE issued before ESTABLISHED");
    }
}

bool Endpoint::acceptable(const Segment& seg) const {
    const std::uint32_t len = seg.seqLen();
    const std::uint32_t lo = m_tcb.rcvNxt;
    const std::uint32_t wnd = m_tcb.rcvWnd;
    if (len == 0) {
        return wnd == 0 ? seg.seq == lo : seqInWindow(seg.seq, lo, lo + wnd);
    }
    if (wnd == 0) {
        return false;
    }
    return seqInWindow(seg.seq, lo, lo + wnd) || seqInWindow(seg.seq + len - 1, lo, lo + wnd);
}

void Endpoint::arriveSynchronized(const Segment& segIn) {
    Segment seg = segIn;
    const State s = m_tcb.state;

    // Simultaneous open: the peer's SYN,ACK repeats the SYN we already took;
    // its ACK is what completes our handshake (RFC 9293 Figure 8, line 7).
    bool synRepeated = false;
    if (s == State::SynReceived && seg.has(flag::SYN | flag::ACK) && !seg.has(flag::RST) &&
        seg.seq == m_tcb.irs && !m_tcb.passiveOpen) {
        seg.flags = static_cast<std::uint8_t>(seg.flags & ~flag::SYN);
        seg.seq += 1;
        synRepeated = true;
    }

    if (isLinux() && s == State::TimeWait && seg.has(flag::SYN) && !seg.has(flag::RST) &&
        !seg.has(flag::ACK) && m_listenerOpen && seqGt(seg.seq, m_tcb.rcvNxt)) {
        reopenFromTimeWait(seg);
        return;
    }

    if (isLinux() && s == State::TimeWait) {
        arriveTimeWaitLinux(seg);
        return;
    }

    if (linuxOrphanFinWait2() && seg.has(flag::SYN) && !seg.has(flag::RST) && acceptable(seg) &&
        seqGe(seg.seq, m_tcb.rcvNxt)) {
        resetOrphanOnSyn(seg);
        return;
    }
    if (linuxOrphanFinWait2() && seg.has(flag::RST) && acceptable(seg)) {
        // tcp_timewait_state_process, FIN_WAIT2 substate: any RST inside the
        // window kills the mini-socket, without RFC 5961's challenge ACK.
        setState(State::Closed, ArcId::RstFinWait2, "RST in the window ends the orphan");
        deleteTcb();
        return;
    }

    // First: sequence number check.
    if (!acceptable(seg)) {
        if (s == State::TimeWait && seg.has(flag::FIN) && !seg.has(flag::RST) &&
            seg.seq + seg.len + 1 == m_tcb.rcvNxt) {
            // The peer never got our ACK of its FIN: acknowledge again, restart 2MSL.
            sendAck(SendReason::FinReAck, "re-ACK retransmitted FIN");
            enterTimeWait(ArcId::TimeWaitTimeout, "retransmitted FIN restarts 2MSL");
            return;
        }
        if (s == State::SynReceived && seg.has(flag::SYN) && !seg.has(flag::ACK) &&
            !seg.has(flag::RST) && seg.seq == m_tcb.irs && !m_rtx.empty()) {
            // The peer repeats its SYN, so our SYN,ACK was lost: repeat it at once.
            emitSend(makeSegment(flag::SYN | flag::ACK, m_tcb.iss, m_tcb.rcvNxt, 0),
                     SendReason::SynAckRepeat, "retransmitted SYN: repeat SYN,ACK");
            return;
        }
        if (linuxOrphanFinWait2() && !seg.has(flag::RST)) {
            // The TIME-WAIT mini-socket in substate FIN_WAIT2 answers an
            // unacceptable segment with its ACK, rate-limited as TIME-WAIT does
            // (tcp_timewait_state_process -> tcp_timewait_check_oow_rate_limit).
            if (!oowAckRateLimited(seg)) {
                sendAck(SendReason::OutOfWindowAck, "segment outside the window: re-ACK");
            }
            return;
        }
        if (seg.has(flag::SYN) && !seg.has(flag::RST)) {
            // RFC 5961 section 4: a SYN is answered so, whatever its sequence number.
            sendAck(SendReason::ChallengeAck, "challenge ACK for SYN (RFC 5961)");
        } else if (!seg.has(flag::RST)) {
            sendAck(SendReason::OutOfWindowAck, "segment outside the window: re-ACK");
        }
        return;
    }

    // Second: RST (RFC 5961 section 3).
    if (seg.has(flag::RST)) {
        if (seg.seq != m_tcb.rcvNxt) {
            sendAck(SendReason::ChallengeAck, "challenge ACK (RFC 5961)");
            return;
        }
        const auto a = rstArc(s, m_tcb.passiveOpen);
        if (!a) {
            return;
        }
        if (s == State::SynReceived && m_tcb.passiveOpen) {
            setState(State::Listen, *a);
            resetToListen();
            return;
        }
        setState(State::Closed, *a, "connection reset");
        deleteTcb();
        // Linux's tcp_reset: CLOSE-WAIT learns EPIPE (it has read the FIN
        // already), every other state ECONNRESET, a connect() still waiting after
        // a simultaneous open included; RFC 9293 tells that one "connection
        // refused".
        if (s == State::CloseWait && isLinux()) {
            tellApplication(SocketError::BrokenPipe, ErrorCall::Recv);
        } else if (s == State::SynReceived) {
            tellApplication(isLinux() ? SocketError::ConnectionReset
                                      : SocketError::ConnectionRefused,
                            ErrorCall::Connect);
        } else {
            tellApplication(SocketError::ConnectionReset, ErrorCall::Recv);
        }
        return;
    }

    // Fourth: SYN (RFC 9293 3.10.7.4, with RFC 5961 section 4).
    if (seg.has(flag::SYN)) {
        if (s == State::SynReceived && m_tcb.passiveOpen) {
            setState(State::Listen, ArcId::SynReceivedSyn, "SYN in window: back to LISTEN");
            resetToListen();
            return;
        }
        sendAck(SendReason::ChallengeAck, "challenge ACK for SYN (RFC 5961)");
        return;
    }

    // Fifth: ACK.
    if (!seg.has(flag::ACK)) {
        return;
    }
    if (s == State::SynReceived) {
        if (!(seqLt(m_tcb.sndUna, seg.ack) && seqLe(seg.ack, m_tcb.sndNxt))) {
            emitSend(makeSegment(flag::RST, seg.ack, 0, 0), SendReason::ResetReply,
                     "unacceptable ACK: reset");
            return;
        }
        m_tcb.sndWnd = seg.window;
        if (!processAck(seg)) {
            return;
        }
        if (m_tcb.state == State::SynReceived) {
            const std::size_t sentBefore = m_events.size();
            enterEstablished(ArcId::RcvAckOfSyn);
            const bool ackCarried =
                std::any_of(m_events.begin() + static_cast<std::ptrdiff_t>(sentBefore),
                            m_events.end(), [](const EndpointEvent& ev) {
                                return ev.kind == EndpointEvent::Kind::Send &&
                                       (ev.segment.flags & flag::ACK) != 0;
                            });
            if (isLinux() && synRepeated && !ackCarried) {
                // Linux: tcp_validate_incoming lets this SYN,ACK pass (SYN-RECV,
                // ack_seq == snd_nxt, seq + 1 == rcv_nxt); tcp_data_queue then finds
                // its SYN at or below rcv_nxt, a retransmission, and forces an
                // immediate ACK (quick-ACK mode); queued data sent at ESTABLISHED
                // would carry it. RFC 9293 sends nothing here (Figure 8, line 7).
                sendAck(SendReason::Handshake, "SYN already received: immediate ACK");
            }
        }
    } else if (s != State::TimeWait) {
        const bool finWasAcked = m_tcb.finAcked;
        if (!processAck(seg)) {
            return;
        }
        const bool finNowAcked = m_tcb.finAcked && !finWasAcked;
        if (finNowAcked) {
            if (s == State::FinWait1) {
                // A FIN in this very segment takes FIN-WAIT-1 straight to TIME-WAIT.
                const bool finFollows = seg.has(flag::FIN) && seqLe(seg.seq, m_tcb.rcvNxt) &&
                                        seqGe(seg.seq + seg.len, m_tcb.rcvNxt) &&
                                        m_outOfOrder.empty();
                if (!finFollows) {
                    enterFinWait2();
                }
            } else if (s == State::Closing) {
                enterTimeWait(ArcId::ClosingAckOfFin);
                return;
            } else if (s == State::LastAck) {
                setState(State::Closed, ArcId::LastAckAckOfFin);
                deleteTcb();
                return;
            }
        }
    }

    // Linux (tcp_rcv_state_process, RFC 1122 4.2.2.13): an application that has
    // closed, or shut the socket for reading (RCV_SHUTDOWN), can never read new
    // data, so the sender must learn it was lost.
    const State now = m_tcb.state;
    if (isLinux() && m_readShut && (now == State::FinWait1 || now == State::FinWait2) &&
        seg.len > 0 && seqGt(seg.seq + seg.len, m_tcb.rcvNxt)) {
        emitSend(makeSegment(flag::RST, seg.ack, 0, 0), SendReason::DataAfterClose,
                 "data after close: reset");
        setState(State::Closed, now == State::FinWait1 ? ArcId::DataAfterCloseFinWait1
                                                       : ArcId::DataAfterCloseFinWait2);
        deleteTcb();
        // tcp_reset: an application that only shut the socket down still holds
        // it, and learns ECONNRESET (the kernel told the conformance harness so).
        tellApplication(SocketError::ConnectionReset, ErrorCall::Recv);
        return;
    }

    // Seventh and eighth: text and FIN.
    processTextAndFin(seg.seq, seg.len, seg.has(flag::FIN));
    if (m_tcb.state == State::FinWait1 && m_tcb.finAcked) {
        enterFinWait2(); // the FIN we expected alongside was not new after all
    }
}

// Linux keeps an orphaned FIN-WAIT-2 whose tcp_fin_timeout fits in TIME-WAIT's
// 60 s as a TIME-WAIT mini-socket in substate FIN_WAIT2 (tcp_close,
// tcp_rcv_state_process -> tcp_time_wait), with that socket's rules.
bool Endpoint::linuxOrphanFinWait2() const {
    return isLinux() && m_tcb.state == State::FinWait2 && m_appClosed &&
           m_cfg.timers.finTimeoutUs <= kLinuxTimeWaitUs;
}

// Linux keeps TIME-WAIT in a mini-socket with rules of its own
// (tcp_timewait_state_process, substate TIME_WAIT, with tcp_rfc1337 = 0):
//  - a segment at RCV.NXT that is bare or a RST: the RST ends TIME-WAIT at once
//    (the "TIME-WAIT assassination" of RFC 1337), anything else restarts the 60 s;
//  - a SYN above RCV.NXT reopens the connection (reopenFromTimeWait, above);
//  - any other RST is dropped without a word (no challenge ACK);
//  - anything else is answered with the ACK TIME-WAIT has (a pure ACK or a SYN at
//    most once per 500 ms, tcp_invalid_ratelimit; data and FINs always) and, if it
//    carries ACK, restarts the 60 s.
void Endpoint::arriveTimeWaitLinux(const Segment& seg) {
    const bool bare = seg.len == 0 && !seg.has(flag::FIN) && !seg.has(flag::SYN);
    if (seg.seq == m_tcb.rcvNxt && (bare || seg.has(flag::RST))) {
        if (seg.has(flag::RST)) {
            setState(State::Closed, ArcId::RstTimeWait, "RST ends TIME-WAIT (tcp_rfc1337 = 0)");
            deleteTcb();
            return;
        }
        enterTimeWait(ArcId::TimeWaitTimeout, "an ACK at RCV.NXT restarts TIME-WAIT");
        return;
    }
    if (seg.has(flag::RST)) {
        return;
    }
    if (seg.has(flag::ACK)) {
        enterTimeWait(ArcId::TimeWaitTimeout, "restarts TIME-WAIT");
    }
    if (oowAckRateLimited(seg)) {
        return;
    }
    if (seg.has(flag::FIN) && seg.seq + seg.len + 1 == m_tcb.rcvNxt) {
        sendAck(SendReason::FinReAck, "re-ACK retransmitted FIN");
    } else {
        sendAck(SendReason::OutOfWindowAck, "TIME-WAIT answers with its ACK");
    }
}

// Linux (tcp_timewait_state_process -> TCP_TW_SYN, tcp_v4_rcv): a SYN without ACK
// whose SEQ lies above the old RCV.NXT cannot be an old duplicate of this
// connection, so the TIME-WAIT socket is killed and the listener takes the SYN
// as a new connection, with an ISN above the old SND.NXT. A SYN at or below
// RCV.NXT, or one that no listener would take, is answered with the old
// connection's ACK (TCP_TW_ACK) further down. rfc9293 keeps RFC 5961's challenge
// ACK: MAY-2 of section 3.6 is a permission, not a rule. The kernel also takes a
// SYN whose timestamp is newer than the last one seen; tcpviz's segments carry no
// timestamps, so the sequence number alone decides.
void Endpoint::reopenFromTimeWait(const Segment& seg) {
    std::uint32_t iss = m_tcb.sndNxt + kLinuxTimeWaitIsnGap;
    if (iss == 0) {
        iss = 1; // the kernel avoids ISN 0 here
    }
    // The SYN,ACK is recorded before the transition, while the state still reads
    // TIME-WAIT, so the 2MSL timer stays in that snapshot and stops with the arc.
    const Tcb timeWait = m_tcb;
    resetToListen();
    m_tcb.timeWaitDeadlineUs = timeWait.timeWaitDeadlineUs;
    m_tcb.timeWaitStartUs = timeWait.timeWaitStartUs;
    m_appClosed = false;
    m_readShut = false;
    m_accepted = m_cfg.acceptsAtOnce;
    m_retransStampUs.reset();
    takePeerSyn(seg);
    m_tcb.iss = iss;
    m_tcb.passiveOpen = true;
    sendSyn(true);
    m_tcb.timeWaitDeadlineUs.reset();
    m_tcb.timeWaitStartUs.reset();
    setState(State::SynReceived, ArcId::TimeWaitSyn, "new SYN above RCV.NXT: TIME-WAIT reopened");
}

// Linux (tcp_rcv_state_process, tcp_time_wait(sk, TCP_FIN_WAIT2, tmo)): once an
// orphaned socket's FIN is acknowledged and tcp_fin_timeout is at most
// TCP_TIMEWAIT_LEN, the socket becomes a TIME-WAIT mini-socket in substate
// FIN_WAIT2. tcp_timewait_state_process() answers an in-window SYN at or above
// RCV.NXT with TCP_TW_RST: a reset built from the SYN alone (tcp_v4_send_reset:
// <SEQ=0><ACK=SEG.SEQ+1><CTL=RST,ACK>) and the mini-socket dies. A full socket
// would send RFC 5961's challenge ACK instead, as rfc9293 does.
void Endpoint::resetOrphanOnSyn(const Segment& seg) {
    Segment r = seg.has(flag::ACK)
                    ? makeSegment(flag::RST, seg.ack, 0, 0)
                    : makeSegment(flag::RST | flag::ACK, 0, seg.seq + seg.seqLen(), 0);
    r.window = 0;
    emitSend(r, SendReason::ResetReply, "SYN after close in FIN-WAIT-2: reset");
    setState(State::Closed, ArcId::SynAfterCloseFinWait2);
    deleteTcb();
}

void Endpoint::enterFinWait2() {
    setState(State::FinWait2, ArcId::FinWait1AckOfFin);
    if (isLinux() && m_appClosed) {
        // An orphaned FIN-WAIT-2 socket lives only tcp_fin_timeout seconds, as a
        // fresh TIME-WAIT mini-socket (tcp_time_wait: tw_last_oow_ack_time = 0).
        m_tcb.finWait2DeadlineUs = m_now + m_cfg.timers.finTimeoutUs;
        m_lastOowAckUs.reset();
    }
}

// tcp_oow_rate_limited: a segment without data (or with SYN) that gets an ACK
// only because it is unacceptable is answered at most once per
// tcp_invalid_ratelimit (500 ms); data is never part of an ACK loop.
bool Endpoint::oowAckRateLimited(const Segment& seg) {
    constexpr std::int64_t kInvalidRateLimitUs = 500'000;
    if (seg.len > 0 && !seg.has(flag::SYN)) {
        return false;
    }
    if (seg.has(flag::FIN) && !seg.has(flag::SYN)) {
        return false; // a FIN takes a sequence number: seq != end_seq
    }
    if (m_lastOowAckUs && m_now - *m_lastOowAckUs < kInvalidRateLimitUs) {
        return true;
    }
    m_lastOowAckUs = m_now;
    return false;
}

bool Endpoint::processAck(const Segment& seg) {
    if (seqGt(seg.ack, m_tcb.sndNxt)) {
        sendAck(SendReason::AckOfUnsent, "ACK of unsent data: re-ACK");
        return false;
    }
    if (seqGt(seg.ack, m_tcb.sndUna)) {
        m_tcb.sndUna = seg.ack;
        std::optional<std::int64_t> sample;
        while (!m_rtx.empty()) {
            RtxEntry& e = m_rtx.front();
            const std::uint32_t end = e.seq + e.seqLen();
            if (seqLe(end, seg.ack)) {
                if (!e.retransmitted) {
                    sample = m_now - e.sentUs; // Karn: never from a retransmission
                }
                if ((e.flags & flag::FIN) != 0) {
                    m_tcb.finAcked = true;
                }
                m_rtx.pop_front();
            } else {
                if (seqGt(seg.ack, e.seq)) { // partially acknowledged
                    // A SYN with data (Fast Open) acknowledged up to its SYN: the
                    // SYN's one number is not a payload byte.
                    const std::uint32_t syn = (e.flags & flag::SYN) != 0 ? 1U : 0U;
                    const std::uint32_t done = seg.ack - e.seq - syn;
                    e.seq = seg.ack;
                    e.len -= std::min(done, e.len);
                    e.flags = static_cast<std::uint8_t>(e.flags & ~flag::SYN);
                    if (syn != 0 && e.len > 0) {
                        e.flags = static_cast<std::uint8_t>(e.flags | flag::PSH);
                    }
                }
                break;
            }
        }
        if (sample) {
            rttSample(*sample);
        }
        m_tcb.retries = 0;
        m_tcb.retransmitDeadlineUs.reset();
        m_tcb.retransmitStartUs.reset();
        armRetransmitIfIdle();
        updateUserTimeout(true);
    }
    m_tcb.sndWnd = seg.window;
    transmitQueued();
    return true;
}

void Endpoint::processTextAndFin(std::uint32_t seq, std::uint32_t len, bool fin) {
    const State s = m_tcb.state;
    if (s != State::Established && s != State::FinWait1 && s != State::FinWait2) {
        return; // the peer's FIN was already taken: no more text can be new
    }
    if (len == 0 && !fin) {
        return;
    }
    if (seqGt(seq, m_tcb.rcvNxt)) {
        // A hole before this segment: keep it and repeat the ACK for what is missing.
        m_outOfOrder.push_back({seq, len, fin});
        sendAck(SendReason::DuplicateAck, "out of order: duplicate ACK");
        return;
    }
    bool finInOrder = false;
    auto take = [&](std::uint32_t from, std::uint32_t n, bool hasFin) {
        const std::uint32_t end = from + n;
        if (seqGt(end, m_tcb.rcvNxt)) {
            const std::uint32_t fresh = end - m_tcb.rcvNxt;
            m_tcb.rcvNxt = end;
            if (appReadsNow()) {
                m_bytesRead += fresh;
            } else {
                m_tcb.unreadBytes += fresh;
                updateReceiveWindow();
            }
        }
        if (hasFin && end == m_tcb.rcvNxt) {
            finInOrder = true;
        }
    };
    take(seq, len, fin);
    for (bool progress = true; progress && !finInOrder;) {
        progress = false;
        for (auto it = m_outOfOrder.begin(); it != m_outOfOrder.end(); ++it) {
            if (seqLe(it->seq, m_tcb.rcvNxt)) {
                const OutOfOrder o = *it;
                m_outOfOrder.erase(it);
                take(o.seq, o.len, o.fin);
                progress = true;
                break;
            }
        }
    }
    if (finInOrder) {
        m_outOfOrder.clear();
        processFin();
    } else if (m_cfg.delaysAcks && len > 0 && !m_tcb.delayedAckDeadlineUs) {
        m_tcb.delayedAckDeadlineUs = m_now + m_cfg.timers.delayedAckUs;
    } else {
        sendAck(); // at once, or the second segment while an ACK is delayed
    }
}

void Endpoint::processFin() {
    m_tcb.rcvNxt += 1;
    m_tcb.finReceived = true;
    switch (m_tcb.state) {
    case State::Established:
        if (isLinux() && !m_cfg.quickAck) {
            // Linux enters pingpong mode and delays this ACK (~40 ms): an
            // application that closes at once sends FIN and ACK together. A route
            // with `quickack 1` keeps quick-ACK mode on regardless: no delay.
            m_tcb.delayedAckDeadlineUs = m_now + m_cfg.timers.delayedAckUs;
            setState(State::CloseWait, ArcId::RcvFin, "ACK delayed");
        } else {
            sendAck();
            setState(State::CloseWait, ArcId::RcvFin);
        }
        break;
    case State::FinWait1:
        sendAck();
        if (m_tcb.finAcked) {
            enterTimeWait(ArcId::FinWait1FinAck);
        } else {
            m_tcb.finWait2DeadlineUs.reset();
            setState(State::Closing, ArcId::SimultaneousClose);
        }
        break;
    case State::FinWait2:
        sendAck();
        enterTimeWait(ArcId::FinWait2RcvFin);
        break;
    default:
        break;
    }
}

void Endpoint::enterTimeWait(ArcId arcId, std::string note) {
    const bool restart = m_tcb.state == State::TimeWait;
    stopTimers();
    m_rtx.clear();
    const std::int64_t len = isLinux() ? kLinuxTimeWaitUs : 2 * m_cfg.timers.mslUs;
    m_tcb.timeWaitStartUs = m_now;
    m_tcb.timeWaitDeadlineUs = m_now + len;
    if (!restart) {
        m_lastOowAckUs.reset(); // tcp_time_wait: a fresh mini-socket
        setState(State::TimeWait, arcId, std::move(note));
    }
}

// ---------------------------------------------------------------- a host's listener

void Endpoint::acceptCookie(const Segment& ack, std::uint32_t iss, std::int64_t nowUs) {
    m_now = nowUs;
    if (m_tcb.state != State::Listen) {
        return;
    }
    // What the cookie gives back: the peer's ISN (SEG.SEQ - 1 of the ACK) and our
    // own, which was the cookie. The SYN is taken as acknowledged at once, so no
    // retransmission timer is ever armed for it: a lost cookie SYN,ACK is the
    // client's problem (it retransmits its SYN).
    m_tcb.irs = ack.seq - 1;
    m_tcb.rcvNxt = ack.seq;
    m_tcb.sndWnd = ack.window;
    m_tcb.iss = iss;
    m_tcb.sndUna = iss;
    m_tcb.sndNxt = iss + 1;
    m_tcb.passiveOpen = true;
    m_tcb.finReceived = false;
    m_tcb.finSent = false;
    m_tcb.finAcked = false;
    RtxEntry syn;
    syn.seq = iss;
    syn.flags = flag::SYN;
    syn.sentUs = nowUs;
    syn.retransmitted = true; // no RTT sample from a SYN,ACK nobody remembers sending
    m_rtx.push_back(syn);
    setState(State::SynReceived, ArcId::RcvSyn, "SYN cookie checked: rebuilt from the ACK");
    arriveSynchronized(ack);
    updateUserTimeout(false);
}

void Endpoint::resetOnOverflow(const Segment& ack, std::int64_t nowUs) {
    m_now = nowUs;
    if (m_tcb.state != State::SynReceived) {
        return;
    }
    Segment r = makeSegment(flag::RST, ack.ack, 0, 0);
    r.window = 0;
    emitSend(r, SendReason::ResetReply, "accept queue full (tcp_abort_on_overflow = 1): reset");
    setState(State::Closed, ArcId::AbortSynReceived, "request dropped: accept queue full");
    deleteTcb();
}

void Endpoint::killTimeWait(std::int64_t nowUs, std::string note) {
    m_now = nowUs;
    if (m_tcb.state != State::TimeWait) {
        return;
    }
    setState(State::Closed, ArcId::AbortTimeWait, std::move(note));
    deleteTcb();
}

Status callEndpoint(Endpoint& ep, UserCall c, std::uint32_t bytes, std::int64_t nowUs) {
    switch (c) {
    case UserCall::Listen:
        return ep.open(false, nowUs);
    case UserCall::Connect:
        return ep.open(true, nowUs, bytes); // bytes > 0: data on the SYN (Fast Open)
    case UserCall::Send:
        return ep.send(bytes, nowUs);
    case UserCall::Close:
        return ep.close(nowUs);
    case UserCall::Shutdown:
        return ep.shutdown(nowUs);
    case UserCall::Abort:
    case UserCall::CloseLinger0: // tcp_close -> tcp_disconnect: the same RST
        return ep.abort(nowUs);
    case UserCall::Recv:
        return ep.recv(bytes, nowUs);
    case UserCall::ShutdownRead:
        return ep.shutdownRead(nowUs);
    case UserCall::ShutdownBoth: {
        // SHUT_RDWR: RCV_SHUTDOWN and the FIN of SHUT_WR, as one call.
        Endpoint probe = ep;
        if (Status st = probe.shutdownRead(nowUs); !st) {
            return st;
        }
        if (Status st = probe.shutdown(nowUs); !st) {
            return st;
        }
        (void)ep.shutdownRead(nowUs);
        return ep.shutdown(nowUs);
    }
    case UserCall::Accept:
        return ep.accept(nowUs);
    case UserCall::CloseListener:
        return ep.closeListener(nowUs);
    }
    return {};
}

} // namespace tcpviz
