// Narration, details and diagram use the same numbering (issue 10): with
// relative numbers (the default) the narration must not quote the raw SEQ=301
// beside a diagram that says seq=1, and with raw numbers the other way round.
// For every built-in lesson, every step, both settings and both languages,
// every number the narration quotes as SEQ=n or ACK=n is a number the
// diagram's labels (or the details' "next sequence number") show under the
// same setting; at a step that sends a segment, the first SEQ= quoted is the
// one on that segment's arrow.
#include "event_text.h"
#include "narration/narrator.h"
#include "narration_view.h"
#include "scenario/library.h"
#include "sim/simulator.h"

#include <QRegularExpression>
#include <gtest/gtest.h>
#include <optional>
#include <set>
#include <string>

namespace tcpviz {
namespace {

/// Every number the diagram and the details show for the trace's segments.
std::set<QString> shownNumbers(const Trace& t, const ViewSettings& settings) {
    std::set<QString> out;
    static const QRegularExpression kNumber(QStringLiteral("(?:seq|ack)=(-?\\d+)"));
    for (const TraceEvent& e : t.events()) {
        if (e.kind != EventKind::Send) {
            continue;
        }
        const QString label = segmentLabel(t, e, settings);
        for (const auto& m : kNumber.globalMatch(label)) {
            out.insert(m.captured(1));
        }
        out.insert(
            QString::number(shownSeq(t, e.endpoint, e.segment.seq + e.segment.seqLen(), settings)));
    }
    return out;
}

QStringList quoted(const QString& text, const QString& what) {
    QStringList out;
    const QRegularExpression re(what + QStringLiteral("=(-?\\d+)"));
    for (const auto& m : re.globalMatch(text)) {
        out << m.captured(1);
    }
    return out;
}

TEST(NarrationNumbers, EverySeqAndAckQuotedIsOneTheDiagramShowsUnderTheSameSetting) {
    ASSERT_FALSE(builtinScenarios().empty());
    std::size_t quotes = 0;
    for (const Scenario& s : builtinScenarios()) {
        const Trace t = simulate(s);
        for (const bool relative : {true, false}) {
            ViewSettings settings;
            settings.relativeNumbers = relative;
            const std::set<QString> shown = shownNumbers(t, settings);
            for (std::size_t i = 0; i < t.size(); ++i) {
                const LocalizedText text = narrate(t, i, {.relativeNumbers = relative});
                for (const Language lang : {Language::En, Language::Zh}) {
                    const QString said = QString::fromStdString(text.in(lang));
                    for (const QString& what : {QStringLiteral("SEQ"), QStringLiteral("ACK")}) {
                        for (const QString& n : quoted(said, what)) {
                            ++quotes;
                            EXPECT_TRUE(shown.count(n) == 1)
                                << s.id << " step " << i + 1 << (relative ? " relative " : " raw ")
                                << (lang == Language::Zh ? "zh: " : "en: ") << what.toStdString()
                                << "=" << n.toStdString() << " is nowhere in the diagram\n"
                                << said.toStdString();
                        }
                    }
                }
                // The segment sent at this step: the narration's first SEQ= is its arrow's.
                const TraceEvent& e = t.event(i);
                if (e.kind == EventKind::Send) {
                    LocalizedText generated = narrate(t, i, {.relativeNumbers = relative});
                    for (const auto& note : t.meta.stepNotes) {
                        if (note.event == i) {
                            generated = {}; // a note leads; it may speak of another segment
                        }
                    }
                    const QStringList seqs =
                        quoted(QString::fromStdString(generated.en), QStringLiteral("SEQ"));
                    if (!seqs.isEmpty()) {
                        EXPECT_EQ(seqs.front().toLongLong(),
                                  shownSeq(t, e.endpoint, e.segment.seq, settings))
                            << s.id << " step " << i + 1 << ": " << generated.en;
                    }
                }
            }
        }
    }
    EXPECT_GT(quotes, 500U);
}

// The places the issue names, by hand: the lecture's ACK of the server's data
// (raw 501, relative 201) and lost-final-ack's server FIN in Chinese (raw 301,
// relative 1), and the narration view passing the user's setting on.
TEST(NarrationNumbers, TheLectureAndLostFinalAckSayWhatTheDiagramSays) {
    const auto lecture = findBuiltinScenario("lecture");
    ASSERT_TRUE(lecture.has_value());
    const Trace t = simulate(*lecture);
    std::size_t ack = t.size();
    for (const TraceEvent& e : t.events()) {
        if (e.kind == EventKind::Send && e.endpoint == Side::Client && e.segment.ack == 501 &&
            e.segment.flags == flag::ACK) {
            ack = e.index;
            break;
        }
    }
    ASSERT_LT(ack, t.size());
    EXPECT_NE(narrate(t, ack, {.relativeNumbers = true}).en.find("ACK=201"), std::string::npos);
    EXPECT_EQ(narrate(t, ack, {.relativeNumbers = true}).en.find("501"), std::string::npos);
    EXPECT_NE(narrate(t, ack).en.find("ACK=501"), std::string::npos);

    NarrationView view;
    ViewSettings settings;
    settings.relativeNumbers = true;
    view.setSettings(settings);
    view.setTrace(&t);
    view.setPosition(ack + 1);
    EXPECT_TRUE(view.currentHtml().contains(QStringLiteral("ACK=201")));
    EXPECT_FALSE(view.currentHtml().contains(QStringLiteral("ACK=501")));
    settings.relativeNumbers = false;
    view.setSettings(settings);
    EXPECT_TRUE(view.currentHtml().contains(QStringLiteral("ACK=501")));

    const auto lost = findBuiltinScenario("lost-final-ack");
    ASSERT_TRUE(lost.has_value());
    const Trace l = simulate(*lost);
    for (const TraceEvent& e : l.events()) {
        if (e.kind == EventKind::Send && e.endpoint == Side::Server && e.segment.has(flag::FIN) &&
            !e.retransmission) {
            const std::string zh = narrate(l, e.index, {.relativeNumbers = true}).zh;
            EXPECT_NE(zh.find("SEQ=1 "), std::string::npos) << zh;
            EXPECT_EQ(zh.find("SEQ=301"), std::string::npos) << zh;
        }
    }
}

} // namespace
} // namespace tcpviz

