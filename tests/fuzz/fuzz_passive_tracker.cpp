// The flow table and PassiveTracker (through the Analyzer, as capture files and
// live capture use them) driven by arbitrary segment sequences. Each packet takes
// a few bytes: which of a handful of endpoints sent it to which (so tuples collide,
// reverse and get reused), flags, sequence and acknowledgment numbers that are
// usually near the previous ones (so handshakes, retransmissions and closes are
// actually reached), length, window and options.
#include "capture/analysis_json.h"
#include "capture/analyzer.h"
#include "capture/connection_trace.h"
#include "capture/packet.h"
#include "capture/state_timeline.h"
#include "fuzz_input.h"

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <sstream>
#include <vector>

namespace {

using tcpviz::fuzz::FuzzInput;

tcpviz::SocketAddress endpoint(std::uint8_t pick) {
    tcpviz::SocketAddress a;
    const bool v6 = (pick & 0x10U) != 0;
    a.ip.v6 = v6;
    a.ip.bytes.at(0) = v6 ? 0x20 : 10;
    a.ip.bytes.at(v6 ? 15 : 3) = static_cast<std::uint8_t>(1 + (pick & 0x3U));
    static constexpr std::array<std::uint16_t, 4> kPorts{80, 443, 50000, 50001};
    a.port = kPorts.at((pick >> 2) & 0x3U);
    return a;
}

/// A sequence number near the last one used (or anywhere, sometimes).
std::uint32_t near(FuzzInput& in, std::uint32_t last) {
    const std::uint8_t how = in.u8();
    if (how < 64) {
        return last;
    }
    if (how < 192) {
        return last + static_cast<std::uint32_t>(static_cast<std::int8_t>(in.u8()));
    }
    if (how < 224) {
        return last + in.u16();
    }
    return in.u32();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size > 16384) {
        return -1;
    }
    FuzzInput in(data, size);
    tcpviz::AnalyzeOptions options;
    options.detailLimit = in.u8() % 8; // exercise the summarised path too
    tcpviz::Analyzer analyzer(options);
    std::vector<tcpviz::DecodedPacket> packets;

    std::uint32_t lastSeq = in.u32();
    std::uint32_t lastAck = in.u32();
    std::int64_t timeNs = 1'700'000'000'000'000'000LL;
    std::uint64_t number = 0;
    while (!in.empty() && packets.size() < 2000) {
        tcpviz::DecodedPacket p;
        p.number = ++number;
        const std::uint8_t step = in.u8();
        timeNs +=
            step < 250 ? step * 1000LL : -static_cast<std::int64_t>(in.u16()); // time may go back
        p.timeNs = timeNs;
        const std::uint8_t who = in.u8();
        p.src = endpoint(who);
        p.dst = endpoint(static_cast<std::uint8_t>(who >> 5 | (who & 0x10U)));
        p.tcp.srcPort = p.src.port;
        p.tcp.dstPort = p.dst.port;
        p.tcp.flags = in.u8();
        p.tcp.seq = near(in, lastSeq);
        p.tcp.ack = near(in, lastAck);
        if (in.flag()) { // peers swap roles: next packet answers this one
            lastSeq = p.tcp.ack;
            lastAck = p.tcp.seq + p.tcp.seqLen();
        } else {
            lastSeq = p.tcp.seq;
            lastAck = p.tcp.ack;
        }
        const std::uint8_t len = in.u8();
        p.tcp.len = len < 128 ? 0U : len < 250 ? len * 8U : in.u32();
        p.tcp.window = in.u16();
        const std::uint8_t opts = in.u8();
        if ((opts & 1U) != 0) {
            p.tcp.options.mss = in.u16();
        }
        if ((opts & 2U) != 0) {
            p.tcp.options.windowScale = in.u8();
        }
        p.tcp.options.sackPermitted = (opts & 4U) != 0;
        if ((opts & 8U) != 0) {
            p.tcp.options.timestamp = std::pair{in.u32(), in.u32()};
        }
        if ((opts & 16U) != 0) {
            p.tcp.options.sackBlocks.emplace_back(near(in, lastAck), near(in, lastAck));
        }
        p.malformed = (opts & 0x60U) == 0x60U;
        p.fragment = (opts & 0x80U) != 0;
        p.wireLen = p.capturedLen = 40 + p.tcp.len % 1500;

        const auto added = analyzer.add(p);
        if (added.connection >= analyzer.connections().size()) {
            std::abort();
        }
        for (const auto& t : added.step) {
            if (static_cast<std::size_t>(t.to) >= tcpviz::kStateCount) {
                std::abort();
            }
        }
        if (analyzer.connections().at(added.connection).tracker.inferenceAnomalies() != 0) {
            std::abort(); // an inference rule named an arc that does not start here
        }
        packets.push_back(p);
    }

    // Everything a user sees afterwards: the JSON, the state lists, the heat map and
    // a steppable trace of the first connection.
    tcpviz::AnalysisResult result = analyzer.finish({});
    std::ostringstream json;
    tcpviz::writeAnalysisJson(json, result);
    for (const auto& c : result.connections) {
        (void)c.states(tcpviz::Side::Client);
        (void)c.states(tcpviz::Side::Server);
        (void)c.tracker.tcb(tcpviz::Side::Client);
    }
    const tcpviz::StateTimeline timeline(result.connections);
    (void)timeline.countsAt(timeline.startNs() + (timeline.endNs() - timeline.startNs()) / 2);

    if (!packets.empty()) {
        const auto& a = packets.front().src;
        const auto& b = packets.front().dst;
        std::vector<tcpviz::DecodedPacket> one;
        for (const auto& p : packets) {
            if ((p.src == a && p.dst == b) || (p.src == b && p.dst == a)) {
                one.push_back(p);
            }
        }
        const tcpviz::Trace trace = tcpviz::buildConnectionTrace(one);
        (void)trace.states(tcpviz::Side::Client);
        if (trace.size() > 0) {
            (void)trace.snapshotAt(trace.size());
        }
    }
    return 0;
}
