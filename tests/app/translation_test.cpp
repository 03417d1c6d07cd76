// The Chinese catalogue must be complete: every source string translated, none
// left "unfinished", none kept from strings the code no longer has.
#include "test_skip.h"

#include <QCoreApplication>
#include <QFile>
#include <QProcess>
#include <QSet>
#include <QTemporaryDir>
#include <QTranslator>
#include <QXmlStreamReader>
#include <gtest/gtest.h>

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
        if (e.numerus) {
            ASSERT_FALSE(e.numerusForms.isEmpty()) << where;
            for (const QString& f : e.numerusForms) {
                EXPECT_FALSE(f.trimmed().isEmpty()) << where;
            }
        } else {
            EXPECT_FALSE(e.translation.trimmed().isEmpty()) << where;
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
    for (const Entry& e : inCode) {
        EXPECT_TRUE(have.contains(e.context + QLatin1Char('\x1f') + e.source))
            << "not in tcpviz_zh_CN.ts: " << e.context.toStdString() << ": "
            << e.source.toStdString();
    }
}
