// Presentation mode as the back row of a lecture hall sees it: the diagram,
// the graph and the narration only, and no text smaller than 14 px on a
// 1280x720 projector or 20 px at 1920x1080, measured from the fonts the
// renderers actually draw with.
#include "main_window.h"
#include "narration_view.h"
#include "sequence_diagram_view.h"
#include "state_graph_view.h"

#include <QApplication>
#include <QDockWidget>
#include <QPaintDevice>
#include <QPaintEngine>
#include <QPainter>
#include <QScreen>
#include <QTest>
#include <algorithm>
#include <gtest/gtest.h>
#include <limits>

using namespace tcpviz;
using tcpviz::gui::MainWindow;

namespace {

/// A paint engine that draws nothing and remembers the size of every piece
/// of text it is asked to draw, in pixels of the screen.
class FontRecorder : public QPaintEngine {
public:
    FontRecorder()
        : QPaintEngine(QPaintEngine::AllFeatures) {}
    bool begin(QPaintDevice*) override { return true; }
    bool end() override { return true; }
    void updateState(const QPaintEngineState&) override {}
    void drawPixmap(const QRectF&, const QPixmap&, const QRectF&) override {}
    void drawPath(const QPainterPath&) override {}
    void drawPolygon(const QPointF*, int, PolygonDrawMode) override {}
    void drawTextItem(const QPointF&, const QTextItem& item) override {
        if (item.text().trimmed().isEmpty()) {
            return;
        }
        const QFont f = item.font();
        const double px = f.pixelSize() > 0 ? f.pixelSize() : f.pointSizeF() * dpi / 72.0;
        if (px < smallestPx) {
            smallestPx = px;
            smallestText = item.text();
        }
        ++texts;
    }
    Type type() const override { return QPaintEngine::User; }

    double dpi = 96.0;
    double smallestPx = std::numeric_limits<double>::infinity();
    QString smallestText;
    int texts = 0;
};

class RecordingDevice : public QPaintDevice {
public:
    RecordingDevice(QSize size, double dpi)
        : m_size(size) {
        m_engine.dpi = dpi;
    }
    QPaintEngine* paintEngine() const override { return &m_engine; }
    FontRecorder& recorder() { return m_engine; }

protected:
    int metric(PaintDeviceMetric m) const override {
        switch (m) {
        case PdmWidth:
            return m_size.width();
        case PdmHeight:
            return m_size.height();
        case PdmDpiX:
        case PdmDpiY:
        case PdmPhysicalDpiX:
        case PdmPhysicalDpiY:
            return static_cast<int>(m_engine.dpi);
        case PdmDevicePixelRatio:
            return 1;
        case PdmDevicePixelRatioScaled:
            return static_cast<int>(QPaintDevice::devicePixelRatioFScale());
        case PdmNumColors:
            return std::numeric_limits<int>::max();
        case PdmDepth:
            return 32;
        default:
            return 0;
        }
    }

private:
    QSize m_size;
    mutable FontRecorder m_engine;
};

struct Smallest {
    double px = 0;
    QString text;
};

/// The smallest text the diagram and the graph draw at their size in the window.
Smallest smallestText(MainWindow& w) {
    const double dpi = QGuiApplication::primaryScreen()->logicalDotsPerInchY();
    Smallest out{std::numeric_limits<double>::infinity(), {}};
    {
        RecordingDevice d(w.diagramView()->viewport()->size(), dpi);
        QPainter p(&d);
        w.diagramView()->renderDiagram(
            p, QRectF(QPointF(0, 0), w.diagramView()->viewport()->size()), false);
        p.end();
        EXPECT_GT(d.recorder().texts, 10) << "the diagram drew its labels";
        if (d.recorder().smallestPx < out.px) {
            out = {d.recorder().smallestPx, d.recorder().smallestText};
        }
    }
    {
        RecordingDevice d(w.stateGraphView()->size(), dpi);
        QPainter p(&d);
        w.stateGraphView()->paintGraph(p, QRectF(w.stateGraphView()->rect()));
        p.end();
        EXPECT_GT(d.recorder().texts, 20) << "the graph drew its nodes and arc labels";
        if (d.recorder().smallestPx < out.px) {
            out = {d.recorder().smallestPx, d.recorder().smallestText};
        }
    }
    const QFont narration = w.narrationView()->font();
    const double px = narration.pointSizeF() * dpi / 72.0;
    if (px < out.px) {
        out = {px, QStringLiteral("(narration)")};
    }
    return out;
}

void presentAt(MainWindow& w, QSize size) {
    w.setPresentationMode(true);
    // The offscreen screen is not a projector: give the window the projector's
    // size (out of the full-screen state, which pins it to the offscreen screen).
    w.showNormal();
    QApplication::processEvents();
    w.resize(size);
    QApplication::processEvents();
}

} // namespace

