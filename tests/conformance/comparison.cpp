#include "comparison.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstdlib>
#include <iterator>
#include <optional>

namespace tcpviz::conformance {

namespace {

std::string seconds(std::int64_t us) {
    std::array<char, 32> b{};
    std::snprintf(b.data(), b.size(), "%.3fs", static_cast<double>(us) / 1e6);
    return b.data();
}

/// A segment in relative terms.
struct Relative {
    std::uint8_t flags = 0;
    std::int64_t seq = 0; ///< relative to the sender's ISN; absolute when it sent no SYN or
                          ///< for a RST with SEQ 0
    std::int64_t ack = 0; ///< relative to the peer's ISN; 0 without ACK
    std::uint32_t len = 0;
    bool operator==(const Relative&) const = default;
};

Relative relative(const Segment& s, std::optional<std::uint32_t> iss, std::uint32_t peerIss) {
    Relative r;
    r.flags = s.flags;
    // A reset built from a segment without ACK carries SEQ 0 whatever the ISN
    // (tcp_v4_send_reset, RFC 9293 3.10.7.1): compared as it is.
    const bool seqFromNothing = s.has(flag::RST) && s.seq == 0;
    r.seq = iss && !seqFromNothing ? static_cast<std::int64_t>(s.seq - *iss)
                                   : static_cast<std::int64_t>(s.seq);
    r.ack = s.has(flag::ACK)
                ? static_cast<std::int64_t>(static_cast<std::uint32_t>(s.ack - peerIss))
                : 0;
    r.len = s.len;
    return r;
}

/// The ISN as each stream reveals it: the sequence number of its first SYN.
std::vector<std::optional<std::uint32_t>> issAlong(const std::vector<TimedSegment>& sent) {
    std::vector<std::optional<std::uint32_t>> out;
    std::optional<std::uint32_t> iss;
    for (const TimedSegment& s : sent) {
        if (s.segment.has(flag::SYN) && !iss) {
            iss = s.segment.seq;
        }
        out.push_back(iss);
    }
    return out;
}

std::int64_t latestAnchor(const std::vector<std::int64_t>& anchors, std::int64_t t,
                          std::int64_t previousItem) {
    std::int64_t best = previousItem;
    for (const std::int64_t a : anchors) {
        if (a <= t) {
            best = std::max(best, a);
        }
    }
    return best;
}

struct Difference {
    std::int64_t timeUs = 0; ///< when it shows (the earlier of the two times)
    std::string text;
};

std::optional<Difference> compareSegments(const Expected& exp, const KernelRecord& kernel,
                                          std::uint32_t peerIss, std::int64_t untilUs) {
    std::vector<TimedSegment> got;
    for (const TimedSegment& s : kernel.sent) {
        if (s.timeUs <= untilUs) {
            got.push_back(s);
        }
    }
    const auto expIss = issAlong(exp.sent);
    const auto gotIss = issAlong(got);
    std::int64_t previous = 0; // expected time of the previous segment
    std::int64_t drift = 0;    // how much later the kernel sent the previous segment
    for (std::size_t i = 0; i < std::max(exp.sent.size(), got.size()); ++i) {
        const std::string label = "segment " + std::to_string(i + 1) + ": ";
        if (i >= exp.sent.size()) {
            return Difference{got[i].timeUs,
                              label + "expected nothing more, kernel " +
                                  describe(got[i].segment, gotIss[i], peerIss, got[i].timeUs)};
        }
        const TimedSegment& e = exp.sent[i];
        const std::string expected = describe(e.segment, expIss[i], peerIss, e.timeUs);
        if (i >= got.size()) {
            return Difference{e.timeUs, label + "expected " + expected + ", kernel sent nothing"};
        }
        const TimedSegment& g = got[i];
        const std::int64_t anchor = latestAnchor(exp.anchors, e.timeUs, previous);
        // With no scripted action since the previous segment, this one comes from
        // a timer the kernel armed when it really sent that one (a retransmission
        // timer runs from the retransmission before it): the timer wheel's
        // rounding of each interval adds up along a backoff chain, so the
        // interval is what is compared, not the absolute time.
        const std::int64_t shift = i > 0 && anchor == previous ? drift : 0;
        const std::int64_t tol = toleranceUs(e.timeUs, anchor);
        if (relative(e.segment, expIss[i], peerIss) != relative(g.segment, gotIss[i], peerIss) ||
            std::llabs(e.timeUs + shift - g.timeUs) > tol) {
            std::string why;
            if (relative(e.segment, expIss[i], peerIss) ==
                relative(g.segment, gotIss[i], peerIss)) {
                why = " (tolerance " + seconds(tol) +
                      (shift != 0 ? ", after the kernel's previous segment at " +
                                        seconds(got[i - 1].timeUs)
                                  : std::string()) +
                      ")";
            }
            return Difference{std::min(e.timeUs, g.timeUs),
                              label + "expected " + expected + ", kernel " +
                                  describe(g.segment, gotIss[i], peerIss, g.timeUs) + why};
        }
        previous = e.timeUs;
        drift = g.timeUs - e.timeUs;
    }
    return std::nullopt;
}

std::optional<Difference> compareStates(const Expected& exp, const KernelRecord& kernel,
                                        std::int64_t untilUs) {
    std::vector<TimedState> got;
    for (const TimedState& s : kernel.states) {
        if (s.timeUs <= untilUs) {
            got.push_back(s);
        }
    }
    auto show = [](const TimedState& s) {
        return std::string(stateName(s.state)) + " at " + seconds(s.timeUs);
    };
    std::int64_t previous = 0;
    for (std::size_t i = 0; i < std::max(exp.states.size(), got.size()); ++i) {
        const std::string label = "state " + std::to_string(i + 1) + ": ";
        if (i >= exp.states.size()) {
            return Difference{got[i].timeUs, label + "expected to stay in " +
                                                 std::string(stateName(exp.states.back().state)) +
                                                 ", kernel " + show(got[i])};
        }
        if (i >= got.size()) {
            return Difference{exp.states[i].timeUs, label + "expected " + show(exp.states[i]) +
                                                        ", kernel stays in " +
                                                        std::string(stateName(got.back().state))};
        }
        const TimedState& e = exp.states[i];
        const TimedState& g = got[i];
        const std::int64_t tol =
            toleranceUs(e.timeUs, latestAnchor(exp.anchors, e.timeUs, previous));
        if (e.state != g.state || std::llabs(e.timeUs - g.timeUs) > tol) {
            return Difference{std::min(e.timeUs, g.timeUs),
                              label + "expected " + show(e) + ", kernel " + show(g) +
                                  (e.state == g.state ? " (tolerance " + seconds(tol) + ")" : "")};
        }
        previous = e.timeUs;
    }
    return std::nullopt;
}

} // namespace

std::string describe(const Segment& s, std::optional<std::uint32_t> iss, std::uint32_t peerIss,
                     std::int64_t timeUs) {
    const Relative r = relative(s, iss, peerIss);
    return flagsToString(s.flags) + " seq=" + std::to_string(r.seq) +
           (s.has(flag::ACK) ? " ack=" + std::to_string(r.ack) : std::string()) +
           " len=" + std::to_string(r.len) + " at " + seconds(timeUs);
}

std::int64_t toleranceUs(std::int64_t expectedUs, std::int64_t sinceUs) {
    return 50'000 + std::max<std::int64_t>(0, expectedUs - sinceUs) * 13 / 100;
}

Expected expectedFromTrace(const Trace& trace, Side side, std::int64_t untilUs) {
    Expected out;
    for (const TraceEvent& e : trace.events()) {
        if (e.timeUs > untilUs) {
            break;
        }
        if (e.endpoint != side) {
            continue;
        }
        if (e.kind == EventKind::Send && !e.duplicate && !e.injected) {
            out.sent.push_back({e.timeUs, e.segment});
        } else if (e.kind == EventKind::Arrive || e.kind == EventKind::Call) {
            out.anchors.push_back(e.timeUs);
        }
    }
    for (const StateEntry& s : trace.states(side)) {
        // The first entry is the initial state; the others name the event that entered them.
        const std::int64_t time = out.states.empty() ? 0 : trace.event(s.event).timeUs;
        if (time > untilUs) {
            break;
        }
        out.states.push_back({time, s.state});
    }
    return out;
}

Verdict compareSent(const Expected& expected, const KernelRecord& kernel, std::uint32_t peerIss,
                    std::int64_t untilUs) {
    Verdict v;
    if (std::optional<Difference> d = compareSegments(expected, kernel, peerIss, untilUs)) {
        v = {false, d->text};
    }
    return v;
}

std::string describeAll(const std::vector<TimedSegment>& sent, std::uint32_t peerIss) {
    std::string out;
    const auto iss = issAlong(sent);
    for (std::size_t i = 0; i < sent.size(); ++i) {
        out += (i == 0 ? "" : " | ") + describe(sent[i].segment, iss[i], peerIss, sent[i].timeUs);
    }
    return out;
}

Verdict compare(const Trace& trace, Side side, const KernelRecord& kernel, std::int64_t untilUs) {
    const Expected exp = expectedFromTrace(trace, side, untilUs);
    const std::uint32_t peerIss =
        side == Side::Client ? trace.meta.server.isn : trace.meta.client.isn;
    std::optional<Difference> a = compareSegments(exp, kernel, peerIss, untilUs);
    std::optional<Difference> b = compareStates(exp, kernel, untilUs);
    Verdict v;
    if (a && (!b || a->timeUs <= b->timeUs)) {
        v = {false, a->text};
    } else if (b) {
        v = {false, b->text};
    }
    return v;
}

std::string sideBySide(const Trace& trace, Side side, const KernelRecord& kernel,
                       std::int64_t untilUs) {
    const Expected exp = expectedFromTrace(trace, side, untilUs);
    const std::uint32_t peerIss =
        side == Side::Client ? trace.meta.server.isn : trace.meta.client.isn;
    auto segments = [peerIss](const std::vector<TimedSegment>& sent) {
        std::string out;
        const auto iss = issAlong(sent);
        for (std::size_t i = 0; i < sent.size(); ++i) {
            out +=
                (i == 0 ? "" : " | ") + describe(sent[i].segment, iss[i], peerIss, sent[i].timeUs);
        }
        return out;
    };
    auto states = [](const std::vector<TimedState>& list) {
        std::string out;
        for (const TimedState& s : list) {
            out += (out.empty() ? "" : " > ") + std::string(stateName(s.state)) + " " +
                   seconds(s.timeUs);
        }
        return out;
    };
    std::vector<TimedSegment> sent;
    std::copy_if(kernel.sent.begin(), kernel.sent.end(), std::back_inserter(sent),
                 [untilUs](const TimedSegment& s) { return s.timeUs <= untilUs; });
    std::vector<TimedState> entered;
    std::copy_if(kernel.states.begin(), kernel.states.end(), std::back_inserter(entered),
                 [untilUs](const TimedState& s) { return s.timeUs <= untilUs; });
    return "    simulator sends: " + segments(exp.sent) +
           "\n    kernel sends:    " + segments(sent) +
           "\n    simulator states: " + states(exp.states) +
           "\n    kernel states:    " + states(entered) + "\n";
}

std::string compareErrors(const Trace& trace, Side side, const KernelRecord& kernel,
                          std::int64_t untilUs) {
    std::vector<const TraceEvent*> simulated;
    for (const TraceEvent& e : trace.events()) {
        if (e.kind == EventKind::Error && e.endpoint == side && e.timeUs <= untilUs) {
            simulated.push_back(&e);
        }
    }
    std::size_t next = 0;
    for (const KernelError& k : kernel.errors) {
        if (k.timeUs > untilUs) {
            break;
        }
        const std::string what =
            std::string(socketErrorName(k.error)) + " from " + std::string(errorCallName(k.call));
        while (next < simulated.size() &&
               (simulated[next]->socketError != k.error || simulated[next]->errorCall != k.call)) {
            ++next;
        }
        if (next == simulated.size()) {
            std::string sim;
            for (const TraceEvent* e : simulated) {
                sim += (sim.empty() ? "" : ", ") + std::string(socketErrorName(e->socketError)) +
                       " from " + std::string(errorCallName(e->errorCall));
            }
            char at[32];
            std::snprintf(at, sizeof at, "%.3fs", static_cast<double>(k.timeUs) / 1e6);
            return "kernel " + what + " at " + at + ", simulation: " + (sim.empty() ? "none" : sim);
        }
        ++next;
    }
    return {};
}

} // namespace tcpviz::conformance
