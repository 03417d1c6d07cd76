#include "scenario/library.h"

#include <algorithm>
#include <array>
#include <filesystem>
#include <tuple>

namespace tcpviz {

namespace {

// Course order: a scenario builds on the ones before it. Files not listed here
// still appear, after these, sorted by topic and id.
constexpr std::array<std::string_view, 37> kCourseOrder{
    "lecture",
    "three-way-handshake",
    "lost-syn",
    "simultaneous-open",
    "old-duplicate-syn",
    "ipv6-handshake",
    "data-exchange",
    "lost-data",
    "close-client-first",
    "close-server-first",
    "three-way-close",
    "half-close",
    "close-wait-myths",
    "simultaneous-close",
    "fin-wait-1-to-time-wait",
    "lost-final-ack",
    "time-wait-expiry",
    "time-wait-myths",
    "time-wait-assassination",
    "time-wait-reconnect",
    "fin-wait-2-timeout",
    "connection-refused",
    "rst-in-established",
    "network-failure",
    "abort-linger-zero",
    "linger-zero-old-duplicate",
    "close-with-unread-data",
    "syn-retries-linux",
    "challenge-ack",
    "syn-flood-half-open",
    "synack-retries-old-rto",
    // Many connections: one listener, many clients (a scenario with `load:`).
    "syn-flood",
    "syn-cookies",
    "accept-queue-overflow",
    "time-wait-pileup",
    "close-wait-leak",
    "server-restart-reuseaddr",
};

std::size_t rankOf(const Scenario& s) {
    const auto it = std::find(kCourseOrder.begin(), kCourseOrder.end(), s.id);
    return static_cast<std::size_t>(it - kCourseOrder.begin());
}

std::size_t topicRank(const Scenario& s) {
    const auto it = std::find(kScenarioTopics.begin(), kScenarioTopics.end(), s.topic);
    return static_cast<std::size_t>(it - kScenarioTopics.begin());
}

struct Library {
    std::vector<Scenario> scenarios;
    std::vector<Error> errors;
};

const Library& library() {
    static const Library kLibrary = [] {
        Library lib;
        for (const auto& file : detail::embeddedScenarioFiles()) {
            // Named after the source path so that a broken built-in is easy to find.
            auto result =
                parseScenarioText(file.text, "resources/scenarios/" + std::string(file.fileName));
            if (result.has_value()) {
                lib.scenarios.push_back(std::move(*result));
            } else {
                lib.errors.push_back(result.error());
            }
        }
        std::stable_sort(lib.scenarios.begin(), lib.scenarios.end(),
                         [](const Scenario& a, const Scenario& b) {
                             const auto ka = std::tuple(rankOf(a), topicRank(a), a.id);
                             const auto kb = std::tuple(rankOf(b), topicRank(b), b.id);
                             return ka < kb;
                         });
        return lib;
    }();
    return kLibrary;
}

} // namespace

const std::vector<Scenario>& builtinScenarios() {
    return library().scenarios;
}

const std::vector<Error>& builtinScenarioErrors() {
    return library().errors;
}

const std::vector<EmbeddedScenarioFile>& builtinScenarioFiles() {
    return detail::embeddedScenarioFiles();
}

std::optional<Scenario> findBuiltinScenario(std::string_view id) {
    const auto& all = builtinScenarios();
    const auto it =
        std::find_if(all.begin(), all.end(), [&](const Scenario& s) { return s.id == id; });
    if (it == all.end()) {
        return std::nullopt;
    }
    return *it;
}

Result<Scenario> loadScenario(const std::string& idOrPath) {
    // Ids never contain '/' or ".yaml", so a built-in hit is what the user meant.
    if (auto builtin = findBuiltinScenario(idOrPath)) {
        return std::move(*builtin);
    }
    std::error_code ec;
    const bool looksLikePath = idOrPath.find('/') != std::string::npos ||
                               idOrPath.ends_with(".yaml") || idOrPath.ends_with(".yml") ||
                               std::filesystem::exists(idOrPath, ec);
    if (!looksLikePath) {
        return fail(idOrPath, "no built-in scenario with this id and no such file "
                              "(`tcpviz-cli list` shows the built-in ids)");
    }
    return parseScenarioFile(idOrPath);
}

} // namespace tcpviz
