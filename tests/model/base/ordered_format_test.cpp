// formatInOrder: blocks formatted on two threads, written in item order.
#include "base/ordered_format.h"

#include <gtest/gtest.h>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace tcpviz {
namespace {

struct Formatted {
    std::string text;
    std::vector<std::size_t> writes; ///< bytes of each write
    std::set<std::thread::id> threads;
};

Formatted formatted(std::size_t n, std::size_t block) {
    Formatted r;
    std::mutex m;
    formatInOrder(
        n, block,
        [&](std::size_t begin, std::size_t end, std::string& out) {
            EXPECT_TRUE(out.empty());
            EXPECT_LT(begin, end);
            EXPECT_LE(end - begin, block);
            for (std::size_t i = begin; i < end; ++i) {
                out += std::to_string(i) + ',';
            }
            const std::lock_guard lock(m);
            r.threads.insert(std::this_thread::get_id());
        },
        [&](std::string_view text) {
            r.text += text;
            r.writes.push_back(text.size());
        });
    return r;
}

std::string expected(std::size_t n) {
    std::string s;
    for (std::size_t i = 0; i < n; ++i) {
        s += std::to_string(i) + ',';
    }
    return s;
}

TEST(FormatInOrder, EveryItemOnceInOrderWhateverTheBlocks) {
    for (const std::size_t n : {0U, 1U, 7U, 8U, 9U, 16U, 17U, 100U, 1000U}) {
        for (const std::size_t block : {1U, 3U, 8U, 64U, 5000U}) {
            const Formatted r = formatted(n, block);
            EXPECT_EQ(r.text, expected(n)) << n << " " << block;
            EXPECT_EQ(r.writes.size(), (n + block - 1) / block) << n << " " << block;
        }
    }
}

TEST(FormatInOrder, UsesASecondThreadOnlyForASecondBlock) {
    EXPECT_EQ(formatted(10, 10).threads.size(), 1U);
    EXPECT_EQ(*formatted(10, 10).threads.begin(), std::this_thread::get_id());
    EXPECT_EQ(formatted(100, 10).threads.size(), 2U);
}

} // namespace
} // namespace tcpviz
