#pragma once

#include <QString>

namespace tcpviz::gui {

/// Installs the interface language ("en" or "zh_CN"): tcpviz's own catalogue
/// (embedded under :/i18n) and Qt's standard dialogs' one when the system has it.
/// Widgets receive QEvent::LanguageChange and retranslate live.
/// Returns false when the catalogue is missing (the interface stays English).
bool installLanguage(const QString& code);

} // namespace tcpviz::gui
