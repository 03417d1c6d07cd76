#include "scenario/library.h"
#include "sim/simulator.h"
#include "what_if.h"

#include <QSignalSpy>
#include <algorithm>
#include <gtest/gtest.h>

using namespace tcpviz;
using tcpviz::gui::Intervention;
using tcpviz::gui::WhatIfController;

namespace {

/// First position at which `side` is in `state` in `trace`.
std::optional<std::size_t> firstPositionIn(const Trace& trace, Side side, State state) {
    for (std::size_t p = 0; p <= trace.size(); ++p) {
        if (trace.stateAt(side, p) == state) {
            return p;
        }
    }
    return std::nullopt;
}

bool sameEvents(const Trace& a, const Trace& b) {
    if (a.size() != b.size()) {
        return false;
    }
    for (std::size_t i = 0; i < a.size(); ++i) {
        const auto& x = a.event(i);
        const auto& y = b.event(i);
        if (x.kind != y.kind || x.timeUs != y.timeUs || x.endpoint != y.endpoint || x.to != y.to ||
            !(x.segment == y.segment)) {
            return false;
        }
    }
    return true;
}

class WhatIfTest : public ::testing::Test {
protected:
    void SetUp() override {
        const auto lecture = findBuiltinScenario(kDefaultScenarioId);
        ASSERT_TRUE(lecture.has_value()) << "the lecture scenario is built in";
        scenario = *lecture;
        original = simulate(scenario);
        controller.setScenario(scenario, original);
        const auto established = firstPositionIn(original, Side::Client, State::Established);
        ASSERT_TRUE(established.has_value());
        at = *established;
    }

    Scenario scenario;
    Trace original;
    WhatIfController controller;
    std::size_t at = 0;
};

} // namespace

TEST_F(WhatIfTest, AbortingTheClientBranchesOffWithAResetAndBackRestores) {
    QSignalSpy spy(&controller, &WhatIfController::traceChanged);
    Intervention iv;
    iv.kind = Intervention::Kind::Call;
    iv.side = Side::Client;
    iv.call = UserCall::Abort;
    iv.position = at;
    QString error;
    ASSERT_TRUE(controller.intervene(iv, error)) << error.toStdString();
    ASSERT_TRUE(controller.inBranch());
    EXPECT_EQ(spy.count(), 1);
    const Trace& branch = controller.current();
    EXPECT_FALSE(sameEvents(branch, original));
    // The beginning is shared: up to the intervention both agree.
    EXPECT_GE(controller.divergence(), at);
    for (std::size_t p = 0; p <= at; ++p) {
        EXPECT_EQ(branch.stateAt(Side::Client, p), original.stateAt(Side::Client, p));
    }
    // The client resets: a RST is sent and the client ends CLOSED right away.
    const auto rst = std::find_if(branch.events().begin() + static_cast<std::ptrdiff_t>(at),
                                  branch.events().end(), [](const TraceEvent& e) {
                                      return e.kind == EventKind::Send &&
                                             e.endpoint == Side::Client &&
                                             (e.segment.flags & flag::RST) != 0;
                                  });
    EXPECT_NE(rst, branch.events().end()) << "an abort sends RST";
    EXPECT_EQ(branch.stateAt(Side::Client, branch.size()), State::Closed);

    controller.backToScenario();
    EXPECT_FALSE(controller.inBranch());
    EXPECT_TRUE(sameEvents(controller.current(), original));

    // Both steps are undoable: undo "back" returns to the branch, undo again leaves it.
    controller.undoStack()->undo();
    EXPECT_TRUE(controller.inBranch());
    EXPECT_TRUE(sameEvents(controller.current(), branch));
    controller.undoStack()->undo();
    EXPECT_FALSE(controller.inBranch());
    controller.undoStack()->redo();
    EXPECT_TRUE(controller.inBranch());
}

TEST_F(WhatIfTest, DroppingTheNextSegmentMakesItLost) {
    Intervention iv;
    iv.kind = Intervention::Kind::Fault;
    iv.fault = FaultKind::Drop;
    iv.side = Side::Server;
    iv.position = 0;
    QString error;
    ASSERT_TRUE(controller.intervene(iv, error)) << error.toStdString();
    const Trace& branch = controller.current();
    // The server's first segment (its SYN,ACK) is dropped.
    const auto firstServerSend =
        std::find_if(branch.events().begin(), branch.events().end(), [](const TraceEvent& e) {
            return e.kind == EventKind::Send && e.endpoint == Side::Server;
        });
    ASSERT_NE(firstServerSend, branch.events().end());
    const auto id = firstServerSend->segmentId;
    const bool dropped =
        std::any_of(branch.events().begin(), branch.events().end(), [id](const TraceEvent& e) {
            return e.kind == EventKind::Drop && e.segmentId == id;
        });
    EXPECT_TRUE(dropped);
    EXPECT_FALSE(sameEvents(branch, original));
    // A lost SYN,ACK is retransmitted.
    const bool retransmitted =
        std::any_of(branch.events().begin(), branch.events().end(), [](const TraceEvent& e) {
            return e.kind == EventKind::Send && e.endpoint == Side::Server && e.retransmission;
        });
    EXPECT_TRUE(retransmitted);
}

TEST_F(WhatIfTest, NothingToHitIsRefusedWithAMessage) {
    Intervention iv;
    iv.kind = Intervention::Kind::Fault;
    iv.side = Side::Client;
    iv.position = original.size();
    QString error;
    EXPECT_FALSE(controller.intervene(iv, error));
    EXPECT_FALSE(error.isEmpty());
    EXPECT_FALSE(controller.inBranch());
}
