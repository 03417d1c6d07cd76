// Whole capture files (pcap, nanosecond pcap, pcapng, anything else) through the
// same path `tcpviz-cli analyze FILE` takes: readCapture, the analyzer and the
// JSON writer. The input lives in a memfd so no disk is touched.
#include "capture/analysis_json.h"
#include "capture/analyzer.h"
#include "capture/capture_reader.h"
#include "capture/state_timeline.h"

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <string>
#include <sys/mman.h>
#include <unistd.h>

namespace {

int memfdWith(const std::uint8_t* data, std::size_t size) {
    const int fd = ::memfd_create("tcpviz-fuzz-capture", MFD_CLOEXEC);
    if (fd < 0) {
        std::perror("memfd_create");
        std::abort();
    }
    std::size_t done = 0;
    while (done < size) {
        const ssize_t n = ::write(fd, data + done, size - done);
        if (n <= 0) {
            std::perror("write");
            std::abort();
        }
        done += static_cast<std::size_t>(n);
    }
    return fd;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const int fd = memfdWith(data, size);
    const std::string path = "/proc/self/fd/" + std::to_string(fd);

    // The reader alone, with every packet's fields touched so that ASan sees any
    // uninitialised or out-of-bounds data the decoder hands out.
    tcpviz::CaptureInfo info;
    std::uint64_t sum = 0;
    const tcpviz::Status read = tcpviz::readCapture(
        path, {},
        [&sum](const tcpviz::DecodedPacket& p) {
            sum += p.number + p.tcp.seq + p.tcp.len + p.src.port + p.tcp.options.sackBlocks.size();
        },
        info);
    if (!read && read.error().message.empty()) {
        std::abort(); // a fatal failure must say why
    }

    // The analysis, as `analyze --json` runs it.
    if (const auto analysed = tcpviz::analyzeCapture(path, {})) {
        const tcpviz::AnalysisResult& result = *analysed;
        std::ostringstream json;
        tcpviz::writeAnalysisJson(json, result);
        for (const auto& c : result.connections) {
            (void)c.states(tcpviz::Side::Client);
            (void)c.states(tcpviz::Side::Server);
        }
        const tcpviz::StateTimeline timeline(result.connections);
        (void)timeline.countsAt(timeline.startNs());
        (void)timeline.countsAt(timeline.endNs());
    } else if (analysed.error().message.empty()) {
        std::abort();
    }
    ::close(fd);
    return 0;
}
