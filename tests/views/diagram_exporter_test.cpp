#include "capture/connection_trace.h"
#include "diagram_exporter.h"
#include "image_probe.h"
#include "test_traces.h"
#include "view_style.h"

#include <QFile>
#include <QImage>
#include <QPainter>
#include <QSvgRenderer>
#include <QTemporaryDir>
#include <QXmlStreamReader>
#include <gtest/gtest.h>

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
