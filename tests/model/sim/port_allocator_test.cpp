#include "sim/port_allocator.h"

#include <gtest/gtest.h>
#include <map>
#include <set>

namespace tcpviz::test {
namespace {

TEST(PortAllocator, TakesOneParityFirstThenTheOtherThenFails) {
    PortAllocator ports(10, 15);
    std::set<std::uint16_t> held;
    std::vector<std::uint16_t> order;
    for (int i = 0; i < 6; ++i) {
        const auto p = ports.allocate([&](std::uint16_t port) {
            return held.contains(port) ? PortUse::Busy : PortUse::Free;
        });
        ASSERT_TRUE(p.has_value()) << i;
        EXPECT_GE(*p, 10);
        EXPECT_LE(*p, 15);
        EXPECT_TRUE(held.insert(*p).second) << "port " << *p << " given twice";
        order.push_back(*p);
    }
    // connect() uses the even distances from the range's start before the odd ones.
    for (int i = 0; i < 3; ++i) {
        EXPECT_EQ((order[i] - 10) % 2, 0) << order[i];
        EXPECT_EQ((order[i + 3] - 10) % 2, 1) << order[i + 3];
    }
    EXPECT_FALSE(ports.allocate([&](std::uint16_t) { return PortUse::Busy; }).has_value());
}

TEST(PortAllocator, AFreedPortIsTakenAgain) {
    PortAllocator ports(100, 101);
    std::map<std::uint16_t, bool> busy{{100, true}, {101, true}};
    auto use = [&](std::uint16_t p) { return busy[p] ? PortUse::Busy : PortUse::Free; };
    EXPECT_FALSE(ports.allocate(use).has_value());
    busy[101] = false;
    EXPECT_EQ(ports.allocate(use), std::optional<std::uint16_t>(101));
}

TEST(PortAllocator, AReusableTimeWaitPortIsTakenInScanOrder) {
    // The scan stops at the first port that is free *or* reusable, as
    // __inet_hash_connect -> check_established -> tcp_twsk_unique does.
    PortAllocator ports(20, 23);
    const auto p = ports.allocate(
        [](std::uint16_t port) { return port == 20 ? PortUse::TimeWaitReusable : PortUse::Free; });
    EXPECT_EQ(p, std::optional<std::uint16_t>(20));
    PortAllocator strict(20, 23);
    const auto q = strict.allocate(
        [](std::uint16_t port) { return port == 20 ? PortUse::Busy : PortUse::Free; });
    EXPECT_EQ(q, std::optional<std::uint16_t>(22));
}

} // namespace
} // namespace tcpviz::test
