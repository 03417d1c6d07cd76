// The library, the menus and Help as a lecturer meets them: each topic once,
// in course order, with full titles; the keys, the scenario guide and the
// colour legend in both languages; zoom in the View menu; export names.
#include "main_window.h"
#include "scenario/library.h"
#include "scenario_source.h"
#include "sequence_diagram_view.h"
#include "state_graph_view.h"

#include <QAction>
#include <QApplication>
#include <QDialog>
#include <QImage>
#include <QLabel>
#include <QMenu>
#include <QMenuBar>
#include <QTest>
#include <QTextBrowser>
#include <QTreeWidget>
#include <gtest/gtest.h>
#include <set>

using namespace tcpviz;
using tcpviz::gui::MainWindow;

namespace {

QMenu* menuTitled(MainWindow& w, const QString& title) {
    for (QAction* a : w.menuBar()->actions()) {
        if (a->text() == title && a->menu() != nullptr) {
            return a->menu();
        }
    }
    return nullptr;
}

QAction* actionWithShortcut(QMenu* menu, const QKeySequence& key) {
    for (QAction* a : menu->actions()) {
        if (a->shortcuts().contains(key)) {
            return a;
        }
    }
    return nullptr;
}

/// Text of every label and browser in a dialog.
QString dialogText(QDialog* dialog) {
    QString all;
    for (auto* l : dialog->findChildren<QLabel*>()) {
        all += l->text() + QLatin1Char('\n');
    }
    for (auto* b : dialog->findChildren<QTextBrowser*>()) {
        all += b->toPlainText() + QLatin1Char('\n');
    }
    return all;
}

QDialog* trigger(MainWindow& w, QAction* action, const QString& objectName) {
    action->trigger();
    QApplication::processEvents();
    return w.findChild<QDialog*>(objectName);
}

} // namespace

TEST(LessonMenus, EachTopicOnceInCourseOrderWithEveryScenarioOnce) {
    MainWindow w;
    w.setQuiet(true);
    w.setLanguage(QStringLiteral("en"));
    QMenu* scenarios = menuTitled(w, QStringLiteral("&Scenarios"));
    ASSERT_NE(scenarios, nullptr);
    // By hand: the course meets the topics in this order.
    const QStringList course{
        QStringLiteral("Opening a connection"),      QStringLiteral("Data transfer"),
        QStringLiteral("Closing a connection"),      QStringLiteral("Resets and aborts"),
        QStringLiteral("Timers and retransmission"), QStringLiteral("Attacks and defences")};
    QStringList topics;
    std::multiset<QString> titles;
    for (QAction* a : scenarios->actions()) {
        ASSERT_NE(a->menu(), nullptr) << a->text().toStdString();
        topics << a->text();
        for (QAction* s : a->menu()->actions()) {
            titles.insert(s->text());
            EXPECT_TRUE(s->toolTip().contains(s->text().toHtmlEscaped()))
                << "the tooltip gives the full title: " << s->text().toStdString();
        }
    }
    EXPECT_EQ(topics, course) << topics.join(QStringLiteral(" | ")).toStdString();
    EXPECT_EQ(titles.size(), builtinScenarios().size());
    for (const Scenario& s : builtinScenarios()) {
        EXPECT_EQ(titles.count(gui::scenarioTitle(s, Language::En)), 1U) << s.id;
    }

    auto* tree = w.findChild<QTreeWidget*>(QStringLiteral("libraryTree"));
    ASSERT_NE(tree, nullptr);
    QStringList treeTopics;
    int leaves = 0;
    for (int i = 0; i < tree->topLevelItemCount(); ++i) {
        treeTopics << tree->topLevelItem(i)->text(0);
        for (int j = 0; j < tree->topLevelItem(i)->childCount(); ++j) {
            const QTreeWidgetItem* item = tree->topLevelItem(i)->child(j);
            EXPECT_TRUE(item->toolTip(0).contains(item->text(0).toHtmlEscaped()));
            ++leaves;
        }
    }
    EXPECT_EQ(treeTopics, course);
    EXPECT_EQ(static_cast<std::size_t>(leaves), builtinScenarios().size());
    EXPECT_TRUE(tree->wordWrap()) << "long titles wrap rather than being cut off";
    EXPECT_EQ(tree->textElideMode(), Qt::ElideNone);
}

