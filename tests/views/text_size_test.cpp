// How small the sequence diagram's text may get: times, state names in the
// bands and timer labels are a little smaller than the segments' labels but
// never under 9 pt (or the labels' own size, when the desktop font is smaller
// still); in presentation mode nothing is under the mode's minimum, which the
// window derives from the screen height. Read from the SVG the renderer writes,
// so every piece of text it draws is counted.
#include "diagram_exporter.h"
#include "scenario/library.h"
#include "sim/simulator.h"

#include <QBuffer>
#include <QGuiApplication>
#include <QPainter>
#include <QSvgGenerator>
#include <QXmlStreamReader>
#include <gtest/gtest.h>
#include <vector>

namespace tcpviz {
namespace {

struct SizedText {
    QString text;
    double px = 0.0;
};

/// Every <text> of the diagram painted at 96 dpi, with the font size (pixels)
/// of the group it is drawn in.
std::vector<SizedText> textSizes(const Trace& t, QSize slide, const ViewSettings& settings) {
    ExportOptions options;
    options.slideSize = slide;
    options.settings = settings;
    const QSizeF canvas = exportSize(t, t.size(), options);
    QBuffer buffer;
    buffer.open(QIODevice::WriteOnly);
    QSvgGenerator svg;
    svg.setOutputDevice(&buffer);
    svg.setResolution(96);
    svg.setSize(canvas.toSize());
    svg.setViewBox(QRectF(QPointF(0, 0), canvas));
    {
        QPainter p(&svg);
        renderDiagram(p, QRectF(QPointF(0, 0), canvas), t, t.size(), options);
    }
    std::vector<SizedText> out;
    std::vector<double> groupSize{0.0};
    QXmlStreamReader xml(buffer.data());
    while (!xml.atEnd()) {
        xml.readNext();
        if (xml.isStartElement() && xml.name() == QLatin1String("g")) {
            const auto size = xml.attributes().value(QLatin1String("font-size"));
            groupSize.push_back(size.isEmpty() ? groupSize.back() : size.toDouble());
        } else if (xml.isEndElement() && xml.name() == QLatin1String("g")) {
            groupSize.pop_back();
        } else if (xml.isStartElement() && xml.name() == QLatin1String("text")) {
            const double px = groupSize.back();
            out.push_back({xml.readElementText(QXmlStreamReader::IncludeChildElements), px});
        }
    }
    EXPECT_FALSE(xml.hasError()) << xml.errorString().toStdString();
    return out;
}

/// Restores the application font after a test changes it.
class TextSize : public ::testing::Test {
protected:
    void TearDown() override { QGuiApplication::setFont(m_saved); }
    QFont m_saved = QGuiApplication::font();
};

// Lessons with timers (TIME-WAIT, FIN-WAIT-2), retransmissions and both kinds of
// close: each kind of secondary text is there.
constexpr const char* kLessons[] = {"lecture", "time-wait-expiry", "fin-wait-2-timeout",
                                    "lost-data"};

TEST_F(TextSize, SecondaryTextIsNeverUnderNinePoints) {
    for (const double desktopPt : {8.0, 9.0, 10.0, 12.0}) {
        QFont f = m_saved;
        f.setPointSizeF(desktopPt);
        QGuiApplication::setFont(f);
        // 9 pt, or the labels' own size on a desktop whose font is smaller.
        const double floorPx = std::min(9.0, desktopPt) * 96.0 / 72.0;
        for (const char* id : kLessons) {
            const auto scenario = findBuiltinScenario(id);
            ASSERT_TRUE(scenario.has_value()) << id;
            const Trace t = simulate(*scenario);
            const auto texts = textSizes(t, QSize(1280, 720), ViewSettings{});
            ASSERT_GT(texts.size(), 10U) << id;
            bool secondary = false;
            for (const SizedText& s : texts) {
                EXPECT_GE(s.px, floorPx - 0.01)
                    << id << " at a " << desktopPt << " pt desktop: \"" << s.text.toStdString()
                    << "\" is " << s.px << " px";
                // Some text is smaller than the labels: the floor is what holds it.
                secondary = secondary || s.px < desktopPt * 96.0 / 72.0 - 0.01;
            }
            if (desktopPt >= 10.0) {
                EXPECT_TRUE(secondary)
                    << id << ": no text smaller than the labels at " << desktopPt << " pt";
            }
        }
    }
}

// Presentation mode at 1920x1080 and 1280x720: the window's minimum for that
// screen height holds for every piece of text, and body text is larger.
TEST_F(TextSize, PresentationModeKeepsTheScreensMinimum) {
    for (const int height : {720, 1080}) {
        ViewSettings settings;
        settings.presentation = true;
        // As MainWindow::presentationMinTextPx: 14 px at 720 lines, in proportion above.
        settings.presentationMinTextPx = 14.0 * height / 720.0;
        const QSize slide(height * 16 / 9, height);
        for (const char* id : kLessons) {
            const auto scenario = findBuiltinScenario(id);
            ASSERT_TRUE(scenario.has_value()) << id;
            const Trace t = simulate(*scenario);
            const auto texts = textSizes(t, slide, settings);
            ASSERT_GT(texts.size(), 10U) << id;
            double largest = 0.0;
            for (const SizedText& s : texts) {
                EXPECT_GE(s.px, settings.presentationMinTextPx - 0.51)
                    << id << " " << height << "p: \"" << s.text.toStdString() << "\" is " << s.px
                    << " px";
                largest = std::max(largest, s.px);
            }
            EXPECT_GE(largest, settings.presentationMinTextPx * 1.25 - 0.51) << id;
        }
    }
}

} // namespace
} // namespace tcpviz
