#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>

namespace tcpviz {

/// The compression a file's first bytes announce.
enum class Compression : std::uint8_t { None, Gzip, Zstd };

/// gzip (1f 8b) or zstd (28 b5 2f fd) by the magic at the start of a stream.
[[nodiscard]] Compression compressionOf(const std::uint8_t* first, std::size_t n);

/// A stdio stream that reads `inner` decompressed, streaming, with bounded memory
/// (`.pcap.gz`, `.pcapng.zst`, as tshark reads them). `head` holds the first `n`
/// bytes, already read from `inner`. Owns `inner` (closed with the returned
/// stream); nullptr when the decompressor cannot be set up (`inner` is then
/// still the caller's). A corrupt stream
/// reads as an I/O error (errno EIO) where the corruption starts.
[[nodiscard]] std::FILE* openDecompressed(std::FILE* inner, Compression compression,
                                          const std::uint8_t* head, std::size_t n);

} // namespace tcpviz
