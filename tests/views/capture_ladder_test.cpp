// A captured connection on the ladder: three lifelines (client, the dashed capture
// point, server) and each packet a slanted arrow from its estimated sending to its
// estimated arrival, crossing the capture line at the moment it was captured. The
// capture is made by a sniffer at a known place on a simulated path, so the
// expected ends are computed here from the packets themselves.
#include "capture/capture_point.h"
#include "capture/connection_trace.h"
#include "capture/trace_pcap.h"
#include "image_probe.h"
#include "scenario/library.h"
#include "sequence_diagram_renderer.h"
#include "sim/simulator.h"

#include <QImage>
#include <QPainter>
#include <gtest/gtest.h>
#include <map>

namespace tcpviz {
namespace {

using viewtest::keepScreenshot;

std::vector<DecodedPacket> tappedLecture(double tap) {
    auto scenario = findBuiltinScenario("lecture");
    EXPECT_TRUE(scenario.has_value());
    scenario->network.clientToServerUs = 30'000;
    scenario->network.serverToClientUs = 30'000;
    return tracePackets(simulate(*scenario), tap);
}

QImage paintWhole(SequenceDiagramRenderer& r, QSize size) {
    QImage image(size, QImage::Format_ARGB32);
    QPainter p(&image);
    SequenceFrame frame;
    frame.wholeExchange = true;
    // Fitted: the whole exchange in the image.
    const double lanes = size.height() - r.headerHeight() - r.lanesHeight(0.0) - 20.0;
    frame.pixelsPerAxis = lanes / std::max(r.layout().axisLength(), 1.0);
    r.paint(p, QRectF(QPointF(0, 0), QSizeF(size)), frame);
    return image;
}

double yOnLineAt(const QLineF& line, double x) {
    const double f = (x - line.x1()) / (line.x2() - line.x1());
    return line.y1() + f * (line.y2() - line.y1());
}

TEST(CaptureLadder, ArrowsRunFromTheEstimatedSendingToTheEstimatedArrival) {
    const std::vector<DecodedPacket> packets = tappedLecture(0.25);
    ASSERT_FALSE(packets.empty());
    // The expected delays, straight from the packets.
    CapturePointEstimator estimator;
    const SocketAddress client = packets.front().src;
    for (const auto& p : packets) {
        estimator.onPacket(p.src == client ? Side::Client : Side::Server, p.tcp, p.timeNs);
    }
    const CapturePoint point = estimator.estimate();
    ASSERT_EQ(point.basis, DelayBasis::Handshake);
    ASSERT_GT(point.serverNs, 2 * point.clientNs) << "the tap is nearer the client";

    const Trace trace = buildConnectionTrace(packets, "lecture.pcap");
    SequenceDiagramRenderer r;
    // On the time axis, where a position is a time (the steps axis gives each
    // packet a row and keeps its capture-line crossing only).
    ViewSettings timeAxis;
    timeAxis.sequenceAxis = SequenceAxis::Time;
    r.setSettings(timeAxis);
    r.setTrace(&trace);
    const QImage image = paintWhole(r, QSize(1280, 720));
    keepScreenshot(image, QStringLiteral("capture-ladder-1280x720"));
    keepScreenshot(paintWhole(r, QSize(1920, 1080)), QStringLiteral("capture-ladder-1920x1080"));

    ASSERT_TRUE(r.captureLineX().has_value());
    const double xc = *r.captureLineX();
    const double xClient = r.lifelineX(Side::Client);
    const double xServer = r.lifelineX(Side::Server);
    EXPECT_NEAR((xc - xClient) / (xServer - xClient), 0.25, 0.01)
        << "the capture line sits where the tap was, a quarter of the way";

    std::size_t checked = 0;
    for (const DrawnArrow& a : r.lastArrows()) {
        const TraceEvent& send = trace.event(a.sendIndex);
        const DecodedPacket& p = packets.at(send.packet - 1);
        const Side from = p.src == client ? Side::Client : Side::Server;
        const std::int64_t toSenderNs = from == Side::Client ? point.clientNs : point.serverNs;
        const std::int64_t toReceiverNs = from == Side::Client ? point.serverNs : point.clientNs;
        const std::int64_t sentUs = (p.timeNs - toSenderNs - trace.meta.captureStartNs) / 1000;
        const std::int64_t arrivedUs = (p.timeNs + toReceiverNs - trace.meta.captureStartNs) / 1000;
        const std::int64_t capturedUs = (p.timeNs - trace.meta.captureStartNs) / 1000;
        SCOPED_TRACE("packet " + std::to_string(send.packet));
        EXPECT_NEAR(a.line.x1(), r.lifelineX(from), 0.5);
        EXPECT_NEAR(a.line.x2(), r.lifelineX(peer(from)), 0.5);
        EXPECT_NEAR(a.line.y1(), r.yOfTime(sentUs), 1.0) << "starts at the estimated sending";
        EXPECT_NEAR(a.line.y2(), r.yOfTime(arrivedUs), 1.0) << "ends at the estimated arrival";
        EXPECT_GT(a.line.y2() - a.line.y1(), 3.0) << "slanted, not flat";
        EXPECT_NEAR(yOnLineAt(a.line, xc), r.yOfTime(capturedUs), 1.5)
            << "crosses the capture line at the capture time";
        ++checked;
    }
    EXPECT_GE(checked, 8U);
    // The dashed line is drawn: about half of the rows at its x (antialiased, so
    // the pixel column either side counts too) are not background.
    const ViewColors colors = viewColors(r.settings());
    int dashes = 0;
    for (int y = static_cast<int>(r.lanesRect().top()) + 5;
         y < static_cast<int>(r.lanesRect().bottom()) - 5; ++y) {
        bool ink = false;
        for (int x = static_cast<int>(xc) - 1; x <= static_cast<int>(xc) + 1; ++x) {
            ink = ink || viewtest::colorDistance(image.pixelColor(x, y), colors.background) > 60.0;
        }
        dashes += ink ? 1 : 0;
    }
    EXPECT_GT(dashes, 200) << "the capture point's lifeline";
}

TEST(CaptureLadder, WithoutAnEstimateArrowsAreFlat) {
    // Only the server's packets (a one-way tap): no SYN, nothing answered, no estimate.
    std::vector<DecodedPacket> packets;
    for (const DecodedPacket& p : tappedLecture(0.5)) {
        if (p.src.port < p.dst.port) {
            packets.push_back(p);
        }
    }
    ASSERT_FALSE(packets.empty());
    const Trace trace = buildConnectionTrace(packets, "eth0");
    ASSERT_EQ(trace.meta.capture.basis, DelayBasis::None);
    SequenceDiagramRenderer r;
    r.setTrace(&trace);
    const QImage image = paintWhole(r, QSize(1280, 720));
    keepScreenshot(image, QStringLiteral("capture-ladder-no-estimate"));
    ASSERT_FALSE(r.lastArrows().empty());
    for (const DrawnArrow& a : r.lastArrows()) {
        EXPECT_NEAR(a.line.y1(), a.line.y2(), 0.5) << "flat at the capture time";
        EXPECT_NEAR(a.line.y1(), r.yOfTime(trace.event(a.sendIndex).capturedUs), 0.5);
    }
    ASSERT_TRUE(r.captureLineX().has_value());
    EXPECT_NEAR(*r.captureLineX(), (r.lifelineX(Side::Client) + r.lifelineX(Side::Server)) / 2.0,
                0.5);
}

TEST(CaptureLadder, ASimulationHasNoCaptureLine) {
    const auto scenario = findBuiltinScenario("lecture");
    ASSERT_TRUE(scenario.has_value());
    const Trace trace = simulate(*scenario);
    SequenceDiagramRenderer r;
    r.setTrace(&trace);
    (void)paintWhole(r, QSize(1280, 720));
    EXPECT_FALSE(r.captureLineX().has_value());
}

} // namespace
} // namespace tcpviz
