#pragma once

#include "base/error.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

// Reads back the subset of packetdrill's notation that packetdrillScript writes:
// comments, socket calls and segment lines, times absolute ("1.050000") or
// relative to the line before ("+0", "+0.2"). It is what the tests use to check
// an exported script and what the kernel conformance harness plays against the
// real kernel; it is not a full packetdrill grammar (no options beyond `<...>`
// and `<mss N>`, no expressions, no `%{ }%` blocks).

namespace tcpviz {

/// One line of a script.
struct PacketdrillLine {
    enum class Kind : std::uint8_t {
        Call,     ///< a socket call: name(args) = result
        Inbound,  ///< `<`: a segment injected into the kernel under test
        Outbound, ///< `>`: a segment the kernel under test must send
    };
    int line = 0;            ///< 1-based line in the script
    std::int64_t timeUs = 0; ///< absolute, from the script's start
    Kind kind = Kind::Call;

    // Call
    std::string call;              ///< "socket", "listen", "write", ...
    std::vector<std::string> args; ///< the arguments as written, split at top-level commas
    std::int64_t returns = 0;      ///< the result the call must return
    std::string errnoName;         ///< "EINPROGRESS" after "-1", else empty

    // Inbound / Outbound: numbers relative to the sender's ISN (SEQ) and to the
    // receiver's ISN (ACK), as packetdrill writes them.
    std::uint8_t flags = 0;
    std::uint32_t start = 0; ///< first sequence number
    std::uint32_t len = 0;   ///< payload bytes (end - start)
    std::optional<std::uint32_t> ack;
    std::optional<std::uint32_t> window;
    std::optional<std::uint16_t> mss; ///< from "<mss 1460>"; other options are not read
};

struct PacketdrillScript {
    std::vector<PacketdrillLine> lines;
};

/// Parses `text`; a line it cannot read is an Error naming `fileName`, the line
/// and the column.
[[nodiscard]] Result<PacketdrillScript> parsePacketdrillScript(std::string_view text,
                                                               const std::string& fileName);

/// The segment line's flags in packetdrill's letters ("S.", "P.", "F.", "R").
[[nodiscard]] std::string packetdrillFlags(std::uint8_t flags);

} // namespace tcpviz
