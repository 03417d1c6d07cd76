// The Chinese interface must be Chinese. The catalogue must be complete: every
// source string translated (not left in English), none left "unfinished", none
// kept from strings the code no longer has, each under a context the code looks
// it up in. No user-visible text may bypass the catalogue: no literal handed to
// a widget outside tr(), and no English remark of the model shown as it is.
#include "event_text.h"
#include "i18n.h"
#include "narration_view.h"
#include "scenario/library.h"
#include "segment_details_view.h"
#include "sim/simulator.h"
#include "test_skip.h"
#include "text/note_text.h"
#include "what_if.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QSet>
#include <QTemporaryDir>
#include <QTranslator>
#include <QTreeWidgetItemIterator>
#include <QXmlStreamReader>
#include <algorithm>
#include <array>
#include <deque>
#include <gtest/gtest.h>
#include <initializer_list>
#include <map>
#include <set>

using namespace tcpviz;

namespace {

struct Entry {
    QString context;
    QString source;
    QString type; ///< translation type attribute: "", "unfinished", "obsolete", "vanished"
    QString translation;
    bool numerus = false;
    QStringList numerusForms;
};

std::vector<Entry> readTs(const QString& path, QString& language, QString& error) {
    std::vector<Entry> out;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        error = file.errorString();
        return out;
    }
    QXmlStreamReader xml(&file);
    QString context;
    Entry current;
    while (!xml.atEnd()) {
        xml.readNext();
        if (xml.isStartElement()) {
            const auto name = xml.name();
            if (name == QLatin1String("TS")) {
                language = xml.attributes().value(QLatin1String("language")).toString();
            } else if (name == QLatin1String("name")) {
                context = xml.readElementText();
            } else if (name == QLatin1String("message")) {
                current = Entry{};
                current.context = context;
                current.numerus =
                    xml.attributes().value(QLatin1String("numerus")) == QLatin1String("yes");
            } else if (name == QLatin1String("source")) {
                current.source = xml.readElementText();
            } else if (name == QLatin1String("translation")) {
                current.type = xml.attributes().value(QLatin1String("type")).toString();
                if (current.numerus) {
                    while (xml.readNextStartElement()) {
                        current.numerusForms << xml.readElementText();
                    }
                } else {
                    current.translation = xml.readElementText();
                }
            }
        } else if (xml.isEndElement() && xml.name() == QLatin1String("message")) {
            out.push_back(current);
        }
    }
    if (xml.hasError()) {
        error = xml.errorString();
    }
    return out;
}

std::vector<Entry> shippedChinese() {
    QString language;
    QString error;
    auto entries =
        readTs(QStringLiteral(TCPVIZ_TRANSLATIONS_DIR "/tcpviz_zh_CN.ts"), language, error);
    EXPECT_TRUE(error.isEmpty()) << error.toStdString();
    return entries;
}

bool hasChinese(const QString& text) {
    static const QRegularExpression han(QStringLiteral("\\p{Han}"));
    return text.contains(han);
}

// Words a Chinese interface rightly shows as they are: a translation without
// any Chinese in it (in particular one identical to its source) must consist
// only of these, placeholders (%1, %n), numbers, file patterns and punctuation.
const QSet<QString>& wordsKeptInChinese() {
    static const QSet<QString> kWords = [] {
        QSet<QString> w;
        const auto add = [&w](std::initializer_list<const char*> words) {
            for (const char* word : words) {
                w.insert(QString::fromUtf8(word));
            }
        };
        // TCP flags, as the header, Wireshark and every textbook write them.
        add({"SYN", "ACK", "FIN", "RST", "PSH", "URG", "ECE", "CWR"});
        // RFC 9293 section 3.9.1 user calls, named as the RFC and the arcs
        // ("CLOSE / snd FIN") name them.
        add({"OPEN", "SEND", "RECEIVE", "CLOSE", "ABORT"});
        // Header fields and abbreviations that Chinese textbooks keep in Latin
        // letters: sequence number, initial sequence number, transmission control
        // block, retransmission timeout, maximum segment lifetime, the timestamp
        // option's fields (RFC 7323), and the RFC itself.
        add({"SEQ", "ISN", "TCB", "RTO", "MSL", "2MSL", "TSval", "TSecr", "RFC"});
        // Units.
        add({"ms", "s", "µs"});
        // Names of programs and formats: the state-name style "Linux ss" and the
        // text formats a slide can be exported to.
        add({"Linux", "ss", "Mermaid", "PlantUML"});
        // State names, in both spellings the settings offer (RFC 9293, and `ss`):
        // the interface writes them as the RFC and `ss` do in every language.
        for (const State st : kAllStates) {
            for (const auto style : {StateNameStyle::Rfc9293, StateNameStyle::Linux}) {
                const std::string_view name = stateName(st, style);
                w.insert(QString::fromLatin1(name.data(), static_cast<qsizetype>(name.size())));
            }
        }
        return w;
    }();
    return kWords;
}

