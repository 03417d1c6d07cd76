#pragma once

#include "base/error.h"
#include "capture/packet.h"

#include <atomic>
#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace tcpviz {

/// Where each connection's packets lie in a capture file, built during the
/// analysis pass, so that one connection's packets are read again on their own
/// (a few kilobytes of preads) instead of reading the whole file.
///
/// A chained index, 8 bytes a packet and 4 a connection: per packet the previous
/// packet of the same connection and how far its record and frame number lie after
/// the previous indexed packet's (24 and 8 bits; a larger step is kept aside in
/// full); every 64th packet's offset and number in full, so that a packet's
/// position is a short sum. Per connection its last packet. Adding a packet writes
/// its own slot only (in file order, never back into an older one), and one
/// allocation grows for the whole capture instead of one vector per connection.
class PacketIndex {
public:
    struct Entry {
        std::uint64_t number = 0; ///< 1-based frame number
        std::uint64_t offset = 0; ///< byte offset of the frame's pcap record
    };

    /// `maxPackets` bounds the memory (about 8 bytes a packet: 4 million, 32 MB);
    /// packets beyond it are not indexed and their connections read the whole file
    /// again.
    explicit PacketIndex(std::size_t maxPackets = 4'000'000)
        : m_maxPackets(maxPackets) {}

    /// Records the packet as the next one of `connection`. A packet without a file
    /// offset (DecodedPacket::fileOffset 0), or beyond the limit, leaves the
    /// connection uncovered.
    void add(std::uint32_t connection, const DecodedPacket& packet);
    /// Whether every packet of the connection is indexed.
    [[nodiscard]] bool covers(std::uint32_t connection) const;
    /// The connection's packets in file order; empty when it is not covered.
    [[nodiscard]] std::vector<Entry> entries(std::uint32_t connection) const;
    /// The record offset of the connection's first packet, also past the packet
    /// limit (8 bytes a connection): where readPacketRange starts when the
    /// connection is not covered. nullopt when that packet had no file offset.
    [[nodiscard]] std::optional<std::uint64_t> firstOffset(std::uint32_t connection) const;
    [[nodiscard]] std::size_t packets() const { return m_size; }
    [[nodiscard]] std::size_t memoryBytes() const;

private:
    static constexpr std::uint32_t kNone = std::numeric_limits<std::uint32_t>::max();
    static constexpr std::uint32_t kBroken = kNone - 1;
    /// Slot::step of a packet whose position is kept in m_wide.
    static constexpr std::uint32_t kWide = std::numeric_limits<std::uint32_t>::max();
    static constexpr std::uint32_t kOffsetBits = 24;

    struct Slot {
        std::uint32_t previous = kNone; ///< previous packet of the same connection
        /// Record offset minus the previous slot's (low 24 bits) and frame number
        /// minus the previous slot's (high 8 bits); kWide when either does not fit.
        std::uint32_t step = kWide;
    };
    /// A packet's position in full: every kEvery-th slot's, and the wide steps'.
    struct Position {
        std::uint64_t offset = 0;
        std::uint64_t number = 0;
    };
    struct Wide {
        std::uint32_t slot = 0;
        Position at;
    };
    static constexpr std::size_t kEvery = 64;
    /// Fixed-size chunks instead of one growing vector: growing never copies (a copy
    /// would briefly hold the index twice and raise peak memory) and the slack is
    /// less than one chunk.
    static constexpr std::size_t kChunkBits = 16;
    static constexpr std::size_t kChunk = std::size_t{1} << kChunkBits;
    [[nodiscard]] Slot& slot(std::size_t i) { return m_chunks[i >> kChunkBits][i & (kChunk - 1)]; }
    [[nodiscard]] const Slot& slot(std::size_t i) const {
        return m_chunks[i >> kChunkBits][i & (kChunk - 1)];
    }
    /// The position of slot `i`, summed from `from` (the position of slot `fromSlot`
    /// <= i, in the same stretch of kEvery slots) or from the stretch's start.
    [[nodiscard]] Position position(std::size_t i, std::size_t fromSlot, Position from) const;

    std::size_t m_maxPackets;
    std::size_t m_size = 0;
    Position m_last;                               // the last slot's
    std::vector<std::unique_ptr<Slot[]>> m_chunks; // NOLINT(*-avoid-c-arrays): fixed chunks
    std::vector<Position> m_every;                 ///< slot k * kEvery's
    std::vector<Wide> m_wide;                      ///< by slot
    /// Per connection its last packet: kNone (none yet), kBroken (not covered).
    std::vector<std::uint32_t> m_lastSlot;
    /// Per connection its first packet's record offset (0: it had none).
    std::vector<std::uint64_t> m_firstOffset;
};

/// Reads the packets at `entries` (from PacketIndex::entries) of the classic pcap
/// file `path`, decoded exactly as the full read decodes them (same numbers,
/// times, fields and malformed flags). An Error names the file when it cannot be
/// read or a record is no longer where the index says (the file changed).
/// `cancel`, when it becomes true (another thread), stops the read before the next
/// kCancelCheckEvery packets: an Error marked cancelled, never the packets read so far.
[[nodiscard]] Result<std::vector<DecodedPacket>>
readIndexedPackets(const std::string& path, const std::vector<PacketIndex::Entry>& entries,
                   const std::atomic<bool>* cancel = nullptr);

/// The packets of one connection of the classic pcap file `path` that was indexed
/// past its limit: the records from `fromOffset` (the connection's first packet,
/// PacketIndex::firstOffset, numbered `fromNumber`) up to frame `lastNumber`, read
/// in order and decoded as the full read decodes them, those `belongs` accepts
/// (the connection's 4-tuple: another incarnation of the tuple lies outside the
/// range). A stretch of the file instead of all of it: on a 10 GB capture of
/// 26 million packets, seconds become milliseconds for a connection whose life
/// is short. An Error (the caller reads the whole file instead) when a record is
/// not plainly sane or not where it was.
[[nodiscard]] Result<std::vector<DecodedPacket>>
readPacketRange(const std::string& path, std::uint64_t fromOffset, std::uint64_t fromNumber,
                std::uint64_t lastNumber, const std::function<bool(const DecodedPacket&)>& belongs,
                const std::atomic<bool>* cancel = nullptr);

/// Packets read between two looks at a cancel flag (readIndexedPackets); also the
/// packets or events of buildConnectionTrace and the simulated happenings of a replay.
inline constexpr std::size_t kCancelCheckEvery = 4096;

} // namespace tcpviz
