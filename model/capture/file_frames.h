#pragma once

#include "capture/capture_reader.h"
#include "capture/frame_processor.h"

#include <bit>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <functional>
#include <memory>
#include <string>

// What the file readers (pcap, pcapng) share; not part of the model's interface.

namespace tcpviz {

struct FileCloser {
    void operator()(std::FILE* f) const {
        if (f != nullptr) {
            std::fclose(f);
        }
    }
};
using FilePtr = std::unique_ptr<std::FILE, FileCloser>;

/// A little-endian 32-bit value at `p` (capture headers are read on x86 and ARM hosts).
[[nodiscard]] inline std::uint32_t loadU32(const std::uint8_t* p) {
    static_assert(std::endian::native == std::endian::little);
    std::uint32_t v = 0;
    std::memcpy(&v, p, 4);
    return v;
}

/// A capture file's frames go through the shared FrameProcessor; what only files
/// have stays here: cancelling, a packet limit and progress reports.
class FileFrames {
public:
    static constexpr std::uint64_t kProgressEvery = 16384; ///< frames between progress reports

    FileFrames(const ReadOptions& options,
               const std::function<void(const DecodedPacket&)>& onPacket, CaptureInfo& info)
        : m_options(options)
        , m_onPacket(onPacket)
        , m_info(info)
        , m_proc(info, options.bpfFilter, {options.icmpQuotes, options.checkChecksums}) {}

    [[nodiscard]] Status prepareFilter(int linkType) { return m_proc.prepareFilter(linkType); }
    void badFrame(const std::string& message) { m_proc.badFrame(message); }
    void addError(std::uint64_t packet, std::string message) {
        m_proc.addError(packet, std::move(message));
    }

    [[nodiscard]] bool shouldStop() const {
        if (m_options.cancel != nullptr && m_options.cancel->load(std::memory_order_relaxed)) {
            m_info.cancelled = true;
            return true;
        }
        return m_options.maxPackets != 0 && m_info.packets >= m_options.maxPackets;
    }

    /// One frame; `recordOffset` is its record's byte offset in the file when the
    /// reader knows it (0: unknown).
    void frame(int linkType, std::int64_t timeNs, const std::uint8_t* data, std::uint32_t cap,
               std::uint32_t len, std::uint64_t recordOffset = 0) {
        m_proc.setRecordOffset(recordOffset);
        const std::uint64_t number = m_proc.frame(linkType, timeNs, data, cap, len, m_onPacket);
        if (m_onProgress && number % kProgressEvery == 0) {
            m_onProgress();
        }
    }

    void setProgress(std::function<void()> onProgress) { m_onProgress = std::move(onProgress); }
    /// Bytes consumed by the mapped fast path (see readMappedRecords); 0 when unused.
    void setMappedOffset(std::uint64_t offset) { m_mappedOffset = offset; }
    [[nodiscard]] std::uint64_t mappedOffset() const { return m_mappedOffset; }

private:
    const ReadOptions& m_options;
    const std::function<void(const DecodedPacket&)>& m_onPacket;
    CaptureInfo& m_info;
    FrameProcessor m_proc;
    std::function<void()> m_onProgress;
    std::uint64_t m_mappedOffset = 0;
};

} // namespace tcpviz
