#include "capture/capture_document.h"
#include "capture/capture_reader.h"
#include "capture/synth.h"

#include <filesystem>
#include <gtest/gtest.h>
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
