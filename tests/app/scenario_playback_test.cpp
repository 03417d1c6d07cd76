// Every built-in scenario played to the end through the Player in the real
// window: at every step the state graph highlights, for each endpoint, the
// state the Trace's Transition events put it in. The expectation is worked out
// here from the events (not from Trace::stateAt(), which is how the graph finds
// it), checked against hand-written lessons, and looked for in the pixels.
#include "main_window.h"
#include "scenario/library.h"
#include "state_graph_view.h"
#include "view_style.h"

#include <QImage>
#include <QTest>
#include <cmath>
#include <gtest/gtest.h>
#include <map>
#include <ostream>
#include <vector>

using namespace tcpviz;
using tcpviz::gui::MainWindow;

namespace {

struct Pair {
    State client = State::Closed;
    State server = State::Closed;
    [[nodiscard]] State of(Side side) const { return side == Side::Client ? client : server; }
    bool operator==(const Pair&) const = default;
};

[[maybe_unused]] void PrintTo(const Pair& p, std::ostream* os) {
    *os << '(' << stateName(p.client) << ", " << stateName(p.server) << ')';
}

/// States at every position 0..size(), folded from the Transition events' `to`.
std::vector<Pair> statesFromEvents(const Trace& trace) {
    Pair now{trace.initial().of(Side::Client).state, trace.initial().of(Side::Server).state};
    std::vector<Pair> out{now};
    for (const TraceEvent& e : trace.events()) {
        if (e.kind == EventKind::Transition) {
            EXPECT_EQ(e.from, now.of(e.endpoint)) << "event " << e.index << " starts elsewhere";
            (e.endpoint == Side::Client ? now.client : now.server) = e.to;
        }
        out.push_back(now);
    }
    return out;
}

constexpr State Closed = State::Closed;
constexpr State Listen = State::Listen;
constexpr State SynSent = State::SynSent;
constexpr State SynRcvd = State::SynReceived;
constexpr State Estab = State::Established;
constexpr State FinWait1 = State::FinWait1;
constexpr State FinWait2 = State::FinWait2;
constexpr State CloseWait = State::CloseWait;
constexpr State LastAck = State::LastAck;
constexpr State TimeWait = State::TimeWait;

// {client, server} each time a step changes what the graph must show, from the
// scenario files and RFC 9293 Figure 5.
const std::map<std::string, std::vector<Pair>> kLessons{
    {"three-way-handshake",
     {{Closed, Closed},
      {Closed, Listen},
      {SynSent, Listen},
      {SynSent, SynRcvd},
      {Estab, SynRcvd},
      {Estab, Estab}}},
    {"lecture",
     {{Closed, Closed},
      {Closed, Listen},
      {SynSent, Listen},
      {SynSent, SynRcvd},
      {Estab, SynRcvd},
      {Estab, Estab},
      {FinWait1, Estab},
      {FinWait1, CloseWait},
      {FinWait2, CloseWait},
      {FinWait2, LastAck},
      {TimeWait, LastAck},
      {TimeWait, Closed},
      {Closed, Closed}}},
};

std::optional<Pair> shownBy(MainWindow& window, const std::string& id, std::size_t position) {
    const auto client = window.stateGraphView()->highlightedState(Side::Client);
    const auto server = window.stateGraphView()->highlightedState(Side::Server);
    EXPECT_TRUE(client.has_value() && server.has_value()) << id << " position " << position;
    if (!client || !server) {
        return std::nullopt;
    }
    return Pair{*client, *server};
}

void expectGraphShows(MainWindow& window, const std::string& id, std::size_t position,
                      const Pair& want) {
    const auto shown = shownBy(window, id, position);
    ASSERT_TRUE(shown.has_value());
    EXPECT_EQ(*shown, want) << id << " position " << position;
}

double distance(const QColor& a, const QColor& b) {
    return std::hypot(std::hypot(a.red() - b.red(), a.green() - b.green()), a.blue() - b.blue());
}

/// The node an endpoint is expected to be lit on. CLOSED is drawn twice: an
/// endpoint whose connection existed (it left ESTABLISHED or a later state for
/// CLOSED) is on the bottom copy, one that never got that far on the top one.
QRectF expectedNode(const StateGraphView& graph, const std::vector<Pair>& expected,
                    std::size_t position, Side side) {
    const State now = expected.at(position).of(side);
    if (now != State::Closed) {
        return graph.nodeRect(now);
    }
    for (std::size_t p = position; p-- > 0;) {
        const State before = expected.at(p).of(side);
        if (before != State::Closed) {
            const bool opened =
                before != State::Listen && before != State::SynSent && before != State::SynReceived;
            return opened ? graph.lowerClosedRect() : graph.nodeRect(State::Closed);
        }
    }
    return graph.nodeRect(State::Closed);
}

/// Most of each endpoint's node (its half when both share a node) is painted in
/// that endpoint's colour; the text and the outline take the rest.
/// A crowd lesson's graph is a heat map of every connection's sockets: the node
/// is filled with its count's shade, and the ladder's connection is its outline
/// and badge in the endpoint's colour, a smaller share of the node.
void expectNodePixels(MainWindow& window, const std::string& id, std::size_t position,
                      const std::vector<Pair>& expected, bool heatMap) {
    const Pair& want = expected.at(position);
    StateGraphView* graph = window.stateGraphView();
    const QImage image = graph->grab().toImage();
    const double dpr = image.devicePixelRatio();
    const ViewColors colors = viewColors(window.settings().view);
    for (const Side side : {Side::Client, Side::Server}) {
        QRectF node = expectedNode(*graph, expected, position, side);
        if (node == expectedNode(*graph, expected, position,
                                 side == Side::Client ? Side::Server : Side::Client)) {
            node.setWidth(node.width() / 2);
            if (side == Side::Server) {
                node.moveLeft(node.right());
            }
        }
        const QRect r =
            QRectF(node.left() * dpr, node.top() * dpr, node.width() * dpr, node.height() * dpr)
                .toAlignedRect()
                .intersected(image.rect());
        ASSERT_FALSE(r.isEmpty()) << id << " position " << position;
        int hits = 0;
        for (int y = r.top(); y <= r.bottom(); ++y) {
            for (int x = r.left(); x <= r.right(); ++x) {
                hits += distance(image.pixelColor(x, y), colors.endpoint(side)) < 40.0 ? 1 : 0;
            }
        }
        const double share = static_cast<double>(hits) / (r.width() * r.height());
        EXPECT_GT(share, heatMap ? 0.05 : 0.3)
            << id << " position " << position << ": the " << sideName(side) << "'s node "
            << stateName(want.of(side)) << " is not " << colors.endpoint(side).name().toStdString();
    }
}

} // namespace

