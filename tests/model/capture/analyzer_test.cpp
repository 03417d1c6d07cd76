// Analyzer: connections of a packet stream, the detail limit, and eviction of
// finished connections in long live captures.
#include "capture/analyzer.h"
#include "capture/wire.h"

#include <gtest/gtest.h>
#include <string>
#include <vector>

namespace tcpviz {
namespace {

// One complete connection (client-first close) on client port `port`.
void wholeConnection(Wire& w, std::uint16_t port) {
    w.m_client.port = port;
    handshakeAndData(w);
    w.send(Side::Client, "FIN,ACK", 105, 305);
    w.send(Side::Server, "ACK", 305, 106);
    w.send(Side::Server, "FIN,ACK", 305, 106);
    w.send(Side::Client, "ACK", 106, 306);
}

// Every connection of a capture holds one ConnectionSummary (from a NodePool), so
// its size sets analyze's memory: 100,000 connections at 896 bytes were 90 MB of the
// window's 147 MiB. A field added to it, or to the tracker, stats or estimator in
// it, must fit this bound or move behind a pointer allocated when needed (the
// tracker's working state, freed when the analysis ends, is 280 bytes apart).
constexpr std::size_t kSummaryBytes = 576;
static_assert(sizeof(ConnectionSummary) <= kSummaryBytes,
              "ConnectionSummary grew: see ConnectionSummaryFitsItsBound for the parts");

TEST(ConnectionSummary, FitsItsBound) {
    EXPECT_LE(sizeof(ConnectionSummary), kSummaryBytes)
        << "ConnectionSummary " << sizeof(ConnectionSummary) << " bytes: PassiveTracker "
        << sizeof(PassiveTracker) << " (ConnectionStats " << sizeof(ConnectionStats)
        << ", CaptureCopies " << sizeof(CaptureCopies) << ", SocketAddress "
        << sizeof(SocketAddress) << " x2), CapturePointEstimator " << sizeof(CapturePointEstimator)
        << ", StateChangeList " << sizeof(StateChangeList) << ", NotedPackets "
        << sizeof(NotedPackets) << ", known " << sizeof(ConnectionSummary::known);
    // The parts' own bounds, so that a failure names the part that grew.
    EXPECT_LE(sizeof(PassiveTracker), 272U);
    EXPECT_LE(sizeof(ConnectionStats), 184U);
    EXPECT_LE(sizeof(CapturePointEstimator), 80U);
    EXPECT_LE(sizeof(StateChangeList), 168U);
}

TEST(StateChangeList, KeepsOrderInlineAndAfterSpillingAndCopiesDeeply) {
    StateChangeList list;
    std::vector<std::uint32_t> expected;
    for (std::uint32_t i = 1; i <= 25; ++i) {
        list.append(StateChange{static_cast<std::int64_t>(i) * 1000, i, Side::Client, State::Closed,
                                State::Established, ArcId::PassiveOpen});
        expected.push_back(i);
        EXPECT_EQ(list.spilled(), i > StateChangeList::kInline) << i;
        std::vector<std::uint32_t> got;
        for (const auto& c : list) {
            got.push_back(c.packet);
        }
        EXPECT_EQ(got, expected);
    }
    const StateChangeList copy = list;
    list.append(StateChange{26'000, 26, Side::Server});
    EXPECT_EQ(copy.size(), 25U);
    EXPECT_EQ(list.size(), 26U);
    EXPECT_EQ(copy.back().packet, 25U);
    EXPECT_EQ(list.back().packet, 26U);
    EXPECT_EQ(list.front().timeNs, 1000);
    EXPECT_EQ(list[12].packet, 13U);
}

TEST(StateChangeList, MovesAndAssignsInlineAndSpilledLists) {
    const auto listOf = [](std::uint32_t n) {
        StateChangeList list;
        for (std::uint32_t i = 1; i <= n; ++i) {
            list.append(StateChange{static_cast<std::int64_t>(i), i, Side::Server});
        }
        return list;
    };
    const auto packets = [](const StateChangeList& list) {
        std::vector<std::uint32_t> got;
        for (const auto& c : list) {
            got.push_back(c.packet);
        }
        return got;
    };
    std::vector<std::uint32_t> three{1, 2, 3};
    std::vector<std::uint32_t> twelve;
    for (std::uint32_t i = 1; i <= 12; ++i) {
        twelve.push_back(i);
    }

    StateChangeList spilled = listOf(12);
    ASSERT_TRUE(spilled.spilled());
    StateChangeList moved = std::move(spilled);
    EXPECT_TRUE(moved.spilled());
    EXPECT_EQ(packets(moved), twelve);

    // Assigning over a spilled list, inline or spilled, from inline or spilled.
    moved = listOf(3);
    EXPECT_FALSE(moved.spilled());
    EXPECT_EQ(packets(moved), three);
    StateChangeList target = listOf(11);
    const StateChangeList inlineSource = listOf(3);
    target = inlineSource;
    EXPECT_FALSE(target.spilled());
    EXPECT_EQ(packets(target), three);
    const StateChangeList spilledSource = listOf(12);
    target = spilledSource;
    EXPECT_TRUE(target.spilled());
    EXPECT_EQ(packets(target), twelve);
    target.append(StateChange{13, 13, Side::Client});
    EXPECT_EQ(spilledSource.size(), 12U);
    EXPECT_EQ(target.size(), 13U);
    target = listOf(15);
    EXPECT_EQ(target.size(), 15U);
    EXPECT_EQ(target.back().packet, 15U);
    EXPECT_EQ(target.front().packet, 1U);
}

TEST(NotedPackets, KeepsTheFirstEightOfEachAndCopiesDeeply) {
    NotedPackets noted;
    EXPECT_TRUE(noted.retransmissions().empty());
    EXPECT_TRUE(noted.rsts().empty());
    for (std::uint64_t n = 1; n <= 20; ++n) {
        noted.noteRetransmission(n * 10);
    }
    noted.noteRst(7);
    const NotedPackets copy = noted;
    noted.noteRst(9);
    EXPECT_EQ(noted.retransmissions(),
              (std::vector<std::uint64_t>{10, 20, 30, 40, 50, 60, 70, 80}));
    EXPECT_EQ(noted.rsts(), (std::vector<std::uint64_t>{7, 9}));
    EXPECT_EQ(copy.rsts(), (std::vector<std::uint64_t>{7}));
    EXPECT_EQ(copy.retransmissions().size(), NotedPackets::kMax);
}

TEST(Analyzer, AnOrdinaryConnectionKeepsItsStateChangesInline) {
    Analyzer a;
    Wire w;
    wholeConnection(w, 40000);
    for (const auto& p : w.packets()) {
        a.add(p);
    }
    const auto r = a.finish({});
    ASSERT_EQ(r.connections.size(), 1U);
    // Open and close of both ends: every change recorded, no heap list.
    EXPECT_EQ(r.connections[0].changes.size(), 10U);
    EXPECT_FALSE(r.connections[0].changes.spilled());
}

TEST(Analyzer, DetailLimitSummarisesLaterConnections) {
    AnalyzeOptions o;
    o.detailLimit = 1;
    Analyzer a(o);
    Wire w;
    handshakeAndData(w);
    for (const auto& p : w.packets()) {
        a.add(p);
    }
    for (auto p : w.packets()) {
        p.src.port = p.src.port == 80 ? 80 : 40001;
        p.dst.port = p.dst.port == 80 ? 80 : 40001;
        a.add(p);
    }
    const auto r = a.finish({});
    ASSERT_EQ(r.connections.size(), 2U);
    EXPECT_FALSE(r.connections[0].summarised);
    EXPECT_TRUE(r.connections[1].summarised);
    EXPECT_TRUE(r.connections[1].changes.empty());
    EXPECT_EQ(r.summarisedConnections, 1U);
    // The final states survive the summary.
    const auto s = r.connections[1].states(Side::Client);
    EXPECT_EQ(s.back().state, State::Established);
}

TEST(AnalyzerEviction, FinishedConnectionsAreCountedNotKept) {
    AnalyzeOptions options;
    options.retainFinished = 5;
    Analyzer analyzer(options);
    Wire w;
    for (std::uint16_t i = 0; i < 50; ++i) {
        wholeConnection(w, static_cast<std::uint16_t>(40000 + i));
    }
    for (const auto& p : w.packets()) {
        const auto added = analyzer.add(p);
        // The connection add() names stays readable until the next add().
        EXPECT_EQ(analyzer.connection(added.connection).id, added.connection);
    }
    EXPECT_EQ(analyzer.totalConnections(), 50U);
    EXPECT_LE(analyzer.connections().size(), 6U);
    EXPECT_EQ(analyzer.evicted().connections + analyzer.connections().size(), 50U);
    EXPECT_EQ(analyzer.evicted().packets, analyzer.evicted().connections * 10);
    EXPECT_EQ(analyzer.evicted().finalClient.at(index(State::TimeWait)),
              analyzer.evicted().connections);
    EXPECT_EQ(analyzer.evicted().finalServer.at(index(State::Closed)),
              analyzer.evicted().connections);
    // Ids stay stable: the newest connection is still number 49.
    EXPECT_EQ(analyzer.connections().back().id, 49U);
    EXPECT_EQ(analyzer.firstId(), analyzer.connections().front().id);
}

// The trackers' working state is the Analyzer's while it follows connections and
// is released when it finishes; what a result holds is the results alone.
TEST(Analyzer, FinishReleasesTheTrackersWorkAndKeepsTheirResults) {
    Analyzer analyzer;
    Wire w;
    for (std::uint16_t i = 0; i < 3; ++i) {
        wholeConnection(w, static_cast<std::uint16_t>(42000 + i));
    }
    for (const auto& p : w.packets()) {
        analyzer.add(p);
    }
    for (const auto& c : analyzer.connections()) {
        EXPECT_FALSE(c.tracker.settled());
    }
    const AnalysisResult r = analyzer.finish({});
    ASSERT_EQ(r.connections.size(), 3U);
    for (const auto& c : r.connections) {
        EXPECT_TRUE(c.tracker.settled());
        EXPECT_EQ(c.packets(), 10U);
        EXPECT_EQ(c.finalState(Side::Client), State::TimeWait);
        EXPECT_EQ(c.tracker.stats().history(), "ShADdFaf");
        EXPECT_TRUE(c.tracker.seen(Side::Server));
    }
    // A copy of a finished summary is finished too (it has no work to copy).
    const ConnectionSummary copy = r.connections.front();
    EXPECT_TRUE(copy.tracker.settled());
}

TEST(AnalyzerEviction, LateSegmentOfAnEvictedConnectionStartsAFreshOne) {
    AnalyzeOptions options;
    options.retainFinished = 1;
    Analyzer analyzer(options);
    Wire w;
    for (std::uint16_t i = 0; i < 4; ++i) {
        wholeConnection(w, static_cast<std::uint16_t>(41000 + i));
    }
    w.m_client.port = 41000;
    w.send(Side::Client, "ACK", 106, 306); // a late duplicate of connection 0's last ACK
    for (const auto& p : w.packets()) {
        analyzer.add(p);
    }
    EXPECT_GE(analyzer.evicted().connections, 2U);
    EXPECT_EQ(analyzer.totalConnections(), 5U);
    EXPECT_TRUE(analyzer.connections().back().tracker.midStream());
}

TEST(AnalyzerEviction, AnOpenConnectionHoldsEvictionBackUntilItGoesIdle) {
    AnalyzeOptions options;
    options.retainFinished = 2;
    options.idleTimeoutNs = 1'000'000'000; // 1 s; the Wire spaces packets 10 ms apart
    Analyzer analyzer(options);
    Wire w;
    w.m_client.port = 42000;
    handshakeAndData(w); // stays open
    for (std::uint16_t i = 1; i <= 8; ++i) {
        wholeConnection(w, static_cast<std::uint16_t>(42000 + i)); // 80 ms of packets
    }
    for (const auto& p : w.packets()) {
        analyzer.add(p);
    }
    EXPECT_EQ(analyzer.evicted().connections, 0U) << "the open front connection is not idle yet";
    EXPECT_EQ(analyzer.firstId(), 0U);
    for (std::uint16_t i = 9; i <= 120; ++i) { // over a second later it is idle
        wholeConnection(w, static_cast<std::uint16_t>(42000 + i));
    }
    for (std::size_t k = 6 + 8 * 10; k < w.packets().size(); ++k) {
        analyzer.add(w.packets()[k]);
    }
    EXPECT_GT(analyzer.evicted().connections, 100U);
    EXPECT_EQ(analyzer.evicted().finalClient.at(index(State::Established)), 1U);
    EXPECT_LE(analyzer.connections().size(), 3U);
}

} // namespace
} // namespace tcpviz
