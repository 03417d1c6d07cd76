// The Chinese a student knows from the textbooks: every Chinese text tcpviz
// shows (narration at every event of every lesson, the lessons' zh fields, the
// Chinese RFC-notation table, the arc and state explanations and the zh_CN
// interface translations) uses the textbook terms and leaves no English prose
// behind. ASCII is allowed where a Chinese textbook writes it too: flags, state
// and field names, acronyms and constants (upper case), sysctl and other
// identifiers (with '_'), function calls (`close()`), code in backticks, units
// and a few names (Linux, IPv6).
#include "narration/glossary.h"
#include "narration/narrator.h"
#include "scenario/library.h"
#include "sim/simulator.h"
#include "text/rfc_notation.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <fstream>
#include <gtest/gtest-spi.h>
#include <gtest/gtest.h>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

namespace tcpviz {
namespace {

// Terms the Chinese textbooks do not use for what tcpviz means: 半开连接 is, in the
// Chinese Stevens, a connection whose peer crashed (a listener's pending
// connection is a 半连接), and a TCB is a 传输控制块.
constexpr std::array<std::string_view, 2> kRetiredTerms{"半开连接", "连接记录"};

// Lower- or mixed-case ASCII words a Chinese text may contain.
const std::set<std::string, std::less<>>& allowedWords() {
    static const std::set<std::string, std::less<>> kWords{
        // Units, names of systems, tools and file types, keys.
        "s",
        "ms",
        "us",
        "min",
        "x",
        "Linux",
        "IPv4",
        "IPv6",
        "ICMPv6",
        "cookie",
        "ss",
        "netstat",
        "tcpviz",
        "tcpviz-cli",
        "tan", // ss -tan, the options as typed
        "tcpdump",
        "Wireshark",
        "Zeek",
        "Mermaid",
        "PlantUML",
        "sudo",
        "setcap",
        "root",
        "yaml",
        "yml",
        "pcap",
        "pcapng",
        "cap",
        "svg",
        "png",
        "csv",
        "pdf",
        "mmd",
        "md",
        "puml",
        "plantuml",
        "Home",
        "End",
        "Ctrl",
        "TSval",
        "TSecr",
        "eip",
        "en",
        // Scenario keys, capture field names and a BPF filter's words, written as typed.
        "inject",
        "history",
        "tcp",
        "port",
        "Web",
        // The textbooks' own: SYN 洪泛（SYN Flood）攻击, 全连接队列（accept 队列）.
        "Flood",
        "accept",
        // The C library's variable, as a program and a textbook write it.
        "errno",
        // Commands, as typed.
        "tcpviz-cli",
        "analyze",
    };
    return kWords;
}

bool isWordChar(char c) {
    const auto u = static_cast<unsigned char>(c);
    return std::isalnum(u) != 0 || c == '_' || c == '-' || c == '.';
}

bool allowed(std::string_view word, bool call) {
    if (call || word.find('_') != std::string_view::npos) {
        return true; // close(), shutdown(), tcp_fin_timeout, l_onoff, SO_LINGER
    }
    const bool upper = std::none_of(word.begin(), word.end(), [](char c) {
        return std::islower(static_cast<unsigned char>(c)) != 0;
    });
    return upper || allowedWords().contains(word);
}

/// The ASCII words of `text` that are English prose: "retransmission", "reset".
std::vector<std::string> englishWords(std::string_view text) {
    std::vector<std::string> out;
    bool inCode = false;
    for (std::size_t i = 0; i < text.size();) {
        if (text[i] == '`') {
            inCode = !inCode;
            ++i;
            continue;
        }
        if (!isWordChar(text[i])) {
            ++i;
            continue;
        }
        std::size_t end = i;
        while (end < text.size() && isWordChar(text[end])) {
            ++end;
        }
        std::string_view word = text.substr(i, end - i);
        // Numbers ("1280x720", "2MSL" is "2" + "MSL" below), command-line options
        // (--export, -r) and dotted identifiers (conn.log, tcp.completeness) are not prose.
        const bool number =
            std::isdigit(static_cast<unsigned char>(word.front())) != 0 &&
            word.find_first_of("abcdefghijklmnopqrstuvwxyz") != std::string_view::npos;
        const bool option = word.front() == '-' && word.size() > 1 && word[1] != '-'
                                ? word.size() == 2
                                : word.starts_with("--");
        const auto dot = word.find('.');
        const bool dotted = dot != std::string_view::npos && dot > 0 && dot + 1 < word.size() &&
                            std::isalpha(static_cast<unsigned char>(word[dot + 1])) != 0 &&
                            std::isalpha(static_cast<unsigned char>(word.front())) != 0;
        const bool placeholder = i > 0 && text[i - 1] == '%'; // Qt's %n
        if (number || option || dotted || placeholder) {
            i = end;
            continue;
        }
        // "2MSL", "1.5s", "40ms": a number with its unit or an acronym.
        while (!word.empty() && (std::isdigit(static_cast<unsigned char>(word.front())) != 0 ||
                                 word.front() == '.' || word.front() == '-')) {
            word.remove_prefix(1);
        }
        while (!word.empty() && (word.back() == '.' || word.back() == '-')) {
            word.remove_suffix(1);
        }
        const bool call = end < text.size() && text[end] == '(';
        if (!inCode && !word.empty() && !allowed(word, call)) {
            out.emplace_back(word);
        }
        i = end;
    }
    return out;
}

/// Adds a failure naming `where` for each retired term and English word in `zh`.
void checkChinese(std::string_view zh, const std::string& where) {
    for (const auto term : kRetiredTerms) {
        EXPECT_EQ(zh.find(term), std::string_view::npos)
            << where << ": retired term " << term << " in: " << zh;
    }
    // SYN+ACK in prose; the RFC notation keeps <CTL=SYN,ACK>.
    for (auto at = zh.find("SYN,ACK"); at != std::string_view::npos;
         at = zh.find("SYN,ACK", at + 1)) {
        EXPECT_TRUE(at >= 4 && zh.substr(at - 4, 4) == "CTL=")
            << where << ": SYN,ACK in prose (write SYN+ACK) in: " << zh;
    }
    const auto words = englishWords(zh);
    if (!words.empty()) {
        std::string list;
        for (const auto& w : words) {
            list += (list.empty() ? "" : ", ") + w;
        }
        ADD_FAILURE() << where << ": English left in the Chinese text (" << list << "): " << zh;
    }
}

TEST(ChineseTerminology, TheCheckFindsRetiredTermsAndEnglishProse) {
    EXPECT_EQ(englishWords("重传 1 次，RTO 现为 2000 ms"), std::vector<std::string>{});
    EXPECT_EQ(englishWords("retransmission 1, RTO now 2000 ms"),
              (std::vector<std::string>{"retransmission", "now"}));
    EXPECT_EQ(englishWords("调用 close()，tcp_fin_timeout 为 60 s；`ssh host sort`"),
              std::vector<std::string>{});
    EXPECT_EQ(englishWords("<SEQ=100><CTL=SYN,ACK> SYN-RECEIVED 2MSL"), std::vector<std::string>{});
    EXPECT_EQ(englishWords("SYN+ACK 重传次数已用完"), std::vector<std::string>{});
    EXPECT_EQ(englishWords("re-ACK retransmitted FIN"),
              (std::vector<std::string>{"re-ACK", "retransmitted"}));
}

TEST(ChineseTerminology, TheCheckFailsOnEachRule) {
    EXPECT_NONFATAL_FAILURE(checkChinese("服务器分配一条半开连接", "t"), "retired term 半开连接");
    EXPECT_NONFATAL_FAILURE(checkChinese("TCP 创建连接记录（TCB）", "t"), "retired term 连接记录");
    EXPECT_NONFATAL_FAILURE(checkChinese("再次确认 re-ACK retransmitted FIN", "t"), "English left");
    EXPECT_NONFATAL_FAILURE(checkChinese("服务器回复 SYN,ACK", "t"), "SYN,ACK in prose");
    checkChinese("服务器回复 SYN+ACK：<SEQ=300><ACK=101><CTL=SYN,ACK>", "t"); // no failure
}

TEST(ChineseTerminology, LessonsSayItInTheTextbooksChinese) {
    for (const auto& sc : builtinScenarios()) {
        SCOPED_TRACE(sc.id);
        checkChinese(sc.title.zh, "title");
        checkChinese(sc.description.zh, "description");
        // A lesson introduces RST by its Chinese name the first time it uses it.
        const auto rst = sc.description.zh.find("RST");
        if (rst != std::string::npos) {
            EXPECT_EQ(sc.description.zh.substr(rst, std::string("RST（复位）").size()),
                      "RST（复位）")
                << "description: RST（复位） at first use";
        }
        for (const auto& step : sc.steps) {
            checkChinese(step.note.zh, "note of line " + std::to_string(step.where.line));
        }
    }
}

TEST(ChineseTerminology, NarrationOfEveryEventOfEveryLesson) {
    for (const auto& sc : builtinScenarios()) {
        SCOPED_TRACE(sc.id);
        const Trace trace = simulate(sc);
        for (std::size_t i = 0; i < trace.size(); ++i) {
            checkChinese(narrate(trace, i).zh, "event " + std::to_string(i));
        }
    }
}

TEST(ChineseTerminology, ChineseRfcTableOfEveryLesson) {
    RfcNotationOptions options;
    options.lang = Language::Zh;
    for (const auto& sc : builtinScenarios()) {
        SCOPED_TRACE(sc.id);
        std::istringstream lines(formatRfcNotation(simulate(sc), options));
        std::string line;
        std::getline(lines, line); // the header names TCP A and B by address
        for (int n = 2; std::getline(lines, line); ++n) {
            checkChinese(line, "line " + std::to_string(n));
        }
    }
}

TEST(ChineseTerminology, ArcAndStateExplanations) {
    for (const Arc& a : arcCatalog()) {
        checkChinese(arcExplanation(a.id).zh, "arc " + std::string(a.key));
    }
    for (const State s : kAllStates) {
        checkChinese(stateExplanation(s).zh, std::string("state ") + std::string(stateName(s)));
    }
}

std::string unescapeXml(std::string text) {
    for (const auto& [from, to] : {std::pair<std::string, std::string>{"&lt;", "<"},
                                   {"&gt;", ">"},
                                   {"&quot;", "\""},
                                   {"&apos;", "'"},
                                   {"&amp;", "&"}}) {
        for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at)) {
            text.replace(at, from.size(), to);
            at += to.size();
        }
    }
    return text;
}

