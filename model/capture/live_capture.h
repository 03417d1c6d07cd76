#pragma once

#include "capture/capture_reader.h"
#include "capture/frame_processor.h"
#include "capture/packet.h"
#include "capture/pcap_writer.h"

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

struct pcap;
struct pcap_pkthdr;

namespace tcpviz {

struct LiveCaptureOptions {
    std::string interface; ///< "lo", "eth0", "any"
    std::string bpfFilter; ///< empty: every packet
    int snaplen = 262144;
    bool promiscuous = false;
    /// Kernel ring size. Large, so bursts (thousands of new connections per second)
    /// are not dropped while the program is busy.
    int bufferBytes = 64 << 20;
    /// How long one read waits for packets; bounds how late stop() takes effect.
    int timeoutMs = 50;
    /// Keep every captured frame in memory so that it can be saved afterwards
    /// (File > Save as pcap). Frames beyond `keepLimitBytes` are not kept.
    bool keepFrames = false;
    std::uint64_t keepLimitBytes = 512ULL << 20;
    /// When set, every captured frame is also written here (pcap) as it arrives.
    std::string savePath;
    /// Hand on ICMP and ICMPv6 errors quoting TCP (DecodedPacket::icmpQuote), so that
    /// the Analyzer counts them against their connection, as for files. With a
    /// `bpfFilter` the kernel filter is extended to let them through
    /// (liveCaptureFilter).
    bool icmpQuotes = true;
    /// Validate TCP checksums (DecodedPacket::badChecksum). Off by default, as
    /// tshark: packets this host sends (all of them on loopback) are captured
    /// before the NIC fills their checksum in, so they would all look bad.
    bool checkChecksums = false;
};

/// The kernel filter a live capture installs: `bpfFilter` as given, or, when it is
/// set and `icmpQuotes` is on, `bpfFilter` or an ICMP/ICMPv6 error quoting TCP. A
/// filter such as "tcp port 80" would otherwise drop the very ICMP errors that
/// report on its connections. Empty: no filter.
[[nodiscard]] std::string liveCaptureFilter(const LiveCaptureOptions& options);

enum class LiveErrorKind : std::uint8_t {
    None,
    Permission,   ///< no CAP_NET_RAW: the message explains setcap / tcpdump -w -
    NoSuchDevice, ///< the interface does not exist
    BadFilter,    ///< the BPF filter does not compile
    Other,
};

struct LiveStats {
    std::uint64_t received = 0;           ///< pcap_stats ps_recv
    std::uint64_t droppedByKernel = 0;    ///< pcap_stats ps_drop: the buffer overflowed
    std::uint64_t droppedByInterface = 0; ///< pcap_stats ps_ifdrop
};

/// Live capture on one interface through libpcap. open() then run() (blocking,
/// typically on a worker thread); stop() from any thread ends run() within
/// `timeoutMs`. Packets are decoded exactly like those of a file and numbered
/// from 1 in arrival order.
class LiveCapture {
public:
    LiveCapture() = default;
    ~LiveCapture();
    LiveCapture(const LiveCapture&) = delete;
    LiveCapture& operator=(const LiveCapture&) = delete;

    /// Creates, configures and activates the capture. On failure the Error names
    /// the interface (or the save file) and errorKind() tells what kind it was.
    [[nodiscard]] Status open(const LiveCaptureOptions& options);
    /// Captures until stop(), `maxPackets` frames (0: no limit) or `durationNs`
    /// (0: no limit), calling `onPacket` for every TCP packet on this thread.
    /// An Error when the capture failed.
    Status run(const std::function<void(const DecodedPacket&)>& onPacket,
               std::uint64_t maxPackets = 0, std::int64_t durationNs = 0);
    /// Thread-safe: makes run() return.
    void stop();
    void close();

    [[nodiscard]] bool isOpen() const { return m_pcap != nullptr; }
    [[nodiscard]] LiveStats stats() const;
    /// Counts and per-packet problems, as for a file (`file` is the interface name).
    [[nodiscard]] const CaptureInfo& info() const { return m_info; }
    [[nodiscard]] LiveErrorKind errorKind() const { return m_errorKind; }
    [[nodiscard]] int linkType() const { return m_linkType; }
    /// The kernel filter in force (liveCaptureFilter, or the user's own where the
    /// extended one does not compile for this link type); empty: none.
    [[nodiscard]] const std::string& filter() const { return m_filter; }

    /// Writes the frames kept so far (LiveCaptureOptions::keepFrames) as a pcap file.
    [[nodiscard]] Status saveCaptured(const std::string& path) const;
    [[nodiscard]] std::uint64_t keptFrames() const { return m_kept.size(); }

    /// The advice shown when capturing is not permitted: setcap on this program,
    /// or reading from tcpdump through a pipe.
    [[nodiscard]] static std::string permissionHint(const std::string& interface);

private:
    static void onFrame(unsigned char* user, const ::pcap_pkthdr* header,
                        const unsigned char* data);
    void handleFrame(const ::pcap_pkthdr* header, const unsigned char* data);
    /// Closes, records `kind` and returns the Error (about the interface).
    Status failOpen(LiveErrorKind kind, std::string message);

    struct Kept {
        std::int64_t timeNs;
        std::uint64_t offset;
        std::uint32_t capturedLen;
        std::uint32_t wireLen;
    };

    pcap* m_pcap = nullptr;
    LiveCaptureOptions m_options;
    int m_linkType = -1;
    std::string m_filter;
    bool m_nano = false;
    std::atomic<bool> m_stop{false};
    CaptureInfo m_info;
    LiveErrorKind m_errorKind = LiveErrorKind::None;
    std::unique_ptr<FrameProcessor> m_frames; ///< numbering, decoding, counting: as for files
    const std::function<void(const DecodedPacket&)>* m_onPacket = nullptr;
    std::vector<std::uint8_t> m_keptBytes;
    std::vector<Kept> m_kept;
    std::unique_ptr<PcapWriter> m_writer;
};

} // namespace tcpviz
