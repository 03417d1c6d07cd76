// Reading capture files. Classic pcap goes through libpcap (nanosecond
// precision requested so ns files keep their resolution); pcapng goes through
// our own block reader (see pcapng_reader.h for why). The format is recognised
// from the first four bytes, which works for files, standard input and FIFOs
// alike: a non-seekable stream is handed to libpcap through a small stdio cookie
// that replays those four bytes first.
#include "capture/capture_reader.h"

#include "capture/decoder.h"
#include "capture/decompress.h"
#include "capture/frame_processor.h"
#include "capture/pcapng_reader.h"

#include <algorithm>
#include <bit>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <map>
#include <memory>
#include <pcap/pcap.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

namespace tcpviz {

namespace {

constexpr std::uint64_t kProgressEvery = 16384;

/// Replays a few already-read bytes, then reads from the wrapped stream.
struct PrefixCookie {
    std::FILE* inner = nullptr;
    std::uint8_t prefix[24] = {};
    std::size_t size = 0;
    std::size_t pos = 0;
};

ssize_t prefixRead(void* cookie, char* buf, size_t n) {
    auto* c = static_cast<PrefixCookie*>(cookie);
    std::size_t done = 0;
    while (c->pos < c->size && done < n) {
        buf[done++] = static_cast<char>(c->prefix[c->pos++]);
    }
    if (done < n) {
        done += std::fread(buf + done, 1, n - done, c->inner);
    }
    return static_cast<ssize_t>(done);
}

int prefixClose(void* cookie) {
    auto* c = static_cast<PrefixCookie*>(cookie);
    const int rc = std::fclose(c->inner);
    delete c; // NOLINT(cppcoreguidelines-owning-memory): stdio cookie API
    return rc;
}

std::FILE* withPrefix(std::FILE* inner, const std::uint8_t* bytes, std::size_t n) {
    auto* c = new PrefixCookie; // NOLINT(cppcoreguidelines-owning-memory): freed in prefixClose
    c->inner = inner;
    std::memcpy(c->prefix, bytes, std::min(n, sizeof c->prefix));
    c->size = n;
    cookie_io_functions_t io{};
    io.read = prefixRead;
    io.close = prefixClose;
    std::FILE* f = fopencookie(c, "rb", io);
    if (f == nullptr) {
        delete c; // NOLINT(cppcoreguidelines-owning-memory)
    }
    return f;
}

struct FileCloser {
    void operator()(std::FILE* f) const {
        if (f != nullptr) {
            std::fclose(f);
        }
    }
};
using FilePtr = std::unique_ptr<std::FILE, FileCloser>;

/// A capture file's frames go through the shared FrameProcessor; what only files
/// have stays here: cancelling, a packet limit and progress reports.
class FileFrames {
public:
    FileFrames(const ReadOptions& options,
               const std::function<void(const DecodedPacket&)>& onPacket, CaptureInfo& info)
        : m_options(options)
        , m_onPacket(onPacket)
        , m_info(info)
        , m_proc(info, options.bpfFilter) {}

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

