#pragma once

#include <QCoreApplication>
#include <QString>

class QCustomPlot;
class QWidget;

namespace ts::ui {

/// Writes a bare QCustomPlot to PNG, PDF or SVG, as MetricChart does for its own plot.
class ChartExport
{
    Q_DECLARE_TR_FUNCTIONS(ChartExport)

public:
    /// Writes `plot` to `path`, the format chosen by the file's suffix (png, pdf, svg). False with
    /// `error` set when the suffix is unknown or the file cannot be written.
    static bool exportTo(QCustomPlot *plot, const QString &path, QString *error = nullptr);

    /// Asks where to save `plot` (suggesting `baseName`.png) and writes it there; a failure is
    /// shown in a message box. Returns the path written, or an empty string.
    static QString exportDialog(QCustomPlot *plot, const QString &baseName, QWidget *parent);

private:
    static bool exportSvg(QCustomPlot *plot, const QString &path, int width, int height);
};

} // namespace ts::ui
