// tcpviz-cli when the world misbehaves: a full disk under every file or stream
// it writes, and a capture pipe whose writer dies halfway. Each gives a message
// naming the file (or packet) and exit code 1, never a crash or a silent 0.
#include "cli_run.h"
#include "test_skip.h"

#include <array>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <iterator>
#include <string>
#include <sys/stat.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

namespace {

namespace fs = std::filesystem;

using tcpviz::test::CliRun;

CliRun run(const std::string& args) {
    return tcpviz::test::runCli(args, tcpviz::test::Stderr::AsGiven);
}

struct TempDir {
    fs::path path;
    TempDir() {
        std::string tmpl = (fs::temp_directory_path() / "tcpviz-cli-failure-XXXXXX").string();
        path = ::mkdtemp(tmpl.data());
    }
    ~TempDir() {
        std::error_code ec;
        fs::remove_all(path, ec);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
};

bool haveDevFull() {
    return fs::exists("/dev/full");
}

TEST(CliFailure, SimulatePcapOnAFullDiskNamesTheFile) {
    if (!haveDevFull()) {
        TCPVIZ_SKIP("/dev/full is missing");
    }
    const CliRun r = run("simulate three-way-handshake --pcap /dev/full 2>&1 >/dev/null");
    EXPECT_FALSE(r.signalled);
    EXPECT_EQ(r.exitCode, 1) << r.out;
    EXPECT_NE(r.out.find("/dev/full"), std::string::npos) << r.out;
}

TEST(CliFailure, SynthOnAFullDiskNamesTheFile) {
    if (!haveDevFull()) {
        TCPVIZ_SKIP("/dev/full is missing");
    }
    const CliRun r = run("synth -n 200 -o /dev/full 2>&1");
    EXPECT_FALSE(r.signalled);
    EXPECT_EQ(r.exitCode, 1) << r.out;
    EXPECT_NE(r.out.find("/dev/full"), std::string::npos) << r.out;
}

// `tcpviz-cli analyze x.pcap > report.txt` on a full disk: the report is lost,
// so the exit code and a message must say so (table and JSON alike).
TEST(CliFailure, AnalyzeOutputToAFullDiskIsAnError) {
    if (!haveDevFull()) {
        TCPVIZ_SKIP("/dev/full is missing");
    }
    const TempDir dir;
    const std::string pcap = (dir.path / "in.pcap").string();
    ASSERT_EQ(run("synth -n 300 -k 1 -q -o " + pcap + " 2>&1").exitCode, 0);
    for (const std::string mode : {"", " --json"}) {
        const CliRun r = run("analyze " + pcap + mode + " 2>&1 >/dev/full");
        EXPECT_FALSE(r.signalled) << mode;
        EXPECT_EQ(r.exitCode, 1) << "analyze" << mode << ": " << r.out;
        EXPECT_NE(r.out.find("standard output"), std::string::npos) << mode << ": " << r.out;
    }
}

// `tcpdump -w - | tcpviz-cli analyze -` where tcpdump dies mid-record: the
// packets before are analysed, the cut is reported with its packet number.
TEST(CliFailure, AnalyzeOfAPipeThatClosesMidRecordKeepsEarlierPackets) {
    const TempDir dir;
    const std::string pcap = (dir.path / "in.pcap").string();
    ASSERT_EQ(run("synth -n 2 -k 0 -q -o " + pcap + " 2>&1").exitCode, 0);
    std::ifstream in(pcap, std::ios::binary);
    const std::vector<char> bytes{std::istreambuf_iterator<char>(in),
                                  std::istreambuf_iterator<char>()};
    // Header + the first connection's 7 records, then half of the 8th.
    std::size_t cut = 24;
    for (int i = 0; i < 7; ++i) {
        std::uint32_t incl = 0;
        std::memcpy(&incl, bytes.data() + cut + 8, 4);
        cut += 16 + incl;
    }
    cut += 20;
    ASSERT_LT(cut, bytes.size());
    const std::string fifo = (dir.path / "pipe").string();
    ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
    std::thread writer([&] {
        const int fd = ::open(fifo.c_str(), O_WRONLY);
        ASSERT_GE(fd, 0);
        ASSERT_EQ(::write(fd, bytes.data(), cut), static_cast<ssize_t>(cut));
        ::close(fd);
    });
    const CliRun r = run("analyze --json - < " + fifo + " 2>&1");
    writer.join();
    EXPECT_FALSE(r.signalled);
    EXPECT_NE(r.out.find("packet 8"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("\"packets\": 7"), std::string::npos) << r.out;
}

} // namespace
