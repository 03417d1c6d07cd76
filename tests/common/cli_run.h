#pragma once
// Runs tcpviz-cli (or any command) as a user would, through the shell, and keeps
// what it printed and how it ended: the one runner of the CLI tests.
#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <sys/wait.h>
#include <unistd.h>

namespace tcpviz::test {

struct CliRun {
    int exitCode = -1;      ///< -1 when the command did not exit normally
    bool signalled = false; ///< killed by a signal (a crash)
    std::string out;        ///< stdout, and stderr too with Stderr::Merged
    std::string err;        ///< stderr with Stderr::Apart
};

enum class Stderr {
    Merged, ///< 2>&1: one stream, in the order written
    Apart,  ///< kept in CliRun::err
    AsGiven ///< no redirection added: the arguments say where it goes
};

/// Runs `command arguments` through /bin/sh.
inline CliRun runCommand(const std::string& command, const std::string& arguments,
                         Stderr stderrTo = Stderr::Merged) {
    static int serial = 0;
    const auto errFile =
        std::filesystem::temp_directory_path() /
        ("tcpviz_cli_stderr_" + std::to_string(::getpid()) + "_" + std::to_string(serial++));
    std::string line = "'" + command + "' " + arguments;
    if (stderrTo == Stderr::Merged) {
        line += " 2>&1";
    } else if (stderrTo == Stderr::Apart) {
        line += " 2>'" + errFile.string() + "'";
    }
    CliRun r;
    FILE* p = ::popen(line.c_str(), "r");
    if (p == nullptr) {
        return r;
    }
    std::array<char, 4096> buf{};
    std::size_t n = 0;
    while ((n = std::fread(buf.data(), 1, buf.size(), p)) > 0) {
        r.out.append(buf.data(), n);
    }
    const int status = ::pclose(p);
    r.signalled = WIFSIGNALED(status);
    r.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    if (stderrTo == Stderr::Apart) {
        std::ifstream e(errFile, std::ios::binary);
        r.err.assign(std::istreambuf_iterator<char>(e), {});
        std::error_code ec;
        std::filesystem::remove(errFile, ec);
    }
    return r;
}

#ifdef TCPVIZ_CLI
/// Runs tcpviz-cli with these arguments.
inline CliRun runCli(const std::string& arguments, Stderr stderrTo = Stderr::Merged) {
    return runCommand(TCPVIZ_CLI, arguments, stderrTo);
}
#endif

} // namespace tcpviz::test
