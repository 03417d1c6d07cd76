#include "replay/simulation_document.h"

namespace tcpviz {

CaptureDocument simulationDocument(HostSimulation simulation, const Scenario& scenario) {
    CaptureDocument::Simulation in;
    in.name = scenario.id;
    in.named = simulation.named;
    in.traces.reserve(simulation.connections.size());
    for (HostConnection& c : simulation.connections) {
        in.traces.push_back(std::move(c.trace));
    }
    // The server's LISTEN count is its listening socket alone (a request's end
    // before its SYN is no socket): where it changes, the listener opened or closed.
    std::uint32_t listening = 0;
    for (const StateCounts& counts : simulation.counts) {
        const std::uint32_t now = counts.server.at(index(State::Listen));
        for (; listening < now; ++listening) {
            in.listenerUs.emplace_back(counts.timeUs, +1);
        }
        for (; listening > now; --listening) {
            in.listenerUs.emplace_back(counts.timeUs, -1);
        }
    }
    return CaptureDocument::fromSimulation(std::move(in));
}

} // namespace tcpviz
