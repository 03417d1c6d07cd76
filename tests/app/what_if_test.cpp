#include "narration/narrator.h"
#include "scenario/library.h"
#include "sim/host_simulator.h"
#include "sim/simulator.h"
#include "text/note_text.h"
#include "what_if.h"

#include <QSignalSpy>
#include <algorithm>
#include <gtest/gtest.h>
#include <memory>
#include <set>
#include <string>
#include <vector>

using namespace tcpviz;
using tcpviz::gui::describe;
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

namespace {

/// The RFC 9293 state names a text mentions (longest first, so that CLOSED is
/// not found inside CLOSE-WAIT's neighbours and FIN-WAIT-1 not in FIN-WAIT-2).
std::set<State> statesNamed(std::string text) {
    std::vector<State> all;
    for (std::size_t k = 0; k < kStateCount; ++k) {
        all.push_back(static_cast<State>(k));
    }
    std::sort(all.begin(), all.end(),
              [](State a, State b) { return stateName(a).size() > stateName(b).size(); });
    std::set<State> out;
    for (const State s : all) {
        const std::string name(stateName(s));
        for (std::size_t at = text.find(name); at != std::string::npos; at = text.find(name)) {
            // "no FIN-WAIT, no TIME-WAIT", "without TIME-WAIT" name states by
            // saying they do not happen.
            const bool denied = (at >= 3 && text.compare(at - 3, 3, "no ") == 0) ||
                                (at >= 8 && text.compare(at - 8, 8, "without ") == 0) ||
                                text.compare(at + name.size(), 11, " is skipped") == 0;
            if (!denied) {
                out.insert(s);
            }
            text.replace(at, name.size(), std::string(name.size(), '#'));
        }
    }
    return out;
}

/// Every state either side occupies anywhere in the trace.
std::set<State> statesVisited(const Trace& t) {
    std::set<State> out;
    for (const Side side : {Side::Client, Side::Server}) {
        for (const StateEntry& s : t.states(side)) {
            out.insert(s.state);
        }
    }
    return out;
}

} // namespace

// The narration of a branch is built from what happens in the branch (issue
// 10): after "abort the client" at step 12 of the lecture, the scenario's later
// close() fails, and its step must not narrate "sends FIN ... FIN-WAIT-1" for a
// client that is already CLOSED. Over branches of every lesson: each step after
// the divergence names only states the branch visits (the lesson's notes, which
// describe the lesson's path, are not told there), and a call that fails is told
// as failing, without the lesson's note about what it would have done.
// A crowd lesson (syn-flood): a branch reruns the whole crowd. Dropping the
// server's SYN,ACK to the lesson's client puts a Drop in the branch, whose crowd
// is the one current() belongs to; back at the scenario, the scenario's crowd.
TEST(WhatIfCrowd, ABranchOfACrowdLessonHasItsOwnCrowd) {
    const auto sc = findBuiltinScenario("syn-flood");
    ASSERT_TRUE(sc.has_value());
    auto hosts = std::make_shared<const HostSimulation>(simulateHosts(*sc));
    const Trace original = hosts->connections.at(hosts->named).trace;
    WhatIfController controller;
    controller.setScenario(*sc, original, hosts);
    EXPECT_EQ(controller.crowd(), hosts);
    Intervention iv;
    iv.kind = Intervention::Kind::Fault;
    iv.fault = FaultKind::Drop;
    iv.side = Side::Server;
    iv.position = 0;
    QString error;
    ASSERT_TRUE(controller.intervene(iv, error)) << error.toStdString();
    ASSERT_TRUE(controller.inBranch());
    const auto crowd = controller.crowd();
    ASSERT_NE(crowd, nullptr);
    ASSERT_NE(crowd, hosts);
    const Trace& branch = controller.current();
    EXPECT_TRUE(sameEvents(branch, crowd->connections.at(crowd->named).trace));
    EXPECT_FALSE(sameEvents(branch, original));
    const auto synAck =
        std::find_if(branch.events().begin(), branch.events().end(), [](const TraceEvent& e) {
            return e.kind == EventKind::Send && e.endpoint == Side::Server;
        });
    ASSERT_NE(synAck, branch.events().end());
    const auto id = synAck->segmentId;
    EXPECT_TRUE(
        std::any_of(branch.events().begin(), branch.events().end(), [id](const TraceEvent& e) {
            return e.kind == EventKind::Drop && e.segmentId == id;
        }));
    // The rest of the crowd is there, as many connections as the scenario's.
    EXPECT_EQ(crowd->connections.size(), hosts->connections.size());
    controller.backToScenario();
    EXPECT_FALSE(controller.inBranch());
    EXPECT_EQ(controller.crowd(), hosts);
}

