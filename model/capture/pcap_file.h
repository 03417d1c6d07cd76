#pragma once

#include "base/error.h"
#include "capture/capture_reader.h"
#include "capture/file_frames.h"

namespace tcpviz {

/// Reads the records of a classic pcap file whose first four bytes (the magic)
/// `file` still delivers, through libpcap at nanosecond precision. A seekable
/// native-byte-order file is read through a pread(2) window first (the fast
/// path); libpcap takes over at the first record that is not plainly sane, so its
/// messages stay exactly libpcap's. The Error names the file.
[[nodiscard]] Status readPcapFile(FilePtr file, FileFrames& proc, CaptureInfo& info);

} // namespace tcpviz
