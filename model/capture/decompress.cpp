#include "capture/decompress.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <vector>
#include <zlib.h>
#include <zstd.h>

namespace tcpviz {

namespace {

constexpr std::size_t kInput = 1 << 18;

struct Decompressor {
    std::FILE* inner = nullptr;
    Compression compression = Compression::None;
    std::vector<std::uint8_t> in;
    std::size_t inPos = 0;
    std::size_t inEnd = 0;
    bool innerDone = false;
    bool finished = false; ///< a compressed stream ended and no input follows
    z_stream zs{};
    ZSTD_DStream* zstd = nullptr;

    Decompressor() = default;
    Decompressor(const Decompressor&) = delete;
    Decompressor& operator=(const Decompressor&) = delete;
    ~Decompressor() {
        if (compression == Compression::Gzip) {
            inflateEnd(&zs);
        }
        ZSTD_freeDStream(zstd);
    }

    /// More compressed input; false at the end of the file.
    bool refill() {
        if (inPos < inEnd) {
            return true;
        }
        if (innerDone) {
            return false;
        }
        inEnd = std::fread(in.data(), 1, in.size(), inner);
        inPos = 0;
        if (inEnd == 0) {
            innerDone = true;
            return false;
        }
        return true;
    }

    /// Decompresses into out[0, n); the bytes produced, 0 at the end, -1 on corrupt data.
    ssize_t read(char* out, std::size_t n) {
        std::size_t done = 0;
        while (done < n && !finished) {
            if (!refill()) {
                // The file ended; a stream cut inside a frame is corrupt input.
                if (streamOpen) {
                    errno = EIO;
                    return done > 0 ? static_cast<ssize_t>(done) : -1;
                }
                break;
            }
            if (compression == Compression::Gzip) {
                zs.next_in = in.data() + inPos;
                zs.avail_in = static_cast<uInt>(inEnd - inPos);
                zs.next_out = reinterpret_cast<Bytef*>(out + done);
                zs.avail_out = static_cast<uInt>(n - done);
                const int rc = inflate(&zs, Z_NO_FLUSH);
                inPos = inEnd - zs.avail_in;
                done = n - zs.avail_out;
                streamOpen = true;
                if (rc == Z_STREAM_END) {
                    streamOpen = false;
                    inflateReset(&zs); // concatenated gzip members read as one stream
                } else if (rc != Z_OK && rc != Z_BUF_ERROR) {
                    errno = EIO;
                    return done > 0 ? static_cast<ssize_t>(done) : -1;
                }
            } else {
                ZSTD_inBuffer input{in.data() + inPos, inEnd - inPos, 0};
                ZSTD_outBuffer output{out + done, n - done, 0};
                const std::size_t rc = ZSTD_decompressStream(zstd, &output, &input);
                inPos += input.pos;
                done += output.pos;
                if (ZSTD_isError(rc) != 0) {
                    errno = EIO;
                    return done > 0 ? static_cast<ssize_t>(done) : -1;
                }
                streamOpen = rc != 0; // 0: a frame is complete
            }
        }
        return static_cast<ssize_t>(done);
    }

    bool streamOpen = false;
};

ssize_t cookieRead(void* cookie, char* buf, size_t n) {
    return static_cast<Decompressor*>(cookie)->read(buf, n);
}

int cookieClose(void* cookie) {
    auto* d = static_cast<Decompressor*>(cookie);
    const int rc = std::fclose(d->inner);
    delete d; // NOLINT(cppcoreguidelines-owning-memory): stdio cookie API
    return rc;
}

} // namespace

Compression compressionOf(const std::uint8_t* first, std::size_t n) {
    if (n >= 2 && first[0] == 0x1f && first[1] == 0x8b) {
        return Compression::Gzip;
    }
    if (n >= 4 && first[0] == 0x28 && first[1] == 0xb5 && first[2] == 0x2f && first[3] == 0xfd) {
        return Compression::Zstd;
    }
    return Compression::None;
}

std::FILE* openDecompressed(std::FILE* inner, Compression compression, const std::uint8_t* head,
                            std::size_t n) {
    auto* d = new Decompressor; // NOLINT(cppcoreguidelines-owning-memory): freed in cookieClose
    d->inner = inner;
    d->compression = compression;
    d->in.resize(std::max(kInput, n));
    std::memcpy(d->in.data(), head, n);
    d->inEnd = n;
    bool ok = false;
    if (compression == Compression::Gzip) {
        ok = inflateInit2(&d->zs, 15 + 16) == Z_OK; // gzip wrapper only
    } else if (compression == Compression::Zstd) {
        d->zstd = ZSTD_createDStream();
        ok = d->zstd != nullptr && ZSTD_isError(ZSTD_initDStream(d->zstd)) == 0;
    }
    cookie_io_functions_t io{};
    io.read = cookieRead;
    io.close = cookieClose;
    std::FILE* f = ok ? fopencookie(d, "rb", io) : nullptr;
    if (f == nullptr) {
        d->inner = nullptr;
        if (compression != Compression::Gzip) {
            d->compression = Compression::None; // nothing to inflateEnd
        }
        delete d; // NOLINT(cppcoreguidelines-owning-memory)
    }
    return f;
}

} // namespace tcpviz