/// The words of `text` that are not in wordsKeptInChinese().
QStringList wordsNeedingTranslation(QString text) {
    static const QRegularExpression noise(
        QStringLiteral("%L?[0-9n]|\\*\\.[A-Za-z0-9]+|&(?=[A-Za-z])"));
    static const QRegularExpression word(QStringLiteral("[\\w\\x{00B5}][\\w\\x{00B5}-]*"));
    text.remove(noise);
    QStringList out;
    auto it = word.globalMatch(text);
    while (it.hasNext()) {
        const QString w = it.next().captured();
        bool number = false;
        (void)w.toDouble(&number);
        if (!number && !wordsKeptInChinese().contains(w)) {
            out << w;
        }
    }
    return out;
}

// ------------------------------------------------------------------ sources

/// A string literal of a source file: [begin, end) covers the quotes.
struct Literal {
    qsizetype begin = 0;
    qsizetype end = 0;
    QString text; ///< as written between the quotes (escapes not decoded)
};

/// The file with its comments blanked out (same length) and its string literals.
struct Source {
    QString path; ///< relative to the source directory: "app/gui/main_window.cpp"
    QString code;
    std::vector<Literal> literals;
    std::vector<int> literalOf; ///< per offset: index into `literals`, or -1
    [[nodiscard]] int lineOf(qsizetype offset) const {
        return static_cast<int>(code.left(offset).count(QLatin1Char('\n'))) + 1;
    }
};

bool isIdentifierChar(QChar c) {
    return c.isLetterOrNumber() || c == QLatin1Char('_');
}

Source lex(const QString& path, const QString& text) {
    Source src{path, text, {}, {}};
    QString& c = src.code;
    const qsizetype n = c.size();
    qsizetype i = 0;
    while (i < n) {
        if (c.at(i) == QLatin1Char('/') && i + 1 < n && c.at(i + 1) == QLatin1Char('/')) {
            while (i < n && c.at(i) != QLatin1Char('\n')) {
                c[i++] = QLatin1Char(' ');
            }
        } else if (c.at(i) == QLatin1Char('/') && i + 1 < n && c.at(i + 1) == QLatin1Char('*')) {
            while (i < n &&
                   !(c.at(i) == QLatin1Char('*') && i + 1 < n && c.at(i + 1) == QLatin1Char('/'))) {
                if (c.at(i) != QLatin1Char('\n')) {
                    c[i] = QLatin1Char(' ');
                }
                ++i;
            }
            if (i < n) {
                c[i] = QLatin1Char(' ');
                c[i + 1] = QLatin1Char(' ');
                i += 2;
            }
        } else if (c.at(i) == QLatin1Char('\'')) {
            // A character literal, unless it is a digit separator (1'000).
            if (i > 0 && c.at(i - 1).isLetterOrNumber()) {
                ++i;
                continue;
            }
            ++i;
            while (i < n && c.at(i) != QLatin1Char('\'')) {
                i += c.at(i) == QLatin1Char('\\') ? 2 : 1;
            }
            ++i;
        } else if (c.at(i) == QLatin1Char('"')) {
            qsizetype prefixStart = i;
            while (prefixStart > 0 && isIdentifierChar(c.at(prefixStart - 1))) {
                --prefixStart;
            }
            static const QStringList rawPrefixes{QStringLiteral("R"), QStringLiteral("u8R"),
                                                 QStringLiteral("uR"), QStringLiteral("UR"),
                                                 QStringLiteral("LR")};
            const bool raw = rawPrefixes.contains(c.mid(prefixStart, i - prefixStart));
            Literal lit;
            lit.begin = i;
            if (raw) {
                const qsizetype open = c.indexOf(QLatin1Char('('), i);
                const QString close =
                    QLatin1Char(')') + c.mid(i + 1, open - i - 1) + QLatin1Char('"');
                const qsizetype stop = c.indexOf(close, open);
                lit.text = c.mid(open + 1, stop - open - 1);
                i = stop + close.size();
            } else {
                ++i;
                while (i < n && c.at(i) != QLatin1Char('"')) {
                    i += c.at(i) == QLatin1Char('\\') ? 2 : 1;
                }
                lit.text = c.mid(lit.begin + 1, i - lit.begin - 1);
                ++i;
            }
            lit.end = i;
            src.literals.push_back(lit);
        } else {
            ++i;
        }
    }
    src.literalOf.assign(static_cast<std::size_t>(n), -1);
    for (std::size_t k = 0; k < src.literals.size(); ++k) {
        for (qsizetype at = src.literals[k].begin; at < std::min(src.literals[k].end, n); ++at) {
            src.literalOf[static_cast<std::size_t>(at)] = static_cast<int>(k);
        }
    }
    return src;
}

