#include "image_probe.h"
#include "narration/narrator.h"
#include "narration_view.h"
#include "segment_details_view.h"
#include "test_traces.h"

#include <gtest/gtest.h>

namespace tcpviz {
namespace {

std::size_t firstEvent(const Trace& t, EventKind kind, bool retransmission = false) {
    for (const auto& e : t.events()) {
        if (e.kind == kind && e.retransmission == retransmission) {
            return e.index;
        }
    }
    return t.size();
}

TEST(SegmentDetailsView, ShowsTheLatestSegmentsHeaderFields) {
    const Trace t = viewtest::lossyLecture();
    SegmentDetailsView view;
    view.setTrace(&t);
    view.setPosition(0);
    EXPECT_FALSE(view.shownEvent().has_value());

    const std::size_t syn = firstEvent(t, EventKind::Send);
    view.setPosition(syn + 1);
    ASSERT_EQ(view.shownEvent(), syn);
    EXPECT_EQ(view.valueOf(QStringLiteral("Source port")), QStringLiteral("52528"));
    EXPECT_EQ(view.valueOf(QStringLiteral("Destination port")), QStringLiteral("80"));
    EXPECT_EQ(view.valueOf(QStringLiteral("Sequence number")),
              QStringLiteral("0 (relative), 100 (raw)"));
    EXPECT_EQ(view.valueOf(QStringLiteral("SYN")), QStringLiteral("Set"));
    EXPECT_EQ(view.valueOf(QStringLiteral("ACK")), QStringLiteral("Not set"));
    EXPECT_TRUE(view.valueOf(QStringLiteral("Flags")).contains(QStringLiteral("0x002")));

    ViewSettings absolute;
    absolute.relativeNumbers = false;
    view.setSettings(absolute);
    EXPECT_EQ(view.valueOf(QStringLiteral("Sequence number")), QStringLiteral("100"));
}

TEST(SegmentDetailsView, MarksLostAndRetransmittedSegments) {
    const Trace t = viewtest::lossyLecture();
    SegmentDetailsView view;
    view.setTrace(&t);
    view.setPosition(t.size());
    const std::size_t drop = firstEvent(t, EventKind::Drop);
    view.pinEvent(drop);
    EXPECT_EQ(view.shownEvent(), drop);
    EXPECT_TRUE(view.valueOf(QStringLiteral("Markers")).contains(QStringLiteral("lost")));
    EXPECT_EQ(view.valueOf(QStringLiteral("Payload length")), QStringLiteral("100 byte(s)"));

    const std::size_t again = firstEvent(t, EventKind::Send, true);
    view.pinEvent(again);
    EXPECT_TRUE(view.valueOf(QStringLiteral("Markers")).contains(QStringLiteral("retransmission")));
    EXPECT_FALSE(view.valueOf(QStringLiteral("Markers")).contains(QStringLiteral("lost")));
    // Events that carry no segment are ignored.
    view.pinEvent(0);
    EXPECT_EQ(view.shownEvent(), again);
}

TEST(SegmentDetailsView, ShowsBothTcbsAtThePosition) {
    const Trace t = viewtest::lossyLecture();
    SegmentDetailsView view;
    view.setTrace(&t);
    view.setPosition(t.size() / 2);
    const auto items = view.findItems(QStringLiteral("client TCB"), Qt::MatchExactly, 0);
    ASSERT_EQ(items.size(), 1);
    EXPECT_EQ(items.front()->text(1),
              QString::fromLatin1(stateName(t.stateAt(Side::Client, t.size() / 2)).data()));
    EXPECT_EQ(view.findItems(QStringLiteral("server TCB"), Qt::MatchExactly, 0).size(), 1);
}

TEST(NarrationView, DescribesTheLastStepOrUsesTheProvider) {
    const Trace t = viewtest::lossyLecture();
    NarrationView view;
    view.setTrace(&t);
    view.setPosition(0);
    EXPECT_TRUE(view.currentHtml().contains(QStringLiteral("Step forward")));
    const std::size_t drop = firstEvent(t, EventKind::Drop);
    view.setPosition(drop + 1);
    // By default the model's narrator speaks, in the chosen language.
    const std::string told = narrate(t, drop).en;
    ASSERT_FALSE(told.empty());
    const QString firstLine =
        QString::fromStdString(told.substr(0, told.find('\n'))).toHtmlEscaped();
    EXPECT_TRUE(view.currentHtml().contains(firstLine)) << view.currentHtml().toStdString();
    // With a provider that has nothing to say, a generic description of the event.
    view.setNarrationProvider(
        [](const Trace&, std::size_t, const ViewSettings&) { return QString(); });
    EXPECT_TRUE(view.currentHtml().contains(QStringLiteral("loses")))
        << view.currentHtml().toStdString();
    EXPECT_TRUE(view.currentHtml().contains(QStringLiteral("len=100")));

    view.setNarrationProvider([](const Trace&, std::size_t i, const ViewSettings& s) {
        return QStringLiteral("provided %1 %2")
            .arg(i)
            .arg(s.language == Language::Zh ? "zh" : "en");
    });
    EXPECT_TRUE(view.currentHtml().contains(QStringLiteral("provided %1 en").arg(drop)));
    ViewSettings zh = view.settings();
    zh.language = Language::Zh;
    view.setSettings(zh);
    EXPECT_TRUE(view.currentHtml().contains(QStringLiteral("provided %1 zh").arg(drop)));
    // The title comes from the model in the chosen language.
    EXPECT_TRUE(view.currentHtml().contains(QString::fromStdString(t.meta.title.zh)));
    // Not repeated where the window shows it above the diagram; another title is.
    view.setTitleShownElsewhere(QString::fromStdString(t.meta.title.zh));
    EXPECT_FALSE(view.currentHtml().contains(QString::fromStdString(t.meta.title.zh)));
    EXPECT_TRUE(view.currentHtml().contains(QStringLiteral("provided %1 zh").arg(drop)));
    view.setTitleShownElsewhere(QStringLiteral("capture.pcap"));
    EXPECT_TRUE(view.currentHtml().contains(QString::fromStdString(t.meta.title.zh)));
    view.setExtraText(QStringLiteral("<b>Quiz</b>"));
    EXPECT_TRUE(view.currentHtml().contains(QStringLiteral("Quiz")));
    view.setPosition(drop + 2);
    EXPECT_FALSE(view.currentHtml().contains(QStringLiteral("Quiz")));
}

} // namespace
} // namespace tcpviz

namespace tcpviz {
namespace {

// A picture of all four views together, in the chosen language, for a person
// to look at (TCPVIZ_SCREENSHOT_DIR); checks only that nothing is empty.
TEST(AllViews, RenderTogetherInChinese) {
    const Trace t = viewtest::lossyLecture();
    ViewSettings s;
    s.language = Language::Zh;
    SegmentDetailsView details;
    NarrationView narration;
    for (QWidget* w : std::initializer_list<QWidget*>{&details, &narration}) {
        w->resize(640, 420);
    }
    details.setSettings(s);
    narration.setSettings(s);
    details.setTrace(&t);
    narration.setTrace(&t);
    const std::size_t p = t.size() / 2;
    details.setPosition(p);
    narration.setPosition(p);
    const QImage a = details.grab().toImage();
    const QImage b = narration.grab().toImage();
    viewtest::keepScreenshot(a, QStringLiteral("details_zh"));
    viewtest::keepScreenshot(b, QStringLiteral("narration_zh"));
    EXPECT_FALSE(narration.toPlainText().isEmpty());
    EXPECT_GT(details.topLevelItemCount(), 2);
}

} // namespace
} // namespace tcpviz
