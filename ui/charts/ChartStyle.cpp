#include "charts/ChartStyle.h"

#include "theme/ThemeController.h"

#include <QPalette>
#include <qcustomplot.h>

namespace ts::ui {

namespace {

constexpr int kLightFillAlpha = 50; // of 255: the transfer gap tint on a white chart
constexpr int kDarkFillAlpha = 80;  // the same tint on a dark chart needs more opacity

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
    for (int i = 0; i < plot->legend->itemCount(); ++i)
        plot->legend->item(i)->setTextColor(text);
    for (int i = 0; i < plot->plotLayout()->elementCount(); ++i) {
        if (auto *title = qobject_cast<QCPTextElement *>(plot->plotLayout()->elementAt(i)))
            title->setTextColor(text);
    }
    plot->replot(QCustomPlot::rpQueuedReplot);
}

int ChartStyle::fillAlpha(const QPalette &palette)
{
    return ThemeController::isDark(palette) ? kDarkFillAlpha : kLightFillAlpha;
}

} // namespace ts::ui
