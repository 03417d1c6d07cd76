#pragma once

#include "base/error.h"

#include <cstdint>
#include <cstdio>
#include <string>

namespace tcpviz {

/// Writes a classic pcap file (little-endian, version 2.4), with microsecond or
/// nanosecond timestamps. Written by hand rather than with pcap_dump so that the
/// nanosecond magic, snap length and standard output ("-") are under our control
/// and no pcap_t is needed (the simulator and the generator have none).
class PcapWriter {
public:
    PcapWriter() = default;
    ~PcapWriter();
    PcapWriter(const PcapWriter&) = delete;
    PcapWriter& operator=(const PcapWriter&) = delete;

    /// Creates `path` ("-" is standard output) and writes the file header.
    /// The Error names the file.
    Status open(const std::string& path, int linkType, std::uint32_t snaplen, bool nanosecond);
    /// Appends one record; `capturedLen` bytes of `data` are written, `wireLen` is
    /// the original length. Returns false after a write error (see close()).
    bool write(std::int64_t timeNs, const std::uint8_t* data, std::uint32_t capturedLen,
               std::uint32_t wireLen);
    /// Flushes and closes; an Error when anything failed on the way.
    Status close();

    [[nodiscard]] bool isOpen() const { return m_file != nullptr; }
    [[nodiscard]] std::uint64_t packetsWritten() const { return m_packets; }
    [[nodiscard]] const std::string& path() const { return m_path; }

private:
    std::FILE* m_file = nullptr;
    bool m_ownsFile = false;
    bool m_nano = false;
    bool m_failed = false;
    std::uint32_t m_snaplen = 0;
    std::uint64_t m_packets = 0;
    std::string m_path;
};

} // namespace tcpviz
