#pragma once

#include "cluster/SlurmJobRecord.h"
#include "util/Result.h"

#include <QList>
#include <QSqlDatabase>

namespace ts {

/// The Slurm jobs of a project (schema version 7's slurm_jobs table).
class JobTable
{
public:
    explicit JobTable(QSqlDatabase db) : m_db(std::move(db)) {}

    /// Records `job` (id ignored) and returns its row id.
    Result<qint64> add(const SlurmJobRecord &job);
    /// Every job, in the order they were submitted.
    Result<QList<SlurmJobRecord>> all() const;
    /// The job whose Slurm id is `slurmId`; fails naming it when the project has none.
    Result<SlurmJobRecord> find(const QString &slurmId) const;
    /// Stores the state Slurm last reported for job `id`.
    Status setState(qint64 id, JobState state);
    /// Records that `collect` merged job `id`'s runs (now, UTC).
    Status setCollected(qint64 id);

private:
    QSqlDatabase m_db;
};

} // namespace ts
