#include "export.h"

#include "diagram_exporter.h"
#include "qt_text.h"
#include "scenario_source.h"
#include "sim/simulator.h"

#include <QCoreApplication>
#include <QFile>
#include <QFileInfo>
#include <cstdio>

namespace tcpviz::gui {

namespace {

void printError(const QString& message) {
    const QByteArray bytes = message.toLocal8Bit();
    std::fprintf(stderr, "tcpviz: %s\n", bytes.constData());
}

} // namespace

bool exportTraceDiagram(const Trace& trace, std::size_t position, bool wholeExchange,
                        const ViewSettings& settings, const QString& path, QString& error) {
    ExportOptions options;
    options.kind = DiagramKind::Sequence;
    options.wholeExchange = wholeExchange;
    options.settings = settings;
    // Exports go on slides and paper: the light palette whatever the screen uses.
    options.settings.dark = false;
    options.settings.presentation = false;
    return exportDiagram(trace, wholeExchange ? trace.size() : position, path, options, &error);
}

bool exportTraceText(const Trace& trace, bool mermaid, const ViewSettings& settings,
                     const QString& path, QString& error) {
    // The exporter picks Mermaid or PlantUML by suffix; keep the user's name but
    // render through a file with the right suffix when it has another one.
    const QString suffix = QFileInfo(path).suffix().toLower();
    const bool suffixOk =
        mermaid ? (suffix == QLatin1String("mmd") || suffix == QLatin1String("mermaid"))
                : (suffix == QLatin1String("puml") || suffix == QLatin1String("plantuml"));
    ExportOptions options;
    options.settings = settings;
    if (suffixOk) {
        return exportDiagram(trace, trace.size(), path, options, &error);
    }
    const QString temp = path + (mermaid ? QStringLiteral(".mmd") : QStringLiteral(".puml"));
    if (!exportDiagram(trace, trace.size(), temp, options, &error)) {
        return false;
    }
    QFile::remove(path);
    if (!QFile::rename(temp, path)) {
        QFile::remove(temp);
        error = QCoreApplication::translate("Export", "%1: cannot write").arg(path);
        return false;
    }
    return true;
}

int runCommandLineExport(const QString& out, const QString& input, qint64 step,
                         const ViewSettings& settings) {
    const QString suffix = QFileInfo(out).suffix().toLower();
    static const QStringList kFormats{QStringLiteral("svg"),     QStringLiteral("png"),
                                      QStringLiteral("pdf"),     QStringLiteral("mmd"),
                                      QStringLiteral("mermaid"), QStringLiteral("puml"),
                                      QStringLiteral("plantuml")};
    if (!kFormats.contains(suffix)) {
        printError(QCoreApplication::translate(
                       "Export", "%1: unknown export format (use .svg, .png, .pdf, .mmd or .puml)")
                       .arg(out));
        return 1;
    }
    if (isCaptureFile(input)) {
        printError(QCoreApplication::translate(
                       "Export", "%1: --export draws scenarios; open captures in the window")
                       .arg(input));
        return 1;
    }
    const Result<Scenario> result = loadScenarioFrom(input);
    if (!result.has_value()) {
        printError(qs(result.error().toString()));
        return 1;
    }
    const Trace trace = simulate(*result);
    if (step > static_cast<qint64>(trace.size())) {
        printError(
            QCoreApplication::translate("Export", "%1: --step %2 is past the end (%3 events)")
                .arg(input)
                .arg(step)
                .arg(trace.size()));
        return 1;
    }
    const bool whole = step < 0;
    const std::size_t position = whole ? trace.size() : static_cast<std::size_t>(step);
    QString error;
    if (!exportTraceDiagram(trace, position, whole, settings, out, error)) {
        printError(error);
        return 1;
    }
    return 0;
}

} // namespace tcpviz::gui
