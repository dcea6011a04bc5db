#pragma once

#include "cluster/SbatchOptions.h"
#include "util/Result.h"

#include <QString>

namespace ts {

/// The batch script `submit --slurm` writes into a job folder. Each task of the job (one per cell:
/// a job array when there are several) runs the runs listed in its cell's runs.txt one after the
/// other, each with `srun` starting nodes × ranks-per-node processes of
/// `transfer-studio-cli resume CELL/job.tstudio --run ID`, every one a rank of a data-parallel run
/// through TS_DIST_RANK (SLURM_PROCID), TS_DIST_WORLD_SIZE (SLURM_NTASKS), TS_DIST_MASTER_ADDR (the
/// first host of the job's node list) and TS_DIST_MASTER_PORT (derived from the job id, so that
/// jobs sharing a node do not collide). Rank 0 appends progress to CELL/progress.jsonl
/// (TS_PROGRESS_JSONL). A run that ended well leaves CELL/done-ID, so that the same script
/// submitted again (resubmit) skips it and resumes the others from their checkpoints.
class SbatchScript
{
public:
    /// The cell folder of array task `task` inside job folder `jobDir`: "JOBDIR/cell-TASK".
    static QString cellDir(const QString &jobDir, int task);
    /// The ranks each node starts: ranksPerNode when set, else one per GPU (1 without GPUs).
    static int ranksPerNode(const SbatchOptions &options);
    /// The ranks one run of `options` starts: nodes × ranksPerNode().
    static int ranks(const SbatchOptions &options);
    /// Checks `options` (nodes >= 1, GPUs, ranks and CPUs >= 0, time as [D-]HH:MM:SS or MM:SS, names
    /// without spaces or quotes) and the job folder `jobDir` (no spaces, quotes, '%' or
    /// backslashes: #SBATCH lines are not quoted); the failure names the option.
    static Status check(const SbatchOptions &options, const QString &jobDir);
    /// Whether `time` is a time limit as sbatch's --time takes it here: [D-]HH:MM:SS or MM:SS.
    static bool isTimeLimit(const QString &time);
    /// The time limit the #SBATCH --time line of script text `script` asks for; empty without one
    /// (the partition's limit).
    static QString timeLimitOf(const QString &script);
    /// The script for a job of `cells` cells (> 1: a job array 0..cells-1) in `jobDir`, running the
    /// CLI at `cliPath`. `name` is the job's name in squeue.
    static QString generate(const SbatchOptions &options, const QString &name, const QString &jobDir, int cells,
                            const QString &cliPath);
    /// `text` quoted for bash: inside single quotes, each ' written as '\''.
    static QString quote(const QString &text);
};

} // namespace ts
