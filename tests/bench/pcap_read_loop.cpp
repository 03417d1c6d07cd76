// The baseline of the analyze benchmark: a bare libpcap read loop that touches
// every packet and nothing else (the baseline analyze is measured against).
#include <cstdint>
#include <cstdio>
#include <pcap/pcap.h>

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: %s FILE.pcap\n", argv[0]);
        return 2;
    }
    char err[PCAP_ERRBUF_SIZE] = {};
    pcap_t* p = pcap_open_offline_with_tstamp_precision(argv[1], PCAP_TSTAMP_PRECISION_NANO, err);
    if (p == nullptr) {
        std::fprintf(stderr, "%s: %s\n", argv[1], err);
        return 1;
    }
    pcap_pkthdr* header = nullptr;
    const unsigned char* data = nullptr;
    std::uint64_t packets = 0;
    std::uint64_t bytes = 0;
    std::uint64_t checksum = 0;
    while (pcap_next_ex(p, &header, &data) == 1) {
        ++packets;
        bytes += header->caplen;
        checksum += header->caplen > 0 ? data[header->caplen - 1] : 0; // read the data
    }
    pcap_close(p);
    std::printf("%llu packets, %llu bytes (%llu)\n", static_cast<unsigned long long>(packets),
                static_cast<unsigned long long>(bytes), static_cast<unsigned long long>(checksum));
    return 0;
}
