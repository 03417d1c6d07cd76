#pragma once

#include "tcp/segment.h"
#include "trace/trace.h"

#include <array>
#include <cstdint>
#include <string_view>

namespace tcpviz {

/// Where a capture was taken between the two endpoints: the estimated one-way
/// delay from the capture point to each of them.
struct CapturePoint {
    using Basis = DelayBasis;
    Basis basis = Basis::None;
    std::int64_t clientNs = 0; ///< capture point <-> client, one way
    std::int64_t serverNs = 0; ///< capture point <-> server, one way
};

[[nodiscard]] std::string_view basisName(CapturePoint::Basis basis);

/// Estimates the capture point of one connection from its packets as they are
/// captured, in O(1) memory (one exists per connection of a capture).
///
/// The standard split of the handshake round trip: the capture point sees the SYN,
/// then the server's SYN,ACK after a round trip to the server, then the client's
/// ACK after a round trip to the client; half of each is that side's one-way delay
/// (the split cannot see an asymmetric path: it gives the mean of the two
/// directions). A connection whose handshake was not captured uses data instead:
/// the quickest interval between a data segment and the ACK that covers it, in
/// each direction (quickest, so that delayed ACKs and busy hosts count least;
/// retransmitted data is never sampled, Karn's rule).
class CapturePointEstimator {
public:
    void onPacket(Side sender, const Segment& segment, std::int64_t timeNs);
    [[nodiscard]] CapturePoint estimate() const;

private:
    // One estimator per connection of a capture (80 bytes, no padding): the
    // pending data samples are parallel arrays rather than an array of
    // {time, end, active} structs, which would pad each to 16 bytes.
    std::int64_t m_synNs = -1;
    std::int64_t m_synAckNs = -1;
    std::int64_t m_ackNs = -1;
    /// The data sample awaiting its ACK, index: the data's sender: when it was sent,
    /// the sequence number just past it, and whether one is pending.
    std::array<std::int64_t, 2> m_pendingNs{};
    std::array<std::int64_t, 2> m_quickest{-1, -1}; ///< index: the side that answered
    std::array<std::uint32_t, 2> m_pendingEnd{};
    std::array<std::uint32_t, 2> m_highestEnd{}; ///< index: sender; for Karn's rule
    std::uint32_t m_synAckSeq = 0;
    std::array<bool, 2> m_pendingActive{};
    std::array<bool, 2> m_sent{}; ///< index: sender
};

} // namespace tcpviz
