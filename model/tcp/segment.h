#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace tcpviz {

/// TCP control bits as they sit in the header's flags byte.
namespace flag {
inline constexpr std::uint8_t FIN = 0x01;
inline constexpr std::uint8_t SYN = 0x02;
inline constexpr std::uint8_t RST = 0x04;
inline constexpr std::uint8_t PSH = 0x08;
inline constexpr std::uint8_t ACK = 0x10;
inline constexpr std::uint8_t URG = 0x20;
inline constexpr std::uint8_t ECE = 0x40;
inline constexpr std::uint8_t CWR = 0x80;
} // namespace flag

/// "SYN,ACK", "FIN,PSH,ACK": the RFC figures' order (SYN, FIN, RST, PSH, URG, ACK, ECE, CWR).
/// An empty set is written "NONE".
[[nodiscard]] std::string flagsToString(std::uint8_t flags);
/// Parses "SYN,ACK" (any order, case-insensitive, spaces allowed). nullopt on an unknown name.
[[nodiscard]] std::optional<std::uint8_t> parseFlags(std::string_view text);

/// The TCP options tcpviz decodes and shows.
struct TcpOptions {
    std::optional<std::uint16_t> mss;
    std::optional<std::uint8_t> windowScale;
    bool sackPermitted = false;
    std::vector<std::pair<std::uint32_t, std::uint32_t>> sackBlocks;
    std::optional<std::pair<std::uint32_t, std::uint32_t>> timestamp; ///< TSval, TSecr
    bool operator==(const TcpOptions&) const = default;
};

/// One TCP segment: what the header carries, plus the payload length.
struct Segment {
    std::uint16_t srcPort = 0;
    std::uint16_t dstPort = 0;
    std::uint32_t seq = 0;
    std::uint32_t ack = 0;
    std::uint8_t flags = 0;
    std::uint32_t window = 0; ///< already scaled when known
    std::uint32_t len = 0;    ///< payload bytes
    TcpOptions options;

    [[nodiscard]] bool has(std::uint8_t f) const { return (flags & f) == f; }
    /// Sequence space the segment occupies: payload plus one each for SYN and FIN.
    [[nodiscard]] std::uint32_t seqLen() const {
        return len + ((flags & flag::SYN) != 0 ? 1U : 0U) + ((flags & flag::FIN) != 0 ? 1U : 0U);
    }
    bool operator==(const Segment&) const = default;
};

} // namespace tcpviz
