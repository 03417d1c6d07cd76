// PassiveTracker: every inferred transition, at the packet the documented rule names.
#include "capture/analyzer.h"
#include "capture/connection_trace.h"
#include "capture/flow_table.h"
#include "capture/passive_tracker.h"
#include "capture/wire.h"

#include <array>
#include <cstddef>
#include <gtest/gtest.h>
#include <string>
#include <vector>

namespace tcpviz {
namespace {

// "STATE@packet" list, e.g. "CLOSED@0 SYN-SENT@1 ESTABLISHED@3".
std::string sequence(const ConnectionSummary& c, Side s) {
    std::string out;
    for (const auto& e : c.states(s)) {
        out += (out.empty() ? "" : " ") + std::string(stateName(e.state)) + "@" +
               std::to_string(e.packet);
    }
    return out;
}

std::string arcs(const ConnectionSummary& c, Side s) {
    std::string out;
    for (const auto& e : c.states(s)) {
        if (e.arc) {
            out += (out.empty() ? "" : " ") + std::string(arc(*e.arc).key);
        }
    }
    return out;
}

AnalysisResult analyse(const Wire& w) {
    Analyzer a;
    for (const auto& p : w.packets()) {
        a.add(p);
    }
    return a.finish({});
}

TEST(PassiveTracker, HandshakeAndClientFirstClose) {
    Wire w;
    handshakeAndData(w);
    w.send(Side::Client, "FIN,ACK", 105, 305); // 7 client closes
    w.send(Side::Server, "ACK", 305, 106);     // 8 server answers the FIN
    w.send(Side::Server, "FIN,ACK", 305, 106); // 9 server closes
    w.send(Side::Client, "ACK", 106, 306);     // 10 client answers
    const auto r = analyse(w);
    ASSERT_EQ(r.connections.size(), 1U);
    const auto& c = r.connections.front();
    EXPECT_EQ(c.client().toString(), "10.0.0.1:40000");
    EXPECT_EQ(c.server().toString(), "10.0.0.2:80");
    EXPECT_FALSE(c.tracker.midStream());
    EXPECT_EQ(sequence(c, Side::Client),
              "CLOSED@0 SYN-SENT@1 ESTABLISHED@3 FIN-WAIT-1@7 FIN-WAIT-2@8 TIME-WAIT@10");
    EXPECT_EQ(sequence(c, Side::Server),
              "LISTEN@0 SYN-RECEIVED@2 ESTABLISHED@3 CLOSE-WAIT@8 LAST-ACK@9 CLOSED@10");
    EXPECT_EQ(arcs(c, Side::Client),
              "active-open rcv-syn-ack established-close fin-wait-1-ack-of-fin fin-wait-2-rcv-fin");
    EXPECT_EQ(arcs(c, Side::Server),
              "rcv-syn rcv-ack-of-syn rcv-fin close-wait-close last-ack-ack-of-fin");
    const auto& st = c.tracker.stats();
    EXPECT_EQ(st.syn, 1U);
    EXPECT_EQ(st.synAck, 1U);
    EXPECT_EQ(st.fin, 2U);
    EXPECT_EQ(st.rst, 0U);
    EXPECT_EQ(st.retransmissions, 0U);
    EXPECT_EQ(st.bytes[0], 4U);
    EXPECT_EQ(st.bytes[1], 4U);
    EXPECT_EQ(st.completeness(), 31);
    EXPECT_EQ(st.history(), "ShADdFaf"); // server data (d) came before its pure ACK (a)
    EXPECT_EQ(st.connState(), "SF");
    EXPECT_EQ(c.firstPacket, 1U);
    EXPECT_EQ(c.lastPacket, 10U);
}

TEST(PassiveTracker, ServerFirstCloseWithPiggybackedFin) {
    Wire w;
    handshakeAndData(w);
    w.send(Side::Server, "FIN,ACK", 305, 105); // 7 server closes first
    w.send(Side::Client, "FIN,ACK", 105, 306); // 8 client answers with its own FIN
    w.send(Side::Server, "ACK", 306, 106);     // 9
    const auto r = analyse(w);
    const auto& c = r.connections.front();
    EXPECT_EQ(sequence(c, Side::Server),
              "LISTEN@0 SYN-RECEIVED@2 ESTABLISHED@3 FIN-WAIT-1@7 TIME-WAIT@9");
    EXPECT_EQ(arcs(c, Side::Server), "rcv-syn rcv-ack-of-syn established-close fin-wait-1-fin-ack");
    EXPECT_EQ(sequence(c, Side::Client),
              "CLOSED@0 SYN-SENT@1 ESTABLISHED@3 CLOSE-WAIT@8 LAST-ACK@8 CLOSED@9");
    EXPECT_EQ(c.finalState(Side::Server), State::TimeWait);
    EXPECT_EQ(c.tracker.stats().connState(), "SF");
}

TEST(PassiveTracker, SimultaneousClose) {
    Wire w;
    handshakeAndData(w);
    w.send(Side::Client, "FIN,ACK", 105, 305); // 7
    w.send(Side::Server, "FIN,ACK", 305, 105); // 8 crosses the client's FIN
    w.send(Side::Client, "ACK", 106, 306);     // 9 client answers the server's FIN
    w.send(Side::Server, "ACK", 306, 106);     // 10 server answers the client's FIN
    const auto r = analyse(w);
    const auto& c = r.connections.front();
    EXPECT_EQ(sequence(c, Side::Client),
              "CLOSED@0 SYN-SENT@1 ESTABLISHED@3 FIN-WAIT-1@7 CLOSING@9 TIME-WAIT@10");
    EXPECT_EQ(arcs(c, Side::Client),
              "active-open rcv-syn-ack established-close simultaneous-close closing-ack-of-fin");
    // The client's ACK (9) follows the client's FIN (7): by then the server has the
    // client's FIN (in-order delivery), so it is CLOSING before its own FIN is ACKed.
    EXPECT_EQ(sequence(c, Side::Server),
              "LISTEN@0 SYN-RECEIVED@2 ESTABLISHED@3 FIN-WAIT-1@8 CLOSING@9 TIME-WAIT@9");
}

TEST(PassiveTracker, SimultaneousOpen) {
    Wire w;
    w.send(Side::Client, "SYN", 100, 0);       // 1
    w.send(Side::Server, "SYN", 300, 0);       // 2 the "server" connects too
    w.send(Side::Client, "SYN,ACK", 100, 301); // 3
    w.send(Side::Server, "SYN,ACK", 300, 101); // 4
    const auto r = analyse(w);
    const auto& c = r.connections.front();
    EXPECT_EQ(sequence(c, Side::Client), "CLOSED@0 SYN-SENT@1 SYN-RECEIVED@3 ESTABLISHED@4");
    EXPECT_EQ(sequence(c, Side::Server), "CLOSED@0 SYN-SENT@2 SYN-RECEIVED@4 ESTABLISHED@4");
    EXPECT_EQ(arcs(c, Side::Client), "active-open simultaneous-open rcv-ack-of-syn");
    EXPECT_EQ(arcs(c, Side::Server), "active-open simultaneous-open rcv-ack-of-syn");
}

TEST(PassiveTracker, RetransmissionsCauseNoTransition) {
    Wire w;
    w.send(Side::Client, "SYN", 100, 0);           // 1
    w.send(Side::Client, "SYN", 100, 0);           // 2 SYN retransmitted
    w.send(Side::Server, "SYN,ACK", 300, 101);     // 3
    w.send(Side::Server, "SYN,ACK", 300, 101);     // 4 SYN+ACK retransmitted
    w.send(Side::Client, "ACK", 101, 301);         // 5
    w.send(Side::Client, "PSH,ACK", 101, 301, 10); // 6
    w.send(Side::Client, "PSH,ACK", 101, 301, 10); // 7 data retransmitted
    w.send(Side::Server, "ACK", 301, 111);         // 8
    w.send(Side::Client, "FIN,ACK", 111, 301);     // 9
    w.send(Side::Client, "FIN,ACK", 111, 301);     // 10 FIN retransmitted
    const auto r = analyse(w);
    const auto& c = r.connections.front();
    EXPECT_EQ(sequence(c, Side::Client), "CLOSED@0 SYN-SENT@1 ESTABLISHED@5 FIN-WAIT-1@9");
    EXPECT_EQ(sequence(c, Side::Server), "LISTEN@0 SYN-RECEIVED@3 ESTABLISHED@5");
    const auto& st = c.tracker.stats();
    EXPECT_EQ(st.retransmissions, 4U);
    EXPECT_EQ(st.syn, 2U);
    EXPECT_EQ(st.synAck, 2U);
    EXPECT_EQ(st.bytes[0], 10U); // the retransmitted copy is not counted twice
    EXPECT_NE(st.history().find('T'), std::string::npos);
}

TEST(PassiveTracker, KeepAliveAndPureAcksAreNotRetransmissions) {
    Wire w;
    handshakeAndData(w);
    w.send(Side::Client, "ACK", 104, 305, 1); // keep-alive probe: seq = SND.NXT - 1
    w.send(Side::Server, "ACK", 305, 105);    // its answer
    w.send(Side::Server, "ACK", 305, 105);    // a duplicate pure ACK
    const auto r = analyse(w);
    EXPECT_EQ(r.connections.front().tracker.stats().retransmissions, 0U);
}

TEST(PassiveTracker, MidStreamStartsEstablishedWithLowerPortAsServer) {
    Wire w;
    // The first packet is from the server (port 80) to the client: roles by port.
    w.send(Side::Server, "PSH,ACK", 5000, 9000, 100); // 1
    w.send(Side::Client, "ACK", 9000, 5100);          // 2
    w.send(Side::Client, "FIN,ACK", 9000, 5100);      // 3
    w.send(Side::Server, "FIN,ACK", 5100, 9001);      // 4
    w.send(Side::Client, "ACK", 9001, 5101);          // 5
    const auto r = analyse(w);
    const auto& c = r.connections.front();
    EXPECT_TRUE(c.tracker.midStream());
    EXPECT_EQ(c.server().port, 80);
    EXPECT_EQ(c.client().port, 40000);
    EXPECT_EQ(sequence(c, Side::Client), "ESTABLISHED@0 FIN-WAIT-1@3 TIME-WAIT@5");
    EXPECT_EQ(sequence(c, Side::Server), "ESTABLISHED@0 CLOSE-WAIT@4 LAST-ACK@4 CLOSED@5");
    EXPECT_EQ(c.tracker.stats().completeness(), 8 | 4 | 16); // no SYN bits: not complete
    EXPECT_EQ(c.tracker.stats().connState(), "SF");
    EXPECT_EQ(c.tracker.stats().history().front(), '^'); // Zeek would flip it too
}

TEST(PassiveTracker, PortReuseStartsANewConnection) {
    Wire w;
    handshakeAndData(w);
    w.send(Side::Client, "FIN,ACK", 105, 305); // 7
    w.send(Side::Server, "FIN,ACK", 305, 106); // 8
    w.send(Side::Client, "ACK", 106, 306);     // 9: client in TIME-WAIT
    w.send(Side::Client, "SYN", 50'000, 0);    // 10: same tuple, new ISN
    w.send(Side::Server, "SYN,ACK", 70'000, 50'001);
    w.send(Side::Client, "ACK", 50'001, 70'001);
    w.send(Side::Client, "SYN", 50'000, 0); // a late retransmission of that SYN: no reuse
    const auto r = analyse(w);
    ASSERT_EQ(r.connections.size(), 2U);
    EXPECT_EQ(r.connections[0].finalState(Side::Client), State::TimeWait);
    EXPECT_EQ(r.connections[0].lastPacket, 9U);
    EXPECT_EQ(r.connections[1].firstPacket, 10U);
    EXPECT_EQ(r.connections[1].packets(), 4U);
    EXPECT_EQ(sequence(r.connections[1], Side::Client), "CLOSED@0 SYN-SENT@10 ESTABLISHED@12");
}

TEST(PassiveTracker, AbortWithRstInWindow) {
    Wire w;
    handshakeAndData(w);
    w.send(Side::Client, "RST,ACK", 105, 305); // 7: SO_LINGER 0, seq = RCV.NXT of the server
    const auto r = analyse(w);
    const auto& c = r.connections.front();
    EXPECT_EQ(sequence(c, Side::Client), "CLOSED@0 SYN-SENT@1 ESTABLISHED@3 CLOSED@7");
    EXPECT_EQ(arcs(c, Side::Client), "active-open rcv-syn-ack abort-established");
    EXPECT_EQ(sequence(c, Side::Server), "LISTEN@0 SYN-RECEIVED@2 ESTABLISHED@3 CLOSED@7");
    EXPECT_EQ(arcs(c, Side::Server), "rcv-syn rcv-ack-of-syn rst-established");
    EXPECT_EQ(c.tracker.ignoredRsts(), 0U);
    EXPECT_EQ(c.tracker.stats().connState(), "RSTO");
    EXPECT_EQ(c.tracker.stats().completeness(), 1 | 2 | 4 | 8 | 32);
}

TEST(PassiveTracker, RstOutsideTheWindowIsIgnored) {
    Wire w;
    handshakeAndData(w);
    w.send(Side::Client, "RST", 105 + 200'000, 0, 0); // 7: far beyond the server's window
    w.send(Side::Server, "RST", 305 - 10, 0, 0);      // 8: below RCV.NXT (old)
    const auto r = analyse(w);
    const auto& c = r.connections.front();
    EXPECT_EQ(c.finalState(Side::Client), State::Established);
    EXPECT_EQ(c.finalState(Side::Server), State::Established);
    EXPECT_EQ(c.tracker.ignoredRsts(), 2U);
    EXPECT_EQ(c.tracker.stats().rst, 2U); // still counted as RST segments, like tshark
    // In the window but not exactly RCV.NXT: a challenge ACK, no reset (RFC 9293 3.10.7.4).
    Wire w2;
    handshakeAndData(w2);
    w2.send(Side::Server, "RST", 305 + 1000, 0, 0, 0);
    const auto r2 = analyse(w2);
    EXPECT_EQ(r2.connections.front().finalState(Side::Client), State::Established);
    EXPECT_EQ(r2.connections.front().tracker.ignoredRsts(), 1U);
    // Exactly RCV.NXT as the receiver acknowledged it: reset.
    Wire w3;
    handshakeAndData(w3);
    w3.send(Side::Server, "RST", 305, 0, 0, 0);
    const auto r3 = analyse(w3);
    EXPECT_EQ(r3.connections.front().finalState(Side::Client), State::Closed);
    EXPECT_EQ(r3.connections.front().finalState(Side::Server), State::Closed);
}

TEST(PassiveTracker, OldDuplicateSynIsNotANewConnection) {
    // RFC 9293 Figure 9: an old SYN (seq 90) reaches the server during the handshake.
    Wire w;
    w.send(Side::Client, "SYN", 100, 0);        // 1
    w.send(Side::Client, "SYN", 90, 0);         // 2 old duplicate
    w.send(Side::Server, "SYN,ACK", 300, 91);   // 3 answers the old SYN
    w.send(Side::Client, "RST", 91, 0);         // 4 client: unacceptable ACK -> RST
    w.send(Side::Server, "SYN,ACK", 7000, 101); // 5 answers the real SYN
    w.send(Side::Client, "ACK", 101, 7001);     // 6
    const auto r = analyse(w);
    ASSERT_EQ(r.connections.size(), 1U);
    const auto& c = r.connections.front();
    EXPECT_EQ(sequence(c, Side::Client), "CLOSED@0 SYN-SENT@1 ESTABLISHED@6");
    EXPECT_EQ(sequence(c, Side::Server),
              "LISTEN@0 SYN-RECEIVED@3 LISTEN@4 SYN-RECEIVED@5 ESTABLISHED@6");
    EXPECT_EQ(arcs(c, Side::Server), "rcv-syn syn-received-rst rcv-syn rcv-ack-of-syn");
}

TEST(PassiveTracker, WindowScaleAppliesOnlyWhenBothSynsOfferIt) {
    for (const bool serverOffers : {true, false}) {
        Wire w;
        auto syn = w.send(Side::Client, "SYN", 100, 0);
        syn.tcp.options.windowScale = 7;
        auto synAck = w.send(Side::Server, "SYN,ACK", 300, 101);
        if (serverOffers) {
            synAck.tcp.options.windowScale = 7;
        }
        const auto ack = w.send(Side::Client, "ACK", 101, 301, 0, 100);
        const auto data = w.send(Side::Server, "ACK", 301, 101, 0, 100);
        PassiveTracker t;
        for (const auto& p : {syn, synAck, ack, data}) {
            t.onPacket(p);
        }
        EXPECT_EQ(t.tcb(Side::Client).rcvWnd, serverOffers ? 12800U : 100U);
        EXPECT_EQ(t.tcb(Side::Server).sndWnd, serverOffers ? 12800U : 100U);
    }
}

// The working state (sequence state, capture-copy memory) is apart from the
// results, so that a finished analysis frees it: releasing it keeps everything a
// table or the JSON reads, and copies never share it.
TEST(PassiveTracker, ReleasingTheWorkKeepsTheResults) {
    Wire w;
    handshakeAndData(w);
    w.send(Side::Client, "FIN,ACK", 105, 305);
    w.send(Side::Server, "ACK", 305, 106);
    PassiveTracker t;
    for (const auto& p : w.packets()) {
        t.onPacket(p);
    }
    const PassiveTracker copy = t;
    ASSERT_EQ(copy.tcb(Side::Client).sndNxt, t.tcb(Side::Client).sndNxt);
    const std::string history = t.stats().history();
    EXPECT_EQ(t.releaseWork(), nullptr) << "its own work is freed, not handed back";
    EXPECT_TRUE(t.settled());
    EXPECT_EQ(t.state(Side::Client), State::FinWait2);
    EXPECT_EQ(t.state(Side::Server), State::CloseWait);
    EXPECT_EQ(t.tcb(Side::Client).state, State::FinWait2);
    EXPECT_EQ(t.tcb(Side::Client).sndNxt, 0U) << "sequence state went with the work";
    EXPECT_TRUE(t.seen(Side::Client));
    EXPECT_TRUE(t.seen(Side::Server));
    EXPECT_EQ(t.packets(), w.packets().size());
    EXPECT_EQ(t.stats().history(), history);
    EXPECT_EQ(t.client().toString(), "10.0.0.1:40000");
    // The copy made before kept a work of its own and goes on.
    EXPECT_FALSE(copy.settled());
    EXPECT_EQ(copy.tcb(Side::Client).sndNxt, 106U);
}

TEST(PassiveTracker, WorkGivenByAPoolIsHandedBackAndCopiesOwnTheirs) {
    Wire w;
    handshakeAndData(w);
    alignas(std::max_align_t) static std::array<std::byte, 512> memory{};
    ASSERT_LE(PassiveTracker::kWorkBytes, memory.size());
    ASSERT_LE(PassiveTracker::kWorkAlign, alignof(std::max_align_t));
    PassiveTracker t;
    t.useWork(memory.data());
    const auto& packets = w.packets();
    t.onPacket(packets.at(0));
    t.onPacket(packets.at(1));
    PassiveTracker copy = t;
    for (std::size_t i = 2; i < packets.size(); ++i) {
        t.onPacket(packets[i]);
        copy.onPacket(packets[i]);
    }
    EXPECT_EQ(copy.state(Side::Client), State::Established);
    EXPECT_EQ(copy.tcb(Side::Server).sndNxt, t.tcb(Side::Server).sndNxt);
    EXPECT_EQ(copy.stats().retransmissions, 0U) << "the copy's own work saw each packet once";
    PassiveTracker moved = std::move(t);
    EXPECT_EQ(moved.releaseWork(), memory.data());
    EXPECT_EQ(copy.releaseWork(), nullptr);
}

TEST(PassiveTracker, ConnectionRefused) {
    Wire w;
    w.send(Side::Client, "SYN", 100, 0);     // 1
    w.send(Side::Server, "RST,ACK", 0, 101); // 2 nothing listens
    const auto r = analyse(w);
    const auto& c = r.connections.front();
    EXPECT_EQ(sequence(c, Side::Client), "CLOSED@0 SYN-SENT@1 CLOSED@2");
    EXPECT_EQ(arcs(c, Side::Client), "active-open syn-sent-rst");
    EXPECT_EQ(sequence(c, Side::Server), "CLOSED@0");
    EXPECT_EQ(c.tracker.stats().connState(), "REJ");
    EXPECT_EQ(c.tracker.stats().history(), "Sr");
}

TEST(PassiveTracker, RstInSynSentNeedsTheRightAck) {
    Wire w;
    w.send(Side::Client, "SYN", 100, 0);      // 1
    w.send(Side::Server, "RST,ACK", 0, 9999); // 2 does not ACK the SYN: ignored
    const auto r = analyse(w);
    const auto& c = r.connections.front();
    EXPECT_EQ(c.finalState(Side::Client), State::SynSent);
    EXPECT_EQ(c.tracker.ignoredRsts(), 1U);
}

TEST(PassiveTracker, HalfOpenSynRstFromClientGivesRstos0) {
    Wire w;
    w.send(Side::Client, "SYN", 100, 0);
    w.send(Side::Client, "RST", 101, 0);
    const auto r = analyse(w);
    EXPECT_EQ(r.connections.front().tracker.stats().connState(), "RSTOS0");
    EXPECT_EQ(r.connections.front().tracker.stats().connState(), "RSTOS0");
    Wire w2;
    w2.send(Side::Client, "SYN", 100, 0);
    EXPECT_EQ(analyse(w2).connections.front().tracker.stats().connState(), "S0");
    EXPECT_EQ(analyse(w2).connections.front().tracker.stats().completeness(), 1);
}

TEST(PassiveTracker, ServerResetsDuringHandshakeReturnsToListen) {
    Wire w;
    w.send(Side::Client, "SYN", 100, 0);       // 1
    w.send(Side::Server, "SYN,ACK", 300, 101); // 2
    w.send(Side::Client, "RST", 101, 0);       // 3 the client resets the half-open connection
    const auto r = analyse(w);
    const auto& c = r.connections.front();
    EXPECT_EQ(sequence(c, Side::Server), "LISTEN@0 SYN-RECEIVED@2 LISTEN@3");
    EXPECT_EQ(arcs(c, Side::Server), "rcv-syn syn-received-rst");
    EXPECT_EQ(sequence(c, Side::Client), "CLOSED@0 SYN-SENT@1 CLOSED@3");
    EXPECT_EQ(arcs(c, Side::Client), "active-open abort-syn-sent");
}

TEST(PassiveTracker, CaptureStartingAtSynAck) {
    Wire w;
    w.send(Side::Server, "SYN,ACK", 300, 101); // 1: the client's SYN was not captured
    w.send(Side::Client, "ACK", 101, 301);     // 2
    const auto r = analyse(w);
    const auto& c = r.connections.front();
    EXPECT_EQ(c.client().port, 40000);
    EXPECT_EQ(sequence(c, Side::Client), "SYN-SENT@0 ESTABLISHED@2");
    EXPECT_EQ(sequence(c, Side::Server), "LISTEN@0 SYN-RECEIVED@1 ESTABLISHED@2");
    EXPECT_EQ(c.tracker.stats().completeness(), 2 | 4 | 0); // tshark: no SYN bit
}

TEST(PassiveTracker, TraceIsSteppableLikeASimulation) {
    Wire w;
    handshakeAndData(w);
    w.send(Side::Client, "FIN,ACK", 105, 305);
    w.send(Side::Server, "FIN,ACK", 305, 106);
    w.send(Side::Client, "ACK", 106, 306);
    const Trace t = buildConnectionTrace(w.packets());
    EXPECT_TRUE(t.meta.fromCapture);
    EXPECT_EQ(t.meta.client.address.toString(), "10.0.0.1:40000");
    EXPECT_EQ(t.meta.client.isn, 100U);
    EXPECT_EQ(t.meta.server.isn, 300U);
    std::size_t sends = 0;
    for (const auto& e : t.events()) {
        if (e.kind == EventKind::Send) {
            ++sends;
            EXPECT_EQ(e.segmentId, e.packet);
        }
    }
    EXPECT_EQ(sends, w.packets().size());
    // Sender's own transition comes before its Send: CLOSED -> SYN-SENT, then the SYN.
    ASSERT_GE(t.size(), 2U);
    EXPECT_EQ(t.event(0).kind, EventKind::Transition);
    EXPECT_EQ(t.event(0).arc, ArcId::ActiveOpen);
    EXPECT_EQ(t.event(1).kind, EventKind::Send);
    EXPECT_EQ(t.event(1).packet, 1U);
    // The Trace's state lists equal the analysis' lists.
    Analyzer a;
    for (const auto& p : w.packets()) {
        a.add(p);
    }
    const auto r = a.finish({});
    for (const Side s : {Side::Client, Side::Server}) {
        const auto fromTrace = t.states(s);
        const auto fromAnalysis = r.connections.front().states(s);
        ASSERT_EQ(fromTrace.size(), fromAnalysis.size());
        for (std::size_t i = 0; i < fromTrace.size(); ++i) {
            EXPECT_EQ(fromTrace[i].state, fromAnalysis[i].state);
            if (i > 0) {
                EXPECT_EQ(t.event(fromTrace[i].event).packet, fromAnalysis[i].packet);
            }
        }
    }
    // Snapshots carry the inferred sequence variables.
    EXPECT_EQ(t.snapshotAt(t.size()).of(Side::Client).sndNxt, 106U);
    EXPECT_EQ(t.snapshotAt(t.size()).of(Side::Server).state, State::Closed);
    // Capture timing is kept: 10 ms between packets, 80 ms from the first to the last.
    std::vector<std::int64_t> captured;
    for (const auto& e : t.events()) {
        if (e.kind == EventKind::Send) {
            captured.push_back(e.capturedUs);
        }
    }
    ASSERT_EQ(captured.size(), 9U);
    EXPECT_EQ(captured.back() - captured.front(), 80'000);
    // The handshake puts the capture point 5 ms from each end: the last packet,
    // captured at 80 ms, arrives 5 ms later, and time 0 is the first SYN's sending.
    EXPECT_EQ(t.events().back().timeUs, 90'000);
}

} // namespace
} // namespace tcpviz
