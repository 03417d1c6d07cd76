#include "narration/narration_text.h"

namespace tcpviz::narration {

std::string fill(std::string_view pattern, std::initializer_list<std::string> args) {
    std::string out;
    out.reserve(pattern.size() + 32);
    for (std::size_t i = 0; i < pattern.size(); ++i) {
        if (pattern[i] == '{' && i + 2 < pattern.size() && pattern[i + 2] == '}' &&
            pattern[i + 1] >= '0' && pattern[i + 1] <= '9') {
            const auto n = static_cast<std::size_t>(pattern[i + 1] - '0');
            if (n < args.size()) {
                out += *(args.begin() + n);
                i += 2;
                continue;
            }
        }
        out.push_back(pattern[i]);
    }
    return out;
}

void append(LocalizedText& text, const LocalizedText& more, bool paragraph) {
    if (more.empty()) {
        return;
    }
    const char* sep = paragraph ? "\n\n" : " ";
    text.en += text.en.empty() ? more.en : sep + more.en;
    text.zh += text.zh.empty() ? more.zh : (paragraph ? "\n\n" : "") + more.zh;
}

} // namespace tcpviz::narration
