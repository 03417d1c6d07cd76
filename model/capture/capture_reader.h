#pragma once

#include "base/error.h"
#include "capture/packet.h"

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace tcpviz {

/// A problem with one packet (or the file), reported and skipped; reading goes on.
struct CaptureError {
    std::uint64_t packet = 0; ///< 1-based frame number; 0 for the file as a whole
    std::string message;
};

struct CaptureInfo {
    std::string file;
    int linkType = -1;            ///< first interface's DLT / LINKTYPE value
    std::uint64_t packets = 0;    ///< frames read
    std::uint64_t tcpPackets = 0; ///< frames that decoded to TCP
    std::vector<CaptureError> errors;

    std::string format;             ///< "pcap" or "pcapng"
    std::string compression;        ///< "", "gzip" or "zstd": read decompressed, streaming
    bool nanosecond = false;        ///< timestamps finer than microseconds
    std::vector<int> linkTypes;     ///< every interface's link type (pcapng: one per IDB)
    std::uint64_t fragments = 0;    ///< later IP fragments of TCP datagrams: counted, not analysed
    std::uint64_t malformedTcp = 0; ///< TCP frames delivered with DecodedPacket::malformed
    std::uint64_t truncatedPackets = 0; ///< frames cut by the snap length (captured < wire length)
    std::uint64_t filteredOut = 0;      ///< frames the BPF filter rejected
    std::uint64_t unsupportedLinkPackets = 0; ///< frames of link types tcpviz cannot decode
    std::uint64_t badChecksums = 0;    ///< TCP checksums found wrong (ReadOptions::checkChecksums)
    std::uint64_t icmpQuotedTcp = 0;   ///< ICMP errors quoting a TCP packet: counted only
    std::uint64_t errorsNotListed = 0; ///< errors beyond kMaxListedErrors (counted only)
    bool cancelled = false;            ///< stopped by ReadOptions::cancel
    bool stoppedEarly = false;         ///< a read error ended the file before its end

    static constexpr std::size_t kMaxListedErrors = 10000;
};

struct ReadOptions {
    std::string bpfFilter;        ///< empty: every packet
    std::uint64_t maxPackets = 0; ///< stop after this many frames; 0: no limit
    /// Checked before every frame; when it becomes true reading stops (info.cancelled).
    const std::atomic<bool>* cancel = nullptr;
    /// Called every few thousand frames and at the end with the bytes read so far and
    /// the file size (0 when unknown: pipes, standard input).
    std::function<void(std::uint64_t bytesRead, std::uint64_t totalBytes)> onProgress;
    /// Also hand over the TCP packets that ICMP errors quote, marked
    /// DecodedPacket::icmpQuote (still counted in CaptureInfo::icmpQuotedTcp), so
    /// that an Analyzer can count them per connection. Off: only TCP segments.
    bool icmpQuotes = false;
    /// Validate TCP checksums (off by default: captures taken on a sending host
    /// show offloaded, not yet computed checksums). A wrong one marks the packet
    /// DecodedPacket::badChecksum and counts it in CaptureInfo::badChecksums.
    bool checkChecksums = false;
};

/// What the first four bytes of a file say it is. The one place the magic numbers
/// are told apart: pcap (either byte order, micro- or nanosecond resolution, and
/// the patched variant libpcap also reads) and pcapng (its Section Header Block).
enum class CaptureFormat { None, Pcap, Pcapng };
[[nodiscard]] CaptureFormat captureFormatOf(const std::uint8_t (&first)[4]);

/// Reads a capture file ("-" is standard input; named pipes work) and calls
/// `onPacket` for every TCP packet, in file order. Undecodable packets are
/// reported in `info.errors` and skipped. An Error (naming the file) only when
/// the file cannot be read at all.
[[nodiscard]] Status readCapture(const std::string& path, const ReadOptions& options,
                                 const std::function<void(const DecodedPacket&)>& onPacket,
                                 CaptureInfo& info);

} // namespace tcpviz
