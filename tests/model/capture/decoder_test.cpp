// decodeFrame on hand-built frames of every supported link layer, and on broken
// ones: each must give the right TCP fields or a clear message, never a crash.
#include "capture/decoder.h"
#include "capture/frame_builder.h"

#include <gtest/gtest.h>
#include <random>

namespace tcpviz {
namespace {

using Bytes = std::vector<std::uint8_t>;

/// An IP packet (no link header) carrying a TCP segment 10.0.0.1:1234 -> 10.0.0.2:80.
Bytes ipPacket(bool v6 = false, std::uint32_t payload = 5) {
    FrameSpec spec;
    spec.src = *parseSocketAddress(v6 ? "[2001:db8::1]:1234" : "10.0.0.1:1234");
    spec.dst = *parseSocketAddress(v6 ? "[2001:db8::2]:80" : "10.0.0.2:80");
    spec.tcp.srcPort = 1234;
    spec.tcp.dstPort = 80;
    spec.tcp.seq = 1000;
    spec.tcp.ack = 2000;
    spec.tcp.flags = flag::PSH | flag::ACK;
    spec.tcp.window = 512;
    spec.tcp.len = payload;
    spec.tcp.options.timestamp = std::pair{11U, 22U};
    spec.tcp.options.sackBlocks = {{3000, 3100}, {3200, 3300}};
    Bytes frame;
    buildTcpFrame(spec, frame);
    return {frame.begin() + 14, frame.end()};
}

Bytes cat(Bytes a, const Bytes& b) {
    a.insert(a.end(), b.begin(), b.end());
    return a;
}

Bytes ethernet(std::uint16_t type) {
    return {0,
            1,
            2,
            3,
            4,
            5,
            6,
            7,
            8,
            9,
            10,
            11,
            static_cast<std::uint8_t>(type >> 8),
            static_cast<std::uint8_t>(type)};
}

std::uint8_t hi(std::size_t v) {
    return static_cast<std::uint8_t>(v >> 8);
}
std::uint8_t lo(std::size_t v) {
    return static_cast<std::uint8_t>(v);
}

/// An outer IPv4 header 192.0.2.1 -> 192.0.2.2 carrying `protocol` and `payload`.
Bytes overIpv4(std::uint8_t protocol, const Bytes& payload) {
    const std::size_t total = 20 + payload.size();
    return cat(
        {0x45, 0, hi(total), lo(total), 0, 0, 0, 0, 64, protocol, 0, 0, 192, 0, 2, 1, 192, 0, 2, 2},
        payload);
}

/// An outer IPv6 header 2001:db8:ffff::1 -> ::2 whose next header is `next`.
Bytes overIpv6(std::uint8_t next, const Bytes& payload) {
    Bytes h = {0x60, 0, 0, 0, hi(payload.size()), lo(payload.size()), next, 64};
    for (std::uint8_t last : {1, 2}) {
        h = cat(h, {0x20, 0x01, 0x0d, 0xb8, 0xff, 0xff, 0, 0, 0, 0, 0, 0, 0, 0, 0, last});
    }
    return cat(h, payload);
}

/// A UDP header from port 50000 to `port` in front of `payload` (checksum 0).
Bytes overUdp(std::uint16_t port, const Bytes& payload) {
    const std::size_t len = 8 + payload.size();
    return cat({0xc3, 0x50, hi(port), lo(port), hi(len), lo(len), 0, 0}, payload);
}

/// An inner Ethernet frame carrying the test's IPv4 or IPv6 segment.
Bytes innerEthernet(bool v6 = false) {
    return cat(ethernet(v6 ? 0x86dd : 0x0800), ipPacket(v6));
}

const Bytes kSnapIpv4 = {0xaa, 0xaa, 0x03, 0, 0, 0, 0x08, 0x00};

struct Result {
    DecodeStatus status;
    DecodedPacket packet;
    std::string error;
};

Result decode(int link, const Bytes& f, std::uint32_t wireLen = 0) {
    Result r;
    r.status = decodeFrame(link, f.data(), static_cast<std::uint32_t>(f.size()),
                           wireLen == 0 ? static_cast<std::uint32_t>(f.size()) : wireLen, r.packet,
                           r.error);
    return r;
}

void expectTheSegment(const Result& r, bool v6 = false) {
    ASSERT_EQ(r.status, DecodeStatus::Tcp) << r.error;
    EXPECT_FALSE(r.packet.malformed) << r.error;
    EXPECT_EQ(r.packet.src.toString(), v6 ? "[2001:db8::1]:1234" : "10.0.0.1:1234");
    EXPECT_EQ(r.packet.dst.toString(), v6 ? "[2001:db8::2]:80" : "10.0.0.2:80");
    EXPECT_EQ(r.packet.tcp.seq, 1000U);
    EXPECT_EQ(r.packet.tcp.ack, 2000U);
    EXPECT_EQ(r.packet.tcp.flags, flag::PSH | flag::ACK);
    EXPECT_EQ(r.packet.tcp.len, 5U);
    EXPECT_EQ(r.packet.tcp.window, 512U);
    EXPECT_EQ(r.packet.tcp.options.timestamp, (std::pair{11U, 22U}));
    EXPECT_EQ(r.packet.tcp.options.sackBlocks.size(), 2U);
}

TEST(Decoder, EthernetWithVlanQinQAndMpls) {
    for (bool v6 : {false, true}) {
        SCOPED_TRACE(v6 ? "IPv6" : "IPv4");
        const Bytes ip = ipPacket(v6);
        const std::uint16_t et = v6 ? 0x86dd : 0x0800;
        const auto hi = static_cast<std::uint8_t>(et >> 8);
        const auto lo = static_cast<std::uint8_t>(et);
        expectTheSegment(decode(linktype::Ethernet, cat(ethernet(et), ip)), v6);
        // 802.1Q
        expectTheSegment(decode(linktype::Ethernet, cat(cat(ethernet(0x8100), {0, 5, hi, lo}), ip)),
                         v6);
        // QinQ: 802.1ad outer, 802.1Q inner
        expectTheSegment(decode(linktype::Ethernet,
                                cat(cat(ethernet(0x88a8), {0, 7, 0x81, 0x00, 0, 5, hi, lo}), ip)),
                         v6);
        // MPLS: two labels, bottom-of-stack on the second
        expectTheSegment(decode(linktype::Ethernet,
                                cat(cat(ethernet(0x8847), {0, 1, 0x00, 64, 0, 2, 0x01, 64}), ip)),
                         v6);
        // VLAN then MPLS
        expectTheSegment(decode(linktype::Ethernet,
                                cat(cat(ethernet(0x8100), {0, 5, 0x88, 0x47, 0, 1, 0x01, 64}), ip)),
                         v6);
    }
}

TEST(Decoder, LinuxCookedV1AndV2) {
    Bytes sll(16, 0);
    sll[14] = 0x08;
    expectTheSegment(decode(linktype::LinuxSll, cat(sll, ipPacket())));
    Bytes sll2(20, 0);
    sll2[0] = 0x86;
    sll2[1] = 0xdd;
    expectTheSegment(decode(linktype::LinuxSll2, cat(sll2, ipPacket(true))), true);
}

TEST(Decoder, BsdLoopbackFamilyInEitherByteOrder) {
    for (int link : {linktype::Null, linktype::Loop}) {
        expectTheSegment(decode(link, cat({2, 0, 0, 0}, ipPacket())));
        expectTheSegment(decode(link, cat({0, 0, 0, 2}, ipPacket())));
        for (std::uint8_t family : {10, 24, 28, 30}) {
            expectTheSegment(decode(link, cat({family, 0, 0, 0}, ipPacket(true))), true);
            expectTheSegment(decode(link, cat({0, 0, 0, family}, ipPacket(true))), true);
        }
        EXPECT_EQ(decode(link, cat({7, 0, 0, 0}, ipPacket())).status, DecodeStatus::NotTcp);
    }
}

TEST(Decoder, RawIpLinkTypes) {
    for (int link : {linktype::Raw, linktype::RawBsd, linktype::RawOpenBsd}) {
        expectTheSegment(decode(link, ipPacket()));
        expectTheSegment(decode(link, ipPacket(true)), true);
    }
    expectTheSegment(decode(linktype::Ipv4, ipPacket()));
    expectTheSegment(decode(linktype::Ipv6, ipPacket(true)), true);
}

TEST(Decoder, PppVariants) {
    expectTheSegment(decode(linktype::Ppp, cat({0x00, 0x21}, ipPacket())));
    expectTheSegment(decode(linktype::Ppp, cat({0xff, 0x03, 0x00, 0x57}, ipPacket(true))), true);
    expectTheSegment(decode(linktype::Ppp, cat({0x21}, ipPacket()))); // compressed protocol
    expectTheSegment(decode(linktype::PppHdlc, cat({0xff, 0x03, 0x00, 0x21}, ipPacket())));
    expectTheSegment(
        decode(linktype::Ppp, cat({0xff, 0x03, 0x02, 0x81, 0, 1, 0x01, 64}, ipPacket())));
    EXPECT_EQ(decode(linktype::Ppp, cat({0xc0, 0x21}, ipPacket())).status, DecodeStatus::NotTcp)
        << "LCP is not IP";
}

TEST(Decoder, Ipv4OptionsAreSkipped) {
    Bytes ip = ipPacket();
    // Insert 4 bytes of options (NOP NOP NOP EOL), fix IHL and total length.
    ip.insert(ip.begin() + 20, {1, 1, 1, 0});
    ip[0] = 0x46;
    const std::uint32_t total = ((ip[2] << 8) | ip[3]) + 4;
    ip[2] = static_cast<std::uint8_t>(total >> 8);
    ip[3] = static_cast<std::uint8_t>(total);
    expectTheSegment(decode(linktype::Raw, ip));
}

TEST(Decoder, Ipv4FragmentsFirstAnalysedOthersCounted) {
    Bytes first = ipPacket();
    first[6] = 0x20; // MF, offset 0
    const auto r = decode(linktype::Raw, first);
    expectTheSegment(r);
    EXPECT_TRUE(r.packet.fragment);
    Bytes later = ipPacket();
    later[6] = 0x00;
    later[7] = 0x10; // offset 16*8
    EXPECT_EQ(decode(linktype::Raw, later).status, DecodeStatus::Fragment);
}

TEST(Decoder, Ipv6ExtensionHeadersAreFollowed) {
    const Bytes base = ipPacket(true);
    Bytes ip(base.begin(), base.begin() + 40);
    const Bytes tcp(base.begin() + 40, base.end());
    // hop-by-hop (8) -> routing (8) -> destination options (8) -> fragment (8) -> AH (12) -> TCP
    ip[6] = 0;
    const Bytes ext = {43, 0, 1,    4,    0, 0, 0, 0,              // hop-by-hop, PadN
                       60, 0, 0,    0,    0, 0, 0, 0,              // routing type 0, 0 left
                       44, 0, 1,    4,    0, 0, 0, 0,              // destination options
                       51, 0, 0x00, 0x01, 0, 0, 0, 9,              // fragment: offset 0, MF
                       6,  1, 0,    0,    0, 0, 0, 1, 0, 0, 0, 1}; // AH, length (1+2)*4 = 12
    ip = cat(cat(ip, ext), tcp);
    const std::uint32_t plen = static_cast<std::uint32_t>(ip.size() - 40);
    ip[4] = static_cast<std::uint8_t>(plen >> 8);
    ip[5] = static_cast<std::uint8_t>(plen);
    const auto r = decode(linktype::Raw, ip);
    expectTheSegment(r, true);
    EXPECT_TRUE(r.packet.fragment);

    // A later fragment (offset 32 * 8) whose fragment header says TCP follows.
    Bytes later(base.begin(), base.begin() + 40);
    later[6] = 44;
    later = cat(cat(later, {6, 0, 0x01, 0x00, 0, 0, 0, 9}), tcp);
    later[5] = static_cast<std::uint8_t>(later.size() - 40);
    EXPECT_EQ(decode(linktype::Raw, later).status, DecodeStatus::Fragment);

    Bytes esp = base;
    esp[6] = 50;
    EXPECT_EQ(decode(linktype::Raw, esp).status, DecodeStatus::NotTcp);
}

TEST(Decoder, SynOptionsAreDecoded) {
    FrameSpec spec;
    spec.src = *parseSocketAddress("10.0.0.1:1");
    spec.dst = *parseSocketAddress("10.0.0.2:2");
    spec.tcp.flags = flag::SYN;
    spec.tcp.options.mss = 1380;
    spec.tcp.options.windowScale = 9;
    spec.tcp.options.sackPermitted = true;
    spec.tcp.options.timestamp = std::pair{0xdeadbeefU, 0U};
    Bytes f;
    buildTcpFrame(spec, f);
    const auto r = decode(linktype::Ethernet, f);
    ASSERT_EQ(r.status, DecodeStatus::Tcp);
    EXPECT_EQ(r.packet.tcp.options, spec.tcp.options);
}

TEST(Decoder, SnapLengthCutFramesKeepTheirPayloadLength) {
    Bytes f = cat(ethernet(0x0800), ipPacket(false, 1000));
    const auto wire = static_cast<std::uint32_t>(f.size());
    f.resize(14 + 20 + 20 + 20); // headers only (options are 20 bytes here too)
    const auto r = decode(linktype::Ethernet, f, wire);
    ASSERT_EQ(r.status, DecodeStatus::Tcp) << r.error;
    EXPECT_EQ(r.packet.tcp.len, 1000U);
    EXPECT_EQ(r.packet.wireLen, wire);
}

TEST(Decoder, LengthsThatDoNotAddUpAreReported) {
    Bytes ip = ipPacket();
    ip[2] = 0x05; // total length 1300+ > frame
    auto r = decode(linktype::Raw, ip);
    EXPECT_EQ(r.status, DecodeStatus::Error);
    EXPECT_NE(r.error.find("IPv4 total length"), std::string::npos) << r.error;

    ip = ipPacket();
    ip[0] = 0x43; // IHL 12 bytes
    r = decode(linktype::Raw, ip);
    EXPECT_EQ(r.status, DecodeStatus::Error);
    EXPECT_NE(r.error.find("IPv4 header length 12"), std::string::npos) << r.error;

    ip = ipPacket(true);
    ip[4] = 0x10; // payload length 4096+
    r = decode(linktype::Raw, ip);
    EXPECT_EQ(r.status, DecodeStatus::Error);
    EXPECT_NE(r.error.find("IPv6 payload length"), std::string::npos) << r.error;

    // TCP data offset larger than the IP payload: ports still usable, marked malformed
    // (tshark: "Malformed Packet", still a tcp.stream).
    ip = ipPacket(false, 0);
    ip.resize(40);
    ip[3] = 40;
    ip[20 + 12] = 0x70; // 28 bytes
    r = decode(linktype::Raw, ip);
    ASSERT_EQ(r.status, DecodeStatus::Tcp);
    EXPECT_TRUE(r.packet.malformed);
    EXPECT_EQ(r.packet.src.port, 1234);
    EXPECT_NE(r.error.find("TCP header length 28 exceeds the 20 bytes"), std::string::npos)
        << r.error;

    ip = ipPacket();
    ip[20 + 12] = 0x30; // data offset 12 < 20
    r = decode(linktype::Raw, ip);
    ASSERT_EQ(r.status, DecodeStatus::Tcp);
    EXPECT_TRUE(r.packet.malformed);
}

// A raw IPv4 packet, 10.0.0.1:1234 -> 10.0.0.2:80, whose TCP header carries `options`
// (padded to a multiple of 4 bytes by the caller) and `payload` bytes of data.
Bytes rawTcp(const Bytes& options, std::uint32_t payload) {
    const auto tcpLen = static_cast<std::uint32_t>(20 + options.size());
    const std::uint32_t total = 20 + tcpLen + payload;
    Bytes ip = {0x45,
                0,
                static_cast<std::uint8_t>(total >> 8),
                static_cast<std::uint8_t>(total),
                0,
                0,
                0,
                0,
                64,
                6,
                0,
                0,
                10,
                0,
                0,
                1,
                10,
                0,
                0,
                2};
    Bytes tcp = {0x04,
                 0xd2,
                 0,
                 80,
                 0,
                 0,
                 0x03,
                 0xe8,
                 0,
                 0,
                 0x07,
                 0xd0,
                 static_cast<std::uint8_t>((tcpLen / 4) << 4),
                 0x10,
                 0x02,
                 0,
                 0,
                 0,
                 0,
                 0};
    tcp.insert(tcp.end(), options.begin(), options.end());
    ip.insert(ip.end(), tcp.begin(), tcp.end());
    ip.resize(total, 0xAB);
    return ip;
}

TEST(Decoder, EachLengthCheckNamesWhatIsShort) {
    // The IP total length leaves 12 bytes for TCP, though the frame carries more.
    Bytes ip = rawTcp({}, 8);
    ip[2] = 0;
    ip[3] = 32;
    auto r = decode(linktype::Raw, ip);
    EXPECT_EQ(r.status, DecodeStatus::Error);
    EXPECT_NE(r.error.find("the IP payload has only 12 of its 20 bytes"), std::string::npos)
        << r.error;

    // The snap length cut the TCP header after 12 bytes.
    const Bytes full = rawTcp({}, 8);
    const Bytes cut(full.begin(), full.begin() + 32);
    r = decode(linktype::Raw, cut, static_cast<std::uint32_t>(full.size()));
    EXPECT_EQ(r.status, DecodeStatus::Error);
    EXPECT_NE(r.error.find("only 12 of its 20 bytes were captured"), std::string::npos) << r.error;

    // An IPv4 total length shorter than the IPv4 header itself.
    ip = rawTcp({}, 0);
    ip[3] = 10;
    r = decode(linktype::Raw, ip);
    EXPECT_EQ(r.status, DecodeStatus::Error);
    EXPECT_NE(r.error.find("IPv4 total length 10 is less than its header length 20"),
              std::string::npos)
        << r.error;
}

TEST(Decoder, AnOptionRunningPastTheHeaderIsNotRead) {
    // NOP, NOP, then an MSS option whose 4 bytes would end 2 bytes into the payload.
    const Bytes past = rawTcp({1, 1, 2, 4}, 4);
    auto r = decode(linktype::Raw, past);
    ASSERT_EQ(r.status, DecodeStatus::Tcp) << r.error;
    EXPECT_FALSE(r.packet.tcp.options.mss.has_value()) << "read from the payload";
    EXPECT_EQ(r.packet.tcp.len, 4U);
    // The same option inside the header is read.
    const Bytes inside = rawTcp({2, 4, 0x05, 0xb4}, 4);
    r = decode(linktype::Raw, inside);
    ASSERT_EQ(r.status, DecodeStatus::Tcp) << r.error;
    ASSERT_TRUE(r.packet.tcp.options.mss.has_value());
    EXPECT_EQ(*r.packet.tcp.options.mss, 1460);
}

TEST(Decoder, IpInIpUsesTheInnerAddresses) {
    // IPv4 in IPv4, IPv6 in IPv4 (6in4), IPv6 in IPv6, IPv4 in IPv6.
    expectTheSegment(decode(linktype::Raw, overIpv4(4, ipPacket())));
    expectTheSegment(decode(linktype::Raw, overIpv4(41, ipPacket(true))), true);
    expectTheSegment(decode(linktype::Raw, overIpv6(41, ipPacket(true))), true);
    expectTheSegment(decode(linktype::Ethernet, cat(ethernet(0x86dd), overIpv6(4, ipPacket()))));
    // Behind an IPv6 destination options header.
    const Bytes dstopts = cat({41, 0, 1, 4, 0, 0, 0, 0}, ipPacket(true));
    expectTheSegment(decode(linktype::Raw, overIpv6(60, dstopts)), true);
    // Two tunnels deep.
    expectTheSegment(decode(linktype::Raw, overIpv4(4, overIpv4(4, ipPacket()))));
}

TEST(Decoder, TunnelsNestedBeyondTheLimitAreNotFollowed) {
    Bytes p = ipPacket();
    for (int i = 0; i < 8; ++i) {
        p = overIpv4(4, p);
    }
    expectTheSegment(decode(linktype::Raw, p));
    EXPECT_EQ(decode(linktype::Raw, overIpv4(4, p)).status, DecodeStatus::NotTcp);
}

TEST(Decoder, TunnelFragmentsAreCountedNotMisread) {
    Bytes first = overIpv4(4, ipPacket());
    first[6] = 0x20; // MF, offset 0: the inner packet continues in another fragment
    EXPECT_EQ(decode(linktype::Raw, first).status, DecodeStatus::Fragment);
    Bytes later = overIpv4(47, Bytes(40, 0));
    later[7] = 0x10; // offset 16 * 8
    EXPECT_EQ(decode(linktype::Raw, later).status, DecodeStatus::NotTcp);
}

TEST(Decoder, GreWithOptionalFieldsAndEthernetBridging) {
    // Plain GRE, 4 bytes.
    expectTheSegment(decode(linktype::Raw, overIpv4(47, cat({0, 0, 0x08, 0x00}, ipPacket()))));
    // Checksum, key and sequence present: 16 bytes.
    const Bytes ckSeq = {0xb0, 0, 0x86, 0xdd, 0xaa, 0xbb, 0, 0, 0, 0, 0, 42, 0, 0, 0, 7};
    expectTheSegment(decode(linktype::Raw, overIpv4(47, cat(ckSeq, ipPacket(true)))), true);
    // Key only (NVGRE style), transparent Ethernet bridging, over IPv6.
    const Bytes keyTeb = {0x20, 0, 0x65, 0x58, 0, 0, 0x10, 0};
    expectTheSegment(decode(linktype::Raw, overIpv6(47, cat(keyTeb, innerEthernet()))));
    // PPTP's enhanced GRE (version 1): key = payload length + call id, sequence, ack, PPP.
    const Bytes pptp = {0x30, 0x81, 0x88, 0x0b, 0, 0, 0, 9, 0, 0, 0, 1, 0, 0, 0, 2};
    expectTheSegment(
        decode(linktype::Raw, overIpv4(47, cat(cat(pptp, {0xff, 0x03, 0, 0x21}), ipPacket()))));
    // Routing present (RFC 1701) and unknown versions are not followed.
    EXPECT_EQ(decode(linktype::Raw, overIpv4(47, cat({0x40, 0, 0x08, 0}, ipPacket()))).status,
              DecodeStatus::NotTcp);
    EXPECT_EQ(decode(linktype::Raw, overIpv4(47, cat({0, 2, 0x08, 0}, ipPacket()))).status,
              DecodeStatus::NotTcp);
}

TEST(Decoder, ErspanTypesOneTwoAndThree) {
    // Type I: GRE without a sequence number, Ethernet right after.
    expectTheSegment(decode(linktype::Raw, overIpv4(47, cat({0, 0, 0x88, 0xbe}, innerEthernet()))));
    // Type II: GRE with sequence, 8-byte ERSPAN header (version 1, session 5).
    const Bytes gre2 = {0x10, 0, 0x88, 0xbe, 0, 0, 0, 1};
    const Bytes erspan2 = {0x10, 0x00, 0x00, 0x05, 0, 0, 0, 0};
    expectTheSegment(
        decode(linktype::Raw, overIpv4(47, cat(cat(gre2, erspan2), innerEthernet(true)))), true);
    // Type III without and with the 8-byte platform subheader (O bit).
    const Bytes gre3 = {0x10, 0, 0x22, 0xeb, 0, 0, 0, 1};
    Bytes erspan3 = {0x20, 0, 0, 5, 0, 0, 0, 0, 0, 0, 0, 0};
    expectTheSegment(decode(linktype::Raw, overIpv4(47, cat(cat(gre3, erspan3), innerEthernet()))));
    erspan3[11] = 0x01;
    const Bytes platform = {0x08, 0, 0, 0, 0, 0, 0, 0};
    expectTheSegment(decode(linktype::Raw,
                            overIpv4(47, cat(cat(cat(gre3, erspan3), platform), innerEthernet()))));
    // Type III's frame type 2 (IP) is not Ethernet.
    erspan3[11] = 0;
    erspan3[10] = 2 << 2;
    EXPECT_EQ(decode(linktype::Raw, overIpv4(47, cat(cat(gre3, erspan3), innerEthernet()))).status,
              DecodeStatus::NotTcp);
}

TEST(Decoder, VxlanAndGeneveCarryEthernet) {
    const Bytes vxlan = {0x08, 0, 0, 0, 0, 0x12, 0x34, 0};
    expectTheSegment(
        decode(linktype::Ethernet,
               cat(ethernet(0x0800), overIpv4(17, overUdp(4789, cat(vxlan, innerEthernet()))))));
    expectTheSegment(
        decode(linktype::Raw, overIpv6(17, overUdp(4789, cat(vxlan, innerEthernet(true))))), true);
    // Geneve with 8 bytes of options (length 2 words), Ethernet inside.
    const Bytes geneve = {0x02, 0, 0x65, 0x58, 0, 0, 0x2a, 0, 0x01, 0x02, 0x03, 0x01, 1, 2, 3, 4};
    expectTheSegment(
        decode(linktype::Raw, overIpv4(17, overUdp(6081, cat(geneve, innerEthernet())))));
    // Geneve without options carrying IPv6 directly.
    const Bytes geneveIp = {0x00, 0, 0x86, 0xdd, 0, 0, 0x2a, 0};
    expectTheSegment(
        decode(linktype::Raw, overIpv4(17, overUdp(6081, cat(geneveIp, ipPacket(true))))), true);
    // Other UDP stays not TCP, even when it carries TCP-looking bytes.
    EXPECT_EQ(decode(linktype::Raw, overIpv4(17, overUdp(53, cat(vxlan, innerEthernet())))).status,
              DecodeStatus::NotTcp);
}

TEST(Decoder, GtpUserPlaneWithOptionalFieldsAndExtensions) {
    const Bytes ip = ipPacket();
    // Plain GTPv1-U G-PDU: flags 0x30, type 0xff, length, TEID.
    const Bytes plain = {0x30, 0xff, hi(ip.size()), lo(ip.size()), 0, 0, 0, 1};
    expectTheSegment(decode(linktype::Raw, overIpv4(17, overUdp(2152, cat(plain, ip)))));
    // E and S set: sequence, N-PDU, next type 0x85 (PDU session container, 4 bytes).
    const std::size_t len = 4 + 4 + ip.size();
    const Bytes ext = {0x36, 0xff, hi(len), lo(len), 0, 0, 0, 1, 0, 7, 0, 0x85, 1, 0x10, 0x09, 0};
    expectTheSegment(decode(linktype::Raw, overIpv6(17, overUdp(2152, cat(ext, ip)))));
    // Signalling (echo request, type 1) carries no user packet.
    Bytes echo = cat(plain, ip);
    echo[1] = 1;
    EXPECT_EQ(decode(linktype::Raw, overIpv4(17, overUdp(2152, echo))).status,
              DecodeStatus::NotTcp);
}

/// A radiotap header (8 bytes, no fields) and an 802.11 data frame header.
Bytes radiotap80211(std::uint8_t fc0, std::uint8_t fc1, std::size_t extra) {
    Bytes f = {0, 0, 8, 0, 0, 0, 0, 0, fc0, fc1, 0x2c, 0};
    for (std::size_t i = 0; i < 18 + 2 + extra; ++i) {
        f.push_back(static_cast<std::uint8_t>(0x10 + i)); // addresses, sequence, ...
    }
    return f;
}

TEST(Decoder, Ieee80211RadiotapDataFrames) {
    // QoS data from the AP (FromDS), QoS control 2 bytes, LLC/SNAP.
    Bytes qos = radiotap80211(0x88, 0x02, 2);
    qos[8 + 24] = 0; // QoS control: TID 0, no A-MSDU
    expectTheSegment(decode(linktype::Ieee80211Radiotap, cat(cat(qos, kSnapIpv4), ipPacket())));
    // Plain data between two APs (ToDS and FromDS): a fourth address.
    expectTheSegment(decode(linktype::Ieee80211Radiotap,
                            cat(cat(radiotap80211(0x08, 0x03, 6), kSnapIpv4), ipPacket())));
    // QoS data with HT control (+HTC, order bit).
    Bytes htc = radiotap80211(0x88, 0x81, 6);
    htc[8 + 24] = 0;
    expectTheSegment(decode(linktype::Ieee80211Radiotap, cat(cat(htc, kSnapIpv4), ipPacket())));
    // A radiotap header with a field (TSFT, 8 bytes) before the frame.
    Bytes longer = {0, 0, 16, 0, 1, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8};
    const Bytes data = radiotap80211(0x08, 0x01, 0);
    longer.insert(longer.end(), data.begin() + 8, data.end());
    expectTheSegment(decode(linktype::Ieee80211Radiotap, cat(cat(longer, kSnapIpv4), ipPacket())));

    // Protected (encrypted) data cannot be read; management frames carry no TCP.
    const auto r = decode(linktype::Ieee80211Radiotap,
                          cat(cat(radiotap80211(0x08, 0x41, 0), kSnapIpv4), ipPacket()));
    EXPECT_EQ(r.status, DecodeStatus::Error);
    EXPECT_NE(r.error.find("802.11 frame is protected"), std::string::npos) << r.error;
    EXPECT_EQ(decode(linktype::Ieee80211Radiotap, radiotap80211(0x80, 0, 40)).status,
              DecodeStatus::NotTcp);
}

TEST(Decoder, Ieee80211AmsduFirstSubframe) {
    Bytes qos = radiotap80211(0x88, 0x02, 2);
    qos[8 + 24] = 0x80; // A-MSDU present
    const Bytes body = cat(kSnapIpv4, ipPacket());
    Bytes sub(12, 0x22);
    sub.push_back(hi(body.size()));
    sub.push_back(lo(body.size()));
    expectTheSegment(decode(linktype::Ieee80211Radiotap, cat(cat(qos, sub), body)));
}

/// An NFLOG frame: header, a hardware-protocol TLV, the payload TLV, in either order.
Bytes nflog(const Bytes& ip, bool bigEndian) {
    const auto tlv = [bigEndian](std::size_t len, std::uint8_t type) {
        return bigEndian ? Bytes{hi(len), lo(len), 0, type} : Bytes{lo(len), hi(len), type, 0};
    };
    Bytes f = {2, 0, 0, 1};
    f = cat(cat(f, tlv(8, 1)), {0x08, 0x00, 3, 0}); // NFULA_PACKET_HDR
    f = cat(cat(f, tlv(4 + ip.size(), 9)), ip);
    f.resize(f.size() + ((4 - ip.size() % 4) % 4), 0);
    return f;
}

TEST(Decoder, NflogPayloadTlvInEitherByteOrder) {
    expectTheSegment(decode(linktype::Nflog, nflog(ipPacket(), false)));
    expectTheSegment(decode(linktype::Nflog, nflog(ipPacket(true), true)), true);
    // No payload TLV: nothing to decode.
    EXPECT_EQ(decode(linktype::Nflog, {2, 0, 0, 1, 8, 0, 1, 0, 0x08, 0, 3, 0}).status,
              DecodeStatus::NotTcp);
    const auto r = decode(linktype::Nflog, {2, 0, 0, 1, 2, 0, 1, 0});
    EXPECT_EQ(r.status, DecodeStatus::Error);
    EXPECT_NE(r.error.find("NFLOG TLV length 2"), std::string::npos) << r.error;
}

TEST(Decoder, FddiAndIeee8023WithLlcSnap) {
    Bytes fddi = {0x50};
    fddi.resize(13, 0x33);
    expectTheSegment(decode(linktype::Fddi, cat(cat(fddi, kSnapIpv4), ipPacket())));
    fddi[0] = 0x41; // SMT frame
    EXPECT_EQ(decode(linktype::Fddi, cat(cat(fddi, kSnapIpv4), ipPacket())).status,
              DecodeStatus::NotTcp);

    // 802.3: a length field, LLC/SNAP, IPv6; padding after the length is ignored.
    const Bytes body = cat({0xaa, 0xaa, 0x03, 0, 0, 0, 0x86, 0xdd}, ipPacket(true));
    expectTheSegment(decode(linktype::Ethernet, cat(cat(ethernet(body.size()), body), Bytes(6, 0))),
                     true);
    // Other LLC (spanning tree) is not IP.
    EXPECT_EQ(
        decode(linktype::Ethernet, cat(ethernet(38), cat({0x42, 0x42, 0x03}, Bytes(35, 0)))).status,
        DecodeStatus::NotTcp);
}

TEST(Decoder, CutTunnelHeadersNameTheirLayer) {
    // The snap length cut each frame inside a tunnel header: an error naming that header.
    const Bytes vxlan = {0x08, 0, 0, 0, 0, 0x12, 0x34, 0};
    const Bytes geneve = {0x02, 0, 0x65, 0x58, 0, 0, 0x2a, 0, 0x01, 0x02, 0x03, 0x01, 1, 2, 3, 4};
    const Bytes gre = {0xb0, 0, 0x08, 0x00, 0xaa, 0xbb, 0, 0, 0, 0, 0, 42, 0, 0, 0, 7};
    const Bytes erspan3 = {0x10, 0, 0x22, 0xeb, 0, 0, 0, 1, 0x20, 0, 0, 5, 0, 0,
                           0,    0, 0,    0,    0, 1, 8, 0, 0,    0, 0, 0, 0, 0};
    const std::size_t gtpLen = 12 + ipPacket().size();
    const Bytes gtp = {0x34, 0xff, hi(gtpLen), lo(gtpLen), 0, 0, 0, 1, 0, 0,
                       0,    0x85, 2,          0,          0, 0, 0, 0, 0, 0};
    Bytes qos = radiotap80211(0x88, 0x02, 2);
    qos[8 + 24] = 0;
    const struct {
        int link;
        Bytes frame;
        std::size_t cut; ///< bytes captured
        const char* message;
    } cases[] = {
        {linktype::Raw, overIpv4(47, cat(gre, ipPacket())), 20 + 10, "GRE header truncated"},
        {linktype::Raw, overIpv4(47, cat(erspan3, innerEthernet())), 20 + 8 + 14,
         "ERSPAN type III platform subheader truncated"},
        {linktype::Raw, overIpv4(17, overUdp(4789, cat(vxlan, innerEthernet()))), 20 + 8 + 5,
         "VXLAN header truncated"},
        {linktype::Raw, overIpv4(17, overUdp(4789, cat(vxlan, innerEthernet()))), 20 + 8 + 8 + 10,
         "Ethernet header truncated"},
        {linktype::Raw, overIpv4(17, overUdp(6081, cat(geneve, innerEthernet()))), 20 + 8 + 12,
         "Geneve options truncated"},
        {linktype::Raw, overIpv4(17, overUdp(2152, cat(gtp, ipPacket()))), 20 + 8 + 14,
         "GTP-U extension header truncated"},
        {linktype::Raw, overIpv4(4, ipPacket()), 20 + 12, "IPv4 header truncated"},
        {linktype::Ieee80211Radiotap, cat(cat(qos, kSnapIpv4), ipPacket()), 8 + 20,
         "802.11 data header truncated"},
        {linktype::Ieee80211Radiotap, cat(cat(qos, kSnapIpv4), ipPacket()), 8 + 26 + 5,
         "LLC/SNAP header truncated"},
        {linktype::Nflog, nflog(ipPacket(), false), 10, "NFLOG TLV header truncated"},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.message);
        expectTheSegment(decode(c.link, c.frame));
        const Bytes cut(c.frame.begin(), c.frame.begin() + static_cast<std::ptrdiff_t>(c.cut));
        const auto r = decode(c.link, cut, static_cast<std::uint32_t>(c.frame.size()));
        EXPECT_EQ(r.status, DecodeStatus::Error);
        EXPECT_NE(r.error.find(c.message), std::string::npos) << r.error;
    }
}

TEST(Decoder, IcmpErrorsQuotingTcpAreCountedNotTracked) {
    // Destination unreachable (port) from a router, quoting the IPv4 header and 8 bytes.
    const Bytes ip = ipPacket();
    const Bytes quote(ip.begin(), ip.begin() + 28);
    auto r = decode(linktype::Raw, overIpv4(1, cat({3, 3, 0, 0, 0, 0, 0, 0}, quote)));
    ASSERT_EQ(r.status, DecodeStatus::IcmpQuotedTcp) << r.error;
    EXPECT_EQ(r.packet.src.toString(), "10.0.0.1:1234");
    EXPECT_EQ(r.packet.dst.toString(), "10.0.0.2:80");
    EXPECT_EQ(r.packet.tcp.seq, 1000U);
    // ICMPv6 packet too big quoting the whole IPv6 packet.
    r = decode(linktype::Raw, overIpv6(58, cat({2, 0, 0, 0, 0, 0, 0x05, 0x00}, ipPacket(true))));
    ASSERT_EQ(r.status, DecodeStatus::IcmpQuotedTcp) << r.error;
    EXPECT_EQ(r.packet.src.toString(), "[2001:db8::1]:1234");
    EXPECT_EQ(r.packet.dst.toString(), "[2001:db8::2]:80");

    // Echo requests, and errors quoting UDP or too little, are not TCP.
    EXPECT_EQ(decode(linktype::Raw, overIpv4(1, cat({8, 0, 0, 0, 0, 0, 0, 0}, quote))).status,
              DecodeStatus::NotTcp);
    Bytes udpQuote = quote;
    udpQuote[9] = 17;
    EXPECT_EQ(decode(linktype::Raw, overIpv4(1, cat({11, 0, 0, 0, 0, 0, 0, 0}, udpQuote))).status,
              DecodeStatus::NotTcp);
    const Bytes shortQuote(ip.begin(), ip.begin() + 24);
    EXPECT_EQ(decode(linktype::Raw, overIpv4(1, cat({3, 1, 0, 0, 0, 0, 0, 0}, shortQuote))).status,
              DecodeStatus::NotTcp);
    // Cut by the snap length inside the quoted ports: an error that says so.
    const Bytes full = overIpv4(1, cat({3, 3, 0, 0, 0, 0, 0, 0}, quote));
    const Bytes cut(full.begin(), full.begin() + 20 + 8 + 22);
    r = decode(linktype::Raw, cut, static_cast<std::uint32_t>(full.size()));
    EXPECT_EQ(r.status, DecodeStatus::Error);
    EXPECT_NE(r.error.find("ICMP error's quoted packet truncated"), std::string::npos) << r.error;
}

TEST(Decoder, NonTcpAndUnknownLinkTypes) {
    Bytes udp = ipPacket();
    udp[9] = 17;
    EXPECT_EQ(decode(linktype::Raw, udp).status, DecodeStatus::NotTcp);
    EXPECT_EQ(decode(linktype::Ethernet, cat(ethernet(0x0806), Bytes(28, 0))).status,
              DecodeStatus::NotTcp);
    EXPECT_EQ(decode(147, ipPacket()).status, DecodeStatus::UnsupportedLink);
    EXPECT_FALSE(isSupportedLinkType(147));
    for (int link :
         {linktype::LinuxSll2, linktype::Fddi, linktype::Ieee80211Radiotap, linktype::Nflog}) {
        EXPECT_TRUE(isSupportedLinkType(link)) << link;
    }
}

TEST(Decoder, EveryTruncationOfAValidFrameIsHandled) {
    const std::vector<std::pair<int, Bytes>> frames = {
        {linktype::Ethernet, cat(cat(ethernet(0x8100), {0, 5, 0x86, 0xdd}), ipPacket(true))},
        {linktype::Ethernet, cat(cat(ethernet(0x8847), {0, 1, 0x01, 64}), ipPacket())},
        {linktype::LinuxSll2,
         cat(Bytes{0x08, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, ipPacket())},
        {linktype::Ppp, cat({0xff, 0x03, 0x00, 0x21}, ipPacket())},
        {linktype::Null, cat({30, 0, 0, 0}, ipPacket(true))},
        {linktype::Raw,
         overIpv6(47, cat({0x30, 0, 0x88, 0xbe, 0, 0, 0, 1, 0, 0, 0, 1, 0x10, 0, 0, 5, 0, 0, 0, 0},
                          innerEthernet()))},
        {linktype::Raw,
         overIpv4(17, overUdp(6081, cat({0x01, 0, 0x65, 0x58, 0, 0, 1, 0, 1, 1, 1, 0},
                                        innerEthernet(true))))},
        {linktype::Raw,
         overIpv4(17, overUdp(2152, cat({0x32, 0xff, hi(4 + ipPacket().size()),
                                         lo(4 + ipPacket().size()), 0, 0, 0, 1, 0, 1, 0, 0},
                                        ipPacket())))},
        {linktype::Ieee80211Radiotap,
         cat(cat(radiotap80211(0x08, 0x03, 6), kSnapIpv4), ipPacket())},
        {linktype::Nflog, nflog(ipPacket(true), false)},
        {linktype::Fddi, cat(cat(Bytes(13, 0x50), kSnapIpv4), ipPacket())},
    };
    for (const auto& [link, full] : frames) {
        for (std::size_t n = 0; n < full.size(); ++n) {
            // A copy of exactly n bytes: a sanitizer build catches any read past it.
            const Bytes cut(full.begin(), full.begin() + static_cast<std::ptrdiff_t>(n));
            const auto r = decode(link, cut, static_cast<std::uint32_t>(n));
            EXPECT_NE(r.status, DecodeStatus::UnsupportedLink);
            if (r.status == DecodeStatus::Error) {
                EXPECT_FALSE(r.error.empty());
            }
        }
        EXPECT_EQ(decode(link, full).status, DecodeStatus::Tcp);
    }
}

TEST(Decoder, RandomBytesNeverCrash) {
    std::mt19937 rng(42);
    const int links[] = {linktype::Ethernet, linktype::Null,      linktype::Raw,
                         linktype::LinuxSll, linktype::LinuxSll2, linktype::Ppp};
    // Tunnel headers in front of the segment let the mutations reach each tunnel decoder.
    const Bytes vxlan = {0x08, 0, 0, 0, 0, 0x12, 0x34, 0};
    const Bytes tunnelled[] = {
        overIpv4(47, cat({0x30, 0, 0x65, 0x58, 0, 0, 0, 1, 0, 0, 0, 1}, innerEthernet())),
        overIpv4(17, overUdp(4789, cat(vxlan, innerEthernet(true)))),
        overIpv6(17, overUdp(2152, cat({0x30, 0xff, 0, 60, 0, 0, 0, 1}, ipPacket()))),
        overIpv6(4, ipPacket()),
    };
    DecodedPacket p;
    std::string error;
    int tcp = 0;
    for (int i = 0; i < 20000; ++i) {
        Bytes f = i % 3 == 2 ? cat(ethernet(0x0800), tunnelled[(i / 3) % 4])
                             : cat(ethernet(0x0800), ipPacket(i % 2 == 1));
        // Mutate a few bytes of a valid frame: reaches deep layers, unlike pure noise.
        for (int m = 0; m < 4; ++m) {
            f[rng() % f.size()] = static_cast<std::uint8_t>(rng());
        }
        f.resize(rng() % (f.size() + 1));
        const int link = links[i % 6];
        if (decodeFrame(link, f.data(), static_cast<std::uint32_t>(f.size()),
                        static_cast<std::uint32_t>(f.size() + rng() % 100), p,
                        error) == DecodeStatus::Tcp) {
            ++tcp;
        }
    }
    EXPECT_GT(tcp, 0);
}

} // namespace
} // namespace tcpviz
