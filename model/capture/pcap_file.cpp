#include "capture/pcap_file.h"

#include "capture/decoder.h"

#include <algorithm>
#include <cerrno>
#include <pcap/pcap.h>
#include <string>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

namespace tcpviz {

namespace {

/// A sliding window over a file, filled with pread(2) into one reused buffer.
///
/// Why pread and not a mapping (as this once was): a capture can be cut short
/// while it is read (tcpdump rotating it, a user truncating it, a copy being
/// replaced), and touching a mapped page past the new end raises SIGBUS, which
/// kills the process. Re-checking the size before each new window did not cover
/// a cut inside the current one. A SIGBUS handler with sigsetjmp would have to
/// jump out of the decoder and the caller's callback (locks held, objects half
/// built) and is process-wide state in a library; pread simply returns fewer
/// bytes, which is reported as the truncation it is. The cost is one copy from
/// the page cache per byte (MAP_POPULATE faulted the same pages in), still one
/// fewer than the stdio path libpcap takes.
class ReadWindow {
public:
    ReadWindow(int fd, std::uint64_t size)
        : m_fd(fd)
        , m_size(size) {}

    /// Bytes [offset, offset + n) of the file, or nullptr when the file does not
    /// hold them (any more: see cutShort()).
    const std::uint8_t* bytes(std::uint64_t offset, std::uint64_t n) {
        if (offset >= m_start && offset + n <= m_start + m_filled) {
            return m_buffer.data() + (offset - m_start);
        }
        if (m_buffer.empty()) {
            m_buffer.resize(kWindow);
        }
        m_start = offset;
        m_filled = 0;
        const std::uint64_t want =
            std::min<std::uint64_t>(kWindow, m_size - std::min(m_size, offset));
        while (m_filled < want) {
            const ssize_t got = ::pread(m_fd, m_buffer.data() + m_filled, want - m_filled,
                                        static_cast<off_t>(offset + m_filled));
            if (got < 0 && errno == EINTR) {
                continue;
            }
            if (got <= 0) {
                m_cutShort = true; // the file ends before the size it had when opened
                break;
            }
            m_filled += static_cast<std::uint64_t>(got);
        }
        return offset + n <= m_start + m_filled ? m_buffer.data() : nullptr;
    }
    /// The file turned out shorter than when reading started.
    [[nodiscard]] bool cutShort() const { return m_cutShort; }

private:
    // Larger than the largest record (256 KiB + 16); small enough to stay in cache
    // and to add little to peak memory (a mapping of 8 MiB was resident too).
    static constexpr std::uint64_t kWindow = std::uint64_t{1} << 20;
    int m_fd;
    std::uint64_t m_size;
    std::vector<std::uint8_t> m_buffer;
    std::uint64_t m_start = 0;
    std::uint64_t m_filled = 0;
    bool m_cutShort = false;
};

/// The file behind `fd` is now shorter than `size`, the length reading started with.
bool shrank(int fd, std::uint64_t size) {
    struct stat st {};
    return ::fstat(fd, &st) == 0 && static_cast<std::uint64_t>(st.st_size) < size;
}

/// The Error for a file cut short while it was read, at the record of `packet`.
Error cutShortError(const CaptureInfo& info, int fd, std::uint64_t size, std::uint64_t packet) {
    struct stat st {};
    (void)::fstat(fd, &st);
    Error e;
    e.file = info.file;
    e.packet = packet;
    e.message = "the file was cut short while it was read (" + std::to_string(size) +
                " bytes when opened, " + std::to_string(st.st_size) +
                " now): this record and those after it are gone";
    return e;
}

/// Fast path for the common case, a seekable native-byte-order pcap 2.4 file of a
/// link type libpcap hands over unmodified: the records are read straight from a
/// mapping instead of through stdio (which copied every byte twice and cost a
/// third of the read time). It stops at the first record that is not plainly
/// sane (truncated, longer than the snapshot length, odd timestamp) and positions
/// `raw` there, so libpcap reads the rest and reports any problem exactly as before.
/// An Error when the file was cut short while it was read: not a damaged file
/// but one that changed under the reader, and what is left is not worth trusting.
Status readMappedRecords(std::FILE* raw, FileFrames& proc, CaptureInfo& info) {
    switch (info.linkType) {
    case linktype::Ethernet:
    case linktype::RawBsd:
    case linktype::RawOpenBsd:
    case linktype::Raw:
    case linktype::Ipv4:
    case linktype::Ipv6:
        break;
    default:
        return {};
    }
    struct stat st {};
    const int fd = ::fileno(raw);
    if (fd < 0 || ::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size < 24) {
        return {};
    }
    const auto size = static_cast<std::uint64_t>(st.st_size);
    ReadWindow file(fd, size);
    const std::uint8_t* header = file.bytes(0, 24);
    if (header == nullptr) {
        return {};
    }
    const std::uint32_t magic = loadU32(header);
    const bool nano = magic == 0xa1b23c4d;
    // Version 2.4 only: older minor versions may have swapped length fields.
    if ((magic != 0xa1b2c3d4 && !nano) || loadU32(header + 4) != 0x00040002U) {
        return {};
    }
    // libpcap's snapshot rule: 0 or above the link type's maximum means the maximum.
    constexpr std::uint32_t kMaxSnap = 262144;
    std::uint32_t snap = loadU32(header + 16);
    if (snap == 0 || snap > kMaxSnap) {
        snap = kMaxSnap;
    }
    std::uint64_t at = 24;
    while (!proc.shouldStop() && size - at >= 16) {
        const std::uint8_t* rec = file.bytes(at, 16);
        if (rec == nullptr) {
            if (file.cutShort()) {
                return fail(cutShortError(info, fd, size, info.packets + 1));
            }
            break;
        }
        const std::uint32_t sec = loadU32(rec);
        const std::uint32_t frac = loadU32(rec + 4);
        const std::uint32_t caplen = loadU32(rec + 8);
        const std::uint32_t len = loadU32(rec + 12);
        if (caplen > snap || caplen > size - at - 16 || sec > 0x7fffffffU ||
            frac >= (nano ? 1'000'000'000U : 1'000'000U)) {
            break; // libpcap's rules, conversions and messages apply from here
        }
        const std::uint8_t* data = file.bytes(at, 16 + std::uint64_t{caplen});
        if (data == nullptr) {
            if (file.cutShort()) {
                return fail(cutShortError(info, fd, size, info.packets + 1));
            }
            break;
        }
        const std::int64_t ns = static_cast<std::int64_t>(sec) * 1'000'000'000 +
                                static_cast<std::int64_t>(frac) * (nano ? 1 : 1000);
        const std::uint64_t record = at;
        at += 16 + std::uint64_t{caplen};
        proc.setMappedOffset(at);
        proc.frame(info.linkType, ns, data + 16, caplen, len, record);
    }
    proc.setMappedOffset(0);
    std::fseek(raw, static_cast<long>(at), SEEK_SET);
    if (size - at < 16 && shrank(fd, size)) {
        // Every record was in the buffer before the cut; the file still changed.
        return fail(cutShortError(info, fd, size, info.packets + 1));
    }
    return {};
}

} // namespace

Status readPcapFile(FilePtr file, FileFrames& proc, CaptureInfo& info) {
    char err[PCAP_ERRBUF_SIZE] = {};
    std::FILE* raw = file.get();
    pcap_t* p = pcap_fopen_offline_with_tstamp_precision(raw, PCAP_TSTAMP_PRECISION_NANO, err);
    if (p == nullptr) {
        return fail(info.file, err); // `file` still owns the stream and closes it
    }
    (void)file.release(); // pcap_close closes it from now on
    info.format = "pcap";
    info.linkType = pcap_datalink(p);
    info.linkTypes = {info.linkType};
    if (Status filter = proc.prepareFilter(info.linkType); !filter) {
        pcap_close(p);
        return filter;
    }
    struct stat opened {};
    const int fd = ::fileno(raw);
    const bool regular = fd >= 0 && ::fstat(fd, &opened) == 0 && S_ISREG(opened.st_mode);
    if (Status read = readMappedRecords(raw, proc, info); !read) {
        pcap_close(p);
        return read;
    }
    pcap_pkthdr* h = nullptr;
    const u_char* data = nullptr;
    for (;;) {
        if (proc.shouldStop()) {
            break;
        }
        const int rc = pcap_next_ex(p, &h, &data);
        if (rc == 1) {
            const std::int64_t ns = static_cast<std::int64_t>(h->ts.tv_sec) * 1'000'000'000 +
                                    static_cast<std::int64_t>(h->ts.tv_usec);
            proc.frame(info.linkType, ns, data, h->caplen, h->len);
            continue;
        }
        if (rc == PCAP_ERROR) {
            // A record header libpcap rejects (truncated record, absurd length): the
            // stream position is lost, so nothing after it can be trusted.
            info.stoppedEarly = true;
            proc.addError(info.packets + 1, std::string(pcap_geterr(p)) +
                                                "; reading stopped here, earlier packets kept");
        }
        break;
    }
    // libpcap read (part of) it through stdio: a cut shows as a truncated record
    // above, but it is the file that changed, and that is an error of its own.
    const bool cut =
        regular && shrank(fd, static_cast<std::uint64_t>(opened.st_size)) && !proc.shouldStop();
    Status result;
    if (cut) {
        result = fail(
            cutShortError(info, fd, static_cast<std::uint64_t>(opened.st_size), info.packets + 1));
    }
    pcap_close(p);
    return result;
}

} // namespace tcpviz
