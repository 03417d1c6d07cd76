// Arc coverage of the passive tracker: every arc its rules can infer is inferred at
// least once from a crafted capture, each case names the rule it exercises, and no
// capture makes a rule name an arc that does not start at the side's state.
//
// Client 10.0.0.1:40000 (ISN 100), server 10.0.0.2:80 (ISN 300) throughout.
#include "capture/analyzer.h"
#include "capture/wire.h"
#include "tcp/arc.h"

#include <algorithm>
#include <functional>
#include <gtest/gtest.h>
#include <set>
#include <string>
#include <vector>

namespace tcpviz {
namespace {

struct Inferred {
    std::vector<ArcId> client;
    std::vector<ArcId> server;
    std::uint32_t anomalies = 0;
};

Inferred infer(const Wire& w) {
    Analyzer a;
    for (const auto& p : w.packets()) {
        a.add(p);
    }
    const auto r = a.finish({});
    Inferred out;
    if (r.connections.size() != 1) {
        ADD_FAILURE() << "expected one connection, got " << r.connections.size();
        return out;
    }
    const auto& c = r.connections.front();
    for (const auto& e : c.states(Side::Client)) {
        if (e.arc) {
            out.client.push_back(*e.arc);
        }
    }
    for (const auto& e : c.states(Side::Server)) {
        if (e.arc) {
            out.server.push_back(*e.arc);
        }
    }
    out.anomalies = c.tracker.inferenceAnomalies();
    return out;
}

// Prefixes that bring the connection to a known pair of states.
void handshake(Wire& w) {
    w.send(Side::Client, "SYN", 100, 0);       // CLOSED -> SYN-SENT
    w.send(Side::Server, "SYN,ACK", 300, 101); // LISTEN -> SYN-RECEIVED
    w.send(Side::Client, "ACK", 101, 301);     // both ESTABLISHED
}
void clientClosedFirst(Wire& w) { // client FIN-WAIT-2, server CLOSE-WAIT
    handshake(w);
    w.send(Side::Client, "FIN,ACK", 101, 301);
    w.send(Side::Server, "ACK", 301, 102);
}
void serverClosedToo(Wire& w) { // client FIN-WAIT-2 with the FIN in flight, server LAST-ACK
    clientClosedFirst(w);
    w.send(Side::Server, "FIN,ACK", 301, 102);
}
void clientTimeWait(Wire& w) { // client TIME-WAIT, server CLOSED
    serverClosedToo(w);
    w.send(Side::Client, "ACK", 102, 302);
}
void crossingFins(Wire& w) { // both FIN-WAIT-1, each FIN not yet acknowledged
    handshake(w);
    w.send(Side::Client, "FIN,ACK", 101, 301);
    w.send(Side::Server, "FIN,ACK", 301, 101);
}
void closing(Wire& w) { // client CLOSING (it ACKed the server's FIN), server CLOSING
    crossingFins(w);
    w.send(Side::Client, "ACK", 102, 302);
}
void simultaneousOpen(Wire& w) { // client SYN-RECEIVED (active), server SYN-SENT
    w.send(Side::Client, "SYN", 100, 0);
    w.send(Side::Server, "SYN", 300, 0);
    w.send(Side::Client, "SYN,ACK", 100, 301);
}

struct Case {
    const char* rule;
    std::function<void(Wire&)> build;
    Side side;
    ArcId expected;
};

// One case per inference rule of PassiveTracker (passive_tracker.h lists them).
const std::vector<Case>& cases() {
    static const std::vector<Case> all = {
        // Opening.
        {"a pure SYN is its sender's active OPEN",
         [](Wire& w) { w.send(Side::Client, "SYN", 100, 0); }, Side::Client, ArcId::ActiveOpen},
        {"a SYN,ACK from LISTEN is the answer to rcv SYN",
         [](Wire& w) {
             w.send(Side::Client, "SYN", 100, 0);
             w.send(Side::Server, "SYN,ACK", 300, 101);
         },
         Side::Server, ArcId::RcvSyn},
        {"the client's ACK of the SYN,ACK is rcv SYN,ACK", handshake, Side::Client,
         ArcId::RcvSynAck},
        {"the handshake ACK arriving is rcv ACK of SYN", handshake, Side::Server,
         ArcId::RcvAckOfSyn},
        {"a SYN,ACK from SYN-SENT is a simultaneous open", simultaneousOpen, Side::Client,
         ArcId::SimultaneousOpen},
        {"both SYN,ACKs of a simultaneous open establish",
         [](Wire& w) {
             simultaneousOpen(w);
             w.send(Side::Server, "SYN,ACK", 300, 101);
         },
         Side::Server, ArcId::SimultaneousOpen},
        {"the client's ACK of a SYN,ACK the capture missed: the server answered the SYN",
         [](Wire& w) {
             w.send(Side::Client, "SYN", 100, 0);
             w.send(Side::Client, "ACK", 101, 301); // the server's SYN,ACK was not captured
         },
         Side::Server, ArcId::RcvSyn},
        // Closing.
        {"a FIN from ESTABLISHED is CLOSE", clientClosedFirst, Side::Client,
         ArcId::EstablishedClose},
        {"the ACK of the first FIN is rcv ACK of FIN in FIN-WAIT-1", clientClosedFirst,
         Side::Client, ArcId::FinWait1AckOfFin},
        {"answering a FIN in ESTABLISHED is rcv FIN", clientClosedFirst, Side::Server,
         ArcId::RcvFin},
        {"a FIN from CLOSE-WAIT is CLOSE", serverClosedToo, Side::Server, ArcId::CloseWaitClose},
        {"answering the FIN in FIN-WAIT-2 is rcv FIN", clientTimeWait, Side::Client,
         ArcId::FinWait2RcvFin},
        {"the last ACK arriving in LAST-ACK closes", clientTimeWait, Side::Server,
         ArcId::LastAckAckOfFin},
        {"answering a FIN in FIN-WAIT-1 before our FIN is ACKed is a simultaneous close", closing,
         Side::Client, ArcId::SimultaneousClose},
        {"the ACK of our FIN in CLOSING leads to TIME-WAIT",
         [](Wire& w) {
             closing(w);
             w.send(Side::Server, "ACK", 302, 102);
         },
         Side::Client, ArcId::ClosingAckOfFin},
        {"a FIN,ACK acknowledging our FIN in FIN-WAIT-1 is rcv FIN,ACK of FIN",
         [](Wire& w) {
             handshake(w);
             w.send(Side::Client, "FIN,ACK", 101, 301);
             w.send(Side::Server, "FIN,ACK", 301, 102); // FIN and the ACK of the client's FIN
             w.send(Side::Client, "ACK", 102, 302);
         },
         Side::Client, ArcId::FinWait1FinAck},
        {"a FIN with the SYN,ACK is CLOSE in SYN-RECEIVED",
         [](Wire& w) {
             w.send(Side::Client, "SYN", 100, 0);
             w.send(Side::Server, "SYN,FIN,ACK", 300, 101);
         },
         Side::Server, ArcId::SynReceivedClose},
        // Resets the receiver accepts (seq = RCV.NXT; in SYN-SENT the ACK of its SYN).
        {"an acceptable RST in SYN-SENT",
         [](Wire& w) {
             w.send(Side::Client, "SYN", 100, 0);
             w.send(Side::Server, "RST,ACK", 0, 101); // but nothing listened: refused
         },
         Side::Client, ArcId::SynSentRst},
        {"a RST in a passively opened SYN-RECEIVED returns to LISTEN",
         [](Wire& w) {
             w.send(Side::Client, "SYN", 100, 0);
             w.send(Side::Server, "SYN,ACK", 300, 101);
             w.send(Side::Client, "RST", 101, 0);
         },
         Side::Server, ArcId::SynReceivedRst},
        {"a RST in an actively opened SYN-RECEIVED closes",
         [](Wire& w) {
             simultaneousOpen(w);
             w.send(Side::Server, "RST", 301, 0);
         },
         Side::Client, ArcId::SynReceivedRstActive},
        {"rcv RST in ESTABLISHED",
         [](Wire& w) {
             handshake(w);
             w.send(Side::Server, "RST", 301, 0);
         },
         Side::Client, ArcId::RstEstablished},
        {"rcv RST in FIN-WAIT-1",
         [](Wire& w) {
             handshake(w);
             w.send(Side::Client, "FIN,ACK", 101, 301);
             w.send(Side::Server, "RST", 301, 0);
         },
         Side::Client, ArcId::RstFinWait1},
        {"rcv RST in FIN-WAIT-2",
         [](Wire& w) {
             clientClosedFirst(w);
             w.send(Side::Server, "RST", 301, 0);
         },
         Side::Client, ArcId::RstFinWait2},
        {"rcv RST in CLOSE-WAIT",
         [](Wire& w) {
             clientClosedFirst(w);
             w.send(Side::Client, "RST", 102, 0);
         },
         Side::Server, ArcId::RstCloseWait},
        {"rcv RST in CLOSING",
         [](Wire& w) {
             closing(w);
             w.send(Side::Server, "RST", 302, 0);
         },
         Side::Client, ArcId::RstClosing},
        {"rcv RST in LAST-ACK",
         [](Wire& w) {
             serverClosedToo(w);
             w.send(Side::Client, "RST", 102, 0);
         },
         Side::Server, ArcId::RstLastAck},
        {"rcv RST in TIME-WAIT",
         [](Wire& w) {
             clientTimeWait(w);
             w.send(Side::Server, "RST", 302, 0);
         },
         Side::Client, ArcId::RstTimeWait},
        // Resets a side sends while it has a connection: its ABORT.
        {"ABORT in SYN-SENT (RST with the SYN's next sequence number)",
         [](Wire& w) {
             w.send(Side::Client, "SYN", 100, 0);
             w.send(Side::Client, "RST", 101, 0);
         },
         Side::Client, ArcId::AbortSynSent},
        {"ABORT in SYN-RECEIVED",
         [](Wire& w) {
             w.send(Side::Client, "SYN", 100, 0);
             w.send(Side::Server, "SYN,ACK", 300, 101);
             w.send(Side::Server, "RST,ACK", 301, 101);
         },
         Side::Server, ArcId::AbortSynReceived},
        {"ABORT in ESTABLISHED",
         [](Wire& w) {
             handshake(w);
             w.send(Side::Client, "RST,ACK", 101, 301);
         },
         Side::Client, ArcId::AbortEstablished},
        {"ABORT in FIN-WAIT-1",
         [](Wire& w) {
             handshake(w);
             w.send(Side::Client, "FIN,ACK", 101, 301);
             w.send(Side::Client, "RST", 102, 0);
         },
         Side::Client, ArcId::AbortFinWait1},
        {"ABORT in FIN-WAIT-2",
         [](Wire& w) {
             clientClosedFirst(w);
             w.send(Side::Client, "RST", 102, 0);
         },
         Side::Client, ArcId::AbortFinWait2},
        {"ABORT in CLOSE-WAIT",
         [](Wire& w) {
             clientClosedFirst(w);
             w.send(Side::Server, "RST", 301, 0);
         },
         Side::Server, ArcId::AbortCloseWait},
        {"ABORT in CLOSING",
         [](Wire& w) {
             closing(w);
             w.send(Side::Client, "RST", 102, 0);
         },
         Side::Client, ArcId::AbortClosing},
        {"ABORT in LAST-ACK",
         [](Wire& w) {
             serverClosedToo(w);
             w.send(Side::Server, "RST", 302, 0);
         },
         Side::Server, ArcId::AbortLastAck},
        {"ABORT in TIME-WAIT",
         [](Wire& w) {
             clientTimeWait(w);
             w.send(Side::Client, "RST", 102, 0);
         },
         Side::Client, ArcId::AbortTimeWait},
    };
    return all;
}

// Written from the rules in passive_tracker.h, not from what the tracker does: the
// arcs a capture can show. Timer arcs (2MSL, give-ups, fin_timeout, user timeout),
// the user's calls that send nothing (passive OPEN, CLOSE in LISTEN or SYN-SENT,
// SEND in LISTEN, ABORT in LISTEN) and Linux's silent closes leave no segment.
const std::set<ArcId> kInferable = {
    ArcId::ActiveOpen,        ArcId::RcvSyn,          ArcId::SimultaneousOpen,
    ArcId::RcvSynAck,         ArcId::RcvAckOfSyn,     ArcId::SynReceivedClose,
    ArcId::EstablishedClose,  ArcId::RcvFin,          ArcId::FinWait1AckOfFin,
    ArcId::SimultaneousClose, ArcId::FinWait2RcvFin,  ArcId::ClosingAckOfFin,
    ArcId::CloseWaitClose,    ArcId::LastAckAckOfFin, ArcId::FinWait1FinAck,
    ArcId::SynSentRst,        ArcId::SynReceivedRst,  ArcId::SynReceivedRstActive,
    ArcId::RstEstablished,    ArcId::RstFinWait1,     ArcId::RstFinWait2,
    ArcId::RstCloseWait,      ArcId::RstClosing,      ArcId::RstLastAck,
    ArcId::RstTimeWait,       ArcId::AbortSynSent,    ArcId::AbortSynReceived,
    ArcId::AbortEstablished,  ArcId::AbortFinWait1,   ArcId::AbortFinWait2,
    ArcId::AbortCloseWait,    ArcId::AbortClosing,    ArcId::AbortLastAck,
    ArcId::AbortTimeWait,
};

TEST(PassiveTrackerArcs, EveryRuleInfersItsArcWithoutAnomaly) {
    for (const auto& c : cases()) {
        SCOPED_TRACE(c.rule);
        Wire w;
        c.build(w);
        const auto got = infer(w);
        const auto& arcs = c.side == Side::Client ? got.client : got.server;
        EXPECT_NE(std::find(arcs.begin(), arcs.end(), c.expected), arcs.end())
            << "expected " << arc(c.expected).key << " on the "
            << (c.side == Side::Client ? "client" : "server");
        EXPECT_EQ(got.anomalies, 0U);
    }
}

TEST(PassiveTrackerArcs, EveryInferableArcIsInferredAndNoOther) {
    std::set<ArcId> seen;
    for (const auto& c : cases()) {
        Wire w;
        c.build(w);
        const auto got = infer(w);
        seen.insert(got.client.begin(), got.client.end());
        seen.insert(got.server.begin(), got.server.end());
    }
    for (const ArcId id : kInferable) {
        EXPECT_TRUE(seen.contains(id)) << "no crafted capture infers " << arc(id).key;
    }
    for (const ArcId id : seen) {
        EXPECT_TRUE(kInferable.contains(id))
            << arc(id).key << " was inferred, but no segment can show it";
    }
}

// Two rules that only matter when the capture missed a packet.
TEST(PassiveTrackerArcs, DataFromSynReceivedProvesTheHandshakeAckArrived) {
    Wire w;
    w.send(Side::Client, "SYN", 100, 0);           // 1
    w.send(Side::Server, "SYN,ACK", 300, 101);     // 2 (the client's ACK is not captured)
    w.send(Side::Server, "PSH,ACK", 301, 101, 10); // 3 the server sends data
    Analyzer a;
    for (const auto& p : w.packets()) {
        a.add(p);
    }
    const auto r = a.finish({});
    const auto& c = r.connections.front();
    const auto server = c.states(Side::Server);
    ASSERT_EQ(server.size(), 3U);
    EXPECT_EQ(server[2].state, State::Established);
    EXPECT_EQ(server[2].packet, 3U);
    const auto client = c.states(Side::Client);
    ASSERT_EQ(client.size(), 3U);
    EXPECT_EQ(client[2].state, State::Established) << "its SYN,ACK must have arrived";
    EXPECT_EQ(client[2].packet, 3U);

    // The same proof by a pure ACK of the client's data, in a capture that shows
    // the server's side only (the server stayed SYN-RECEIVED while acknowledging).
    Wire oneWay;
    oneWay.send(Side::Server, "SYN,ACK", 300, 101);    // 1
    oneWay.send(Side::Server, "ACK", 301, 201);        // 2 acknowledges 100 bytes of data
    oneWay.send(Side::Server, "PSH,ACK", 301, 201, 5); // 3
    Analyzer o;
    for (const auto& p : oneWay.packets()) {
        o.add(p);
    }
    const auto r3 = o.finish({});
    const auto acked = r3.connections.front().states(Side::Server);
    ASSERT_EQ(acked.size(), 3U);
    EXPECT_EQ(acked[2].state, State::Established);
    EXPECT_EQ(acked[2].packet, 2U) << "at the ACK of the client's data, not the later data";
    EXPECT_EQ(r3.connections.front().tracker.inferenceAnomalies(), 0U);

    Wire fin; // the same proof by a FIN
    fin.send(Side::Client, "SYN", 100, 0);
    fin.send(Side::Server, "SYN,ACK", 300, 101);
    fin.send(Side::Server, "FIN,ACK", 301, 101);
    Analyzer b;
    for (const auto& p : fin.packets()) {
        b.add(p);
    }
    const auto r2 = b.finish({});
    const auto states = r2.connections.front().states(Side::Server);
    ASSERT_EQ(states.size(), 4U);
    EXPECT_EQ(states[2].state, State::Established);
    EXPECT_EQ(states[3].state, State::FinWait1);
    EXPECT_EQ(states[3].packet, 3U);
}

} // namespace
} // namespace tcpviz
