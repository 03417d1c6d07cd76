#pragma once

#include "text/localized.h"

#include <QString>

namespace tcpviz::gui {

/// The one place a language code is read: "zh_CN" (also "zh", "zh_TW"…) is
/// Chinese, anything else English. Codes are stored as "zh_CN" or "en".
[[nodiscard]] Language languageOfCode(const QString& code);
[[nodiscard]] QString codeOfLanguage(Language language);

/// Installs the interface language ("en" or "zh_CN"): tcpviz's own catalogue
/// (embedded under :/i18n) and Qt's standard dialogs' one when the system has it.
/// Widgets receive QEvent::LanguageChange and retranslate live.
/// Returns false when the catalogue is missing (the interface stays English).
bool installLanguage(const QString& code);

} // namespace tcpviz::gui
