// tcpviz-cli analyze FILE|- [--json | --counts INTERVAL] [--filter BPF] [--detail-limit N]
//                    [--check-checksums]
// Follows every TCP connection of a capture and prints one row per connection
// (or the analyze JSON contract of ARCHITECTURE.md, or endpoints per state over
// time as CSV).
#include "base/ordered_format.h"
#include "capture/analysis_json.h"
#include "capture/analyzer.h"
#include "capture/state_counts_csv.h"
#include "capture/state_timeline.h"
#include "commands.h"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unistd.h>
#include <utility>

namespace tcpviz::cli {

namespace {

struct AnalyzeArgs {
    std::string file;
    bool json = false;
    std::string filter;
    std::size_t detailLimit = AnalyzeOptions{}.detailLimit;
    std::string counts;        ///< interval of the CSV of endpoints per state, e.g. "1s"
    std::string names = "rfc"; ///< state names of the table: rfc, linux (as ss) or both
    int threads = 2;           ///< 2: read and decode on a second thread; 1: one thread
    bool progress = false;     ///< bytes read so far on standard error
    bool checkChecksums = false;
};

/// "analyze: 1234 of 10000 MB (12%), 310 MB/s" on standard error, rewritten in place
/// at most twice a second and finished with a newline; a pipe gets one line each time.
class ProgressLine {
public:
    void operator()(std::uint64_t done, std::uint64_t total) {
        const auto now = std::chrono::steady_clock::now();
        const bool end = total != 0 && done >= total;
        if (!end && m_printed && now - m_last < std::chrono::milliseconds(500)) {
            return;
        }
        m_last = now;
        m_printed = true;
        const double seconds = std::chrono::duration<double>(now - m_start).count();
        const double mb = static_cast<double>(done) / 1e6;
        char line[160];
        if (total != 0) {
            std::snprintf(line, sizeof line, "analyze: %.0f of %.0f MB (%.0f%%), %.0f MB/s", mb,
                          static_cast<double>(total) / 1e6,
                          100.0 * static_cast<double>(done) / static_cast<double>(total),
                          seconds > 0 ? mb / seconds : 0.0);
        } else {
            std::snprintf(line, sizeof line, "analyze: %.0f MB, %.0f MB/s", mb,
                          seconds > 0 ? mb / seconds : 0.0);
        }
        std::fprintf(stderr, "%s%s%s", m_tty ? "\r" : "", line, m_tty && !end ? "" : "\n");
        std::fflush(stderr);
    }

private:
    std::chrono::steady_clock::time_point m_start = std::chrono::steady_clock::now();
    std::chrono::steady_clock::time_point m_last{};
    bool m_printed = false;
    bool m_tty = ::isatty(STDERR_FILENO) != 0;
};

// The table for 100,000 connections is written with a hand-rolled formatter into
// one buffer: printf-style formatting was a fifth of the whole analysis time.
class TableWriter {
public:
    /// Writes to `out` in 1 MiB pieces; nullptr: keeps the text (take()).
    explicit TableWriter(std::FILE* out)
        : m_out(out) {
        m_buf.reserve(1 << 20);
    }
    /// The text kept by a writer without a file.
    [[nodiscard]] std::string take() { return std::move(m_buf); }
    ~TableWriter() { flush(); }
    TableWriter(const TableWriter&) = delete;
    TableWriter& operator=(const TableWriter&) = delete;

