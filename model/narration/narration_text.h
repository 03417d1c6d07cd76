#pragma once

#include "tcp/state.h"
#include "text/localized.h"

#include <initializer_list>
#include <string>
#include <string_view>

// The small text tools the narration's files share (narrator.cpp, glossary.cpp);
// not part of the model's interface.

namespace tcpviz::narration {

/// "{0} sends {1}" with the arguments substituted.
[[nodiscard]] std::string fill(std::string_view pattern, std::initializer_list<std::string> args);

[[nodiscard]] inline LocalizedText both(std::string en, std::string zh) {
    return {std::move(en), std::move(zh)};
}

/// Appends `more` to `text` as a new sentence or paragraph in both languages.
void append(LocalizedText& text, const LocalizedText& more, bool paragraph = false);

[[nodiscard]] inline std::string name(State s) {
    return std::string(stateName(s));
}

[[nodiscard]] inline bool startsWith(std::string_view text, std::string_view prefix) {
    return text.substr(0, prefix.size()) == prefix;
}

} // namespace tcpviz::narration
