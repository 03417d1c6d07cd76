#pragma once

#include "tcp/arc.h"
#include "tcp/state.h"
#include "text/localized.h"
#include "trace/trace.h"

#include <cstddef>

namespace tcpviz {

/// How the narration writes numbers: as the reader's views do.
struct NarrationOptions {
    /// Sequence and acknowledgment numbers relative to each side's ISN (SEQ
    /// relative to the sender's, ACK to the receiver's), as the diagram shows
    /// them with that setting; raw 32-bit numbers otherwise.
    bool relativeNumbers = false;
};

/// What a good lecturer would say about event `eventIndex` of `trace`, in English
/// and Simplified Chinese: not only what happened but why (why a SYN consumes a
/// sequence number, why the ACK is ISN+1, what CLOSE-WAIT means for the
/// application, why TIME-WAIT lasts 2xMSL, ...). A scenario step's note on the
/// event (TraceMeta::stepNotes) comes first.
/// Out-of-range indices give an empty text. With relative numbers, the raw
/// numbers a step note quotes as SEQ=/ACK= are given relative, the raw one beside.
[[nodiscard]] LocalizedText narrate(const Trace& trace, std::size_t eventIndex,
                                    const NarrationOptions& options = {});

/// For a Trace from a capture that does not show the whole connection, what the
/// reader must know before trusting the states: the start was not captured (the
/// ends' first states are assumed), or only one side's packets were (the other
/// side's states are inferred from them alone). Empty otherwise.
[[nodiscard]] LocalizedText captureCaveat(const Trace& trace);

} // namespace tcpviz