/// Every .h and .cpp file of the interface: app/gui and views.
std::vector<Source> interfaceSources() {
    std::vector<Source> out;
    const QDir root(QStringLiteral(TCPVIZ_SOURCE_DIR));
    for (const QString& dir : {QStringLiteral("app/gui"), QStringLiteral("views")}) {
        const QDir d(root.filePath(dir));
        for (const QString& name : d.entryList({QStringLiteral("*.cpp"), QStringLiteral("*.h")},
                                               QDir::Files, QDir::Name)) {
            QFile f(d.filePath(name));
            EXPECT_TRUE(f.open(QIODevice::ReadOnly)) << name.toStdString();
            out.push_back(lex(dir + QLatin1Char('/') + name, QString::fromUtf8(f.readAll())));
        }
    }
    return out;
}

const Literal* literalAt(const Source& src, qsizetype offset) {
    if (offset < 0 || offset >= src.code.size()) {
        return nullptr;
    }
    const int k = src.literalOf[static_cast<std::size_t>(offset)];
    return k < 0 ? nullptr : &src.literals[static_cast<std::size_t>(k)];
}

/// Offset just past the parenthesis or brace that closes the one at `open`.
qsizetype closingOf(const Source& src, qsizetype open) {
    int depth = 0;
    for (qsizetype i = open; i < src.code.size(); ++i) {
        if (const Literal* l = literalAt(src, i)) {
            i = l->end - 1;
            continue;
        }
        const QChar ch = src.code.at(i);
        if (ch == QLatin1Char('(') || ch == QLatin1Char('{')) {
            ++depth;
        } else if (ch == QLatin1Char(')') || ch == QLatin1Char('}')) {
            if (--depth == 0) {
                return i + 1;
            }
        }
    }
    return src.code.size();
}

/// Text a person reads: letters left once HTML tags, entities and placeholders are gone.
bool hasWords(const QString& literal) {
    static const QRegularExpression markup(
        QStringLiteral("<[^>]*>|&[A-Za-z]+;|%L?[0-9n]|\\\\[nt]"));
    QString text = literal;
    text.remove(markup);
    for (const QChar ch : text) {
        if (ch.isLetter()) {
            return true;
        }
    }
    return false;
}

/// A literal handed to a user-visible Qt API without going through the catalogue.
struct Untranslated {
    QString file;
    QString literal;
    int line = 0;
};

