#include "capture/capture_document.h"
#include "capture/connection_trace.h"
#include "capture/packet_index.h"
#include "capture/synth.h"
#include "test_skip.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <gtest/gtest.h>
#include <unistd.h>

namespace tcpviz {
namespace {

namespace fs = std::filesystem;

const fs::path kCorpus = TCPVIZ_CORPUS_DIR;

std::string tempPath(const std::string& name) {
    return (fs::temp_directory_path() / ("tcpviz_index_" + std::to_string(::getpid()) + "_" + name))
        .string();
}

// Every field the decoder fills, compared one by one: the indexed read must give
// exactly the packets the full re-read gives.
void expectSamePackets(const std::vector<DecodedPacket>& indexed,
                       const std::vector<DecodedPacket>& full) {
    ASSERT_EQ(indexed.size(), full.size());
    for (std::size_t i = 0; i < full.size(); ++i) {
        SCOPED_TRACE("packet " + std::to_string(full[i].number));
        EXPECT_EQ(indexed[i].number, full[i].number);
        EXPECT_EQ(indexed[i].timeNs, full[i].timeNs);
        EXPECT_EQ(indexed[i].src, full[i].src);
        EXPECT_EQ(indexed[i].dst, full[i].dst);
        EXPECT_EQ(indexed[i].tcp, full[i].tcp);
        EXPECT_EQ(indexed[i].capturedLen, full[i].capturedLen);
        EXPECT_EQ(indexed[i].wireLen, full[i].wireLen);
        EXPECT_EQ(indexed[i].malformed, full[i].malformed);
        EXPECT_EQ(indexed[i].fragment, full[i].fragment);
        EXPECT_EQ(indexed[i].ipId, full[i].ipId);
        EXPECT_EQ(indexed[i].fileOffset, full[i].fileOffset);
    }
}

CaptureDocument::OpenOptions keepNothing() {
    CaptureDocument::OpenOptions options;
    options.keepPacketsLimit = 0;
    options.keepIndexedPacketsLimit = 0;
    return options;
}

// Past the index's limit a connection is read from its first packet's record to
// its last (readPacketRange), not from the start of the file: the same packets as
// the full re-read, and a damaged record before the connection does not matter
// (the full re-read stops there).
TEST(PacketIndex, PastTheLimitAConnectionIsReadFromItsFirstRecordOnly) {
    const std::string path = tempPath("range.pcap");
    SynthOptions o;
    o.connections = 200;
    o.dataSegments = 2;
    o.longConnectionSegments = 300; // spans the capture: its range is most of the file
    ASSERT_TRUE(writeSynthCapture(o, path));
    CaptureDocument::OpenOptions options = keepNothing();
    options.indexPacketsLimit = 400;
    Result<CaptureDocument> doc = CaptureDocument::open(path, options);
    ASSERT_TRUE(doc) << doc.error().toString();
    std::size_t ranged = 0;
    for (std::size_t c = 0; c < doc->connections().size(); ++c) {
        SCOPED_TRACE("connection " + std::to_string(c));
        const auto full = collectConnectionPackets(path, {}, doc->connections()[c]);
        ASSERT_TRUE(full) << full.error().toString();
        const auto read = doc->connectionPackets(c);
        ASSERT_TRUE(read) << read.error().toString();
        expectSamePackets(*read, *full);
        if (!doc->indexed(c)) {
            ++ranged;
            const auto from = doc->packetIndex().firstOffset(static_cast<std::uint32_t>(c));
            ASSERT_TRUE(from.has_value());
            EXPECT_EQ(*from, full->front().fileOffset);
        }
    }
    EXPECT_GT(ranged, 100U) << "most connections lie past the limit";

    // Damage the first record of the file: a full re-read stops there, the range
    // read of the last connection starts after it.
    const ConnectionSummary& last = doc->connections().back();
    const auto before = collectConnectionPackets(path, {}, last);
    ASSERT_TRUE(before);
    ASSERT_GT(*doc->packetIndex().firstOffset(last.id), 24U + 16U);
    {
        std::FILE* f = std::fopen(path.c_str(), "r+b");
        ASSERT_NE(f, nullptr);
        const std::uint8_t huge[4] = {0, 0, 0, 0x80}; // caplen 2^31
        ASSERT_EQ(std::fseek(f, 24 + 8, SEEK_SET), 0);
        ASSERT_EQ(std::fwrite(huge, 1, sizeof huge, f), sizeof huge);
        std::fclose(f);
    }
    const auto whole = collectConnectionPackets(path, {}, last);
    EXPECT_TRUE(!whole || whole->size() < before->size()) << "the damage stops a full read";
    const auto ranges = doc->connectionPackets(last.id);
    ASSERT_TRUE(ranges) << ranges.error().toString();
    expectSamePackets(*ranges, *before);
    fs::remove(path);
}

// A long connection spread over the capture among many short ones: every
// connection read through the index equals the full re-read of the file.
TEST(PacketIndex, ReadsExactlyThePacketsTheFullReReadGives) {
    const std::string path = tempPath("synth.pcap");
    SynthOptions o;
    o.connections = 300;
    o.dataSegments = 2;
    o.longConnectionSegments = 500; // 1,007 packets spanning the capture
    ASSERT_TRUE(writeSynthCapture(o, path));
    Result<CaptureDocument> doc = CaptureDocument::open(path, keepNothing());
    ASSERT_TRUE(doc) << doc.error().toString();
    EXPECT_FALSE(doc->packetsKept());
    ASSERT_EQ(doc->connections().size(), 300U);
    EXPECT_EQ(doc->packetIndex().packets(), 1007U + 299U * 11U);
    const auto& longest = doc->connections().front();
    EXPECT_EQ(longest.packets(), 1007U);
    EXPECT_GT(longest.lastPacket, doc->connections().back().firstPacket)
        << "the long connection spans the others";
    for (std::size_t c = 0; c < doc->connections().size(); ++c) {
        SCOPED_TRACE("connection " + std::to_string(c));
        ASSERT_TRUE(doc->indexed(c));
        const auto indexed = doc->connectionPackets(c);
        ASSERT_TRUE(indexed) << indexed.error().toString();
        const auto full = collectConnectionPackets(path, {}, doc->connections()[c]);
        ASSERT_TRUE(full) << full.error().toString();
        EXPECT_EQ(indexed->size(), doc->connections()[c].packets());
        expectSamePackets(*indexed, *full);
    }
    // The Trace built from indexed packets is the one built from the full re-read.
    const Result<const Trace*> trace = doc->connectionTrace(0);
    ASSERT_TRUE(trace) << trace.error().toString();
    const Trace rebuilt = buildConnectionTrace(*collectConnectionPackets(path, {}, longest),
                                               fs::path(path).filename().string());
    ASSERT_EQ((*trace)->events().size(), rebuilt.events().size());
    for (std::size_t i = 0; i < rebuilt.events().size(); ++i) {
        EXPECT_EQ((*trace)->events()[i].kind, rebuilt.events()[i].kind);
        EXPECT_EQ((*trace)->events()[i].packet, rebuilt.events()[i].packet);
        EXPECT_EQ((*trace)->events()[i].segment, rebuilt.events()[i].segment);
        EXPECT_EQ((*trace)->events()[i].timeUs, rebuilt.events()[i].timeUs);
    }
    fs::remove(path);
}

// Real captures: whatever the index covers (native pcap files) reads back as the
// full re-read does; what it does not cover (pcapng, other byte orders) is read
// the old way and still right.
TEST(PacketIndex, CorpusConnectionsReadBackAsTheFullReReadGives) {
    if (!fs::exists(kCorpus)) {
        TCPVIZ_SKIP("corpus not found at " << kCorpus);
    }
    std::size_t indexedConnections = 0;
    std::size_t otherConnections = 0;
    for (const auto& e : fs::directory_iterator(kCorpus)) {
        const std::string name = e.path().filename().string();
        if (!name.ends_with(".pcap") && !name.ends_with(".pcapng")) {
            continue;
        }
        SCOPED_TRACE(name);
        Result<CaptureDocument> doc = CaptureDocument::open(e.path().string(), keepNothing());
        if (!doc) {
            continue; // an unreadable corpus file is the reader tests' business
        }
        for (std::size_t c = 0; c < doc->connections().size(); ++c) {
            SCOPED_TRACE("connection " + std::to_string(c));
            (doc->indexed(c) ? indexedConnections : otherConnections) += 1;
            const auto packets = doc->connectionPackets(c);
            ASSERT_TRUE(packets) << packets.error().toString();
            const auto full =
                collectConnectionPackets(e.path().string(), {}, doc->connections()[c]);
            ASSERT_TRUE(full) << full.error().toString();
            expectSamePackets(*packets, *full);
        }
    }
    EXPECT_GT(indexedConnections, 20U) << "the index covers the native pcap files";
    EXPECT_GT(otherConnections, 0U) << "pcapng files are read the old way";
}

TEST(PacketIndex, APacketWithoutAnOffsetOrBeyondTheLimitLeavesItsConnectionUncovered) {
    PacketIndex index(3);
    DecodedPacket p;
    p.number = 1;
    p.fileOffset = 24;
    index.add(0, p);
    p.number = 2;
    p.fileOffset = 0; // read through libpcap: no offset
    index.add(1, p);
    p.number = 3;
    p.fileOffset = 100;
    index.add(0, p);
    p.number = 4;
    p.fileOffset = 200;
    index.add(2, p);
    p.number = 5;
    p.fileOffset = 300; // the fourth: beyond the limit
    index.add(2, p);
    EXPECT_TRUE(index.covers(0));
    EXPECT_FALSE(index.covers(1));
    EXPECT_FALSE(index.covers(2));
    EXPECT_FALSE(index.covers(7)) << "never seen";
    const auto entries = index.entries(0);
    ASSERT_EQ(entries.size(), 2U);
    EXPECT_EQ(entries[0].number, 1U);
    EXPECT_EQ(entries[0].offset, 24U);
    EXPECT_EQ(entries[1].number, 3U);
    EXPECT_EQ(entries[1].offset, 100U);
    EXPECT_TRUE(index.entries(2).empty());
}

// 8 bytes a packet (and 4 a connection), whatever the steps between packets: small
// records, steps past the 24-bit offset and 8-bit number fields (kept aside in
// full), and connections interleaved; every entry reads back exactly.
TEST(PacketIndex, HoldsAboutEightBytesAPacketAndGivesBackEveryPosition) {
    constexpr std::size_t kPackets = 1'000'000;
    constexpr std::uint32_t kConnections = 10'000;
    PacketIndex index(kPackets);
    std::vector<std::vector<PacketIndex::Entry>> expected(kConnections);
    DecodedPacket p;
    p.number = 0;
    p.fileOffset = 24;
    std::uint64_t seed = 1;
    for (std::size_t i = 0; i < kPackets; ++i) {
        seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
        const std::uint64_t r = seed >> 33;
        // Mostly a frame or two on and 60..1600 bytes; now and then a jump.
        p.number += r % 1000 == 0 ? 300 + r % 5000 : 1 + r % 2;
        p.fileOffset += r % 997 == 0 ? (std::uint64_t{1} << 24) + r : 60 + r % 1540;
        // Connections interleave: a window of a few hundred open at a time.
        const auto c = static_cast<std::uint32_t>((i / 100 + r % 300) % kConnections);
        index.add(c, p);
        expected[c].push_back({p.number, p.fileOffset});
    }
    ASSERT_EQ(index.packets(), kPackets);
    const double perPacket =
        static_cast<double>(index.memoryBytes() - 4 * kConnections) / static_cast<double>(kPackets);
    EXPECT_LE(perPacket, 9.5) << "bytes a packet (was 16.8)";
    for (std::uint32_t c = 0; c < kConnections; c += 7) {
        ASSERT_TRUE(index.covers(c));
        const auto got = index.entries(c);
        ASSERT_EQ(got.size(), expected[c].size()) << "connection " << c;
        for (std::size_t k = 0; k < got.size(); ++k) {
            ASSERT_EQ(got[k].number, expected[c][k].number) << "connection " << c << " #" << k;
            ASSERT_EQ(got[k].offset, expected[c][k].offset) << "connection " << c << " #" << k;
        }
    }
}

// A packet whose offset or number does not grow (not in file order) cannot be
// chained: its connection is read the old way, the others keep their entries.
TEST(PacketIndex, APacketOutOfFileOrderLeavesOnlyItsConnectionUncovered) {
    PacketIndex index;
    DecodedPacket p;
    p.number = 10;
    p.fileOffset = 1000;
    index.add(0, p);
    p.number = 11;
    p.fileOffset = 900; // behind the last
    index.add(1, p);
    p.number = 12;
    p.fileOffset = 1100;
    index.add(0, p);
    EXPECT_TRUE(index.covers(0));
    EXPECT_FALSE(index.covers(1));
    const auto entries = index.entries(0);
    ASSERT_EQ(entries.size(), 2U);
    EXPECT_EQ(entries[1].number, 12U);
    EXPECT_EQ(entries[1].offset, 1100U);
}

// A file changed after it was indexed gives an Error naming it, never a crash or
// other packets.
TEST(PacketIndex, AFileCutShortAfterIndexingIsAnErrorNamingIt) {
    const std::string path = tempPath("cut.pcap");
    SynthOptions o;
    o.connections = 50;
    ASSERT_TRUE(writeSynthCapture(o, path));
    Result<CaptureDocument> doc = CaptureDocument::open(path, keepNothing());
    ASSERT_TRUE(doc) << doc.error().toString();
    const std::size_t last = doc->connections().size() - 1;
    ASSERT_TRUE(doc->indexed(last));
    fs::resize_file(path, fs::file_size(path) / 2);
    const auto packets = doc->connectionPackets(last);
    ASSERT_FALSE(packets);
    EXPECT_EQ(packets.error().file, path);
    EXPECT_NE(packets.error().toString().find("changed"), std::string::npos)
        << packets.error().toString();
    fs::remove(path);
}

} // namespace
} // namespace tcpviz
