#include "base/node_pool.h"

#include <array>
#include <cstdint>
#include <deque>
#include <filesystem>
#include <gtest/gtest.h>
#include <set>
#include <vector>

namespace tcpviz {
namespace {

struct Big {
    std::uint64_t id = 0;
    std::array<std::uint8_t, 888> payload{};
};
using BigList = std::deque<Big, PoolAllocator<Big>>;

TEST(NodePool, NodesAreDistinctAlignedAndReusedAfterRelease) {
    NodePool pool;
    std::vector<void*> nodes;
    std::set<void*> seen;
    for (int i = 0; i < 5000; ++i) {
        void* n = pool.allocate(sizeof(Big));
        ASSERT_EQ(reinterpret_cast<std::uintptr_t>(n) % alignof(std::max_align_t), 0U);
        EXPECT_TRUE(seen.insert(n).second) << "node " << i << " handed out twice";
        nodes.push_back(n);
        static_cast<Big*>(n)->id = static_cast<std::uint64_t>(i); // writable
    }
    // Under AddressSanitizer every node comes from operator new (kPooled false):
    // the same calls, none of the pool's reuse.
    const std::size_t reserved = pool.reservedBytes();
    EXPECT_EQ(reserved >= 5000 * sizeof(Big), NodePool::kPooled);
    // A released node is the next one handed out: memory stays flat under the
    // live capture's evict-and-create.
    void* const released = nodes[42];
    pool.deallocate(released, sizeof(Big));
    nodes[42] = pool.allocate(sizeof(Big));
    if (NodePool::kPooled) {
        EXPECT_EQ(nodes[42], released);
    }
    for (void* n : nodes) {
        pool.deallocate(n, sizeof(Big));
    }
    for (void*& n : nodes) {
        n = pool.allocate(sizeof(Big));
    }
    EXPECT_EQ(pool.reservedBytes(), reserved) << "freed nodes were not reused";
    for (void* n : nodes) {
        pool.deallocate(n, sizeof(Big));
    }
    // Another size is not a node and does not disturb the pool.
    void* other = pool.allocate(3 * sizeof(Big));
    pool.deallocate(other, 3 * sizeof(Big));
}

TEST(NodePool, LargeChunksAreAdvisedHugePagesSmallOnesAreNot) {
    if (!NodePool::kPooled) {
        // Under AddressSanitizer every node comes from operator new by design.
        NodePool pool;
        void* n = pool.allocate(sizeof(Big));
        EXPECT_EQ(pool.reservedBytes(), 0U);
        pool.deallocate(n, sizeof(Big));
        return;
    }
    NodePool small;
    (void)small.allocate(sizeof(Big));
    EXPECT_GT(small.reservedBytes(), 0U);
    EXPECT_LT(small.reservedBytes(), std::size_t{64} << 10) << "a lesson's one connection";
    EXPECT_EQ(small.hugePageBytes(), 0U);

    NodePool large;
    for (int i = 0; i < 20'000; ++i) { // 18 MB, as for 20,000 connections
        (void)large.allocate(sizeof(Big));
    }
    EXPECT_LT(large.reservedBytes(), std::size_t{64} << 20);
    if (std::filesystem::exists("/sys/kernel/mm/transparent_hugepage/enabled")) {
        EXPECT_GT(large.hugePageBytes(), large.reservedBytes() / 2);
    }
}

TEST(PoolAllocator, ADequeKeepsItsElementsThroughMovesCopiesAndEviction) {
    BigList list;
    for (std::uint64_t i = 0; i < 3000; ++i) {
        list.emplace_back().id = i;
    }
    const Big* first = &list[0];
    BigList moved = std::move(list);
    EXPECT_EQ(&moved[0], first) << "a move hands the nodes over";
    list.clear();
    list.emplace_back().id = 7; // the moved-from list is still usable
    EXPECT_EQ(list.front().id, 7U);

    BigList copy = moved; // a pool of its own
    EXPECT_FALSE(copy.get_allocator() == moved.get_allocator());
    for (std::uint64_t i = 0; i < 3000; ++i) {
        ASSERT_EQ(copy[i].id, i);
    }
    // Evict from the front and add at the back, as live capture does.
    for (std::uint64_t i = 3000; i < 9000; ++i) {
        moved.pop_front();
        moved.emplace_back().id = i;
    }
    EXPECT_EQ(moved.size(), 3000U);
    EXPECT_EQ(moved.front().id, 6000U);
    EXPECT_EQ(moved.back().id, 8999U);
    if (NodePool::kPooled) {
        // The evicted nodes were reused: no more chunks than 3,000 nodes need.
        EXPECT_LE(moved.get_allocator().pool()->reservedBytes(),
                  2 * 3001 * sizeof(Big) + (64U << 10));
    }
    copy = moved; // copy assignment shares the source's pool
    EXPECT_EQ(copy.back().id, 8999U);
}

} // namespace
} // namespace tcpviz
