// The host simulator's budget: 10,000 connections in one scenario simulate in
// under a second. Three crowds: short connections (connect, send, close, TIME-WAIT)
// from many hosts; a SYN flood with cookies; and a flood without cookies.
// Best of N runs. Then the same crowd made into the window's document
// (simulationDocument: packets, table summaries, the ss timeline).
//   tcpviz_host_sim_bench [CONNECTIONS] [RUNS]
#include "replay/simulation_document.h"
#include "scenario/scenario.h"
#include "sim/host_simulator.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <string>

namespace {

tcpviz::Scenario parse(const std::string& yaml) {
    auto sc = tcpviz::parseScenarioText(yaml, "bench.yaml");
    if (!sc) {
        std::fprintf(stderr, "%s\n", sc.error().toString().c_str());
        std::exit(1);
    }
    return *sc;
}

void run(const char* name, const tcpviz::Scenario& sc, int runs) {
    double best = 1e9;
    double bestCpu = 1e9;
    std::size_t events = 0;
    std::size_t connections = 0;
    double bestDoc = 1e9;
    std::uint64_t packets = 0;
    for (int i = 0; i < runs; ++i) {
        const auto t0 = std::chrono::steady_clock::now();
        const std::clock_t c0 = std::clock();
        const tcpviz::HostSimulation r = tcpviz::simulateHosts(sc);
        const double s =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        best = std::min(best, s);
        bestCpu = std::min(bestCpu, static_cast<double>(std::clock() - c0) / CLOCKS_PER_SEC);
        events = 0;
        for (const auto& c : r.connections) {
            events += c.trace.size();
        }
        connections = r.connections.size();
        const auto d0 = std::chrono::steady_clock::now();
        const tcpviz::CaptureDocument doc = tcpviz::simulationDocument(r, sc);
        bestDoc = std::min(
            bestDoc, std::chrono::duration<double>(std::chrono::steady_clock::now() - d0).count());
        packets = doc.info().tcpPackets;
    }
    // CPU time too: on a loaded machine the wall clock says more about the others.
    std::printf("%-28s %6zu connections %8zu events  %.3f s wall, %.3f s CPU (best of %d)\n", name,
                connections, events, best, bestCpu, runs);
    std::printf("%-28s %6zu connections %8llu packets %.3f s wall as the window's document\n", "",
                connections, static_cast<unsigned long long>(packets), bestDoc);
}

} // namespace

int main(int argc, char** argv) {
    const int n = argc > 1 ? std::atoi(argv[1]) : 10000;
    const int runs = argc > 2 ? std::atoi(argv[2]) : 3;
    const std::string count = std::to_string(n);
    run("connect-close, /16 clients",
        parse("profile: linux\nsteps:\n  - {at: 0ms, server: listen}\nload:\n  - {count: " + count +
              ", rate: 2000/s, from: \"10.1.0.0/16\", behaviour: connect-close}\n"),
        runs);
    run("syn flood, tcp_syncookies 1",
        parse("profile: linux\nserver: {backlog: 128}\nsteps:\n  - {at: 0ms, server: listen}\n"
              "  - {at: 1s, client: connect}\nload:\n  - {count: " +
              count + ", rate: 10000/s, from: \"203.0.113.0/24\", behaviour: syn-only}\n"),
        runs);
    run("syn flood, tcp_syncookies 0",
        parse("profile: linux\nserver: {backlog: 128}\nsysctls: {tcp_syncookies: 0}\n"
              "steps:\n  - {at: 0ms, server: listen}\n  - {at: 1s, client: connect}\n"
              "load:\n  - {count: " +
              count + ", rate: 10000/s, from: \"203.0.113.0/24\", behaviour: syn-only}\n"),
        runs);
    return 0;
}