    TableWriter& text(std::string_view s) {
        m_buf.append(s);
        return *this;
    }
    TableWriter& number(std::uint64_t v) {
        char tmp[24];
        const auto [end, ec] = std::to_chars(tmp, tmp + sizeof tmp, v);
        (void)ec;
        m_buf.append(tmp, end);
        return *this;
    }
    /// `s` left-aligned in `width` columns, then one space.
    TableWriter& left(std::string_view s, std::size_t width) {
        m_buf.append(s);
        pad(s.size(), width);
        return *this;
    }
    TableWriter& right(std::uint64_t v, std::size_t width) {
        char tmp[24];
        const auto [end, ec] = std::to_chars(tmp, tmp + sizeof tmp, v);
        (void)ec;
        const auto n = static_cast<std::size_t>(end - tmp);
        if (n < width) {
            m_buf.append(width - n, ' ');
        }
        m_buf.append(tmp, end);
        m_buf += ' ';
        return *this;
    }
    TableWriter& address(const SocketAddress& a, std::size_t width) {
        const std::size_t before = m_buf.size();
        if (!a.ip.v6) {
            for (int i = 0; i < 4; ++i) {
                number(a.ip.bytes.at(static_cast<std::size_t>(i)));
                m_buf += i < 3 ? '.' : ':';
            }
            number(a.port);
        } else {
            m_buf += a.toString();
        }
        pad(m_buf.size() - before, width);
        return *this;
    }
    void endLine() {
        m_buf += '\n';
        if (m_buf.size() > (1 << 20) - 512) {
            flush();
        }
    }
    /// Writes what is buffered (a writer without a file keeps it all in text()).
    void flush() {
        if (m_out != nullptr && !m_buf.empty()) {
            std::fwrite(m_buf.data(), 1, m_buf.size(), m_out);
            m_buf.clear();
        }
    }

private:
    void pad(std::size_t used, std::size_t width) {
        m_buf.append(used < width ? width - used : 0, ' ');
        m_buf += ' ';
    }
    std::FILE* m_out;
    std::string m_buf;
};

/// One connection's line of the table.
void tableRow(TableWriter& w, const ConnectionSummary& c, std::size_t width, StateNameStyle names) {
    const auto& st = c.tracker.stats();
    w.right(c.id, 5).address(c.client(), 28).address(c.server(), 28).right(c.packets(), 7);
    char range[48];
    const auto [mid, ec1] = std::to_chars(range, range + 20, c.firstPacket);
    *mid = '-';
    const auto [end, ec2] = std::to_chars(mid + 1, range + sizeof range, c.lastPacket);
    (void)ec1;
    (void)ec2;
    const std::string_view rangeText(range, static_cast<std::size_t>(end - range));
    if (rangeText.size() < 15) {
        w.text(std::string(15 - rangeText.size(), ' '));
    }
    w.text(rangeText).text(" ");
    w.left(stateName(c.finalState(Side::Client), names), width)
        .left(stateName(c.finalState(Side::Server), names), width);
    w.right(st.completeness(), 4).right(c.icmpErrors, 4).left(st.connState(), 6);
    w.text(st.history());
    if (c.tracker.midStream()) {
        w.text("  (mid-stream)");
    }
    w.endLine();
}

void printTable(std::FILE* out, const AnalysisResult& r, StateNameStyle names) {
    std::size_t width = 12; // "SYN-RECEIVED"
    for (const State s : kAllStates) {
        width = std::max(width, stateName(s, names).size());
    }
    TableWriter w(out);
    w.text(r.info.file).text(": ").number(r.info.packets).text(" packets, ");
    w.number(r.info.tcpPackets).text(" TCP, ").number(r.connections.size()).text(" connections");
    w.endLine();
    w.text("   id ").left("client", 28).left("server", 28).text("packets      first-last ");
    w.left("client", width)
        .left("server", width)
        .text("cmpl icmp ")
        .left("state", 6)
        .text("history");
    w.endLine();
    w.flush();
    // A row of each connection, formatted on both cores in blocks, written in order.
    constexpr std::size_t kRowsPerBlock = 8192;
    formatInOrder(
        r.connections.size(), kRowsPerBlock,
        [&r, width, names](std::size_t begin, std::size_t end, std::string& text) {
            TableWriter rows(nullptr);
            for (std::size_t i = begin; i < end; ++i) {
                tableRow(rows, r.connections[i], width, names);
            }
            text = rows.take();
        },
        [out](std::string_view text) { std::fwrite(text.data(), 1, text.size(), out); });
    if (r.summarisedConnections > 0) {
        w.text("note: state sequences of ").number(r.summarisedConnections);
        w.text(" connections past the first ").number(r.detailLimit);
        w.text(" are summarised (initial and final state only; --detail-limit raises it)");
        w.endLine();
    }
}

} // namespace

Command addAnalyzeCommand(CLI::App& app) {
    auto args = std::make_shared<AnalyzeArgs>();
    auto* sub = app.add_subcommand(
        "analyze", "Follow every TCP connection of a capture and infer both endpoints' states");
    sub->add_option("file", args->file, "pcap or pcapng file, '-' for standard input")->required();
    auto* json = sub->add_flag("--json", args->json, "print the analyze JSON document");
    sub->add_option("--counts", args->counts,
                    "print endpoints per state over time as CSV, one row every INTERVAL "
                    "(e.g. 1s, 250ms) and one at the end; client and server ends apart")
        ->excludes(json);
    sub->add_option("--filter", args->filter, "BPF filter applied while reading");
    sub->add_option("--names", args->names,
                    "state names in the table: rfc (RFC 9293, the default), linux (as ss "
                    "prints them: ESTAB, SYN-RECV) or both; --json and --counts keep RFC names")
        ->check(CLI::IsMember({"rfc", "linux", "both"}));
    sub->add_option("--detail-limit", args->detailLimit,
                    "connections whose full state sequences are kept (memory bound)");
    sub->add_option("--threads", args->threads,
                    "2 (default): read and decode on a second core while connections are "
                    "followed; 1: everything on one thread")
        ->check(CLI::Range(1, 2));
    sub->add_flag("--progress", args->progress,
                  "report the bytes read so far on standard error (large captures)");
    sub->add_flag("--check-checksums", args->checkChecksums,
                  "validate TCP checksums: a packet with a wrong one is not followed and marks "
                  "its connection's history with C (c for the server), as Zeek does; off by "
                  "default, as captures taken on a sending host hold offloaded checksums");
    return {sub, [args] {
                std::optional<std::int64_t> interval;
                if (!args->counts.empty()) {
                    interval = parseCountsInterval(args->counts);
                    if (!interval) {
                        std::cerr << "tcpviz-cli: --counts wants a positive interval such as "
                                     "1s, 250ms or 2min, got '"
                                  << args->counts << "'\n";
                        return 2;
                    }
                }
                AnalyzeOptions options;
                options.bpfFilter = args->filter;
                options.detailLimit = args->detailLimit;
                options.pipelined = args->threads > 1;
                if (args->progress) {
                    options.onProgress = ProgressLine{};
                }
                options.checkChecksums = args->checkChecksums;
                Result<AnalysisResult> analysed = analyzeCapture(args->file, options);
                if (!analysed) {
                    std::cerr << "tcpviz-cli: " << analysed.error().toString() << '\n';
                    return 1;
                }
                AnalysisResult& result = *analysed;
                for (const auto& e : result.info.errors) {
                    std::cerr << "tcpviz-cli: " << result.info.file << ": ";
                    if (e.packet > 0) {
                        std::cerr << "packet " << e.packet << ": ";
                    }
                    std::cerr << e.message << '\n';
                }
                std::ios::sync_with_stdio(false);
                if (!args->counts.empty()) {
                    writeStateCountsCsv(std::cout, StateTimeline(result.connections), *interval);
                } else if (args->json) {
                    writeAnalysisJson(std::cout, result);
                } else {
                    std::cout.flush();
                    printTable(stdout, result,
                               parseStateNameStyle(args->names).value_or(StateNameStyle::Rfc9293));
                    std::fflush(stdout);
                }
                std::cout.flush();
                // A full disk under `> report.txt` loses the report: say so.
                if (!std::cout || std::fflush(stdout) != 0 || std::ferror(stdout) != 0) {
                    std::cerr << "tcpviz-cli: cannot write to standard output: "
                              << std::strerror(errno) << '\n';
                    return 1;
                }
                return 0;
            }};
}

} // namespace tcpviz::cli
