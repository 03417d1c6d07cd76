// Every built-in scenario played to the end through the Player in the real
// window: at every step the state graph highlights, for each endpoint, the
// state the Trace says it is in.
#include "main_window.h"
#include "scenario/library.h"
#include "state_graph_view.h"

#include <gtest/gtest.h>

using namespace tcpviz;
using tcpviz::gui::MainWindow;

namespace {

void expectGraphMatchesTrace(MainWindow& window, const std::string& id, std::size_t position) {
    const Trace* trace = window.currentTrace();
    ASSERT_NE(trace, nullptr);
    for (const Side side : {Side::Client, Side::Server}) {
        const auto shown = window.stateGraphView()->highlightedState(side);
        ASSERT_TRUE(shown.has_value()) << id << " position " << position;
        EXPECT_EQ(*shown, trace->stateAt(side, position))
            << id << " position " << position << " side " << sideName(side);
    }
}

} // namespace

TEST(ScenarioPlayback, EveryBuiltinScenarioPlaysToTheEndWithMatchingStates) {
    MainWindow window;
    window.setQuiet(true);
    const auto& all = builtinScenarios();
    ASSERT_FALSE(all.empty());
    for (const Scenario& s : all) {
        ASSERT_TRUE(window.openPath(QString::fromStdString(s.id))) << s.id;
        const Trace* trace = window.currentTrace();
        ASSERT_NE(trace, nullptr) << s.id;
        ASSERT_FALSE(trace->empty()) << s.id;
        auto* player = window.player();
        EXPECT_EQ(player->position(), 0U);
        expectGraphMatchesTrace(window, s.id, 0);

        // Play at 4x, frame by frame, checking every position the player shows.
        std::size_t checked = 0;
        const auto connection =
            QObject::connect(player, &gui::Player::positionChanged, [&](std::size_t p) {
                expectGraphMatchesTrace(window, s.id, p);
                ++checked;
            });
        player->setSpeed(4.0);
        player->play();
        int frames = 0;
        while (player->isPlaying() && frames < 100000) {
            player->advance(1.0 / 60.0);
            ++frames;
        }
        QObject::disconnect(connection);
        EXPECT_TRUE(player->atEnd()) << s.id;
        EXPECT_GT(checked, 0U) << s.id;
        expectGraphMatchesTrace(window, s.id, trace->size());

        // And every single step backwards.
        while (player->position() > 0) {
            player->stepBack();
            expectGraphMatchesTrace(window, s.id, player->position());
        }
    }
}