TEST(Presentation, ShowsTheLessonOnlyAndEscLeaves) {
    MainWindow w;
    w.setQuiet(true);
    ASSERT_TRUE(w.openPath(QStringLiteral("lost-data")));
    w.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&w));
    ASSERT_TRUE(w.detailsView()->isVisible());
    presentAt(w, QSize(1280, 720));
    EXPECT_TRUE(w.diagramView()->isVisible());
    EXPECT_TRUE(w.stateGraphView()->isVisible());
    EXPECT_TRUE(w.narrationView()->isVisible());
    EXPECT_FALSE(w.detailsView()->isVisible()) << "the packet-field tree is hidden";
    QTest::keyClick(&w, Qt::Key_F9);
    EXPECT_TRUE(w.detailsView()->isVisible()) << "F9 brings the details back";
    QTest::keyClick(&w, Qt::Key_F9);
    EXPECT_FALSE(w.detailsView()->isVisible());
    // The current step stays in view while stepping to the end.
    w.player()->toEnd();
    QApplication::processEvents();
    EXPECT_GT(w.diagramView()->visibleArrowCount(), 0U);
    QTest::keyClick(&w, Qt::Key_Escape);
    EXPECT_FALSE(w.presentationMode()) << "Esc leaves presentation mode";
    EXPECT_TRUE(w.detailsView()->isVisible());
    QTest::keyClick(&w, Qt::Key_F11);
    EXPECT_TRUE(w.presentationMode());
    QTest::keyClick(&w, Qt::Key_F11);
    EXPECT_FALSE(w.presentationMode()) << "F11 leaves it as well";
}

TEST(Presentation, NoTextSmallerThan14PxAt720pOr20PxAt1080p) {
    struct Case {
        QSize size;
        double minimumPx;
    };
    for (const Case& c : {Case{QSize(1280, 720), 14.0}, Case{QSize(1920, 1080), 20.0}}) {
        MainWindow w;
        w.setQuiet(true);
        // Lost segments, retransmissions, RTO brackets: the smallest labels there are.
        ASSERT_TRUE(w.openPath(QStringLiteral("lost-data")));
        w.show();
        ASSERT_TRUE(QTest::qWaitForWindowExposed(&w));
        presentAt(w, c.size);
        ASSERT_EQ(w.height(), c.size.height())
            << "minimum " << w.minimumSizeHint().height() << " diagram "
            << w.diagramView()->minimumSizeHint().height() << " graph "
            << w.stateGraphView()->minimumSizeHint().height() << " quiz "
            << w.quizDock()->minimumSizeHint().height();
        w.player()->toEnd();
        QApplication::processEvents();
        const Smallest s = smallestText(w);
        std::printf("presentation %dx%d: smallest text %.1f px (\"%s\")\n", c.size.width(),
                    c.size.height(), s.px, s.text.toUtf8().constData());
        EXPECT_GE(s.px, c.minimumPx)
            << c.size.width() << "x" << c.size.height() << ": \"" << s.text.toStdString() << "\"";
        w.setPresentationMode(false);
    }
}
