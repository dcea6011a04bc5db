#pragma once

#include "cluster/SlurmJobRecord.h"
#include "util/Result.h"

#include <QList>
#include <QSqlDatabase>

namespace ts {

/// The project's Slurm jobs with the states Slurm reports now (`jobs`, `collect` and the GUI's
/// project panel use it).
class SlurmJobs
{
public:
    /// Every job of `db`, those not yet ended asked about with squeue/sacct (SlurmClient) and their
    /// new state stored. Fails when a client program is missing or fails (the message says which).
    static Result<QList<SlurmJobRecord>> refresh(QSqlDatabase db);
};

} // namespace ts
