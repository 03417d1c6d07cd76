#pragma once

#include "base/error.h"
#include "capture/analyzer.h"
#include "capture/capture_point.h"
#include "capture/packet.h"
#include "replay/scenario_from_capture.h"
#include "tcp/profile.h"

#include <array>
#include <atomic>
#include <deque>
#include <optional>
#include <span>
#include <string>
#include <vector>

// The proof of a generated scenario: simulate it, record what a sniffer at the
// capture point would see, and compare that with the capture.

namespace tcpviz {

/// The first way in which `replayed` differs from `captured` (two recordings of one
/// connection whose client is `client`): each direction's segments in order
/// (flags, sequence and acknowledgment numbers relative to that side's SYN,
/// payload length) and both sides' states as PassiveTracker infers them from the
/// packets. Empty when they are the same.
[[nodiscard]] std::string connectionDifference(std::span<const DecodedPacket> captured,
                                               std::span<const DecodedPacket> replayed);

/// A captured connection turned into a scenario and replayed.
struct ReplayResult {
    Profile profile = Profile::Linux;
    std::optional<std::int64_t> delayedAckUs; ///< as ScenarioFromCaptureOptions
    std::array<bool, 2> delayedAckSides{true, true};
    std::array<bool, 2> quickAckSides{false, false}; ///< as ScenarioFromCaptureOptions
    CapturedScenario scenario;
    std::string difference; ///< connectionDifference of the replay; empty: exact
    /// Segments of both directions that matched before the first difference.
    std::size_t matched = 0;
    [[nodiscard]] bool exact() const { return difference.empty(); }
};

/// Generates the scenario of `packets` in `options.profile`, parses it with the
/// normal parser, simulates it and compares the sniffer's view at the capture
/// point with `packets`. An Error when no scenario can be made (no SYN) or the
/// generated text does not parse (a bug, reported with its line and column).
/// When `cancel` (nullptr: never) becomes true, set by another thread because the
/// replay is no longer wanted, it stops between its stages or within
/// kCancelCheckEvery simulated happenings or built events: an Error marked
/// cancelled (Error::cancelled, file `options.source`), never a partial result.
[[nodiscard]] Result<ReplayResult> replayConnection(std::span<const DecodedPacket> packets,
                                                    const CapturePoint& point,
                                                    const ScenarioFromCaptureOptions& options,
                                                    const std::atomic<bool>* cancel = nullptr);

/// replayConnection in both profiles, each with immediate and delayed ACKs of
/// data; when none of those reproduces the capture, linux again with a side that
/// acknowledges a FIN at once (`quick_ack`). The one that reproduces the capture,
/// else the one that matches more segments before differing (linux on a tie, as
/// most captured stacks are). The scenario's `profile:` comment says which and why.
/// `cancel` stops it as it stops replayConnection, whichever replay is running.
[[nodiscard]] Result<ReplayResult> bestReplay(std::span<const DecodedPacket> packets,
                                              const CapturePoint& point,
                                              ScenarioFromCaptureOptions options,
                                              const std::atomic<bool>* cancel = nullptr);

/// Connection `n` and the later connections on the same addresses and ports
/// (either way round): a reconnect, which the analyzer, like Wireshark, counts
/// as another connection. Their indices in `connections`, `n` first.
[[nodiscard]] std::vector<std::size_t> withReconnects(const ConnectionList& connections,
                                                      std::size_t n);

/// The packets of the connections withReconnects names, in capture order (each
/// once): what scenarioFromCapture writes as one scenario with a `connect` per
/// connection. An Error if the file cannot be read.
[[nodiscard]] Result<std::vector<DecodedPacket>>
collectWithReconnects(const std::string& path, const AnalyzeOptions& options,
                      const ConnectionList& connections, std::size_t n);

} // namespace tcpviz
