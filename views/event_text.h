#pragma once

#include "trace/trace.h"
#include "view_settings.h"

#include <QString>

namespace tcpviz {

/// Sequence number as shown: relative to the sender's ISN when settings ask for it
/// (signed, as Wireshark and `simulate --relative` write it: an old SYN below the
/// ISN is -10, not 4294967286).
[[nodiscard]] std::int64_t shownSeq(const Trace& trace, Side sender, std::uint32_t seq,
                                    const ViewSettings& settings);
/// Acknowledgement number as shown: relative to the receiver's ISN when asked.
[[nodiscard]] std::int64_t shownAck(const Trace& trace, Side sender, std::uint32_t ack,
                                    const ViewSettings& settings);

/// The textbook arrow label: `SYN,ACK seq=0 ack=1` plus ` len=100` when it carries data.
[[nodiscard]] QString segmentLabel(const Trace& trace, const TraceEvent& send,
                                   const ViewSettings& settings);

/// One line describing any event, used when no narration is available
/// ("client sends SYN seq=0", "server: LISTEN -> SYN-RECEIVED (rcv SYN / snd SYN,ACK)").
[[nodiscard]] QString eventDescription(const Trace& trace, std::size_t eventIndex,
                                       const ViewSettings& settings);

/// A producer's remark on an event (TraceEvent::note, TraceEvent::callError) in
/// the interface language. The model has no Qt and writes these in English
/// ("lost in the network", "ABORT (SO_LINGER 0)"); the ones it is known to
/// write are in the catalogue (context "tcpviz::EventNote"), anything else is
/// shown as written.
[[nodiscard]] QString noteText(std::string_view note);

/// "1.250 s", "40 ms", "120 us": a duration at a sensible precision.
[[nodiscard]] QString formatDuration(std::int64_t us);

[[nodiscard]] inline QString toQString(std::string_view s) {
    return QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size()));
}

} // namespace tcpviz
