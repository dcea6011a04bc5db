#include "charts/MetricChart.h"

#include "charts/ChartStyle.h"

#include <QEvent>
#include <QFileInfo>
#include <QSvgGenerator>
#include <QHelpEvent>
#include <QMouseEvent>
#include <QTimer>
#include <QToolTip>
#include <QVBoxLayout>
#include <qcustomplot.h>

#include <algorithm>

namespace ts::ui {

namespace {
// Exported chart size in pixels (PNG) or points (PDF, SVG) when the widget is not shown.
constexpr int kExportWidth = 900;
constexpr int kExportHeight = 500;
constexpr int kMinimumWidth = 200; // pixels; narrower, the legend's entries are cut
// More curves than this and the legend (two entries a row under the axes) would take the chart's
// height: it says how many there are instead, and a curve names itself under the mouse.
constexpr int kMaxLegendEntries = 12;
constexpr int kLegendColumns = 2; // entries side by side under the axes, when they fit
} // namespace

MetricChart::MetricChart(const QString &title, const QString &valueLabel, QWidget *parent)
    : QWidget(parent), m_plot(new QCustomPlot(this)), m_replotTimer(new QTimer(this))
{
    setObjectName(title);
    m_plot->plotLayout()->insertRow(0);
    auto *titleElement = new QCPTextElement(m_plot, title, QFont(font().family(), font().pointSize() + 1, QFont::Bold));
    m_plot->plotLayout()->addElement(0, 0, titleElement);
    m_plot->xAxis->setLabel(tr("step"));
    m_plot->yAxis->setLabel(valueLabel);
    ChartStyle::placeLegendBelow(m_plot, kLegendColumns);
    m_emptyNote = new QCPItemText(m_plot);
    m_emptyNote->position->setType(QCPItemPosition::ptAxisRectRatio);
    m_emptyNote->position->setCoords(0.5, 0.5);
    m_emptyNote->setPositionAlignment(Qt::AlignCenter);
    m_emptyNote->setClipToAxisRect(false);
    m_emptyNote->setVisible(false);
    m_plot->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    m_plot->setNoAntialiasingOnDrag(true);
    // Curves as separate segments: Qt strokes a 2-pixel polyline of thousands of noisy points as
    // one self-intersecting path, which costs about a second per redraw at 10 k points.
    m_plot->setPlottingHint(QCP::phFastPolylines, true);
    // An explicit minimum: QCustomPlot's own hint is as wide as its legend's entries side by side,
    // which made every run tab widen the window's central area and squeeze the project panel.
    m_plot->setMinimumSize(kMinimumWidth, 180);
    m_plot->setToolTip(tr("Drag to move, scroll to zoom, double-click to fit the whole curves"));
    // A drag or a zoom leaves the axes where the user put them; a double-click follows the data again.
    connect(m_plot, &QCustomPlot::mouseMove, this, [this](QMouseEvent *event) {
        if (event->buttons() != Qt::NoButton)
            m_follow = false;
    });
    m_plot->installEventFilter(this);
    connect(m_plot, &QCustomPlot::mouseWheel, this, [this] { m_follow = false; });
    connect(m_plot, &QCustomPlot::mouseDoubleClick, this, [this] {
        m_follow = true;
        replotNow();
    });

    m_replotTimer->setSingleShot(true);
    m_replotTimer->setInterval(kReplotIntervalMs);
    connect(m_replotTimer, &QTimer::timeout, this, &MetricChart::replotNow);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_plot);
    applyPalette();
}

void MetricChart::addCurve(const QString &key, const QString &legend, const QColor &color, Qt::PenStyle style)
{
    if (m_curves.contains(key))
        return;
    QCPGraph *graph = m_plot->addGraph();
    graph->setName(legend);
    graph->removeFromLegend(); // listed once it has points (ChartStyle::listPlottablesWithData)
    graph->setPen(QPen(color.isValid() ? color : palette().color(QPalette::Text), 2.0, style));
    graph->setAdaptiveSampling(true);
    if (!color.isValid())
        m_foregroundCurves.append(graph);
    m_curves.insert(key, graph);
}

void MetricChart::setCurveLegend(const QString &key, const QString &legend)
{
    if (QCPGraph *graph = m_curves.value(key)) {
        graph->setName(legend);
        scheduleReplot();
    }
}

QString MetricChart::curveLegend(const QString &key) const
{
    const QCPGraph *graph = m_curves.value(key);
    return graph ? graph->name() : QString();
}

