#pragma once

#include "replay/trace_diff.h"
#include "sequence_diagram_renderer.h"
#include "view_settings.h"

#include <QString>
#include <QWidget>
#include <vector>

namespace tcpviz {

/// Two ladders side by side on one time axis: the original trace (a replayed
/// capture, or a lesson as written) on the left and a what-if branch of it on
/// the right, each drawn whole by its own SequenceDiagramRenderer, with what
/// differs highlighted: segments only on one side (− on the left, + on the
/// right), segments lost on one side only, states reached only on one side or
/// at another time. A legend above says how many of each.
///
/// The view draws what it is given: the app computes the TraceDiff
/// (model/replay/trace_diff.h) and names the two sides.
class TraceCompareView : public QWidget {
    Q_OBJECT
public:
    explicit TraceCompareView(QWidget* parent = nullptr);

    /// Both traces must outlive the view or be replaced first. `originalName`
    /// names the left side inside sentences ("the capture", "the scenario").
    void setTraces(const Trace* original, const Trace* branch, TraceDiff diff,
                   const QString& originalTitle, const QString& branchTitle,
                   const QString& originalName);
    void clear();
    [[nodiscard]] bool hasTraces() const { return m_left.trace() != nullptr; }
    void setSettings(const ViewSettings& settings);
    /// The branch's position: a playhead across both ladders at its time.
    void setPosition(std::size_t branchPosition);
    /// Vertical zoom of both ladders relative to fitting the whole exchange
    /// (1.0); Ctrl+wheel zooms at the pointer, the wheel scrolls.
    void setZoom(double factor);
    [[nodiscard]] double zoom() const { return m_zoom; }
    void zoomIn() { setZoom(m_zoom * 1.25); }
    void zoomOut() { setZoom(m_zoom / 1.25); }

    [[nodiscard]] const TraceDiff& diff() const { return m_diff; }
    /// The legend's lines as drawn (counts of each kind of difference).
    [[nodiscard]] QStringList legendLines() const;
    /// Draws the view into any painter (tests, export).
    void render(QPainter& painter, const QRectF& rect);

    /// Where the last paint put things, for tests: the highlighted arrows
    /// (Send event indices) of each side.
    [[nodiscard]] const std::vector<std::size_t>& highlightedLeft() const { return m_markedLeft; }
    [[nodiscard]] const std::vector<std::size_t>& highlightedRight() const { return m_markedRight; }

    /// The two ladders' renderers, as last painted (what they drew, where).
    [[nodiscard]] const SequenceDiagramRenderer& leftRenderer() const { return m_left; }
    [[nodiscard]] const SequenceDiagramRenderer& rightRenderer() const { return m_right; }

    [[nodiscard]] QSize sizeHint() const override;
    [[nodiscard]] QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;

private:
    void paintHalf(QPainter& p, SequenceDiagramRenderer& r, const QRectF& rect,
                   const SequenceFrame& frame, bool left);

    SequenceDiagramRenderer m_left;
    SequenceDiagramRenderer m_right;
    ViewSettings m_settings;
    TraceDiff m_diff;
    QString m_leftTitle;
    QString m_rightTitle;
    QString m_leftName;
    std::size_t m_position = 0;
    double m_zoom = 1.0;
    double m_scrollAxis = 0.0; ///< axis value scrolled past the top (zoomed in)
    double m_fitPpa = 1.0;     ///< pixels per axis unit that fit the exchange, last paint
    double m_lanesTop = 0.0;   ///< y of the lanes' top, last paint
    std::vector<std::size_t> m_markedLeft;
    std::vector<std::size_t> m_markedRight;
};

} // namespace tcpviz
