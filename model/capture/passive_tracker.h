#pragma once

#include "capture/capture_copy.h"
#include "capture/connection_stats.h"
#include "capture/flow_table.h"
#include "capture/packet.h"
#include "tcp/arc.h"
#include "tcp/state.h"
#include "tcp/tcb.h"
#include "trace/trace.h"

#include <array>
#include <cstdint>

namespace tcpviz {

/// One inferred state change.
struct TrackerTransition {
    Side side = Side::Client;
    State from = State::Closed;
    State to = State::Closed;
    ArcId arc = ArcId::PassiveOpen;
    /// The change is what the packet's *sender* did to send it (e.g. `snd FIN`),
    /// so a Trace shows it before the Send event; otherwise it is the receiver's
    /// reaction and comes after.
    bool bySender = false;
};

/// What one packet did to the connection.
struct TrackerStep {
    Side sender = Side::Client;
    bool retransmission = false; ///< Wireshark's tcp.analysis.(fast_|spurious_)retransmission
    bool ignoredRst = false;     ///< a RST whose sequence number the receiver would not accept
    /// The frame number of the packet this one repeats when the capture recorded
    /// one datagram twice (CaptureCopies); 0 otherwise. A copy changes nothing:
    /// no transition, no retransmission, no sequence variable.
    std::uint64_t captureCopyOf = 0;
    std::uint8_t count = 0;
    std::array<TrackerTransition, 6> transitions{};

    [[nodiscard]] const TrackerTransition* begin() const { return transitions.data(); }
    [[nodiscard]] const TrackerTransition* end() const { return transitions.data() + count; }
};

/// Infers both endpoints' RFC 9293 states from the segments of one connection as
/// seen at one capture point (each segment seen once, sender and receiver alike).
///
/// Roles: the client is the side that sent the first SYN (or, when the capture
/// starts at a SYN+ACK, its receiver). A connection whose first packet carries no
/// SYN started before the capture: both sides begin ESTABLISHED, `midStream()` is
/// true and the side with the lower port is taken as the server.
///
/// When a transition is recorded (one rule for every arc; at one capture point each
/// segment is seen once, so "sent" and "received" are the same packet):
///  * a change the sender makes in order to send the packet (active open, CLOSE
///    with `snd FIN`, ABORT with `snd RST`) is recorded at that packet;
///  * a change caused by receiving a segment that the receiver must answer (SYN,
///    SYN+ACK, FIN) is recorded at the receiver's answer, which proves it arrived
///    and was accepted: the server's LISTEN -> SYN-RECEIVED at its SYN+ACK, the
///    client's SYN-SENT -> ESTABLISHED at its ACK of that SYN+ACK, CLOSE-WAIT /
///    CLOSING / TIME-WAIT at the side's ACK of the peer's FIN (this is what lets a
///    simultaneous close be told from an ordinary one);
///  * a change caused by a segment nobody answers (the ACK of a SYN or of a FIN,
///    an acceptable RST) is recorded at that segment: the server's SYN-RECEIVED ->
///    ESTABLISHED at the client's handshake ACK, LAST-ACK -> CLOSED at the last ACK;
///  * timer-only transitions (TIME-WAIT expiry, give-ups) leave nothing on the wire
///    and are never inferred: a side in TIME-WAIT stays there.
/// A receiver's answer that never shows up (end of capture) leaves its state as it was.
///
/// Segments from one sender arrive in order, so a side has received its peer's FIN
/// at the latest when the next segment from that peer arrives: its rcv-FIN
/// transition is recorded there if it has not answered yet (this orders a
/// simultaneous close correctly).
///
/// A packet the capture recorded twice (CaptureCopies) is reported in
/// TrackerStep::captureCopyOf and otherwise ignored: it is counted in the
/// packets and in ConnectionStats::captureCopies, never as a retransmission.
///
/// Retransmissions (same sequence space again) cause no transition. A RST changes
/// states only when it is acceptable to its receiver (RFC 9293 3.10.7: in SYN-SENT
/// it must acknowledge the SYN; otherwise its sequence number must be exactly
/// RCV.NXT - in the window but not exact only draws a challenge ACK, RFC 5961 as
/// adopted by RFC 9293 3.10.7.4). RCV.NXT is taken as where the sender's data ends
/// or what the receiver last acknowledged. Others are reported in
/// TrackerStep::ignoredRst. An old duplicate SYN (lower ISN than the sender's
/// current SYN, handshake not finished) is not a new connection (RFC 9293 Figure 9).
///
/// Compact by design: one exists per connection of a capture. What only
/// following further packets needs (both directions' sequence state, the
/// capture-copy memory: kWorkBytes) is its *working state*, kept apart: from
/// the Analyzer's pool (useWork) or, for a tracker on its own, allocated at its
/// first packet; releaseWork() ends it when the analysis is over, which leaves
/// the tracker's results (roles, states, stats) and makes it read-only.
class PassiveTracker {
public:
    PassiveTracker() = default;
    PassiveTracker(const PassiveTracker& other) { *this = other; }
    PassiveTracker(PassiveTracker&& other) noexcept { *this = std::move(other); }
    /// A copy owns a copy of the working state (never the pool's memory).
    PassiveTracker& operator=(const PassiveTracker& other);
    PassiveTracker& operator=(PassiveTracker&& other) noexcept;
    ~PassiveTracker();

