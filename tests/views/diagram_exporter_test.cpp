#include "capture/connection_trace.h"
#include "diagram_exporter.h"
#include "event_text.h"
#include "image_probe.h"
#include "scenario/library.h"
#include "sequence_diagram_renderer.h"
#include "sim/simulator.h"
#include "test_traces.h"
#include "view_style.h"

#include <QBuffer>
#include <QFile>
#include <QImage>
#include <QPainter>
#include <QRegularExpression>
#include <QSvgGenerator>
#include <QSvgRenderer>
#include <QTemporaryDir>
#include <QXmlStreamReader>
#include <cstdio>
#include <gtest/gtest.h>
#include <set>

namespace tcpviz {
namespace {

class DiagramExporterTest : public ::testing::Test {
protected:
    QString file(const char* name) const { return dir.filePath(QString::fromLatin1(name)); }
    QTemporaryDir dir;
    Trace trace = viewtest::lossyLecture();
};

TEST_F(DiagramExporterTest, SvgIsValidXmlAndRenders) {
    const QString path = file("whole.svg");
    QString error;
    ASSERT_TRUE(exportDiagram(trace, trace.size(), path, {}, &error)) << error.toStdString();
    QFile f(path);
    ASSERT_TRUE(f.open(QIODevice::ReadOnly));
    QXmlStreamReader xml(&f);
    int texts = 0;
    bool sawSyn = false;
    while (!xml.atEnd()) {
        xml.readNext();
        if (xml.isStartElement() && xml.name() == QLatin1String("text")) {
            ++texts;
            const QString content = xml.readElementText(QXmlStreamReader::IncludeChildElements);
            sawSyn = sawSyn || content.contains(QStringLiteral("SYN seq=0"));
        }
    }
    EXPECT_FALSE(xml.hasError()) << xml.errorString().toStdString();
    EXPECT_GT(texts, 10);
    EXPECT_TRUE(sawSyn) << "the SYN's label is real text in the SVG";
    QSvgRenderer renderer(path);
    EXPECT_TRUE(renderer.isValid());
    EXPECT_GT(renderer.defaultSize().height(), 100);
}

TEST_F(DiagramExporterTest, PngShowsTheDiagramAndAsAtTheStepIsShorter) {
    const QString whole = file("whole.png");
    const QString step = file("step.png");
    ExportOptions options;
    options.pngScale = 1.0;
    ASSERT_TRUE(exportDiagram(trace, trace.size(), whole, options));
    ExportOptions atStep = options;
    atStep.wholeExchange = false;
    ASSERT_TRUE(exportDiagram(trace, 12, step, atStep));
    const QImage a(whole);
    const QImage b(step);
    ASSERT_FALSE(a.isNull());
    ASSERT_FALSE(b.isNull());
    EXPECT_LT(b.height(), a.height());
    viewtest::keepScreenshot(a, QStringLiteral("export_whole"));
    // The client's blue arrows and the lost segment's red cross are in the picture.
    const ViewColors colors = viewColors(ViewSettings{});
    EXPECT_GT(viewtest::coverage(a, a.rect(), colors.client, 30.0), 0.001);
    const double redPixels =
        viewtest::coverage(a, a.rect(), colors.lost, 30.0) * a.width() * a.height();
    EXPECT_GT(redPixels, 40.0);
}

TEST_F(DiagramExporterTest, PdfAndStateGraphAndText) {
    const QString pdf = file("d.pdf");
    ASSERT_TRUE(exportDiagram(trace, trace.size(), pdf, {}));
    QFile f(pdf);
    ASSERT_TRUE(f.open(QIODevice::ReadOnly));
    EXPECT_TRUE(f.read(5).startsWith("%PDF-"));
    EXPECT_GT(f.size(), 1000);

    ExportOptions graph;
    graph.kind = DiagramKind::StateGraph;
    graph.wholeExchange = false;
    const QString png = file("graph.png");
    ASSERT_TRUE(exportDiagram(trace, 10, png, graph));
    const QImage g(png);
    ASSERT_FALSE(g.isNull());
    viewtest::keepScreenshot(g, QStringLiteral("export_graph"));
    const ViewColors colors = viewColors(ViewSettings{});
    EXPECT_GT(viewtest::coverage(g, g.rect(), colors.client, 30.0), 0.002);
    EXPECT_GT(viewtest::coverage(g, g.rect(), colors.server, 30.0), 0.002);

    const QString mmd = file("d.mmd");
    ASSERT_TRUE(exportDiagram(trace, trace.size(), mmd, {}));
    QFile m(mmd);
    ASSERT_TRUE(m.open(QIODevice::ReadOnly));
    EXPECT_TRUE(m.readAll().startsWith("sequenceDiagram"));
    const QString puml = file("d.puml");
    ASSERT_TRUE(exportDiagram(trace, trace.size(), puml, {}));
}

TEST_F(DiagramExporterTest, BadPathsGiveAMessageNamingTheFile) {
    QString error;
    EXPECT_FALSE(exportDiagram(trace, 3, file("x.bmpz"), {}, &error));
    EXPECT_TRUE(error.contains(QStringLiteral("x.bmpz"))) << error.toStdString();
    error.clear();
    EXPECT_FALSE(exportDiagram(trace, 3, QStringLiteral("/nonexistent/dir/x.png"), {}, &error));
    EXPECT_TRUE(error.contains(QStringLiteral("/nonexistent/dir/x.png"))) << error.toStdString();
    error.clear();
    EXPECT_FALSE(exportDiagram(trace, 3, QStringLiteral("/nonexistent/dir/x.mmd"), {}, &error));
    EXPECT_FALSE(error.isEmpty());
}

/// The texts of an SVG file's <text> elements, and its root's width and height.
struct SvgTexts {
    QStringList texts;
    QSizeF size;
    QRectF viewBox;
    bool valid = false;
};

SvgTexts readSvg(const QString& path) {
    SvgTexts out;
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        return out;
    }
    QXmlStreamReader xml(&f);
    while (!xml.atEnd()) {
        xml.readNext();
        if (xml.isStartElement() && xml.name() == QLatin1String("svg")) {
            const auto a = xml.attributes();
            out.size = QSizeF(a.value(QLatin1String("width")).toDouble(),
                              a.value(QLatin1String("height")).toDouble());
            const QStringList box =
                a.value(QLatin1String("viewBox")).toString().split(QLatin1Char(' '));
            if (box.size() == 4) {
                out.viewBox = QRectF(box[0].toDouble(), box[1].toDouble(), box[2].toDouble(),
                                     box[3].toDouble());
            }
        }
        if (xml.isStartElement() && xml.name() == QLatin1String("text")) {
            out.texts << xml.readElementText(QXmlStreamReader::IncludeChildElements);
        }
    }
    out.valid = !xml.hasError();
    return out;
}

/// Labels of the segments that `trace` sends, as the diagram writes them.
QStringList segmentLabels(const Trace& trace, const ViewSettings& settings) {
    QStringList out;
    for (const TraceEvent& e : trace.events()) {
        if (e.kind == EventKind::Send) {
            out << segmentLabel(trace, e, settings);
        }
    }
    return out;
}

std::size_t segmentCount(const Trace& trace) {
    return static_cast<std::size_t>(
        std::count_if(trace.events().begin(), trace.events().end(),
                      [](const TraceEvent& e) { return e.kind == EventKind::Send; }));
}

Trace lesson(const char* id) {
    const auto scenario = findBuiltinScenario(id);
    EXPECT_TRUE(scenario.has_value()) << id;
    return scenario ? simulate(*scenario) : Trace{};
}

// `--size WxH`: a slide of exactly that size, the whole exchange fitted, every
// segment's label in the SVG as text (searchable), in English and Chinese.
TEST_F(DiagramExporterTest, ASlideIsExactlyTheSizeAskedWithEveryLabelAsText) {
    for (const char* id : {"lecture", "three-way-handshake", "data-exchange"}) {
        const Trace t = lesson(id);
        for (const QSize slide : {QSize(1280, 720), QSize(1920, 1080)}) {
            for (const Language language : {Language::En, Language::Zh}) {
                ExportOptions options;
                options.slideSize = slide;
                options.settings.language = language;
                const QString where = QStringLiteral("%1 %2x%3 %4")
                                          .arg(QString::fromLatin1(id))
                                          .arg(slide.width())
                                          .arg(slide.height())
                                          .arg(language == Language::Zh ? "zh" : "en");
                const QString svgPath = file("slide.svg");
                ASSERT_TRUE(exportDiagram(t, t.size(), svgPath, options)) << where.toStdString();
                const SvgTexts svg = readSvg(svgPath);
                ASSERT_TRUE(svg.valid) << where.toStdString();
                EXPECT_EQ(svg.size, QSizeF(slide)) << where.toStdString();
                const QString all = svg.texts.join(QLatin1Char('\n'));
                for (const QString& label : segmentLabels(t, options.settings)) {
                    EXPECT_TRUE(svg.texts.contains(label))
                        << where.toStdString() << ": no text \"" << label.toStdString() << "\"";
                }
                // Both lifeline headers are there too.
                EXPECT_TRUE(all.contains(QString::fromStdString(t.meta.client.address.toString())))
                    << where.toStdString();

                const QString pngPath = file("slide.png");
                ASSERT_TRUE(exportDiagram(t, t.size(), pngPath, options));
                const QImage png(pngPath);
                EXPECT_EQ(png.size(), slide) << where.toStdString();
                if (language == Language::Zh && slide.width() == 1280 &&
                    std::string(id) == "lecture") {
                    viewtest::keepScreenshot(png, QStringLiteral("slide_lecture_zh_1280"));
                }
                if (language == Language::En && std::string(id) == "lecture") {
                    viewtest::keepScreenshot(
                        png, QStringLiteral("slide_lecture_en_%1").arg(slide.width()));
                }
                const ViewColors colors = viewColors(options.settings);
                EXPECT_GT(viewtest::coverage(png, png.rect(), colors.client, 30.0), 0.0005);

                const QString pdfPath = file("slide.pdf");
                ASSERT_TRUE(exportDiagram(t, t.size(), pdfPath, options));
                QFile pdf(pdfPath);
                ASSERT_TRUE(pdf.open(QIODevice::ReadOnly));
                const QByteArray bytes = pdf.readAll();
                const QRegularExpression media(
                    QStringLiteral(R"(/MediaBox \[0 0 ([0-9.]+) ([0-9.]+)\])"));
                const auto m = media.match(QString::fromLatin1(bytes));
                ASSERT_TRUE(m.hasMatch()) << where.toStdString();
                EXPECT_NEAR(m.captured(1).toDouble(), slide.width(), 0.5) << "points";
                EXPECT_NEAR(m.captured(2).toDouble(), slide.height(), 0.5) << "points";
            }
        }
    }
}

// Every built-in lesson on a slide: every arrow drawn inside the slide, each
// with its label clear of the other labels (a renderer hook reports what it drew).
TEST_F(DiagramExporterTest, EveryLessonFitsASlideWithEveryLabelClear) {
    for (const QSize slide : {QSize(1280, 720), QSize(1920, 1080)}) {
        for (const Scenario& s : builtinScenarios()) {
            const Trace t = simulate(s);
            ExportOptions options;
            options.slideSize = slide;
            int paints = 0;
            options.onPainted = [&](const SequenceDiagramRenderer& r, const QRectF& rect) {
                ++paints;
                const auto& arrows = r.lastArrows();
                EXPECT_EQ(arrows.size(), segmentCount(t)) << s.id;
                for (const DrawnArrow& a : arrows) {
                    const QRectF lanes = r.lanesRect().adjusted(-1, -1, 1, 1);
                    EXPECT_TRUE(lanes.contains(a.line.p1()) && lanes.contains(a.line.p2()))
                        << s.id << " " << slide.width() << ": arrow of event " << a.sendIndex
                        << " leaves the slide";
                    EXPECT_TRUE(a.labelled && !a.labelCrowded)
                        << s.id << " " << slide.width() << ": label of event " << a.sendIndex;
                }
                EXPECT_LE(r.lanesRect().bottom(), rect.bottom() + 0.5) << s.id;
            };
            const QSizeF canvas = exportSize(t, t.size(), options);
            EXPECT_EQ(canvas, QSizeF(slide) / slideScale(slide));
            QImage image(canvas.toSize(), QImage::Format_ARGB32_Premultiplied);
            QPainter p(&image);
            renderDiagram(p, QRectF(QPointF(0, 0), canvas), t, t.size(), options);
            EXPECT_EQ(paints, 1) << s.id;
        }
    }
}

// The slide shows the whole exchange as the window fits it: as at a step the
// arrows already sent are where they are in the whole picture.
TEST_F(DiagramExporterTest, ASlideAtAStepKeepsTheWholeExchangesScale) {
    ExportOptions whole;
    whole.slideSize = QSize(1280, 720);
    ExportOptions atStep = whole;
    atStep.wholeExchange = false;
    const QSizeF canvas = exportSize(trace, trace.size(), whole);
    EXPECT_EQ(canvas, QSizeF(1280, 720) / slideScale(QSize(1280, 720)));
    EXPECT_DOUBLE_EQ(slideScale(QSize(1280, 720)), 1.25) << "text a quarter larger on a slide";
    EXPECT_EQ(exportSize(trace, 5, atStep), canvas);
    const auto firstArrow = [&](const ExportOptions& o, std::size_t position) {
        QImage image(canvas.toSize(), QImage::Format_ARGB32_Premultiplied);
        image.fill(Qt::white);
        QPainter p(&image);
        renderDiagram(p, QRectF(QPointF(0, 0), canvas), trace, position, o);
        return image;
    };
    // The picture as at step 12 is the whole one with the later events not yet drawn:
    // the handshake's arrows, between the lifelines and above the playhead, are the
    // same pixels.
    const QImage a = firstArrow(whole, trace.size());
    const QImage b = firstArrow(atStep, 12);
    viewtest::keepScreenshot(a, QStringLiteral("slide_scale_whole"));
    viewtest::keepScreenshot(b, QStringLiteral("slide_scale_step12"));
    const QRect handshake(a.width() / 6, 70, a.width() * 2 / 3, 45);
    EXPECT_EQ(a.copy(handshake), b.copy(handshake));
    EXPECT_NE(a, b);
}

/// The <text> elements of the sequence diagram painted by renderDiagram into `target`.
QStringList textsPainted(const Trace& t, const QSizeF& target, const ExportOptions& options) {
    QBuffer buffer;
    buffer.open(QIODevice::WriteOnly);
    QSvgGenerator svg;
    svg.setOutputDevice(&buffer);
    svg.setResolution(96); // as the export: text measured as in a PNG
    svg.setSize(target.toSize());
    svg.setViewBox(QRectF(QPointF(0, 0), target));
    {
        QPainter p(&svg);
        renderDiagram(p, QRectF(QPointF(0, 0), target), t, t.size(), options);
    }
    QXmlStreamReader xml(buffer.data());
    QStringList out;
    while (!xml.atEnd()) {
        xml.readNext();
        if (xml.isStartElement() && xml.name() == QLatin1String("text")) {
            out << xml.readElementText(QXmlStreamReader::IncludeChildElements);
        }
    }
    return out;
}

int missingLabels(const Trace& t, const QStringList& texts) {
    int missing = 0;
    for (const QString& label : segmentLabels(t, ViewSettings{})) {
        missing += texts.contains(label) ? 0 : 1;
    }
    return missing;
}

// Without --size the export is compact: at most 60 px of height per segment,
// except where squeezing the time axis that far would lose labels the
// natural scale shows; compaction never loses a label.
TEST_F(DiagramExporterTest, TheCompactExportGivesEachSegmentAtMostSixtyPixels) {
    // Evenly spaced segments: the budget holds exactly.
    {
        const Trace t = viewtest::bulkTransfer(40, 20'000);
        const QSizeF size = exportSize(t, t.size(), {});
        EXPECT_LE(size.height(),
                  kCompactSegmentHeight * static_cast<double>(segmentCount(t)) + 0.5);
    }
    int withinBudget = 0;
    int lessons = 0;
    for (const Scenario& s : builtinScenarios()) {
        const Trace t = simulate(s);
        const std::size_t n = segmentCount(t);
        const QSizeF compact = exportSize(t, t.size(), {});
        const QString path = file("compact.svg");
        ASSERT_TRUE(exportDiagram(t, t.size(), path, {})) << s.id;
        const SvgTexts svg = readSvg(path);
        EXPECT_NEAR(svg.viewBox.height(), compact.height(), 1.0) << s.id;
        // What the natural (old, tall) scale shows: compaction keeps all of it.
        ExportOptions tall;
        tall.pngScale = 1.0;
        SequenceDiagramRenderer natural;
        natural.setTrace(&t);
        const QSizeF naturalSize = natural.naturalSize();
        const int missingTall = missingLabels(t, textsPainted(t, naturalSize, tall));
        const int missing = missingLabels(t, svg.texts);
        EXPECT_LE(missing, missingTall) << s.id << ": compaction lost labels";
        ++lessons;
        if (compact.height() <= kCompactSegmentHeight * static_cast<double>(n) + 0.5) {
            ++withinBudget;
        } else {
            // Two or three segments: the header and three lines of lanes are more.
            EXPECT_LE(n, 3U) << s.id << ": " << compact.height() << " px for " << n << " segments";
            EXPECT_LE(compact.height(), 200.0) << s.id;
        }
        std::printf("compact %-32s %3zu segments %7.0f px (%5.1f px/segment, natural %6.0f), "
                    "labels missing %d (natural %d)\n",
                    s.id.c_str(), n, compact.height(), compact.height() / std::max<double>(n, 1),
                    naturalSize.height(), missing, missingTall);
    }
    std::printf("compact: %d of %d lessons within %g px per segment\n", withinBudget, lessons,
                kCompactSegmentHeight);
    // lost-final-ack was 2090 px high (4181 px as PNG) for nine segments.
    const Trace lfa = lesson("lost-final-ack");
    EXPECT_LT(exportSize(lfa, lfa.size(), {}).height(), 1400.0);
}

// A long trace to PDF without --size: A4 landscape pages, each starting with the
// lifeline headers.
TEST_F(DiagramExporterTest, ALongPdfIsPaginatedAtA4LandscapeWithHeadersOnEveryPage) {
    const Trace bulk = viewtest::bulkTransfer(300, 20'000);
    const int pages = pdfPageCount(bulk, bulk.size(), {});
    EXPECT_GT(pages, 1);
    const QString path = file("long.pdf");
    ASSERT_TRUE(exportDiagram(bulk, bulk.size(), path, {}));
    QFile f(path);
    ASSERT_TRUE(f.open(QIODevice::ReadOnly));
    const QString pdf = QString::fromLatin1(f.readAll());
    // Page objects (not the /Pages tree) and their sizes: A4 landscape is 842 x 595 pt.
    const auto pageObjects = pdf.count(QRegularExpression(QStringLiteral(R"(/Type\s*/Page\b)")));
    EXPECT_EQ(pageObjects, pages);
    const QRegularExpression media(QStringLiteral(R"(/MediaBox \[0 0 ([0-9.]+) ([0-9.]+)\])"));
    int boxes = 0;
    for (auto it = media.globalMatch(pdf); it.hasNext(); ++boxes) {
        const auto m = it.next();
        EXPECT_NEAR(m.captured(1).toDouble(), 841.9, 1.0);
        EXPECT_NEAR(m.captured(2).toDouble(), 595.3, 1.0);
    }
    EXPECT_EQ(boxes, pages);

    // Every page paints the lifeline headers above its lanes (the renderer's hook),
    // and the pages together draw every segment.
    {
        ExportOptions hooked;
        std::vector<double> headerHeights;
        std::set<std::size_t> segmentsDrawn;
        hooked.onPainted = [&](const SequenceDiagramRenderer& r, const QRectF& rect) {
            headerHeights.push_back(r.lanesRect().top() - rect.top());
            for (const DrawnArrow& a : r.lastArrows()) {
                if (rect.contains(a.line.p1())) {
                    segmentsDrawn.insert(a.sendIndex);
                }
            }
        };
        ASSERT_TRUE(exportDiagram(bulk, bulk.size(), file("hooked.pdf"), hooked));
        EXPECT_EQ(static_cast<int>(headerHeights.size()), pages);
        SequenceDiagramRenderer plain;
        for (double h : headerHeights) {
            EXPECT_NEAR(h, plain.headerHeight(), 0.5);
        }
        EXPECT_EQ(segmentsDrawn.size(), segmentCount(bulk));
    }
    // Each page as painted: the two lifeline headers (blue and orange boxes) at the
    // top, and arrows below them.
    const ViewColors colors = viewColors(ViewSettings{});
    SequenceDiagramRenderer r;
    r.setTrace(&bulk);
    const QSize a4(1123, 794); // A4 landscape at 96 dpi
    for (int page = 0; page < pages; ++page) {
        QImage image(a4, QImage::Format_ARGB32_Premultiplied);
        image.fill(Qt::white);
        {
            QPainter p(&image);
            renderPdfPage(p, QRectF(QPointF(0, 0), QSizeF(a4)), bulk, bulk.size(), {}, page);
        }
        if (page == 1) {
            viewtest::keepScreenshot(image, QStringLiteral("pdf_page_2"));
        }
        const double scale = a4.width() / exportSize(bulk, bulk.size(), {}).width();
        const int header = static_cast<int>(r.headerHeight() * scale);
        const QRect top(0, 0, a4.width(), header);
        const QRect left(0, 0, a4.width() / 2, header);
        const QRect right(a4.width() / 2, 0, a4.width() / 2, header);
        EXPECT_GT(viewtest::coverage(image, left, colors.client, 30.0), 0.002) << "page " << page;
        EXPECT_GT(viewtest::coverage(image, right, colors.server, 30.0), 0.002) << "page " << page;
        EXPECT_LT(viewtest::coverage(image, top, colors.server, 30.0), 0.2) << "page " << page;
        const QRect lanes(0, header + 10, a4.width(), a4.height() - header - 20);
        EXPECT_GT(viewtest::coverage(image, lanes, colors.client, 30.0), 0.002) << "page " << page;
    }
    // A short trace stays one page of its own size.
    EXPECT_EQ(pdfPageCount(trace, trace.size(), {}), 1);
}

// The state graph exports with no widget, as at a step, and as a slide.
TEST_F(DiagramExporterTest, TheStateGraphExportsAsASlide) {
    ExportOptions graph;
    graph.kind = DiagramKind::StateGraph;
    graph.wholeExchange = false;
    graph.slideSize = QSize(1920, 1080);
    const QString png = file("graph_slide.png");
    ASSERT_TRUE(exportDiagram(trace, 10, png, graph));
    const QImage g(png);
    EXPECT_EQ(g.size(), QSize(1920, 1080));
    viewtest::keepScreenshot(g, QStringLiteral("export_graph_slide"));
    const ViewColors colors = viewColors(ViewSettings{});
    EXPECT_GT(viewtest::coverage(g, g.rect(), colors.client, 30.0), 0.002);
    EXPECT_GT(viewtest::coverage(g, g.rect(), colors.server, 30.0), 0.002);
    const QString svgPath = file("graph.svg");
    ASSERT_TRUE(exportDiagram(trace, 10, svgPath, graph));
    const SvgTexts svg = readSvg(svgPath);
    EXPECT_TRUE(svg.texts.contains(QStringLiteral("ESTABLISHED")));
    EXPECT_TRUE(svg.texts.contains(QStringLiteral("TIME-WAIT")));
}

// A capture that recorded the SYN and the handshake ACK twice (same IPv4
// identification): the copies are drawn and tagged as the capture's, not as
// retransmissions.
TEST_F(DiagramExporterTest, CaptureCopiesAreTaggedAsSuchNotAsRetransmissions) {
    const auto packet = [](std::uint64_t number, std::int64_t timeUs, bool fromClient,
                           std::uint8_t flags, std::uint16_t ipId) {
        DecodedPacket p;
        p.number = number;
        p.timeNs = timeUs * 1000;
        p.src.ip.bytes = {10, 0, 0, 1};
        p.src.port = 40000;
        p.dst.ip.bytes = {10, 0, 0, 2};
        p.dst.port = 80;
        p.tcp.seq = 1000;
        p.tcp.ack = 5001;
        if (!fromClient) {
            std::swap(p.src, p.dst);
            p.tcp.seq = 5000;
            p.tcp.ack = 1001;
        }
        p.tcp.srcPort = p.src.port;
        p.tcp.dstPort = p.dst.port;
        p.tcp.flags = flags;
        if (flags == flag::SYN) {
            p.tcp.ack = 0;
        } else if (fromClient) {
            p.tcp.seq = 1001;
        }
        p.tcp.window = 65535;
        p.ipId = ipId;
        return p;
    };
    const std::vector<DecodedPacket> packets{
        packet(1, 0, true, flag::SYN, 0x0101),
        packet(2, 400, true, flag::SYN, 0x0101), // the capture's copy
        packet(3, 800, false, flag::SYN | flag::ACK, 0x0201),
        packet(4, 1'200, true, flag::ACK, 0x0102),
        packet(5, 1'600, true, flag::ACK, 0x0102), // the capture's copy
    };
    const Trace captured = buildConnectionTrace(packets);
    const QString svg = file("copies.svg");
    ExportOptions options;
    ASSERT_TRUE(exportDiagram(captured, captured.size(), svg, options));
    QFile f(svg);
    ASSERT_TRUE(f.open(QIODevice::ReadOnly));
    const QString text = QString::fromUtf8(f.readAll());
    EXPECT_EQ(text.count(QStringLiteral("capture copy")), 2) << text.toStdString();
    EXPECT_EQ(text.count(QStringLiteral("retransmission")), 0);
    // A slide of it, fitted (the time axis of a capture is long: issue 9).
    QImage image(1280, 720, QImage::Format_ARGB32_Premultiplied);
    image.fill(Qt::white);
    {
        QPainter painter(&image);
        renderDiagram(painter, QRectF(0, 0, 1280, 720), captured, captured.size(), options);
    }
    viewtest::keepScreenshot(image, QStringLiteral("export_capture_copies"));
}

} // namespace
} // namespace tcpviz
