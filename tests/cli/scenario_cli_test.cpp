// tcpviz-cli scenario, run as a user would: a lesson written as a capture comes
// back as a scenario file that simulate accepts; bad input exits 1 with the
// file named, usage mistakes exit 2.
#include "cli_run.h"

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <sstream>
#include <string>

namespace {

namespace fs = std::filesystem;

using tcpviz::test::CliRun;

CliRun run(const std::string& args) {
    return tcpviz::test::runCli(args);
}

class ScenarioCli : public ::testing::Test {
protected:
    void SetUp() override {
        m_dir = fs::temp_directory_path() / ("tcpviz_cli_scenario_" + std::to_string(::getpid()));
        fs::create_directories(m_dir);
        m_pcap = (m_dir / "lost-data.pcap").string();
        const CliRun sim = run("simulate lost-data --pcap " + m_pcap + " --tap 0");
        ASSERT_EQ(sim.exitCode, 0) << sim.out;
    }
    void TearDown() override { fs::remove_all(m_dir); }
    fs::path m_dir;
    std::string m_pcap;
};

TEST_F(ScenarioCli, WritesAScenarioThatSimulatesAndSaysItReproducesTheCapture) {
    const std::string out = (m_dir / "replay.yaml").string();
    const CliRun r = run("scenario " + m_pcap + " --connection 0 -o " + out);
    ASSERT_EQ(r.exitCode, 0) << r.out;
    EXPECT_NE(r.out.find("connection 0: profile "), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("the replay reproduces the capture"), std::string::npos) << r.out;
    std::ifstream in(out);
    std::stringstream text;
    text << in.rdbuf();
    EXPECT_NE(text.str().find("drop: {from: client, flags: \"PSH,ACK\", nth: 1}"),
              std::string::npos)
        << text.str();
    const CliRun sim = run("simulate " + out + " --json");
    EXPECT_EQ(sim.exitCode, 0) << sim.out;
}

// A reconnect on the same ports is two connections in analyze; with
// --with-reconnects connection 0 comes back as one scenario that replays both.
TEST_F(ScenarioCli, WithReconnectsTheLaterConnectionOnTheSamePortsJoinsTheScenario) {
    const std::string pcap = (m_dir / "reconnect.pcap").string();
    ASSERT_EQ(run("simulate time-wait-reconnect --pcap " + pcap + " --tap 0").exitCode, 0);
    const CliRun alone = run("scenario " + pcap + " -c 0");
    ASSERT_EQ(alone.exitCode, 0) << alone.out;
    EXPECT_EQ(alone.out.find("isn: ["), std::string::npos) << alone.out;
    const CliRun both = run("scenario " + pcap + " -c 0 --with-reconnects");
    ASSERT_EQ(both.exitCode, 0) << both.out;
    EXPECT_NE(both.out.find("isn: [100, 64100]"), std::string::npos) << both.out;
    EXPECT_NE(both.out.find("the replay reproduces the capture"), std::string::npos) << both.out;
}

TEST_F(ScenarioCli, WithoutOutputTheScenarioGoesToStandardOutput) {
    const CliRun r = run("scenario " + m_pcap + " -c 0");
    EXPECT_EQ(r.exitCode, 0) << r.out;
    EXPECT_NE(r.out.find("steps:\n"), std::string::npos) << r.out;
}

TEST_F(ScenarioCli, AConnectionTheCaptureDoesNotHaveIsBadInput) {
    const CliRun r = run("scenario " + m_pcap + " --connection 5");
    EXPECT_EQ(r.exitCode, 1) << r.out;
    EXPECT_NE(r.out.find(m_pcap + ": no connection 5 (the capture has 1"), std::string::npos)
        << r.out;
}

TEST_F(ScenarioCli, AMissingFileIsBadInputNamingIt) {
    const std::string missing = (m_dir / "missing.pcap").string();
    const CliRun r = run("scenario " + missing + " --connection 0");
    EXPECT_EQ(r.exitCode, 1) << r.out;
    EXPECT_NE(r.out.find(missing), std::string::npos) << r.out;
}

TEST_F(ScenarioCli, WithoutAConnectionNumberItIsAUsageError) {
    const CliRun r = run("scenario " + m_pcap);
    EXPECT_EQ(r.exitCode, 2) << r.out;
}

TEST_F(ScenarioCli, PacketdrillWritesTheServerAsKernelUnderTest) {
    const std::string out = (m_dir / "lost-data.pkt").string();
    const CliRun r = run("packetdrill lost-data --side server -o " + out);
    ASSERT_EQ(r.exitCode, 0) << r.out;
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
    ASSERT_EQ(r.exitCode, 0) << r.out;
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
    EXPECT_EQ(scripted.exitCode, 1) << scripted.out;
    EXPECT_NE(scripted.out.find("the server is scripted"), std::string::npos) << scripted.out;
    EXPECT_EQ(run("packetdrill fin-wait-1-to-time-wait --side client -o " + out).exitCode, 0);
    EXPECT_EQ(run("packetdrill lost-data --side kernel -o " + out).exitCode, 2);
}

} // namespace
