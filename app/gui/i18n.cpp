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

bool installLanguage(const QString& code) {
    QCoreApplication::removeTranslator(&appTranslator());
    QCoreApplication::removeTranslator(&qtTranslator());
    if (code != QLatin1String("zh_CN")) {
        QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
        // Removing the translators already sent LanguageChange; English is the source text.
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
