#pragma once

#include "states_chart_layout.h"
#include "view_settings.h"

#include <QCoreApplication>
#include <QString>
#include <optional>
#include <vector>

class QPainter;

namespace tcpviz {

/// What the states chart shows besides the counts.
struct StatesChartDecor {
    ViewSettings settings;
    /// The heat map's time, drawn as a cursor.
    std::optional<std::int64_t> cursorNs;
    /// The state the table is filtered by: its band is outlined.
    std::optional<State> highlight;
    /// Time 0 of the axis labels (the capture's first packet).
    std::int64_t originNs = 0;
    /// Said in the middle when no endpoint is counted at all.
    QString emptyText;
    /// Pixels at the bottom of the legend's column kept free (the widget's
    /// client/server button stands there); as given to StatesChartRenderer::layout.
    double legendFoot = 0;
};

/// Paints a StatesChartLayout: stacked areas in the state graph's colours
/// (stateFill), the scale, the time axis, a legend of the states that occur
/// and the cursor. Used by the widget, by File > Export states chart and by the
/// benchmark; knows no widget.
class StatesChartRenderer {
    Q_DECLARE_TR_FUNCTIONS(tcpviz::StatesChartRenderer)
public:
    /// Room for the labels in the view's fonts.
    [[nodiscard]] static StatesChartLayout::Margins margins(const ViewSettings& settings);
    /// The layout of a chart of `size` with these settings' margins, the right one
    /// as wide as the legend needs: one column of states, or more when they do not
    /// fit above `legendFoot` pixels kept free at the bottom.
    [[nodiscard]] static StatesChartLayout
    layout(const StateTimeline& timeline, std::int64_t startNs, std::int64_t endNs, QSizeF size,
           StatesChartSides sides, const ViewSettings& settings, double legendFoot = 0);
    /// Where each legend entry (swatch and name) stands, top down as the states
    /// are stacked (those present only), column after column.
    [[nodiscard]] static std::vector<QRectF> legendEntries(const StatesChartLayout& layout,
                                                           const ViewSettings& settings,
                                                           double legendFoot = 0);
    static void paint(QPainter& painter, const StatesChartLayout& layout,
                      const StatesChartDecor& decor);
    /// "Client ends", "Server ends" or "Endpoints" (summed).
    [[nodiscard]] static QString halfTitle(std::optional<Side> side);
};

} // namespace tcpviz
