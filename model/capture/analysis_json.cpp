#include "capture/analysis_json.h"

#include "base/ordered_format.h"

#include <algorithm>
#include <arpa/inet.h>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <ostream>
#include <vector>

namespace tcpviz {

namespace {

/// The analyze JSON is written into a large buffer with std::to_chars and handed
/// to the stream in 1 MiB blocks: formatting every number through std::ostream's
/// locale machinery was most of `analyze --json`'s time (138 MB of JSON for
/// 100,000 connections).
class JsonWriter {
public:
    explicit JsonWriter(std::ostream& out)
        : m_stream(&out) {
        m_buf.resize(kBlock + kSlack);
    }
    /// Appends to `out` instead (a block of connections formatted on another thread).
    explicit JsonWriter(std::string& out)
        : m_text(&out) {
        m_buf.resize(kBlock + kSlack);
    }
    ~JsonWriter() { flush(); }
    JsonWriter(const JsonWriter&) = delete;
    JsonWriter& operator=(const JsonWriter&) = delete;

    JsonWriter& raw(std::string_view text) {
        if (text.size() > kSlack) {
            flush();
            put(text);
            return *this;
        }
        std::memcpy(m_buf.data() + m_used, text.data(), text.size());
        m_used += text.size();
        return maybeFlush();
    }
    JsonWriter& ch(char c) {
        m_buf[m_used++] = c;
        return maybeFlush();
    }
    template <typename Int> JsonWriter& num(Int value) {
        char* const at = m_buf.data() + m_used;
        const auto r = std::to_chars(at, at + 24, value);
        m_used += static_cast<std::size_t>(r.ptr - at);
        return maybeFlush();
    }
    JsonWriter& boolean(bool value) { return raw(value ? "true" : "false"); }
    /// A quoted string; the common case (nothing to escape) is copied as is.
    JsonWriter& str(std::string_view text) {
        const bool plain = std::all_of(text.begin(), text.end(), [](char c) {
            return static_cast<unsigned char>(c) >= 0x20 && c != '"' && c != '\\';
        });
        if (plain && text.size() + 2 <= kSlack) {
            ch('"');
            raw(text);
            return ch('"');
        }
        return raw(jsonQuote(text));
    }
    /// Seconds since the epoch with nine decimals, as Wireshark's frame.time_epoch.
    JsonWriter& epochSeconds(std::int64_t ns) {
        const std::int64_t sec = ns / 1'000'000'000;
        std::int64_t frac = ns % 1'000'000'000;
        if (frac < 0) {
            frac = -frac;
        }
        num(sec).ch('.');
        char digits[9];
        for (int i = 8; i >= 0; --i) {
            digits[i] = static_cast<char>('0' + frac % 10);
            frac /= 10;
        }
        return raw(std::string_view(digits, 9));
    }
    /// "ADDRESS:PORT" ("[ADDRESS]:PORT" for IPv6), quoted, as SocketAddress::toString.
    JsonWriter& address(const SocketAddress& a) {
        char text[INET6_ADDRSTRLEN] = {};
        if (inet_ntop(a.ip.v6 ? AF_INET6 : AF_INET, a.ip.bytes.data(), text, sizeof text) ==
            nullptr) {
            text[0] = '?';
            text[1] = 0;
        }
        ch('"');
        if (a.ip.v6) {
            ch('[');
        }
        raw(text);
        if (a.ip.v6) {
            ch(']');
        }
        return ch(':').num(a.port).ch('"');
    }

    void flush() {
        if (m_used > 0) {
            put(std::string_view(m_buf.data(), m_used));
            m_used = 0;
        }
    }

private:
    static constexpr std::size_t kBlock = std::size_t{1} << 20;
    /// Room past the block for one item (a number, a short string) before flushing.
    static constexpr std::size_t kSlack = 4096;

    JsonWriter& maybeFlush() {
        if (m_used >= kBlock) {
            flush();
        }
        return *this;
    }
    void put(std::string_view text) {
        if (m_stream != nullptr) {
            m_stream->write(text.data(), static_cast<std::streamsize>(text.size()));
        } else {
            m_text->append(text);
        }
    }

