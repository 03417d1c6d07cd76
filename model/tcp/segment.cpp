#include "segment.h"

#include <array>
#include <cctype>

namespace tcpviz {

namespace {
struct FlagName {
    std::uint8_t bit;
    std::string_view name;
};
constexpr std::array kFlagOrder{
    FlagName{flag::SYN, "SYN"}, FlagName{flag::FIN, "FIN"}, FlagName{flag::RST, "RST"},
    FlagName{flag::PSH, "PSH"}, FlagName{flag::URG, "URG"}, FlagName{flag::ACK, "ACK"},
    FlagName{flag::ECE, "ECE"}, FlagName{flag::CWR, "CWR"},
};
} // namespace

std::string flagsToString(std::uint8_t flags) {
    std::string out;
    for (const auto& f : kFlagOrder) {
        if ((flags & f.bit) != 0) {
            if (!out.empty()) {
                out += ',';
            }
            out += f.name;
        }
    }
    return out.empty() ? std::string("NONE") : out;
}

std::optional<std::uint8_t> parseFlags(std::string_view text) {
    std::uint8_t flags = 0;
    std::string word;
    auto flush = [&]() -> bool {
        if (word.empty()) {
            return true;
        }
        for (const auto& f : kFlagOrder) {
            if (word == f.name) {
                flags |= f.bit;
                word.clear();
                return true;
            }
        }
        if (word == "NONE") {
            word.clear();
            return true;
        }
        return false;
    };
    for (char c : text) {
        if (c == ',' || c == '|' || c == '+') {
            if (word.empty() || !flush()) {
                return std::nullopt;
            }
        } else if (c != ' ') {
            word.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
        }
    }
    if (word.empty() || !flush()) {
        return std::nullopt;
    }
    return flags;
}

} // namespace tcpviz
