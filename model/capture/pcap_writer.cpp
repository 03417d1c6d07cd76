#include "capture/pcap_writer.h"

#include <cerrno>
#include <cstring>

namespace tcpviz {

namespace {

void putLe16(std::uint8_t* p, std::uint16_t v) {
    p[0] = static_cast<std::uint8_t>(v);
    p[1] = static_cast<std::uint8_t>(v >> 8);
}

void putLe32(std::uint8_t* p, std::uint32_t v) {
    for (int i = 0; i < 4; ++i) {
        p[i] = static_cast<std::uint8_t>(v >> (8 * i));
    }
}

} // namespace

PcapWriter::~PcapWriter() {
    (void)close(); // a destructor cannot report; callers that care call close()
}

Status PcapWriter::open(const std::string& path, int linkType, std::uint32_t snaplen,
                        bool nanosecond) {
    (void)close(); // reopening drops the previous file, as a new file is wanted
    m_path = path;
    m_nano = nanosecond;
    m_snaplen = snaplen;
    m_packets = 0;
    m_failed = false;
    if (path == "-") {
        m_file = stdout;
        m_ownsFile = false;
    } else {
        m_file = std::fopen(path.c_str(), "wb");
        m_ownsFile = true;
        if (m_file == nullptr) {
            return fail(path, std::string("cannot create: ") + std::strerror(errno));
        }
        // Large buffer: the generator writes millions of small records.
        std::setvbuf(m_file, nullptr, _IOFBF, 1 << 20);
    }
    std::uint8_t header[24] = {};
    putLe32(header, nanosecond ? 0xa1b23c4dU : 0xa1b2c3d4U);
    putLe16(header + 4, 2);
    putLe16(header + 6, 4);
    putLe32(header + 16, snaplen);
    putLe32(header + 20, static_cast<std::uint32_t>(linkType));
    if (std::fwrite(header, 1, sizeof header, m_file) != sizeof header) {
        m_failed = true;
        return fail(path, std::string("cannot write: ") + std::strerror(errno));
    }
    return {};
}

bool PcapWriter::write(std::int64_t timeNs, const std::uint8_t* data, std::uint32_t capturedLen,
                       std::uint32_t wireLen) {
    if (m_file == nullptr || m_failed) {
        return false;
    }
    if (capturedLen > m_snaplen) {
        capturedLen = m_snaplen;
    }
    if (timeNs < 0) {
        timeNs = 0;
    }
    const std::int64_t seconds = timeNs / 1'000'000'000;
    const std::int64_t fraction = timeNs % 1'000'000'000;
    std::uint8_t rec[16];
    putLe32(rec, static_cast<std::uint32_t>(seconds));
    putLe32(rec + 4, static_cast<std::uint32_t>(m_nano ? fraction : fraction / 1000));
    putLe32(rec + 8, capturedLen);
    putLe32(rec + 12, wireLen < capturedLen ? capturedLen : wireLen);
    if (std::fwrite(rec, 1, sizeof rec, m_file) != sizeof rec ||
        std::fwrite(data, 1, capturedLen, m_file) != capturedLen) {
        m_failed = true;
        return false;
    }
    ++m_packets;
    return true;
}

Status PcapWriter::close() {
    if (m_file == nullptr) {
        if (m_failed) {
            return fail(m_path, "write failed");
        }
        return {};
    }
    bool ok = !m_failed;
    if (std::fflush(m_file) != 0) {
        ok = false;
    }
    if (m_ownsFile && std::fclose(m_file) != 0) {
        ok = false;
    }
    m_file = nullptr;
    m_failed = !ok;
    if (!ok) {
        return fail(m_path, std::string("write failed: ") + std::strerror(errno));
    }
    return {};
}

} // namespace tcpviz
