#pragma once

#include <QHash>
#include <QVector>
#include <QWidget>

class QCustomPlot;
class QCPGraph;
class QCPItemText;
class QTimer;

namespace ts::ui {

/// A live line chart of metric curves against training steps, built on QCustomPlot.
///
/// Points are appended with `addData` and the chart is redrawn at most once per
/// `kReplotIntervalMs` however fast points arrive; adaptive sampling keeps drawing fast at
/// 100 k points per curve. Two curves can have the area between them shaded (the transfer gap).
/// Background, axes, grid and legend follow the widget's palette (light or dark theme).
/// The axes follow the data until the user drags or zooms; a double-click fits them again.
class MetricChart : public QWidget
{
    Q_OBJECT

public:
    /// Minimum time between two redraws, in milliseconds (at most 20 frames a second).
    static constexpr int kReplotIntervalMs = 50;

    MetricChart(const QString &title, const QString &valueLabel, QWidget *parent = nullptr);

    /// Adds a curve named `key` with its legend text; does nothing when it exists. An invalid
    /// `color` (QColor()) draws the curve in the palette's text colour, following the theme.
    void addCurve(const QString &key, const QString &legend, const QColor &color,
                  Qt::PenStyle style = Qt::SolidLine);
    bool hasCurve(const QString &key) const { return m_curves.contains(key); }
    /// Changes the legend text of curve `key`.
    void setCurveLegend(const QString &key, const QString &legend);
    /// The legend text of curve `key` ("" when there is none).
    QString curveLegend(const QString &key) const;
    /// Draws curve `key` as markers, each with its value written beside it (a final test result:
    /// one point that a line would not show).
    void showAsMarkers(const QString &key);
    /// Whether the chart lists its curves under the axes (by default it does). A chart of one
    /// curve that its title names (the learning rate) keeps its height for the curve instead.
    void setLegendShown(bool shown);
    /// A line written across the axes while no curve has a point ("" for none): why the chart is
    /// empty, such as a run that took no training step.
    void setEmptyText(const QString &text);
    /// Shades the area between curves `upper` and `lower` (both must exist).
    void shadeBetween(const QString &upper, const QString &lower, const QColor &color);
    /// Appends one point (step, value) to the curve `key`; the redraw is coalesced.
    void appendPoint(const QString &key, double step, double value);
    /// Appends points to the curve `key` in one call; `steps` ascending, as long as `values`.
    void appendPoints(const QString &key, const QVector<double> &steps, const QVector<double> &values);
    /// Number of points of curve `key`.
    int pointCount(const QString &key) const;
    /// True when some curve has a point (a chart without any is not worth a file).
    bool hasPoints() const;
    /// Removes every point of every curve.
    void clearPoints();
    /// True while the axes follow the data (until the user drags or zooms).
    bool followsData() const { return m_follow; }

    /// Writes the chart to `path`: PNG, PDF or SVG by the file's suffix. False with `error` set
    /// when the suffix is unknown or the file cannot be written.
    bool exportTo(const QString &path, QString *error = nullptr) const;

    QCustomPlot *plot() const { return m_plot; }

protected:
    void changeEvent(QEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    bool event(QEvent *event) override;

private:
    void scheduleReplot();
    void replotNow();
    /// The tooltip of a curve under the mouse is its name; elsewhere the chart's own tooltip.
    bool eventFilter(QObject *watched, QEvent *event) override;
    /// Fits the axes to every point of every curve (a single point or a flat curve gets a margin).
    void fitAxes() const;
    /// What every drawing `width` pixels wide needs first: the axes fitted, the legend's entries
    /// and columns, the marker labels placed.
    void prepareDrawing(int width) const;
    /// Puts each marker's value label on the side away from the nearer vertical edge of the axes.
    void placeMarkerLabels() const;
    void labelMarker(QCPGraph *graph, double step, double value);
    void applyPalette();
    void syncPixelRatio();
    bool exportSvg(const QString &path) const;

    QCustomPlot *m_plot = nullptr;
    QTimer *m_replotTimer = nullptr;
    QHash<QString, QCPGraph *> m_curves;
    QList<QCPGraph *> m_foregroundCurves; // drawn in the palette's text colour
    QHash<QCPGraph *, QColor> m_shades;   // graph -> the colour of the area it shades
    QList<QCPGraph *> m_markerCurves;     // drawn as labelled markers
    QList<QCPItemText *> m_markerLabels;  // their values, owned by the plot
    QCPItemText *m_emptyNote = nullptr;   // setEmptyText's line, owned by the plot
    bool m_follow = true;
    bool m_legendShown = true;
};

} // namespace ts::ui
