#pragma once

#include "base/error.h"

#include <QString>
#include <string>
#include <string_view>

namespace tcpviz::gui {

/// The model speaks UTF-8 std::string; Qt speaks QString.
[[nodiscard]] inline QString qs(std::string_view text) {
    return QString::fromUtf8(text.data(), static_cast<qsizetype>(text.size()));
}

/// A model Error as the one line a message box or status bar shows.
[[nodiscard]] inline QString qs(const Error& error) {
    return qs(error.toString());
}

[[nodiscard]] inline std::string stdString(const QString& text) {
    return text.toStdString();
}

} // namespace tcpviz::gui
