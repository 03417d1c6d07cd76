// A small recursive reader of packetdrill lines: "<time> <call or segment>".
#include "replay/packetdrill_reader.h"

#include "tcp/segment.h"

#include <cctype>
#include <charconv>
#include <cmath>
#include <utility>

namespace tcpviz {

namespace {

/// A cursor over one line that knows its column for error messages.
class LineReader {
public:
    LineReader(std::string_view text, int line, const std::string& file)
        : m_text(text)
        , m_line(line)
        , m_file(file) {}

    void skipSpace() {
        while (m_pos < m_text.size() && (m_text[m_pos] == ' ' || m_text[m_pos] == '\t')) {
            ++m_pos;
        }
    }
    [[nodiscard]] bool atEnd() {
        skipSpace();
        return m_pos >= m_text.size();
    }
    [[nodiscard]] char peek() const { return m_pos < m_text.size() ? m_text[m_pos] : '\0'; }
    [[nodiscard]] std::size_t pos() const { return m_pos; }
    void advance(std::size_t n = 1) { m_pos = std::min(m_text.size(), m_pos + n); }
    [[nodiscard]] std::string_view rest() const { return m_text.substr(m_pos); }

    /// Consumes `word` if the line continues with it (after spaces).
    bool accept(std::string_view word) {
        skipSpace();
        if (rest().substr(0, word.size()) == word) {
            m_pos += word.size();
            return true;
        }
        return false;
    }

    /// A run of characters for which `keep` holds.
    template <typename Pred> std::string_view take(Pred keep) {
        const std::size_t from = m_pos;
        while (m_pos < m_text.size() && keep(m_text[m_pos])) {
            ++m_pos;
        }
        return m_text.substr(from, m_pos - from);
    }

    /// An unsigned 32-bit decimal number.
    [[nodiscard]] Result<std::uint32_t> number(std::string_view what) {
        skipSpace();
        const std::size_t at = m_pos;
        const std::string_view digits =
            take([](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; });
        std::uint32_t v = 0;
        const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), v);
        if (digits.empty() || ec != std::errc() || end != digits.data() + digits.size()) {
            return fail(
                errorAt(at, "expected " + std::string(what) + " (a number 0 to 4294967295)"));
        }
        return v;
    }

    [[nodiscard]] Error errorAt(std::size_t column0, std::string message) const {
        Error e;
        e.file = m_file;
        e.line = m_line;
        e.column = static_cast<int>(column0) + 1;
        e.message = std::move(message);
        return e;
    }

private:
    std::string_view m_text;
    std::size_t m_pos = 0;
    int m_line = 0;
    const std::string& m_file;
};

/// "1.050000" (absolute) or "+0.2" (after the line before), in microseconds.
Result<std::int64_t> readTime(LineReader& r, std::int64_t previousUs) {
    const std::size_t at = r.pos();
    const bool relative = r.peek() == '+';
    if (relative) {
        r.advance();
    }
    const std::string_view text =
        r.take([](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0 || c == '.'; });
    double seconds = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), seconds);
    if (text.empty() || ec != std::errc() || end != text.data() + text.size()) {
        return fail(r.errorAt(at, "expected a time in seconds (\"1.050000\" or \"+0\")"));
    }
    const auto us = static_cast<std::int64_t>(std::llround(seconds * 1e6));
    return relative ? previousUs + us : us;
}

Status readSegment(LineReader& r, PacketdrillLine& out) {
    r.skipSpace();
    const std::size_t flagsAt = r.pos();
    const std::string_view letters = r.take([](char c) { return c != ' ' && c != '\t'; });
    for (const char c : letters) {
        switch (c) {
        case 'F':
            out.flags |= flag::FIN;
            break;
        case 'S':
            out.flags |= flag::SYN;
            break;
        case 'R':
            out.flags |= flag::RST;
            break;
        case 'P':
            out.flags |= flag::PSH;
            break;
        case '.':
            out.flags |= flag::ACK;
            break;
        default:
            return fail(r.errorAt(flagsAt, "unknown flag '" + std::string(1, c) +
                                               "' (packetdrill writes F S R P and . for ACK)"));
        }
    }
    if (letters.empty()) {
        return fail(r.errorAt(flagsAt, "expected the segment's flags (\"S\", \"S.\", \"P.\")"));
    }
    r.skipSpace();
    const std::size_t rangeAt = r.pos();
    auto start = r.number("the first sequence number");
    if (!start) {
        return fail(start.error());
    }
    if (!r.accept(":")) {
        return fail(r.errorAt(r.pos(), "expected ':' in start:end(length)"));
    }
    auto end = r.number("the end sequence number");
    if (!end) {
        return fail(end.error());
    }
    if (!r.accept("(")) {
        return fail(r.errorAt(r.pos(), "expected '(' in start:end(length)"));
    }
    auto len = r.number("the payload length");
    if (!len) {
        return fail(len.error());
    }
    if (!r.accept(")")) {
        return fail(r.errorAt(r.pos(), "expected ')' in start:end(length)"));
    }
    if (*end - *start != *len) {
        return fail(r.errorAt(rangeAt, "start:end(length) disagree: " + std::to_string(*end) +
                                           " - " + std::to_string(*start) + " is not " +
                                           std::to_string(*len)));
    }
    out.start = *start;
    out.len = *len;
    while (!r.atEnd()) {
        const std::size_t at = r.pos();
        if (r.accept("ack")) {
            auto ack = r.number("the acknowledgment number");
            if (!ack) {
                return fail(ack.error());
            }
            out.ack = *ack;
        } else if (r.accept("win")) {
            auto win = r.number("the window");
            if (!win) {
                return fail(win.error());
            }
            out.window = *win;
        } else if (r.peek() == '<') {
            // TCP options: "<...>" (any) or "<mss 1460>"; only the MSS is read.
            const std::size_t close = r.rest().find('>');
            if (close == std::string_view::npos) {
                return fail(r.errorAt(at, "unterminated TCP option list: expected '>'"));
            }
            r.advance();
            if (r.accept("mss")) {
                auto mss = r.number("the MSS");
                if (!mss) {
                    return fail(mss.error());
                }
                out.mss = static_cast<std::uint16_t>(*mss);
            }
            r.skipSpace();
            r.advance(r.rest().find('>') + 1);
        } else {
            return fail(r.errorAt(at, "expected \"ack N\", \"win N\" or <options>, found \"" +
                                          std::string(r.rest()) + "\""));
        }
    }
    if ((out.flags & flag::ACK) != 0 ? !out.ack.has_value() : out.ack.has_value()) {
        return fail(r.errorAt(flagsAt, out.ack ? "\"ack N\" on a segment without the ACK flag"
                                               : "a segment with the ACK flag needs \"ack N\""));
    }
    return {};
}

