// The `simulate --json` contract: field names and values that scripts rely on.
#include "trace/trace_json.h"
#include "trace_builder.h"

#include <gtest/gtest.h>

namespace tcpviz {
namespace {

using testing::handshake;
using testing::TraceBuilder;

TEST(TraceJson, TopLevelFieldsOfTheContract) {
    const Trace trace = handshake().build();
    const auto j = traceToJson(trace);
    EXPECT_EQ(j.at("scenario"), "hand-built");
    EXPECT_EQ(j.at("profile"), "rfc9293");
    EXPECT_EQ(j.at("client").at("address"), "192.168.0.2:52528");
    EXPECT_EQ(j.at("client").at("isn"), 100);
    EXPECT_EQ(j.at("server").at("address"), "192.168.0.1:80");
    EXPECT_EQ(j.at("server").at("isn"), 300);
    EXPECT_EQ(j.at("title").at("zh"), "手工构造");
    ASSERT_EQ(j.at("events").size(), trace.size());
    EXPECT_EQ(j.at("end_time_us"), 160'000);
}

TEST(TraceJson, EventsByKind) {
    const auto j = traceToJson(handshake().build());
    const auto& events = j.at("events");

    const auto& listen = events.at(0);
    EXPECT_EQ(listen.at("index"), 0);
    EXPECT_EQ(listen.at("time_us"), 0);
    EXPECT_EQ(listen.at("endpoint"), "server");
    EXPECT_EQ(listen.at("kind"), "call");
    EXPECT_EQ(listen.at("call"), "listen");
    EXPECT_FALSE(listen.contains("error"));

    const auto& passive = events.at(1);
    EXPECT_EQ(passive.at("kind"), "transition");
    EXPECT_EQ(passive.at("from"), "CLOSED");
    EXPECT_EQ(passive.at("to"), "LISTEN");
    EXPECT_EQ(passive.at("arc"), "passive-open");

    const auto& syn = events.at(4);
    EXPECT_EQ(syn.at("kind"), "send");
    EXPECT_EQ(syn.at("endpoint"), "client");
    EXPECT_EQ(syn.at("segment").at("flags"), "SYN");
    EXPECT_EQ(syn.at("segment").at("seq"), 100);
    EXPECT_EQ(syn.at("segment").at("ack"), 0);
    EXPECT_EQ(syn.at("segment").at("len"), 0);
    EXPECT_EQ(syn.at("segment").at("window"), 65535);
    EXPECT_EQ(syn.at("retransmission"), false);
    EXPECT_EQ(syn.at("planned_arrival_us"), 60'000);

    const auto& arrive = events.at(5);
    EXPECT_EQ(arrive.at("kind"), "arrive");
    EXPECT_EQ(arrive.at("endpoint"), "server");
    EXPECT_EQ(arrive.at("segment_id"), syn.at("segment_id"));

    const auto& synAck = events.at(7);
    EXPECT_EQ(synAck.at("segment").at("flags"), "SYN,ACK");
    EXPECT_EQ(synAck.at("segment").at("ack"), 101);
}

TEST(TraceJson, StatesListEveryStateFromTheInitialOne) {
    const auto j = traceToJson(handshake().build());
    const auto& client = j.at("client_states");
    ASSERT_EQ(client.size(), 3U);
    EXPECT_EQ(client.at(0).at("state"), "CLOSED");
    EXPECT_EQ(client.at(0).at("event"), 0);
    EXPECT_EQ(client.at(1).at("state"), "SYN-SENT");
    EXPECT_EQ(client.at(1).at("event"), 3);
    EXPECT_EQ(client.at(2).at("state"), "ESTABLISHED");
    const auto& server = j.at("server_states");
    ASSERT_EQ(server.size(), 4U);
    EXPECT_EQ(server.at(3).at("state"), "ESTABLISHED");
    EXPECT_EQ(server.at(3).at("event"), 12);
}

TEST(TraceJson, DropTimerRetransmissionErrorAndNote) {
    TraceBuilder b(State::SynSent, State::Listen);
    b.send(0, Side::Client, flag::SYN, 100, 0)
        .drop(0)
        .timer(1'000'000, Side::Client, TimerKind::Retransmission)
        .send(1'000'000, Side::Client, flag::SYN, 100, 0, 0, true)
        .call(1'100'000, Side::Client, UserCall::Send, 10, "connection does not exist")
        .note("challenge ACK (RFC 5961)")
        .send(1'200'000, Side::Client, flag::ACK, 101, 301, 0, false, true);
    const auto j = traceToJson(b.build());
    const auto& events = j.at("events");
    EXPECT_EQ(events.at(1).at("kind"), "drop");
    EXPECT_EQ(events.at(1).at("endpoint"), "client");
    EXPECT_EQ(events.at(2).at("kind"), "timer");
    EXPECT_EQ(events.at(2).at("timer"), "retransmission");
    EXPECT_EQ(events.at(3).at("retransmission"), true);
    EXPECT_EQ(events.at(4).at("call"), "send");
    EXPECT_EQ(events.at(4).at("bytes"), 10);
    EXPECT_EQ(events.at(4).at("error"), "connection does not exist");
    EXPECT_EQ(events.at(5).at("note"), "challenge ACK (RFC 5961)");
    EXPECT_EQ(events.at(5).at("injected"), true);
}

TEST(TraceJson, NetworkAndScenarioRemarksComeFromTheEventNotFromItsNote) {
    TraceBuilder b(State::Established, State::Established);
    b.send(0, Side::Client, flag::ACK, 101, 301)
        .drop(10)
        .send(20, Side::Server, flag::RST, 301, 0, 0, false, true)
        .arrive(20)
        .note("challenge ACK (RFC 5961)")
        .send(30, Side::Server, flag::RST, 301, 0, 0, false, true);
    const auto j = traceToJson(b.build());
    const auto& events = j.at("events");
    EXPECT_FALSE(events.at(0).contains("note"));
    EXPECT_EQ(events.at(1).at("note"), "lost in the network");
    EXPECT_EQ(events.at(2).at("note"), "injected");
    EXPECT_FALSE(events.at(3).contains("note")) << "the arrival of an injected segment";
    EXPECT_EQ(events.at(4).at("note"), "challenge ACK (RFC 5961)") << "the producer's note wins";
}

TEST(TraceJson, RoundTripsThroughText) {
    const auto j = traceToJson(handshake().build());
    const auto text = j.dump(2);
    const auto back = nlohmann::json::parse(text);
    EXPECT_EQ(back.at("events").size(), j.at("events").size());
    // Field order follows the contract's example.
    EXPECT_LT(text.find("\"scenario\""), text.find("\"events\""));
    EXPECT_LT(text.find("\"index\""), text.find("\"kind\""));
}

} // namespace
} // namespace tcpviz
