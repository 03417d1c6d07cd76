#pragma once

#include "trace/trace.h"
#include "view_settings.h"

#include <QSize>
#include <QString>

namespace tcpviz::gui {

/// Writes the sequence diagram as SVG, PNG or PDF (by the file's suffix):
/// the whole exchange, or as at `position`. Returns false with `error` naming the file.
bool exportTraceDiagram(const Trace& trace, std::size_t position, bool wholeExchange,
                        const ViewSettings& settings, const QString& path, QString& error);

/// Writes the exchange as Mermaid (`mermaid` true) or PlantUML sequence-diagram text.
bool exportTraceText(const Trace& trace, bool mermaid, const ViewSettings& settings,
                     const QString& path, QString& error);

/// What `tcpviz --export` was asked to draw.
struct CommandLineExport {
    QString out;            ///< the file to write; its suffix picks the format
    QString input;          ///< a scenario file or id, or a capture file
    qint64 step = -1;       ///< --step N: as at step N; -1 the whole exchange
    bool graph = false;     ///< --graph: the state graph instead of the ladder
    QSize slideSize;        ///< --size WxH: a slide of exactly that size; empty: compact
    qint64 connection = -1; ///< --connection N (1-based) of a capture; -1 not given
    /// --compare SCENARIO: compare mode, the input's ladder on the left and this
    /// scenario's (a what-if: the same connection edited) on the right, on one
    /// time axis with the differences highlighted. Empty: the input alone.
    QString compare;
};

/// `tcpviz --export OUT [--graph | --compare SCENARIO] [--size WxH] [--step N]
/// [--connection N] FILE|ID`:
/// renders without a window. Returns the process exit code (0 written, 1 bad
/// input) and prints messages, naming the file, to stderr.
int runCommandLineExport(const CommandLineExport& request, const ViewSettings& settings);

} // namespace tcpviz::gui
