#pragma once

#include "cluster/JobState.h"
#include "util/Result.h"

#include <QMap>
#include <QString>
#include <QStringList>

namespace ts {

/// Slurm's client programs (sbatch, squeue, sacct, scancel) as `submit`, `jobs`, `cancel` and the
/// GUI use them. Each runs the program found on PATH (with the environment's SLURM_CONF, if any)
/// and waits for it; a program that is missing fails saying to install slurm-client.
class SlurmClient
{
public:
    /// How long one client program may take, in milliseconds.
    static constexpr int kTimeoutMs = 60000;

    /// Submits `script` with `sbatch --parsable` from folder `workDir`, `options` (sbatch's own,
    /// "--time=1:00:00") overriding the script's #SBATCH lines; returns the job id. Fails with
    /// sbatch's own message (an unknown partition, account or a time over the limit).
    static Result<QString> submit(const QString &script, const QString &workDir, const QStringList &options = {});
    /// The states Slurm reports for the jobs `slurmIds`: squeue for jobs it still knows, sacct for
    /// older ones (where accounting is enabled; otherwise `sacct -c`, the job-completion log, for
    /// jobs that are not arrays). Keys as SlurmStateParser::parse() gives them; a job none knows
    /// is absent.
    static Result<QMap<QString, JobState>> states(const QStringList &slurmIds);
    /// The states of the `cells` tasks of job `slurmId` in `states` (Unknown where absent): the
    /// job itself when cells is 1, its array tasks 0..cells-1 otherwise.
    static QList<JobState> tasks(const QMap<QString, JobState> &states, const QString &slurmId, int cells);
    /// Cancels job `slurmId` (every task of an array) with scancel.
    static Status cancel(const QString &slurmId);
    /// The path of client program `name`, or a failure naming it and the package to install.
    static Result<QString> program(const QString &name);

private:
    struct Output
    {
        int exitCode = -1;
        QString out;
        QString err;
    };
    static Result<Output> execute(const QString &name, const QStringList &arguments, const QString &workDir = {});
};

} // namespace ts