TEST(LessonMenus, HelpOffersKeysGuideAndLegendInBothLanguages) {
    MainWindow w;
    w.setQuiet(true);
    w.setLanguage(QStringLiteral("en"));
    QMenu* help = menuTitled(w, QStringLiteral("&Help"));
    ASSERT_NE(help, nullptr);
    QStringList entries;
    for (QAction* a : help->actions()) {
        entries << a->text();
    }
    ASSERT_GE(entries.size(), 4);
    const auto find = [&](const QString& text) -> QAction* {
        for (QAction* a : help->actions()) {
            if (a->text() == text) {
                return a;
            }
        }
        return nullptr;
    };
    QAction* keys = find(QStringLiteral("&Keys"));
    QAction* guide = find(QStringLiteral("&Writing scenarios"));
    QAction* legend = find(QStringLiteral("What do the &colours mean?"));
    ASSERT_TRUE(keys && guide && legend) << entries.join(QStringLiteral(" | ")).toStdString();

    QDialog* k = trigger(w, keys, QStringLiteral("keysDialog"));
    ASSERT_NE(k, nullptr);
    const QString keyText = dialogText(k);
    for (const char* key : {"Space", "F11", "Esc", "Ctrl+0", "Ctrl+Shift+Q"}) {
        EXPECT_TRUE(keyText.contains(QLatin1String(key))) << key;
    }
    QDialog* g = trigger(w, guide, QStringLiteral("scenarioGuideDialog"));
    ASSERT_NE(g, nullptr);
    // The guide itself: its opening words and a field every scenario has.
    EXPECT_TRUE(dialogText(g).contains(QStringLiteral("steps"))) << "guide not embedded";
    EXPECT_GT(dialogText(g).size(), 2000);
    QDialog* l = trigger(w, legend, QStringLiteral("legendDialog"));
    ASSERT_NE(l, nullptr);
    const QString legendText = dialogText(l);
    for (const char* word : {"lost", "retransmission", "duplicate", "injected", "badge C",
                             "badge S", "client", "server"}) {
        EXPECT_TRUE(legendText.contains(QLatin1String(word))) << word;
    }
    // A picture per row: the samples are drawn, not only described.
    int pictures = 0;
    for (auto* label : l->findChildren<QLabel*>()) {
        pictures += label->pixmap().isNull() ? 0 : 1;
    }
    EXPECT_GE(pictures, 7);
    for (QDialog* d : {k, g, l}) {
        d->close();
    }
    QApplication::processEvents();

    w.setLanguage(QStringLiteral("zh_CN"));
    QMenu* zhHelp = menuTitled(w, QStringLiteral("帮助(&H)"));
    ASSERT_NE(zhHelp, nullptr);
    QDialog* zl = nullptr;
    for (QAction* a : zhHelp->actions()) {
        if (a->text().contains(QStringLiteral("颜色"))) {
            zl = trigger(w, a, QStringLiteral("legendDialog"));
        }
    }
    ASSERT_NE(zl, nullptr) << "the legend is offered in Chinese";
    const QString zh = dialogText(zl);
    for (const char* word : {"丢失", "重传", "副本", "注入", "客户端", "服务器"}) {
        EXPECT_TRUE(zh.contains(QString::fromUtf8(word))) << word;
    }
    zl->close();
    w.setLanguage(QStringLiteral("en"));
}

TEST(LessonMenus, ZoomIsInTheViewMenuAndANewLessonOpensFitted) {
    MainWindow w;
    w.setQuiet(true);
    w.setLanguage(QStringLiteral("en"));
    ASSERT_TRUE(w.openPath(QStringLiteral("lecture")));
    w.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&w));
    QMenu* view = menuTitled(w, QStringLiteral("&View"));
    ASSERT_NE(view, nullptr);
    QAction* in = actionWithShortcut(view, QKeySequence::ZoomIn);
    QAction* out = actionWithShortcut(view, QKeySequence::ZoomOut);
    QAction* fit = actionWithShortcut(view, QKeySequence(Qt::CTRL | Qt::Key_0));
    ASSERT_TRUE(in && out && fit);
    EXPECT_TRUE(w.diagramView()->fitToWindow()) << "a lesson opens with the whole exchange";
    in->trigger();
    EXPECT_FALSE(w.diagramView()->fitToWindow());
    const double zoomed = w.diagramView()->zoom();
    in->trigger();
    EXPECT_GT(w.diagramView()->zoom(), zoomed);
    out->trigger();
    EXPECT_NEAR(w.diagramView()->zoom(), zoomed, 1e-9);
    fit->trigger();
    EXPECT_TRUE(w.diagramView()->fitToWindow());
    in->trigger();
    ASSERT_TRUE(w.openPath(QStringLiteral("three-way-handshake")));
    EXPECT_TRUE(w.diagramView()->fitToWindow()) << "the next lesson opens fitted again";
}

