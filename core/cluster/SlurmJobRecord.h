#pragma once

#include "cluster/JobState.h"

#include <QString>
#include <QtGlobal>

namespace ts {

/// A Slurm job submitted from a project (a row of its slurm_jobs table).
struct SlurmJobRecord
{
    qint64 id = 0;       // the row's id
    QString slurmId;     // Slurm's job id (the array's id for several cells)
    QString kind;        // "run" or "benchmark"
    QString dir;         // the job folder
    int cells = 1;       // job projects (array tasks)
    JobState state = JobState::Pending; // as Slurm last reported it
    QString submittedAt; // ISO 8601, UTC
    QString collectedAt; // empty until `collect` merged its runs back
};

} // namespace ts