    /// Feeds one packet of this connection (in capture order). Not after releaseWork().
    TrackerStep onPacket(const DecodedPacket& packet);

    /// Bytes (and alignment) of the working state useWork() takes.
    static const std::size_t kWorkBytes;
    static const std::size_t kWorkAlign;
    /// Keeps the working state in `memory` (kWorkBytes, aligned to kWorkAlign,
    /// owned by the caller and given back by releaseWork()); before the first packet.
    void useWork(void* memory);
    /// Ends the working state: the memory useWork() gave, for its owner to take
    /// back, or nullptr (the tracker's own is freed). Afterwards the tracker keeps
    /// its results and takes no more packets; tcb() has states only.
    [[nodiscard]] void* releaseWork();
    /// Whether the working state was released (the analysis is over).
    [[nodiscard]] bool settled() const { return m_settled; }

    [[nodiscard]] bool started() const { return m_packets > 0; }
    [[nodiscard]] const SocketAddress& client() const { return m_client; }
    [[nodiscard]] const SocketAddress& server() const { return m_server; }
    [[nodiscard]] bool midStream() const { return m_midStream; }
    /// Whether any packet sent by this side has been seen. A connection whose
    /// capture holds one side's packets only (asymmetric routing, a one-way tap)
    /// has the other side's states inferred from the first side's packets alone.
    [[nodiscard]] bool seen(Side s) const { return m_seen.at(index(s)); }
    /// Only one side's packets have been seen so far.
    [[nodiscard]] bool oneDirection() const {
        return started() && (!seen(Side::Client) || !seen(Side::Server));
    }
    [[nodiscard]] State state(Side s) const { return m_state.at(index(s)); }
    /// The state before the first packet; may be corrected by later evidence (a
    /// server that answers the SYN with RST was never listening: CLOSED).
    [[nodiscard]] State initialState(Side s) const { return m_initial.at(index(s)); }
    [[nodiscard]] const ConnectionStats& stats() const { return m_stats; }
    [[nodiscard]] std::uint32_t packets() const { return m_packets; }
    [[nodiscard]] std::uint32_t ignoredRsts() const { return m_ignoredRsts; }
    /// Times an inference rule named an arc whose from-state is not this side's
    /// state (the arc was not recorded). Always 0 unless the rules have a bug: the
    /// tests and the fuzz target require 0.
    [[nodiscard]] std::uint32_t inferenceAnomalies() const { return m_inferenceAnomalies; }
    /// A packet of this connection whose TCP checksum is wrong: recorded in the
    /// stats (Zeek's 'C'), not followed (its header cannot be trusted).
    void onBadChecksum(const DecodedPacket& p) { m_stats.onBadChecksum(sideOf(p)); }
    /// Which side sent a packet with this source address.
    [[nodiscard]] Side sideOf(const DecodedPacket& p) const {
        return p.src == m_client ? Side::Client : Side::Server;
    }
    /// Wireshark's port-reuse rule: a pure SYN whose sequence number differs from
    /// the first one seen from that sender starts a new conversation.
    [[nodiscard]] bool isNewIncarnation(const DecodedPacket& p) const;

