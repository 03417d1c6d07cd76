#pragma once
// The one way a test may skip. Outside CI a missing prerequisite (root, a device,
// a tool) skips the test with the reason printed; in CI, which runs as root with
// every package installed, the same condition is a failure naming what is missing,
// so a green CI run never hides a test that did not run.
#include <cstdlib>
#include <gtest/gtest.h>
#include <string_view>

namespace tcpviz::test {

/// True when the environment variable CI is set to anything but "", "0" or "false".
[[nodiscard]] inline bool inCi() {
    const char* ci = std::getenv("CI");
    if (ci == nullptr) {
        return false;
    }
    const std::string_view v(ci);
    return !v.empty() && v != "0" && v != "false";
}

} // namespace tcpviz::test

/// Skips the current test with REASON (stream syntax: `"no " << what`), or fails it
/// when running in CI.
#define TCPVIZ_SKIP(REASON)                                                                        \
    do {                                                                                           \
        if (::tcpviz::test::inCi()) {                                                              \
            FAIL() << "would skip, which CI does not allow: " << REASON;                           \
        }                                                                                          \
        GTEST_SKIP() << REASON;                                                                    \
    } while (false)
