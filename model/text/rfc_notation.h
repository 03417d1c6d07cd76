#pragma once

#include "text/localized.h"
#include "trace/trace.h"

#include <string>

namespace tcpviz {

struct RfcNotationOptions {
    /// Sequence numbers relative to each side's ISN (as Wireshark shows them):
    /// SEQ relative to the sender's ISN, ACK relative to the receiver's.
    bool relative = false;
    /// Prefix each line with the simulated time.
    bool times = false;
    /// Language of the remarks (lost, retransmission, timers); the notation itself
    /// is the RFC's.
    Language lang = Language::En;
    /// How the state columns name states: RFC 9293, as `ss` prints them, or both.
    StateNameStyle stateNames = StateNameStyle::Rfc9293;
};

/// The Trace in the notation of the RFC 9293 figures: one numbered line per
/// segment with each endpoint's state, `-->` for segments from TCP A (the client)
/// and `<--` from TCP B (the server); a segment still in flight when something
/// else happens ends in `...` and arrives on a later line. User calls, timers,
/// lost segments and transitions that no segment explains get lines of their own.
///
///     TCP A (192.168.0.2:52528)                          TCP B (192.168.0.1:80)
/// 1.  CLOSED                                             LISTEN
/// 2.  SYN-SENT    --> <SEQ=100><CTL=SYN>             --> SYN-RECEIVED
[[nodiscard]] std::string formatRfcNotation(const Trace& trace,
                                            const RfcNotationOptions& options = {});

/// `<SEQ=100><ACK=301><CTL=SYN,ACK>` (plus `<LEN=n>` when it carries data).
[[nodiscard]] std::string segmentNotation(const Segment& segment, Side sender,
                                          const TraceMeta& meta, bool relative);

} // namespace tcpviz
