#pragma once

#include "cluster/JobCell.h"
#include "cluster/SbatchOptions.h"
#include "util/Result.h"

#include <QList>
#include <QString>

namespace ts {

/// A Slurm job's folder on a filesystem the cluster sees, written before submission:
///   DIR/job.sbatch                  the batch script (SbatchScript)
///   DIR/cell-N/job.tstudio          the cell's job project (JobProjectWriter) with its runs queued
///   DIR/cell-N/runs.txt             their ids, one a line, in the order the task runs them
///   DIR/cell-N/progress.jsonl       appended by rank 0 while a run trains (ProgressLog)
///   DIR/slurm-*.out                 Slurm's output of each task
///   DIR/time-limit                  the time limit of the last resubmission that gave one
class JobFolder
{
public:
    /// The default job folder of the project at `projectPath`: PROJECTDIR/NAME-jobs/job-UTCTIME, a
    /// sibling of the project (which the cluster must see too).
    static QString defaultDir(const QString &projectPath);

    /// Writes the folder `dir` (which must not exist, or be empty) with one cell folder per entry of
    /// `cells` taken from `from`, and the script (cells > 1: a job array) running the CLI at
    /// `cliPath` with `options`. All or nothing: on failure the folder is removed again.
    static Result<JobFolder> write(const QSqlDatabase &from, const QString &dir, const QList<JobCell> &cells,
                                   const SbatchOptions &options, const QString &name, const QString &cliPath);

    /// Removes the folder (after sbatch refused it).
    void remove() const;

    QString dir() const { return m_dir; }
    QString script() const { return scriptIn(m_dir); }
    /// The batch script of job folder `dir`: DIR/job.sbatch.
    static QString scriptIn(const QString &dir);
    /// The time limit a resubmission of job folder `dir` gave (sbatch's --time overrides the
    /// script's #SBATCH line): DIR/time-limit.
    static QString timeLimitIn(const QString &dir);
    int cells() const { return int(m_runs.size()); }
    /// The run ids (in their cell's job project) of each cell.
    const QList<QList<qint64>> &runs() const { return m_runs; }

private:
    QString m_dir;
    QList<QList<qint64>> m_runs;
};

} // namespace ts