void MetricChart::showAsMarkers(const QString &key)
{
    QCPGraph *graph = m_curves.value(key);
    if (!graph || m_markerCurves.contains(graph))
        return;
    graph->setLineStyle(QCPGraph::lsNone);
    graph->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, graph->pen().color(), 9));
    m_markerCurves.append(graph);
}

void MetricChart::labelMarker(QCPGraph *graph, double step, double value)
{
    auto *label = new QCPItemText(m_plot);
    label->position->setType(QCPItemPosition::ptPlotCoords);
    label->position->setCoords(step, value);
    label->setText(QString::number(value, 'f', 3));
    label->setColor(graph->pen().color());
    label->setFont(QFont(font().family(), font().pointSize(), QFont::Bold));
    m_markerLabels.append(label);
}

void MetricChart::placeMarkerLabels() const
{
    // Left of a final test result at the right end; right of a value at the start (a zero-shot
    // run's one evaluation), where the left of it is the axis.
    const double middle = m_plot->xAxis->range().center();
    for (QCPItemText *label : m_markerLabels) {
        const bool toTheRight = label->position->coords().x() < middle;
        label->setPositionAlignment((toTheRight ? Qt::AlignLeft : Qt::AlignRight) | Qt::AlignBottom);
        label->setPadding(toTheRight ? QMargins(6, 0, 0, 4) : QMargins(0, 0, 6, 4));
    }
}

void MetricChart::shadeBetween(const QString &upper, const QString &lower, const QColor &color)
{
    QCPGraph *a = m_curves.value(upper);
    QCPGraph *b = m_curves.value(lower);
    if (!a || !b)
        return;
    QColor fill = color;
    fill.setAlpha(ChartStyle::fillAlpha(palette()));
    a->setBrush(fill);
    a->setChannelFillGraph(b);
    m_shades.insert(a, color);
}

void MetricChart::appendPoint(const QString &key, double step, double value)
{
    QCPGraph *graph = m_curves.value(key);
    if (!graph)
        return;
    graph->addData(step, value);
    if (m_markerCurves.contains(graph))
        labelMarker(graph, step, value);
    scheduleReplot();
}

void MetricChart::appendPoints(const QString &key, const QVector<double> &steps, const QVector<double> &values)
{
    QCPGraph *graph = m_curves.value(key);
    if (!graph || steps.isEmpty())
        return;
    graph->addData(steps, values, true);
    if (m_markerCurves.contains(graph)) {
        for (int i = 0; i < steps.size(); ++i)
            labelMarker(graph, steps[i], values[i]);
    }
    scheduleReplot();
}

int MetricChart::pointCount(const QString &key) const
{
    const QCPGraph *graph = m_curves.value(key);
    return graph ? graph->dataCount() : 0;
}

bool MetricChart::hasPoints() const
{
    return std::any_of(m_curves.begin(), m_curves.end(), [](const QCPGraph *graph) { return graph->dataCount() > 0; });
}

void MetricChart::clearPoints()
{
    for (QCPGraph *graph : std::as_const(m_curves))
        graph->data()->clear();
    for (QCPItemText *label : std::as_const(m_markerLabels))
        m_plot->removeItem(label);
    m_markerLabels.clear();
    scheduleReplot();
}

void MetricChart::scheduleReplot()
{
    if (!m_replotTimer->isActive())
        m_replotTimer->start();
}

void MetricChart::replotNow()
{
    prepareDrawing(m_plot->width());
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

void MetricChart::prepareDrawing(int width) const
{
    if (m_follow)
        fitAxes();
    placeMarkerLabels();
    ChartStyle::listPlottablesWithData(m_plot, kMaxLegendEntries);
    ChartStyle::showLegendBelow(m_plot, m_legendShown && m_plot->legend->visible());
    ChartStyle::fitLegendColumns(m_plot, width, kLegendColumns);
    m_emptyNote->setVisible(!hasPoints() && !m_emptyNote->text().isEmpty());
}

void MetricChart::setEmptyText(const QString &text)
{
    m_emptyNote->setText(text);
    scheduleReplot();
}

void MetricChart::setLegendShown(bool shown)
{
    m_legendShown = shown;
    scheduleReplot();
}

void MetricChart::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    scheduleReplot(); // the legend's entries may now fit side by side, or no longer
}

bool MetricChart::eventFilter(QObject *watched, QEvent *event)
{
    if (watched != m_plot || event->type() != QEvent::ToolTip)
        return QWidget::eventFilter(watched, event);
    const auto *help = static_cast<QHelpEvent *>(event);
    const QCPAbstractPlottable *curve = m_plot->plottableAt(help->pos());
    if (!curve || curve->name().isEmpty())
        return false; // the chart's own tooltip
    // Shown while the mouse stays within a few pixels of where it rests.
    QToolTip::showText(help->globalPos(), curve->name(), m_plot, QRect(help->pos() - QPoint(4, 4), QSize(8, 8)));
    return true;
}

