#include "state_event_cases.h"

namespace tcpviz::conformance {
namespace {

// Every case: the client 192.168.0.2:52528 (ISN 100) and the server
// 192.168.0.1:80 (ISN 300), 50 ms apart. The handshake is over at 160 ms:
// the client's SND.NXT is 101 and its RCV.NXT 301. Injected numbers are the
// simulation's; the harness moves ACK fields to the kernel's real ISN.
std::string withPath(const std::string& rest, const std::string& clientRole = {}) {
    return "profile: linux\n"
           "client: {address: \"192.168.0.2:52528\", isn: 100" +
           clientRole +
           "}\n"
           "server: {address: \"192.168.0.1:80\", isn: 300}\n"
           "network: {latency: 50ms}\n" +
           rest;
}

// The connection is set up, then the lines after it happen.
std::string established(const std::string& rest) {
    return withPath("steps:\n"
                    "  - {at: 0ms, server: listen}\n"
                    "  - {at: 10ms, client: connect}\n" +
                    rest);
}

} // namespace

std::vector<StateEventCase> stateEventCases() {
    std::vector<StateEventCase> cases;
    const auto add = [&cases](std::string name, std::string text, bool client, bool server,
                              std::int64_t observeUs = 0) {
        cases.push_back({std::move(name), std::move(text), client, server, observeUs});
    };

    // ESTABLISHED, RST beyond the window: dropped without a word (RFC 5961 §3.2).
    add("established-rst-out-of-window",
        established("  - at: 1s\n"
                    "    inject: {to: client, flags: \"RST\", seq: 80301}\n"),
        true, false);
    // ESTABLISHED, SYN: a challenge ACK, the connection stays (RFC 5961 §4;
    // tcp_validate_incoming step 4). RFC 9293 §3.10.7.4 also says so.
    add("established-syn-challenge-ack",
        established("  - at: 1s\n"
                    "    inject: {to: client, flags: \"SYN\", seq: 301}\n"),
        true, false);
    // ESTABLISHED, data far beyond the window: a duplicate ACK, the data dropped.
    add("established-data-out-of-window",
        established(
            "  - at: 1s\n"
            "    inject: {to: client, flags: \"PSH,ACK\", seq: 90301, ack: 101, len: 100}\n"),
        true, false);
    // ESTABLISHED, data already received again: an immediate ACK (no D-SACK here).
    add("established-old-duplicate-data",
        established("  - {at: 300ms, server: send, bytes: 100}\n"
                    "  - at: 1s\n"
                    "    inject: {to: client, flags: \"PSH,ACK\", seq: 301, ack: 101, len: 100}\n"),
        true, false);
    // ESTABLISHED, an ACK of data never sent (SEG.ACK > SND.NXT). RFC 9293
    // §3.10.7.4: "send an ACK, drop the segment"; tcp_ack() drops it
    // (SKB_DROP_REASON_TCP_ACK_UNSENT_DATA).
    add("established-ack-of-unsent-data",
        established("  - at: 1s\n"
                    "    inject: {to: client, flags: \"ACK\", seq: 301, ack: 5000}\n"),
        true, false);
    // FIN-WAIT-2 after close(), data arrives: the application can never read it,
    // so Linux resets (tcp_rcv_state_process, "data after close").
    add("fin-wait-2-data-after-close",
        established("  - {at: 500ms, client: close}\n"
                    "  - {at: 1s, server: send, bytes: 100}\n"),
        true, true);
    // Orphaned FIN-WAIT-2 with tcp_fin_timeout = 2 s: the socket goes away
    // silently, and the server's late FIN is answered by RST.
    add("fin-wait-2-timeout-short",
        withPath("timers: {fin_timeout: 2s}\n"
                 "steps:\n"
                 "  - {at: 0ms, server: listen}\n"
                 "  - {at: 10ms, client: connect}\n"
                 "  - {at: 500ms, client: close}\n"
                 "  - {at: 4s, server: close}\n"),
        true, true);
    // TIME-WAIT, the FIN again (its ACK was lost): TIME-WAIT acknowledges it again.
    add("time-wait-fin-retransmitted",
        withPath("steps:\n"
                 "  - {at: 0ms, server: listen}\n"
                 "  - {at: 10ms, client: connect}\n"
                 "  - {at: 1s, client: close}\n"
                 "  - {when: server CLOSE-WAIT, after: 200ms, server: close}\n"
                 "faults:\n"
                 "  - drop: {from: client, flags: \"ACK\", since: 1s}\n"),
        true, true);
    // TIME-WAIT, a RST: Linux (tcp_rfc1337 = 0) lets it end TIME-WAIT at once.
    add("time-wait-rst",
        withPath("steps:\n"
                 "  - {at: 0ms, server: listen}\n"
                 "  - {at: 10ms, client: connect}\n"
                 "  - {at: 1s, client: close}\n"
                 "  - {when: server CLOSE-WAIT, after: 200ms, server: close}\n"
                 "  - at: 2s\n"
                 "    inject: {to: client, flags: \"RST\", seq: 302}\n"),
        true, false);
    // TIME-WAIT, a RST inside the window but not at RCV.NXT: dropped without a
    // challenge ACK, TIME-WAIT goes on.
    add("time-wait-rst-in-window",
        withPath("steps:\n"
                 "  - {at: 0ms, server: listen}\n"
                 "  - {at: 10ms, client: connect}\n"
                 "  - {at: 1s, client: close}\n"
                 "  - {when: server CLOSE-WAIT, after: 200ms, server: close}\n"
                 "  - at: 2s\n"
                 "    inject: {to: client, flags: \"RST\", seq: 402}\n"),
        true, false);
    // Orphaned FIN-WAIT-2 (closed; the peer has not closed), a RST inside the
    // window but not at RCV.NXT: the mini-socket dies at once, no challenge ACK.
    add("fin-wait-2-orphan-rst-in-window",
        established("  - {at: 500ms, client: close}\n"
                    "  - at: 1500ms\n"
                    "    inject: {to: client, flags: \"RST\", seq: 401}\n"),
        true, false);
    // FIN-WAIT-2 after shutdown (the application still holds the socket), the
    // same RST: a full socket, so RFC 5961's challenge ACK, and it stays.
    add("fin-wait-2-shutdown-rst-in-window",
        established("  - {at: 500ms, client: shutdown}\n"
                    "  - at: 1500ms\n"
                    "    inject: {to: client, flags: \"RST\", seq: 401}\n"),
        true, false);
    // TIME-WAIT, data: an ACK of what TIME-WAIT has (tcp_timewait_state_process:
    // TCP_TW_ACK).
    add("time-wait-data",
        withPath("steps:\n"
                 "  - {at: 0ms, server: listen}\n"
                 "  - {at: 10ms, client: connect}\n"
                 "  - {at: 1s, client: close}\n"
                 "  - {when: server CLOSE-WAIT, after: 200ms, server: close}\n"
                 "  - at: 2s\n"
                 "    inject: {to: client, flags: \"PSH,ACK\", seq: 302, ack: 102, len: 10}\n"),
        true, false);
    // TIME-WAIT (the server closed first), a SYN below RCV.NXT: not a new
    // connection; the SYN is answered by an ACK (TCP_TW_ACK).
    add("time-wait-old-syn",
        withPath("steps:\n"
                 "  - {at: 0ms, server: listen}\n"
                 "  - {at: 10ms, client: connect}\n"
                 "  - {at: 1s, server: close}\n"
                 "  - {when: client CLOSE-WAIT, after: 200ms, client: close}\n"
                 "  - at: 2s\n"
                 "    inject: {to: server, flags: \"SYN\", seq: 50}\n"),
        false, true);
    // LISTEN, a bare ACK: RST with SEQ = SEG.ACK (RFC 9293 §3.10.7.2).
    add("listen-ack",
        withPath("steps:\n"
                 "  - {at: 0ms, server: listen}\n"
                 "  - at: 100ms\n"
                 "    inject: {to: server, flags: \"ACK\", seq: 101, ack: 7777}\n",
                 ", role: scripted"),
        false, true);
    // LISTEN, a RST: ignored.
    add("listen-rst",
        withPath("steps:\n"
                 "  - {at: 0ms, server: listen}\n"
                 "  - at: 100ms\n"
                 "    inject: {to: server, flags: \"RST\", seq: 101}\n",
                 ", role: scripted"),
        false, true);
    // SYN-SENT, a RST without ACK: ignored; the retransmitted SYN then connects.
    add("syn-sent-rst-without-ack",
        established("  - at: 100ms\n"
                    "    inject: {to: client, flags: \"RST\", seq: 300}\n"
                    "faults:\n"
                    "  - drop: {from: client, flags: \"SYN\"}\n"),
        true, false);
    // SYN-SENT, a SYN,ACK acknowledging the wrong number: RST with SEQ = SEG.ACK,
    // the client stays in SYN-SENT, and the retransmitted SYN connects.
    add("syn-sent-bad-ack",
        established("  - at: 100ms\n"
                    "    inject: {to: client, flags: \"SYN,ACK\", seq: 300, ack: 999}\n"
                    "faults:\n"
                    "  - drop: {from: client, flags: \"SYN\"}\n"),
        true, false);
    // SYN-RECEIVED (passive), a RST: the half-open connection is dropped and the
    // listener stays in LISTEN.
    add("syn-received-rst",
        established("  - at: 500ms\n"
                    "    inject: {to: server, flags: \"RST\", seq: 101}\n"
                    "faults:\n"
                    "  - drop: {from: client, flags: \"ACK\"}\n"),
        false, true);
    // SYN-RECEIVED, an ACK of the wrong number: RST with SEQ = SEG.ACK; the
    // SYN,ACK is retransmitted later and the handshake completes.
    add("syn-received-bad-ack",
        established("  - at: 500ms\n"
                    "    inject: {to: server, flags: \"ACK\", seq: 101, ack: 999}\n"
                    "faults:\n"
                    "  - drop: {from: client, flags: \"ACK\"}\n"),
        false, true);
    // CLOSE-WAIT, the FIN again (the ACK was lost): acknowledged again.
    add("close-wait-fin-retransmitted",
        established("  - {at: 1s, client: close}\n"
                    "  - {at: 5s, server: close}\n"
                    "faults:\n"
                    "  - drop: {from: server, flags: \"ACK\", since: 1s}\n"),
        false, true, 5'500'000);
    // Both close at once: FIN-WAIT-1 -> CLOSING -> TIME-WAIT on both sides.
    add("simultaneous-close",
        established("  - {at: 1s, client: close}\n"
                    "  - {at: 1s, server: close}\n"),
        true, true);
    // FIN-WAIT-1, a RST at RCV.NXT before the FIN is acknowledged: CLOSED.
    add("fin-wait-1-rst",
        established("  - {at: 1s, client: close}\n"
                    "  - at: 1020ms\n"
                    "    inject: {to: client, flags: \"RST\", seq: 301}\n"),
        true, false);
    // LAST-ACK, a RST at RCV.NXT: CLOSED.
    add("last-ack-rst",
        established("  - {at: 1s, client: close}\n"
                    "  - {when: server CLOSE-WAIT, after: 200ms, server: close}\n"
                    "  - at: 1400ms\n"
                    "    inject: {to: server, flags: \"RST\", seq: 102}\n"
                    "faults:\n"
                    "  - drop: {from: client, flags: \"ACK\", since: 1s}\n"),
        false, true);

    // The socket calls of the scenario format (issue 11), each on the kernel.
    // Both read only at `recv` steps: data waits unread (the ACKs do not change),
    // each reads half, the client closes with 500 bytes unread: RST, and the
    // server's application learns ECONNRESET.
    add("recv-manual-close-unread",
        "profile: linux\n"
        "client: {address: \"192.168.0.2:52528\", isn: 100, reads: manual}\n"
        "server: {address: \"192.168.0.1:80\", isn: 300, reads: manual}\n"
        "network: {latency: 50ms}\n"
        "steps:\n"
        "  - {at: 0ms, server: listen}\n"
        "  - {at: 10ms, client: connect}\n"
        "  - {at: 300ms, client: send, bytes: 1000}\n"
        "  - {at: 600ms, server: send, bytes: 1000}\n"
        "  - {at: 1s, client: recv, bytes: 500}\n"
        "  - {at: 1s, server: recv, bytes: 500}\n"
        "  - {at: 2s, client: close}\n",
        true, true);
    // All read at the `recv` step: the close is a FIN, not a RST.
    add("recv-manual-all-then-close",
        "profile: linux\n"
        "client: {address: \"192.168.0.2:52528\", isn: 100, reads: manual}\n"
        "server: {address: \"192.168.0.1:80\", isn: 300, reads: manual}\n"
        "network: {latency: 50ms}\n"
        "steps:\n"
        "  - {at: 0ms, server: listen}\n"
        "  - {at: 10ms, client: connect}\n"
        "  - {at: 300ms, client: send, bytes: 1000}\n"
        "  - {at: 600ms, server: send, bytes: 1000}\n"
        "  - {at: 1s, client: recv}\n"
        "  - {at: 1s, server: recv}\n"
        "  - {at: 2s, client: close}\n"
        "  - {when: server CLOSE-WAIT, after: 100ms, server: close}\n",
        true, true);
    // shutdown(SHUT_RD) sends nothing; data then arriving in ESTABLISHED is
    // acknowledged and stays unread, so the later close() is a RST.
    add("shutdown-read-then-data",
        established("  - {at: 1s, client: shutdown, how: read}\n"
                    "  - {at: 1500ms, server: send, bytes: 100}\n"
                    "  - {at: 2500ms, client: close}\n"),
        true, true);
    // SHUT_RD, then SHUT_WR: in FIN-WAIT-2 with RCV_SHUTDOWN, new data gets RST
    // (tcp_rcv_state_process); the server, in CLOSE-WAIT, learns EPIPE.
    add("shutdown-read-fin-wait-2-data",
        established("  - {at: 1s, client: shutdown, how: read}\n"
                    "  - {at: 1500ms, client: shutdown}\n"
                    "  - {at: 2500ms, server: send, bytes: 100}\n"),
        true, true);
    // SHUT_RDWR: a FIN, and data after it gets RST as after SHUT_RD.
    add("shutdown-both-then-data",
        established("  - {at: 1s, client: shutdown, how: both}\n"
                    "  - {at: 2s, server: send, bytes: 100}\n"),
        true, true);
    // close() with SO_LINGER {1, 0}: RST,ACK, no TIME-WAIT; the peer: ECONNRESET.
    add("close-linger-0",
        established("  - {at: 300ms, server: send, bytes: 100}\n"
                    "  - {at: 1s, client: close, linger: 0}\n"),
        true, true);
    // The listener closes while the connection waits in its accept queue: the
    // kernel resets it (inet_csk_listen_stop); the client learns ECONNRESET.
    add("listener-closed-not-accepted",
        established("  - {at: 300ms, client: send, bytes: 100}\n"
                    "  - {at: 1s, server: close-listener}\n"
                    "  - {at: 2s, server: accept}\n"),
        true, true);
    // An accepted connection outlives its listener.
    add("listener-closed-accepted-lives",
        established("  - {at: 300ms, server: accept}\n"
                    "  - {at: 500ms, server: close-listener}\n"
                    "  - {at: 1s, server: send, bytes: 100}\n"
                    "  - {at: 2s, server: close}\n"
                    "  - {when: client CLOSE-WAIT, after: 100ms, client: close}\n"),
        true, true);
    // The listener closes while the connection is half-open (the client's ACK
    // was lost): nothing is sent; the client's data meets no socket: RST.
    add("listener-closed-half-open",
        established("  - {at: 150ms, server: close-listener}\n"
                    "  - {at: 500ms, client: send, bytes: 100}\n"
                    "  - {at: 900ms, server: accept}\n"
                    "faults:\n"
                    "  - drop: {from: client, flags: \"ACK\", nth: 1}\n"),
        true, true);
    // Orphaned FIN-WAIT-2 (a TIME-WAIT mini-socket), out-of-window pure ACKs at
    // 2.0, 2.1 and 2.7 s: the ACK answering them is rate-limited to one per
    // 500 ms (tcp_timewait_check_oow_rate_limit), so 2.1 s gets none.
    add("fin-wait-2-orphan-oow-rate-limit",
        established("  - {at: 1s, client: close}\n"
                    "  - at: 2s\n"
                    "    inject: {to: client, flags: \"ACK\", seq: 90301, ack: 102}\n"
                    "  - at: 2100ms\n"
                    "    inject: {to: client, flags: \"ACK\", seq: 90301, ack: 102}\n"
                    "  - at: 2700ms\n"
                    "    inject: {to: client, flags: \"ACK\", seq: 90301, ack: 102}\n"),
        true, false);
    return cases;
}

} // namespace tcpviz::conformance
