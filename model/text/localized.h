#pragma once

#include <string>

namespace tcpviz {

enum class Language : unsigned char { En, Zh };

/// A text shipped in English and Simplified Chinese (scenario titles, narration).
/// The model carries both; the interface picks one.
struct LocalizedText {
    std::string en;
    std::string zh;

    /// The text in `lang`, falling back to English when that translation is missing.
    [[nodiscard]] const std::string& in(Language lang) const {
        return (lang == Language::Zh && !zh.empty()) ? zh : en;
    }
    [[nodiscard]] bool empty() const { return en.empty() && zh.empty(); }
    bool operator==(const LocalizedText&) const = default;
};

} // namespace tcpviz
