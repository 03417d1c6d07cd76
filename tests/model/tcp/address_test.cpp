#include "tcp/address.h"

#include <gtest/gtest.h>

namespace tcpviz {
namespace {

TEST(SocketAddress, ParsesAndWritesBothFamilies) {
    const auto v4 = parseSocketAddress("192.168.0.2:52528");
    ASSERT_TRUE(v4.has_value());
    EXPECT_FALSE(v4->ip.v6);
    EXPECT_EQ(v4->port, 52528);
    EXPECT_EQ(v4->toString(), "192.168.0.2:52528");
    const auto v6 = parseSocketAddress("[2001:DB8:0:0::1]:80");
    ASSERT_TRUE(v6.has_value());
    EXPECT_TRUE(v6->ip.v6);
    EXPECT_EQ(v6->toString(), "[2001:db8::1]:80"); // RFC 5952, as Wireshark writes it
}

TEST(SocketAddress, SaysWhatIsWrong) {
    using Kind = AddressSyntaxError::Kind;
    AddressSyntaxError why;
    EXPECT_FALSE(parseSocketAddress("[::1]80", &why));
    EXPECT_EQ(why.kind, Kind::Malformed);
    EXPECT_FALSE(parseSocketAddress("1.2.3.4", &why));
    EXPECT_EQ(why.kind, Kind::MissingPort);
    EXPECT_FALSE(parseSocketAddress("1.2.3.300:5", &why));
    EXPECT_EQ(why.kind, Kind::BadHost);
    EXPECT_EQ(why.host, "1.2.3.300");
    EXPECT_FALSE(why.v6);
    // Each family in its own spelling: IPv6 only in brackets, IPv4 never.
    EXPECT_FALSE(parseSocketAddress("[1.2.3.4]:5", &why));
    EXPECT_EQ(why.kind, Kind::BadHost);
    EXPECT_TRUE(why.v6);
    EXPECT_FALSE(parseSocketAddress("::1:5", &why));
    EXPECT_EQ(why.kind, Kind::BadHost);
    EXPECT_EQ(why.host, "::1");
    EXPECT_FALSE(parseSocketAddress("1.2.3.4:70000", &why));
    EXPECT_EQ(why.kind, Kind::BadPort);
    EXPECT_EQ(why.port, "70000");
    EXPECT_FALSE(parseSocketAddress("1.2.3.4:", &why));
    EXPECT_EQ(why.kind, Kind::BadPort);
    EXPECT_FALSE(parseSocketAddress(""));
}

TEST(SocketAddress, EqualityComparesAddressPortAndFamily) {
    const SocketAddress a = *parseSocketAddress("10.0.0.1:80");
    EXPECT_EQ(a, *parseSocketAddress("10.0.0.1:80"));
    EXPECT_NE(a, *parseSocketAddress("10.0.0.1:81"));
    EXPECT_NE(a, *parseSocketAddress("10.0.0.2:80"));
    // The same sixteen bytes read as IPv6 (a00:1::) are another address.
    SocketAddress v6 = a;
    v6.ip.v6 = true;
    EXPECT_NE(a, v6);
    EXPECT_LT(a, *parseSocketAddress("10.0.0.1:81"));
}

} // namespace
} // namespace tcpviz
