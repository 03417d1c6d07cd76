#pragma once

#include "base/error.h"
#include "capture/capture_point.h"
#include "capture/packet.h"
#include "tcp/profile.h"

#include <array>
#include <atomic>
#include <cstdint>
#include <optional>
#include <span>
#include <string>

// A captured connection written as a lesson: the scenario YAML that makes the
// simulator send what the capture shows (see replay_check.h for the proof).

namespace tcpviz {

struct ScenarioFromCaptureOptions {
    Profile profile = Profile::Linux;
    std::string source;           ///< the capture file, named in the comments and the title
    std::uint32_t connection = 0; ///< its number in `tcpviz-cli analyze`
    /// Why this profile (written as a comment beside `profile:`); empty: none.
    std::string profileNote;
    /// The sides in `delayedAckSides` delay their ACKs of data this long
    /// (`delays_acks`, `timers: {delayed_ack}`); none: both acknowledge at once,
    /// as in the lessons.
    std::optional<std::int64_t> delayedAckUs;
    std::array<bool, 2> delayedAckSides{true, true}; ///< client, server
    /// Sides written `quick_ack: true` (a linux side that acknowledges a FIN at
    /// once, as a route with `quickack 1` does — and as Windows does); client, server.
    std::array<bool, 2> quickAckSides{false, false};
};

/// A generated scenario and where its capture was taken.
struct CapturedScenario {
    std::string text; ///< the scenario YAML
    /// Where the capture point lies on the simulated path (0: beside the client,
    /// 1: beside the server), for writeTracePcap/tracePackets of the replay.
    double tap = 0.0;
};

/// The scenario text of one connection, from its packets in capture order and
/// the capture point's estimate of the one-way delays:
/// * the client is the side of the first SYN; addresses, ISNs (of the SYNs) and
///   each side's largest advertised window are kept;
/// * the network latency is the sum of the two one-way delays (the capture point
///   cannot tell the two directions apart); every step is timed when its segment
///   left its sender: capture time minus that side's delay;
/// * calls: `listen` for a server that answers with SYN,ACK, `connect` at a SYN,
///   `send` at each new data segment (its payload length), `close` at a FIN
///   (`shutdown` when the peer's data still arrives afterwards, which a closed
///   Linux socket would answer with RST), `abort` at a side's first RST unless
///   it answers a SYN nobody listens for; a RST after which its side sends on
///   (no endpoint's: forged, injected) becomes an `inject` step to the peer, and
///   so does data a side sends after its FIN was acknowledged (an old duplicate);
/// * faults: every copy of a segment but the last is dropped (the capture shows
///   the loss as a retransmission);
/// * a packet the capture recorded twice (CaptureCopies) is left out: TCP sent
///   it once;
/// * later connections on the same addresses and ports (collectWithReconnects:
///   a client's bare SYN with another sequence number starts one) become one
///   more `connect` each, their ISNs the later ones of `isn: [a, b]`, with a
///   `listen` again for a server whose previous connection ended CLOSED; a
///   segment of an earlier connection that turns up again in a later one (or is
///   recorded twice at once and answered there) is the network's old duplicate:
///   a `duplicate` fault of the first copy, delivered when it was answered.
/// Each step's comment names the packet it came from. The text parses under the
/// normal parser. An Error when the packets hold no SYN (a lesson starts with
/// the handshake). When `cancel` (nullptr: never) becomes true, set by another
/// thread, it stops within a few dozen packets of a pass over them: an Error marked
/// cancelled (Error::cancelled, file `options.source`), never a part of the text.
[[nodiscard]] Result<CapturedScenario>
scenarioFromCapture(std::span<const DecodedPacket> packets, const CapturePoint& point,
                    const ScenarioFromCaptureOptions& options,
                    const std::atomic<bool>* cancel = nullptr);

} // namespace tcpviz
