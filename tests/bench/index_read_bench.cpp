// Packet index benchmark (manual; not a CTest test): one connection of 10,000
// packets among many in a 1 GB synth capture, read back through the packet index
// (what the window does when that connection is selected) against reading the
// whole file again (what it did before the index). Target: under 50 ms.
//
// usage: tcpviz_index_read_bench [WORKDIR] [SIZE_MB] [RUNS]
// The capture is written into a fresh folder under WORKDIR (default $TMPDIR or
// /tmp) and deleted afterwards, also when a step fails.
#include "capture/capture_document.h"
#include "capture/connection_trace.h"
#include "capture/synth.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fcntl.h>
#include <filesystem>
#include <string>
#include <unistd.h>

namespace fs = std::filesystem;
using namespace tcpviz;

namespace {

double msSince(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
        .count();
}

/// Drops the file's pages from the page cache, so that the next read comes from disk.
void dropFromCache(const std::string& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd >= 0) {
        ::fdatasync(fd);
        ::posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
        ::close(fd);
    }
}

struct TempDir {
    fs::path path;
    ~TempDir() {
        std::error_code ec;
        fs::remove_all(path, ec);
    }
};

} // namespace

int main(int argc, char** argv) {
    const char* tmp = std::getenv("TMPDIR");
    const fs::path work = argc > 1 ? fs::path(argv[1]) : fs::path(tmp != nullptr ? tmp : "/tmp");
    const std::uint64_t sizeMb = argc > 2 ? std::strtoull(argv[2], nullptr, 10) : 1000;
    const int runs = argc > 3 ? std::atoi(argv[3]) : 5;
    TempDir dir{work / ("tcpviz-index-bench-" + std::to_string(::getpid()))};
    fs::create_directories(dir.path);
    const std::string path = (dir.path / "capture.pcap").string();

    // Full-size frames and 50 exchanges a connection: about 400 bytes a packet, so
    // a gigabyte is some 2.6 million packets in 25,000 connections; the first
    // connection has 10,001 packets spread over the whole file.
    SynthOptions o;
    o.snaplen = 1514;
    o.dataSegments = 50;
    o.connections = 100; // a sample, to size the real file
    if (!writeSynthCapture(o, path)) {
        std::fprintf(stderr, "cannot write %s\n", path.c_str());
        return 1;
    }
    const double bytesPerConnection = static_cast<double>(fs::file_size(path)) / 100.0;
    o.longConnectionSegments = 4997;
    o.connections =
        static_cast<std::uint32_t>(static_cast<double>(sizeMb) * 1e6 / bytesPerConnection);
    auto start = std::chrono::steady_clock::now();
    const Result<SynthResult> written = writeSynthCapture(o, path);
    if (!written) {
        std::fprintf(stderr, "%s\n", written.error().toString().c_str());
        return 1;
    }
    std::printf("capture: %.0f MB, %llu packets, %llu connections (written in %.1f s)\n",
                static_cast<double>(fs::file_size(path)) / 1e6,
                static_cast<unsigned long long>(written->packets),
                static_cast<unsigned long long>(written->connections), msSince(start) / 1000);

    start = std::chrono::steady_clock::now();
    Result<CaptureDocument> doc = CaptureDocument::open(path, {});
    if (!doc) {
        std::fprintf(stderr, "%s\n", doc.error().toString().c_str());
        return 1;
    }
    const ConnectionSummary& longest = doc->connections().front();
    std::printf("opened and indexed in %.0f ms: index %.1f MiB for %zu packets; connection 0 "
                "has %u packets, packets %llu..%llu\n",
                msSince(start), static_cast<double>(doc->packetIndex().memoryBytes()) / 1048576.0,
                doc->packetIndex().packets(), longest.packets(),
                static_cast<unsigned long long>(longest.firstPacket),
                static_cast<unsigned long long>(longest.lastPacket));
    if (!doc->indexed(0)) {
        std::fprintf(stderr, "connection 0 is not indexed\n");
        return 1;
    }

    double best = 1e18;
    std::size_t got = 0;
    for (int i = 0; i < runs; ++i) {
        start = std::chrono::steady_clock::now();
        const auto packets = doc->connectionPackets(0);
        const double ms = msSince(start);
        if (!packets) {
            std::fprintf(stderr, "%s\n", packets.error().toString().c_str());
            return 1;
        }
        got = packets->size();
        best = std::min(best, ms);
    }
    dropFromCache(path);
    start = std::chrono::steady_clock::now();
    const auto cold = doc->connectionPackets(0);
    const double coldMs = msSince(start);
    start = std::chrono::steady_clock::now();
    const auto full = collectConnectionPackets(path, {}, longest);
    const double fullMs = msSince(start);
    if (!cold || !full || cold->size() != got || full->size() != got) {
        std::fprintf(stderr, "the reads disagree\n");
        return 1;
    }
    std::printf("indexed read of %zu packets   %8.1f ms (best of %d, file in the page cache; "
                "target < 50)\n",
                got, best, runs);
    std::printf("indexed read, file not cached %8.1f ms\n", coldMs);
    std::printf("whole file read again         %8.1f ms (before the index)\n", fullMs);
    std::printf("load average: ");
    std::fflush(stdout);
    std::system("cut -d' ' -f1-3 /proc/loadavg");
    return 0;
}
