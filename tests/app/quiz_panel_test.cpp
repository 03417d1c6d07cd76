// The quiz in the real window: a dock beside the diagram, the question before
// anything that gives it away, the player at the step asked about after the
// answer, and a score that says what it counts.
#include "main_window.h"
#include "narration/narrator.h"
#include "narration_view.h"
#include "quiz_panel.h"
#include "sequence_diagram_view.h"
#include "tcp/segment.h"

#include <QApplication>
#include <QDockWidget>
#include <QGroupBox>
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

namespace {

/// Answers every question right until one of `kind` is asked; false if none comes.
bool playToQuestionOfKind(MainWindow& w, gui::QuizKind kind) {
    while (playToQuestion(w)) {
        const gui::QuizQuestion q = *w.quiz().questionBefore(w.player()->position());
        if (q.kind == kind) {
            return true;
        }
        if (q.kind == gui::QuizKind::Transition || q.kind == gui::QuizKind::Segment) {
            answer(w, q, true);
        } else {
            const auto right = std::find(q.choices.begin(), q.choices.end(), q.correctChoice);
            w.quizPanel()->chooseOption(static_cast<int>(right - q.choices.begin()));
            w.quizPanel()->submit();
        }
    }
    return false;
}

} // namespace

// "Will the client accept this RST?" in the window, answered by clicking, in
// English and in Chinese (challenge-ack: the forged RST, answered with a
// challenge ACK).
TEST(QuizPanel, AsksWhetherTheRstIsAcceptedAndExplainsTheCheck) {
    for (const char* language : {"en", "zh_CN"}) {
        SCOPED_TRACE(language);
        const bool zh = QLatin1String(language) == QLatin1String("zh_CN");
        MainWindow w;
        w.setQuiet(true);
        w.setLanguage(QString::fromLatin1(language));
        ASSERT_TRUE(w.openPath(QStringLiteral("challenge-ack")));
        w.resize(1280, 720);
        w.show();
        ASSERT_TRUE(QTest::qWaitForWindowExposed(&w));
        w.setQuizEnabled(true);
        ASSERT_TRUE(playToQuestionOfKind(w, gui::QuizKind::RstAcceptance));
        const std::size_t at = w.player()->position();
        const gui::QuizQuestion q = *w.quiz().questionBefore(at);
        const Trace& trace = *w.currentTrace();
        EXPECT_EQ(trace.event(at).kind, EventKind::Arrive) << "stopped before the RST arrives";
        EXPECT_TRUE(trace.event(at).segment.has(flag::RST));
        const QString asked = w.quizPanel()->shownText();
        if (zh) {
            EXPECT_TRUE(asked.contains(QString::fromUtf8("会接受它吗"))) << asked.toStdString();
            EXPECT_TRUE(asked.contains(QString::fromUtf8("不会：它用挑战 ACK 回答")));
        } else {
            EXPECT_TRUE(asked.contains(QStringLiteral("Will the client accept it?")))
                << asked.toStdString();
            EXPECT_TRUE(asked.contains(QStringLiteral("No: it answers with a challenge ACK")));
            EXPECT_TRUE(asked.contains(QStringLiteral("Yes: it resets the connection")));
        }
        EXPECT_TRUE(w.narrationView()->holdingBack());
        // For people to look at: TCPVIZ_SCREENSHOT_DIR=/tmp/shots keeps the window.
        if (const QString dir = qEnvironmentVariable("TCPVIZ_SCREENSHOT_DIR"); !dir.isEmpty()) {
            QApplication::processEvents(); // the dock lays the verdict out
            w.grab().save(dir + QStringLiteral("/quiz_rst_%1.png").arg(QLatin1String(language)));
        }
        // The state and flag groups are for transitions: only the three answers show.
        int groups = 0;
        for (const QGroupBox* g : w.quizPanel()->findChildren<QGroupBox*>()) {
            groups += g->isVisible() ? 1 : 0;
        }
        EXPECT_EQ(groups, 1);
        w.quizPanel()->submit();
        EXPECT_TRUE(w.quizPanel()->asking()) << "nothing chosen, nothing submitted";
        const auto right = std::find(q.choices.begin(), q.choices.end(), q.correctChoice);
        ASSERT_EQ(q.correctChoice, gui::QuizChoice::RstChallengeAck);
        w.quizPanel()->chooseOption(static_cast<int>(right - q.choices.begin()));
        w.quizPanel()->submit();
        EXPECT_FALSE(w.quizPanel()->asking());
        const QString verdict = w.quizPanel()->shownText();
        if (zh) {
            EXPECT_TRUE(verdict.contains(QString::fromUtf8("挑战 ACK"))) << verdict.toStdString();
            EXPECT_TRUE(verdict.contains(QString::fromUtf8("接收窗口")));
        } else {
            EXPECT_TRUE(verdict.contains(QStringLiteral("Right!"))) << verdict.toStdString();
            EXPECT_TRUE(verdict.contains(QStringLiteral("RFC 5961")));
            // Relative numbers, as the diagram labels the forged RST (seq=1001).
            EXPECT_TRUE(verdict.contains(QStringLiteral("SEQ=1001 is inside the receive window")))
                << verdict.toStdString();
        }
        if (const QString dir = qEnvironmentVariable("TCPVIZ_SCREENSHOT_DIR"); !dir.isEmpty()) {
            QApplication::processEvents(); // the dock lays the verdict out
            w.grab().save(dir +
                          QStringLiteral("/quiz_rst_answered_%1.png").arg(QLatin1String(language)));
        }
        // The player shows the client's answer (the challenge ACK leaving), no further.
        EXPECT_EQ(w.player()->position(), q.transition + 1);
        const TraceEvent& shown = trace.event(w.player()->position() - 1);
        EXPECT_EQ(shown.kind, EventKind::Send);
        EXPECT_EQ(shown.reason, SendReason::ChallengeAck);
        EXPECT_EQ(trace.stateAt(Side::Client, w.player()->position()), State::Established);
        EXPECT_FALSE(w.narrationView()->holdingBack());
        EXPECT_EQ(w.quiz().asked(), w.quiz().correct());
        w.setQuizEnabled(false);
    }
}
