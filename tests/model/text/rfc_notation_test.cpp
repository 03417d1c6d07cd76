// The RFC-figure text format: what `tcpviz-cli simulate` prints.
#include "text/rfc_notation.h"
#include "trace/trace_builder.h"

#include <gtest/gtest.h>
#include <sstream>

namespace tcpviz {
namespace {

using testing::handshake;
using testing::TraceBuilder;

std::vector<std::string> linesOf(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
        out.push_back(line);
    }
    return out;
}

/// Collapses runs of spaces so that tests check content, not column widths.
std::string squeeze(const std::string& line) {
    std::string out;
    for (char c : line) {
        if (c == ' ' && !out.empty() && out.back() == ' ') {
            continue;
        }
        out.push_back(c);
    }
    return out;
}

TEST(RfcNotation, HandshakeAsInTheRfcFigure) {
    const auto lines = linesOf(formatRfcNotation(handshake().build()));
    ASSERT_EQ(lines.size(), 7U) << formatRfcNotation(handshake().build());
    EXPECT_EQ(squeeze(lines[0]), " TCP A (192.168.0.2:52528) TCP B (192.168.0.1:80)");
    EXPECT_EQ(squeeze(lines[1]), "1. CLOSED CLOSED");
    EXPECT_EQ(squeeze(lines[2]), "2. CLOSED (LISTEN)");
    EXPECT_EQ(squeeze(lines[3]), "3. (CONNECT) LISTEN");
    EXPECT_EQ(squeeze(lines[4]), "4. SYN-SENT --> <SEQ=100><CTL=SYN> --> SYN-RECEIVED");
    EXPECT_EQ(squeeze(lines[5]),
              "5. ESTABLISHED <-- <SEQ=300><ACK=101><CTL=SYN,ACK> <-- SYN-RECEIVED");
    EXPECT_EQ(squeeze(lines[6]), "6. ESTABLISHED --> <SEQ=101><ACK=301><CTL=ACK> --> ESTABLISHED");
}

TEST(RfcNotation, ColumnsLineUp) {
    const auto lines = linesOf(formatRfcNotation(handshake().build()));
    // The B column starts at the same offset on every segment line and in the header.
    const auto header = lines[0].find("TCP B");
    EXPECT_EQ(lines[4].find("SYN-RECEIVED"), header);
    EXPECT_EQ(lines[5].rfind("SYN-RECEIVED"), header);
    EXPECT_EQ(lines[6].rfind("ESTABLISHED"), header);
    EXPECT_EQ(lines[4].find("-->"), lines[6].find("-->"));
}

TEST(RfcNotation, RelativeSequenceNumbers) {
    const auto lines = linesOf(formatRfcNotation(handshake().build(), {.relative = true}));
    EXPECT_NE(lines[4].find("<SEQ=0><CTL=SYN>"), std::string::npos) << lines[4];
    EXPECT_NE(lines[5].find("<SEQ=0><ACK=1><CTL=SYN,ACK>"), std::string::npos) << lines[5];
    EXPECT_NE(lines[6].find("<SEQ=1><ACK=1><CTL=ACK>"), std::string::npos) << lines[6];
}

TEST(RfcNotation, RelativeNumbersAcrossWrapAround) {
    TraceBuilder b(State::Established, State::Established);
    Trace t = b.send(0, Side::Client, flag::PSH | flag::ACK, 0x10, 0xFFFFFFF0U, 100)
                  .arrive(50'000)
                  .build();
    t.meta.client.isn = 0xFFFFFFF0U; // client bytes wrapped past 2^32
    t.meta.server.isn = 0xFFFFFF00U;
    const auto text = formatRfcNotation(t, {.relative = true});
    EXPECT_NE(text.find("<SEQ=32><ACK=240><CTL=PSH,ACK><LEN=100>"), std::string::npos) << text;
}

TEST(RfcNotation, LostSegmentRetransmissionAndTimer) {
    TraceBuilder b(State::SynSent, State::Listen);
    b.send(0, Side::Client, flag::SYN, 100, 0)
        .drop(0)
        .timer(1'000'000, Side::Client, TimerKind::Retransmission)
        .send(1'000'000, Side::Client, flag::SYN, 100, 0, 0, true)
        .arrive(1'050'000);
    const auto text = formatRfcNotation(b.build());
    const auto lines = linesOf(text);
    ASSERT_EQ(lines.size(), 5U) << text;
    EXPECT_EQ(squeeze(lines[2]), "2. SYN-SENT --> <SEQ=100><CTL=SYN> --X ; lost");
    EXPECT_EQ(squeeze(lines[3]), "3. SYN-SENT A [retransmission timeout] LISTEN");
    EXPECT_EQ(squeeze(lines[4]), "4. SYN-SENT --> <SEQ=100><CTL=SYN> --> LISTEN ; retransmission");

    const auto zh = formatRfcNotation(b.build(), {.lang = Language::Zh});
    EXPECT_NE(zh.find("; 丢失"), std::string::npos) << zh;
    EXPECT_NE(zh.find("[重传超时]"), std::string::npos) << zh;
    EXPECT_NE(zh.find("; 重传"), std::string::npos) << zh;
}

TEST(RfcNotation, CrossingSegmentsAreShownInFlight) {
    // Simultaneous open (RFC 9293 Figure 8): both SYNs are in flight at once.
    TraceBuilder b(State::SynSent, State::SynSent);
    b.send(0, Side::Client, flag::SYN, 100, 0);
    const auto clientSyn = b.lastSegmentId();
    b.send(10'000, Side::Server, flag::SYN, 300, 0);
    const auto serverSyn = b.lastSegmentId();
    b.arrive(50'000, clientSyn)
        .transition(50'000, Side::Server, State::SynReceived, ArcId::SimultaneousOpen)
        .arrive(60'000, serverSyn)
        .transition(60'000, Side::Client, State::SynReceived, ArcId::SimultaneousOpen);
    const auto lines = linesOf(formatRfcNotation(b.build()));
    ASSERT_EQ(lines.size(), 6U);
    EXPECT_EQ(squeeze(lines[2]), "2. SYN-SENT --> <SEQ=100><CTL=SYN> ...");
    EXPECT_EQ(squeeze(lines[3]), "3. ... <SEQ=300><CTL=SYN> <-- SYN-SENT");
    EXPECT_EQ(squeeze(lines[4]), "4. ... <SEQ=100><CTL=SYN> --> SYN-RECEIVED");
    EXPECT_EQ(squeeze(lines[5]), "5. SYN-RECEIVED <-- <SEQ=300><CTL=SYN> ...");
}

TEST(RfcNotation, UnexplainedTransitionAndTimerGetTheirOwnLine) {
    TraceBuilder b(State::TimeWait, State::Closed);
    b.timer(240'000'000, Side::Client, TimerKind::TimeWait)
        .transition(240'000'000, Side::Client, State::Closed, ArcId::TimeWaitTimeout)
        .transition(240'000'001, Side::Server, State::Listen, ArcId::PassiveOpen);
    const auto lines = linesOf(formatRfcNotation(b.build(), {.times = true}));
    ASSERT_EQ(lines.size(), 4U);
    EXPECT_EQ(squeeze(lines[2]), "2. 240.000s CLOSED A [2MSL timer expires] CLOSED");
    EXPECT_EQ(squeeze(lines[3]), "3. 240.000s CLOSED B [passive OPEN / create TCB] LISTEN");
}

TEST(RfcNotation, InjectedSegmentsCallErrorsAndNotes) {
    TraceBuilder b(State::Established, State::Established);
    b.note("challenge ACK (RFC 5961)")
        .send(0, Side::Server, flag::RST, 1301, 0, 0, false, true)
        .arrive(0)
        .call(5, Side::Client, UserCall::Send, 100, "connection reset");
    const auto lines = linesOf(formatRfcNotation(b.build()));
    ASSERT_EQ(lines.size(), 4U);
    EXPECT_EQ(squeeze(lines[2]),
              "2. ESTABLISHED <-- <SEQ=1301><CTL=RST> <-- ; injected, challenge ACK (RFC 5961)");
    EXPECT_EQ(squeeze(lines[3]), "3. (SEND 100) ESTABLISHED ; error: connection reset");
}

// The Chinese table speaks Chinese all through: the model's remarks, the call
// errors and the RFC figure's arc labels, once each; the notation stays the RFC's.
TEST(RfcNotation, ChineseTableTranslatesRemarksErrorsAndArcLabels) {
    TraceBuilder b(State::SynSent, State::Listen);
    b.timer(1'000'000, Side::Client, TimerKind::Retransmission)
        .note("retransmission 1, RTO now 2000 ms")
        .reason(SendReason::Retransmission)
        .send(1'000'000, Side::Client, flag::SYN, 100, 0, 0, true)
        .arrive(1'050'000)
        .call(2'000'000, Side::Server, UserCall::Send, 100, "connection closing")
        .transition(3'000'000, Side::Server, State::Closed, ArcId::ListenClose);
    const auto lines = linesOf(formatRfcNotation(b.build(), {.lang = Language::Zh}));
    ASSERT_EQ(lines.size(), 6U);
    EXPECT_EQ(squeeze(lines[3]),
              "3. SYN-SENT --> <SEQ=100><CTL=SYN> --> LISTEN ; 第 1 次重传，RTO 现为 2000 ms");
    EXPECT_EQ(squeeze(lines[4]), "4. SYN-SENT (SEND 100) ; 错误：连接正在关闭");
    EXPECT_EQ(squeeze(lines[5]), "5. SYN-SENT B [CLOSE / 删除 TCB] CLOSED");
}

} // namespace
} // namespace tcpviz
