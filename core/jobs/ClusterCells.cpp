#include "jobs/ClusterCells.h"

#include "jobs/BenchmarkRunner.h"
#include "model/ModelRegistry.h"
#include "project/RunStore.h"
#include "transfer/TransferRunner.h"

namespace ts {

namespace {

/// The corpora a request trains and measures on, each once.
QStringList corporaOf(const RunRequest &request)
{
    QStringList corpora{request.sourceCorpus, request.targetCorpus};
    corpora.removeAll(QString());
    corpora.removeDuplicates();
    return corpora;
}

} // namespace

Result<QList<JobCell>> ClusterCells::forRun(const QSqlDatabase &db, const RunRequest &request, int seeds,
                                            const QList<int> &labelBudgets)
{
    const auto model = ModelRegistry::find(db, request.model);
    if (!model)
        return Result<QList<JobCell>>::failure(model.error());
    RunRequest inJob = request;
    inJob.model = model->name; // ids differ in the job project; names do not
    inJob.groupId = 0;
    JobCell cell;
    cell.corpora = corporaOf(request);
    cell.modelId = model->id;
    cell.record = [inJob, seeds, labelBudgets](const QSqlDatabase &job) -> Result<QList<qint64>> {
        if (seeds == 1 && labelBudgets.isEmpty()) {
            const auto id = TransferRunner::createRun(job, inJob);
            if (!id)
                return Result<QList<qint64>>::failure(id.error());
            return QList<qint64>{id.value()};
        }
        return TransferRunner::createGroup(job, inJob, seeds, labelBudgets);
    };
    return QList<JobCell>{cell};
}

Result<QList<JobCell>> ClusterCells::forBenchmark(const QSqlDatabase &db, const BenchmarkPlan &plan)
{
    const auto model = ModelRegistry::find(db, plan.model);
    if (!model)
        return Result<QList<JobCell>>::failure(model.error());
    const QList<RunRequest> requests = plan.requests();
    const qsizetype seeds = qMax(1, plan.seeds);
    // Every cell's job project records the same benchmark group (name, kind and creation time):
    // collected, the cells' runs join one group, as `benchmark` would have recorded them.
    const QString groupName = plan.groupName();
    const QString groupCreated = RunStore::now();
    QList<JobCell> cells;
    // requests() goes pair, then strategy, then seed: each run of seeds is one cell.
    for (qsizetype first = 0; first < requests.size(); first += seeds) {
        QList<RunRequest> cellRequests = requests.mid(first, seeds);
        for (RunRequest &request : cellRequests)
            request.model = model->name;
        JobCell cell;
        cell.corpora = corporaOf(cellRequests.first());
        cell.modelId = model->id;
        cell.record = [cellRequests, groupName, groupCreated](const QSqlDatabase &job) -> Result<QList<qint64>> {
            const auto group = RunStore(job).createGroup(groupName, QString::fromLatin1(BenchmarkRunner::kGroupKind),
                                                         groupCreated);
            if (!group)
                return Result<QList<qint64>>::failure(group.error());
            QList<qint64> ids;
            for (RunRequest request : cellRequests) {
                request.groupId = group.value();
                const auto id = TransferRunner::createRun(job, request);
                if (!id)
                    return Result<QList<qint64>>::failure(id.error());
                ids.append(id.value());
            }
            return ids;
        };
        cells.append(cell);
    }
    return cells;
}

} // namespace ts
