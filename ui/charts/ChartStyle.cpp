#include "charts/ChartStyle.h"

#include "charts/LegendNote.h"

#include "theme/ThemeController.h"

#include <QPalette>

#include <algorithm>
#include <iterator>
#include <qcustomplot.h>

namespace ts::ui {

namespace {

constexpr int kLightFillAlpha = 50; // of 255: the transfer gap tint on a white chart
constexpr int kDarkFillAlpha = 80;  // the same tint on a dark chart needs more opacity

// Matplotlib's "tab10": distinct for most colour-blind readers, readable on light and dark.
const QColor kSeriesColors[] = {{0x1f, 0x77, 0xb4}, {0xff, 0x7f, 0x0e}, {0x2c, 0xa0, 0x2c}, {0xd6, 0x27, 0x28},
                                {0x94, 0x67, 0xbd}, {0x8c, 0x56, 0x4b}, {0xe3, 0x77, 0xc2}, {0x7f, 0x7f, 0x7f},
                                {0xbc, 0xbd, 0x22}, {0x17, 0xbe, 0xcf}};

// True when `plottable` would repeat the legend entry of one in `listed`: same name, same colour.
bool sharesEntry(const QCPAbstractPlottable *plottable, const QList<QCPAbstractPlottable *> &listed)
{
    return std::any_of(listed.begin(), listed.end(), [plottable](const QCPAbstractPlottable *other) {
        return other->name() == plottable->name() && other->pen().color() == plottable->pen().color();
    });
}

void styleAxis(QCPAxis *axis, const QColor &text, const QColor &grid)
{
    const QPen line(text, 1);
    axis->setBasePen(line);
    axis->setTickPen(line);
    axis->setSubTickPen(line);
    axis->setTickLabelColor(text);
    axis->setLabelColor(text);
    axis->grid()->setPen(QPen(grid, 1, Qt::DotLine));
    axis->grid()->setSubGridPen(Qt::NoPen);
    axis->grid()->setZeroLinePen(QPen(grid, 1, Qt::SolidLine));
}

} // namespace

void ChartStyle::apply(QCustomPlot *plot, const QPalette &palette)
{
    const QColor text = palette.color(QPalette::Text);
    const QColor base = palette.color(QPalette::Base);
    // Half way between text and background: visible but quieter than the curves.
    const QColor grid = QColor::fromRgbF((text.redF() + base.redF()) / 2, (text.greenF() + base.greenF()) / 2,
                                         (text.blueF() + base.blueF()) / 2);
    plot->setBackground(base);
    for (QCPAxisRect *rect : plot->axisRects()) {
        for (QCPAxis *axis : rect->axes())
            styleAxis(axis, text, grid);
    }
    QColor legendFill = base;
    legendFill.setAlpha(220); // the curves show faintly through
    plot->legend->setBrush(legendFill);
    plot->legend->setBorderPen(QPen(grid));
    plot->legend->setTextColor(text); // for items added later
    for (int i = 0; i < plot->legend->itemCount(); ++i) {
        if (QCPAbstractLegendItem *item = plot->legend->item(i)) // a wrapped legend has empty cells
            item->setTextColor(text);
    }
    for (int i = 0; i < plot->plotLayout()->elementCount(); ++i) {
        if (auto *title = qobject_cast<QCPTextElement *>(plot->plotLayout()->elementAt(i)))
            title->setTextColor(text);
    }
    plot->replot(QCustomPlot::rpQueuedReplot);
}

void ChartStyle::placeLegendBelow(QCustomPlot *plot, int columns)
{
    QCPLegend *legend = plot->legend;
    if (legend->layout() == plot->plotLayout())
        return;
    plot->axisRect()->insetLayout()->take(legend);
    showLegendBelow(plot, true);
    plot->plotLayout()->setRowSpacing(0);
    legend->setFillOrder(QCPLayoutGrid::foColumnsFirst);
    legend->setWrap(columns);
    legend->setMargins(QMargins(4, 2, 4, 2));
    legend->setBorderPen(Qt::NoPen);
}

int ChartStyle::listPlottablesWithData(QCustomPlot *plot, int maxEntries)
{
    QList<QCPAbstractPlottable *> wanted;
    int withData = 0;
    for (int i = 0; i < plot->plottableCount(); ++i) {
        QCPAbstractPlottable *plottable = plot->plottable(i);
        if (!plottable->interface1D() || plottable->interface1D()->dataCount() == 0)
            continue;
        ++withData;
        if (!sharesEntry(plottable, wanted))
            wanted.append(plottable);
    }
    if (wanted.size() > maxEntries) {
        // A line of text, not an empty legend: one without items is as narrow as its margins,
        // and the chart's only column with it.
        plot->legend->clearItems();
        plot->legend->addItem(new LegendNote(
            plot->legend, QCoreApplication::translate("ChartStyle", "%n curves: point at one for its name", nullptr, withData)));
        plot->legend->setVisible(true);
        return withData;
    }
    QList<QCPAbstractPlottable *> listed;
    for (int i = 0; i < plot->legend->itemCount(); ++i) {
        if (auto *item = qobject_cast<QCPPlottableLegendItem *>(plot->legend->item(i)))
            listed.append(item->plottable());
    }
    if (listed != wanted) {
        plot->legend->clearItems();
        for (QCPAbstractPlottable *plottable : std::as_const(wanted))
            plottable->addToLegend();
    }
    plot->legend->setVisible(!wanted.isEmpty());
    return withData;
}

void ChartStyle::showLegendBelow(QCustomPlot *plot, bool shown)
{
    QCPLegend *legend = plot->legend;
    QCPLayoutGrid *layout = plot->plotLayout();
    const bool placed = legend->layout() == layout;
    if (shown && !placed) {
        const int row = layout->rowCount();
        layout->addElement(row, 0, legend);
        layout->setRowStretchFactor(row, 0.001); // as tall as its entries, no more
    } else if (!shown && placed) {
        layout->take(legend);
        layout->simplify(); // its emptied row goes
    }
    legend->setVisible(shown);
}

void ChartStyle::fitLegendColumns(QCustomPlot *plot, int width, int maxColumns)
{
    QCPLegend *legend = plot->legend;
    int widest = 0;
    for (int i = 0; i < legend->itemCount(); ++i) {
        if (QCPAbstractLegendItem *item = legend->item(i)) // a wrapped legend has empty cells
            widest = std::max(widest, item->minimumOuterSizeHint().width());
    }
    const int room = width - legend->margins().left() - legend->margins().right();
    int columns = std::max(1, maxColumns);
    while (columns > 1 && columns * widest + (columns - 1) * legend->columnSpacing() > room)
        --columns;
    if (legend->wrap() != columns) {
        legend->setWrap(columns);
        legend->setFillOrder(QCPLayoutGrid::foColumnsFirst, true); // moves the entries to the new rows
    }
}

QColor ChartStyle::seriesColor(int index)
{
    return kSeriesColors[index % int(std::size(kSeriesColors))];
}

int ChartStyle::fillAlpha(const QPalette &palette)
{
    return ThemeController::isDark(palette) ? kDarkFillAlpha : kLightFillAlpha;
}

} // namespace ts::ui
