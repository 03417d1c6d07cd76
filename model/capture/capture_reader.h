#pragma once

#include "capture/packet.h"

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
};

struct ReadOptions {
    std::string bpfFilter; ///< empty: every packet
};

/// Reads a capture file ("-" is standard input; named pipes work) and calls
/// `onPacket` for every TCP packet, in file order. Undecodable packets are
/// reported in `info.errors` and skipped. Returns false only when the file
/// cannot be read at all (then `fatal` says why, naming the file).
bool readCapture(const std::string& path, const ReadOptions& options,
                 const std::function<void(const DecodedPacket&)>& onPacket, CaptureInfo& info,
                 std::string& fatal);

} // namespace tcpviz
