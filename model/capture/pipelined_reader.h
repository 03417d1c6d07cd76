#pragma once

#include "base/error.h"
#include "capture/capture_reader.h"
#include "capture/packet.h"

#include <functional>
#include <string>

namespace tcpviz {

/// As readCapture, but the file is read and decoded on a second thread while
/// `onPacket` runs on the calling one: decoded packets are handed over in batches
/// through a small bounded queue, so reading and following connections overlap
/// on two cores and memory stays bounded. `onPacket` sees every TCP packet in
/// file order, as with readCapture. `options.onProgress` is called on the reading
/// thread; `info` may be read only after the call returns.
[[nodiscard]] Status readCapturePipelined(const std::string& path, const ReadOptions& options,
                                          const std::function<void(const DecodedPacket&)>& onPacket,
                                          CaptureInfo& info);

} // namespace tcpviz
