#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

namespace tcpviz {

/// Reads pcapng blocks (SHB, IDB, EPB, SPB, the obsolete PB; both byte orders;
/// per-interface if_tsresol and if_tsoffset) from a stream.
///
/// Why our own reader: libpcap 1.10 refuses pcapng files whose interfaces have
/// different link types (a macOS capture on "any" is one), and the alternative,
/// Wireshark's libwiretap, drags GLib and Wireshark's internal, unstable API into
/// the model (wtap_init, plugin and preference set-up) for a format whose blocks
/// are short and documented (draft-ietf-opsawg-pcapng). Every length is checked
/// against the block it sits in, so a hostile file gives an error, not a crash.
class PcapngReader {
public:
    struct Interface {
        int linkType = -1;
        std::uint32_t snaplen = 0;
        // Timestamp units -> nanoseconds: ns = ts * m_mul / m_div (+ offset).
        std::uint64_t mul = 1000; ///< default resolution: microseconds
        std::uint64_t div = 1;
        std::int64_t offsetNs = 0;
    };

    struct Frame {
        std::uint32_t interface = 0;
        int linkType = -1;
        std::int64_t timeNs = 0;
        const std::uint8_t* data = nullptr; ///< valid until the next call to next()
        std::uint32_t capturedLen = 0;
        std::uint32_t wireLen = 0;
    };

    enum class Result : std::uint8_t {
        Packet,    ///< `frame` is filled
        BadPacket, ///< a packet block that cannot be used (`error` says why); reading goes on
        End,       ///< clean end of file
        Fatal,     ///< the file cannot be read further (`error` says why and where)
    };

    /// `file` is positioned just after the first four bytes (the Section Header
    /// Block type, already read by the caller to recognise the format).
    explicit PcapngReader(std::FILE* file);

    Result next(Frame& frame, std::string& error);

    [[nodiscard]] const std::vector<Interface>& interfaces() const { return m_interfaces; }
    /// Link type of every Interface Description Block seen so far, in file order.
    [[nodiscard]] const std::vector<int>& allLinkTypes() const { return m_allLinkTypes; }
    [[nodiscard]] std::uint64_t offset() const { return m_offset; }
    [[nodiscard]] bool nanosecondOrFiner() const { return m_fine; }

private:
    [[nodiscard]] std::uint16_t get16(const std::uint8_t* p) const;
    [[nodiscard]] std::uint32_t get32(const std::uint8_t* p) const;
    bool readExact(std::uint8_t* buf, std::size_t n);
    Result fatal(std::string& error, const std::string& what) const;
    void parseInterface(const std::uint8_t* body, std::uint32_t len);
    [[nodiscard]] std::int64_t toNs(const Interface& itf, std::uint64_t ts) const;

    std::FILE* m_file;
    bool m_firstTypeConsumed = true;
    bool m_sectionSeen = false;
    bool m_swap = false;
    bool m_fine = false;
    std::uint64_t m_offset = 4;
    std::uint64_t m_blockStart = 0;
    std::vector<std::uint8_t> m_buf;
    std::vector<Interface> m_interfaces;
    std::vector<int> m_allLinkTypes;
};

} // namespace tcpviz
