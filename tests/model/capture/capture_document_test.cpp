#include "capture/capture_document.h"
#include "capture/capture_reader.h"
#include "capture/synth.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <gtest/gtest.h>
#include <optional>
#include <thread>
#include <unistd.h>

namespace tcpviz {
namespace {

namespace fs = std::filesystem;

struct SynthFile {
    explicit SynthFile(std::uint32_t connections) {
        SynthOptions o;
        o.connections = connections;
        o.dataSegments = 1;
        const Result<SynthResult> written = writeSynthCapture(o, path);
        EXPECT_TRUE(written) << written.error().toString();
    }
    ~SynthFile() { fs::remove(path); }
    SynthFile(const SynthFile&) = delete;
    SynthFile& operator=(const SynthFile&) = delete;
    std::string path =
        (fs::temp_directory_path() / ("tcpviz_document_" + std::to_string(::getpid()) + ".pcap"))
            .string();
};

std::vector<DecodedPacket> readAll(const std::string& path) {
    std::vector<DecodedPacket> packets;
    CaptureInfo info;
    EXPECT_TRUE(readCapture(
        path, {}, [&](const DecodedPacket& p) { packets.push_back(p); }, info));
    return packets;
}

TEST(CaptureDocument, OpensACaptureWithItsTimelineAndEachConnectionsTrace) {
    const SynthFile file(20); // 9 packets a connection
    std::atomic<std::uint64_t> counted{0};
    CaptureDocument::OpenOptions options;
    options.tcpPackets = &counted;
    Result<CaptureDocument> doc = CaptureDocument::open(file.path, options);
    ASSERT_TRUE(doc) << doc.error().toString();
    EXPECT_EQ(counted.load(), 180U);
    ASSERT_EQ(doc->connections().size(), 20U);
    EXPECT_TRUE(doc->packetsKept());
    EXPECT_EQ(doc->originNs(), doc->connections().front().firstTimeNs);
    // At the end every endpoint has left ESTABLISHED; both ends of 20 connections counted.
    const auto end = doc->countsAt(doc->endUs());
    std::uint32_t total = 0;
    for (const auto n : end) {
        total += n;
    }
    EXPECT_EQ(total, 40U);
    EXPECT_EQ(end.at(static_cast<std::size_t>(State::Established)), 0U);

    const Result<const Trace*> trace = doc->connectionTrace(3);
    ASSERT_TRUE(trace) << trace.error().toString();
    std::size_t sends = 0;
    for (const auto& e : (*trace)->events()) {
        sends += e.kind == EventKind::Send ? 1 : 0;
    }
    EXPECT_EQ(sends, 9U);
    EXPECT_EQ(*doc->connectionTrace(3), *trace) << "built once, then kept";

    const Result<const Trace*> none = doc->connectionTrace(20);
    ASSERT_FALSE(none);
    EXPECT_EQ(none.error().file, file.path);
}

TEST(CaptureDocument, AboveTheLimitAConnectionsPacketsAreReReadFromTheFile) {
    const SynthFile file(20);
    CaptureDocument::OpenOptions options;
    options.keepPacketsLimit = 50;
    Result<CaptureDocument> doc = CaptureDocument::open(file.path, options);
    ASSERT_TRUE(doc) << doc.error().toString();
    EXPECT_FALSE(doc->packetsKept());
    const Result<const Trace*> trace = doc->connectionTrace(17);
    ASSERT_TRUE(trace) << trace.error().toString();
    std::vector<std::uint64_t> numbers;
    for (const auto& e : (*trace)->events()) {
        if (e.kind == EventKind::Send) {
            numbers.push_back(e.packet);
        }
    }
    ASSERT_EQ(numbers.size(), 9U);
    const auto& c = doc->connections().at(17);
    EXPECT_EQ(numbers.front(), c.firstPacket);
    EXPECT_EQ(numbers.back(), c.lastPacket);
    const Status saved = doc->savePcap(file.path + ".out");
    EXPECT_FALSE(saved) << "nothing kept, nothing to save";
}

// What the window's worker uses: readTrace builds without keeping (const, for a
// worker thread), keepTrace keeps the first Trace of an id and never replaces it.
TEST(CaptureDocument, ReadTraceBuildsWithoutKeepingAndKeepTraceKeepsTheFirst) {
    const SynthFile file(20);
    CaptureDocument::OpenOptions options;
    options.keepPacketsLimit = 50;
    options.keepIndexedPacketsLimit = 50;
    Result<CaptureDocument> doc = CaptureDocument::open(file.path, options);
    ASSERT_TRUE(doc) << doc.error().toString();
    ASSERT_FALSE(doc->packetsKept());
    EXPECT_TRUE(doc->traceNeedsRead(4));
    EXPECT_FALSE(doc->traceNeedsRead(20)) << "no such connection: nothing to read";
    Result<Trace> read = doc->readTrace(4);
    ASSERT_TRUE(read) << read.error().toString();
    EXPECT_EQ(doc->tracesKept(), 0U);
    EXPECT_TRUE(doc->traceNeedsRead(4));
    const std::size_t events = read->size();
    EXPECT_GT(events, 9U);
    const Trace* kept = doc->keepTrace(4, std::move(*read));
    EXPECT_EQ(kept->size(), events);
    EXPECT_EQ(doc->tracesKept(), 1U);
    EXPECT_FALSE(doc->traceNeedsRead(4));
    const Result<const Trace*> got = doc->connectionTrace(4);
    ASSERT_TRUE(got);
    EXPECT_EQ(*got, kept) << "connectionTrace finds the kept one";
    Result<Trace> again = doc->readTrace(4);
    ASSERT_TRUE(again);
    EXPECT_EQ(doc->keepTrace(4, std::move(*again)), kept) << "the first stays";
    EXPECT_FALSE(doc->readTrace(20));
}

/// A capture whose connection 0 is long (2 x `segments` + 7 packets, spread over
/// the file among 200 short ones), opened keeping no packet: a read goes to the
/// file, through the packet index (.pcap) or over the whole file (`gzip`: a
/// compressed copy has no record offsets).
struct LongConnectionFile {
    LongConnectionFile(std::uint32_t segments, bool gzip) {
        SynthOptions o;
        o.connections = 200;
        o.dataSegments = 1;
        o.longConnectionSegments = segments;
        const Result<SynthResult> written = writeSynthCapture(o, plain);
        EXPECT_TRUE(written) << written.error().toString();
        if (gzip) {
            path = plain + ".gz";
            EXPECT_EQ(std::system(("gzip -c '" + plain + "' > '" + path + "'").c_str()), 0);
        }
        CaptureDocument::OpenOptions options;
        options.keepPacketsLimit = 0;
        options.keepIndexedPacketsLimit = 0;
        Result<CaptureDocument> opened = CaptureDocument::open(path, options);
        EXPECT_TRUE(opened) << opened.error().toString();
        if (opened) {
            doc.emplace(std::move(*opened));
        }
    }
    ~LongConnectionFile() {
        fs::remove(plain);
        fs::remove(plain + ".gz");
    }
    LongConnectionFile(const LongConnectionFile&) = delete;
    LongConnectionFile& operator=(const LongConnectionFile&) = delete;
    std::string plain =
        (fs::temp_directory_path() / ("tcpviz_cancel_" + std::to_string(::getpid()) + ".pcap"))
            .string();
    std::string path = plain;
    std::optional<CaptureDocument> doc;
};

std::size_t sends(const Trace& trace) {
    return static_cast<std::size_t>(
        std::count_if(trace.events().begin(), trace.events().end(),
                      [](const TraceEvent& e) { return e.kind == EventKind::Send; }));
}

double msSince(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
        .count();
}

// A read nobody wants any more (the window selected another connection, or closed
// the document) stops early: an Error marked cancelled, never a Trace of the
// packets read so far passed off as the connection's whole Trace.
TEST(CaptureDocument, ACancelledReadStopsWithACancelledErrorNotAPartialTrace) {
    for (const bool gzip : {false, true}) {
        SCOPED_TRACE(gzip ? "whole file (gzip)" : "packet index");
        const LongConnectionFile file(60'000, gzip);
        ASSERT_TRUE(file.doc.has_value());
        const CaptureDocument& doc = *file.doc;
        ASSERT_FALSE(doc.packetsKept());
        EXPECT_EQ(doc.indexed(0), !gzip);
        const std::uint64_t packets = doc.connections().at(0).packets();

        // Not cancelled: the whole connection, as without a flag.
        std::atomic<bool> cancel{false};
        auto start = std::chrono::steady_clock::now();
        const Result<Trace> whole = doc.readTrace(0, &cancel);
        const double wholeMs = msSince(start);
        ASSERT_TRUE(whole) << whole.error().toString();
        EXPECT_EQ(sends(*whole), packets);

        // Cancelled before it starts: at once, and nothing but the cancelled Error.
        cancel = true;
        start = std::chrono::steady_clock::now();
        const Result<Trace> before = doc.readTrace(0, &cancel);
        const double beforeMs = msSince(start);
        ASSERT_FALSE(before);
        EXPECT_TRUE(before.error().cancelled);
        EXPECT_EQ(before.error().file, file.path);
        EXPECT_LT(beforeMs, wholeMs / 4) << "a cancelled read still read";
        const Result<std::vector<DecodedPacket>> none = doc.connectionPackets(0, &cancel);
        ASSERT_FALSE(none);
        EXPECT_TRUE(none.error().cancelled);
        EXPECT_EQ(doc.tracesKept(), 0U);

        // Cancelled while it reads, from another thread: it stops soon after, and
        // what comes back is either the cancelled Error or (when the read won the
        // race) all the connection's packets, never a part of them.
        cancel = false;
        start = std::chrono::steady_clock::now();
        ASSERT_EQ(doc.connectionPackets(0, &cancel)->size(), packets);
        const double readMs = msSince(start);
        std::size_t stoppedEarly = 0;
        double fastestStopMs = 1e9; // the least a busy machine's scheduling adds
        for (int round = 0; round < 5; ++round) {
            cancel = false;
            std::atomic<bool> started{false};
            std::optional<Result<std::vector<DecodedPacket>>> result;
            std::chrono::steady_clock::time_point ended;
            std::thread reader([&] {
                started = true;
                result.emplace(doc.connectionPackets(0, &cancel));
                ended = std::chrono::steady_clock::now();
            });
            while (!started) {
                std::this_thread::yield();
            }
            std::this_thread::sleep_for(std::chrono::microseconds(
                static_cast<std::int64_t>(readMs * 1000 / 10 * (round + 1))));
            const auto cancelledAt = std::chrono::steady_clock::now();
            cancel = true;
            reader.join();
            ASSERT_TRUE(result.has_value());
            if (*result) {
                EXPECT_EQ((*result)->size(), packets) << "a part of the packets";
                continue;
            }
            EXPECT_TRUE(result->error().cancelled) << result->error().toString();
            ++stoppedEarly;
            fastestStopMs =
                std::min(fastestStopMs,
                         std::chrono::duration<double, std::milli>(ended - cancelledAt).count());
        }
        EXPECT_GT(stoppedEarly, 0U)
            << "no read was stopped while it ran (whole read: " << readMs << " ms)";
        EXPECT_LT(fastestStopMs, std::max(20.0, readMs / 4)) << "it read on after the cancel";

        // And the Trace: cancelled, or whole.
        cancel = false;
        std::optional<Result<Trace>> traced;
        std::thread builder([&] { traced.emplace(doc.readTrace(0, &cancel)); });
        std::this_thread::sleep_for(
            std::chrono::microseconds(static_cast<std::int64_t>(readMs * 1000 / 4)));
        cancel = true;
        builder.join();
        ASSERT_TRUE(traced.has_value());
        if (*traced) {
            EXPECT_EQ(sends(**traced), packets) << "a partial Trace";
        } else {
            EXPECT_TRUE(traced->error().cancelled);
        }
        EXPECT_EQ(doc.tracesKept(), 0U);
        std::printf("%s: %llu packets; readTrace %.1f ms, their packets alone %.1f ms; "
                    "cancelled before: %.3f ms; stopped while reading: %zu of 5, the "
                    "quickest %.2f ms after the cancel\n",
                    gzip ? "gzip" : "index", static_cast<unsigned long long>(packets), wholeMs,
                    readMs, beforeMs, stoppedEarly, fastestStopMs);
    }
}

TEST(CaptureDocument, SavesTheKeptPacketsInPacketOrder) {
    const SynthFile file(5);
    Result<CaptureDocument> doc = CaptureDocument::open(file.path, {});
    ASSERT_TRUE(doc) << doc.error().toString();
    const std::string out = file.path + ".saved.pcap";
    const Status saved = doc->savePcap(out);
    ASSERT_TRUE(saved) << saved.error().toString();
    const auto original = readAll(file.path);
    const auto back = readAll(out);
    fs::remove(out);
    ASSERT_EQ(back.size(), original.size());
    for (std::size_t i = 0; i < back.size(); ++i) {
        EXPECT_EQ(back[i].timeNs, original[i].timeNs);
        EXPECT_EQ(back[i].tcp.seq, original[i].tcp.seq);
        EXPECT_EQ(back[i].tcp.flags, original[i].tcp.flags);
        EXPECT_EQ(back[i].src, original[i].src);
    }
}

TEST(CaptureDocument, ALiveDocumentGrowsAndRebuildsTouchedTraces) {
    const SynthFile file(3);
    const auto packets = readAll(file.path);
    ASSERT_EQ(packets.size(), 27U);
    CaptureDocument doc = CaptureDocument::live("lo");
    EXPECT_TRUE(doc.isLive());
    // The first packet (connection 0's SYN), then everything else.
    const auto first = doc.add(std::span(packets).first(1));
    EXPECT_EQ(first, std::set<std::size_t>{0});
    const Result<const Trace*> early = doc.connectionTrace(0);
    ASSERT_TRUE(early);
    const std::size_t earlyEvents = (*early)->size();
    const auto rest = doc.add(std::span(packets).subspan(1));
    EXPECT_EQ(rest, (std::set<std::size_t>{0, 1, 2}));
    ASSERT_EQ(doc.connections().size(), 3U);
    const Result<const Trace*> later = doc.connectionTrace(0);
    ASSERT_TRUE(later);
    EXPECT_GT((*later)->size(), earlyEvents) << "the trace was rebuilt with the new packets";
    EXPECT_EQ(doc.originNs(), packets.front().timeNs);
}

TEST(CaptureDocument, ALiveIcmpQuoteOrBadChecksumCountsOnItsConnectionButIsNotOneOfItsPackets) {
    const SynthFile file(1);
    const auto packets = readAll(file.path);
    ASSERT_GE(packets.size(), 3U);
    CaptureDocument doc = CaptureDocument::live("lo");
    (void)doc.add(packets);
    ASSERT_EQ(doc.connections().size(), 1U);
    DecodedPacket quote = packets[2];
    quote.icmpQuote = true;
    DecodedPacket bad = packets[2];
    bad.badChecksum = true;
    DecodedPacket stray = quote; // quotes a tuple no connection has
    stray.dst.port = static_cast<std::uint16_t>(stray.dst.port + 1);
    stray.tcp.dstPort = stray.dst.port;
    const std::vector<DecodedPacket> noted{quote, bad, stray};
    const auto touched = doc.add(noted);
    EXPECT_EQ(touched, std::set<std::size_t>{0}) << "the stray quote touches no connection";
    ASSERT_EQ(doc.connections().size(), 1U);
    EXPECT_EQ(doc.connections().front().icmpErrors, 1U);
    EXPECT_NE(doc.connections().front().tracker.stats().history().find_first_of("Cc"),
              std::string::npos);
    const auto kept = doc.connectionPackets(0);
    ASSERT_TRUE(kept);
    EXPECT_EQ(kept->size(), packets.size()) << "neither is kept as one of its packets";
}

TEST(CaptureDocument, AFileThatCannotBeReadIsAnErrorNamingIt) {
    const Result<CaptureDocument> doc = CaptureDocument::open("/nonexistent/x.pcap", {});
    ASSERT_FALSE(doc);
    EXPECT_EQ(doc.error().file, "/nonexistent/x.pcap");
}

} // namespace
} // namespace tcpviz
