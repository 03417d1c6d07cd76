// Reading capture files. Classic pcap goes through libpcap (nanosecond
// precision requested so ns files keep their resolution); pcapng goes through
// our own block reader (see pcapng_reader.h for why). The format is recognised
// from the first four bytes, which works for files, standard input and FIFOs
// alike: a non-seekable stream is handed to libpcap through a small stdio cookie
// that replays those four bytes first.
#include "capture/capture_reader.h"

#include "capture/decoder.h"
#include "capture/decompress.h"
#include "capture/file_frames.h"
#include "capture/frame_processor.h"
#include "capture/pcap_file.h"
#include "capture/pcapng_reader.h"

#include <algorithm>
#include <bit>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <map>
#include <memory>
#include <pcap/pcap.h>
#include <sys/stat.h>
#include <unistd.h>

namespace tcpviz {

namespace {

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
        read = readPcapFile(std::move(file), proc, info);
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
