// tcpviz-cli when the world misbehaves: a full disk under every file or stream
// it writes, and a capture pipe whose writer dies halfway. Each gives a message
// naming the file (or packet) and exit code 1, never a crash or a silent 0.
#include "cli_run.h"
#include "test_skip.h"

#include <array>
#include <csignal>
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

/// Bytes the process has read so far (read and pread alike), from /proc/PID/io.
std::uint64_t bytesRead(pid_t pid) {
    std::ifstream io("/proc/" + std::to_string(pid) + "/io");
    std::string key;
    std::uint64_t value = 0;
    while (io >> key >> value) {
        if (key == "rchar:") {
            return value;
        }
    }
    return 0;
}

// A capture file cut short while tcpviz-cli reads it (a rotating tcpdump, a
// copy replaced): the process is paused after a few MiB, the file cut halfway
// through what is left, the process resumed. A message naming the file and the
// first packet lost, exit 1, never SIGBUS (which the mapped reader once raised).
TEST(CliFailure, AnalyzeOfAFileCutShortWhileReadIsAnErrorNamingThePacket) {
    const TempDir dir;
    const std::string pcap = (dir.path / "cut.pcap").string();
    const std::string errors = (dir.path / "stderr.txt").string();
    ASSERT_EQ(run("synth -n 100000 -q -o " + pcap + " 2>&1").exitCode, 0);
    const std::uint64_t size = fs::file_size(pcap);
    const pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
        const int out = ::open("/dev/null", O_WRONLY);
        const int err = ::open(errors.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        ::dup2(out, 1);
        ::dup2(err, 2);
        ::execl(TCPVIZ_CLI, TCPVIZ_CLI, "analyze", pcap.c_str(), static_cast<char*>(nullptr));
        ::_exit(127);
    }
    // Whatever fails below, the child does not outlive the test (stopped or not).
    struct Reap {
        pid_t pid;
        bool done = false;
        ~Reap() {
            if (!done) {
                ::kill(pid, SIGKILL);
                ::waitpid(pid, nullptr, 0);
            }
        }
    } reap{pid};
    for (int i = 0; i < 200'000 && bytesRead(pid) < (std::uint64_t{4} << 20); ++i) {
        ::usleep(50);
    }
    ASSERT_EQ(::kill(pid, SIGSTOP), 0);
    int status = 0;
    ASSERT_EQ(::waitpid(pid, &status, WUNTRACED), pid);
    reap.done = !WIFSTOPPED(status); // ended already: reaped by this waitpid
    ASSERT_TRUE(WIFSTOPPED(status)) << "the analysis ended before it could be paused";
    const std::uint64_t read = bytesRead(pid);
    ASSERT_LT(read + (std::uint64_t{4} << 20), size) << "paused too late to cut ahead of it";
    fs::resize_file(pcap, read + (size - read) / 2);
    ASSERT_EQ(::kill(pid, SIGCONT), 0);
    ASSERT_EQ(::waitpid(pid, &status, 0), pid);
    reap.done = true;
    ASSERT_TRUE(WIFEXITED(status)) << "killed by signal " << WTERMSIG(status);
    EXPECT_EQ(WEXITSTATUS(status), 1);
    std::ifstream in(errors);
    const std::string message{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    EXPECT_NE(message.find(pcap + ": packet "), std::string::npos) << message;
    EXPECT_NE(message.find("cut short while it was read"), std::string::npos) << message;
}

} // namespace
