#pragma once

#include "tcp/segment.h"
#include "trace/trace.h"

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace tcpviz {

/// Wireshark's `tcp.completeness` bits.
namespace completeness {
inline constexpr std::uint8_t Syn = 1;
inline constexpr std::uint8_t SynAck = 2;
inline constexpr std::uint8_t Ack = 4;
inline constexpr std::uint8_t Data = 8;
inline constexpr std::uint8_t Fin = 16;
inline constexpr std::uint8_t Rst = 32;
} // namespace completeness

/// "SYN|SYN-ACK|ACK|DATA|FIN", as Wireshark spells `tcp.completeness.str`; "" for 0.
[[nodiscard]] std::string completenessFlags(std::uint8_t value);

/// Zeek's per-endpoint TCP states (TCP_ENDPOINT_*), the input of conn_state.
enum class ZeekEndpointState : std::uint8_t {
    Inactive,
    SynSent,
    SynAckSent,
    Partial,
    Established,
    Closed,
    Reset,
};

/// Per-connection counters and the cross-check fields other tools print:
/// Wireshark's tcp.completeness, Zeek's conn.log `history` and `conn_state`.
/// Fed one packet at a time by the PassiveTracker; no allocation per packet
/// (the history string stays within its small-string buffer in practice).
///
/// Zeek's originator is the tracker's client, its responder the server.
class ConnectionStats {
public:
    /// `from` sent `tcp`. `first` marks the connection's first packet,
    /// `retransmission` the tracker's Wireshark-style verdict for it.
    void onPacket(Side from, const Segment& tcp, bool first, bool retransmission);
    /// `from`'s packet `tcp` is a copy the capture made of an earlier one
    /// (CaptureCopies): a frame for the flag counts, completeness and history, as
    /// Wireshark and Zeek count it, but neither a retransmission nor new bytes.
    /// `wiresharkRetransmission`: Wireshark's verdict on the copy.
    void onCaptureCopy(Side from, const Segment& tcp, bool wiresharkRetransmission);
    /// Zeek marks a flipped connection (originator is not the first sender) with '^'.
    void markFlipped();
    /// `from` sent a packet whose TCP checksum is wrong (only when checksums are
    /// validated): Zeek's 'C', scaled (1st, 10th, 100th...). The packet is
    /// otherwise ignored, as Zeek ignores it.
    void onBadChecksum(Side from);

    std::uint32_t syn = 0;    ///< SYN without ACK
    std::uint32_t synAck = 0; ///< SYN with ACK
    std::uint32_t fin = 0;
    std::uint32_t rst = 0;
    std::uint32_t retransmissions = 0;    ///< segments TCP sent again; capture copies excluded
    std::uint32_t captureCopies = 0;      ///< packets the capture recorded a second time
    std::array<std::uint64_t, 2> bytes{}; ///< payload bytes sent, retransmissions excluded; by Side

    /// Wireshark 4.0's tcp.completeness as `tshark -2` shows it, OR-ed over the frames
    /// (see connection_stats.cpp for the two-pass rule this reproduces).
    [[nodiscard]] std::uint8_t completeness() const;
    /// Frames Wireshark flags as (fast/spurious) retransmissions: `retransmissions`
    /// plus the capture copies Wireshark takes for retransmissions.
    [[nodiscard]] std::uint32_t wiresharkRetransmissions() const {
        return retransmissions + m_copiesWiresharkRetransmits;
    }
    /// Zeek conn.log `history` (uppercase: originator = client).
    [[nodiscard]] const std::string& history() const { return m_history; }
    /// Zeek conn.log `conn_state`: S0, S1, SF, REJ, S2, S3, RSTO, RSTR, RSTOS0, RSTRH, SH, SHR,
    /// OTH.
    [[nodiscard]] std::string_view connState() const;
    [[nodiscard]] ZeekEndpointState zeekState(Side s) const {
        return m_zeekState.at(static_cast<std::size_t>(s));
    }

private:
    /// Packed (56 bytes instead of 72): two per connection of a capture. Zeek's scaled
    /// entries keep their threshold as a power of ten (scaledHistory).
    struct ZeekEndpoint {
        std::uint32_t histSeen = 0; ///< bit per history letter already written
        std::uint32_t lastSyn = 0;
        std::uint32_t lastFin = 0;
        std::uint32_t lastRst = 0;
        std::uint32_t retransmitCount = 0; ///< for Zeek's scaled 'T' entries (1, 10, 100, ...)
        std::uint32_t zeroWindowCount = 0; ///< same for 'W'
        std::uint32_t checksumCount = 0;   ///< 'C', scaled
        std::uint32_t gapCount = 0;        ///< 'G', scaled
        // Content gaps in what this endpoint sent: sequence space skipped by a
        // later segment (a hole), which becomes a gap when the peer ACKs past it
        // without the capture ever showing the missing bytes (Zeek's "ACK above hole").
        std::uint32_t next = 0;           ///< highest seq + seqLen seen
        std::uint32_t holeStart = 0;      ///< first byte missing
        std::uint32_t holeEnd = 0;        ///< first byte seen again after it
        std::uint8_t retransmitPower = 0; ///< thresholds 1, 10, 100... as powers of ten
        std::uint8_t zeroWindowPower = 0;
        std::uint8_t checksumPower = 0;
        std::uint8_t gapPower = 0;
    };

    void updateHistory(Side from, const Segment& tcp, bool retransmission);
    void updateZeekState(Side from, const Segment& tcp);
    void updateGaps(Side from, const Segment& tcp);
    /// Zeek's ScaledHistoryEntry: `code` on the 1st, 10th, 100th... event.
    void scaledHistory(Side from, char code, std::uint32_t& count, std::uint8_t& power);
    /// Writes `code` (lower-cased for the responder) once per endpoint; true if it was already
    /// there.
    bool checkHistory(Side from, std::uint32_t bit, char code);
    void addHistory(Side from, char code);

    std::uint32_t m_packets = 0;
    std::uint32_t m_copiesWiresharkRetransmits = 0;
    std::array<ZeekEndpoint, 2> m_zeek{}; ///< 48 bytes each: its byte-sized fields follow
    std::array<ZeekEndpointState, 2> m_zeekState{};
    std::array<bool, 2> m_nextKnown{};    ///< a ZeekEndpoint's `next` is set
    std::array<bool, 2> m_hole{};         ///< [holeStart, holeEnd) is open
    std::uint8_t m_firstContribution = 0; ///< pass-1 value of a new conversation's first frame
    std::uint8_t m_laterContributions = 0;
    std::string m_history;
};

} // namespace tcpviz
