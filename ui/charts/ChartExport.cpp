#include "charts/ChartExport.h"

#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QMessageBox>
#include <QSvgGenerator>
#include <qcustomplot.h>

namespace ts::ui {

namespace {
// Exported chart size in pixels (PNG) or points (PDF, SVG) when the plot is not shown.
constexpr int kExportWidth = 900;
constexpr int kExportHeight = 500;
// Below this width or height the plot is taken as not laid out yet.
constexpr int kMinShownSize = 100;
// Pixel ratio of PNG exports: sharp on high-density screens and in print.
constexpr double kPngScale = 2.0;
} // namespace

bool ChartExport::exportTo(QCustomPlot *plot, const QString &path, QString *error)
{
    const QString suffix = QFileInfo(path).suffix().toLower();
    const int width = plot->width() > kMinShownSize ? plot->width() : kExportWidth;
    const int height = plot->height() > kMinShownSize ? plot->height() : kExportHeight;
    bool ok = false;
    if (suffix == QLatin1String("png")) {
        ok = plot->savePng(path, width, height, kPngScale);
    } else if (suffix == QLatin1String("pdf")) {
        ok = plot->savePdf(path, width, height);
    } else if (suffix == QLatin1String("svg")) {
        ok = exportSvg(plot, path, width, height);
    } else {
        if (error)
            *error = tr("%1: unknown chart format '%2' (use .png, .pdf or .svg)").arg(path, suffix);
        return false;
    }
    if (!ok && error)
        *error = tr("%1: cannot write the chart").arg(path);
    return ok;
}

bool ChartExport::exportSvg(QCustomPlot *plot, const QString &path, int width, int height)
{
    QSvgGenerator generator;
    generator.setFileName(path);
    generator.setSize(QSize(width, height));
    generator.setViewBox(QRect(0, 0, width, height));
    generator.setTitle(plot->objectName());
    QCPPainter painter;
    if (!painter.begin(&generator))
        return false;
    plot->toPainter(&painter, width, height);
    painter.end();
    return QFileInfo(path).size() > 0;
}

QString ChartExport::exportDialog(QCustomPlot *plot, const QString &baseName, QWidget *parent)
{
    const QString suggested = QDir::home().filePath(baseName + QStringLiteral(".png"));
    QString filter;
    QString path = QFileDialog::getSaveFileName(parent, tr("Export Chart"), suggested,
                                                tr("PNG image (*.png);;PDF document (*.pdf);;SVG drawing (*.svg)"),
                                                &filter);
    if (path.isEmpty())
        return QString();
    if (QFileInfo(path).suffix().isEmpty()) // the suffix of the chosen filter, "(*.pdf)" -> ".pdf"
        path += filter.mid(filter.lastIndexOf(QLatin1Char('*')) + 1).chopped(1);
    QString error;
    if (!exportTo(plot, path, &error)) {
        QMessageBox::critical(parent, tr("Cannot export the chart"), error);
        return QString();
    }
    return path;
}

} // namespace ts::ui
