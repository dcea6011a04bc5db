#pragma once

#include <QHash>
#include <QWidget>

class QCustomPlot;
class QCPGraph;
class QTimer;

namespace ts::ui {

/// A live line chart of metric curves against training steps, built on QCustomPlot.
///
/// Points are appended with `addData` and the chart is redrawn at most `kReplotIntervalMs`
/// apart however fast points arrive; adaptive sampling keeps drawing fast at 100 k points
/// per curve. Two curves can have the area between them shaded (the transfer gap).
class MetricChart : public QWidget
{
    Q_OBJECT

public:
    /// Minimum time between two redraws, in milliseconds (about 10 frames a second).
    static constexpr int kReplotIntervalMs = 100;

    MetricChart(const QString &title, const QString &valueLabel, QWidget *parent = nullptr);

    /// Adds a curve named `key` with its legend text; does nothing when it exists.
    void addCurve(const QString &key, const QString &legend, const QColor &color,
                  Qt::PenStyle style = Qt::SolidLine);
    bool hasCurve(const QString &key) const { return m_curves.contains(key); }
    /// Shades the area between curves `upper` and `lower` (both must exist).
    void shadeBetween(const QString &upper, const QString &lower, const QColor &color);
    /// Appends one point (step, value) to the curve `key`; the redraw is coalesced.
    void appendPoint(const QString &key, double step, double value);
    /// Number of points of curve `key`.
    int pointCount(const QString &key) const;
    /// Removes every point of every curve.
    void clearPoints();

    /// Writes the chart to `path`: PNG, PDF or SVG by the file's suffix. False with `error` set
    /// when the suffix is unknown or the file cannot be written.
    bool exportTo(const QString &path, QString *error = nullptr) const;

    QCustomPlot *plot() const { return m_plot; }

private:
    void scheduleReplot();
    void replotNow();
    bool exportSvg(const QString &path) const;

    QCustomPlot *m_plot = nullptr;
    QTimer *m_replotTimer = nullptr;
    QHash<QString, QCPGraph *> m_curves;
};

} // namespace ts::ui
