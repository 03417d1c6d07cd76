#pragma once

#include "scenario/scenario.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tcpviz {

/// The scenario `tcpviz` opens with when started without an argument.
inline constexpr std::string_view kDefaultScenarioId = "lecture";

/// The built-in scenario library (resources/scenarios/*.yaml, compiled into the
/// model), in the order a course meets them: the default lecture first, then
/// handshake, transfer, close, reset, timers and attack lessons.
/// Parsed once; a file that fails to parse is left out (a golden test catches that).
[[nodiscard]] const std::vector<Scenario>& builtinScenarios();
/// Looks a built-in scenario up by id ("three-way-handshake").
[[nodiscard]] std::optional<Scenario> findBuiltinScenario(std::string_view id);
/// Parse errors of built-in files (empty in a healthy build).
[[nodiscard]] const std::vector<Error>& builtinScenarioErrors();

/// A built-in scenario file exactly as embedded.
struct EmbeddedScenarioFile {
    std::string_view fileName; ///< "three-way-handshake.yaml"
    std::string_view text;
};
[[nodiscard]] const std::vector<EmbeddedScenarioFile>& builtinScenarioFiles();

/// A scenario from a built-in id or a file path: an argument that names an
/// existing built-in is looked up, anything else is read as a file.
[[nodiscard]] Result<Scenario> loadScenario(const std::string& idOrPath);

namespace detail {
const std::vector<EmbeddedScenarioFile>& embeddedScenarioFiles(); ///< generated
} // namespace detail

} // namespace tcpviz
