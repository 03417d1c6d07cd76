#pragma once

#include "trace/trace.h"
#include "view_settings.h"

#include <QRectF>
#include <QSizeF>
#include <QString>

class QPainter;

namespace tcpviz {

enum class DiagramKind : std::uint8_t {
    Sequence,   ///< the ladder diagram
    StateGraph, ///< the RFC 9293 state diagram with both endpoints lit
};

struct ExportOptions {
    DiagramKind kind = DiagramKind::Sequence;
    /// Whole exchange (every event) or "as at the current step" (events up to the position).
    bool wholeExchange = true;
    /// As at the step, also draw the events after it, faded.
    bool showFuture = false;
    ViewSettings settings;
    /// Pixels per logical pixel of PNG output (2 gives crisp slides).
    double pngScale = 2.0;
};

/// Size (logical pixels) that the export of `trace` will have.
[[nodiscard]] QSizeF exportSize(const Trace& trace, std::size_t position,
                                const ExportOptions& options);

/// Paints the diagram into `target` of any painter (widgets, printers, generators).
void renderDiagram(QPainter& painter, const QRectF& target, const Trace& trace,
                   std::size_t position, const ExportOptions& options);

/// Writes the diagram of `trace` at `position` to `path`, the format chosen by
/// the suffix: .svg (QSvgGenerator), .png (QImage), .pdf (QPdfWriter), and for
/// the sequence diagram as text .mmd/.mermaid (Mermaid) or .puml/.plantuml
/// (PlantUML). Returns false with a message naming the file in `error`.
/// Works without a window (QT_QPA_PLATFORM=offscreen) but needs a QApplication.
bool exportDiagram(const Trace& trace, std::size_t position, const QString& path,
                   const ExportOptions& options, QString* error = nullptr);

} // namespace tcpviz