TEST(ChineseTerminology, InterfaceTranslations) {
    std::ifstream in(std::string(TCPVIZ_TRANSLATIONS_DIR) + "/tcpviz_zh_CN.ts");
    ASSERT_TRUE(in);
    std::ostringstream all;
    all << in.rdbuf();
    const std::string ts = all.str();
    std::size_t count = 0;
    for (auto at = ts.find("<translation"); at != std::string::npos;
         at = ts.find("<translation", at + 1)) {
        const auto open = ts.find('>', at);
        const auto close = ts.find("</translation>", open);
        if (open == std::string::npos || close == std::string::npos) {
            break; // <translation/>: an empty one; the translation test catches those
        }
        // Markup (<p>, <b>, <numerusform>) is not text.
        std::string zh = unescapeXml(ts.substr(open + 1, close - open - 1));
        for (auto tag = zh.find('<'); tag != std::string::npos; tag = zh.find('<', tag)) {
            const auto tagEnd = zh.find('>', tag);
            if (tagEnd == std::string::npos) {
                break;
            }
            zh.replace(tag, tagEnd - tag + 1, " ");
        }
        checkChinese(zh, "translation at offset " + std::to_string(at));
        ++count;
    }
    EXPECT_GT(count, 100U);
}

} // namespace
} // namespace tcpviz
