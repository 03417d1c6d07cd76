#pragma once

#include "base/error.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <gtest/gtest.h>
#include <optional>
#include <thread>

// Work that takes a cancel flag, cancelled from another thread while it runs: how
// soon it stops, and that it hands back only the cancelled Error or its whole value.

namespace tcpviz {

inline double elapsedMs(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
        .count();
}

struct CancelProbe {
    int rounds = 0;
    int stopped = 0;        ///< rounds that ended with the cancelled Error
    double fastestMs = 1e9; ///< from setting the flag to the work's return
    double slowestMs = 0;
};

/// Runs `work` `rounds` times on a thread and sets its flag after 1/(rounds+1),
/// 2/(rounds+1)... of `wholeMs` (how long it takes uncancelled). A value that comes
/// back (the work won the race) must pass `whole`; an Error must be the cancelled one.
template <typename T>
CancelProbe probeCancel(const std::function<Result<T>(const std::atomic<bool>*)>& work,
                        double wholeMs, int rounds, const std::function<bool(const T&)>& whole) {
    CancelProbe probe;
    probe.rounds = rounds;
    for (int round = 0; round < rounds; ++round) {
        std::atomic<bool> cancel{false};
        std::atomic<bool> started{false};
        std::optional<Result<T>> result;
        std::chrono::steady_clock::time_point ended;
        std::thread worker([&] {
            started = true;
            result.emplace(work(&cancel));
            ended = std::chrono::steady_clock::now();
        });
        while (!started) {
            std::this_thread::yield();
        }
        std::this_thread::sleep_for(std::chrono::microseconds(
            static_cast<std::int64_t>(wholeMs * 1000 * (round + 1) / (rounds + 1))));
        const auto cancelledAt = std::chrono::steady_clock::now();
        cancel = true;
        worker.join();
        EXPECT_TRUE(result.has_value());
        if (!result.has_value()) {
            continue;
        }
        if (*result) {
            EXPECT_TRUE(whole(**result)) << "a partial value after a cancel";
            continue;
        }
        EXPECT_TRUE(result->error().cancelled) << result->error().toString();
        ++probe.stopped;
        const double ms = std::chrono::duration<double, std::milli>(ended - cancelledAt).count();
        probe.fastestMs = std::min(probe.fastestMs, ms);
        probe.slowestMs = std::max(probe.slowestMs, ms);
    }
    return probe;
}

} // namespace tcpviz
