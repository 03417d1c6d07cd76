#pragma once

#include <QString>
#include <optional>

class QWidget;

namespace tcpviz::gui {

/// What the user asked to capture live.
struct LiveCaptureRequest {
    QString interface = QStringLiteral("lo"); ///< "lo", "eth0", "any"
    QString filter = QStringLiteral("tcp");   ///< BPF, empty for every packet
    bool icmpErrors = true;      ///< count ICMP errors quoting TCP (the filter widened)
    bool checkChecksums = false; ///< validate TCP checksums (off: offloaded ones)
};

/// Asks for the interface, the filter and the two options of a live capture
/// (`initial` what is shown first: the previous capture's choices), and says which
/// capabilities capturing needs. nullopt when the user cancels.
[[nodiscard]] std::optional<LiveCaptureRequest> askLiveCapture(QWidget* parent,
                                                               const LiveCaptureRequest& initial);

} // namespace tcpviz::gui
