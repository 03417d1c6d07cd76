#pragma once

#include "capture/packet.h"
#include "trace/trace.h"

#include <array>
#include <cstdint>
#include <span>
#include <vector>

namespace tcpviz {

/// Tells a packet the capture recorded twice from a segment TCP sent twice.
///
/// A capture on a bridge, a SPAN (mirror) port or several interfaces at once can
/// record one datagram two or three times, microseconds to tens of milliseconds
/// apart. Such a copy is not a retransmission: TCP sent the segment once. A
/// packet is a **capture copy** of an earlier packet of its connection when it
/// comes from the same side with the same TCP header (flags, SEQ, ACK, window,
/// payload length) and
///  * both carry the same non-zero IPv4 identification and the copy comes at most
///    kSameDatagramNs (100 ms) after the latest recording of it: the same IP
///    datagram. A retransmission is a
///    new datagram with a new identification (Linux, Windows and the BSDs count
///    it per socket or per host), so the same identification means the same
///    datagram, whatever came in between; or
///  * there is no identification to compare (IPv6, or a stack that writes 0)
///    and the copy follows the latest recording of it at most kBackToBackNs
///    (1 ms) later with no other packet of the connection in between. TCP never repeats a
///    segment that fast unprompted: its shortest retransmission timeout is
///    200 ms (Linux's RTO minimum), and a fast retransmission follows three
///    duplicate ACKs, which the capture would show in between.
/// The copy is compared with the last four distinct packets of its side, which
/// covers every copy of the corpus (arkime_wireshark-retrans: up to four copies,
/// up to 51 ms apart, a SYN copied after three other packets of its side).
///
/// Compact (about 200 bytes): one lives in every PassiveTracker.
class CaptureCopies {
public:
    static constexpr std::int64_t kSameDatagramNs = 100'000'000;
    static constexpr std::int64_t kBackToBackNs = 1'000'000;

    /// Feeds one packet of the connection, sent by `from`, in capture order:
    /// the frame number of the earlier packet it copies, or 0 when it is a
    /// packet of its own (then remembered for the packets after it).
    std::uint64_t check(Side from, const DecodedPacket& p);

private:
    /// 24 bytes (eight per connection): the frame number is kept in 48 bits, beside
    /// the IP ID (2^48 frames is far beyond any capture a file can hold).
    struct Seen {
        std::uint64_t fingerprint = 0; ///< the TCP header fields, hashed
        std::int64_t timeNs = 0;
        std::uint32_t numberLow = 0;  ///< frame number, low 32 bits; 0 and 0: empty slot
        std::uint16_t numberHigh = 0; ///< bits 32..47
        std::uint16_t ipId = 0;

        [[nodiscard]] std::uint64_t number() const {
            return (static_cast<std::uint64_t>(numberHigh) << 32) | numberLow;
        }
    };
    std::array<std::array<Seen, 4>, 2> m_seen{}; ///< per side, newest first
    std::uint64_t m_lastNumber = 0;              ///< the connection's latest packet
};

/// For each packet of one connection (in capture order), the frame number of the
/// earlier packet it copies, or 0 (CaptureCopies' rule; the client is the side
/// of the first packet).
[[nodiscard]] std::vector<std::uint64_t> captureCopies(std::span<const DecodedPacket> packets);

/// The packets of one connection without its capture copies.
[[nodiscard]] std::vector<DecodedPacket>
withoutCaptureCopies(std::span<const DecodedPacket> packets);

} // namespace tcpviz
