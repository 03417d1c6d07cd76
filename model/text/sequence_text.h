#pragma once

#include "tcp/state.h"
#include "text/localized.h"
#include "trace/trace.h"

#include <string>

namespace tcpviz {

struct SequenceTextOptions {
    /// SEQ relative to the sender's ISN and ACK relative to the receiver's.
    bool relativeNumbers = true;
    StateNameStyle stateNames = StateNameStyle::Rfc9293;
    /// Language of the title and of the remarks ("lost", "retransmission", timers).
    Language language = Language::En;
    /// A note with the new state at every transition.
    bool states = true;
};

/// The exchange up to `position` (events applied) as a Mermaid sequence diagram
/// (`sequenceDiagram`): one message per segment sent, written where it arrives
/// (sequence diagrams in text have no slanted arrows), `-x` for a lost segment,
/// dashed for a retransmission, a note for each state entered, timer fired and
/// user call. Segments still in flight at `position` come last, marked so.
[[nodiscard]] std::string mermaidSequence(const Trace& trace, std::size_t position,
                                          const SequenceTextOptions& options = {});

/// The same as PlantUML (`@startuml` ... `@enduml`).
[[nodiscard]] std::string plantUmlSequence(const Trace& trace, std::size_t position,
                                           const SequenceTextOptions& options = {});

} // namespace tcpviz
