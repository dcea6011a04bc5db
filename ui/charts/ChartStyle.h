#pragma once

class QColor;
class QCustomPlot;
class QPalette;

namespace ts::ui {

/// Colours of a QCustomPlot taken from a widget palette, so that charts follow the light or dark
/// theme: background, axes, tick labels, grid, legend and title text.
class ChartStyle
{
public:
    /// Restyles `plot` (every axis rect, its legend and its text elements) for `palette` and
    /// queues a redraw. Curves keep their own colours.
    static void apply(QCustomPlot *plot, const QPalette &palette);
    /// The opacity (0-255) of an area shaded under or between curves on `palette`'s background:
    /// stronger on a dark one, where a faint tint disappears.
    static int fillAlpha(const QPalette &palette);
    /// Moves `plot`'s legend out of the axis rect into a row under it, its entries side by side
    /// (`columns` to a row), so that it never covers curves, shaded areas or tick labels; it is
    /// shown (showLegendBelow hides it).
    static void placeLegendBelow(QCustomPlot *plot, int columns = 2);
    /// Shows or hides a legend placed below: a hidden one leaves the layout, as an invisible
    /// element still takes its row's height and, empty, narrows the axes to its own width.
    static void showLegendBelow(QCustomPlot *plot, bool shown);
    /// Lists in the legend only the plottables that have data (in the order they were added),
    /// and hides the legend when none has: an empty chart shows no blank legend. When more than
    /// `maxEntries` have (dozens of rows under the axes would crush them), the legend is one line
    /// instead, "N curves: point at one for its name". Returns how many plottables have data.
    /// Curves with the same name and colour (the seeds of one strategy) share one entry.
    static int listPlottablesWithData(QCustomPlot *plot, int maxEntries);
    /// Puts up to `maxColumns` of the legend's entries side by side under the axes, as many as
    /// fit in `width` pixels without cutting an entry's text ("target (validation, 99 texts)").
    static void fitLegendColumns(QCustomPlot *plot, int width, int maxColumns);
    /// The colour of the `index`-th of several overlaid series (ten distinct colours, then they
    /// repeat), the same in every chart so that a strategy or run keeps its colour.
    static QColor seriesColor(int index);
};

} // namespace ts::ui
