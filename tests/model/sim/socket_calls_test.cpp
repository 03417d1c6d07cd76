// The socket calls beyond open/send/close, simulated from scenario text: recv
// with `reads: manual` (the window shrinks by what is unread and opens again),
// shutdown(SHUT_RD / SHUT_RDWR), close() with SO_LINGER {1, 0}, and a listening
// socket apart from the connection it accepts (accept, close-listener).
#include "narration/narrator.h"
#include "scenario/scenario.h"
#include "sim/simulator.h"
#include "sim_test_support.h"
#include "tcp/segment.h"
#include "trace/trace_json.h"

#include <gtest/gtest.h>

namespace tcpviz::test {
namespace {

Trace simulateText(const std::string& text) {
    auto sc = parseScenarioText(text, "calls.yaml");
    EXPECT_TRUE(sc.has_value()) << sc.error().toString();
    return sc.has_value() ? simulate(*sc) : Trace{};
}

const TraceEvent* firstCall(const Trace& t, Side side, UserCall call) {
    for (const TraceEvent& e : t.events()) {
        if (e.kind == EventKind::Call && e.endpoint == side && e.call == call) {
            return &e;
        }
    }
    return nullptr;
}

const TraceEvent* firstSend(const Trace& t, Side side, SendReason reason) {
    for (const TraceEvent& e : t.events()) {
        if (e.kind == EventKind::Send && e.endpoint == side && e.reason == reason) {
            return &e;
        }
    }
    return nullptr;
}

std::vector<const TraceEvent*> errorsOf(const Trace& t, Side side) {
    std::vector<const TraceEvent*> out;
    for (const TraceEvent& e : t.events()) {
        if (e.kind == EventKind::Error && e.endpoint == side) {
            out.push_back(&e);
        }
    }
    return out;
}

/// A linux client that sends 3000 bytes to a server with a 4000-byte buffer
/// whose application reads only at `recv` steps.
std::string manualServer(const std::string& steps) {
    return R"(profile: linux
client: {address: "192.168.0.2:52528", isn: 100}
server: {address: "192.168.0.1:80", isn: 300, reads: manual, window: 4000}
steps:
  - {at: 0ms, server: listen}
  - {at: 10ms, client: connect}
  - {at: 200ms, client: send, bytes: 3000}
)" + steps;
}

TEST(SocketCalls, UnreadDataShrinksTheWindowAndRecvOpensIt) {
    const Trace t = simulateText(manualServer("  - {at: 1s, server: recv}\n"));
    std::vector<std::uint32_t> windows;
    for (const TraceEvent* e : sendsOf(t, Side::Server, "ACK")) {
        if (e->timeUs > 200'000 && e->timeUs < 1'000'000) {
            windows.push_back(e->segment.window);
        }
    }
    // 1460, 2920 and then 3000 bytes unread of 4000.
    EXPECT_EQ(windows, (std::vector<std::uint32_t>{2540, 1080, 1000})) << dump(t);
    const TraceEvent* update = firstSend(t, Side::Server, SendReason::WindowUpdate);
    ASSERT_NE(update, nullptr) << dump(t);
    EXPECT_EQ(update->timeUs, 1'000'000);
    EXPECT_EQ(update->segment.window, 4000U);
    EXPECT_EQ(update->segment.flags, flag::ACK);
    EXPECT_EQ(t.snapshotAt(t.size()).of(Side::Server).unreadBytes, 0U);

    const TraceEvent* recv = firstCall(t, Side::Server, UserCall::Recv);
    ASSERT_NE(recv, nullptr);
    const LocalizedText said = narrate(t, recv->index);
    EXPECT_NE(said.en.find("reads 3000 bytes"), std::string::npos) << said.en;
    EXPECT_NE(said.en.find("from 1000 to 4000"), std::string::npos) << said.en;
    EXPECT_NE(said.zh.find("读取 3000 字节"), std::string::npos) << said.zh;
    const LocalizedText upd = narrate(t, update->index);
    EXPECT_NE(upd.en.find("Window update"), std::string::npos) << upd.en;
    EXPECT_NE(upd.zh.find("窗口更新"), std::string::npos) << upd.zh;
    EXPECT_EQ(eventToJson(*recv)["call"], "recv");
    EXPECT_EQ(eventToJson(*recv)["bytes"], 0);
    EXPECT_EQ(eventToJson(*update)["note"], "window update: 3000 bytes read");
}

TEST(SocketCalls, ASmallReadSendsNoWindowUpdate) {
    // Linux tcp_cleanup_rbuf: 1000 -> 1500 is not a doubling; nothing is sent.
    const Trace t = simulateText(manualServer("  - {at: 1s, server: recv, bytes: 500}\n"));
    EXPECT_EQ(firstSend(t, Side::Server, SendReason::WindowUpdate), nullptr) << dump(t);
    EXPECT_EQ(t.snapshotAt(t.size()).of(Side::Server).unreadBytes, 2500U);
    EXPECT_EQ(t.snapshotAt(t.size()).of(Side::Server).rcvWnd, 1500U);
}

TEST(SocketCalls, CloseWithDataStillUnreadResets) {
    const Trace t = simulateText(manualServer("  - {at: 1s, server: recv, bytes: 100}\n"
                                              "  - {at: 2s, server: close}\n"));
    EXPECT_TRUE(tookArc(t, ArcId::CloseUnreadEstablished)) << dump(t);
    const TraceEvent* rst = firstSend(t, Side::Server, SendReason::CloseUnread);
    ASSERT_NE(rst, nullptr);
    EXPECT_EQ(rst->segment.flags, flag::RST | flag::ACK);
}

TEST(SocketCalls, CloseAfterReadingAllSendsFin) {
    const Trace t = simulateText(manualServer("  - {at: 1s, server: recv}\n"
                                              "  - {at: 2s, server: close}\n"));
    EXPECT_FALSE(tookArc(t, ArcId::CloseUnreadEstablished)) << dump(t);
    EXPECT_EQ(sendsOf(t, Side::Server, "FIN,ACK").size(), 1U) << dump(t);
}

std::string shutdownScenario(const std::string& how) {
    return R"(profile: linux
steps:
  - {at: 0ms, server: listen}
  - {at: 10ms, client: connect}
)" + how + R"(  - {at: 2s, server: shutdown}
  - {at: 3s, client: send, bytes: 100}
)";
}

