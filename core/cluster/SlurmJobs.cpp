#include "cluster/SlurmJobs.h"

#include "cluster/JobTable.h"
#include "cluster/SlurmClient.h"

namespace ts {

Result<QList<SlurmJobRecord>> SlurmJobs::refresh(QSqlDatabase db)
{
    JobTable table(db);
    auto jobs = table.all();
    if (!jobs)
        return jobs;
    QStringList live;
    for (const SlurmJobRecord &job : jobs.value()) {
        if (!JobStates::isFinal(job.state))
            live.append(job.slurmId);
    }
    if (live.isEmpty())
        return jobs;
    const auto states = SlurmClient::states(live);
    if (!states)
        return Result<QList<SlurmJobRecord>>::failure(states.error());
    for (SlurmJobRecord &job : jobs.value()) {
        if (JobStates::isFinal(job.state))
            continue;
        const JobState state = JobStates::combine(SlurmClient::tasks(states.value(), job.slurmId, job.cells));
        if (state == job.state)
            continue;
        if (const Status s = table.setState(job.id, state); !s)
            return Result<QList<SlurmJobRecord>>::failure(s.error());
        job.state = state;
    }
    return jobs;
}

} // namespace ts
