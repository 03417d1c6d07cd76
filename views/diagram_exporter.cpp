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
#include <QRegularExpression>
#include <QSvgGenerator>
#include <algorithm>
#include <cmath>

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

/// Segments the export shows: all of them, or those sent before the position.
std::size_t segmentsShown(const SequenceLayout& layout, std::size_t position,
                          const ExportOptions& options) {
    const auto& arrows = layout.arrows();
    if (options.wholeExchange || options.showFuture) {
        return arrows.size();
    }
    return static_cast<std::size_t>(
        std::count_if(arrows.begin(), arrows.end(),
                      [position](const SegmentArrow& a) { return a.sendIndex < position; }));
}

/// How many of the arrows that painting `frame` into a picture of `size` draws
/// carry their label clear of the others. Paints into a one-pixel image: the renderer lays
/// everything out and records what it drew, and the raster work is clipped away.
std::size_t labelledArrows(const SequenceDiagramRenderer& r, const SequenceFrame& frame,
                           const QSizeF& size) {
    SequenceDiagramRenderer probe;
    probe.setSettings(r.settings());
    probe.setTrace(r.trace());
    QImage pixel(1, 1, QImage::Format_ARGB32_Premultiplied);
    {
        QPainter painter(&pixel);
        probe.paint(painter, QRectF(QPointF(0, 0), size), frame);
    }
    const auto& drawn = probe.lastArrows();
    return static_cast<std::size_t>(
        std::count_if(drawn.begin(), drawn.end(),
                      [](const DrawnArrow& a) { return a.labelled && !a.labelCrowded; }));
}

/// The compact picture: the natural scale, squeezed to at most
/// kCompactSegmentHeight per segment (and kMaxHeight in all unless `paged`).
SequencePlan planSequence(const SequenceDiagramRenderer& r, const Trace& trace,
                          std::size_t position, const ExportOptions& options, bool paged) {
    SequencePlan plan;
    const QFontMetricsF fm(viewFont(options.settings));
    const double natural = r.defaultPixelsPerAxis();
    const SequenceLayout& layout = r.layout();
    double axisEnd = layout.axisLength();
    if (!options.wholeExchange && !options.showFuture) {
        axisEnd = layout.playheadAxis(trace, position, 0.0);
    }
    const double fixed = r.headerHeight() + fm.height() * 4.0;
    double ppa = natural;
    const auto segments = static_cast<double>(segmentsShown(layout, position, options));
    const double budget = kCompactSegmentHeight * segments;
    if (segments > 0 && axisEnd > 0 && fixed + axisEnd * ppa > budget) {
        // A few segments with a header taller than their budget keep three lines of lanes.
        ppa = std::min(ppa, std::max(budget - fixed, fm.height() * 3.0) / axisEnd);
    }
    plan.frame.position = position;
    plan.frame.wholeExchange = options.wholeExchange;
    plan.frame.showFuture = options.showFuture;
    plan.frame.labelEveryArrow = true;
    const auto frameAt = [&](double scale) {
        SequenceFrame f = plan.frame;
        f.pixelsPerAxis = scale;
        f.topAxis = -fm.height() * 1.5 / scale;
        return f;
    };
    const auto sizeAt = [&](double scale) {
        return QSizeF(r.naturalSize().width(), fixed + std::max(axisEnd, 0.0) * scale);
    };
    if (ppa < natural) {
        // Every label is drawn, but on the time axis arrows closer than a line
        // (a capture's segments microseconds apart) may leave a label no clear
        // spot: then up to twice the budget, the least height that keeps clear
        // the labels that height would. On an evenly spaced axis the budget does.
        const double most = std::min(natural, std::max(2.0 * budget - fixed, fm.height() * 3.0) /
                                                  std::max(axisEnd, 1e-9));
        const std::size_t goal = labelledArrows(r, frameAt(most), sizeAt(most));
        if (most > ppa && labelledArrows(r, frameAt(ppa), sizeAt(ppa)) < goal) {
            double lo = ppa;
            double hi = most;
            for (int i = 0; i < 12; ++i) {
                const double mid = (lo + hi) / 2.0;
                (labelledArrows(r, frameAt(mid), sizeAt(mid)) >= goal ? hi : lo) = mid;
            }
            ppa = hi;
        }
    }
    if (!paged && axisEnd * ppa + fixed > kMaxHeight) {
        ppa = (kMaxHeight - fixed) / std::max(axisEnd, 1.0);
    }
    plan.size = sizeAt(ppa);
    plan.frame = frameAt(ppa);
    return plan;
}