TEST(SocketCalls, ShutdownReadSendsNothingAndLaterDataIsReset) {
    const Trace t = simulateText(shutdownScenario("  - {at: 1s, server: shutdown, how: read}\n"));
    const TraceEvent* call = firstCall(t, Side::Server, UserCall::ShutdownRead);
    ASSERT_NE(call, nullptr);
    EXPECT_TRUE(call->callError.empty());
    EXPECT_TRUE(t.reaction(call->index).empty()) << "SHUT_RD sends nothing\n" << dump(t);
    EXPECT_EQ(t.stateAt(Side::Server, call->index + 1), State::Established);
    // Linux tcp_rcv_state_process: RCV_SHUTDOWN in FIN-WAIT-2, new data: RST.
    EXPECT_TRUE(tookArc(t, ArcId::DataAfterCloseFinWait2)) << dump(t);
    const auto errors = errorsOf(t, Side::Client);
    ASSERT_EQ(errors.size(), 1U) << dump(t);
    // Linux tcp_reset: a RST in CLOSE-WAIT is EPIPE for the application.
    EXPECT_EQ(errors[0]->socketError, SocketError::BrokenPipe);
    const LocalizedText said = narrate(t, call->index);
    EXPECT_NE(said.en.find("shutdown(SHUT_RD)"), std::string::npos) << said.en;
    EXPECT_NE(said.zh.find("不再读取"), std::string::npos) << said.zh;
    EXPECT_EQ(eventToJson(*call)["call"], "shutdown-read");

    // Without SHUT_RD the same data is taken and acknowledged.
    const Trace plain = simulateText(shutdownScenario(""));
    EXPECT_FALSE(tookArc(plain, ArcId::DataAfterCloseFinWait2)) << dump(plain);
}

TEST(SocketCalls, ShutdownBothSendsFinAndRefusesLaterData) {
    const Trace t = simulateText(R"(profile: linux
steps:
  - {at: 0ms, server: listen}
  - {at: 10ms, client: connect}
  - {at: 1s, server: shutdown, how: both}
  - {at: 2s, client: send, bytes: 100}
)");
    const TraceEvent* call = firstCall(t, Side::Server, UserCall::ShutdownBoth);
    ASSERT_NE(call, nullptr);
    EXPECT_EQ(sendsOf(t, Side::Server, "FIN,ACK").size(), 1U) << dump(t);
    EXPECT_TRUE(tookArc(t, ArcId::DataAfterCloseFinWait2)) << dump(t);
    EXPECT_NE(narrate(t, call->index).zh.find("SHUT_RDWR"), std::string::npos);
    // The application still holds the socket it shut down: tcp_reset tells it.
    const auto errors = errorsOf(t, Side::Server);
    ASSERT_EQ(errors.size(), 1U) << dump(t);
    EXPECT_EQ(errors[0]->socketError, SocketError::ConnectionReset);
    EXPECT_EQ(errors[0]->errorCall, ErrorCall::Recv);
}

