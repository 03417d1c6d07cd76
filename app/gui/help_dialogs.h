#pragma once

#include "view_settings.h"

class QDialog;
class QWidget;

namespace tcpviz::gui {

/// The Help menu's windows. Each is a non-modal dialog owned by `parent`
/// (deleted on close), so that a lecturer can keep it beside the lesson.

/// Every key of the window, with what it does.
QDialog* makeKeysDialog(QWidget* parent);
/// resources/scenarios/README.md, the guide to writing scenario files.
QDialog* makeScenarioGuideDialog(QWidget* parent);
/// "What do the colours mean?": the state colours, the arrow styles (lost,
/// retransmitted, duplicate, injected) and the C/S badges, drawn with the
/// colours the views use for `settings`.
QDialog* makeLegendDialog(QWidget* parent, const ViewSettings& settings);

} // namespace tcpviz::gui