    /// The inferred Transmission Control Block of one side (sequence variables as
    /// far as the capture shows them; no timers). Settled: the state only.
    [[nodiscard]] Tcb tcb(Side s) const;

private:
    /// 40 bytes (the 64-bit time first, the flags one bit each at the end; 48 with a
    /// byte a flag): two per connection.
    struct Direction {
        std::int64_t lastTimeNs = 0;
        std::uint32_t isn = 0;        ///< sequence number of this side's SYN (current attempt)
        std::uint32_t lastSynSeq = 0; ///< sequence number of the latest SYN it sent
        std::uint32_t base = 0;       ///< Wireshark base_seq: SYN seq, else first seq - 1
        std::uint32_t nextSeq = 0;    ///< highest seq + seqLen sent (SND.MAX)
        std::uint32_t highAck = 0;    ///< highest ACK sent
        std::uint32_t finSeq = 0;     ///< sequence number of this side's FIN
        std::uint32_t window = 0;     ///< last window advertised (unscaled header value)
        std::uint8_t windowScale = 0;
        bool seen : 1 = false;
        bool seqKnown : 1 = false;
        bool synSeen : 1 = false;
        bool lastWasSyn : 1 = false;
        bool wscaleOffered : 1 = false;
        bool ackSeen : 1 = false;
        bool finSent : 1 = false;
        bool finAcked : 1 = false;
        bool gotPeerFin : 1 = false; ///< this side has ACKed the peer's FIN
        bool sentAnything : 1 = false;
        bool baseFromAck : 1 = false; ///< `base` taken from the peer's ACK (this side unseen)
    };

    static constexpr std::size_t index(Side s) { return static_cast<std::size_t>(s); }
    void start(const DecodedPacket& p);
    void go(TrackerStep& step, Side side, ArcId arc, bool bySender);
    [[nodiscard]] bool retransmissionCheck(const Direction& d, const Segment& t,
                                           std::int64_t timeNs) const;
    [[nodiscard]] bool rstAcceptable(Side receiver, const Segment& t) const;
    [[nodiscard]] std::uint64_t receiveWindow(Side receiver) const;
    void handleRst(TrackerStep& step, Side sender, const Segment& t);
    void handleSyn(TrackerStep& step, Side sender, const Segment& t);
    void handleAck(TrackerStep& step, Side sender, const Segment& t, bool newFin);
    void handleFin(TrackerStep& step, Side sender);
    void receiveFin(TrackerStep& step, Side side, bool bySender);
    void updateSequence(Direction& d, const Segment& t, std::int64_t timeNs);
    struct Work;
    /// Every member but the working state's, copied or (from an rvalue) moved.
    template <class Other> void takeResults(Other&& other);
    /// The working state, made (owned) at the first packet when useWork() gave none.
    Work& work();
    [[nodiscard]] Direction& dir(Side s);
    [[nodiscard]] const Direction& dir(Side s) const;
    [[nodiscard]] State& st(Side s) { return m_state.at(index(s)); }

    SocketAddress m_client;
    SocketAddress m_server;
    Work* m_work = nullptr; ///< null before the first packet and once settled
    ConnectionStats m_stats;
    std::uint32_t m_packets = 0;
    std::uint32_t m_ignoredRsts = 0;
    std::uint32_t m_inferenceAnomalies = 0;
    std::int64_t m_firstTimeNs = 0;
    std::array<State, 2> m_state{State::Closed, State::Listen};
    std::array<State, 2> m_initial{State::Closed, State::Listen};
    std::array<bool, 2> m_passiveOpen{};
    std::array<bool, 2> m_seen{}; ///< Direction::seen, kept once the work is released
    bool m_midStream = false;
    bool m_ownsWork = false; ///< m_work was allocated by the tracker itself
    bool m_settled = false;
};

} // namespace tcpviz
