#include "capture/frame_processor.h"

#include "capture/decoder.h"

#include <pcap/pcap.h>

namespace tcpviz {

std::string linkTypeName(int linkType) {
    const char* name = pcap_datalink_val_to_name(linkType);
    return std::to_string(linkType) + (name != nullptr ? std::string(" (") + name + ")" : "");
}

FrameProcessor::FrameProcessor(CaptureInfo& info, std::string bpfFilter)
    : m_info(info)
    , m_bpfFilter(std::move(bpfFilter)) {}

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
        onPacket(m_packet);
        break;
    case DecodeStatus::NotTcp:
        break;
    case DecodeStatus::Fragment:
        ++m_info.fragments;
        break;
    case DecodeStatus::IcmpQuotedTcp:
        ++m_info.icmpQuotedTcp;
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
