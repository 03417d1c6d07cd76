// Reader + decoder cost against the bare libpcap read loop on the same file
// (analyze should stay within a small factor of the bare loop, so reading alone must be far
// below that). Best of N runs each, file already in the page cache.
//   tcpviz_read_bench FILE [RUNS]
#include "capture/capture_reader.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <pcap/pcap.h>
#include <string>

namespace {

double seconds(std::chrono::steady_clock::duration d) {
    return std::chrono::duration<double>(d).count();
}

std::uint64_t bareLoop(const char* path) {
    char err[PCAP_ERRBUF_SIZE] = {};
    pcap_t* p = pcap_open_offline_with_tstamp_precision(path, PCAP_TSTAMP_PRECISION_NANO, err);
    if (p == nullptr) {
        std::fprintf(stderr, "%s: %s\n", path, err);
        std::exit(1);
    }
    pcap_pkthdr* h = nullptr;
    const unsigned char* data = nullptr;
    std::uint64_t sum = 0;
    while (pcap_next_ex(p, &h, &data) == 1) {
        sum += h->caplen > 0 ? data[h->caplen - 1] : 0;
    }
    pcap_close(p);
    return sum;
}

} // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: %s FILE.pcap [RUNS]\n", argv[0]);
        return 2;
    }
    const int runs = argc > 2 ? std::atoi(argv[2]) : 3;
    double bare = 1e9;
    double reader = 1e9;
    tcpviz::CaptureInfo info;
    std::uint64_t sink = 0;
    for (int i = 0; i < runs; ++i) {
        auto t0 = std::chrono::steady_clock::now();
        sink += bareLoop(argv[1]);
        bare = std::min(bare, seconds(std::chrono::steady_clock::now() - t0));

        t0 = std::chrono::steady_clock::now();
        std::uint64_t payload = 0;
        if (const tcpviz::Status read = tcpviz::readCapture(
                argv[1], {}, [&payload](const tcpviz::DecodedPacket& p) { payload += p.tcp.len; },
                info);
            !read) {
            std::fprintf(stderr, "%s\n", read.error().toString().c_str());
            return 1;
        }
        sink += payload;
        reader = std::min(reader, seconds(std::chrono::steady_clock::now() - t0));
    }
    std::printf("{\"file\": \"%s\", \"packets\": %llu, \"tcp_packets\": %llu, "
                "\"bare_libpcap_s\": %.4f, \"read_decode_s\": %.4f, \"ratio\": %.2f, "
                "\"read_decode_mpps\": %.2f, \"sink\": %llu}\n",
                argv[1], static_cast<unsigned long long>(info.packets),
                static_cast<unsigned long long>(info.tcpPackets), bare, reader, reader / bare,
                static_cast<double>(info.packets) / reader / 1e6,
                static_cast<unsigned long long>(sink % 7));
    return 0;
}
