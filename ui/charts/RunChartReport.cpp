#include "charts/RunChartReport.h"

#include "charts/ChartStyle.h"
#include "charts/MetricChart.h"
#include "project/MetricSeries.h"
#include "project/Project.h"
#include "project/RunSettingsKey.h"
#include "project/RunStore.h"
#include "project/RunVocabulary.h"
#include "runs/RunMonitor.h"

#include <QDir>
#include <QHash>

#include <algorithm>
#include <limits>

namespace ts::ui {

namespace {

// Export size of the overlay chart, in pixels.
constexpr int kOverlayWidth = 900;
constexpr int kOverlayHeight = 500;

/// One run's target validation accuracy, its steps counted from the start of fine-tuning.
struct AccuracyCurve
{
    RunRecord run;
    QVector<double> steps;
    QVector<double> values;
    int texts = 0; // the validation texts each value was measured on
};

AccuracyCurve accuracyCurve(const RunRecord &run, const MetricPoints &points)
{
    AccuracyCurve curve{run, {}, {}, 0};
    const qint64 offset = MetricSeries::fineTuningStart(points);
    for (const MetricPoint &p : points) {
        if (p.split != Splits::kTargetValidation)
            continue;
        if (p.metric == Metrics::kAccuracy) {
            curve.steps.append(double(p.step - offset));
            curve.values.append(p.value);
        } else if (p.metric == Metrics::kExamples) {
            curve.texts = int(p.value);
        }
    }
    return curve;
}

/// "run 14", "runs 5-7", "runs 2, 5-7" (ids ascending).
QString runList(const QList<qint64> &ids)
{
    QStringList parts;
    for (int i = 0; i < ids.size();) {
        int j = i;
        while (j + 1 < ids.size() && ids[j + 1] == ids[j] + 1)
            ++j;
        parts << (j == i ? QString::number(ids[i]) : QStringLiteral("%1-%2").arg(ids[i]).arg(ids[j]));
        i = j + 1;
    }
    return (ids.size() == 1 ? QObject::tr("run %1") : QObject::tr("runs %1")).arg(parts.join(QStringLiteral(", ")));
}

/// "99 texts", or "96-99 texts" when the runs measured different numbers.
QString textsLabel(const QList<AccuracyCurve> &curves)
{
    int fewest = std::numeric_limits<int>::max();
    int most = 0;
    for (const AccuracyCurve &c : curves) {
        fewest = std::min(fewest, c.texts);
        most = std::max(most, c.texts);
    }
    if (most == 0)
        return QObject::tr("texts not recorded");
    return fewest == most ? QObject::tr("%1 texts").arg(most) : QObject::tr("%1-%2 texts").arg(fewest).arg(most);
}

/// Writes the curves overlaid as `path`: the seeds of one experiment (equal RunSettingsKey) in one
/// colour under one legend entry, "dann · runs 11-13"; a run evaluated once (zero-shot) as a marker.
Status writeOverlay(const QList<AccuracyCurve> &curves, const QString &path)
{
    MetricChart overlay(QObject::tr("Target validation accuracy, %1 (steps from the start of fine-tuning)").arg(textsLabel(curves)),
                        QObject::tr("accuracy"));
    overlay.resize(kOverlayWidth, kOverlayHeight);
    QStringList experiments; // settings keys, in the order of their first run
    QHash<QString, QList<qint64>> runsOf;
    for (const AccuracyCurve &c : curves) {
        const QString key = RunSettingsKey::of(c.run);
        if (!runsOf.contains(key))
            experiments << key;
        runsOf[key].append(c.run.id);
    }
    for (const AccuracyCurve &c : curves) {
        const QString experiment = RunSettingsKey::of(c.run);
        QList<qint64> ids = runsOf.value(experiment);
        std::sort(ids.begin(), ids.end());
        const QString key = QString::number(c.run.id);
        overlay.addCurve(key, QStringLiteral("%1 · %2").arg(c.run.strategy, runList(ids)),
                         ChartStyle::seriesColor(int(experiments.indexOf(experiment))));
        if (c.steps.size() == 1)
            overlay.showAsMarkers(key);
        overlay.appendPoints(key, c.steps, c.values);
    }
    QString error;
    if (!overlay.exportTo(path, &error))
        return Status::failure(error);
    return {};
}

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
    QList<AccuracyCurve> curves;
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
        if (AccuracyCurve curve = accuracyCurve(run, points.value()); !curve.steps.isEmpty())
            curves.append(curve);
    }
    if (!curves.isEmpty()) {
        const QString path = QDir(folder).filePath(QStringLiteral("target-accuracy-by-run.%1").arg(format));
        if (const Status overlaid = writeOverlay(curves, path); !overlaid)
            return R::failure(overlaid.error());
        written << path;
    }
    return written;
}

} // namespace ts::ui
