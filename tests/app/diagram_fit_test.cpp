// Every built-in lesson on one screen, in the real window at 1280x720 and larger:
// the whole exchange fitted without scrolling, every arrow labelled, the labels
// inside the diagram, clear of one another and of the arrows' ends, and legible.
#include "main_window.h"
#include "scenario/library.h"
#include "sequence_diagram_view.h"
#include "view_style.h"

#include <QAction>
#include <QApplication>
#include <QDir>
#include <QDockWidget>
#include <QMenu>
#include <QMenuBar>
#include <QScreen>
#include <QScrollBar>
#include <QTest>
#include <algorithm>
#include <gtest/gtest.h>
#include <set>
#include <string>
#include <vector>

using namespace tcpviz;
using tcpviz::gui::MainWindow;

namespace {

std::string str(const QRectF& r) {
    return QStringLiteral("(%1,%2 %3x%4)")
        .arg(r.x(), 0, 'f', 1)
        .arg(r.y(), 0, 'f', 1)
        .arg(r.width(), 0, 'f', 1)
        .arg(r.height(), 0, 'f', 1)
        .toStdString();
}

/// What is wrong with the diagram as the window drew it last, one line per problem.
/// `everyArrow`: every arrow must carry a label; `ends`: no label may cover an arrow's end.
std::vector<std::string> labelProblems(MainWindow& w, bool everyArrow, bool ends = true) {
    std::vector<std::string> problems;
    SequenceDiagramView* view = w.diagramView();
    const SequenceDiagramRenderer& r = view->renderer();
    const QRectF page(view->viewport()->rect());
    const QRectF lanes = r.lanesRect();
    const auto& arrows = view->drawnArrows();
    const auto& labels = r.lastSegmentLabels();
    if (view->verticalScrollBar()->maximum() != 0) {
        problems.push_back("the fitted view can scroll " +
                           std::to_string(view->verticalScrollBar()->maximum()) + " px");
    }
    for (const DrawnArrow& a : arrows) {
        if (everyArrow && !a.labelled) {
            problems.push_back("the arrow of event " + std::to_string(a.sendIndex) +
                               " has no label");
        }
        for (const QPointF end : {a.line.p1(), a.line.p2()}) {
            if (!lanes.adjusted(-0.5, -0.5, 0.5, 0.5).contains(end)) {
                problems.push_back("the arrow of event " + std::to_string(a.sendIndex) +
                                   " ends outside the diagram");
            }
        }
    }
    for (std::size_t i = 0; i < labels.size(); ++i) {
        const DrawnText& l = labels[i];
        if (!page.contains(l.rect) || l.rect.top() < lanes.top() - 0.5) {
            problems.push_back("\"" + l.text.toStdString() + "\" " + str(l.rect) +
                               " is not inside the diagram " + str(lanes));
        }
        for (std::size_t j = i + 1; j < labels.size(); ++j) {
            if (l.rect.intersects(labels[j].rect)) {
                problems.push_back("\"" + l.text.toStdString() + "\" " + str(l.rect) +
                                   " overlaps \"" + labels[j].text.toStdString() + "\" " +
                                   str(labels[j].rect));
            }
        }
        for (const DrawnArrow& a : arrows) {
            for (const QPointF end : {a.line.p1(), a.line.p2()}) {
                if (ends && l.rect.contains(end)) {
                    problems.push_back("\"" + l.text.toStdString() + "\" covers an end of the " +
                                       "arrow of event " + std::to_string(a.sendIndex));
                }
            }
        }
    }
    // The whole exchange: its last row (the 2MSL expiry, say) is inside the lanes too.
    const double bottom = r.yOfAxis(r.layout().axisLength());
    if (bottom > lanes.bottom() + 0.5 || r.yOfAxis(0.0) < lanes.top() - 0.5) {
        problems.push_back("the exchange runs from y " + std::to_string(r.yOfAxis(0.0)) + " to " +
                           std::to_string(bottom) + ", outside the lanes " + str(lanes));
    }
    for (const DrawnText& t : r.lastTimerLabels()) {
        if (!page.contains(t.rect)) {
            problems.push_back("timer label \"" + t.text.toStdString() + "\" " + str(t.rect) +
                               " leaves the diagram");
        }
    }
    return problems;
}

/// Steps through every built-in lesson in `w` (already sized) and collects the
/// problems: at the end of each lesson every arrow must be labelled; at the
/// steps before, the labels drawn must still be clear of each other.
std::vector<std::string> problemsOfEveryLesson(MainWindow& w, std::size_t* lessonsWithProblems,
                                               const QString& shots = {}) {
    std::vector<std::string> all;
    *lessonsWithProblems = 0;
    for (const Scenario& s : builtinScenarios()) {
        EXPECT_TRUE(w.openPath(QString::fromStdString(s.id)));
        // A crowd lesson opens like a capture, its connections table and counts
        // (a tab of the same dock) docked below. On a 720-line screen the lecturer
        // reads the ladder with the dock closed (the graph's heat map and the chart
        // under the ladder keep the counts): that is what is checked. With the dock
        // open, syn-flood's labels all fit; accept-queue-overflow loses four,
        // time-wait-pileup and close-wait-leak one each at their last step.
        if (!s.load.empty() && w.height() < 900) {
            w.findChild<QDockWidget*>(QStringLiteral("connectionsDock"))->hide();
            w.stateCountsDock()->hide();
        }
        QApplication::processEvents();
        const std::size_t size = w.currentTrace()->size();
        bool any = false;
        for (std::size_t p = 0; p <= size; ++p) {
            w.player()->seek(p);
            // Paint now, at the window's size, so that the renderer reports this step.
            w.diagramView()->viewport()->repaint();
            for (const std::string& problem : labelProblems(w, p == size)) {
                all.push_back(s.id + " step " + std::to_string(p) + ": " + problem);
                any = true;
            }
        }
        *lessonsWithProblems += any ? 1 : 0;
        // For people to look at: TCPVIZ_SCREENSHOT_DIR=/tmp/shots keeps each lesson's end.
        if (const QString dir = qEnvironmentVariable("TCPVIZ_SCREENSHOT_DIR");
            !dir.isEmpty() && !shots.isEmpty()) {
            QDir().mkpath(dir);
            w.grab().save(
                QStringLiteral("%1/fit_%2_%3.png").arg(dir, shots, QString::fromStdString(s.id)));
        }
    }
    return all;
}

void showAt(MainWindow& w, QSize size) {
    w.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&w));
    w.resize(size);
    QApplication::processEvents();
    ASSERT_EQ(w.size(), size);
}

