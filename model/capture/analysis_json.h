#pragma once

#include "capture/analyzer.h"

#include <iosfwd>
#include <string>
#include <string_view>

namespace tcpviz {

/// Writes the `tcpviz-cli analyze --json` document (ARCHITECTURE.md, "analyze
/// FILE --json"): file, link_type, packets, tcp_packets, errors, connections with
/// every contract field. Streams as it goes, so 100k connections need no DOM.
///
/// Added beyond the contract (additive, never renamed): `completeness_flags`,
/// `ignored_rst`, `first_time`, `last_time` (seconds since the epoch, as
/// Wireshark's frame.time_epoch), `states_summarised` per connection, and
/// `summarised_connections` / `detail_limit` at the top level.
void writeAnalysisJson(std::ostream& out, const AnalysisResult& result);

/// The JSON string literal for `text` (quotes included, control characters escaped).
[[nodiscard]] std::string jsonQuote(std::string_view text);

} // namespace tcpviz
