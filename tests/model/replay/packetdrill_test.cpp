// packetdrillScript: every exported script reads back as the same segments the
// simulation has at the kernel (sent: `>`, arrived: `<`), and its calls are in
// packetdrill's own notation.
#include "replay/packetdrill.h"
#include "replay/packetdrill_reader.h"
#include "scenario/library.h"
#include "scenario/scenario.h"
#include "sim/simulator.h"

#include <gtest/gtest.h>
#include <sstream>
#include <string>
#include <vector>

namespace tcpviz {
namespace {

std::string letters(std::uint8_t flags) {
    std::string out;
    for (const auto& [bit, c] :
         {std::pair{flag::FIN, 'F'}, std::pair{flag::SYN, 'S'}, std::pair{flag::RST, 'R'},
          std::pair{flag::PSH, 'P'}, std::pair{flag::ACK, '.'}}) {
        if ((flags & bit) != 0) {
            out += c;
        }
    }
    return out;
}

// The segment lines of a script as the reader reads them, as "> S. 0 0 ack 1"
// (direction, flags, start, length, ack).
std::vector<std::string> parseSegments(const std::string& script) {
    const Result<PacketdrillScript> parsed = parsePacketdrillScript(script, "exported.pkt");
    EXPECT_TRUE(parsed) << (parsed ? "" : parsed.error().toString());
    std::vector<std::string> out;
    if (!parsed) {
        return out;
    }
    for (const PacketdrillLine& l : parsed->lines) {
        if (l.kind == PacketdrillLine::Kind::Call) {
            continue;
        }
        out.push_back(std::string(l.kind == PacketdrillLine::Kind::Inbound ? "<" : ">") + " " +
                      letters(l.flags) + " " + std::to_string(l.start) + " " +
                      std::to_string(l.len) + (l.ack ? " ack " + std::to_string(*l.ack) : ""));
    }
    return out;
}

std::vector<std::string> expectedSegments(const Trace& t, Side kernel) {
    std::array<std::optional<std::uint32_t>, 2> isn;
    for (const TraceEvent& e : t.events()) {
        auto& mine = isn.at(static_cast<std::size_t>(e.endpoint));
        if (e.kind == EventKind::Send && e.segment.has(flag::SYN) && !mine) {
            mine = e.segment.seq;
        }
    }
    const auto base = [&](Side s) {
        return isn.at(static_cast<std::size_t>(s))
            .value_or(s == Side::Client ? t.meta.client.isn : t.meta.server.isn);
    };
    std::vector<std::string> out;
    for (const TraceEvent& e : t.events()) {
        // The kernel's own segments: not a network copy, not one injected in its name.
        const bool sent =
            e.kind == EventKind::Send && e.endpoint == kernel && !e.duplicate && !e.injected;
        const bool arrived = e.kind == EventKind::Arrive && e.endpoint == kernel;
        if (!sent && !arrived) {
            continue;
        }
        const Side from = sent ? kernel : peer(kernel);
        const Segment& s = e.segment;
        out.push_back(std::string(sent ? ">" : "<") + " " + letters(s.flags) + " " +
                      std::to_string(s.seq - base(from)) + " " + std::to_string(s.len) +
                      (s.has(flag::ACK) ? " ack " + std::to_string(s.ack - base(peer(from))) : ""));
    }
    return out;
}

TEST(Packetdrill, EveryLessonsScriptReadsBackAsItsSegmentsOnBothSides) {
    std::size_t scripts = 0;
    std::size_t segments = 0;
    for (const Scenario& lesson : builtinScenarios()) {
        const Trace t = simulate(lesson);
        for (const Side kernel : {Side::Client, Side::Server}) {
            if ((kernel == Side::Client ? lesson.client : lesson.server).scripted) {
                continue;
            }
            const std::string script = packetdrillScript(t, kernel);
            const std::vector<std::string> expected = expectedSegments(t, kernel);
            segments += expected.size(); // syn-retries-linux's server sees none
            EXPECT_EQ(parseSegments(script), expected)
                << lesson.id << " " << sideName(kernel) << "\n"
                << script;
            ++scripts;
        }
    }
    EXPECT_GT(scripts, 40U);
    EXPECT_GT(segments, 200U);
}

TEST(Packetdrill, ThePassiveSideListensAcceptsAndWrites) {
    const Trace t = simulate(*findBuiltinScenario("data-exchange"));
    const std::string script = packetdrillScript(t, Side::Server);
    EXPECT_EQ(script.find("0.000000 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n"
                          "+0 setsockopt(3, SOL_SOCKET, SO_REUSEADDR, [1], 4) = 0\n"
                          "+0 bind(3, ..., ...) = 0\n"
                          "0.000000 listen(3, 1) = 0\n"),
              script.find("0.000000 socket"))
        << script;
    EXPECT_NE(script.find(" < S 0:0(0) win "), std::string::npos) << script;
    EXPECT_NE(script.find(" > S. 0:0(0) ack 1 <...>"), std::string::npos) << script;
    EXPECT_NE(script.find(" accept(3, ..., ...) = 4\n"), std::string::npos) << script;
    EXPECT_NE(script.find(" write(4, ..., "), std::string::npos) << script;
    EXPECT_LT(script.find(" accept("), script.find(" write(")) << script;
    // The application reads the request after the kernel has acknowledged it.
    const std::size_t ack = script.find(" > . 1:1(0) ack 101\n");
    ASSERT_NE(ack, std::string::npos) << script;
    EXPECT_EQ(script.find(" read(4, ..., 100) = 100\n"), script.find('\n', ack) + 9) << script;
}

TEST(Packetdrill, TheActiveSideConnectsWithoutBlocking) {
    const Trace t = simulate(*findBuiltinScenario("three-way-handshake"));
    const std::string script = packetdrillScript(t, Side::Client);
    EXPECT_NE(script.find("+0 fcntl(3, F_SETFL, O_RDWR|O_NONBLOCK) = 0\n"), std::string::npos);
    EXPECT_NE(script.find(" connect(3, ..., ...) = -1 EINPROGRESS (Operation now in progress)\n"),
              std::string::npos)
        << script;
    EXPECT_NE(script.find(" > S 0:0(0) <...>\n"), std::string::npos) << script;
    EXPECT_NE(script.find(" < S. 0:0(0) ack 1 win "), std::string::npos) << script;
    EXPECT_NE(script.find(" > . 1:1(0) ack 1\n"), std::string::npos) << script;
}

TEST(Packetdrill, AnAbortIsALingerZeroClose) {
    const Trace t = simulate(*findBuiltinScenario("abort-linger-zero"));
    bool any = false;
    for (const Side kernel : {Side::Client, Side::Server}) {
        const std::string script = packetdrillScript(t, kernel);
        const std::size_t linger = script.find("SO_LINGER, {onoff=1, linger=0}, 8) = 0\n");
        if (linger != std::string::npos) {
            any = true;
            EXPECT_NE(script.find(" close(", linger), std::string::npos) << script;
            EXPECT_NE(script.find(" > R", linger), std::string::npos) << script;
        }
    }
    EXPECT_TRUE(any);
}

TEST(Packetdrill, TheNewSocketCallsAreWrittenAsAProgramMakesThem) {
    const auto sc = parseScenarioText(R"(profile: linux
server: {reads: manual}
steps:
  - {at: 0ms, server: listen}
  - {at: 10ms, client: connect}
  - {at: 300ms, client: send, bytes: 1000}
  - {at: 1s, server: recv, bytes: 400}
  - {at: 1100ms, server: recv, bytes: 400}
  - {at: 1200ms, server: shutdown, how: read}
  - {at: 1300ms, server: close-listener}
  - {at: 2s, server: close, linger: 0}
)",
                                      "calls.yaml");
    ASSERT_TRUE(sc) << sc.error().toString();
    const std::string script = packetdrillScript(simulate(*sc), Side::Server, sc->server.reads);
    EXPECT_NE(script.find("1.000000 read(4, ..., 400) = 400\n1.100000 read(4, ..., 400) = 400\n"),
              std::string::npos)
        << script;
    EXPECT_NE(script.find("1.200000 shutdown(4, SHUT_RD) = 0\n"), std::string::npos) << script;
    EXPECT_NE(script.find("1.300000 close(3) = 0\n"), std::string::npos) << script;
    EXPECT_NE(script.find("2.000000 setsockopt(4, SOL_SOCKET, SO_LINGER, {onoff=1, linger=0}, 8) "
                          "= 0\n2.000000 close(4) = 0\n"),
              std::string::npos)
        << script;
    EXPECT_EQ(script.find("read(4, ..., 1000)"), std::string::npos) << "no automatic read\n"
                                                                    << script;
    EXPECT_TRUE(parsePacketdrillScript(script, "exported.pkt")) << script;
}

TEST(PacketdrillReader, ReadsCallsSegmentsAndRelativeTimes) {
    const Result<PacketdrillScript> s = parsePacketdrillScript(
        "// a comment\n"
        "0.000000 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n"
        "+0 fcntl(3, F_SETFL, O_RDWR|O_NONBLOCK) = 0\n"
        "0.010000 connect(3, ..., ...) = -1 EINPROGRESS (Operation now in progress)\n"
        "0.010000 > S 0:0(0) <...>\n"
        "0.110000 < S. 0:0(0) ack 1 win 65535 <mss 1460>\n"
        "+0.25 write(3, ..., 100) = 100\n"
        "0.360000 setsockopt(3, SOL_SOCKET, SO_LINGER, {onoff=1, linger=0}, 8) = 0\n"
        "0.400000 > P. 1:101(100) ack 1\n",
        "t.pkt");
    ASSERT_TRUE(s) << s.error().toString();
    ASSERT_EQ(s->lines.size(), 8U);
    EXPECT_EQ(s->lines[0].call, "socket");
    EXPECT_EQ(s->lines[0].returns, 3);
    EXPECT_EQ(s->lines[2].call, "connect");
    EXPECT_EQ(s->lines[2].returns, -1);
    EXPECT_EQ(s->lines[2].errnoName, "EINPROGRESS");
    EXPECT_EQ(s->lines[3].kind, PacketdrillLine::Kind::Outbound);
    EXPECT_EQ(s->lines[3].flags, flag::SYN);
    EXPECT_FALSE(s->lines[3].ack);
    EXPECT_EQ(s->lines[4].kind, PacketdrillLine::Kind::Inbound);
    EXPECT_EQ(s->lines[4].flags, flag::SYN | flag::ACK);
    EXPECT_EQ(s->lines[4].ack, 1U);
    EXPECT_EQ(s->lines[4].window, 65535U);
    EXPECT_EQ(s->lines[4].mss, 1460U);
    EXPECT_FALSE(s->lines[3].mss);
    EXPECT_EQ(s->lines[5].timeUs, 360'000); // "+0.25" after 0.110000
    EXPECT_EQ(s->lines[5].args, (std::vector<std::string>{"3", "...", "100"}));
    EXPECT_EQ(s->lines[6].args.at(3), "{onoff=1, linger=0}");
    EXPECT_EQ(s->lines[7].start, 1U);
    EXPECT_EQ(s->lines[7].len, 100U);
    EXPECT_EQ(s->lines[7].line, 9);
}

TEST(PacketdrillReader, AnUnreadableLineIsNamedWithItsLineAndColumn) {
    const auto error = [](const char* text) {
        const Result<PacketdrillScript> s = parsePacketdrillScript(text, "bad.pkt");
        return s ? std::string("parsed") : s.error().toString();
    };
    EXPECT_EQ(error("0.0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n0.1 > SX 0:0(0)\n"),
              "bad.pkt:2:7: error: unknown flag 'X' (packetdrill writes F S R P and . for ACK)");
    EXPECT_EQ(error("0.1 < P. 1:101(10) ack 1\n"),
              "bad.pkt:1:10: error: start:end(length) disagree: 101 - 1 is not 10");
    EXPECT_EQ(error("0.1 < P. 1:101(100)\n"),
              "bad.pkt:1:7: error: a segment with the ACK flag needs \"ack N\"");
    EXPECT_EQ(error("x.1 close(3) = 0\n"),
              "bad.pkt:1:1: error: expected a time in seconds (\"1.050000\" or \"+0\")");
    EXPECT_EQ(error("0.1 close(3)\n"), "bad.pkt:1:13: error: expected \"= RESULT\" after the call");
    EXPECT_EQ(error("0.1 > S 0:0(0) bogus\n"),
              "bad.pkt:1:16: error: expected \"ack N\", \"win N\" or <options>, found \"bogus\"");
}

TEST(Packetdrill, OnlyTheKernelsOwnSegmentsAreAsserted) {
    // challenge-ack: the forged RSTs are injected in the server's name; the
    // server's kernel never sends them.
    const std::string server =
        packetdrillScript(simulate(*findBuiltinScenario("challenge-ack")), Side::Server);
    EXPECT_EQ(server.find(" > R"), std::string::npos) << server;
    // linger-zero-old-duplicate: the network keeps a copy of the data segment;
    // the client's kernel sends it once.
    const std::string client = packetdrillScript(
        simulate(*findBuiltinScenario("linger-zero-old-duplicate")), Side::Client);
    const std::size_t first = client.find(" > P. 1:1001(1000) ack 1\n");
    ASSERT_NE(first, std::string::npos) << client;
    EXPECT_EQ(client.find(" > P. 1:1001(1000) ack 1\n", first + 1), std::string::npos) << client;
}

TEST(Packetdrill, DataReachingAClosedConnectionIsNotRead) {
    // network-failure: the client gave up at 19.9 s; the server's data at 30 s
    // is answered by a RST and never handed to the application.
    const std::string client =
        packetdrillScript(simulate(*findBuiltinScenario("network-failure")), Side::Client);
    EXPECT_NE(client.find(" > R 1:1(0)"), std::string::npos) << client;
    EXPECT_EQ(client.find(" read("), std::string::npos) << client;
}

} // namespace
} // namespace tcpviz
