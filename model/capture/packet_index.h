#pragma once

#include "base/error.h"
#include "capture/packet.h"

#include <atomic>
#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <vector>

namespace tcpviz {

/// Where each connection's packets lie in a capture file, built during the
/// analysis pass, so that one connection's packets are read again on their own
/// (a few kilobytes of preads) instead of reading the whole file.
///
/// A chained index, 16 bytes a packet and 8 a connection: per packet its record's
/// file offset, its frame number and the next packet of the same connection; per
/// connection the first and last packet. One allocation grows for the whole
/// capture instead of one vector per connection.
class PacketIndex {
public:
    struct Entry {
        std::uint64_t number = 0; ///< 1-based frame number
        std::uint64_t offset = 0; ///< byte offset of the frame's pcap record
    };

    /// `maxPackets` bounds the memory (16 bytes a packet: 4 million, 64 MB);
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
    [[nodiscard]] std::size_t packets() const { return m_size; }
    [[nodiscard]] std::size_t memoryBytes() const;

private:
    static constexpr std::uint32_t kNone = std::numeric_limits<std::uint32_t>::max();
    static constexpr std::uint32_t kBroken = kNone - 1;

    struct Slot {
        std::uint64_t offset = 0;
        std::uint32_t number = 0;
        std::uint32_t next = kNone; ///< next packet of the same connection
    };
    /// Fixed-size chunks instead of one growing vector: growing never copies (a copy
    /// would briefly hold the index twice and raise peak memory) and the slack is
    /// less than one chunk.
    static constexpr std::size_t kChunkBits = 16;
    static constexpr std::size_t kChunk = std::size_t{1} << kChunkBits;
    [[nodiscard]] Slot& slot(std::size_t i) { return m_chunks[i >> kChunkBits][i & (kChunk - 1)]; }
    [[nodiscard]] const Slot& slot(std::size_t i) const {
        return m_chunks[i >> kChunkBits][i & (kChunk - 1)];
    }

    std::size_t m_maxPackets;
    std::size_t m_size = 0;
    std::vector<std::unique_ptr<Slot[]>> m_chunks; // NOLINT(*-avoid-c-arrays): fixed chunks
    std::vector<std::uint32_t> m_head;             ///< per connection: kNone (none yet), kBroken
    std::vector<std::uint32_t> m_tail;             ///< per connection
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

/// Packets read between two looks at a cancel flag (readIndexedPackets); also the
/// packets or events of buildConnectionTrace and the simulated happenings of a replay.
inline constexpr std::size_t kCancelCheckEvery = 4096;

} // namespace tcpviz
