#pragma once

#include "trace/trace.h"
#include "view_settings.h"

#include <QRectF>
#include <QSize>
#include <QSizeF>
#include <QString>
#include <functional>

class QPainter;

namespace tcpviz {

class SequenceDiagramRenderer;

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
    /// Pixels per logical pixel of PNG output (2 gives crisp slides). Not used for slides.
    double pngScale = 2.0;
    /// A slide: exactly this many pixels (PNG, SVG) or points (PDF), the whole
    /// exchange fitted into it as in the window. Empty: the compact export (no
    /// more than kCompactSegmentHeight of height per segment); a PDF taller than
    /// an A4 landscape page is then paginated, the lifeline headers on every page.
    QSize slideSize;
    /// Called after each paint of the sequence diagram (each PDF page) with the
    /// renderer and the rectangle painted, in the painter's coordinates: what
    /// was drawn (arrows, labels, the lanes below the header), for tests.
    std::function<void(const SequenceDiagramRenderer&, const QRectF&)> onPainted;
};

/// Most height the compact (no slide size) export of the sequence diagram gives
/// one segment, in logical pixels (SVG user units; PNG pixels at pngScale 1).
/// On the time axis, segments microseconds apart whose labels would overlap get
/// up to twice as much.
inline constexpr double kCompactSegmentHeight = 60.0;

/// Output pixels per logical pixel of a slide: a slide larger than 1024x576 draws
/// the picture of 1024x576 (or wider) enlarged, so that text grows with the slide
/// and stays readable from the back of a lecture hall (1.25 at 1280x720).
[[nodiscard]] double slideScale(QSize slide);

/// Size (logical pixels) that the export of `trace` will have.
[[nodiscard]] QSizeF exportSize(const Trace& trace, std::size_t position,
                                const ExportOptions& options);

/// Paints the diagram into `target` of any painter (widgets, printers, generators).
void renderDiagram(QPainter& painter, const QRectF& target, const Trace& trace,
                   std::size_t position, const ExportOptions& options);

/// Pages of a PDF export: 1, or the A4 landscape pages of a long sequence diagram.
[[nodiscard]] int pdfPageCount(const Trace& trace, std::size_t position,
                               const ExportOptions& options);

/// Paints page `page` (0-based) of the PDF export into `target` (an A4
/// landscape page, or the whole picture when there is one page): the lifeline
/// headers, then the part of the lanes that falls on that page.
void renderPdfPage(QPainter& painter, const QRectF& target, const Trace& trace,
                   std::size_t position, const ExportOptions& options, int page);

/// Writes the diagram of `trace` at `position` to `path`, the format chosen by
/// the suffix: .svg (QSvgGenerator), .png (QImage), .pdf (QPdfWriter), and for
/// the sequence diagram as text .mmd/.mermaid (Mermaid) or .puml/.plantuml
/// (PlantUML). Returns false with a message naming the file in `error`.
/// Works without a window (QT_QPA_PLATFORM=offscreen) but needs a QApplication.
bool exportDiagram(const Trace& trace, std::size_t position, const QString& path,
                   const ExportOptions& options, QString* error = nullptr);

} // namespace tcpviz
