#include "i18n.h"

#include <QCoreApplication>
#include <QLibraryInfo>
#include <QLocale>
#include <QTranslator>

namespace tcpviz::gui {

namespace {

QTranslator& appTranslator() {
    static QTranslator translator;
    return translator;
}

QTranslator& qtTranslator() {
    static QTranslator translator;
    return translator;
}

} // namespace

Language languageOfCode(const QString& code) {
    return code.startsWith(QLatin1String("zh")) ? Language::Zh : Language::En;
}

QString codeOfLanguage(Language language) {
    return language == Language::Zh ? QStringLiteral("zh_CN") : QStringLiteral("en");
}

bool installLanguage(const QString& code) {
    QCoreApplication::removeTranslator(&appTranslator());
    QCoreApplication::removeTranslator(&qtTranslator());
    if (languageOfCode(code) != Language::Zh) {
        QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
        // English is the source text; its catalogue only holds plural forms
        // ("1 retransmission", "2 retransmissions" for "%n retransmission(s)").
        if (appTranslator().load(QStringLiteral(":/i18n/tcpviz_en.qm"))) {
            QCoreApplication::installTranslator(&appTranslator());
        }
        return true;
    }
    QLocale::setDefault(QLocale(QLocale::Chinese, QLocale::China));
    if (qtTranslator().load(QStringLiteral("qtbase_zh_CN"),
                            QLibraryInfo::path(QLibraryInfo::TranslationsPath))) {
        QCoreApplication::installTranslator(&qtTranslator());
    }
    if (!appTranslator().load(QStringLiteral(":/i18n/tcpviz_zh_CN.qm"))) {
        return false;
    }
    QCoreApplication::installTranslator(&appTranslator());
    return true;
}

} // namespace tcpviz::gui
