// StateTimeline: how many endpoints sit in each state at any time of a capture.
#include "capture/analyzer.h"
#include "capture/state_timeline.h"
#include "capture/wire.h"

#include <gtest/gtest.h>
#include <string>
#include <vector>

namespace tcpviz {
namespace {

TEST(StateTimeline, CountsEndpointsPerStateOverTime) {
    Analyzer a;
    // Two connections: the second starts after the first closed.
    Wire w;
    handshakeAndData(w);
    w.send(Side::Client, "FIN,ACK", 105, 305);
    w.send(Side::Server, "FIN,ACK", 305, 106);
    w.send(Side::Client, "ACK", 106, 306);
    for (const auto& p : w.packets()) {
        a.add(p);
    }
    auto late = w.packets().front();
    late.src.port = 40001;
    late.tcp.srcPort = 40001;
    late.number = 100;
    late.timeNs = w.packets().back().timeNs + 1'000'000'000;
    a.add(late);
    const auto r = a.finish({});
    const StateTimeline tl(r.connections);
    const auto before = tl.countsAt(tl.startNs() - 1);
    std::uint32_t total = 0;
    for (const auto n : before) {
        total += n;
    }
    EXPECT_EQ(total, 0U);
    const auto midway = tl.countsAt(w.packets()[3].timeNs);
    EXPECT_EQ(midway[index(State::Established)], 2U);
    const auto end = tl.countsAt(tl.endNs());
    EXPECT_EQ(end[index(State::TimeWait)], 1U);
    EXPECT_EQ(end[index(State::Closed)], 1U);
    EXPECT_EQ(end[index(State::SynSent)], 1U);
    EXPECT_EQ(end[index(State::Listen)], 1U);
}

} // namespace
} // namespace tcpviz