std::vector<Untranslated> untranslatedLiterals(const std::vector<Source>& sources) {
    // Calls whose text arguments a person reads (widgets, actions, dialogs,
    // the window's own error helpers and the narration's extra text).
    static const QRegularExpression visible(QStringLiteral(
        "\\b(?:setText|setToolTip|setWindowTitle|setStatusTip|setWhatsThis|showMessage|"
        "setPlaceholderText|setTitle|setHeaderLabels|setHorizontalHeaderLabels|"
        "setVerticalHeaderLabels|addAction|addMenu|addItem|addItems|insertItem|setItemText|"
        "addTab|insertTab|setTabText|setTabToolTip|addRow|setLabelText|setPrefix|setSuffix|"
        "setSpecialValueText|setInformativeText|setDetailedText|setHtml|setPlainText|"
        "setExtraText|setAccessibleName|setAccessibleDescription|setApplicationDescription|"
        "showError|printError|QAction|QLabel|QPushButton|QCheckBox|QRadioButton|QGroupBox|"
        "QMenu|QToolButton|QTreeWidgetItem|QListWidgetItem|QStandardItem|"
        "QMessageBox(?:::\\w+)?|QInputDialog::\\w+|QFileDialog::\\w+)\\s*[({]"));
    // Inside those calls: what lupdate extracts, and arguments nobody reads as text.
    static const QRegularExpression exempt(
        QStringLiteral("\\b(?:tr|translate|QT_TR_NOOP|QT_TRANSLATE_NOOP|QT_TRANSLATE_NOOP3|qtTrId|"
                       "QKeySequence|QIcon::fromTheme)\\s*\\("));
    std::vector<Untranslated> out;
    for (const Source& src : sources) {
        std::set<qsizetype> reported;
        auto calls = visible.globalMatch(src.code);
        while (calls.hasNext()) {
            const auto call = calls.next();
            if (literalAt(src, call.capturedStart()) != nullptr) {
                continue;
            }
            const qsizetype open = call.capturedEnd() - 1;
            const qsizetype close = closingOf(src, open);
            std::vector<std::pair<qsizetype, qsizetype>> skip;
            auto inner = exempt.globalMatch(src.code.mid(open, close - open));
            while (inner.hasNext()) {
                const auto m = inner.next();
                const qsizetype at = open + m.capturedStart();
                if (literalAt(src, at) == nullptr) {
                    skip.emplace_back(at, closingOf(src, open + m.capturedEnd() - 1));
                }
            }
            for (const Literal& l : src.literals) {
                if (l.begin < open || l.end > close || reported.count(l.begin) != 0 ||
                    !hasWords(l.text)) {
                    continue;
                }
                const bool exempted = std::any_of(skip.begin(), skip.end(), [&](const auto& r) {
                    return l.begin >= r.first && l.end <= r.second;
                });
                if (!exempted) {
                    reported.insert(l.begin);
                    out.push_back({src.path, l.text, src.lineOf(l.begin)});
                }
            }
        }
    }
    return out;
}

} // namespace

TEST(Translations, ChineseCatalogueIsCompleteAndCurrent) {
    QString language;
    QString error;
    const auto entries =
        readTs(QStringLiteral(TCPVIZ_TRANSLATIONS_DIR "/tcpviz_zh_CN.ts"), language, error);
    ASSERT_TRUE(error.isEmpty()) << error.toStdString();
    EXPECT_EQ(language, QStringLiteral("zh_CN"));
    ASSERT_GT(entries.size(), 100U) << "the interface has more strings than that";
    for (const Entry& e : entries) {
        const std::string where = (e.context + QStringLiteral(": ") + e.source).toStdString();
        EXPECT_NE(e.type, QStringLiteral("unfinished")) << where;
        EXPECT_NE(e.type, QStringLiteral("obsolete")) << where;
        EXPECT_NE(e.type, QStringLiteral("vanished")) << where;
        // Left in English: a translation without Chinese in it (the source copied
        // over, say) passes only when all its words are ones Chinese keeps.
        const auto expectChinese = [&](const QString& translation) {
            if (!hasChinese(translation)) {
                const QStringList english = wordsNeedingTranslation(translation);
                EXPECT_TRUE(english.isEmpty())
                    << where << (translation == e.source ? " is left as it is" : " is English")
                    << " in Chinese: " << english.join(QLatin1Char(' ')).toStdString();
            }
        };
        if (e.numerus) {
            ASSERT_FALSE(e.numerusForms.isEmpty()) << where;
            for (const QString& f : e.numerusForms) {
                EXPECT_FALSE(f.trimmed().isEmpty()) << where;
                expectChinese(f);
            }
        } else {
            EXPECT_FALSE(e.translation.trimmed().isEmpty()) << where;
            expectChinese(e.translation);
            // Placeholders must survive translation: "%1 sends %2 bytes" needs both.
            for (int n = 1; n <= 9; ++n) {
                const QString ph = QStringLiteral("%%1").arg(n);
                EXPECT_EQ(e.source.contains(ph), e.translation.contains(ph))
                    << where << " placeholder " << ph.toStdString();
            }
        }
    }
}