TEST(WhatIfNarration, EveryStepOfABranchNamesOnlyWhatTheBranchDoes) {
    std::size_t failedCalls = 0;
    std::size_t branches = 0;
    for (const Scenario& scenario : builtinScenarios()) {
        const Trace original = simulate(scenario);
        std::vector<Intervention> tries;
        for (const Side side : {Side::Client, Side::Server}) {
            for (const UserCall call : {UserCall::Abort, UserCall::Close}) {
                Intervention iv;
                iv.side = side;
                iv.call = call;
                iv.position = std::min<std::size_t>(12, original.size());
                tries.push_back(iv);
            }
        }
        for (const Intervention& iv : tries) {
            WhatIfController controller;
            controller.setScenario(scenario, original);
            QString error;
            if (!controller.intervene(iv, error)) {
                continue;
            }
            ++branches;
            const Trace& branch = controller.current();
            const std::set<State> visited = statesVisited(branch);
            for (std::size_t i = controller.divergence(); i < branch.size(); ++i) {
                const TraceEvent& e = branch.event(i);
                const LocalizedText text = narrate(branch, i);
                const std::string where = scenario.id + " what if " + describe(iv).toStdString() +
                                          ", step " + std::to_string(i + 1) + ": " + text.en;
                for (const State s : statesNamed(text.en)) {
                    EXPECT_TRUE(visited.count(s) == 1) << where << "\n  names " << stateName(s)
                                                       << ", which the branch never visits";
                }
                if (e.kind == EventKind::Call && !e.callError.empty()) {
                    ++failedCalls;
                    EXPECT_NE(text.en.find(e.callError), std::string::npos) << where;
                    EXPECT_NE(text.zh.find(localizedNote(e.callError).zh), std::string::npos)
                        << where;
                    for (const auto& note : branch.meta.stepNotes) {
                        if (note.event == i) {
                            EXPECT_EQ(text.en.find(note.text.en), std::string::npos)
                                << where << "\n  tells the lesson's outcome of a failed call";
                            EXPECT_EQ(text.zh.find(note.text.zh), std::string::npos) << where;
                        }
                    }
                    EXPECT_EQ(text.en.find("sends"), std::string::npos) << where;
                    EXPECT_EQ(text.en.find("moves to"), std::string::npos) << where;
                }
            }
        }
    }
    EXPECT_GT(branches, 50U);
    EXPECT_GT(failedCalls, 5U) << "the branches include calls that fail";
}

// The issue's own case, by hand: the lecture, "abort the client" at step 12.
TEST(WhatIfNarration, TheLecturesCloseAfterAnAbortIsToldAsFailing) {
    const auto lecture = findBuiltinScenario("lecture");
    ASSERT_TRUE(lecture.has_value());
    const Trace original = simulate(*lecture);
    WhatIfController controller;
    controller.setScenario(*lecture, original);
    Intervention iv;
    iv.side = Side::Client;
    iv.call = UserCall::Abort;
    iv.position = 12;
    QString error;
    ASSERT_TRUE(controller.intervene(iv, error)) << error.toStdString();
    const Trace& branch = controller.current();
    std::size_t close = branch.size();
    for (const TraceEvent& e : branch.events()) {
        if (e.kind == EventKind::Call && e.endpoint == Side::Client && e.call == UserCall::Close) {
            close = e.index;
        }
    }
    ASSERT_LT(close, branch.size()) << "the scenario's close() still runs in the branch";
    EXPECT_EQ(branch.stateAt(Side::Client, close), State::Closed);
    EXPECT_FALSE(branch.event(close).callError.empty());
    const LocalizedText text = narrate(branch, close);
    EXPECT_EQ(text.en.find("FIN-WAIT-1"), std::string::npos) << text.en;
    EXPECT_EQ(text.zh.find("FIN-WAIT-1"), std::string::npos) << text.zh;
    EXPECT_NE(text.en.find("connection does not exist"), std::string::npos) << text.en;
    for (std::size_t p = close + 1; p <= branch.size(); ++p) {
        EXPECT_EQ(branch.stateAt(Side::Client, p), State::Closed);
    }
    // The lesson's note on that close() is not told in the branch, and a note
    // on a refused call would not be told anyway.
    for (const auto& note : branch.meta.stepNotes) {
        EXPECT_LT(note.event, controller.divergence());
    }
    Trace withNote = branch;
    withNote.meta.stepNotes.push_back(
        {static_cast<std::uint32_t>(close), {"Its TCP sends FIN", "它的 TCP 发送 FIN"}});
    EXPECT_EQ(narrate(withNote, close).en.find("Its TCP sends FIN"), std::string::npos);
    EXPECT_EQ(narrate(withNote, close).zh.find("它的 TCP 发送 FIN"), std::string::npos);
}
