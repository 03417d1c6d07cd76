// Live capture: pcap_create + options + pcap_activate, then a non-blocking
// pcap_dispatch loop that waits with poll() on the capture descriptor. Why not a
// blocking read with a timeout: with TPACKET_V3 (Linux, libpcap 1.10) the read
// timeout only retires blocks that hold packets, so on an idle interface a
// blocking read never returns and neither a duration nor stop() could end it.
// Our own poll timeout bounds how late stop() or the end of a duration is seen.
// Frames are decoded as those of a file.
#include "capture/live_capture.h"

#include "capture/decoder.h"
#include "capture/frame_processor.h"

#include <chrono>
#include <climits>
#include <pcap/pcap.h>
#include <poll.h>
#include <unistd.h>

namespace tcpviz {

namespace {

std::string selfPath() {
    char buf[PATH_MAX] = {};
    const ssize_t n = ::readlink("/proc/self/exe", buf, sizeof buf - 1);
    return n > 0 ? std::string(buf, static_cast<std::size_t>(n)) : std::string("tcpviz");
}

std::int64_t nowNs() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

/// ICMP and ICMPv6 errors quoting TCP, in the decoder's own terms (decodeIcmp):
/// v4 unreachable, source quench, redirect, time exceeded, parameter problem; v6
/// unreachable, too big, time exceeded, parameter problem; the quoted IP header's
/// protocol (icmp[8 + 9], icmp6[8 + 6]) TCP. Pings, neighbour discovery and the
/// port-unreachables of UDP stay out, so they neither cost nor count.
constexpr const char* kIcmpErrorsQuotingTcp =
    "(icmp and (icmp[icmptype] == icmp-unreach or icmp[icmptype] == icmp-sourcequench or "
    "icmp[icmptype] == icmp-redirect or icmp[icmptype] == icmp-timxceed or "
    "icmp[icmptype] == icmp-paramprob) and icmp[17] == 6) or "
    "(icmp6 and icmp6[icmp6type] >= 1 and icmp6[icmp6type] <= 4 and icmp6[14] == 6)";

} // namespace

// Why extend the user's filter rather than ask for "or icmp or icmp6": a filter
// names the traffic to follow ("tcp port 80", the window's default "tcp"), and the
// ICMP errors about that traffic are part of it; a rule that every user must
// remember is a count that silently stays 0. The price is small: ICMP errors about
// connections the filter leaves out also pass, and count as unmatched.
std::string liveCaptureFilter(const LiveCaptureOptions& options) {
    if (options.bpfFilter.empty() || !options.icmpQuotes) {
        return options.bpfFilter; // no filter lets ICMP through already
    }
    return "(" + options.bpfFilter + ") or " + kIcmpErrorsQuotingTcp;
}

LiveCapture::~LiveCapture() {
    close();
}

std::string LiveCapture::permissionHint(const std::string& interface) {
    const std::string iface = interface.empty() ? "any" : interface;
    return "capturing packets needs the CAP_NET_RAW and CAP_NET_ADMIN capabilities. Grant them "
           "to this program once:\n    sudo setcap cap_net_raw,cap_net_admin=eip " +
           selfPath() + "\nor let tcpdump capture and read from it:\n    sudo tcpdump -i " + iface +
           " -U -w - | tcpviz -r -\n(do not run the whole program as root)";
}

Status LiveCapture::failOpen(LiveErrorKind kind, std::string message) {
    m_errorKind = kind;
    close();
    return fail(m_info.file, std::move(message));
}

Status LiveCapture::open(const LiveCaptureOptions& options) {
    close();
    m_options = options;
    m_info = CaptureInfo{};
    const std::string iface = options.interface.empty() ? "any" : options.interface;
    m_info.file = iface;
    // The kernel applies the filter; the processor only decodes and counts.
    m_frames = std::make_unique<FrameProcessor>(
        m_info, std::string{}, FrameOptions{options.icmpQuotes, options.checkChecksums});
    m_filter.clear();
    m_errorKind = LiveErrorKind::None;
    m_stop = false;
    m_kept.clear();
    m_keptBytes.clear();

    char err[PCAP_ERRBUF_SIZE] = {};
    m_pcap = pcap_create(iface.c_str(), err);
    if (m_pcap == nullptr) {
        return failOpen(LiveErrorKind::Other, err);
    }
    pcap_set_snaplen(m_pcap, options.snaplen);
    pcap_set_promisc(m_pcap, options.promiscuous ? 1 : 0);
    pcap_set_timeout(m_pcap, options.timeoutMs);
    pcap_set_buffer_size(m_pcap, options.bufferBytes);
    m_nano = pcap_set_tstamp_precision(m_pcap, PCAP_TSTAMP_PRECISION_NANO) == 0;
    const int rc = pcap_activate(m_pcap);
    if (rc < 0) {
        const std::string detail = pcap_geterr(m_pcap);
        switch (rc) {
        case PCAP_ERROR_PERM_DENIED:
            return failOpen(LiveErrorKind::Permission,
                            "no permission to capture (" + detail + "): " + permissionHint(iface));
        case PCAP_ERROR_NO_SUCH_DEVICE:
            return failOpen(LiveErrorKind::NoSuchDevice, "no such interface (" + detail + ")");
        default:
            return failOpen(LiveErrorKind::Other,
                            "cannot capture: " + (detail.empty() ? pcap_statustostr(rc) : detail));
        }
    }
    if (rc == PCAP_WARNING_TSTAMP_TYPE_NOTSUP) {
        m_nano = false;
    }
    m_linkType = pcap_datalink(m_pcap);
    m_info.linkType = m_linkType;
    m_info.linkTypes = {m_linkType};
    m_info.format = "live";
    m_info.nanosecond = m_nano;
    if (!options.bpfFilter.empty()) {
        // The user's own filter is compiled first, so that a mistake in it is
        // reported in its own words, not in those of the extended one.
        bpf_program prog{};
        if (pcap_compile(m_pcap, &prog, options.bpfFilter.c_str(), 1, PCAP_NETMASK_UNKNOWN) != 0) {
            return failOpen(LiveErrorKind::BadFilter,
                            "invalid filter \"" + options.bpfFilter + "\": " + pcap_geterr(m_pcap));
        }
        m_filter = options.bpfFilter;
        const std::string extended = liveCaptureFilter(options);
        bpf_program wide{};
        if (extended != m_filter &&
            pcap_compile(m_pcap, &wide, extended.c_str(), 1, PCAP_NETMASK_UNKNOWN) == 0) {
            pcap_freecode(&prog);
            prog = wide;
            m_filter = extended;
        } // else a link type without ICMP: the user's filter alone
        const int set = pcap_setfilter(m_pcap, &prog);
        pcap_freecode(&prog);
        if (set != 0) {
            return failOpen(LiveErrorKind::BadFilter, "cannot apply filter \"" + options.bpfFilter +
                                                          "\": " + pcap_geterr(m_pcap));
        }
    }
    if (!isSupportedLinkType(m_linkType)) {
        const char* name = pcap_datalink_val_to_name(m_linkType);
        return failOpen(LiveErrorKind::Other, "link type " + std::to_string(m_linkType) + " (" +
                                                  (name != nullptr ? name : "unknown") +
                                                  ") is not supported");
    }
    if (pcap_setnonblock(m_pcap, 1, err) != 0 || pcap_get_selectable_fd(m_pcap) < 0) {
        return failOpen(LiveErrorKind::Other, std::string("cannot poll the capture: ") + err);
    }
    if (!options.savePath.empty()) {
        m_writer = std::make_unique<PcapWriter>();
        if (Status opened = m_writer->open(options.savePath, m_linkType,
                                           static_cast<std::uint32_t>(options.snaplen), m_nano);
            !opened) {
            m_errorKind = LiveErrorKind::Other;
            close();
            return opened; // about the file, not the interface
        }
    }
    return {};
}

void LiveCapture::close() {
    if (m_writer) {
        (void)m_writer->close(); // its Error would name the file; live capture saves best-effort
        m_writer.reset();
    }
    if (m_pcap != nullptr) {
        pcap_close(m_pcap);
        m_pcap = nullptr;
    }
}

void LiveCapture::stop() {
    m_stop = true;
    // Only the flag is touched from other threads; pcap_breakloop wakes the
    // poll in pcap_dispatch (libpcap >= 1.10 on Linux), the flag covers the rest.
    if (m_pcap != nullptr) {
        pcap_breakloop(m_pcap);
    }
}

void LiveCapture::onFrame(unsigned char* user, const pcap_pkthdr* header,
                          const unsigned char* data) {
    reinterpret_cast<LiveCapture*>(user)->handleFrame(header, data);
}

void LiveCapture::handleFrame(const pcap_pkthdr* h, const unsigned char* data) {
    const std::int64_t ns = static_cast<std::int64_t>(h->ts.tv_sec) * 1'000'000'000 +
                            static_cast<std::int64_t>(h->ts.tv_usec) * (m_nano ? 1 : 1000);
    if (m_writer) {
        m_writer->write(ns, data, h->caplen, h->len);
    }
    if (m_options.keepFrames && m_keptBytes.size() + h->caplen <= m_options.keepLimitBytes) {
        m_kept.push_back({ns, m_keptBytes.size(), h->caplen, h->len});
        m_keptBytes.insert(m_keptBytes.end(), data, data + h->caplen);
    }
    m_frames->frame(m_linkType, ns, data, h->caplen, h->len, *m_onPacket);
}

Status LiveCapture::run(const std::function<void(const DecodedPacket&)>& onPacket,
                        std::uint64_t maxPackets, std::int64_t durationNs) {
    if (m_pcap == nullptr) {
        return fail(m_info.file, "capture is not open");
    }
    m_onPacket = &onPacket;
    const std::int64_t deadline = durationNs > 0 ? nowNs() + durationNs : 0;
    Status result;
    while (!m_stop.load()) {
        int budget = -1;
        if (maxPackets != 0) {
            if (m_info.packets >= maxPackets) {
                break;
            }
            budget =
                static_cast<int>(std::min<std::uint64_t>(maxPackets - m_info.packets, INT_MAX));
        }
        const int rc = pcap_dispatch(m_pcap, budget, &LiveCapture::onFrame,
                                     reinterpret_cast<unsigned char*>(this));
        if (rc == PCAP_ERROR) {
            m_errorKind = LiveErrorKind::Other;
            result = fail(m_info.file, std::string("capture failed: ") + pcap_geterr(m_pcap));
            break;
        }
        const std::int64_t now = nowNs();
        if (deadline != 0 && now >= deadline) {
            break;
        }
        // PCAP_ERROR_BREAK: stop() was called; the loop condition sees the flag.
        if (rc == 0) {
            int wait = m_options.timeoutMs;
            if (deadline != 0) {
                wait = static_cast<int>(
                    std::min<std::int64_t>(wait, (deadline - now) / 1'000'000 + 1));
            }
            pollfd pfd{pcap_get_selectable_fd(m_pcap), POLLIN, 0};
            ::poll(&pfd, 1, wait);
        }
    }
    m_onPacket = nullptr;
    return result;
}

LiveStats LiveCapture::stats() const {
    LiveStats s;
    pcap_stat ps{};
    if (m_pcap != nullptr && pcap_stats(m_pcap, &ps) == 0) {
        s.received = ps.ps_recv;
        s.droppedByKernel = ps.ps_drop;
        s.droppedByInterface = ps.ps_ifdrop;
    }
    return s;
}

Status LiveCapture::saveCaptured(const std::string& path) const {
    PcapWriter w;
    if (Status opened =
            w.open(path, m_linkType, static_cast<std::uint32_t>(m_options.snaplen), m_nano);
        !opened) {
        return opened;
    }
    for (const Kept& k : m_kept) {
        w.write(k.timeNs, m_keptBytes.data() + k.offset, k.capturedLen, k.wireLen);
    }
    return w.close();
}

} // namespace tcpviz
