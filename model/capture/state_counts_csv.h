#pragma once

#include "capture/state_timeline.h"

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>

namespace tcpviz {

/// "250ms", "1s", "2min", "100us" or a bare number of seconds, in nanoseconds;
/// nullopt when it is not a positive duration.
[[nodiscard]] std::optional<std::int64_t> parseCountsInterval(std::string_view text);

/// Seconds with up to nanosecond digits and no trailing zeros: "0", "1.5", "0.000001".
[[nodiscard]] std::string formatCsvSeconds(std::int64_t ns);

/// The CSV of endpoints per state (`tcpviz-cli analyze --counts`, the window's
/// "Export states chart" as CSV): `time_s`, then `client_STATE` for every state
/// in RFC 9293 order, then `server_STATE`; one row every `intervalNs` from
/// `startNs`, and one at `endNs` (the final states). time_s counts from `startNs`.
void writeStateCountsCsv(std::ostream& out, const StateTimeline& timeline, std::int64_t intervalNs,
                         std::int64_t startNs, std::int64_t endNs);
/// The same over the timeline's own span (its first packet to its last).
void writeStateCountsCsv(std::ostream& out, const StateTimeline& timeline, std::int64_t intervalNs);

} // namespace tcpviz