namespace tcpviz {
namespace {

// A SYN cookie is its own ISN: in the crowd lessons the server's SYN,ACK carries
// the cookie, not the ISN the scenario configured, and relative numbers must
// count from the cookie (seq=0 on the SYN,ACK, ack=1 on the client's ACK), as
// they do from any other ISN.
TEST(NarrationNumbers, ACookieSynAckCountsFromTheCookie) {
    const auto lesson = findBuiltinScenario("syn-cookies");
    ASSERT_TRUE(lesson.has_value());
    const Trace t = simulate(*lesson);
    ViewSettings settings;
    settings.relativeNumbers = true;
    std::optional<std::size_t> synAck;
    for (const TraceEvent& e : t.events()) {
        if (e.kind == EventKind::Send && e.endpoint == Side::Server &&
            e.segment.flags == (flag::SYN | flag::ACK)) {
            synAck = e.index;
            break;
        }
    }
    ASSERT_TRUE(synAck.has_value());
    const TraceEvent& sa = t.event(*synAck);
    ASSERT_TRUE(sa.note.find("SYN cookie") != std::string::npos) << sa.note;
    const QString label = segmentLabel(t, sa, settings);
    EXPECT_TRUE(label.contains(QStringLiteral("seq=0 "))) << label.toStdString();
    EXPECT_EQ(shownSeq(t, Side::Server, sa.segment.seq, settings), 0);
    EXPECT_NE(narrate(t, *synAck, {.relativeNumbers = true}).en.find("SEQ=0"), std::string::npos)
        << narrate(t, *synAck, {.relativeNumbers = true}).en;

    // The client's ACK of the cookie: ack=1, and no raw number in sight.
    bool acked = false;
    for (std::size_t i = *synAck + 1; i < t.size(); ++i) {
        const TraceEvent& e = t.event(i);
        if (e.kind == EventKind::Send && e.endpoint == Side::Client &&
            e.segment.ack == sa.segment.seq + 1) {
            const QString ack = segmentLabel(t, e, settings);
            EXPECT_TRUE(ack.contains(QStringLiteral("ack=1"))) << ack.toStdString();
            EXPECT_FALSE(ack.contains(QString::number(e.segment.ack))) << ack.toStdString();
            acked = true;
            break;
        }
    }
    EXPECT_TRUE(acked);
}

} // namespace
} // namespace tcpviz
