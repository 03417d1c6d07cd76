// FlowTable: 4-tuples to connections, collisions and erasure.
#include "capture/flow_table.h"
#include "capture/wire.h"

#include <gtest/gtest.h>
#include <string>
#include <vector>

namespace tcpviz {
namespace {

TEST(FlowTable, EraseKeepsEveryOtherCollidingFlowReachable) {
    // Few distinct hashes, so probe runs are long and wrap around the table.
    FlowTable table(16);
    const auto hashOf = [](std::uint32_t id) { return (id * 7U) % 13U + 0xFFFFFFF0U; };
    constexpr std::uint32_t kFlows = 300;
    for (std::uint32_t id = 0; id < kFlows; ++id) {
        const auto slot = table.findOrAdd(hashOf(id), id, [](std::uint32_t) { return false; });
        ASSERT_TRUE(slot.created);
    }
    for (std::uint32_t id = 0; id < kFlows; id += 3) {
        table.erase(hashOf(id), id);
    }
    table.erase(hashOf(1), 999'999); // not stored: nothing happens
    EXPECT_EQ(table.size(), kFlows - kFlows / 3);
    for (std::uint32_t id = 0; id < kFlows; ++id) {
        const auto slot =
            table.findOrAdd(hashOf(id), 100'000 + id, [id](std::uint32_t c) { return c == id; });
        if (id % 3 == 0) {
            EXPECT_TRUE(slot.created) << id << " was erased";
        } else {
            EXPECT_FALSE(slot.created) << id << " must still be found";
            EXPECT_EQ(slot.connection, id);
        }
    }
}

} // namespace
} // namespace tcpviz
