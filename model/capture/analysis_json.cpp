#include "capture/analysis_json.h"

#include <cstdio>
#include <ostream>

namespace tcpviz {

namespace {

std::string epochSeconds(std::int64_t ns) {
    char buf[48];
    const std::int64_t sec = ns / 1'000'000'000;
    std::int64_t frac = ns % 1'000'000'000;
    if (frac < 0) {
        frac = -frac;
    }
    std::snprintf(buf, sizeof buf, "%lld.%09lld", static_cast<long long>(sec),
                  static_cast<long long>(frac));
    return buf;
}

void writeStates(std::ostream& out, const std::vector<CapturedStateEntry>& states) {
    out << '[';
    bool first = true;
    for (const auto& e : states) {
        if (!first) {
            out << ", ";
        }
        first = false;
        out << "{\"state\": \"" << stateName(e.state) << "\", \"packet\": " << e.packet
            << ", \"arc\": ";
        if (e.arc) {
            out << '"' << arc(*e.arc).key << '"';
        } else {
            out << "null";
        }
        out << '}';
    }
    out << ']';
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

void writeAnalysisJson(std::ostream& out, const AnalysisResult& r) {
    out << "{\"file\": " << jsonQuote(r.info.file) << ", \"link_type\": " << r.info.linkType
        << ", \"packets\": " << r.info.packets << ", \"tcp_packets\": " << r.info.tcpPackets
        << ",\n \"errors\": [";
    bool first = true;
    for (const auto& e : r.info.errors) {
        out << (first ? "" : ",") << "\n  {\"packet\": " << e.packet
            << ", \"message\": " << jsonQuote(e.message) << '}';
        first = false;
    }
    out << (first ? "" : "\n ") << "],\n \"summarised_connections\": " << r.summarisedConnections
        << ", \"detail_limit\": " << r.detailLimit << ",\n \"connections\": [";
    first = true;
    for (const auto& c : r.connections) {
        const auto& st = c.tracker.stats();
        out << (first ? "" : ",") << "\n  {\"id\": " << c.id
            << ", \"client\": " << jsonQuote(c.client().toString())
            << ", \"server\": " << jsonQuote(c.server().toString())
            << ", \"packets\": " << c.packets() << ", \"first_packet\": " << c.firstPacket
            << ", \"last_packet\": " << c.lastPacket
            << ", \"first_time\": " << epochSeconds(c.firstTimeNs)
            << ", \"last_time\": " << epochSeconds(c.lastTimeNs)
            << ",\n   \"bytes_client_to_server\": " << st.bytes[0]
            << ", \"bytes_server_to_client\": " << st.bytes[1] << ", \"syn\": " << st.syn
            << ", \"synack\": " << st.synAck << ", \"fin\": " << st.fin << ", \"rst\": " << st.rst
            << ", \"retransmissions\": " << st.retransmissions
            << ", \"ignored_rst\": " << c.tracker.ignoredRsts()
            << ",\n   \"completeness\": " << static_cast<unsigned>(st.completeness())
            << ", \"completeness_flags\": " << jsonQuote(completenessFlags(st.completeness()))
            << ", \"history\": " << jsonQuote(st.history()) << ", \"conn_state\": \""
            << st.connState() << '"'
            << ", \"mid_stream\": " << (c.tracker.midStream() ? "true" : "false")
            << ", \"states_summarised\": " << (c.summarised ? "true" : "false");
        const CapturePoint point = c.capturePoint.estimate();
        out << ",\n   \"capture_point\": {\"client_us\": " << point.clientNs / 1000
            << ", \"server_us\": " << point.serverNs / 1000 << ", \"basis\": \""
            << basisName(point.basis) << "\"}"
            << ",\n   \"client_states\": ";
        writeStates(out, c.states(Side::Client));
        out << ",\n   \"server_states\": ";
        writeStates(out, c.states(Side::Server));
        out << ",\n   \"final_client_state\": \"" << stateName(c.finalState(Side::Client))
            << "\", \"final_server_state\": \"" << stateName(c.finalState(Side::Server)) << "\"}";
        first = false;
    }
    out << (first ? "" : "\n ") << "]}\n";
}

} // namespace tcpviz