void useAxis(MainWindow& w, SequenceAxis axis) {
    ViewSettings view = w.settings().view;
    view.sequenceAxis = axis;
    w.setViewSettings(view);
}

} // namespace

TEST(DiagramFit, EveryLessonFitsWithItsLabelsClearAt1280x720And1920x1080) {
    for (const QSize size : {QSize(1280, 720), QSize(1920, 1080)}) {
        for (const char* language : {"en", "zh_CN"}) {
            MainWindow w;
            w.setQuiet(true);
            w.setLanguage(QLatin1String(language));
            useAxis(w, SequenceAxis::Automatic);
            showAt(w, size);
            std::size_t failing = 0;
            const auto problems = problemsOfEveryLesson(w, &failing,
                                                        QStringLiteral("%1x%2 %3")
                                                            .arg(size.width())
                                                            .arg(size.height())
                                                            .arg(QLatin1String(language)));
            for (std::size_t i = 0; i < problems.size() && i < 40; ++i) {
                ADD_FAILURE() << size.width() << "x" << size.height() << " " << problems[i];
            }
            EXPECT_EQ(failing, 0U)
                << problems.size() << " problems at " << size.width() << "x" << size.height();
            // Legible: the labels are drawn in at least 9 pt.
            EXPECT_GE(viewFont(w.settings().view).pointSizeF(), 9.0);
        }
    }
}

