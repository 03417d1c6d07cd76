#pragma once

#include "capture/capture_reader.h"
#include "capture/packet.h"

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>

struct bpf_program;

namespace tcpviz {

/// What a FrameProcessor hands over besides plain TCP segments (see ReadOptions).
struct FrameOptions {
    bool icmpQuotes = false;     ///< ICMP-quoted TCP packets, marked icmpQuote
    bool checkChecksums = false; ///< validate TCP checksums, mark badChecksum
};

/// The work every captured frame gets, from a file or live: numbering (1-based,
/// in order), the optional BPF filter, decoding, the counters of CaptureInfo and
/// the per-packet error list. The one copy of these rules, so that a file and a
/// live capture of the same traffic report the same numbers and messages.
class FrameProcessor {
public:
    using PacketHandler = std::function<void(const DecodedPacket&)>;

    /// `info` receives the counters and errors; it must outlive the processor.
    explicit FrameProcessor(CaptureInfo& info, std::string bpfFilter = {},
                            FrameOptions options = {});
    ~FrameProcessor();
    FrameProcessor(const FrameProcessor&) = delete;
    FrameProcessor& operator=(const FrameProcessor&) = delete;

    /// Compiles the filter for a link type once (no-op without a filter). An Error
    /// (naming the capture) when the filter is not valid for that link type.
    [[nodiscard]] Status prepareFilter(int linkType);
    /// One frame: counted, filtered, decoded; a TCP packet goes to `onPacket`.
    /// Returns the frame's number.
    std::uint64_t frame(int linkType, std::int64_t timeNs, const std::uint8_t* data,
                        std::uint32_t capturedLen, std::uint32_t wireLen,
                        const PacketHandler& onPacket);
    /// The file offset of the next frame's record (DecodedPacket::fileOffset); 0: unknown.
    void setRecordOffset(std::uint64_t offset) { m_packet.fileOffset = offset; }
    /// Counts a frame that could not even be handed over (a bad pcapng block).
    void badFrame(const std::string& message);
    /// Lists a per-packet error (only the first CaptureInfo::kMaxListedErrors).
    void addError(std::uint64_t packet, std::string message);

private:
    CaptureInfo& m_info;
    std::string m_bpfFilter;
    FrameOptions m_options;
    DecodedPacket m_packet;
    std::string m_error;
    std::map<int, bpf_program> m_filters;
    std::map<int, bool> m_unsupportedReported;
};

/// Whether the TCP checksum of `packet` (decoded from `frame`, `capturedLen`
/// bytes) is right; nullopt when it cannot be told (segment not fully captured,
/// a fragment, a malformed header).
[[nodiscard]] std::optional<bool>
tcpChecksumOk(const std::uint8_t* frame, std::uint32_t capturedLen, const DecodedPacket& packet);

/// "113 (LINUX_SLL)": the number and, where libpcap knows it, the name.
[[nodiscard]] std::string linkTypeName(int linkType);

} // namespace tcpviz
