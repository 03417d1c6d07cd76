#include "capture/packet_index.h"

#include "base/unique_fd.h"
#include "capture/file_frames.h"
#include "capture/frame_processor.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

namespace tcpviz {

void PacketIndex::add(std::uint32_t connection, const DecodedPacket& packet) {
    if (connection >= m_lastSlot.size()) {
        m_lastSlot.resize(connection + 1, kNone);
        m_firstOffset.resize(connection + 1, 0);
    }
    std::uint32_t& last = m_lastSlot[connection];
    if (last == kNone) {
        m_firstOffset[connection] = packet.fileOffset; // its first packet
    }
    if (last == kBroken) {
        return;
    }
    if (packet.fileOffset == 0 || m_size >= m_maxPackets || m_size >= kBroken ||
        (m_size > 0 && (packet.fileOffset <= m_last.offset || packet.number <= m_last.number))) {
        last = kBroken; // its packets are read from the whole file instead
        return;
    }
    const auto at = static_cast<std::uint32_t>(m_size);
    if ((m_size & (kChunk - 1)) == 0) {
        m_chunks.push_back(std::make_unique<Slot[]>(kChunk)); // NOLINT(*-avoid-c-arrays)
    }
    ++m_size;
    const Position here{packet.fileOffset, packet.number};
    Slot& s = slot(at);
    s.previous = last;
    s.step = kWide;
    if (at % kEvery == 0) {
        m_every.push_back(here);
    } else {
        const std::uint64_t offsetStep = here.offset - m_last.offset;
        const std::uint64_t numberStep = here.number - m_last.number;
        if (offsetStep < (std::uint64_t{1} << kOffsetBits) &&
            numberStep < (std::uint64_t{1} << (32 - kOffsetBits)) &&
            (offsetStep | (numberStep << kOffsetBits)) != kWide) {
            s.step = static_cast<std::uint32_t>(offsetStep | (numberStep << kOffsetBits));
        } else {
            m_wide.push_back({at, here});
        }
    }
    m_last = here;
    last = at;
}

std::optional<std::uint64_t> PacketIndex::firstOffset(std::uint32_t connection) const {
    if (connection >= m_firstOffset.size() || m_firstOffset[connection] == 0) {
        return std::nullopt;
    }
    return m_firstOffset[connection];
}

bool PacketIndex::covers(std::uint32_t connection) const {
    return connection < m_lastSlot.size() && m_lastSlot[connection] != kBroken;
}

PacketIndex::Position PacketIndex::position(std::size_t i, std::size_t fromSlot,
                                            Position from) const {
    const std::size_t start = i - i % kEvery;
    if (fromSlot < start || fromSlot > i) {
        fromSlot = start;
        from = m_every[start / kEvery];
    }
    for (std::size_t k = fromSlot + 1; k <= i; ++k) {
        const std::uint32_t step = slot(k).step;
        if (step == kWide) {
            const auto wide =
                std::lower_bound(m_wide.begin(), m_wide.end(), k,
                                 [](const Wide& w, std::size_t at) { return w.slot < at; });
            from = wide->at;
        } else {
            from.offset += step & ((1U << kOffsetBits) - 1);
            from.number += step >> kOffsetBits;
        }
    }
    return from;
}

std::vector<PacketIndex::Entry> PacketIndex::entries(std::uint32_t connection) const {
    std::vector<Entry> out;
    if (!covers(connection)) {
        return out;
    }
    std::vector<std::uint32_t> slots; // newest first
    for (std::uint32_t i = m_lastSlot[connection]; i != kNone; i = slot(i).previous) {
        slots.push_back(i);
    }
    // In file order, each position summed on from the previous one when it lies in
    // the same stretch.
    out.reserve(slots.size());
    std::size_t previous = 0;
    Position at = m_every.empty() ? Position{} : m_every.front();
    for (auto it = slots.rbegin(); it != slots.rend(); ++it) {
        at = position(*it, previous, at);
        previous = *it;
        out.push_back({at.number, at.offset});
    }
    return out;
}

std::size_t PacketIndex::memoryBytes() const {
    return m_chunks.size() * kChunk * sizeof(Slot) + m_every.capacity() * sizeof(Position) +
           m_wide.capacity() * sizeof(Wide) + m_lastSlot.capacity() * sizeof(std::uint32_t) +
           m_firstOffset.capacity() * sizeof(std::uint64_t);
}

namespace {

bool readAt(int fd, std::uint8_t* out, std::size_t n, std::uint64_t offset) {
    while (n > 0) {
        const ssize_t got = ::pread(fd, out, n, static_cast<off_t>(offset));
        if (got < 0 && errno == EINTR) {
            continue;
        }
        if (got <= 0) {
            return false;
        }
        out += got;
        n -= static_cast<std::size_t>(got);
        offset += static_cast<std::uint64_t>(got);
    }
    return true;
}

/// Up to `n` bytes at `offset`: fewer only at the end of the file; -1 on an error.
ssize_t readSome(int fd, std::uint8_t* out, std::size_t n, std::uint64_t offset) {
    std::size_t done = 0;
    while (done < n) {
        const ssize_t got = ::pread(fd, out + done, n - done, static_cast<off_t>(offset + done));
        if (got < 0 && errno == EINTR) {
            continue;
        }
        if (got < 0) {
            return -1;
        }
        if (got == 0) {
            break;
        }
        done += static_cast<std::size_t>(got);
    }
    return static_cast<ssize_t>(done);
}

/// An indexed file opened again: only the native pcap 2.4 files the fast path
/// reads carry record offsets, and the header must be the one read before.
struct IndexedFile {
    UniqueFd file;
    bool nano = false;
    int linkType = 0;
    std::uint32_t snap = 0; ///< the header's snapshot length (0 when it says none)
};

Result<IndexedFile> reopen(const std::string& path) {
    IndexedFile f{UniqueFd(::open(path.c_str(), O_RDONLY | O_CLOEXEC))};
    if (f.file.get() < 0) {
        return fail(path, std::string("cannot open: ") + std::strerror(errno));
    }
    std::uint8_t header[24] = {};
    if (!readAt(f.file.get(), header, sizeof header, 0)) {
        return fail(path, "cannot read the pcap file header again");
    }
    const std::uint32_t magic = loadU32(header);
    f.nano = magic == 0xa1b23c4d;
    if ((magic != 0xa1b2c3d4 && !f.nano) || loadU32(header + 4) != 0x00040002U) {
        return fail(path, "the file changed since it was read: not the same pcap header");
    }
    f.snap = loadU32(header + 16);
    f.linkType = static_cast<int>(loadU32(header + 20) & 0xffffU);
    return f;
}

bool stoppedBy(const std::atomic<bool>* cancel) {
    return cancel != nullptr && cancel->load(std::memory_order_relaxed);
}

/// The indexed file opened again, unless the read is cancelled already.
Result<IndexedFile> reopenUnlessCancelled(const std::string& path,
                                          const std::atomic<bool>* cancel) {
    if (stoppedBy(cancel)) {
        return cancelledError(path);
    }
    return reopen(path);
}

} // namespace

Result<std::vector<DecodedPacket>>
readIndexedPackets(const std::string& path, const std::vector<PacketIndex::Entry>& entries,
                   const std::atomic<bool>* cancel) {
    const auto stopped = [cancel] { return stoppedBy(cancel); };
    Result<IndexedFile> opened = reopenUnlessCancelled(path, cancel);
    if (!opened) {
        return fail(std::move(opened.error()));
    }
    const int fd = opened->file.get();
    const bool nano = opened->nano;
    const int linkType = opened->linkType;
    CaptureInfo info;
    info.file = path;
    FrameProcessor proc(info);
    std::vector<DecodedPacket> packets;
    packets.reserve(entries.size());
    // One pread a packet: the record header and, usually, all its bytes (the snapshot
    // length bounds them); a longer record gets a second read.
    const std::uint32_t snap = opened->snap;
    std::vector<std::uint8_t> buffer(16 + std::min<std::uint32_t>(snap == 0 ? 262144 : snap, 4096));
    // A file no longer in the page cache: ask for every record at once, so the disk
    // serves them in parallel and in its order instead of one wait a packet.
    std::size_t sinceCheck = 0;
    if (entries.size() > 64) {
        for (const PacketIndex::Entry& e : entries) {
            if (++sinceCheck == kCancelCheckEvery) {
                sinceCheck = 0;
                if (stopped()) {
                    return cancelledError(path);
                }
            }
            (void)::posix_fadvise(fd, static_cast<off_t>(e.offset),
                                  static_cast<off_t>(buffer.size()), POSIX_FADV_WILLNEED);
        }
    }
    for (const PacketIndex::Entry& e : entries) {
        if (++sinceCheck == kCancelCheckEvery) {
            sinceCheck = 0;
            if (stopped()) {
                return cancelledError(path);
            }
        }
        const ssize_t got = readSome(fd, buffer.data(), buffer.size(), e.offset);
        if (got < 16) {
            return fail(path, "the file changed since it was read: packet " +
                                  std::to_string(e.number) + " is gone");
        }
        const std::uint8_t* rec = buffer.data();
        const std::uint32_t caplen = loadU32(rec + 8);
        if (caplen > 262144) {
            return fail(path, "the file changed since it was read: packet " +
                                  std::to_string(e.number) + " is not where it was");
        }
        if (16 + std::size_t{caplen} > static_cast<std::size_t>(got)) {
            const auto have = static_cast<std::size_t>(got);
            buffer.resize(16 + std::size_t{caplen});
            rec = buffer.data();
            if (!readAt(fd, buffer.data() + have, buffer.size() - have, e.offset + have)) {
                return fail(path, "the file changed since it was read: packet " +
                                      std::to_string(e.number) + " is cut short");
            }
        }
        const std::int64_t ns = static_cast<std::int64_t>(loadU32(rec)) * 1'000'000'000 +
                                static_cast<std::int64_t>(loadU32(rec + 4)) * (nano ? 1 : 1000);
        // The processor numbers frames itself: start it just before this one, so the
        // packet gets the number (and the same decoding) the full read gave it.
        info.packets = e.number - 1;
        proc.setRecordOffset(e.offset);
        const std::size_t before = packets.size();
        proc.frame(linkType, ns, rec + 16, caplen, loadU32(rec + 12),
                   [&packets](const DecodedPacket& p) { packets.push_back(p); });
        if (packets.size() == before) {
            return fail(path, "the file changed since it was read: packet " +
                                  std::to_string(e.number) + " is no longer TCP");
        }
    }
    return packets;
}

Result<std::vector<DecodedPacket>>
readPacketRange(const std::string& path, std::uint64_t fromOffset, std::uint64_t fromNumber,
                std::uint64_t lastNumber, const std::function<bool(const DecodedPacket&)>& belongs,
                const std::atomic<bool>* cancel) {
    const auto stopped = [cancel] { return stoppedBy(cancel); };
    Result<IndexedFile> opened = reopenUnlessCancelled(path, cancel);
    if (!opened) {
        return fail(std::move(opened.error()));
    }
    const int fd = opened->file.get();
    const bool nano = opened->nano;
    const int linkType = opened->linkType;
    constexpr std::uint32_t kMaxSnap = 262144;
    const std::uint32_t snap =
        opened->snap == 0 || opened->snap > kMaxSnap ? kMaxSnap : opened->snap;
    CaptureInfo info;
    info.file = path;
    FrameProcessor proc(info);
    std::vector<DecodedPacket> packets;
    // A window of the file read with pread, refilled from the record that did not
    // fit: sequential reads the kernel reads ahead of.
    constexpr std::size_t kWindow = std::size_t{1} << 20;
    std::vector<std::uint8_t> window(kWindow);
    std::uint64_t windowAt = fromOffset;
    std::size_t filled = 0;
    std::uint64_t at = fromOffset;
    std::size_t sinceCheck = 0;
    const auto changed = [&path](std::uint64_t number, const char* what) {
        return fail(path, "the file changed since it was read: packet " + std::to_string(number) +
                              " " + what);
    };
    for (std::uint64_t number = fromNumber; number <= lastNumber; ++number) {
        if (++sinceCheck == kCancelCheckEvery) {
            sinceCheck = 0;
            if (stopped()) {
                return cancelledError(path);
            }
        }
        // The record's header and bytes in the window, refilled from `at` if needed.
        const auto have = [&](std::uint64_t bytes) {
            return at >= windowAt && at + bytes <= windowAt + filled;
        };
        if (!have(16)) {
            windowAt = at;
            const ssize_t got = readSome(fd, window.data(), window.size(), at);
            filled = got > 0 ? static_cast<std::size_t>(got) : 0;
            if (!have(16)) {
                return changed(number, "is gone");
            }
        }
        const std::uint8_t* rec = window.data() + (at - windowAt);
        const std::uint32_t caplen = loadU32(rec + 8);
        const std::uint32_t sec = loadU32(rec);
        const std::uint32_t frac = loadU32(rec + 4);
        if (caplen > snap || sec > 0x7fffffffU || frac >= (nano ? 1'000'000'000U : 1'000'000U)) {
            return changed(number, "is not a plain record (read the whole file)");
        }
        if (!have(16 + std::uint64_t{caplen})) {
            windowAt = at;
            const ssize_t got = readSome(fd, window.data(), window.size(), at);
            filled = got > 0 ? static_cast<std::size_t>(got) : 0;
            if (!have(16 + std::uint64_t{caplen})) {
                return changed(number, "is cut short");
            }
            rec = window.data();
        }
        const std::int64_t ns = static_cast<std::int64_t>(sec) * 1'000'000'000 +
                                static_cast<std::int64_t>(frac) * (nano ? 1 : 1000);
        info.packets = number - 1; // numbered as the full read numbered it
        proc.setRecordOffset(at);
        proc.frame(linkType, ns, rec + 16, caplen, loadU32(rec + 12),
                   [&packets, &belongs](const DecodedPacket& p) {
                       if (belongs(p)) {
                           packets.push_back(p);
                       }
                   });
        at += 16 + std::uint64_t{caplen};
    }
    if (packets.empty() || packets.front().number != fromNumber) {
        return changed(fromNumber, "is not where it was");
    }
    return packets;
}

} // namespace tcpviz
