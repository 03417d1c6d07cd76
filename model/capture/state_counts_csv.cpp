#include "capture/state_counts_csv.h"

#include <charconv>
#include <system_error>

namespace tcpviz {

std::optional<std::int64_t> parseCountsInterval(std::string_view text) {
    std::size_t digits = 0;
    while (digits < text.size() &&
           ((text[digits] >= '0' && text[digits] <= '9') || text[digits] == '.')) {
        ++digits;
    }
    double value = 0;
    const auto [ptr, ec] = std::from_chars(text.data(), text.data() + digits, value);
    if (digits == 0 || ec != std::errc{} || ptr != text.data() + digits) {
        return std::nullopt;
    }
    const std::string_view unit = text.substr(digits);
    double scale = 0;
    if (unit.empty() || unit == "s") {
        scale = 1e9;
    } else if (unit == "ms") {
        scale = 1e6;
    } else if (unit == "us") {
        scale = 1e3;
    } else if (unit == "min") {
        scale = 60e9;
    } else {
        return std::nullopt;
    }
    const double ns = value * scale;
    if (!(ns >= 1.0) || ns > 1e18) {
        return std::nullopt;
    }
    return static_cast<std::int64_t>(ns);
}

std::string formatCsvSeconds(std::int64_t ns) {
    std::string out = std::to_string(ns / 1'000'000'000);
    const std::int64_t frac = ns % 1'000'000'000;
    if (frac != 0) {
        std::string digits = std::to_string(1'000'000'000 + frac).substr(1);
        while (digits.back() == '0') {
            digits.pop_back();
        }
        out += "." + digits;
    }
    return out;
}

void writeStateCountsCsv(std::ostream& out, const StateTimeline& timeline, std::int64_t intervalNs,
                         std::int64_t startNs, std::int64_t endNs) {
    std::string buf;
    buf.reserve(1 << 16);
    buf += "time_s";
    for (const char* side : {"client_", "server_"}) {
        for (const State s : kAllStates) {
            buf += ',';
            buf += side;
            buf += stateName(s);
        }
    }
    buf += '\n';
    const std::int64_t span = endNs - startNs;
    const auto row = [&](std::int64_t offset) {
        buf += formatCsvSeconds(offset);
        const auto counts = timeline.sideCountsAt(startNs + offset);
        for (const auto& side : counts) {
            for (const auto n : side) {
                char tmp[16];
                const auto [end, ec] = std::to_chars(tmp, tmp + sizeof tmp, n);
                (void)ec;
                buf += ',';
                buf.append(tmp, end);
            }
        }
        buf += '\n';
        if (buf.size() > (1 << 16) - 512) {
            out.write(buf.data(), static_cast<std::streamsize>(buf.size()));
            buf.clear();
        }
    };
    for (std::int64_t t = 0; t < span; t += intervalNs) {
        row(t);
    }
    row(span);
    out.write(buf.data(), static_cast<std::streamsize>(buf.size()));
}

void writeStateCountsCsv(std::ostream& out, const StateTimeline& timeline,
                         std::int64_t intervalNs) {
    writeStateCountsCsv(out, timeline, intervalNs, timeline.startNs(), timeline.endNs());
}

} // namespace tcpviz
