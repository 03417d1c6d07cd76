// A capture file cut short while it is read (tcpdump rotating it, a copy being
// replaced) is reported as an Error naming the file and the packet, never a
// SIGBUS. Deterministic: the packet callback, which runs between two records,
// truncates the file, as another process could at any moment.
#include "capture/analyzer.h"
#include "capture/capture_reader.h"
#include "capture/synth.h"

#include <filesystem>
#include <gtest/gtest.h>
#include <unistd.h>

namespace tcpviz {
namespace {

namespace fs = std::filesystem;

struct SynthFile {
    explicit SynthFile(std::uint32_t connections) {
        SynthOptions o;
        o.connections = connections;
        const Result<SynthResult> written = writeSynthCapture(o, path);
        EXPECT_TRUE(written) << written.error().toString();
        if (written) {
            packets = written->packets;
        }
    }
    ~SynthFile() { fs::remove(path); }
    SynthFile(const SynthFile&) = delete;
    SynthFile& operator=(const SynthFile&) = delete;
    std::string path =
        (fs::temp_directory_path() / ("tcpviz_cut_" + std::to_string(::getpid()) + ".pcap"))
            .string();
    std::uint64_t packets = 0;
};

/// Reads `path` (one thread, as the callback must run between records), cutting
/// the file to `cutTo` bytes when packet `atPacket` arrives.
Status readCutting(const std::string& path, std::uint64_t atPacket, std::uint64_t cutTo,
                   std::uint64_t& delivered) {
    CaptureInfo info;
    delivered = 0;
    return readCapture(
        path, {},
        [&](const DecodedPacket& p) {
            ++delivered;
            if (p.number == atPacket) {
                fs::resize_file(path, cutTo);
            }
        },
        info);
}

TEST(TruncatedWhileReading, ACutInsideTheWindowBeingReadIsAnErrorNotASignal) {
    const SynthFile file(200); // about 300 KB: one read window holds all of it
    ASSERT_GT(file.packets, 0U);
    const auto size = fs::file_size(file.path);
    std::uint64_t delivered = 0;
    const Status read = readCutting(file.path, 1, size / 2, delivered);
    ASSERT_FALSE(read) << "reading a file cut to half its size must not succeed silently";
    EXPECT_EQ(read.error().file, file.path);
    EXPECT_EQ(read.error().packet, delivered + 1);
    EXPECT_NE(read.error().message.find("cut short"), std::string::npos) << read.error().toString();
    EXPECT_NE(read.error().toString().find(file.path + ": packet "), std::string::npos);
}

TEST(TruncatedWhileReading, ACutInALaterWindowStopsAtTheFirstRecordGone) {
    const SynthFile file(14'000); // about 17.8 MB: many read windows
    const auto size = fs::file_size(file.path);
    ASSERT_GT(size, std::uint64_t{16} << 20);
    const std::uint64_t cut = 12 << 20;
    std::uint64_t delivered = 0;
    const Status read = readCutting(file.path, 1, cut, delivered);
    ASSERT_FALSE(read);
    EXPECT_EQ(read.error().file, file.path);
    EXPECT_EQ(read.error().packet, delivered + 1);
    // Packets before the cut were read; those past it are not invented.
    EXPECT_GT(delivered, 1U);
    EXPECT_LT(delivered, file.packets);
    const double perPacket = static_cast<double>(size - 24) / static_cast<double>(file.packets);
    EXPECT_LE(static_cast<double>(delivered) * perPacket, static_cast<double>(cut));
}

TEST(TruncatedWhileReading, AFileAlreadyShortWhenOpenedIsOnlyADamagedFile) {
    const SynthFile file(12'000);
    fs::resize_file(file.path, (12 << 20) + 7); // the last record cut in its middle
    const Result<AnalysisResult> r = analyzeCapture(file.path, AnalyzeOptions{});
    // Analysed up to the cut, the truncated last record listed as a per-packet
    // problem: nothing changed while it was read.
    ASSERT_TRUE(r) << r.error().toString();
    EXPECT_TRUE(r->info.stoppedEarly);
    ASSERT_FALSE(r->info.errors.empty());
    EXPECT_EQ(r->info.errors.back().message.find("cut short"), std::string::npos);
    EXPECT_GT(r->info.packets, 1000U);
    EXPECT_LT(r->info.packets, file.packets);
}

} // namespace
} // namespace tcpviz
