#pragma once

#include <QColor>
#include <QIcon>
#include <cstdint>

namespace tcpviz::gui {

enum class MediaIcon : std::uint8_t { Play, Pause, StepBack, StepForward, ToStart, ToEnd };

/// A player icon drawn in `color` (the palette's text colour), so that it stays
/// legible on the dark palette and in presentation mode, where the style's
/// pixmaps are black. The disabled state is the same shape, faded.
[[nodiscard]] QIcon mediaIcon(MediaIcon kind, const QColor& color);

} // namespace tcpviz::gui
