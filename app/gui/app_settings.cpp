#include "app_settings.h"

#include "i18n.h"

#include <QLocale>
#include <QSettings>

namespace tcpviz::gui {

QString systemLanguageCode() {
    return codeOfLanguage(QLocale::system().language() == QLocale::Chinese ? Language::Zh
                                                                           : Language::En);
}

AppSettings AppSettings::load() {
    QSettings s;
    AppSettings a;
    a.view.language =
        languageOfCode(s.value(QStringLiteral("language"), systemLanguageCode()).toString());
    a.languageCode = codeOfLanguage(a.view.language);
    a.view.relativeNumbers = s.value(QStringLiteral("view/relativeNumbers"), true).toBool();
    const QString names = s.value(QStringLiteral("view/stateNames")).toString();
    a.view.stateNames = names == QLatin1String("linux")  ? StateNameStyle::Linux
                        : names == QLatin1String("both") ? StateNameStyle::Both
                                                         : StateNameStyle::Rfc9293;
    a.view.dark = s.value(QStringLiteral("view/dark"), false).toBool();
    const QString axis = s.value(QStringLiteral("view/sequenceAxis")).toString();
    a.view.sequenceAxis = axis == QLatin1String("time")    ? SequenceAxis::Time
                          : axis == QLatin1String("steps") ? SequenceAxis::Steps
                                                           : SequenceAxis::Automatic;
    a.showFuture = s.value(QStringLiteral("view/showFuture"), false).toBool();
    a.recentFiles = s.value(QStringLiteral("recentFiles")).toStringList();
    a.speed = s.value(QStringLiteral("speed"), 1.0).toDouble();
    a.liveInterface = s.value(QStringLiteral("live/interface"), a.liveInterface).toString();
    a.liveFilter = s.value(QStringLiteral("live/filter"), a.liveFilter).toString();
    a.liveIcmpErrors = s.value(QStringLiteral("live/icmpErrors"), a.liveIcmpErrors).toBool();
    a.liveCheckChecksums =
        s.value(QStringLiteral("live/checkChecksums"), a.liveCheckChecksums).toBool();
    return a;
}

void AppSettings::save() const {
    QSettings s;
    s.setValue(QStringLiteral("language"), languageCode);
    s.setValue(QStringLiteral("view/relativeNumbers"), view.relativeNumbers);
    s.setValue(QStringLiteral("view/stateNames"),
               view.stateNames == StateNameStyle::Linux  ? QStringLiteral("linux")
               : view.stateNames == StateNameStyle::Both ? QStringLiteral("both")
                                                         : QStringLiteral("rfc9293"));
    s.setValue(QStringLiteral("view/dark"), view.dark);
    s.setValue(QStringLiteral("view/sequenceAxis"),
               view.sequenceAxis == SequenceAxis::Time    ? QStringLiteral("time")
               : view.sequenceAxis == SequenceAxis::Steps ? QStringLiteral("steps")
                                                          : QStringLiteral("automatic"));
    s.setValue(QStringLiteral("view/showFuture"), showFuture);
    s.setValue(QStringLiteral("recentFiles"), recentFiles);
    s.setValue(QStringLiteral("speed"), speed);
    s.setValue(QStringLiteral("live/interface"), liveInterface);
    s.setValue(QStringLiteral("live/filter"), liveFilter);
    s.setValue(QStringLiteral("live/icmpErrors"), liveIcmpErrors);
    s.setValue(QStringLiteral("live/checkChecksums"), liveCheckChecksums);
}

void AppSettings::addRecent(const QString& path) {
    recentFiles.removeAll(path);
    recentFiles.prepend(path);
    while (recentFiles.size() > kMaxRecent) {
        recentFiles.removeLast();
    }
}

} // namespace tcpviz::gui