/// A slide: the whole exchange fitted into `canvas`, as the window fits it.
SequenceFrame slideFrame(const SequenceDiagramRenderer& r, std::size_t position,
                         const ExportOptions& options, const QSizeF& canvas) {
    SequenceFrame frame;
    frame.position = position;
    frame.wholeExchange = options.wholeExchange;
    frame.showFuture = options.showFuture;
    frame.labelEveryArrow = true;
    const QFontMetricsF fm(viewFont(options.settings));
    const double lanes = canvas.height() - r.headerHeight() - fm.height() * 3.0;
    frame.pixelsPerAxis = std::max(lanes, 10.0) / std::max(r.layout().axisLength(), 1.0);
    frame.topAxis = -fm.height() * 1.5 / frame.pixelsPerAxis;
    return frame;
}

bool isSlide(const ExportOptions& options) {
    return options.slideSize.isValid() && !options.slideSize.isEmpty();
}

/// How a PDF export is cut into A4 landscape pages.
struct PdfPlan {
    int pages = 1;
    bool paged = false;
    SequencePlan plan;
    double pageCanvasHeight = 0.0; ///< logical height of a page (canvas scaled to its width)
    double advance = 0.0;          ///< lanes height one page moves on (a line repeated)
};

QSizeF a4LandscapePixels() {
    // 96 dpi, the resolution the PDF writer paints at: logical pixels as on screen.
    const QSize portrait = QPageSize(QPageSize::A4).sizePixels(96);
    return {static_cast<double>(portrait.height()), static_cast<double>(portrait.width())};
}

PdfPlan planPdf(const SequenceDiagramRenderer& r, const Trace& trace, std::size_t position,
                const ExportOptions& options) {
    PdfPlan out;
    if (options.kind != DiagramKind::Sequence || isSlide(options)) {
        return out;
    }
    out.plan = planSequence(r, trace, position, options, true);
    const QSizeF page = a4LandscapePixels();
    const double scale = page.width() / out.plan.size.width();
    out.pageCanvasHeight = page.height() / scale;
    if (out.plan.size.height() <= out.pageCanvasHeight) {
        out.plan = planSequence(r, trace, position, options, false);
        return out;
    }
    const QFontMetricsF fm(viewFont(options.settings));
    const double lanesPerPage = out.pageCanvasHeight - r.headerHeight();
    out.advance = std::max(lanesPerPage - fm.height() * 1.5, fm.height());
    const double lanes = out.plan.size.height() - r.headerHeight();
    out.paged = true;
    out.pages = 1 + static_cast<int>(std::ceil(std::max(lanes - lanesPerPage, 0.0) / out.advance));
    return out;
}

/// QSvgGenerator gives the root element's size in millimetres at its own
/// resolution; a picture for slides says its size in pixels, as asked for.
bool setSvgPixelSize(const QString& path, QSize size) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        return false;
    }
    QByteArray svg = file.readAll();
    file.close();
    static const QRegularExpression root(QStringLiteral(R"(<svg width="[^"]*" height="[^"]*")"));
    const QString replacement =
        QStringLiteral(R"(<svg width="%1" height="%2")").arg(size.width()).arg(size.height());
    const QString text = QString::fromUtf8(svg);
    const QRegularExpressionMatch m = root.match(text);
    if (!m.hasMatch()) {
        return true; // a generator of another shape: leave its file alone
    }
    svg = (text.left(m.capturedStart()) + replacement + text.mid(m.capturedEnd())).toUtf8();
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
        return false;
    }
    return file.write(svg) == svg.size();
}

} // namespace

double slideScale(QSize slide) {
    if (!slide.isValid() || slide.isEmpty()) {
        return 1.0;
    }
    return std::max(1.0, std::min(slide.width() / 1024.0, slide.height() / 576.0));
}

QSizeF exportSize(const Trace& trace, std::size_t position, const ExportOptions& options) {
    if (isSlide(options)) {
        return QSizeF(options.slideSize) / slideScale(options.slideSize);
    }
    if (options.kind == DiagramKind::StateGraph) {
        const QFontMetricsF fm(viewFont(options.settings));
        return {fm.averageCharWidth() * 100.0, fm.height() * 40.0};
    }
    SequenceDiagramRenderer r;
    r.setSettings(options.settings);
    r.setTrace(&trace);
    return planSequence(r, trace, position, options, false).size;
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
    if (isSlide(options)) {
        r.paint(painter, target, slideFrame(r, position, options, target.size()));
        if (options.onPainted) {
            options.onPainted(r, target);
        }
        return;
    }
    SequencePlan plan = planSequence(r, trace, position, options, false);
    // Fit the planned picture into the target, keeping text at its size.
    if (std::abs(target.height() - plan.size.height()) > 0.5) {
        const double axis = (plan.size.height() - r.headerHeight()) / plan.frame.pixelsPerAxis;
        plan.frame.pixelsPerAxis =
            std::max(target.height() - r.headerHeight(), 10.0) / std::max(axis, 1e-9);
        plan.frame.topAxis =
            -QFontMetricsF(viewFont(options.settings)).height() * 1.5 / plan.frame.pixelsPerAxis;
    }
    r.paint(painter, target, plan.frame);
    if (options.onPainted) {
        options.onPainted(r, target);
    }
}