TEST(LessonMenus, TheExportDialogProposesTheLessonAndStep) {
    MainWindow w;
    w.setQuiet(true);
    ASSERT_TRUE(w.openPath(QStringLiteral("lecture")));
    w.player()->seek(7);
    EXPECT_EQ(w.proposedExportName(false), QStringLiteral("lecture-step-7.svg"));
    EXPECT_EQ(w.proposedExportName(true), QStringLiteral("lecture.svg"));
}

// The legend explains the graph's badges, so it draws the letters the graph
// draws: C/S in English, 客/服 in Chinese (where it used to draw C/S).
TEST(LessonMenus, LegendBadgesAreTheGraphsLettersInEachLanguage) {
    MainWindow w;
    w.setQuiet(true);
    struct Seen {
        QString client;
        QString server;
        QImage clientPicture;
        QString text;
    };
    const auto legendIn = [&w](const QString& language) {
        w.setLanguage(language);
        QMenu* help = w.menuBar()->actions().last()->menu();
        EXPECT_NE(help, nullptr);
        Seen seen;
        if (help == nullptr) {
            return seen;
        }
        QDialog* legend = nullptr;
        for (QAction* a : help->actions()) {
            if (a->text().contains(QStringLiteral("colours")) ||
                a->text().contains(QStringLiteral("颜色"))) {
                legend = trigger(w, a, QStringLiteral("legendDialog"));
            }
        }
        EXPECT_NE(legend, nullptr) << language.toStdString();
        if (legend == nullptr) {
            return seen;
        }
        auto* c = legend->findChild<QLabel*>(QStringLiteral("legendBadgeClient"));
        auto* s = legend->findChild<QLabel*>(QStringLiteral("legendBadgeServer"));
        EXPECT_TRUE(c != nullptr && s != nullptr);
        if (c != nullptr && s != nullptr) {
            seen.client = c->property("badgeLetter").toString();
            seen.server = s->property("badgeLetter").toString();
            seen.clientPicture = c->pixmap().toImage();
        }
        seen.text = dialogText(legend);
        // For people to look at: TCPVIZ_SCREENSHOT_DIR=/tmp/shots keeps the legend.
        if (const QString dir = qEnvironmentVariable("TCPVIZ_SCREENSHOT_DIR"); !dir.isEmpty()) {
            legend->show();
            QApplication::processEvents();
            legend->grab().save(dir + QStringLiteral("/legend_%1.png").arg(language));
        }
        legend->close();
        QApplication::processEvents();
        return seen;
    };

    const Seen en = legendIn(QStringLiteral("en"));
    EXPECT_EQ(StateGraphView::badgeLetter(Side::Client), QStringLiteral("C"));
    EXPECT_EQ(en.client, QStringLiteral("C"));
    EXPECT_EQ(en.server, QStringLiteral("S"));
    EXPECT_TRUE(en.text.contains(QStringLiteral("badge C"))) << en.text.toStdString();

    const Seen zh = legendIn(QStringLiteral("zh_CN"));
    // What the graph draws in Chinese, and the legend draws the same.
    const QString graphClient = StateGraphView::badgeLetter(Side::Client);
    const QString graphServer = StateGraphView::badgeLetter(Side::Server);
    EXPECT_EQ(graphClient, QString::fromUtf8("客"));
    EXPECT_EQ(graphServer, QString::fromUtf8("服"));
    EXPECT_EQ(zh.client, graphClient);
    EXPECT_EQ(zh.server, graphServer);
    EXPECT_TRUE(zh.text.contains(QString::fromUtf8("标记 客"))) << zh.text.toStdString();
    EXPECT_TRUE(zh.text.contains(QString::fromUtf8("标记 服"))) << zh.text.toStdString();
    EXPECT_FALSE(zh.text.contains(QString::fromUtf8("标记 C")));
    // The picture itself changed with the letter (same colours, same node).
    ASSERT_FALSE(en.clientPicture.isNull());
    ASSERT_FALSE(zh.clientPicture.isNull());
    EXPECT_NE(en.clientPicture, zh.clientPicture);
    w.setLanguage(QStringLiteral("en"));
}