/// Splits "3, SOL_SOCKET, SO_LINGER, {onoff=1, linger=0}, 8" at top-level commas.
std::vector<std::string> splitArgs(std::string_view text) {
    std::vector<std::string> out;
    int depth = 0;
    std::string current;
    for (const char c : text) {
        if (c == '{' || c == '[' || c == '(') {
            ++depth;
        } else if (c == '}' || c == ']' || c == ')') {
            --depth;
        }
        if (c == ',' && depth == 0) {
            out.push_back(current);
            current.clear();
            continue;
        }
        if (!(current.empty() && c == ' ')) {
            current += c;
        }
    }
    if (!current.empty()) {
        out.push_back(current);
    }
    return out;
}

Status readCall(LineReader& r, PacketdrillLine& out) {
    const std::size_t nameAt = r.pos();
    const std::string_view name =
        r.take([](char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_'; });
    if (name.empty() || r.peek() != '(') {
        return fail(r.errorAt(nameAt, "expected '<', '>' or a socket call such as \"write(4, "
                                      "..., 100) = 100\""));
    }
    out.call = std::string(name);
    int depth = 0;
    const std::size_t open = r.pos();
    std::size_t close = std::string_view::npos;
    const std::string_view rest = r.rest();
    for (std::size_t i = 0; i < rest.size(); ++i) {
        depth += rest[i] == '(' ? 1 : rest[i] == ')' ? -1 : 0;
        if (depth == 0) {
            close = i;
            break;
        }
    }
    if (close == std::string_view::npos) {
        return fail(r.errorAt(open, "unbalanced parentheses in the call's arguments"));
    }
    out.args = splitArgs(rest.substr(1, close - 1));
    r.advance(close + 1);
    if (!r.accept("=")) {
        return fail(r.errorAt(r.pos(), "expected \"= RESULT\" after the call"));
    }
    r.skipSpace();
    const std::size_t resultAt = r.pos();
    const bool negative = r.accept("-");
    auto value = r.number("the call's result");
    if (!value) {
        return fail(r.errorAt(resultAt, "expected the call's result (a number)"));
    }
    out.returns = negative ? -static_cast<std::int64_t>(*value) : *value;
    if (!r.atEnd()) {
        out.errnoName = std::string(
            r.take([](char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }));
        // "(Operation now in progress)" is the errno's text: for people only.
    }
    return {};
}

} // namespace

std::string packetdrillFlags(std::uint8_t flags) {
    std::string out;
    for (const auto& [bit, c] :
         {std::pair{flag::FIN, 'F'}, std::pair{flag::SYN, 'S'}, std::pair{flag::RST, 'R'},
          std::pair{flag::PSH, 'P'}, std::pair{flag::ACK, '.'}}) {
        if ((flags & bit) != 0) {
            out += c;
        }
    }
    return out;
}

Result<PacketdrillScript> parsePacketdrillScript(std::string_view text,
                                                 const std::string& fileName) {
    PacketdrillScript script;
    std::int64_t previousUs = 0;
    int lineNo = 0;
    while (!text.empty()) {
        const std::size_t nl = text.find('\n');
        std::string_view line = text.substr(0, nl);
        text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
        ++lineNo;
        if (!line.empty() && line.back() == '\r') {
            line.remove_suffix(1);
        }
        LineReader r(line, lineNo, fileName);
        if (r.atEnd() || r.rest().substr(0, 2) == "//") {
            continue;
        }
        PacketdrillLine out;
        out.line = lineNo;
        auto time = readTime(r, previousUs);
        if (!time) {
            return fail(time.error());
        }
        out.timeUs = *time;
        previousUs = *time;
        r.skipSpace();
        Status read;
        if (r.peek() == '<' || r.peek() == '>') {
            out.kind =
                r.peek() == '<' ? PacketdrillLine::Kind::Inbound : PacketdrillLine::Kind::Outbound;
            r.advance();
            read = readSegment(r, out);
        } else {
            out.kind = PacketdrillLine::Kind::Call;
            read = readCall(r, out);
        }
        if (!read) {
            return fail(read.error());
        }
        script.lines.push_back(std::move(out));
    }
    return script;
}

} // namespace tcpviz
