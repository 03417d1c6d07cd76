#include "capture/frame_processor.h"

#include "capture/decoder.h"

#include <pcap/pcap.h>

namespace tcpviz {

std::string linkTypeName(int linkType) {
    const char* name = pcap_datalink_val_to_name(linkType);
    return std::to_string(linkType) + (name != nullptr ? std::string(" (") + name + ")" : "");
}

FrameProcessor::FrameProcessor(CaptureInfo& info, std::string bpfFilter, FrameOptions options)
    : m_info(info)
    , m_bpfFilter(std::move(bpfFilter))
    , m_options(options) {}

std::optional<bool> tcpChecksumOk(const std::uint8_t* frame, std::uint32_t capturedLen,
                                  const DecodedPacket& p) {
    if (p.malformed || p.fragment || p.tcpBytes < 20 || p.tcpOffset > capturedLen ||
        p.tcpBytes > capturedLen - p.tcpOffset) {
        return std::nullopt;
    }
    // RFC 9293 3.1: the one's complement sum over a pseudo-header (addresses,
    // protocol 6, TCP length; RFC 8200 8.1 for IPv6) and the segment, checksum
    // field included, is all ones when the checksum is right.
    std::uint64_t sum = 0;
    const auto add16 = [&sum](const std::uint8_t* b, std::size_t n) {
        for (std::size_t i = 0; i + 1 < n; i += 2) {
            sum += static_cast<std::uint32_t>(b[i] << 8 | b[i + 1]);
        }
        if ((n & 1U) != 0) {
            sum += static_cast<std::uint32_t>(b[n - 1] << 8);
        }
    };
    const std::size_t addressBytes = p.src.ip.v6 ? 16 : 4;
    add16(p.src.ip.bytes.data(), addressBytes);
    add16(p.dst.ip.bytes.data(), addressBytes);
    sum += 6 + (p.tcpBytes >> 16) + (p.tcpBytes & 0xffffU);
    add16(frame + p.tcpOffset, p.tcpBytes);
    while ((sum >> 16) != 0) {
        sum = (sum & 0xffffU) + (sum >> 16);
    }
    return sum == 0xffffU;
}

FrameProcessor::~FrameProcessor() {
    for (auto& [link, prog] : m_filters) {
        pcap_freecode(&prog);
    }
}

Status FrameProcessor::prepareFilter(int linkType) {
    if (m_bpfFilter.empty() || m_filters.count(linkType) != 0) {
        return {};
    }
    pcap_t* dead = pcap_open_dead(linkType, 262144);
    if (dead == nullptr) {
        return fail(m_info.file, "cannot prepare the filter");
    }
    bpf_program prog{};
    if (pcap_compile(dead, &prog, m_bpfFilter.c_str(), 1, PCAP_NETMASK_UNKNOWN) != 0) {
        Status failed = fail(m_info.file, "invalid filter \"" + m_bpfFilter + "\" for link type " +
                                              linkTypeName(linkType) + ": " + pcap_geterr(dead));
        pcap_close(dead);
        return failed;
    }
    pcap_close(dead);
    m_filters.emplace(linkType, prog);
    return {};
}

void FrameProcessor::badFrame(const std::string& message) {
    ++m_info.packets;
    addError(m_info.packets, message);
}

void FrameProcessor::addError(std::uint64_t packet, std::string message) {
    if (m_info.errors.size() < CaptureInfo::kMaxListedErrors) {
        m_info.errors.push_back({packet, std::move(message)});
    } else {
        ++m_info.errorsNotListed;
    }
}

std::uint64_t FrameProcessor::frame(int linkType, std::int64_t timeNs, const std::uint8_t* data,
                                    std::uint32_t cap, std::uint32_t len,
                                    const PacketHandler& onPacket) {
    const std::uint64_t number = ++m_info.packets;
    if (cap < len) {
        ++m_info.truncatedPackets;
    } else if (cap > len) {
        addError(number, "captured length " + std::to_string(cap) +
                             " exceeds the original length " + std::to_string(len) +
                             "; using the captured bytes");
        len = cap;
    }
    if (!m_filters.empty()) {
        const auto it = m_filters.find(linkType);
        if (it != m_filters.end()) {
            pcap_pkthdr h{};
            h.caplen = cap;
            h.len = len;
            if (pcap_offline_filter(&it->second, &h, data) == 0) {
                ++m_info.filteredOut;
                return number;
            }
        }
    }
    m_packet.number = number;
    m_packet.timeNs = timeNs;
    switch (decodeFrame(linkType, data, cap, len, m_packet, m_error)) {
    case DecodeStatus::Tcp:
        ++m_info.tcpPackets;
        if (m_packet.malformed) {
            ++m_info.malformedTcp;
            addError(number, m_error);
        }
        m_packet.badChecksum = false;
        if (m_options.checkChecksums && tcpChecksumOk(data, cap, m_packet) == false) {
            m_packet.badChecksum = true;
            ++m_info.badChecksums;
        }
        onPacket(m_packet);
        break;
    case DecodeStatus::NotTcp:
        break;
    case DecodeStatus::Fragment:
        ++m_info.fragments;
        break;
    case DecodeStatus::IcmpQuotedTcp:
        ++m_info.icmpQuotedTcp;
        if (m_options.icmpQuotes) {
            m_packet.icmpQuote = true;
            m_packet.badChecksum = false; // not this packet's to say
            onPacket(m_packet);
            m_packet.icmpQuote = false;
        }
        break;
    case DecodeStatus::Error:
        addError(number, m_error);
        break;
    case DecodeStatus::UnsupportedLink:
        ++m_info.unsupportedLinkPackets;
        if (m_unsupportedReported.emplace(linkType, true).second) {
            addError(number, "link type " + linkTypeName(linkType) +
                                 " is not supported: its packets are counted but not analysed "
                                 "(reported once)");
        }
        break;
    }
    return number;
}

} // namespace tcpviz