TEST(SocketCalls, CloseWithLingerZeroResetsWithoutTimeWait) {
    const Trace t = simulateText(R"(profile: linux
steps:
  - {at: 0ms, server: listen}
  - {at: 10ms, client: connect}
  - {at: 1s, client: close, linger: 0}
)");
    const TraceEvent* call = firstCall(t, Side::Client, UserCall::CloseLinger0);
    ASSERT_NE(call, nullptr);
    EXPECT_TRUE(tookArc(t, ArcId::AbortEstablished)) << dump(t);
    const auto rst = sendsOf(t, Side::Client, "RST,ACK");
    ASSERT_EQ(rst.size(), 1U) << dump(t);
    for (const State s : statesOf(t, Side::Client)) {
        EXPECT_NE(s, State::TimeWait);
    }
    const LocalizedText said = narrate(t, call->index);
    EXPECT_NE(said.en.find("SO_LINGER to {1, 0} and calls close()"), std::string::npos) << said.en;
    EXPECT_NE(said.zh.find("逗留时间为 0"), std::string::npos) << said.zh;
    EXPECT_EQ(eventToJson(*call)["call"], "close-linger-0");
    EXPECT_EQ(errorsOf(t, Side::Server).size(), 1U) << "the server learns ECONNRESET";
}

std::string acceptScenario(const std::string& more) {
    return R"(profile: linux
steps:
  - {at: 0ms, server: listen, backlog: 1}
  - {at: 10ms, client: connect}
  - {at: 200ms, client: send, bytes: 100}
)" + more;
}