TEST(Translations, EmbeddedChineseCatalogueTranslatesTheMenus) {
    QTranslator translator;
    ASSERT_TRUE(translator.load(QStringLiteral(":/i18n/tcpviz_zh_CN.qm")))
        << "lrelease output is embedded in the program";
    EXPECT_EQ(translator.translate("tcpviz::gui::MainWindow", "&File"), QStringLiteral("文件(&F)"));
    EXPECT_FALSE(translator.translate("tcpviz::gui::MainWindow", "Back to the scenario").isEmpty());
}

// A string added to the code but not to the catalogue would show in English in
// the Chinese interface: extract the strings afresh and compare.
TEST(Translations, CatalogueCoversEveryStringInTheCode) {
    const QString lupdate = QStringLiteral(TCPVIZ_LUPDATE);
    if (!QFile::exists(lupdate)) {
        TCPVIZ_SKIP("lupdate not installed: " << lupdate.toStdString());
    }
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    const QString fresh = dir.filePath(QStringLiteral("fresh_zh_CN.ts"));
    QProcess p;
    p.start(lupdate, {QStringLiteral("-silent"), QStringLiteral("-no-obsolete"),
                      QStringLiteral("-locations"), QStringLiteral("none"),
                      QStringLiteral(TCPVIZ_SOURCE_DIR "/app/gui"),
                      QStringLiteral(TCPVIZ_SOURCE_DIR "/views"), QStringLiteral("-ts"), fresh});
    ASSERT_TRUE(p.waitForFinished(120000));
    ASSERT_EQ(p.exitCode(), 0) << p.readAllStandardError().toStdString();
    QString language;
    QString error;
    const auto inCode = readTs(fresh, language, error);
    ASSERT_TRUE(error.isEmpty()) << error.toStdString();
    const auto shipped =
        readTs(QStringLiteral(TCPVIZ_TRANSLATIONS_DIR "/tcpviz_zh_CN.ts"), language, error);
    QSet<QString> have;
    for (const Entry& e : shipped) {
        have.insert(e.context + QLatin1Char('\x1f') + e.source);
    }
    ASSERT_GT(inCode.size(), 100U);
    QSet<QString> used;
    for (const Entry& e : inCode) {
        used.insert(e.context + QLatin1Char('\x1f') + e.source);
        EXPECT_TRUE(have.contains(e.context + QLatin1Char('\x1f') + e.source))
            << "not in tcpviz_zh_CN.ts: " << e.context.toStdString() << ": "
            << e.source.toStdString();
    }
    // And the other way: an entry for a string the code no longer has means the
    // string was reworded without its translation.
    for (const Entry& e : shipped) {
        EXPECT_TRUE(used.contains(e.context + QLatin1Char('\x1f') + e.source))
            << "in tcpviz_zh_CN.ts but no longer in the code: " << e.context.toStdString() << ": "
            << e.source.toStdString();
    }
}

