#pragma once

#include "trace/trace.h"
#include "view_settings.h"

#include <QString>

namespace tcpviz::gui {

/// Writes the sequence diagram as SVG, PNG or PDF (by the file's suffix):
/// the whole exchange, or as at `position`. Returns false with `error` naming the file.
bool exportTraceDiagram(const Trace& trace, std::size_t position, bool wholeExchange,
                        const ViewSettings& settings, const QString& path, QString& error);

/// Writes the exchange as Mermaid (`mermaid` true) or PlantUML sequence-diagram text.
bool exportTraceText(const Trace& trace, bool mermaid, const ViewSettings& settings,
                     const QString& path, QString& error);

/// `tcpviz --export OUT [--step N] FILE|ID`: renders without a window.
/// Returns the process exit code (0 written, 1 bad input) and prints messages to stderr.
int runCommandLineExport(const QString& out, const QString& input, qint64 step,
                         const ViewSettings& settings);

} // namespace tcpviz::gui
