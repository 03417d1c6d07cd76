#include "text/sequence_text.h"

// The hand-built traces of the view tests are plain model code (no Qt).
#include "../../views/test_traces.h"

#include <gtest/gtest.h>
#include <regex>
#include <sstream>

namespace tcpviz {
namespace {

std::vector<std::string> lines(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
        out.push_back(line);
    }
    return out;
}

std::size_t countMatching(const std::string& text, const std::regex& re) {
    std::size_t n = 0;
    for (const auto& l : lines(text)) {
        n += std::regex_search(l, re) ? 1 : 0;
    }
    return n;
}

const std::regex kMermaidMessage(R"(^\s+[CSX](->>|-->>|-x|--x)[CS]: )");
const std::regex kPlantMessage(R"(^[CSX] (->|-->|->x|-->x) [CS] : )");

TEST(SequenceText, OneMermaidMessagePerSegmentSentUpToThePosition) {
    const Trace t = viewtest::lossyLecture();
    for (std::size_t p = 0; p <= t.size(); ++p) {
        const std::string text = mermaidSequence(t, p);
        ASSERT_EQ(text.rfind("sequenceDiagram\n", 0), 0U);
        EXPECT_EQ(countMatching(text, kMermaidMessage), t.segmentsSentBefore(p))
            << "position " << p << "\n"
            << text;
    }
}

TEST(SequenceText, OnePlantUmlMessagePerSegmentSentUpToThePosition) {
    const Trace t = viewtest::lossyLecture();
    for (std::size_t p = 0; p <= t.size(); ++p) {
        const std::string text = plantUmlSequence(t, p);
        ASSERT_EQ(text.rfind("@startuml\n", 0), 0U);
        ASSERT_NE(text.find("@enduml\n"), std::string::npos);
        EXPECT_EQ(countMatching(text, kPlantMessage), t.segmentsSentBefore(p)) << "position " << p;
    }
}

TEST(SequenceText, LostAndRetransmittedSegmentsAreMarked) {
    const Trace t = viewtest::lossyLecture();
    const std::string m = mermaidSequence(t, t.size());
    EXPECT_EQ(countMatching(m, std::regex(R"(C-x S|C-xS: PSH,ACK seq=1 ack=1 len=100 \(lost\))")),
              1U)
        << m;
    EXPECT_EQ(
        countMatching(m, std::regex(R"(C-->>S: PSH,ACK seq=1 ack=1 len=100 \(retransmission\))")),
        1U)
        << m;
    const std::string u = plantUmlSequence(t, t.size());
    EXPECT_EQ(countMatching(u, std::regex(R"(^C ->x S : .*lost)")), 1U) << u;
    EXPECT_EQ(countMatching(u, std::regex(R"(^C --> S : .*retransmission)")), 1U) << u;
}

TEST(SequenceText, NumbersRelativeOrAbsolute) {
    const Trace t = viewtest::lossyLecture();
    SequenceTextOptions o;
    EXPECT_NE(mermaidSequence(t, t.size(), o).find("C->>S: SYN seq=0\n"), std::string::npos);
    o.relativeNumbers = false;
    const std::string abs = mermaidSequence(t, t.size(), o);
    EXPECT_NE(abs.find("C->>S: SYN seq=100\n"), std::string::npos) << abs;
    EXPECT_NE(abs.find("S->>C: SYN,ACK seq=300 ack=101\n"), std::string::npos) << abs;
}

TEST(SequenceText, StateNotesFollowTheTrace) {
    const Trace t = viewtest::lossyLecture();
    for (Side side : {Side::Client, Side::Server}) {
        const std::string prefix =
            std::string("    Note over ") + (side == Side::Client ? "C" : "S") + ": ";
        std::vector<std::string> seen;
        for (const auto& l : lines(mermaidSequence(t, t.size()))) {
            if (l.rfind(prefix, 0) == 0) {
                const std::string text = l.substr(prefix.size());
                if (parseState(text)) {
                    seen.push_back(text);
                }
            }
        }
        std::vector<std::string> expected;
        for (const StateEntry& s : t.states(side)) {
            expected.emplace_back(stateName(s.state));
        }
        EXPECT_EQ(seen, expected) << sideName(side);
    }
}

TEST(SequenceText, InFlightSegmentsComeLastAndDashed) {
    const Trace t = viewtest::lossyLecture();
    // Right after the SYN is sent it is still in flight.
    std::size_t p = 0;
    while (t.event(p).kind != EventKind::Send) {
        ++p;
    }
    const std::string m = mermaidSequence(t, p + 1);
    const auto ls = lines(m);
    ASSERT_FALSE(ls.empty());
    EXPECT_NE(ls.back().find("C-->>S: SYN seq=0 (in flight)"), std::string::npos) << m;
}

TEST(SequenceText, ChineseLabelsAndTitle) {
    const Trace t = viewtest::lossyLecture();
    SequenceTextOptions o;
    o.language = Language::Zh;
    const std::string m = mermaidSequence(t, t.size(), o);
    EXPECT_NE(m.find("客户端"), std::string::npos);
    EXPECT_NE(m.find(t.meta.title.zh), std::string::npos);
    EXPECT_NE(m.find("丢失"), std::string::npos);
    const std::string u = plantUmlSequence(t, t.size(), o);
    EXPECT_NE(u.find("title " + t.meta.title.zh), std::string::npos);
}

} // namespace
} // namespace tcpviz
