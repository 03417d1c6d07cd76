// The listener's queue rules, one by one, against what tcp_conn_request(),
// inet_csk_reqsk_queue_is_full(), sk_acceptq_is_full() and tcp_check_req()'s
// listen_overflow do in Linux 6.14 and later.
#include "sim/listen_queues.h"

#include <gtest/gtest.h>

namespace tcpviz::test {
namespace {

ListenQueues queues(std::uint32_t syn, std::uint32_t accept, std::uint32_t backlog) {
    ListenQueues q;
    q.synQueue = syn;
    q.acceptQueue = accept;
    q.maxAckBacklog = backlog;
    return q;
}

Sysctls cookies(int value) {
    Sysctls s;
    s.tcpSyncookies = value;
    return s;
}

TEST(ListenQueues, BacklogIsCappedBySomaxconn) {
    Sysctls s;
    s.somaxconn = 100;
    EXPECT_EQ(maxAckBacklog(4096, s), 100U);
    EXPECT_EQ(maxAckBacklog(8, s), 8U);
}

TEST(ListenQueues, BothQueuesHoldOneMoreThanTheBacklog) {
    EXPECT_FALSE(queues(8, 0, 8).synQueueFull());
    EXPECT_TRUE(queues(9, 0, 8).synQueueFull());
    EXPECT_FALSE(queues(0, 8, 8).acceptQueueFull());
    EXPECT_TRUE(queues(0, 9, 8).acceptQueueFull());
    // backlog 0 still lets one connection through (the 6.14 fix)
    EXPECT_FALSE(queues(0, 0, 0).synQueueFull());
}

TEST(ListenQueues, FullSynQueueDropsWithoutCookies) {
    EXPECT_EQ(synVerdict(queues(9, 0, 8), cookies(0)), SynVerdict::DropSynQueueFull);
    EXPECT_EQ(synVerdict(queues(8, 0, 8), cookies(0)), SynVerdict::Queue);
}

TEST(ListenQueues, FullSynQueueAnswersWithACookieWhenEnabled) {
    EXPECT_EQ(synVerdict(queues(9, 0, 8), cookies(1)), SynVerdict::Cookie);
    EXPECT_EQ(synVerdict(queues(8, 0, 8), cookies(1)), SynVerdict::Queue);
}

TEST(ListenQueues, SyncookiesTwoAlwaysSendsCookies) {
    EXPECT_EQ(synVerdict(queues(0, 0, 8), cookies(2)), SynVerdict::Cookie);
}

TEST(ListenQueues, FullAcceptQueueDropsTheSynEvenWithCookies) {
    for (const int c : {0, 1, 2}) {
        EXPECT_EQ(synVerdict(queues(0, 9, 8), cookies(c)), SynVerdict::DropAcceptQueueFull) << c;
    }
    // A full SYN queue without cookies is dropped before the accept queue is looked at.
    EXPECT_EQ(synVerdict(queues(9, 9, 8), cookies(0)), SynVerdict::DropSynQueueFull);
}

TEST(ListenQueues, MaxSynBacklogKeepsItsLastQuarterOnlyWithoutCookies) {
    Sysctls s = cookies(0);
    s.tcpMaxSynBacklog = 8; // 8 >> 2 = 2: drop once fewer than 2 places are left
    EXPECT_EQ(synVerdict(queues(6, 0, 100), s), SynVerdict::Queue);
    EXPECT_EQ(synVerdict(queues(7, 0, 100), s), SynVerdict::DropMaxSynBacklog);
    s.tcpSyncookies = 1;
    EXPECT_EQ(synVerdict(queues(7, 0, 100), s), SynVerdict::Queue);
}

TEST(ListenQueues, FinalAckOnAFullAcceptQueueIsIgnoredOrReset) {
    Sysctls s;
    EXPECT_EQ(finalAckVerdict(queues(1, 8, 8), s), FinalAckVerdict::Accept);
    EXPECT_EQ(finalAckVerdict(queues(1, 9, 8), s), FinalAckVerdict::Ignore);
    s.tcpAbortOnOverflow = 1;
    EXPECT_EQ(finalAckVerdict(queues(1, 9, 8), s), FinalAckVerdict::Reset);
    EXPECT_EQ(finalAckVerdict(queues(1, 8, 8), s), FinalAckVerdict::Accept);
}

} // namespace
} // namespace tcpviz::test
