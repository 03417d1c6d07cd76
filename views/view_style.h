#pragma once

#include "trace/trace.h"
#include "view_settings.h"

#include <QColor>
#include <QFont>
#include <QPalette>
#include <QString>

namespace tcpviz {

/// The colours every view draws with, derived from ViewSettings so that a
/// widget on screen and an exported file look the same.
struct ViewColors {
    QColor background;
    QColor text;
    QColor mutedText; ///< secondary labels (times, tags)
    QColor line;      ///< lifelines, node outlines
    QColor grid;      ///< faint guides
    QColor client;    ///< Okabe-Ito blue: the client everywhere
    QColor server;    ///< Okabe-Ito orange: the server everywhere
    QColor lost;      ///< the cross of a lost segment
    QColor injected;  ///< segments that no endpoint sent (scenario `inject`)
    QColor playhead;
    QColor future; ///< events after the position when "show future" is on

    [[nodiscard]] QColor endpoint(Side side) const {
        return side == Side::Client ? client : server;
    }
};

/// Colours for the given settings: light or dark, high contrast in presentation mode.
[[nodiscard]] ViewColors viewColors(const ViewSettings& settings);
/// A QPalette built from the same colours, for widgets that paint with palette roles.
[[nodiscard]] QPalette viewPalette(const ViewSettings& settings);
/// Background tint of a state's band on the lifeline and of its node when not highlighted.
[[nodiscard]] QColor stateTint(State state, const ViewSettings& settings);
/// A state's fill in the states-over-time chart: the hue of its tint, stronger,
/// each member of a hue group (SYN-SENT/SYN-RECEIVED, ...) a shade apart.
[[nodiscard]] QColor stateFill(State state, const ViewSettings& settings);
/// Base font for a view: the application font, enlarged in presentation mode.
[[nodiscard]] QFont viewFont(const ViewSettings& settings, double relativeSize = 1.0);
/// The smallest point size a view may draw text at (0 outside presentation mode).
[[nodiscard]] double minimumPointSize(const ViewSettings& settings);
/// Line width multiplier: thicker strokes in presentation mode.
[[nodiscard]] double lineScale(const ViewSettings& settings);

/// State name in the chosen style, as a QString.
[[nodiscard]] QString stateLabel(State state, const ViewSettings& settings);
/// Translation for the file-local tr() helpers of the views: looks `text` up in
/// `context` (the class lupdate files a member function's tr() under), then in
/// "tcpviz" (where it files tr() calls from free functions of the namespace).

/// Localised "client"/"server".
[[nodiscard]] QString sideLabel(Side side);

} // namespace tcpviz