    void frame(int linkType, std::int64_t timeNs, const std::uint8_t* data, std::uint32_t cap,
               std::uint32_t len) {
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

/// Fast path for the common case, a seekable native-byte-order pcap 2.4 file of a
/// link type libpcap hands over unmodified: the records are read straight from a
/// mapping instead of through stdio (which copied every byte twice and cost a
/// third of the read time). It stops at the first record that is not plainly
/// sane (truncated, longer than the snapshot length) and positions `raw` there,
/// so libpcap reads the rest and reports any problem exactly as before.
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

std::uint32_t loadU32(const std::uint8_t* p) {
    static_assert(std::endian::native == std::endian::little);
    std::uint32_t v = 0;
    std::memcpy(&v, p, 4);
    return v;
}

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
        at += 16 + std::uint64_t{caplen};
        proc.setMappedOffset(at);
        proc.frame(info.linkType, ns, data + 16, caplen, len);
    }
    proc.setMappedOffset(0);
    std::fseek(raw, static_cast<long>(at), SEEK_SET);
}

Status readPcap(FilePtr file, FileFrames& proc, CaptureInfo& info) {
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

Status readPcapng(FilePtr file, FileFrames& proc, CaptureInfo& info) {
    info.format = "pcapng";
    PcapngReader reader(file.get());
    PcapngReader::Frame frame;
    std::string error;
    std::size_t knownInterfaces = 0;
    for (;;) {
        if (proc.shouldStop()) {
            break;
        }
        const auto rc = reader.next(frame, error);
        // New interfaces: remember link types, compile the filter for new ones.
        const auto& types = reader.allLinkTypes();
        for (; knownInterfaces < types.size(); ++knownInterfaces) {
            info.linkTypes.push_back(types[knownInterfaces]);
            if (info.linkType < 0) {
                info.linkType = types[knownInterfaces];
            }
            if (Status filter = proc.prepareFilter(types[knownInterfaces]); !filter) {
                return filter;
            }
        }
        info.nanosecond = reader.nanosecondOrFiner();
        if (rc == PcapngReader::Result::Packet) {
            proc.frame(frame.linkType, frame.timeNs, frame.data, frame.capturedLen, frame.wireLen);
        } else if (rc == PcapngReader::Result::BadPacket) {
            proc.badFrame(error);
        } else if (rc == PcapngReader::Result::End) {
            break;
        } else {
            if (info.packets == 0 && knownInterfaces == 0) {
                return fail(info.file, "not a readable pcapng file: " + error);
            }
            info.stoppedEarly = true;
            proc.addError(info.packets + 1, error + "; reading stopped here, earlier packets kept");
            break;
        }
    }
    return {};
}

} // namespace

CaptureFormat captureFormatOf(const std::uint8_t (&first)[4]) {
    const std::uint32_t m = loadU32(first);
    if (m == 0x0a0d0d0a) { // the same in either byte order
        return CaptureFormat::Pcapng;
    }
    for (const std::uint32_t pcap : {0xa1b2c3d4U,    // microseconds
                                     0xa1b23c4dU,    // nanoseconds
                                     0xa1b2cd34U}) { // Kuznetzov's patched format
        if (m == pcap || __builtin_bswap32(m) == pcap) {
            return CaptureFormat::Pcap;
        }
    }
    return CaptureFormat::None;
}

Status readCapture(const std::string& path, const ReadOptions& options,
                   const std::function<void(const DecodedPacket&)>& onPacket, CaptureInfo& info) {
    info = CaptureInfo{};
    info.file = path;
    const std::string name = path == "-" ? std::string("standard input") : path;
    FilePtr file;
    if (path == "-") {
        const int fd = ::dup(STDIN_FILENO); // closing our stream must not close stdin
        file.reset(fd >= 0 ? ::fdopen(fd, "rb") : nullptr);
        if (file == nullptr) {
            if (fd >= 0) {
                ::close(fd);
            }
            return fail(name, std::string("cannot read: ") + std::strerror(errno));
        }
    } else {
        file.reset(std::fopen(path.c_str(), "rb"));
        if (file == nullptr) {
            return fail(path, std::string("cannot open: ") + std::strerror(errno));
        }
    }
    struct stat st {};
    std::uint64_t totalBytes = 0;
    if (::fstat(::fileno(file.get()), &st) == 0) {
        if (S_ISDIR(st.st_mode)) {
            return fail(name, "is a directory, not a capture file");
        }
        if (S_ISREG(st.st_mode)) {
            totalBytes = static_cast<std::uint64_t>(st.st_size);
        }
    }
    std::setvbuf(file.get(), nullptr, _IOFBF, 1 << 18);

    std::uint8_t magic[4] = {};
    const std::size_t got = std::fread(magic, 1, 4, file.get());
    if (got == 0) {
        return fail(name, "empty file: no capture header");
    }
    if (got < 4) {
        return fail(name, "truncated capture header (" + std::to_string(got) + " bytes)");
    }
    // A compressed capture is read through a decompressing stream; progress is
    // then measured in compressed bytes, against the compressed file's size.
    std::FILE* progressSource = file.get();
    if (const Compression compression = compressionOf(magic, got);
        compression != Compression::None) {
        std::FILE* decompressed = openDecompressed(file.get(), compression, magic, got);
        if (decompressed == nullptr) {
            return fail(name, "cannot set up decompression");
        }
        (void)file.release(); // now owned by the decompressing stream
        file.reset(decompressed);
        std::setvbuf(file.get(), nullptr, _IOFBF, 1 << 18);
        const std::size_t inner = std::fread(magic, 1, 4, file.get());
        if (inner < 4) {
            return fail(name, std::ferror(file.get()) != 0
                                  ? "the compressed data is corrupt"
                                  : "the compressed file holds no capture header");
        }
        info.compression = compression == Compression::Gzip ? "gzip" : "zstd";
    }
    const std::uint32_t m = loadU32(magic);
    const CaptureFormat format = captureFormatOf(magic);

    int headerLinkType = -1;
    FileFrames proc(options, onPacket, info);
    std::FILE* raw = progressSource;
    if (options.onProgress) {
        proc.setProgress([&options, &proc, raw, totalBytes] {
            const long pos =
                proc.mappedOffset() != 0 ? static_cast<long>(proc.mappedOffset()) : std::ftell(raw);
            options.onProgress(pos > 0 ? static_cast<std::uint64_t>(pos) : 0, totalBytes);
        });
    }
    Status read;
    if (format == CaptureFormat::Pcapng) {
        read = readPcapng(std::move(file), proc, info);
    } else if (format == CaptureFormat::Pcap) {
        info.nanosecond = m == 0xa1b23c4d || __builtin_bswap32(m) == 0xa1b23c4d;
        // The file header's LINKTYPE value is reported as is: libpcap turns some into
        // DLT values (101 RAW becomes 12), which would not match other tools.
        std::uint8_t header[24] = {};
        std::memcpy(header, magic, 4);
        const std::size_t more = std::fread(header + 4, 1, 20, file.get());
        if (more < 20) {
            return fail(name, "truncated pcap file header: " + std::to_string(4 + more) +
                                  " of its 24 bytes");
        }
        {
            const bool swapped = (m & 0xffU) == 0xa1;
            std::uint32_t lt = header[20] | (header[21] << 8) | (header[22] << 16) |
                               (static_cast<std::uint32_t>(header[23]) << 24);
            if (swapped) {
                lt = __builtin_bswap32(lt);
            }
            headerLinkType = static_cast<int>(lt & 0xffffU);
        }
        if (std::fseek(file.get(), 0, SEEK_SET) != 0) {
            std::FILE* wrapped = withPrefix(file.get(), header, 4 + more);
            if (wrapped == nullptr) {
                return fail(name, std::string("cannot read: ") + std::strerror(errno));
            }
            (void)file.release(); // now owned by the cookie stream
            const bool pipe = raw == file.get();
            file.reset(wrapped);
            if (pipe) {
                proc.setProgress(nullptr); // ftell means nothing on a pipe
            }
        }
        const bool nano = info.nanosecond;
        read = readPcap(std::move(file), proc, info);
        info.nanosecond = nano;
        if (read && headerLinkType >= 0) {
            info.linkType = headerLinkType;
            info.linkTypes = {headerLinkType};
        }
    } else {
        char hex[40];
        std::snprintf(hex, sizeof hex, "%02x %02x %02x %02x", magic[0], magic[1], magic[2],
                      magic[3]);
        return fail(name,
                    std::string("not a pcap or pcapng file (it starts with bytes ") + hex + ")");
    }
    if (read && options.onProgress) {
        options.onProgress(totalBytes, totalBytes);
    }
    return read;
}

} // namespace tcpviz