TEST(SocketCalls, AConnectionWaitsForAcceptAndItsDataWaitsUnread) {
    const Trace t = simulateText(acceptScenario(R"(  - {at: 500ms, server: send, bytes: 10}
  - {at: 1s, server: accept}
  - {at: 1500ms, server: accept}
  - {at: 2s, server: close}
)"));
    const TraceEvent* early = firstCall(t, Side::Server, UserCall::Send);
    ASSERT_NE(early, nullptr);
    EXPECT_EQ(early->callError, "connection not accepted yet");
    EXPECT_EQ(t.stateAt(Side::Server, early->index), State::Established) << dump(t);
    EXPECT_EQ(t.snapshotAt(early->index).of(Side::Server).unreadBytes, 100U);
    const TraceEvent* accept = firstCall(t, Side::Server, UserCall::Accept);
    ASSERT_NE(accept, nullptr);
    EXPECT_EQ(t.snapshotAt(accept->index + 1).of(Side::Server).unreadBytes, 0U);
    // The data was read at accept(), so close() sends FIN, not RST.
    EXPECT_EQ(sendsOf(t, Side::Server, "FIN,ACK").size(), 1U) << dump(t);
    const LocalizedText said = narrate(t, accept->index);
    EXPECT_NE(said.en.find("accept queue"), std::string::npos) << said.en;
    EXPECT_NE(said.zh.find("accept 队列"), std::string::npos) << said.zh;
    EXPECT_EQ(eventToJson(*accept)["call"], "accept");
    // A second accept() waits for a next connection: no error, nothing happens.
    const TraceEvent* second = &t.event(accept->index + 1);
    while (second->kind != EventKind::Call && second->index + 1 < t.size()) {
        second = &t.event(second->index + 1);
    }
    EXPECT_EQ(second->call, UserCall::Accept);
    EXPECT_TRUE(second->callError.empty()) << second->callError;
    EXPECT_TRUE(t.reaction(second->index).empty());
}

TEST(SocketCalls, AcceptBeforeTheHandshakeBlocksUntilEstablished) {
    const Trace t = simulateText(R"(profile: linux
steps:
  - {at: 0ms, server: listen}
  - {at: 1ms, server: accept}
  - {at: 10ms, client: connect}
  - {at: 200ms, client: send, bytes: 100}
  - {at: 1s, server: close}
)");
    EXPECT_EQ(t.snapshotAt(t.size()).of(Side::Server).unreadBytes, 0U);
    EXPECT_EQ(sendsOf(t, Side::Server, "FIN,ACK").size(), 1U) << dump(t);
}

TEST(SocketCalls, ClosingTheListenerResetsAConnectionNotAccepted) {
    const Trace t = simulateText(acceptScenario("  - {at: 500ms, server: close-listener}\n"
                                                "  - {at: 2s, server: accept}\n"));
    EXPECT_TRUE(tookArc(t, ArcId::ListenerClosedEstablished)) << dump(t);
    const TraceEvent* rst = firstSend(t, Side::Server, SendReason::ListenerClosed);
    ASSERT_NE(rst, nullptr);
    EXPECT_EQ(rst->segment.flags, flag::RST | flag::ACK);
    EXPECT_TRUE(errorsOf(t, Side::Server).empty()) << "no program held that connection";
    const auto client = errorsOf(t, Side::Client);
    ASSERT_EQ(client.size(), 1U) << dump(t);
    EXPECT_EQ(client[0]->socketError, SocketError::ConnectionReset);
    const TraceEvent* call = firstCall(t, Side::Server, UserCall::CloseListener);
    const LocalizedText said = narrate(t, call->index);
    EXPECT_NE(said.en.find("never accepted"), std::string::npos) << said.en;
    EXPECT_NE(said.zh.find("从未被 accept()"), std::string::npos) << said.zh;
    EXPECT_EQ(eventToJson(*call)["call"], "close-listener");
}

TEST(SocketCalls, AnAcceptedConnectionOutlivesItsListener) {
    const Trace t = simulateText(acceptScenario(R"(  - {at: 400ms, server: accept}
  - {at: 500ms, server: close-listener}
  - {at: 1s, server: send, bytes: 10}
  - {at: 2s, server: close}
)"));
    const TraceEvent* call = firstCall(t, Side::Server, UserCall::CloseListener);
    ASSERT_NE(call, nullptr);
    EXPECT_TRUE(call->callError.empty());
    EXPECT_TRUE(t.reaction(call->index).empty()) << dump(t);
    EXPECT_FALSE(tookArc(t, ArcId::ListenerClosedEstablished));
    EXPECT_EQ(sendsOf(t, Side::Server, "PSH,ACK").size(), 1U) << dump(t);
    EXPECT_EQ(sendsOf(t, Side::Server, "FIN,ACK").size(), 1U) << dump(t);
}

TEST(SocketCalls, ClosingTheListenerDropsAHalfOpenConnectionSilently) {
    // The client's ACK is lost, so the server is still SYN-RECEIVED when its
    // listener closes; the client's data then meets no socket and gets RST.
    const Trace t = simulateText(R"(profile: linux
steps:
  - {at: 0ms, server: listen}
  - {at: 10ms, client: connect}
  - {at: 150ms, server: close-listener}
  - {at: 500ms, client: send, bytes: 100}
  - {at: 900ms, server: accept}
faults:
  - drop: {from: client, flags: "ACK", nth: 1}
)");
    EXPECT_TRUE(tookArc(t, ArcId::ListenerClosedSynReceived)) << dump(t);
    const TraceEvent* call = firstCall(t, Side::Server, UserCall::CloseListener);
    ASSERT_NE(call, nullptr);
    EXPECT_EQ(sendsOf(t, Side::Server, "RST,ACK").size() + sendsOf(t, Side::Server, "RST").size(),
              1U)
        << "only the answer to the client's data\n"
        << dump(t);
    const auto client = errorsOf(t, Side::Client);
    ASSERT_EQ(client.size(), 1U) << dump(t);
    EXPECT_EQ(client[0]->socketError, SocketError::ConnectionReset);
    const TraceEvent* accept = firstCall(t, Side::Server, UserCall::Accept);
    ASSERT_NE(accept, nullptr);
    EXPECT_EQ(accept->callError, "no listening socket");
}

TEST(OrphanFinWait2, OutOfWindowAcksAreRateLimitedAsInTimeWait) {
    // The client closed and its FIN is acknowledged: an orphaned FIN-WAIT-2, which
    // Linux keeps as a TIME-WAIT mini-socket. Three out-of-window ACKs at 2.0,
    // 2.1 and 2.7 s: the second comes within 500 ms of the first answer.
    const Trace t = simulateText(R"(profile: linux
client: {isn: 100}
server: {isn: 300}
steps:
  - {at: 0ms, server: listen}
  - {at: 10ms, client: connect}
  - {at: 1s, client: close}
  - {at: 2s, inject: {to: client, flags: "ACK", seq: 90301, ack: 102}}
  - {at: 2100ms, inject: {to: client, flags: "ACK", seq: 90301, ack: 102}}
  - {at: 2700ms, inject: {to: client, flags: "ACK", seq: 90301, ack: 102}}
)");
    std::vector<std::int64_t> answers;
    for (const TraceEvent* e : sendsOf(t, Side::Client, "ACK")) {
        if (e->reason == SendReason::OutOfWindowAck) {
            answers.push_back(e->timeUs);
        }
    }
    EXPECT_EQ(answers, (std::vector<std::int64_t>{2'000'000, 2'700'000})) << dump(t);
    // Nothing of it ends the orphan: tcp_fin_timeout does, 60 s on.
    EXPECT_TRUE(tookArc(t, ArcId::FinWait2Timeout)) << dump(t);
}

} // namespace
} // namespace tcpviz::test
