#pragma once

#include "cluster/SlurmJobRecord.h"
#include "project/MergeParams.h"
#include "util/Result.h"

#include <QList>
#include <QString>

namespace ts {

class Project;

/// What collecting one job brought back.
struct CollectReport
{
    QList<QPair<qint64, qint64>> copied;  // (run id in its job project, new run id here)
    QList<QPair<qint64, qint64>> present; // collected before: (id there, id here)
    QStringList notFinished;              // "cell 1 run 3 (interrupted)": runs that neither finished nor failed
};

/// Brings a finished Slurm job's runs home: each cell's job project is merged into the user's
/// project with ProjectMerger (corpora and model reused by content, every id remapped), the runs
/// that finished or failed only (the others continue when the job is resubmitted); collecting
/// again copies nothing twice. The cells of a benchmark job record the same group, so their runs
/// come home as one benchmark group, also when collected over several (resubmitted) jobs.
class JobCollector
{
public:
    /// Merges job `job`'s cells into `project`. Fails naming the cell whose project cannot be read
    /// or merged; cells merged before the failure stay merged (each merge is all or nothing).
    static Result<CollectReport> collect(Project &project, const SlurmJobRecord &job, const MergeParams &params = {});
};

} // namespace ts
