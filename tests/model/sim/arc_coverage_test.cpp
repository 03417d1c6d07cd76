#include "sim_test_support.h"

#include <gtest/gtest.h>

namespace tcpviz::test {
namespace {

// Every arc of the catalog must be taken by at least one simulation: an arc
// the endpoint can never take would be a dead edge in the state graph.
TEST(ArcCoverage, EveryCatalogArcIsTakenInSomeSimulation) {
    std::set<ArcId> seen;
    for (const NamedSimulation& sim : coverageSimulations()) {
        const Trace t = sim.run();
        ASSERT_FALSE(t.empty()) << sim.name;
        for (const ArcId id : arcsOf(t)) {
            seen.insert(id);
        }
    }
    std::string missing;
    for (const Arc& a : arcCatalog()) {
        if (seen.count(a.id) == 0) {
            missing += std::string(a.key) + ' ';
        }
    }
    EXPECT_TRUE(missing.empty()) << "arcs never taken: " << missing;
}

// Transitions must agree with the catalog and with the snapshots around them.
TEST(ArcCoverage, TransitionsMatchCatalogAndSnapshots) {
    for (const NamedSimulation& sim : coverageSimulations()) {
        const Trace t = sim.run();
        for (const TraceEvent& e : t.events()) {
            if (e.kind != EventKind::Transition) {
                continue;
            }
            EXPECT_EQ(arc(e.arc).from, e.from) << sim.name << dump(t);
            EXPECT_EQ(arc(e.arc).to, e.to) << sim.name;
            EXPECT_EQ(t.stateAt(e.endpoint, e.index), e.from) << sim.name << " event " << e.index;
            EXPECT_EQ(t.stateAt(e.endpoint, e.index + 1), e.to) << sim.name << " event " << e.index;
        }
    }
}

} // namespace
} // namespace tcpviz::test
