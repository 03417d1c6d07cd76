// The quiz in the real window: a dock beside the diagram, the question before
// anything that gives it away, the player at the step asked about after the
// answer, and a score that says what it counts.
#include "main_window.h"
#include "narration/narrator.h"
#include "narration_view.h"
#include "quiz_panel.h"
#include "sequence_diagram_view.h"

#include <QApplication>
#include <QDockWidget>
#include <QTest>
#include <algorithm>
#include <gtest/gtest.h>

using namespace tcpviz;
using tcpviz::gui::MainWindow;

namespace {

/// Plays until the quiz stops the player; false if it never does.
bool playToQuestion(MainWindow& w) {
    w.player()->play();
    for (int frames = 0; frames < 20000 && w.player()->isPlaying(); ++frames) {
        w.player()->advance(1.0 / 30.0);
    }
    return w.quizPanel()->asking();
}

QRect inWindow(QWidget* widget, QWidget* window) {
    return QRect(widget->mapTo(window, QPoint(0, 0)), widget->size());
}

/// Answers the open question, right or wrong on both counts.
void answer(MainWindow& w, const gui::QuizQuestion& q, bool right) {
    const auto state = std::find(q.stateChoices.begin(), q.stateChoices.end(), q.correctState) -
                       q.stateChoices.begin();
    const auto flags = std::find(q.flagChoices.begin(), q.flagChoices.end(), q.correctFlags) -
                       q.flagChoices.begin();
    const auto wrong = [](long i, std::size_t n) { return static_cast<int>((i + 1) % n); };
    w.quizPanel()->choose(right ? static_cast<int>(state) : wrong(state, q.stateChoices.size()),
                          right ? static_cast<int>(flags) : wrong(flags, q.flagChoices.size()));
    w.quizPanel()->submit();
}

} // namespace

TEST(QuizPanel, AsksInADockBesideTheDiagramBeforeTheAnswerShows) {
    MainWindow w;
    w.setQuiet(true);
    w.setLanguage(QStringLiteral("en"));
    ASSERT_TRUE(w.openPath(QStringLiteral("lecture")));
    w.resize(1280, 720);
    w.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&w));
    w.setQuizEnabled(true);
    QApplication::processEvents();
    // Turning the quiz on says what to do next, in the window.
    ASSERT_TRUE(w.quizDock()->isVisible());
    EXPECT_TRUE(w.quizPanel()->shownText().contains(QStringLiteral("Press Play")))
        << w.quizPanel()->shownText().toStdString();

    const Trace& trace = *w.currentTrace();
    ASSERT_TRUE(playToQuestion(w));
    EXPECT_EQ(QApplication::activeModalWidget(), nullptr) << "no modal dialog over the lesson";
    const std::size_t at = w.player()->position();
    const gui::QuizQuestion q = *w.quiz().questionBefore(at);
    QApplication::processEvents();
    // Beside the diagram, never over it.
    EXPECT_TRUE(w.quizDock()->isVisible());
    EXPECT_FALSE(inWindow(w.quizDock(), &w).intersects(inWindow(w.diagramView(), &w)))
        << "the question covers the lifelines";
    EXPECT_GT(w.diagramView()->width(), 300);
    // The narration on screen would give the answer away: held back.
    const QString shown = w.narrationView()->currentHtml();
    ASSERT_GT(at, 0U);
    for (std::size_t i = at - 1; i <= q.transition; ++i) {
        const QString told = QString::fromStdString(narrate(trace, i).in(Language::En));
        if (!told.isEmpty()) {
            EXPECT_FALSE(shown.contains(told.left(40).toHtmlEscaped()))
                << "event " << i << " narrated while asking: " << told.toStdString();
        }
    }
    EXPECT_TRUE(w.narrationView()->holdingBack());

    // After the answer: the step the question was about, paused, narration back.
    answer(w, q, true);
    EXPECT_FALSE(w.quizPanel()->asking());
    EXPECT_EQ(w.player()->position(), q.transition + 1)
        << "the player shows the transition asked about, not beyond";
    EXPECT_FALSE(w.player()->isPlaying());
    EXPECT_EQ(w.currentTrace()->stateAt(q.side, w.player()->position()), q.correctState);
    EXPECT_FALSE(w.narrationView()->holdingBack());
    EXPECT_EQ(w.quizPanel()->scoreText(), QStringLiteral("1 correct of 1 question"));
}

TEST(QuizPanel, TheScoreSaysWhatItCountsInEnglishAndChinese) {
    MainWindow w;
    w.setQuiet(true);
    w.setLanguage(QStringLiteral("en"));
    ASSERT_TRUE(w.openPath(QStringLiteral("lecture")));
    w.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&w));
    w.setQuizEnabled(true);
    ASSERT_TRUE(playToQuestion(w));
    answer(w, *w.quiz().questionBefore(w.player()->position()), true);
    ASSERT_TRUE(playToQuestion(w));
    answer(w, *w.quiz().questionBefore(w.player()->position()), false);
    EXPECT_EQ(w.quiz().asked(), 2);
    EXPECT_EQ(w.quizPanel()->scoreText(), QStringLiteral("1 correct of 2 questions"));
    w.setLanguage(QStringLiteral("zh_CN"));
    EXPECT_EQ(w.quizPanel()->scoreText(), QStringLiteral("2 题中答对 1 题"));
    EXPECT_TRUE(w.quizPanel()->shownText().contains(QStringLiteral("播放")))
        << w.quizPanel()->shownText().toStdString();
    w.setLanguage(QStringLiteral("en"));
}
