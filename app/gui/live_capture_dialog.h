#pragma once

#include <QString>
#include <optional>

class QWidget;

namespace tcpviz::gui {

/// What the user asked to capture live.
struct LiveCaptureRequest {
    QString interface; ///< "lo", "eth0", "any"
    QString filter;    ///< BPF, empty for every packet
};

/// Asks for the interface and the filter of a live capture, and says which
/// capabilities capturing needs. nullopt when the user cancels.
[[nodiscard]] std::optional<LiveCaptureRequest> askLiveCapture(QWidget* parent);

} // namespace tcpviz::gui
