#include "diagram_exporter.h"

#include "sequence_diagram_renderer.h"
#include "state_graph_renderer.h"
#include "text/sequence_text.h"

#include <QCoreApplication>
#include <QFile>
#include <QFileInfo>
#include <QFontMetricsF>
#include <QImage>
#include <QPageSize>
#include <QPainter>
#include <QPdfWriter>
#include <QSvgGenerator>
#include <algorithm>

namespace tcpviz {

namespace {

struct Text {
    Q_DECLARE_TR_FUNCTIONS(tcpviz)
};

/// Exports taller than this are squeezed: image viewers and PDF pages have limits.
constexpr double kMaxHeight = 30000.0;

struct SequencePlan {
    QSizeF size;
    SequenceFrame frame;
};

SequencePlan planSequence(const SequenceDiagramRenderer& r, const Trace& trace,
                          std::size_t position, const ExportOptions& options) {
    SequencePlan plan;
    const QFontMetricsF fm(viewFont(options.settings));
    const double natural = r.defaultPixelsPerAxis();
    const SequenceLayout& layout = r.layout();
    double axisEnd = layout.axisLength();
    if (!options.wholeExchange && !options.showFuture) {
        axisEnd = layout.axisOf(layout.playheadUs(trace, position, 0.0));
    }
    const double fixed = r.headerHeight() + fm.height() * 4.0;
    double ppa = natural;
    if (axisEnd * ppa + fixed > kMaxHeight) {
        ppa = (kMaxHeight - fixed) / std::max(axisEnd, 1.0);
    }
    plan.size = QSizeF(r.naturalSize().width(), fixed + std::max(axisEnd, 0.0) * ppa);
    plan.frame.position = position;
    plan.frame.wholeExchange = options.wholeExchange;
    plan.frame.showFuture = options.showFuture;
    plan.frame.pixelsPerAxis = ppa;
    plan.frame.topAxis = -fm.height() * 1.5 / ppa;
    return plan;
}

} // namespace

QSizeF exportSize(const Trace& trace, std::size_t position, const ExportOptions& options) {
    if (options.kind == DiagramKind::StateGraph) {
        const QFontMetricsF fm(viewFont(options.settings));
        return {fm.averageCharWidth() * 100.0, fm.height() * 40.0};
    }
    SequenceDiagramRenderer r;
    r.setSettings(options.settings);
    r.setTrace(&trace);
    return planSequence(r, trace, position, options).size;
}

void renderDiagram(QPainter& painter, const QRectF& target, const Trace& trace,
                   std::size_t position, const ExportOptions& options) {
    if (options.kind == DiagramKind::StateGraph) {
        StateGraphRenderer graph;
        graph.setSettings(options.settings);
        graph.setTrace(&trace);
        (void)graph.setPosition(options.wholeExchange ? trace.size() : position);
        graph.paint(painter, target);
        return;
    }
    SequenceDiagramRenderer r;
    r.setSettings(options.settings);
    r.setTrace(&trace);
    SequencePlan plan = planSequence(r, trace, position, options);
    // Fit the planned picture into the target, keeping text at its size.
    if (std::abs(target.height() - plan.size.height()) > 0.5) {
        const double axis = (plan.size.height() - r.headerHeight()) / plan.frame.pixelsPerAxis;
        plan.frame.pixelsPerAxis =
            std::max(target.height() - r.headerHeight(), 10.0) / std::max(axis, 1e-9);
        plan.frame.topAxis =
            -QFontMetricsF(viewFont(options.settings)).height() * 1.5 / plan.frame.pixelsPerAxis;
    }
    r.paint(painter, target, plan.frame);
}

bool exportDiagram(const Trace& trace, std::size_t position, const QString& path,
                   const ExportOptions& options, QString* error) {
    const auto fail = [&](const QString& message) {
        if (error != nullptr) {
            *error = message;
        }
        return false;
    };
    const QString suffix = QFileInfo(path).suffix().toLower();
    const std::size_t pos = std::min(position, trace.size());

    if (suffix == QLatin1String("mmd") || suffix == QLatin1String("mermaid") ||
        suffix == QLatin1String("puml") || suffix == QLatin1String("plantuml")) {
        SequenceTextOptions textOptions;
        textOptions.relativeNumbers = options.settings.relativeNumbers;
        textOptions.stateNames = options.settings.stateNames;
        textOptions.language = options.settings.language;
        const std::size_t upTo = options.wholeExchange ? trace.size() : pos;
        const std::string text = suffix.startsWith(QLatin1Char('m'))
                                     ? mermaidSequence(trace, upTo, textOptions)
                                     : plantUmlSequence(trace, upTo, textOptions);
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
            return fail(Text::tr("%1: cannot write: %2").arg(path, file.errorString()));
        }
        if (file.write(text.data(), static_cast<qint64>(text.size())) !=
            static_cast<qint64>(text.size())) {
            return fail(Text::tr("%1: write failed: %2").arg(path, file.errorString()));
        }
        return true;
    }

    const QSizeF size = exportSize(trace, pos, options);
    const QRectF target(QPointF(0, 0), size);
    if (suffix == QLatin1String("svg")) {
        QSvgGenerator svg;
        svg.setFileName(path);
        svg.setSize(size.toSize());
        svg.setViewBox(target);
        svg.setTitle(QString::fromStdString(trace.meta.title.in(options.settings.language)));
        svg.setDescription(Text::tr("TCP exchange drawn by tcpviz"));
        QPainter painter;
        if (!painter.begin(&svg)) {
            return fail(Text::tr("%1: cannot write the SVG file").arg(path));
        }
        renderDiagram(painter, target, trace, pos, options);
        painter.end();
    } else if (suffix == QLatin1String("png")) {
        const double scale = std::clamp(options.pngScale, 0.25, 4.0);
        QImage image((size * scale).toSize(), QImage::Format_ARGB32_Premultiplied);
        if (image.isNull()) {
            return fail(Text::tr("%1: the picture is too large (%2 x %3)")
                            .arg(path)
                            .arg(size.width())
                            .arg(size.height()));
        }
        image.setDevicePixelRatio(scale);
        image.fill(Qt::white);
        {
            QPainter painter(&image);
            renderDiagram(painter, target, trace, pos, options);
        }
        if (!image.save(path, "PNG")) {
            return fail(Text::tr("%1: cannot write the PNG file").arg(path));
        }
    } else if (suffix == QLatin1String("pdf")) {
        QPdfWriter pdf(path);
        pdf.setResolution(96);
        pdf.setPageSize(QPageSize(size * 0.75, QPageSize::Point, QString(), QPageSize::ExactMatch));
        pdf.setPageMargins(QMarginsF(0, 0, 0, 0));
        pdf.setTitle(QString::fromStdString(trace.meta.title.in(options.settings.language)));
        pdf.setCreator(QStringLiteral("tcpviz"));
        QPainter painter;
        if (!painter.begin(&pdf)) {
            return fail(Text::tr("%1: cannot write the PDF file").arg(path));
        }
        renderDiagram(painter, target, trace, pos, options);
        painter.end();
    } else {
        return fail(Text::tr("%1: unknown format \"%2\" (use .svg, .png, .pdf, .mmd or .puml)")
                        .arg(path, suffix));
    }
    if (!QFileInfo(path).exists() || QFileInfo(path).size() == 0) {
        return fail(Text::tr("%1: nothing was written").arg(path));
    }
    return true;
}

} // namespace tcpviz
