#include "capture/pcap_file.h"

#include "capture/decoder.h"

#include <algorithm>
#include <cerrno>
#include <pcap/pcap.h>
#include <string>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

namespace tcpviz {

namespace {

/// A sliding read-only mapping of a file: only a few MiB are mapped (and resident)
/// at a time, so reading a large capture does not count it in peak memory.
class MappedWindow {
public:
    MappedWindow(int fd, std::uint64_t size)
        : m_fd(fd)
        , m_size(size)
        , m_pageMask(static_cast<std::uint64_t>(::sysconf(_SC_PAGESIZE)) - 1) {}
    ~MappedWindow() { unmap(); }
    MappedWindow(const MappedWindow&) = delete;
    MappedWindow& operator=(const MappedWindow&) = delete;

    /// Bytes [offset, offset + n) of the file (all inside it), or nullptr when they cannot
    /// be mapped.
    const std::uint8_t* bytes(std::uint64_t offset, std::uint64_t n) {
        if (m_base != nullptr && offset >= m_start && offset + n <= m_start + m_length) {
            return m_base + (offset - m_start);
        }
        unmap();
        // A file cut short while it is read would make the mapping's pages past the
        // new end raise SIGBUS: each new window believes the current size, so the
        // fast path stops there and libpcap reports the truncation instead.
        struct stat st {};
        if (::fstat(m_fd, &st) == 0 && static_cast<std::uint64_t>(st.st_size) < m_size) {
            m_size = static_cast<std::uint64_t>(st.st_size);
        }
        m_start = offset & ~m_pageMask;
        if (m_start >= m_size) {
            return nullptr;
        }
        m_length = std::min(kWindow, m_size - m_start);
        if (offset + n > m_start + m_length) {
            return nullptr;
        }
        void* map = ::mmap(nullptr, m_length, PROT_READ, MAP_PRIVATE | MAP_POPULATE, m_fd,
                           static_cast<off_t>(m_start));
        if (map == MAP_FAILED) {
            return nullptr;
        }
        m_base = static_cast<const std::uint8_t*>(map);
        return m_base + (offset - m_start);
    }

private:
    static constexpr std::uint64_t kWindow = std::uint64_t{8} << 20; // > the largest record
    void unmap() {
        if (m_base != nullptr) {
            ::munmap(const_cast<std::uint8_t*>(m_base), m_length);
            m_base = nullptr;
        }
    }
    int m_fd;
    std::uint64_t m_size;
    std::uint64_t m_pageMask;
    const std::uint8_t* m_base = nullptr;
    std::uint64_t m_start = 0;
    std::uint64_t m_length = 0;
};

/// Fast path for the common case, a seekable native-byte-order pcap 2.4 file of a
/// link type libpcap hands over unmodified: the records are read straight from a
/// mapping instead of through stdio (which copied every byte twice and cost a
/// third of the read time). It stops at the first record that is not plainly
/// sane (truncated, longer than the snapshot length, odd timestamp) and positions
/// `raw` there, so libpcap reads the rest and reports any problem exactly as before.
void readMappedRecords(std::FILE* raw, FileFrames& proc, CaptureInfo& info) {
    switch (info.linkType) {
    case linktype::Ethernet:
    case linktype::RawBsd:
    case linktype::RawOpenBsd:
    case linktype::Raw:
    case linktype::Ipv4:
    case linktype::Ipv6:
        break;
    default:
        return;
    }
    struct stat st {};
    const int fd = ::fileno(raw);
    if (fd < 0 || ::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size < 24) {
        return;
    }
    const auto size = static_cast<std::uint64_t>(st.st_size);
    MappedWindow file(fd, size);
    const std::uint8_t* header = file.bytes(0, 24);
    if (header == nullptr) {
        return;
    }
    const std::uint32_t magic = loadU32(header);
    const bool nano = magic == 0xa1b23c4d;
    // Version 2.4 only: older minor versions may have swapped length fields.
    if ((magic != 0xa1b2c3d4 && !nano) || loadU32(header + 4) != 0x00040002U) {
        return;
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
    readMappedRecords(raw, proc, info);
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
    pcap_close(p);
    return {};
}

} // namespace tcpviz
