#include "cluster/JobCollector.h"

#include "cluster/SbatchScript.h"
#include "project/Project.h"
#include "project/ProjectMerger.h"
#include "project/RunRecord.h"

#include <QFile>
#include <QSqlError>
#include <QSqlQuery>

namespace ts {

namespace {

/// The runs of the job project at `path` that finished or failed, and "run ID (status)" for the others.
Status endedRuns(const QString &path, QList<qint64> *ended, QStringList *notEnded)
{
    auto project = Project::open(path, Project::Access::ReadOnly);
    if (!project)
        return Status::failure(project.error());
    QSqlQuery q(project.value()->database());
    if (!q.exec(QStringLiteral("SELECT id, status FROM runs ORDER BY id")))
        return Status::failure(QStringLiteral("%1: %2").arg(path, q.lastError().text()));
    while (q.next()) {
        // Only what will not change: a cancelled or interrupted run continues when the job is
        // resubmitted, and its merged copy would then stand beside the finished one.
        const QString status = q.value(1).toString();
        if (status == RunRecord::statusName(RunRecord::Status::Finished) ||
            status == RunRecord::statusName(RunRecord::Status::Failed))
            ended->append(q.value(0).toLongLong());
        else
            notEnded->append(QStringLiteral("run %1 (%2)").arg(q.value(0).toLongLong()).arg(status));
    }
    return {};
}

} // namespace

Result<CollectReport> JobCollector::collect(Project &project, const SlurmJobRecord &job, const MergeParams &params)
{
    CollectReport report;
    for (int cell = 0; cell < job.cells; ++cell) {
        const QString path = SbatchScript::cellDir(job.dir, cell) + QStringLiteral("/job.tstudio");
        if (!QFile::exists(path))
            return Result<CollectReport>::failure(QStringLiteral("job %1: %2 is missing (was the job folder moved?)")
                                                      .arg(job.slurmId, path));
        QList<qint64> ended;
        QStringList notEnded;
        if (const Status s = endedRuns(path, &ended, &notEnded); !s)
            return Result<CollectReport>::failure(QStringLiteral("job %1 cell %2: %3").arg(job.slurmId).arg(cell).arg(s.error()));
        for (const QString &run : std::as_const(notEnded))
            report.notFinished.append(QStringLiteral("cell %1 %2").arg(cell).arg(run));
        if (ended.isEmpty())
            continue;
        MergeParams merge = params;
        merge.runs = ended;
        const auto merged = ProjectMerger::merge(project, path, merge);
        if (!merged)
            return Result<CollectReport>::failure(QStringLiteral("job %1 cell %2: %3").arg(job.slurmId).arg(cell).arg(merged.error()));
        report.copied += merged->copied;
        report.present += merged->present;
    }
    return report;
}

} // namespace ts