// Presentation mode at 1280x720: text at least 14 px, so the labels are wider
// than the room between the lifelines of the narrower diagram and some are left
// out; those drawn still fit on the page, clear of each other. (The current
// step's own label is always drawn, and where no place is clear it may cover an
// arrow's end.) The count of arrows left unlabelled is printed.
TEST(DiagramFit, PresentationModeLabelsStayClearAt1280x720) {
    MainWindow w;
    w.setQuiet(true);
    w.setLanguage(QStringLiteral("en"));
    useAxis(w, SequenceAxis::Automatic);
    ASSERT_TRUE(w.openPath(QStringLiteral("lecture")));
    w.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&w));
    w.setPresentationMode(true);
    // The offscreen screen is not a projector: give the window the projector's size.
    w.showNormal();
    QApplication::processEvents();
    w.resize(1280, 720);
    QApplication::processEvents();
    std::size_t arrows = 0;
    std::size_t unlabelled = 0;
    for (const Scenario& s : builtinScenarios()) {
        ASSERT_TRUE(w.openPath(QString::fromStdString(s.id)));
        const std::size_t size = w.currentTrace()->size();
        for (std::size_t p = 0; p <= size; ++p) {
            w.player()->seek(p);
            w.diagramView()->viewport()->repaint();
            for (const std::string& problem : labelProblems(w, false, false)) {
                ADD_FAILURE() << "presentation 1280x720 " << s.id << " step " << p << ": "
                              << problem;
            }
        }
        for (const DrawnArrow& a : w.diagramView()->drawnArrows()) {
            ++arrows;
            unlabelled += a.labelled ? 0 : 1;
        }
        if (const QString dir = qEnvironmentVariable("TCPVIZ_SCREENSHOT_DIR"); !dir.isEmpty()) {
            QDir().mkpath(dir);
            w.grab().save(QStringLiteral("%1/fit_presentation_%2.png")
                              .arg(dir, QString::fromStdString(s.id)));
        }
    }
    std::printf("presentation 1280x720: %zu of %zu arrows unlabelled at the lessons' ends\n",
                unlabelled, arrows);
    EXPECT_LT(unlabelled * 4, arrows) << "most arrows keep their label";
    w.setPresentationMode(false);
}

// The same checks on the proportional time axis alone: they fail there for
// some lessons (where two arrows share a moment: a simultaneous close, an old
// duplicate crossing the new connection), which is why Automatic chooses steps
// for crowded lessons. Proof that the checks can fail; the lessons are printed.
TEST(DiagramFit, TheTimeAxisAloneCrowdsTheLabelsOfSomeLessons) {
    MainWindow w;
    w.setQuiet(true);
    w.setLanguage(QStringLiteral("en"));
    useAxis(w, SequenceAxis::Time);
    showAt(w, QSize(1280, 720));
    std::size_t failing = 0;
    const auto problems = problemsOfEveryLesson(w, &failing);
    std::set<std::string> lessons;
    for (const std::string& p : problems) {
        lessons.insert(p.substr(0, p.find(' ')));
    }
    std::string names;
    for (const std::string& l : lessons) {
        names += " " + l;
    }
    std::printf("time axis at 1280x720: %zu lessons with crowded labels:%s\n", failing,
                names.c_str());
    EXPECT_GE(failing, 1U);
    useAxis(w, SequenceAxis::Automatic);
}

TEST(DiagramFit, FittedDoesNotScrollZoomedFollowsThePlayhead) {
    MainWindow w;
    w.setQuiet(true);
    w.setLanguage(QStringLiteral("en"));
    ASSERT_TRUE(w.openPath(QStringLiteral("lecture")));
    showAt(w, QSize(1280, 720));
    SequenceDiagramView* view = w.diagramView();
    ASSERT_TRUE(view->fitToWindow());
    for (std::size_t p = 0; p <= w.currentTrace()->size(); ++p) {
        w.player()->seek(p);
        QApplication::processEvents();
        ASSERT_EQ(view->verticalScrollBar()->value(), 0) << "fitted, step " << p;
        ASSERT_EQ(view->verticalScrollBar()->maximum(), 0);
    }
    // Ctrl++ three times: now the exchange is taller than the view, and the view
    // keeps the playhead in sight as the lesson goes on.
    w.player()->seek(0);
    for (int i = 0; i < 3; ++i) {
        QTest::keyClick(&w, Qt::Key_Plus, Qt::ControlModifier);
    }
    QApplication::processEvents();
    EXPECT_FALSE(view->fitToWindow());
    ASSERT_GT(view->verticalScrollBar()->maximum(), 0);
    int scrolled = 0;
    for (std::size_t p = 0; p <= w.currentTrace()->size(); ++p) {
        w.player()->seek(p);
        view->viewport()->repaint();
        const SequenceDiagramRenderer& r = view->renderer();
        const double y = r.yOfAxis(r.layout().playheadAxis(*w.currentTrace(), p, 0.0));
        EXPECT_GE(y, r.lanesRect().top() - 1.0) << "step " << p;
        EXPECT_LE(y, r.lanesRect().bottom() + 1.0) << "step " << p;
        scrolled = std::max(scrolled, view->verticalScrollBar()->value());
    }
    EXPECT_GT(scrolled, 0);
    // Ctrl+0 fits again: no scrolling.
    QTest::keyClick(&w, Qt::Key_0, Qt::ControlModifier);
    QApplication::processEvents();
    EXPECT_TRUE(view->fitToWindow());
    EXPECT_EQ(view->verticalScrollBar()->maximum(), 0);
}

