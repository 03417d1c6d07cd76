// The simulator driven by arbitrary scenario steps and faults built from the bytes
// (not through YAML, so that every combination the parser would accept, and some
// it would not write, reach the simulator quickly). Timers, latencies and step
// counts are bounded so one input runs in milliseconds. Halfway the simulation is
// forked (as a what-if branch is) and poked with extra calls and faults.
#include "fuzz_input.h"
#include "run_trace.h"
#include "scenario/scenario.h"
#include "sim/simulator.h"
#include "tcp/segment.h"

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>

namespace {

using tcpviz::fuzz::FuzzInput;

constexpr std::array kFlags{
    tcpviz::flag::SYN,
    static_cast<std::uint8_t>(tcpviz::flag::SYN | tcpviz::flag::ACK),
    tcpviz::flag::ACK,
    static_cast<std::uint8_t>(tcpviz::flag::FIN | tcpviz::flag::ACK),
    static_cast<std::uint8_t>(tcpviz::flag::PSH | tcpviz::flag::ACK),
    tcpviz::flag::RST,
    static_cast<std::uint8_t>(tcpviz::flag::RST | tcpviz::flag::ACK),
    tcpviz::flag::FIN,
};

std::uint8_t flags(FuzzInput& in) {
    const std::uint8_t pick = in.u8();
    // Mostly the common combinations, sometimes any byte at all.
    return pick < 200 ? kFlags.at(pick % kFlags.size()) : in.u8();
}

tcpviz::Side side(FuzzInput& in) {
    return in.flag() ? tcpviz::Side::Server : tcpviz::Side::Client;
}

/// 0 .. ~4 s with a bias to small values, in microseconds.
std::int64_t duration(FuzzInput& in) {
    const std::uint8_t scale = in.u8() % 4;
    const std::int64_t v = in.u8();
    static constexpr std::array<std::int64_t, 4> kUnit{1, 1'000, 10'000, 16'000};
    return v * kUnit.at(scale);
}

const std::array<const char*, 5> kAddresses{"192.168.0.2:52528", "192.168.0.1:80",
                                            "[2001:db8::1]:443", "[2001:db8::2]:50000",
                                            "10.0.0.1:80"};

tcpviz::Scenario build(FuzzInput& in) {
    tcpviz::Scenario s;
    s.id = "fuzz";
    s.profile = in.flag() ? tcpviz::Profile::Linux : tcpviz::Profile::Rfc9293;
    s.timers = tcpviz::defaultTimers(s.profile);
    s.client.address = tcpviz::parseSocketAddress(kAddresses.at(in.below(kAddresses.size())));
    s.server.address = tcpviz::parseSocketAddress(kAddresses.at(in.below(kAddresses.size())));
    if (in.flag()) {
        s.client.isn = in.u32();
    }
    if (in.flag()) {
        s.server.isn = in.u32();
    }
    s.server.scripted = in.u8() > 240;
    s.client.reads = in.u8() > 30;
    s.server.reads = in.u8() > 30;
    s.network.clientToServerUs = duration(in);
    s.network.serverToClientUs = duration(in);
    if (in.flag()) {
        // Short timers make retransmission, TIME-WAIT expiry and give-ups reachable.
        s.timers.mslUs = 1'000 + duration(in);
        s.timers.rtoUs = 1'000 + duration(in);
        s.timers.synRetries = in.u8() % 8;
        s.timers.synackRetries = in.u8() % 8;
        s.timers.dataRetries = in.u8() % 16;
        s.timers.finTimeoutUs = 1'000 + duration(in);
        s.timers.delayedAckUs = duration(in);
        if (in.flag()) {
            s.timers.userTimeoutUs = 1'000 + duration(in);
        }
    }

    const unsigned steps = in.u8() % 24;
    for (unsigned i = 0; i < steps; ++i) {
        tcpviz::Step step;
        if (in.u8() < 160) {
            step.trigger.atUs = duration(in);
        } else {
            step.trigger.whenSide = side(in);
            step.trigger.whenState = tcpviz::kAllStates.at(in.below(tcpviz::kStateCount));
            step.trigger.afterUs = duration(in);
        }
        step.endpoint = side(in);
        step.action = static_cast<tcpviz::Action>(in.below(7));
        step.bytes = in.u8() < 200 ? in.u16() % 5000 : in.u32();
        step.inject.to = side(in);
        step.inject.flags = flags(in);
        step.inject.seq = in.u32();
        step.inject.ack = in.u32();
        step.inject.len = in.u16() % 3000;
        if (in.flag()) {
            step.inject.window = in.u16();
        }
        step.where.line = static_cast<int>(i + 1);
        s.steps.push_back(step);
    }
    const unsigned faults = in.u8() % 8;
    for (unsigned i = 0; i < faults; ++i) {
        tcpviz::Fault f;
        f.kind = static_cast<tcpviz::FaultKind>(in.below(3));
        f.from = side(in);
        f.flags = flags(in);
        f.every = in.u8() < 40;
        if (!f.every) {
            f.nth = 1 + in.u8() % 6;
        }
        f.byUs = duration(in);
        f.afterUs = duration(in);
        f.sentAtOrAfterUs = in.flag() ? duration(in) : 0;
        s.faults.push_back(f);
    }
    return s;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size > 4096) {
        return -1;
    }
    FuzzInput in(data, size);
    const tcpviz::Scenario scenario = build(in);

    tcpviz::Simulator sim = tcpviz::fuzz::runBounded(scenario, 1 + in.u8() * 2);
    // A what-if branch: fork, intervene, continue both.
    tcpviz::Simulator branch = sim;
    const unsigned pokes = in.u8() % 4;
    for (unsigned i = 0; i < pokes; ++i) {
        if (in.flag()) {
            branch.userCall(side(in), static_cast<tcpviz::UserCall>(in.below(6)), in.u16());
        } else {
            tcpviz::Fault f;
            f.kind = static_cast<tcpviz::FaultKind>(in.below(3));
            f.from = side(in);
            f.flags = flags(in);
            f.every = in.flag();
            f.nth = 1 + in.u8() % 4;
            f.byUs = duration(in);
            f.afterUs = duration(in);
            branch.addFault(f);
        }
    }
    for (int i = 0; i < tcpviz::fuzz::kMaxSimSteps && branch.step(); ++i) {
    }
    for (int i = 0; i < tcpviz::fuzz::kMaxSimSteps && sim.step(); ++i) {
    }
    tcpviz::fuzz::consumeTrace(sim.trace());
    tcpviz::fuzz::consumeTrace(branch.trace());
    return 0;
}