void MetricChart::fitAxes() const
{
    // QCustomPlot's rescaleAxes keeps the old range for a curve of one point or of equal values,
    // which can leave a curve outside the view: the ranges are computed here from every point.
    bool any = false;
    QCPRange x;
    QCPRange y;
    for (QCPGraph *graph : std::as_const(m_curves)) {
        bool found = false;
        const QCPRange keys = graph->getKeyRange(found);
        if (!found)
            continue;
        const QCPRange values = graph->getValueRange(found);
        if (!found)
            continue;
        x = any ? QCPRange(std::min(x.lower, keys.lower), std::max(x.upper, keys.upper)) : keys;
        y = any ? QCPRange(std::min(y.lower, values.lower), std::max(y.upper, values.upper)) : values;
        any = true;
    }
    if (!any)
        return;
    // A margin of 5% of the span (or of the value, for a flat curve) keeps markers and lines off the frame.
    const double ySpan = y.size() > 0 ? y.size() : std::max(std::abs(y.center()) * 0.1, 1e-3);
    const double xSpan = x.size() > 0 ? x.size() : 2.0;
    m_plot->xAxis->setRange(x.lower - 0.05 * xSpan, x.upper + 0.05 * xSpan);
    m_plot->yAxis->setRange(y.lower - 0.08 * ySpan, y.upper + 0.12 * ySpan);
}

void MetricChart::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::PaletteChange)
        applyPalette();
    QWidget::changeEvent(event);
}

bool MetricChart::event(QEvent *event)
{
    // Qt 6.4 has no public event for a window moving to a screen of another pixel density;
    // QCustomPlot keeps the ratio it was created with, which blurs the chart on a HiDPI screen.
    if (event->type() == QEvent::ScreenChangeInternal || event->type() == QEvent::Show)
        syncPixelRatio();
    return QWidget::event(event);
}

void MetricChart::syncPixelRatio()
{
    if (!qFuzzyCompare(m_plot->bufferDevicePixelRatio(), devicePixelRatioF())) {
        m_plot->setBufferDevicePixelRatio(devicePixelRatioF());
        m_plot->replot(QCustomPlot::rpQueuedReplot);
    }
}

void MetricChart::applyPalette()
{
    const QPalette &p = palette();
    ChartStyle::apply(m_plot, p);
    m_emptyNote->setColor(p.color(QPalette::PlaceholderText));
    for (QCPGraph *graph : std::as_const(m_foregroundCurves)) {
        QPen pen = graph->pen();
        pen.setColor(p.color(QPalette::Text));
        graph->setPen(pen);
    }
    for (auto it = m_shades.cbegin(); it != m_shades.cend(); ++it) {
        QColor fill = it.value();
        fill.setAlpha(ChartStyle::fillAlpha(p));
        it.key()->setBrush(fill);
    }
}

bool MetricChart::exportTo(const QString &path, QString *error) const
{
    const QString suffix = QFileInfo(path).suffix().toLower();
    // A chart on screen is written at its size; one never shown (a report) at the export size.
    const int width = m_plot->isVisible() ? m_plot->width() : kExportWidth;
    const int height = m_plot->isVisible() ? m_plot->height() : kExportHeight;
    prepareDrawing(width);
    bool ok = false;
    if (suffix == QLatin1String("png"))
        ok = m_plot->savePng(path, width, height, 2.0);
    else if (suffix == QLatin1String("pdf"))
        ok = m_plot->savePdf(path, width, height);
    else if (suffix == QLatin1String("svg"))
        ok = exportSvg(path);
    else {
        if (error)
            *error = tr("%1: unknown chart format '%2' (use .png, .pdf or .svg)").arg(path, suffix);
        return false;
    }
    if (!ok && error)
        *error = tr("%1: cannot write the chart").arg(path);
    return ok;
}

bool MetricChart::exportSvg(const QString &path) const
{
    const int width = m_plot->isVisible() ? m_plot->width() : kExportWidth;
    const int height = m_plot->isVisible() ? m_plot->height() : kExportHeight;
    QSvgGenerator generator;
    generator.setFileName(path);
    generator.setSize(QSize(width, height));
    generator.setViewBox(QRect(0, 0, width, height));
    generator.setTitle(objectName());
    QCPPainter painter;
    if (!painter.begin(&generator))
        return false;
    m_plot->toPainter(&painter, width, height);
    painter.end();
    return QFileInfo(path).size() > 0;
}

} // namespace ts::ui
