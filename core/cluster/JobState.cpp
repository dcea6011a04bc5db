#include "cluster/JobState.h"

namespace ts {

JobState JobStates::fromSlurm(const QString &slurm)
{
    // sacct appends who cancelled ("CANCELLED by 0"); squeue may shorten a state ("CANCELLED+").
    QString word = slurm.trimmed().section(QLatin1Char(' '), 0, 0).toUpper();
    word.remove(QLatin1Char('+'));
    if (word == QLatin1String("PENDING") || word == QLatin1String("REQUEUED") || word == QLatin1String("REQUEUE_HOLD") ||
        word == QLatin1String("REQUEUE_FED") || word == QLatin1String("RESV_DEL_HOLD") || word == QLatin1String("SUSPENDED") ||
        word == QLatin1String("PD"))
        return JobState::Pending;
    if (word == QLatin1String("RUNNING") || word == QLatin1String("CONFIGURING") || word == QLatin1String("COMPLETING") ||
        word == QLatin1String("STAGE_OUT") || word == QLatin1String("SIGNALING") || word == QLatin1String("RESIZING") ||
        word == QLatin1String("R") || word == QLatin1String("CG"))
        return JobState::Running;
    if (word == QLatin1String("COMPLETED") || word == QLatin1String("CD"))
        return JobState::Completed;
    if (word == QLatin1String("FAILED") || word == QLatin1String("NODE_FAIL") || word == QLatin1String("BOOT_FAIL") ||
        word == QLatin1String("OUT_OF_MEMORY") || word == QLatin1String("DEADLINE") || word == QLatin1String("PREEMPTED") ||
        word == QLatin1String("REVOKED") || word == QLatin1String("SPECIAL_EXIT") || word == QLatin1String("F"))
        return JobState::Failed;
    if (word == QLatin1String("CANCELLED") || word == QLatin1String("CA"))
        return JobState::Cancelled;
    if (word == QLatin1String("TIMEOUT") || word == QLatin1String("TO"))
        return JobState::Timeout;
    return JobState::Unknown;
}

QString JobStates::name(JobState state)
{
    switch (state) {
    case JobState::Pending:
        return QStringLiteral("pending");
    case JobState::Running:
        return QStringLiteral("running");
    case JobState::Completed:
        return QStringLiteral("completed");
    case JobState::Failed:
        return QStringLiteral("failed");
    case JobState::Cancelled:
        return QStringLiteral("cancelled");
    case JobState::Timeout:
        return QStringLiteral("timeout");
    case JobState::Unknown:
        break;
    }
    return QStringLiteral("unknown");
}

JobState JobStates::fromName(const QString &name)
{
    for (const JobState state : {JobState::Pending, JobState::Running, JobState::Completed, JobState::Failed,
                                 JobState::Cancelled, JobState::Timeout}) {
        if (JobStates::name(state) == name)
            return state;
    }
    return JobState::Unknown;
}

bool JobStates::isFinal(JobState state)
{
    return state == JobState::Completed || state == JobState::Failed || state == JobState::Cancelled ||
           state == JobState::Timeout;
}

JobState JobStates::combine(const QList<JobState> &tasks)
{
    if (tasks.isEmpty())
        return JobState::Unknown;
    // Most telling first: a live task, then one unknown, then the worst way a task ended.
    for (const JobState state : {JobState::Running, JobState::Pending, JobState::Unknown, JobState::Failed,
                                 JobState::Timeout, JobState::Cancelled}) {
        if (tasks.contains(state))
            return state;
    }
    return JobState::Completed;
}

} // namespace ts
