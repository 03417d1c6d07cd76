#pragma once

#include "text/localized.h"

#include <span>
#include <string_view>

namespace tcpviz {

/// A remark the model writes on an event, with %1, %2 where it puts a number,
/// and its Chinese. The same catalogue, as the interface's translations
/// (resources/translations, context tcpviz::EventNote), serves the GUI.
struct NoteTranslation {
    std::string_view en; ///< "retransmission %1, RTO now %2 ms"
    std::string_view zh; ///< "第 %1 次重传，RTO 现为 %2 ms"
};

/// Every remark the model is known to write (endpoint, simulator, call errors,
/// capture analyzer).
[[nodiscard]] std::span<const NoteTranslation> noteCatalogue();

/// `note` in both languages: the catalogue's Chinese with the note's numbers put
/// back in; a note the catalogue does not know is returned as written in both.
[[nodiscard]] LocalizedText localizedNote(std::string_view note);

} // namespace tcpviz
