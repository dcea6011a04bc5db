#pragma once

#include <QList>
#include <QString>

namespace ts {

/// The state of a Slurm job (or of one task of a job array) as Transfer Studio shows it: Slurm's
/// many states folded into the words `jobs` prints.
enum class JobState
{
    Pending,
    Running,
    Completed,
    Failed,
    Cancelled,
    Timeout,
    Unknown, // neither squeue nor sacct knows the job (anymore)
};

/// Parsing and naming of JobState.
class JobStates
{
public:
    /// The state of Slurm's word `slurm` (squeue's %T, sacct's State: "RUNNING", "CANCELLED by 0",
    /// "OUT_OF_MEMORY", ...); Unknown for an empty or unrecognised word.
    static JobState fromSlurm(const QString &slurm);
    /// The word stored and printed: "pending", "running", "completed", "failed", "cancelled",
    /// "timeout", "unknown".
    static QString name(JobState state);
    /// The state named `name` (as name() writes it); Unknown otherwise.
    static JobState fromName(const QString &name);
    /// Whether the job will not change any more (completed, failed, cancelled, timeout).
    static bool isFinal(JobState state);
    /// One state for the tasks of a job array: running while one runs, pending while one waits
    /// (and none runs), otherwise the worst final state (failed, timeout, cancelled, completed);
    /// Unknown when `tasks` is empty or one is unknown and none is pending or running.
    static JobState combine(const QList<JobState> &tasks);
};

} // namespace ts
