#include "cluster/JobTable.h"

#include <QDateTime>
#include <QSqlError>
#include <QSqlQuery>

namespace ts {

namespace {

const QString kColumns = QStringLiteral("id, slurm_id, kind, dir, cells, state, submitted_at, collected_at");

SlurmJobRecord fromRow(const QSqlQuery &q)
{
    SlurmJobRecord job;
    job.id = q.value(0).toLongLong();
    job.slurmId = q.value(1).toString();
    job.kind = q.value(2).toString();
    job.dir = q.value(3).toString();
    job.cells = q.value(4).toInt();
    job.state = JobStates::fromName(q.value(5).toString());
    job.submittedAt = q.value(6).toString();
    job.collectedAt = q.value(7).toString();
    return job;
}

Status exec(QSqlQuery &q, const QString &what)
{
    if (!q.exec())
        return Status::failure(QStringLiteral("cannot %1 in the jobs table: %2").arg(what, q.lastError().text()));
    return {};
}

} // namespace

Result<qint64> JobTable::add(const SlurmJobRecord &job)
{
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("INSERT INTO slurm_jobs(slurm_id, kind, dir, cells, state, submitted_at) VALUES (?, ?, ?, ?, ?, ?)"));
    q.addBindValue(job.slurmId);
    q.addBindValue(job.kind);
    q.addBindValue(job.dir);
    q.addBindValue(job.cells);
    q.addBindValue(JobStates::name(job.state));
    q.addBindValue(job.submittedAt.isEmpty() ? QDateTime::currentDateTimeUtc().toString(Qt::ISODate) : job.submittedAt);
    if (const Status s = exec(q, QStringLiteral("record job %1").arg(job.slurmId)); !s)
        return Result<qint64>::failure(s.error());
    return q.lastInsertId().toLongLong();
}

Result<QList<SlurmJobRecord>> JobTable::all() const
{
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("SELECT %1 FROM slurm_jobs ORDER BY id").arg(kColumns));
    if (const Status s = exec(q, QStringLiteral("read the jobs")); !s)
        return Result<QList<SlurmJobRecord>>::failure(s.error());
    QList<SlurmJobRecord> jobs;
    while (q.next())
        jobs.append(fromRow(q));
    return jobs;
}

Result<SlurmJobRecord> JobTable::find(const QString &slurmId) const
{
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("SELECT %1 FROM slurm_jobs WHERE slurm_id = ?").arg(kColumns));
    q.addBindValue(slurmId);
    if (const Status s = exec(q, QStringLiteral("read job %1").arg(slurmId)); !s)
        return Result<SlurmJobRecord>::failure(s.error());
    if (!q.next())
        return Result<SlurmJobRecord>::failure(QStringLiteral("--job %1: the project has no such Slurm job (see `jobs`)").arg(slurmId));
    return fromRow(q);
}

Status JobTable::setState(qint64 id, JobState state)
{
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("UPDATE slurm_jobs SET state = ? WHERE id = ?"));
    q.addBindValue(JobStates::name(state));
    q.addBindValue(id);
    return exec(q, QStringLiteral("store job %1's state").arg(id));
}

Status JobTable::setCollected(qint64 id)
{
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("UPDATE slurm_jobs SET collected_at = ? WHERE id = ?"));
    q.addBindValue(QDateTime::currentDateTimeUtc().toString(Qt::ISODate));
    q.addBindValue(id);
    return exec(q, QStringLiteral("mark job %1 collected").arg(id));
}

} // namespace ts
