#include "export.h"

#include "capture/capture_document.h"
#include "diagram_exporter.h"
#include "qt_text.h"
#include "replay/replay_check.h"
#include "replay/trace_diff.h"
#include "scenario_source.h"
#include "sim/simulator.h"
#include "trace_compare_view.h"

#include <QCoreApplication>
#include <QFile>
#include <QFileInfo>
#include <QImage>
#include <QPageSize>
#include <QPainter>
#include <QPdfWriter>
#include <QSvgGenerator>
#include <cstdio>
#include <optional>

namespace tcpviz::gui {

namespace {

void printError(const QString& message) {
    const QByteArray bytes = message.toLocal8Bit();
    std::fprintf(stderr, "tcpviz: %s\n", bytes.constData());
}

// Compare mode drawn into OUT (SVG, PNG or PDF by its suffix) at `size`: the
// view renders itself, as in the window.
bool writeCompare(TraceCompareView& view, QSize size, const QString& out, QString& error) {
    const QString suffix = QFileInfo(out).suffix().toLower();
    const QRectF target(QPointF(0, 0), QSizeF(size));
    const QString cannot = QCoreApplication::translate("Export", "%1: cannot write");
    view.resize(size);
    QPainter painter;
    if (suffix == QLatin1String("svg")) {
        QSvgGenerator svg;
        svg.setFileName(out);
        svg.setResolution(96); // text at the size the layout measured
        svg.setSize(size);
        svg.setViewBox(target);
        if (!painter.begin(&svg)) {
            error = cannot.arg(out);
            return false;
        }
        view.render(painter, target);
        painter.end();
    } else if (suffix == QLatin1String("png")) {
        QImage image(size, QImage::Format_ARGB32_Premultiplied);
        image.fill(Qt::white);
        painter.begin(&image);
        view.render(painter, target);
        painter.end();
        if (!image.save(out, "PNG")) {
            error = cannot.arg(out);
            return false;
        }
    } else {
        QPdfWriter pdf(out);
        pdf.setResolution(96);
        pdf.setPageSize(
            QPageSize(QSizeF(size) * 0.75, QPageSize::Point, QString(), QPageSize::ExactMatch));
        pdf.setPageMargins(QMarginsF(0, 0, 0, 0));
        pdf.setCreator(QStringLiteral("tcpviz"));
        if (!painter.begin(&pdf)) {
            error = cannot.arg(out);
            return false;
        }
        view.render(painter, QRectF(0, 0, pdf.width(), pdf.height()));
        painter.end();
    }
    if (!QFileInfo(out).exists() || QFileInfo(out).size() == 0) {
        error = cannot.arg(out);
        return false;
    }
    return true;
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

int runCommandLineExport(const CommandLineExport& request, const ViewSettings& settings) {
    const QString& out = request.out;
    const QString& input = request.input;
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
    const bool picture = suffix == QLatin1String("svg") || suffix == QLatin1String("png") ||
                         suffix == QLatin1String("pdf");
    if (!request.compare.isEmpty() && (request.graph || !picture)) {
        printError(QCoreApplication::translate(
                       "Export", "%1: --compare draws two ladders as a picture (use .svg, .png "
                                 "or .pdf; not with --graph)")
                       .arg(out));
        return 1;
    }
    if ((request.graph || request.slideSize.isValid()) && !picture) {
        printError(QCoreApplication::translate(
                       "Export", "%1: --graph and --size draw pictures (use .svg, .png or .pdf)")
                       .arg(out));
        return 1;
    }

    // A scenario is simulated; a capture gives one connection's Trace.
    Trace simulated;
    std::optional<CaptureDocument> capture;
    const Trace* trace = nullptr;
    if (isCaptureFile(input)) {
        Result<CaptureDocument> doc = CaptureDocument::open(input.toStdString(), {});
        if (!doc.has_value()) {
            printError(qs(doc.error().toString()));
            return 1;
        }
        capture.emplace(std::move(*doc));
        const std::size_t count = capture->connections().size();
        if (request.connection < 0) {
            printError(QCoreApplication::translate(
                           "Export", "%1: which connection? Add --connection N (the capture "
                                     "holds %2; N from 0 to %3, as tcpviz-cli analyze lists "
                                     "them)")
                           .arg(input)
                           .arg(count)
                           .arg(count - 1));
            return 1;
        }
        if (static_cast<std::size_t>(request.connection) >= count) {
            printError(QCoreApplication::translate(
                           "Export", "%1: no connection %2 (the capture holds %3; N from 0 to %4)")
                           .arg(input)
                           .arg(request.connection)
                           .arg(count)
                           .arg(count - 1));
            return 1;
        }
        // `tcpviz --export` draws without a window: reading the file here (its
        // packets beyond the document's keep limit) blocks no event loop.
        Result<const Trace*> got =
            capture->connectionTrace(static_cast<std::size_t>(request.connection));
        if (!got.has_value()) {
            printError(qs(got.error().toString()));
            return 1;
        }
        trace = *got;
    } else {
        if (request.connection >= 0) {
            printError(QCoreApplication::translate(
                           "Export", "%1: --connection picks a connection of a capture (.pcap, "
                                     ".pcapng); this is a scenario")
                           .arg(input));
            return 1;
        }
        const Result<Scenario> result = loadScenarioFrom(input);
        if (!result.has_value()) {
            printError(qs(result.error().toString()));
            return 1;
        }
        simulated = simulate(*result);
        trace = &simulated;
    }

    const qint64 step = request.step;
    if (step > static_cast<qint64>(trace->size())) {
        printError(
            QCoreApplication::translate("Export", "%1: --step %2 is past the end (%3 events)")
                .arg(input)
                .arg(step)
                .arg(trace->size()));
        return 1;
    }
    if (!request.compare.isEmpty()) {
        // The what-if: a scenario simulated (the same connection edited, e.g. a
        // replay without its drop fault), on the right of the input's ladder.
        const Result<Scenario> other = loadScenarioFrom(request.compare);
        if (!other.has_value()) {
            printError(qs(other.error().toString()));
            return 1;
        }
        const Trace branch = simulate(*other);
        // A captured connection is compared through the scenario that replays it,
        // as the window's compare mode does: the what-if is that scenario edited,
        // so both run on one clock and differ only where the edit made them.
        Trace replayed;
        bool exact = true;
        const Trace* original = trace;
        if (capture) {
            const auto index = static_cast<std::size_t>(request.connection);
            const Result<std::vector<DecodedPacket>> packets = capture->connectionPackets(index);
            if (!packets) {
                printError(qs(packets.error().toString()));
                return 1;
            }
            ScenarioFromCaptureOptions options;
            options.source = QFileInfo(input).fileName().toStdString();
            options.connection = static_cast<std::uint32_t>(index);
            const Result<ReplayResult> replay = bestReplay(
                *packets, capture->connections()[index].capturePoint.estimate(), options);
            if (!replay) {
                printError(qs(replay.error().toString()));
                return 1;
            }
            const Result<Scenario> parsed =
                parseScenarioText(replay->scenario.text, options.source + ".yaml");
            if (!parsed.has_value()) {
                printError(qs(parsed.error().toString()));
                return 1;
            }
            replayed = simulate(*parsed);
            exact = replay->exact();
            original = &replayed;
        }
        ViewSettings light = settings;
        light.dark = false;
        light.presentation = false;
        const QString left =
            !capture ? qs(trace->meta.title.in(light.language))
            : exact
                ? QCoreApplication::translate("Export", "As captured: %1, connection #%2")
                      .arg(QFileInfo(input).fileName())
                      .arg(request.connection)
                : QCoreApplication::translate("Export", "Replay of %1, connection #%2 (not exact)")
                      .arg(QFileInfo(input).fileName())
                      .arg(request.connection);
        const QString right = QCoreApplication::translate("Export", "What if: %1")
                                  .arg(qs(branch.meta.title.in(light.language)));
        const QString name = capture ? QCoreApplication::translate("Export", "the capture")
                                     : QCoreApplication::translate("Export", "the scenario");
        TraceCompareView view;
        view.setSettings(light);
        view.setTraces(original, &branch, diffTraces(*original, branch), left, right, name);
        view.setPosition(step < 0 ? branch.size() : static_cast<std::size_t>(step));
        QString error;
        const QSize size = request.slideSize.isValid() ? request.slideSize : view.sizeHint();
        if (!writeCompare(view, size, out, error)) {
            printError(error);
            return 1;
        }
        return 0;
    }
    const bool whole = step < 0;
    const std::size_t position = whole ? trace->size() : static_cast<std::size_t>(step);
    QString error;
    bool ok = false;
    if (picture) {
        ExportOptions options;
        options.kind = request.graph ? DiagramKind::StateGraph : DiagramKind::Sequence;
        options.wholeExchange = whole;
        options.settings = settings;
        // Exports go on slides and paper: the light palette whatever the screen uses.
        options.settings.dark = false;
        options.settings.presentation = false;
        options.slideSize = request.slideSize;
        ok = exportDiagram(*trace, position, out, options, &error);
    } else {
        ok = exportTraceDiagram(*trace, position, whole, settings, out, error);
    }
    if (!ok) {
        printError(error);
        return 1;
    }
    return 0;
}

} // namespace tcpviz::gui
