#include "capture/pcapng_reader.h"

#include <algorithm>
#include <cstring>

namespace tcpviz {

namespace {

constexpr std::uint32_t kShb = 0x0a0d0d0a;
constexpr std::uint32_t kIdb = 1;
constexpr std::uint32_t kPb = 2; // obsolete Packet Block
constexpr std::uint32_t kSpb = 3;
constexpr std::uint32_t kEpb = 6;
constexpr std::uint32_t kByteOrderMagic = 0x1a2b3c4d;
/// No sane block is larger; a larger length means a corrupt file, and reading
/// it would only allocate memory for nothing.
constexpr std::uint32_t kMaxBlock = 64U << 20;

std::uint32_t rawLe32(const std::uint8_t* p) {
    return p[0] | (p[1] << 8) | (p[2] << 16) | (static_cast<std::uint32_t>(p[3]) << 24);
}

} // namespace

PcapngReader::PcapngReader(std::FILE* file)
    : m_file(file) {}

std::uint16_t PcapngReader::get16(const std::uint8_t* p) const {
    return m_swap ? static_cast<std::uint16_t>((p[0] << 8) | p[1])
                  : static_cast<std::uint16_t>(p[0] | (p[1] << 8));
}

std::uint32_t PcapngReader::get32(const std::uint8_t* p) const {
    const std::uint32_t v = rawLe32(p);
    return m_swap ? __builtin_bswap32(v) : v;
}

bool PcapngReader::readExact(std::uint8_t* buf, std::size_t n) {
    const std::size_t got = std::fread(buf, 1, n, m_file);
    m_offset += got;
    return got == n;
}

PcapngReader::Result PcapngReader::fatal(std::string& error, const std::string& what) const {
    error = what + " (block at byte offset " + std::to_string(m_blockStart) + ")";
    return Result::Fatal;
}

std::int64_t PcapngReader::toNs(const Interface& itf, std::uint64_t ts) const {
    // 128 bits: a 64-bit tick count times 10^9 overflows 64 bits.
    __extension__ using Wide = unsigned __int128;
    const Wide wide = static_cast<Wide>(ts) * itf.mul / itf.div;
    return static_cast<std::int64_t>(wide) + itf.offsetNs;
}

void PcapngReader::parseInterface(const std::uint8_t* body, std::uint32_t len) {
    Interface itf;
    itf.linkType = get16(body);
    itf.snaplen = get32(body + 4);
    std::uint32_t i = 8;
    while (i + 4 <= len) {
        const std::uint16_t code = get16(body + i);
        const std::uint16_t olen = get16(body + i + 2);
        i += 4;
        if (code == 0 || i + olen > len) {
            break;
        }
        if (code == 9 && olen >= 1) { // if_tsresol
            const std::uint8_t r = body[i];
            const unsigned exp = r & 0x7fU;
            itf.mul = 1'000'000'000;
            itf.div = 1;
            if ((r & 0x80U) != 0) {
                if (exp <= 63) {
                    itf.div = std::uint64_t{1} << exp;
                }
                m_fine = m_fine || exp >= 30;
            } else {
                for (unsigned k = 0; k < exp && k < 19; ++k) {
                    if (itf.mul % 10 == 0) {
                        itf.mul /= 10;
                    } else {
                        itf.div *= 10;
                    }
                }
                m_fine = m_fine || exp >= 9;
            }
        } else if (code == 14 && olen == 8) { // if_tsoffset, seconds
            const std::uint64_t lo = get32(body + i);
            const std::uint64_t hi = get32(body + i + 4);
            const std::uint64_t secs = m_swap ? (lo << 32) | hi : (hi << 32) | lo;
            itf.offsetNs = static_cast<std::int64_t>(secs) * 1'000'000'000;
        }
        i += (olen + 3U) & ~3U;
    }
    m_interfaces.push_back(itf);
    m_allLinkTypes.push_back(itf.linkType);
}

PcapngReader::Result PcapngReader::next(Frame& frame, std::string& error) {
    for (;;) {
        std::uint8_t hdr[12];
        m_blockStart = m_offset - (m_firstTypeConsumed ? 4 : 0);
        std::size_t have = 0;
        if (m_firstTypeConsumed) {
            std::memcpy(hdr, &kShb, 4); // palindromic in both byte orders
            have = 4;
            m_firstTypeConsumed = false;
        }
        const std::size_t got = std::fread(hdr + have, 1, 8 - have, m_file);
        m_offset += got;
        if (have + got == 0) {
            return Result::End;
        }
        if (have + got < 8) {
            return fatal(error, "truncated file: incomplete block header");
        }
        std::uint32_t type = rawLe32(hdr);
        std::uint32_t total = 0;
        std::uint32_t consumed = 8;
        if (type == kShb) {
            if (!readExact(hdr + 8, 4)) {
                return fatal(error, "truncated file: incomplete section header");
            }
            consumed = 12;
            const std::uint32_t bom = rawLe32(hdr + 8);
            if (bom == kByteOrderMagic) {
                m_swap = false;
            } else if (bom == __builtin_bswap32(kByteOrderMagic)) {
                m_swap = true;
            } else {
                return fatal(error, "section header has no valid byte-order magic");
            }
            m_sectionSeen = true;
            m_interfaces.clear(); // interface ids are per section
        } else if (!m_sectionSeen) {
            return fatal(error, "block before the first section header");
        }
        type = get32(hdr);
        total = get32(hdr + 4);
        if (total < consumed + 4 || total % 4 != 0 || total > kMaxBlock) {
            return fatal(error, "bad block length " + std::to_string(total));
        }
        m_buf.resize(std::max<std::size_t>(m_buf.size(), total));
        const std::uint32_t rest = total - consumed;
        if (!readExact(m_buf.data(), rest)) {
            return fatal(error,
                         "truncated file: block of " + std::to_string(total) + " bytes ends early");
        }
        if (get32(m_buf.data() + rest - 4) != total) {
            return fatal(error, "block length " + std::to_string(total) +
                                    " does not match its trailing copy " +
                                    std::to_string(get32(m_buf.data() + rest - 4)));
        }
        const std::uint8_t* body = m_buf.data(); // after type, length (and BOM for SHB)
        const std::uint32_t bodyLen = rest - 4;
        switch (type) {
        case kShb:
            continue;
        case kIdb:
            if (bodyLen < 8) {
                return fatal(error, "interface description block too short");
            }
            parseInterface(body, bodyLen);
            continue;
        case kEpb:
        case kPb: {
            if (bodyLen < 20) {
                error = "packet block too short (" + std::to_string(total) + " bytes)";
                return Result::BadPacket;
            }
            const std::uint32_t itf = type == kEpb ? get32(body) : get16(body);
            const std::uint64_t ts =
                (static_cast<std::uint64_t>(get32(body + 4)) << 32) | get32(body + 8);
            const std::uint32_t cap = get32(body + 12);
            const std::uint32_t len = get32(body + 16);
            if (itf >= m_interfaces.size()) {
                error = "packet refers to interface " + std::to_string(itf) +
                        ", which no interface description block defines (" +
                        std::to_string(m_interfaces.size()) + " defined)";
                return Result::BadPacket;
            }
            if (cap > bodyLen - 20) {
                error = "captured length " + std::to_string(cap) + " exceeds the " +
                        std::to_string(bodyLen - 20) + " bytes of its block";
                return Result::BadPacket;
            }
            const Interface& i = m_interfaces[itf];
            frame = {itf, i.linkType, toNs(i, ts), body + 20, cap, len};
            return Result::Packet;
        }
        case kSpb: {
            if (bodyLen < 4) {
                error = "simple packet block too short";
                return Result::BadPacket;
            }
            if (m_interfaces.empty()) {
                error = "simple packet block before any interface description";
                return Result::BadPacket;
            }
            const Interface& i = m_interfaces[0];
            const std::uint32_t len = get32(body);
            std::uint32_t cap = std::min(len, bodyLen - 4);
            if (i.snaplen != 0) {
                cap = std::min(cap, i.snaplen);
            }
            frame = {0, i.linkType, 0, body + 4, cap, len};
            return Result::Packet;
        }
        default:
            continue; // name resolution, statistics, decryption secrets, custom: not needed
        }
    }
}

} // namespace tcpviz