namespace {

/// The View menu's action whose text (without "&") starts with `start`.
QAction* viewAction(MainWindow& w, const QString& start) {
    for (QAction* top : w.menuBar()->actions()) {
        if (top->menu() == nullptr) {
            continue;
        }
        QList<QAction*> actions = top->menu()->actions();
        for (int i = 0; i < actions.size(); ++i) {
            if (actions[i]->menu() != nullptr) {
                actions += actions[i]->menu()->actions();
            }
            if (actions[i]->text().remove(QLatin1Char('&')).startsWith(start)) {
                return actions[i];
            }
        }
    }
    return nullptr;
}

} // namespace

TEST(DiagramFit, TheAxisAndTheFaintFutureAreChosenInTheViewMenuAndRemembered) {
    {
        MainWindow w;
        w.setQuiet(true);
        w.setLanguage(QStringLiteral("en"));
        useAxis(w, SequenceAxis::Automatic);
        // A run that failed half-way may have left the faint future on: start from the default.
        QAction* f = viewAction(w, QStringLiteral("Show what comes next"));
        ASSERT_NE(f, nullptr);
        if (f->isChecked()) {
            f->trigger();
        }
        ASSERT_TRUE(w.openPath(QStringLiteral("three-way-handshake")));
        showAt(w, QSize(1280, 720));
        // Three segments one after the other: time is clear, Automatic keeps it.
        EXPECT_EQ(w.diagramView()->renderer().layout().axis(), SequenceAxis::Time);
        ASSERT_TRUE(w.openPath(QStringLiteral("lost-final-ack")));
        // A lost ACK and its retransmitted FIN crowd the time axis: steps.
        EXPECT_EQ(w.diagramView()->renderer().layout().axis(), SequenceAxis::Steps);
        QAction* time = viewAction(w, QStringLiteral("Time"));
        QAction* future = viewAction(w, QStringLiteral("Show what comes next"));
        ASSERT_NE(time, nullptr);
        ASSERT_NE(future, nullptr);
        time->trigger();
        EXPECT_EQ(w.diagramView()->renderer().layout().axis(), SequenceAxis::Time);
        EXPECT_FALSE(w.diagramView()->showFuture()) << "future arrows are hidden by default";
        future->trigger();
        EXPECT_TRUE(w.diagramView()->showFuture());
        // Faint, ahead of the playhead: at step 0 every arrow is drawn, as future.
        w.player()->seek(0);
        w.diagramView()->viewport()->repaint();
        ASSERT_EQ(w.diagramView()->drawnArrows().size(),
                  w.diagramView()->renderer().layout().arrows().size());
        for (const DrawnArrow& a : w.diagramView()->drawnArrows()) {
            EXPECT_TRUE(a.future);
        }
    }
    {
        // A new window (a new session) starts with both choices as they were left.
        MainWindow w;
        w.setQuiet(true);
        w.setLanguage(QStringLiteral("en"));
        ASSERT_TRUE(w.openPath(QStringLiteral("lost-final-ack")));
        EXPECT_EQ(w.settings().view.sequenceAxis, SequenceAxis::Time);
        EXPECT_EQ(w.diagramView()->renderer().layout().axis(), SequenceAxis::Time);
        EXPECT_TRUE(w.diagramView()->showFuture());
        QAction* steps = viewAction(w, QStringLiteral("Steps"));
        ASSERT_NE(steps, nullptr);
        EXPECT_FALSE(steps->isChecked());
        steps->trigger();
        EXPECT_EQ(w.diagramView()->renderer().layout().axis(), SequenceAxis::Steps);
        viewAction(w, QStringLiteral("Show what comes next"))->trigger();
        viewAction(w, QStringLiteral("Automatic"))->trigger();
    }
    MainWindow w;
    EXPECT_EQ(w.settings().view.sequenceAxis, SequenceAxis::Automatic);
    EXPECT_FALSE(w.diagramView()->showFuture());
}
