#pragma once

#include "scenario/scenario.h"

#include <QString>

namespace tcpviz::gui {

/// True for files that should go to the capture reader (.pcap/.pcapng/.cap, or
/// a file starting with a pcap or pcapng magic number, or "-" for standard input).
[[nodiscard]] bool isCaptureFile(const QString& path);

/// Loads a scenario given a built-in id ("lecture") or a file path.
/// Errors come back as values ("FILE:LINE:COLUMN: error: ..."), never as dialogs.
[[nodiscard]] Result<Scenario> loadScenarioFrom(const QString& idOrPath);

/// Where the window writes the scenario of a replayed capture connection
/// (`fileName` under the user's cache directory, "replays/"; the folder is made).
[[nodiscard]] QString replayScenarioPath(const QString& fileName);

/// The scenario's title in the interface language.
[[nodiscard]] QString scenarioTitle(const Scenario& scenario, Language language);

} // namespace tcpviz::gui
