#pragma once

#include "view_settings.h"

#include <QString>
#include <QStringList>

namespace tcpviz::gui {

/// The user's choices that outlive a session, kept in QSettings
/// (~/.config/tcpviz/tcpviz.conf). Only the app layer reads and writes them;
/// the views get a ViewSettings value.
struct AppSettings {
    ViewSettings view;
    QString languageCode = QStringLiteral("en"); ///< "en" or "zh_CN"
    QStringList recentFiles;                     ///< most recent first
    double speed = 1.0;
    /// The sequence diagram shows the rest of the exchange faintly ahead of the playhead.
    bool showFuture = false;
    /// The last live capture's choices, shown first by the next one's dialog.
    QString liveInterface = QStringLiteral("lo");
    QString liveFilter = QStringLiteral("tcp");
    bool liveIcmpErrors = true;
    bool liveCheckChecksums = false;

    static constexpr int kMaxRecent = 10;

    [[nodiscard]] static AppSettings load();
    void save() const;
    /// Moves `path` to the front of the recent-files list.
    void addRecent(const QString& path);
};

/// "zh_CN" when the system locale is Chinese, otherwise "en"; the first start's default.
[[nodiscard]] QString systemLanguageCode();

} // namespace tcpviz::gui
