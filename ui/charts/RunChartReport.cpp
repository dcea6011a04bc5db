#include "charts/RunChartReport.h"

#include "charts/MetricChart.h"
#include "project/MetricSeries.h"
#include "project/Project.h"
#include "project/RunStore.h"
#include "project/RunVocabulary.h"
#include "runs/RunMonitor.h"

#include <QDir>

namespace ts::ui {

namespace {

// Export size of the overlay chart, in pixels.
constexpr int kOverlayWidth = 900;
constexpr int kOverlayHeight = 500;

// Distinct colours for up to eight overlaid runs (then they repeat).
const QColor kPalette[] = {QColor(0x1f, 0x77, 0xb4), QColor(0xff, 0x7f, 0x0e), QColor(0x2c, 0xa0, 0x2c),
                           QColor(0xd6, 0x27, 0x28), QColor(0x94, 0x67, 0xbd), QColor(0x8c, 0x56, 0x4b),
                           QColor(0xe3, 0x77, 0xc2), QColor(0x7f, 0x7f, 0x7f)};

} // namespace

Result<QStringList> RunChartReport::write(const QString &projectPath, const QList<qint64> &runIds,
                                          const QString &folder, const QString &format)
{
    using R = Result<QStringList>;
    auto project = Project::open(projectPath, Project::Access::ReadOnly);
    if (!project)
        return R::failure(project.error());
    RunStore store(project.value()->database());
    QList<RunRecord> runs;
    if (runIds.isEmpty()) {
        const auto all = store.list();
        if (!all)
            return R::failure(all.error());
        for (const RunRecord &run : all.value()) {
            if (run.status == RunRecord::Status::Finished)
                runs.append(run);
        }
    } else {
        for (qint64 id : runIds) {
            const auto run = store.load(id);
            if (!run)
                return R::failure(run.error());
            runs.append(run.value());
        }
    }
    if (!QDir().mkpath(folder))
        return R::failure(QStringLiteral("cannot create %1").arg(folder));

    QStringList written;
    MetricChart overlay(QObject::tr("Target validation accuracy by run (steps from the start of fine-tuning)"),
                        QObject::tr("accuracy"));
    overlay.resize(kOverlayWidth, kOverlayHeight);
    int overlaid = 0;
    for (const RunRecord &run : std::as_const(runs)) {
        const auto points = store.metrics(run.id);
        if (!points)
            return R::failure(points.error());
        RunMonitor monitor;
        monitor.resize(1200, 800);
        monitor.setRun(run);
        monitor.appendMetrics(points.value());
        QString error;
        const QStringList files = monitor.exportCharts(folder, format, &error);
        if (!error.isEmpty())
            return R::failure(error);
        written << files;

        const QString key = QString::number(run.id);
        const qint64 offset = MetricSeries::fineTuningStart(points.value());
        bool added = false;
        for (const MetricPoint &p : points.value()) {
            if (p.split != Splits::kTargetValidation || p.metric != Metrics::kAccuracy)
                continue;
            if (!added) {
                overlay.addCurve(key, QStringLiteral("run %1 · %2").arg(run.id).arg(run.strategy),
                                 kPalette[overlaid % int(std::size(kPalette))]);
                added = true;
            }
            overlay.appendPoint(key, double(p.step - offset), p.value);
        }
        overlaid += added ? 1 : 0;
    }
    if (overlaid > 0) {
        const QString path = QDir(folder).filePath(QStringLiteral("target-accuracy-by-run.%1").arg(format));
        QString error;
        if (!overlay.exportTo(path, &error))
            return R::failure(error);
        written << path;
    }
    return written;
}

} // namespace ts::ui