    std::ostream* m_stream = nullptr;
    std::string* m_text = nullptr;
    std::vector<char> m_buf;
    std::size_t m_used = 0;
};

void writeStates(JsonWriter& out, const std::vector<CapturedStateEntry>& states) {
    out.ch('[');
    bool first = true;
    for (const auto& e : states) {
        if (!first) {
            out.raw(", ");
        }
        first = false;
        out.raw("{\"state\": \"").raw(stateName(e.state)).raw("\", \"packet\": ").num(e.packet);
        out.raw(", \"arc\": ");
        if (e.arc) {
            out.ch('"').raw(arc(*e.arc).key).ch('"');
        } else {
            out.raw("null");
        }
        out.ch('}');
    }
    out.ch(']');
}

/// One connection's object, after a comma unless it is the first.
void writeConnection(JsonWriter& out, const ConnectionSummary& c, bool first) {
    const auto& st = c.tracker.stats();
    out.raw(first ? "" : ",").raw("\n  {\"id\": ").num(c.id);
    out.raw(", \"client\": ").address(c.client());
    out.raw(", \"server\": ").address(c.server());
    out.raw(", \"packets\": ").num(c.packets()).raw(", \"first_packet\": ").num(c.firstPacket);
    out.raw(", \"last_packet\": ").num(c.lastPacket);
    out.raw(", \"first_time\": ").epochSeconds(c.firstTimeNs);
    out.raw(", \"last_time\": ").epochSeconds(c.lastTimeNs);
    out.raw(",\n   \"bytes_client_to_server\": ").num(st.bytes[0]);
    out.raw(", \"bytes_server_to_client\": ").num(st.bytes[1]).raw(", \"syn\": ").num(st.syn);
    out.raw(", \"synack\": ").num(st.synAck).raw(", \"fin\": ").num(st.fin);
    out.raw(", \"rst\": ").num(st.rst).raw(", \"retransmissions\": ").num(st.retransmissions);
    out.raw(", \"capture_copies\": ").num(st.captureCopies);
    out.raw(", \"ignored_rst\": ").num(c.tracker.ignoredRsts());
    out.raw(", \"icmp_errors\": ").num(c.icmpErrors);
    out.raw(",\n   \"completeness\": ").num(static_cast<unsigned>(st.completeness()));
    out.raw(", \"completeness_flags\": ").str(completenessFlags(st.completeness()));
    out.raw(", \"history\": ").str(st.history());
    out.raw(", \"conn_state\": \"").raw(st.connState()).ch('"');
    out.raw(", \"mid_stream\": ").boolean(c.tracker.midStream());
    out.raw(", \"states_summarised\": ").boolean(c.summarised);
    const CapturePoint point = c.capturePoint.estimate();
    out.raw(",\n   \"capture_point\": {\"client_us\": ").num(point.clientNs / 1000);
    out.raw(", \"server_us\": ").num(point.serverNs / 1000);
    out.raw(", \"basis\": \"").raw(basisName(point.basis)).raw("\"}");
    out.raw(",\n   \"client_states\": ");
    writeStates(out, c.states(Side::Client));
    out.raw(",\n   \"server_states\": ");
    writeStates(out, c.states(Side::Server));
    out.raw(",\n   \"final_client_state\": \"").raw(stateName(c.finalState(Side::Client)));
    out.raw("\", \"final_server_state\": \"").raw(stateName(c.finalState(Side::Server))).raw("\"}");
}

} // namespace

std::string jsonQuote(std::string_view text) {
    std::string out;
    out.reserve(text.size() + 2);
    out += '"';
    for (const char ch : text) {
        const auto c = static_cast<unsigned char>(ch);
        switch (ch) {
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\r':
            out += "\\r";
            break;
        case '\t':
            out += "\\t";
            break;
        default:
            if (c < 0x20) {
                char buf[8];
                std::snprintf(buf, sizeof buf, "\\u%04x", c);
                out += buf;
            } else {
                out += ch;
            }
        }
    }
    out += '"';
    return out;
}

void writeAnalysisJson(std::ostream& stream, const AnalysisResult& r) {
    JsonWriter out(stream);
    out.raw("{\"file\": ").str(r.info.file).raw(", \"link_type\": ").num(r.info.linkType);
    out.raw(", \"packets\": ")
        .num(r.info.packets)
        .raw(", \"tcp_packets\": ")
        .num(r.info.tcpPackets)
        .raw(", \"icmp_quoted_tcp\": ")
        .num(r.info.icmpQuotedTcp)
        .raw(", \"bad_checksums\": ")
        .num(r.info.badChecksums);
    out.raw(",\n \"errors\": [");
    bool first = true;
    for (const auto& e : r.info.errors) {
        out.raw(first ? "" : ",").raw("\n  {\"packet\": ").num(e.packet);
        out.raw(", \"message\": ").str(e.message).ch('}');
        first = false;
    }
    out.raw(first ? "" : "\n ")
        .raw("],\n \"summarised_connections\": ")
        .num(r.summarisedConnections);
    out.raw(", \"detail_limit\": ").num(r.detailLimit).raw(",\n \"connections\": [");
    // The connections' text is most of the document (153 MB for 100,000): formatted
    // on both cores in blocks, written in order.
    constexpr std::size_t kConnectionsPerBlock = 4096;
    out.flush();
    formatInOrder(
        r.connections.size(), kConnectionsPerBlock,
        [&r](std::size_t begin, std::size_t end, std::string& text) {
            JsonWriter block(text);
            for (std::size_t i = begin; i < end; ++i) {
                writeConnection(block, r.connections[i], i == 0);
            }
        },
        [&stream](std::string_view text) {
            stream.write(text.data(), static_cast<std::streamsize>(text.size()));
        });
    first = r.connections.empty();
    out.raw(first ? "" : "\n ").raw("]}\n");
}

} // namespace tcpviz
