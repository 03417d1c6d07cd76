// tcpviz-cli scenario, run as a user would: a lesson written as a capture comes
// back as a scenario file that simulate accepts; bad input exits 1 with the
// file named, usage mistakes exit 2.
#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <sstream>
#include <string>

namespace {

namespace fs = std::filesystem;

struct CliRun {
    int exitCode = -1;
    std::string output; ///< stdout and stderr
};

CliRun run(const std::string& args) {
    CliRun r;
    const std::string cmd = std::string(TCPVIZ_CLI) + " " + args + " 2>&1";
    FILE* p = ::popen(cmd.c_str(), "r");
    std::array<char, 4096> buf{};
    std::size_t n = 0;
    while ((n = std::fread(buf.data(), 1, buf.size(), p)) > 0) {
        r.output.append(buf.data(), n);
    }
    const int status = ::pclose(p);
    r.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return r;
}

class ScenarioCli : public ::testing::Test {
protected:
    void SetUp() override {
        m_dir = fs::temp_directory_path() / ("tcpviz_cli_scenario_" + std::to_string(::getpid()));
        fs::create_directories(m_dir);
        m_pcap = (m_dir / "lost-data.pcap").string();
        const CliRun sim = run("simulate lost-data --pcap " + m_pcap + " --tap 0");
        ASSERT_EQ(sim.exitCode, 0) << sim.output;
    }
    void TearDown() override { fs::remove_all(m_dir); }
    fs::path m_dir;
    std::string m_pcap;
};

TEST_F(ScenarioCli, WritesAScenarioThatSimulatesAndSaysItReproducesTheCapture) {
    const std::string out = (m_dir / "replay.yaml").string();
    const CliRun r = run("scenario " + m_pcap + " --connection 0 -o " + out);
    ASSERT_EQ(r.exitCode, 0) << r.output;
    EXPECT_NE(r.output.find("connection 0: profile "), std::string::npos) << r.output;
    EXPECT_NE(r.output.find("the replay reproduces the capture"), std::string::npos) << r.output;
    std::ifstream in(out);
    std::stringstream text;
    text << in.rdbuf();
    EXPECT_NE(text.str().find("drop: {from: client, flags: \"PSH,ACK\", nth: 1}"),
              std::string::npos)
        << text.str();
    const CliRun sim = run("simulate " + out + " --json");
    EXPECT_EQ(sim.exitCode, 0) << sim.output;
}

TEST_F(ScenarioCli, WithoutOutputTheScenarioGoesToStandardOutput) {
    const CliRun r = run("scenario " + m_pcap + " -c 0");
    EXPECT_EQ(r.exitCode, 0) << r.output;
    EXPECT_NE(r.output.find("steps:\n"), std::string::npos) << r.output;
}

TEST_F(ScenarioCli, AConnectionTheCaptureDoesNotHaveIsBadInput) {
    const CliRun r = run("scenario " + m_pcap + " --connection 5");
    EXPECT_EQ(r.exitCode, 1) << r.output;
    EXPECT_NE(r.output.find(m_pcap + ": no connection 5 (the capture has 1"), std::string::npos)
        << r.output;
}

TEST_F(ScenarioCli, AMissingFileIsBadInputNamingIt) {
    const std::string missing = (m_dir / "missing.pcap").string();
    const CliRun r = run("scenario " + missing + " --connection 0");
    EXPECT_EQ(r.exitCode, 1) << r.output;
    EXPECT_NE(r.output.find(missing), std::string::npos) << r.output;
}

TEST_F(ScenarioCli, WithoutAConnectionNumberItIsAUsageError) {
    const CliRun r = run("scenario " + m_pcap);
    EXPECT_EQ(r.exitCode, 2) << r.output;
}

TEST_F(ScenarioCli, PacketdrillWritesTheServerAsKernelUnderTest) {
    const std::string out = (m_dir / "lost-data.pkt").string();
    const CliRun r = run("packetdrill lost-data --side server -o " + out);
    ASSERT_EQ(r.exitCode, 0) << r.output;
    std::ifstream in(out);
    std::stringstream text;
    text << in.rdbuf();
    EXPECT_NE(text.str().find(" listen(3, 1) = 0\n"), std::string::npos) << text.str();
    // The lost first copy never reaches the kernel: one data segment arrives.
    EXPECT_NE(text.str().find(" < P. 1:101(100) ack 1 win "), std::string::npos) << text.str();
    EXPECT_EQ(text.str().find(" < P. 1:101(100)", text.str().find(" < P. 1:101(100)") + 1),
              std::string::npos)
        << text.str();
}

TEST_F(ScenarioCli, PacketdrillOfACaptureGoesThroughItsReplay) {
    const std::string out = (m_dir / "capture.pkt").string();
    const CliRun r = run("packetdrill " + m_pcap + " --connection 0 --side client -o " + out);
    ASSERT_EQ(r.exitCode, 0) << r.output;
    std::ifstream in(out);
    std::stringstream text;
    text << in.rdbuf();
    // The client's view: both copies of the data leave it.
    const std::size_t first = text.str().find(" > P. 1:101(100) ack 1");
    ASSERT_NE(first, std::string::npos) << text.str();
    EXPECT_NE(text.str().find(" > P. 1:101(100) ack 1", first + 1), std::string::npos)
        << text.str();
}

TEST_F(ScenarioCli, PacketdrillRefusesAScriptedSideAndABadSide) {
    const std::string out = (m_dir / "x.pkt").string();
    // fin-wait-1-to-time-wait's server is scripted: no TCP to test there.
    const CliRun scripted = run("packetdrill fin-wait-1-to-time-wait --side server -o " + out);
    EXPECT_EQ(scripted.exitCode, 1) << scripted.output;
    EXPECT_NE(scripted.output.find("the server is scripted"), std::string::npos) << scripted.output;
    EXPECT_EQ(run("packetdrill fin-wait-1-to-time-wait --side client -o " + out).exitCode, 0);
    EXPECT_EQ(run("packetdrill lost-data --side kernel -o " + out).exitCode, 2);
}

} // namespace
