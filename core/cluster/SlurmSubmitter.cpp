#include "cluster/SlurmSubmitter.h"

#include "cluster/JobFolder.h"
#include "cluster/JobTable.h"
#include "cluster/SbatchScript.h"
#include "cluster/SlurmClient.h"

#include <QFile>
#include <QSaveFile>

namespace ts {

Result<SlurmSubmitter::Submitted> SlurmSubmitter::submit(const QSqlDatabase &db, const QString &projectPath,
                                                         const QString &dir, const QList<JobCell> &cells,
                                                         const SbatchOptions &options, const QString &kind,
                                                         const QString &cliPath)
{
    using Failure = Result<Submitted>;
    if (const auto sbatch = SlurmClient::program(QStringLiteral("sbatch")); !sbatch)
        return Failure::failure(sbatch.error());
    const auto folder = JobFolder::write(db, dir.isEmpty() ? JobFolder::defaultDir(projectPath) : dir, cells, options,
                                         QStringLiteral("ts-") + kind, cliPath);
    if (!folder)
        return Failure::failure(folder.error());
    const auto slurmId = SlurmClient::submit(folder->script(), folder->dir());
    if (!slurmId) {
        folder->remove();
        return Failure::failure(slurmId.error() + QStringLiteral(" (nothing was recorded; the job folder was removed)"));
    }
    Submitted submitted;
    submitted.job.slurmId = slurmId.value();
    submitted.job.kind = kind;
    submitted.job.dir = folder->dir();
    submitted.job.cells = folder->cells();
    submitted.ranks = SbatchScript::ranks(options);
    for (const QList<qint64> &runs : folder->runs())
        submitted.runs += int(runs.size());
    const auto added = JobTable(db).add(submitted.job);
    if (!added)
        return Failure::failure(QStringLiteral("%1 (Slurm job %2 was submitted: cancel it with scancel %2)")
                                    .arg(added.error(), submitted.job.slurmId));
    submitted.job.id = added.value();
    return submitted;
}

Result<SlurmJobRecord> SlurmSubmitter::resubmit(const QSqlDatabase &db, const SlurmJobRecord &job, const QString &time)
{
    using Failure = Result<SlurmJobRecord>;
    if (!JobStates::isFinal(job.state))
        return Failure::failure(QStringLiteral("job %1 is %2: cancel it first (cancel --job %1)")
                                    .arg(job.slurmId, JobStates::name(job.state)));
    if (job.state == JobState::Completed)
        return Failure::failure(QStringLiteral("job %1 completed: every run ended; collect it").arg(job.slurmId));
    SbatchOptions limit;
    limit.time = time.isEmpty() ? timeLimit(job) : time;
    if (const Status s = SbatchScript::check(limit, job.dir); !s)
        return Failure::failure(s.error());
    // Written now, kept only once sbatch took the job: the next resubmission starts from this limit.
    QSaveFile limitFile(JobFolder::timeLimitIn(job.dir));
    if (!time.isEmpty() && (!limitFile.open(QIODevice::WriteOnly) || limitFile.write(time.toUtf8() + '\n') < 0))
        return Failure::failure(QStringLiteral("cannot write %1: %2").arg(limitFile.fileName(), limitFile.errorString()));
    const QStringList options = limit.time.isEmpty() ? QStringList() : QStringList{QStringLiteral("--time=") + limit.time};
    const auto slurmId = SlurmClient::submit(JobFolder::scriptIn(job.dir), job.dir, options);
    if (!slurmId)
        return Failure::failure(slurmId.error());
    if (!time.isEmpty() && !limitFile.commit())
        return Failure::failure(QStringLiteral("cannot write %1: %2 (Slurm job %3 was submitted with --time=%4)")
                                    .arg(limitFile.fileName(), limitFile.errorString(), slurmId.value(), time));
    SlurmJobRecord again = job;
    again.slurmId = slurmId.value();
    again.state = JobState::Pending;
    again.submittedAt.clear();
    again.collectedAt.clear();
    const auto added = JobTable(db).add(again);
    if (!added)
        return Failure::failure(QStringLiteral("%1 (Slurm job %2 was submitted: cancel it with scancel %2)")
                                    .arg(added.error(), again.slurmId));
    again.id = added.value();
    return again;
}

QString SlurmSubmitter::timeLimit(const SlurmJobRecord &job)
{
    QFile given(JobFolder::timeLimitIn(job.dir));
    if (given.open(QIODevice::ReadOnly | QIODevice::Text))
        return QString::fromUtf8(given.readAll()).trimmed();
    QFile script(JobFolder::scriptIn(job.dir));
    if (!script.open(QIODevice::ReadOnly | QIODevice::Text))
        return {};
    return SbatchScript::timeLimitOf(QString::fromUtf8(script.readAll()));
}

} // namespace ts