// The catalogue files each string under the context lupdate believes the code
// asks for; a guess nothing asks for (the view helpers' file-local tr() once
// landed in "std") leaves the string English however well it is translated.
TEST(Translations, EveryCatalogueContextIsOneTheCodeLooksUp) {
    const std::vector<Source> sources = interfaceSources();
    ASSERT_GT(sources.size(), 20U);
    QSet<QString> asked;
    // The namespaces open at `pos`, e.g. "tcpviz::gui".
    const auto scopeAt = [](const Source& src, qsizetype pos) {
        static const QRegularExpression brace(R"re(\bnamespace\s+([\w:]*)\s*\{|[{}])re");
        QStringList open; // one entry per open brace; empty unless it opens a named namespace
        auto it = brace.globalMatch(src.code.left(pos));
        while (it.hasNext()) {
            const auto m = it.next();
            if (literalAt(src, m.capturedStart()) != nullptr) {
                continue;
            }
            if (m.captured(0) == QLatin1String("}")) {
                if (!open.isEmpty()) {
                    open.removeLast();
                }
            } else {
                open << m.captured(1);
            }
        }
        open.removeAll(QString());
        return open;
    };
    static const QRegularExpression named(
        R"re(\b(?:translate|translateIn|QT_TRANSLATE_NOOP3?)\s*\(\s*"([^"]+)")re");
    static const QRegularExpression declared(R"re(\bQ_DECLARE_TR_FUNCTIONS\s*\(\s*([\w:]+))re");
    static const QRegularExpression qobject(R"re(\bclass\s+(\w+)\b[^;{]*\{\s*Q_OBJECT\b)re");
    for (const Source& src : sources) {
        for (const auto* re : {&named, &declared}) {
            auto it = re->globalMatch(src.code);
            while (it.hasNext()) {
                asked.insert(it.next().captured(1));
            }
        }
        // A QObject's tr() asks under its qualified class name.
        auto classes = qobject.globalMatch(src.code);
        while (classes.hasNext()) {
            const auto c = classes.next();
            QStringList scope = scopeAt(src, c.capturedStart());
            scope << c.captured(1);
            asked.insert(scope.join(QStringLiteral("::")));
        }
    }
    ASSERT_TRUE(asked.contains(QStringLiteral("tcpviz::gui::MainWindow")))
        << "the scan finds the window's context";
    QSet<QString> reported;
    for (const Entry& e : shippedChinese()) {
        if (!asked.contains(e.context) && !reported.contains(e.context)) {
            reported.insert(e.context);
            ADD_FAILURE() << "tcpviz_zh_CN.ts has context \"" << e.context.toStdString()
                          << "\" (e.g. \"" << e.source.toStdString()
                          << "\"), which no code looks strings up in";
        }
    }
}

namespace {

// Literals that legitimately reach a widget without translation: file, the
// literal as written, and why.
struct AllowedLiteral {
    const char* file;
    const char* literal;
    const char* why;
};
constexpr std::array kAllowedLiterals{
    AllowedLiteral{"app/gui/main_window.cpp", "English",
                   "each language is offered in its own name, so a reader finds it"},
    AllowedLiteral{"app/gui/main_window.cpp", "简体中文",
                   "each language is offered in its own name, so a reader finds it"},
    AllowedLiteral{"app/gui/main_window.cpp", "tcpviz", "the program's name in the title bar"},
    AllowedLiteral{"app/gui/main_window.cpp", "%1 — tcpviz",
                   "the document's (translated) title, then the program's name"},
    AllowedLiteral{"app/gui/main_window.cpp", "-states.png",
                   "a file name proposed for the states chart, not prose"},
    AllowedLiteral{"app/gui/main_window.cpp", "1s",
                   "the interval proposed for the counts CSV, as tcpviz-cli --counts takes it"},
};

} // namespace

// Text handed to a widget, an action or a dialog outside tr() never reaches
// lupdate, so the catalogue tests cannot see it and it stays English.
TEST(Translations, NoUserVisibleLiteralBypassesTheCatalogue) {
    const std::vector<Source> sources = interfaceSources();
    ASSERT_GT(sources.size(), 20U);
    std::set<std::pair<std::string, std::string>> used;
    for (const Untranslated& u : untranslatedLiterals(sources)) {
        const auto allowed =
            std::find_if(kAllowedLiterals.begin(), kAllowedLiterals.end(), [&](const auto& a) {
                return u.file == QLatin1String(a.file) && u.literal == QString::fromUtf8(a.literal);
            });
        if (allowed != kAllowedLiterals.end()) {
            used.emplace(allowed->file, allowed->literal);
            continue;
        }
        ADD_FAILURE() << u.file.toStdString() << ":" << u.line << ": \"" << u.literal.toStdString()
                      << "\" is shown to the user without tr(); wrap it, or allow it here "
                         "with the reason";
    }
    for (const AllowedLiteral& a : kAllowedLiterals) {
        EXPECT_EQ(used.count({a.file, a.literal}), 1U)
            << a.file << ": \"" << a.literal << "\" is allowed but no longer in the code";
    }
}

// The model has no Qt and writes its remarks on events in English ("lost in
// the network", "ABORT (SO_LINGER 0)", "connection does not exist"); lupdate
// never sees them, so only playing them in Chinese shows whether they are
// translated. Every built-in scenario, and every what-if branch the window
// offers at each of its state changes, is searched for remarks; each must be
// shown in Chinese in the narration, the segment details and the diagram's
// tooltip.
// The model's own Chinese for its remarks (the CLI's Chinese RFC table and the
// narration use it) and the interface's are one text: a term fixed in one place
// must be fixed in the other.
TEST(Translations, TheModelsChineseRemarksMatchTheInterfaceCatalogue) {
    QTranslator translator;
    ASSERT_TRUE(translator.load(QStringLiteral(":/i18n/tcpviz_zh_CN.qm")));
    ASSERT_FALSE(noteCatalogue().empty());
    for (const NoteTranslation& note : noteCatalogue()) {
        const std::string en(note.en);
        EXPECT_EQ(translator.translate("tcpviz::EventNote", en.c_str()).toStdString(),
                  std::string(note.zh))
            << en;
    }
}

TEST(Translations, TheModelsRemarksOnEventsShowInChinese) {
    // One trace showing each remark (the first found), kept alive for the views.
    std::deque<Trace> traces;
    std::map<std::string, std::pair<const Trace*, std::size_t>> remarks;
    const auto collect = [&](const Trace& trace) {
        bool kept = false;
        for (std::size_t i = 0; i < trace.size(); ++i) {
            const std::string shown(displayNote(trace.event(i)));
            for (const std::string* r : {&shown, &trace.event(i).callError}) {
                if (!r->empty() && remarks.count(*r) == 0) {
                    if (!kept) {
                        traces.push_back(trace);
                        kept = true;
                    }
                    remarks[*r] = {&traces.back(), i};
                }
            }
        }
    };
    const std::array calls{UserCall::Close, UserCall::Shutdown, UserCall::Abort, UserCall::Send};
    const std::array faults{FaultKind::Drop, FaultKind::Delay, FaultKind::Duplicate};
    for (const Scenario& s : builtinScenarios()) {
        const Trace original = simulate(s);
        collect(original);
        gui::WhatIfController whatIf;
        whatIf.setScenario(s, original);
        std::set<std::size_t> positions{0};
        for (std::size_t i = 0; i < original.size(); ++i) {
            if (original.event(i).kind == EventKind::Transition) {
                positions.insert(i + 1);
            }
        }
        for (const std::size_t p : positions) {
            for (const Side side : {Side::Client, Side::Server}) {
                gui::Intervention iv;
                iv.position = p;
                iv.side = side;
                iv.kind = gui::Intervention::Kind::Call;
                iv.bytes = 1000;
                for (const UserCall c : calls) {
                    iv.call = c;
                    whatIf.apply({iv});
                    collect(whatIf.current());
                }
                iv.kind = gui::Intervention::Kind::Fault;
                for (const FaultKind f : faults) {
                    iv.fault = f;
                    whatIf.apply({iv});
                    collect(whatIf.current());
                }
            }
        }
    }
    // The remarks the issue named must be among those played.
    for (const char* named : {"lost in the network", "ABORT (SO_LINGER 0)"}) {
        EXPECT_EQ(remarks.count(named), 1U) << named;
    }
    ASSERT_GT(remarks.size(), 10U);

    ASSERT_TRUE(gui::installLanguage(QStringLiteral("zh_CN")));
    struct English {
        ~English() { gui::installLanguage(QStringLiteral("en")); }
    } restore;
    ViewSettings zh;
    zh.language = Language::Zh;
    NarrationView narration;
    narration.setSettings(zh);
    SegmentDetailsView details;
    details.setSettings(zh);
    for (const auto& [remark, where] : remarks) {
        const auto& [trace, i] = where;
        const QString english = QString::fromStdString(remark);
        const std::string what =
            "\"" + remark + "\" (" + trace->meta.scenarioId + ", event " + std::to_string(i) + ")";
        const QString shown = noteText(remark);
        EXPECT_TRUE(hasChinese(shown)) << what << " is not translated: " << shown.toStdString();

        // The narrator quotes what a program is told, in its own words
        // (connect() fails with “connection refused”): a quotation is not
        // untranslated text.
        narration.setTrace(trace);
        narration.setPosition(i + 1);
        static const QRegularExpression quotation(QStringLiteral("“[^”]*”"));
        const QString told = narration.toPlainText().remove(quotation);
        EXPECT_FALSE(told.contains(english)) << what << " shows in English in the narration:\n"
                                             << narration.toPlainText().toStdString();

        details.setTrace(trace);
        details.setPosition(i + 1);
        for (QTreeWidgetItemIterator it(&details); *it != nullptr; ++it) {
            for (int col = 0; col < details.columnCount(); ++col) {
                EXPECT_FALSE((*it)->text(col).contains(english))
                    << what << " shows in English in the segment details: "
                    << (*it)->text(col).toStdString();
            }
        }

        // The diagram's tooltip describes a refused call with its error.
        if (trace->event(i).callError == remark) {
            const QString tip = eventDescription(*trace, i, zh);
            EXPECT_FALSE(tip.contains(english))
                << what << " shows in English in the diagram's tooltip: " << tip.toStdString();
        }
    }
}
