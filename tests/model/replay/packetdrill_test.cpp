// packetdrillScript: every exported script reads back as the same segments the
// simulation has at the kernel (sent: `>`, arrived: `<`), and its calls are in
// packetdrill's own notation.
#include "replay/packetdrill.h"
#include "scenario/library.h"
#include "sim/simulator.h"

#include <gtest/gtest.h>
#include <regex>
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

// The segment lines of a script, as "> S. 0 0 ack 1" (direction, flags, start, length, ack).
std::vector<std::string> parseSegments(const std::string& script) {
    static const std::regex line(
        R"(^[0-9.]+ ([<>]) ([FSRP.]+) (\d+):(\d+)\((\d+)\)(?: ack (\d+))?.*$)");
    std::vector<std::string> out;
    std::istringstream in(script);
    for (std::string l; std::getline(in, l);) {
        std::smatch m;
        if (std::regex_match(l, m, line)) {
            EXPECT_EQ(std::stoul(m[4]) - std::stoul(m[3]), std::stoul(m[5])) << l;
            out.push_back(m[1].str() + " " + m[2].str() + " " + m[3].str() + " " + m[5].str() +
                          (m[6].matched ? " ack " + m[6].str() : ""));
        } else if (!l.empty() &&
                   (l.find(" < ") != std::string::npos || l.find(" > ") != std::string::npos)) {
            ADD_FAILURE() << "unreadable segment line: " << l;
        }
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
        const bool sent = e.kind == EventKind::Send && e.endpoint == kernel;
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

} // namespace
} // namespace tcpviz