TEST(ScenarioPlayback, EveryBuiltinScenarioPlaysToTheEndWithMatchingStates) {
    MainWindow window;
    window.setQuiet(true);
    window.resize(1280, 800);
    window.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&window));
    const auto& all = builtinScenarios();
    ASSERT_FALSE(all.empty());
    std::size_t lessonsPlayed = 0;
    for (const Scenario& s : all) {
        ASSERT_TRUE(window.openPath(QString::fromStdString(s.id))) << s.id;
        const Trace* trace = window.currentTrace();
        ASSERT_NE(trace, nullptr) << s.id;
        ASSERT_FALSE(trace->empty()) << s.id;
        const std::vector<Pair> expected = statesFromEvents(*trace);
        auto* player = window.player();
        EXPECT_EQ(player->position(), 0U);
        expectGraphShows(window, s.id, 0, expected.front());

        // Play at 4x, frame by frame, checking every position the player shows.
        std::size_t checked = 0;
        const auto connection =
            QObject::connect(player, &gui::Player::positionChanged, [&](std::size_t p) {
                ASSERT_LT(p, expected.size());
                expectGraphShows(window, s.id, p, expected.at(p));
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
        expectGraphShows(window, s.id, trace->size(), expected.back());
        expectNodePixels(window, s.id, trace->size(), expected, !s.load.empty());

        // And every single step backwards, which is also what a person stepping
        // through sees (in reverse); the pixels where the states change.
        std::vector<Pair> seen{expected.back()};
        while (player->position() > 0) {
            player->stepBack();
            const std::size_t p = player->position();
            expectGraphShows(window, s.id, p, expected.at(p));
            if (const auto shown = shownBy(window, s.id, p); shown && !(*shown == seen.back())) {
                seen.push_back(*shown);
                expectNodePixels(window, s.id, p, expected, !s.load.empty());
            }
        }
        if (const auto lesson = kLessons.find(s.id); lesson != kLessons.end()) {
            ++lessonsPlayed;
            EXPECT_EQ(std::vector<Pair>(seen.rbegin(), seen.rend()), lesson->second) << s.id;
        }
    }
    EXPECT_EQ(lessonsPlayed, kLessons.size());
}
