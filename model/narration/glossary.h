#pragma once

#include "tcp/arc.h"
#include "tcp/state.h"
#include "text/localized.h"

#include <string>

namespace tcpviz {

/// Why an endpoint takes this arc of the state diagram (hover text of the graph).
[[nodiscard]] LocalizedText arcExplanation(ArcId arc);

/// What being in this state means, for TCP and for the application (hover text).
[[nodiscard]] LocalizedText stateExplanation(State state);

/// The first half of every rst-* arc's explanation (a valid RST arrived in `from`);
/// who is told depends on the trace, so the narration adds that.
[[nodiscard]] LocalizedText rstDeletes(const std::string& from);

} // namespace tcpviz