int pdfPageCount(const Trace& trace, std::size_t position, const ExportOptions& options) {
    if (options.kind != DiagramKind::Sequence) {
        return 1;
    }
    SequenceDiagramRenderer r;
    r.setSettings(options.settings);
    r.setTrace(&trace);
    return planPdf(r, trace, position, options).pages;
}

void renderPdfPage(QPainter& painter, const QRectF& target, const Trace& trace,
                   std::size_t position, const ExportOptions& options, int page) {
    SequenceDiagramRenderer r;
    r.setSettings(options.settings);
    r.setTrace(&trace);
    const PdfPlan pdf =
        options.kind == DiagramKind::Sequence ? planPdf(r, trace, position, options) : PdfPlan{};
    // One page: the picture scaled to the page's width (it was sized to it).
    const QSizeF canvas = pdf.paged ? QSizeF(pdf.plan.size.width(), pdf.pageCanvasHeight)
                                    : exportSize(trace, position, options);
    const double scale = target.width() / std::max(canvas.width(), 1.0);
    painter.save();
    painter.translate(target.topLeft());
    painter.scale(scale, scale);
    const QRectF rect(QPointF(0, 0), QSizeF(canvas.width(), target.height() / scale));
    if (!pdf.paged) {
        renderDiagram(painter, rect, trace, position, options);
    } else {
        // Every page starts with the lifeline headers (the renderer's sticky
        // header), then the next stretch of the lanes, one line repeated.
        SequenceFrame frame = pdf.plan.frame;
        frame.topAxis += std::clamp(page, 0, pdf.pages - 1) * pdf.advance / frame.pixelsPerAxis;
        r.paint(painter, rect, frame);
        if (options.onPainted) {
            options.onPainted(r, rect);
        }
    }
    painter.restore();
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
    // A slide is exactly the size asked for; otherwise the picture's own size.
    const QSize outSize = isSlide(options) ? options.slideSize : size.toSize();
    if (suffix == QLatin1String("svg")) {
        QSvgGenerator svg;
        svg.setFileName(path);
        // 96 dpi, as images and the PDF writer: text has the size the layout
        // measured (at the generator's default 72 dpi it came out a quarter smaller).
        svg.setResolution(96);
        svg.setSize(outSize);
        svg.setViewBox(target);
        svg.setTitle(QString::fromStdString(trace.meta.title.in(options.settings.language)));
        svg.setDescription(Text::tr("TCP exchange drawn by tcpviz"));
        QPainter painter;
        if (!painter.begin(&svg)) {
            return fail(Text::tr("%1: cannot write the SVG file").arg(path));
        }
        renderDiagram(painter, target, trace, pos, options);
        painter.end();
        if (!setSvgPixelSize(path, outSize)) {
            return fail(Text::tr("%1: cannot write the SVG file").arg(path));
        }
    } else if (suffix == QLatin1String("png")) {
        const double scale = isSlide(options) ? slideScale(options.slideSize)
                                              : std::clamp(options.pngScale, 0.25, 4.0);
        const QSize pixels = isSlide(options) ? outSize : (size * scale).toSize();
        QImage image(pixels, QImage::Format_ARGB32_Premultiplied);
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
            renderDiagram(painter, QRectF(QPointF(0, 0), QSizeF(pixels) / scale), trace, pos,
                          options);
        }
        if (!image.save(path, "PNG")) {
            return fail(Text::tr("%1: cannot write the PNG file").arg(path));
        }
    } else if (suffix == QLatin1String("pdf")) {
        QPdfWriter pdf(path);
        pdf.setResolution(96);
        const int pages = pdfPageCount(trace, pos, options);
        if (pages > 1) {
            pdf.setPageSize(QPageSize(QPageSize::A4));
            pdf.setPageOrientation(QPageLayout::Landscape);
        } else {
            // Points: a slide's size as given, the picture's at 96 dpi.
            const QSizeF points = isSlide(options) ? QSizeF(outSize) : size * 0.75;
            pdf.setPageSize(QPageSize(points, QPageSize::Point, QString(), QPageSize::ExactMatch));
        }
        pdf.setPageMargins(QMarginsF(0, 0, 0, 0));
        pdf.setTitle(QString::fromStdString(trace.meta.title.in(options.settings.language)));
        pdf.setCreator(QStringLiteral("tcpviz"));
        QPainter painter;
        if (!painter.begin(&pdf)) {
            return fail(Text::tr("%1: cannot write the PDF file").arg(path));
        }
        const QRectF page(0, 0, pdf.width(), pdf.height());
        for (int i = 0; i < pages; ++i) {
            if (i > 0) {
                pdf.newPage();
            }
            renderPdfPage(painter, page, trace, pos, options, i);
        }
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
