#pragma once

#include "states_chart_layout.h"
#include "states_chart_renderer.h"
#include "view_settings.h"

#include <QWidget>
#include <optional>

class QToolButton;

namespace tcpviz {

/// How many endpoints of a capture are in each state over time (stacked areas,
/// client ends above server ends), with the heat map's time as a cursor: press
/// or drag to move it, hover for the counts at that moment (what `ss -tan` on
/// each host would have listed), click a state's band to ask for the
/// connections in that state then. A thin widget over StatesChartLayout
/// (geometry, reduction per pixel column) and StatesChartRenderer (painting).
class StatesChartView : public QWidget {
    Q_OBJECT
public:
    explicit StatesChartView(QWidget* parent = nullptr);

    /// The timeline must outlive the view or be replaced first; nullptr clears
    /// the chart. [startNs, endNs] is the time axis (the whole capture, so that
    /// a filtered timeline keeps its place).
    void setTimeline(const StateTimeline* timeline, std::int64_t startNs, std::int64_t endNs);
    /// The axis' time 0 (the capture's first packet) for the labels.
    void setOrigin(std::int64_t originNs);
    void setCursorTime(std::int64_t timeNs);
    [[nodiscard]] std::int64_t cursorTime() const { return m_cursorNs; }
    void setSettings(const ViewSettings& settings);
    void setSides(StatesChartSides sides);
    [[nodiscard]] StatesChartSides sides() const { return m_sides; }
    /// Outlines a state's band (the table's state filter); nullopt: none.
    void setHighlight(std::optional<State> state);
    /// Said in the middle of an empty chart (e.g. no connection passes the filter).
    void setEmptyText(const QString& text);

    /// The layout of the chart as shown (for tests and the tooltip).
    [[nodiscard]] const StatesChartLayout& chartLayout() const;
    /// The tooltip at a point: the counts at that moment per state and side.
    [[nodiscard]] QString toolTipAt(QPointF point) const;
    /// The counts table of a moment as the tooltip shows it (HTML).
    [[nodiscard]] QString countsHtml(std::int64_t timeNs) const;
    /// Paints the chart at `size` (export: PNG, SVG).
    void render(QPainter& painter, QSizeF size) const;

    [[nodiscard]] QSize sizeHint() const override;
    [[nodiscard]] QSize minimumSizeHint() const override;

signals:
    /// The user pressed or dragged on the chart: the heat map should show this time.
    void cursorMoved(std::int64_t timeNs);
    /// The user clicked a state's band (side nullopt when the ends are summed).
    void bandClicked(std::optional<tcpviz::Side> side, tcpviz::State state, std::int64_t timeNs);
    void sidesChanged(tcpviz::StatesChartSides sides);

protected:
    void paintEvent(QPaintEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void changeEvent(QEvent* event) override;
    bool event(QEvent* event) override;

private:
    void invalidate();
    void retranslate();
    [[nodiscard]] StatesChartDecor decor() const;
    /// The room the client/server button takes under the legend.
    [[nodiscard]] double legendFoot() const;

    const StateTimeline* m_timeline = nullptr;
    std::int64_t m_startNs = 0;
    std::int64_t m_endNs = 0;
    std::int64_t m_originNs = 0;
    std::int64_t m_cursorNs = 0;
    ViewSettings m_settings;
    StatesChartSides m_sides = StatesChartSides::Apart;
    std::optional<State> m_highlight;
    QString m_emptyText;
    QToolButton* m_sidesButton = nullptr;
    mutable std::optional<StatesChartLayout> m_layout;
    std::optional<QPointF> m_pressAt;
    bool m_dragged = false;
};

} // namespace tcpviz
