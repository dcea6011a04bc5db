#pragma once

#include "cluster/JobCell.h"
#include "cluster/SbatchOptions.h"
#include "cluster/SlurmJobRecord.h"
#include "util/Result.h"

#include <QList>
#include <QSqlDatabase>
#include <QString>

namespace ts {

/// Submits a job to Slurm from a project (`submit --slurm`, the GUI's "Run on: Slurm cluster"):
/// writes the job folder (JobFolder), submits its script with sbatch and records the job in the
/// project's jobs table.
class SlurmSubmitter
{
public:
    /// What a submission did.
    struct Submitted
    {
        SlurmJobRecord job;
        int runs = 0;  // runs recorded in the job projects
        int ranks = 1; // data-parallel ranks of each run
    };

    /// Submits `cells` of project `db` as one job of kind `kind` ("run" or "benchmark") in folder
    /// `dir` (empty: JobFolder::defaultDir(projectPath)), the ranks running the CLI at `cliPath`.
    /// Fails before writing anything when sbatch is missing; when sbatch refuses the job the folder
    /// is removed and nothing is recorded.
    static Result<Submitted> submit(const QSqlDatabase &db, const QString &projectPath, const QString &dir,
                                    const QList<JobCell> &cells, const SbatchOptions &options, const QString &kind,
                                    const QString &cliPath);

    /// Submits the script of `job` (cancelled, timed out or failed) again as a new job recorded in
    /// `db`: the runs it finished are skipped, the others resume from their last checkpoint.
    /// `time` ([D-]HH:MM:SS; empty: timeLimit(job)) is the new job's time limit, kept in the job
    /// folder for the resubmissions after it. Refused, saying why, while the job is pending or
    /// running, when it completed, or when `time` is malformed.
    static Result<SlurmJobRecord> resubmit(const QSqlDatabase &db, const SlurmJobRecord &job, const QString &time = {});

    /// The time limit `job` ran with (as written, e.g. "4:00:00"): the last one a resubmission of
    /// its folder gave, else the one its script asks for; what resubmit() keeps without a new one.
    /// Empty when neither names one (the partition's limit).
    static QString timeLimit(const SlurmJobRecord &job);
};

} // namespace ts
