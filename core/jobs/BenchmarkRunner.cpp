#include "jobs/BenchmarkRunner.h"

#include "corpus/CorpusStore.h"
#include "project/Project.h"
#include "project/RunStore.h"
#include "project/WriteTransaction.h"
#include "train/RunControl.h"
#include "transfer/Preflight.h"
#include "transfer/StrategyRegistry.h"
#include "transfer/TransferRunner.h"

#include <QSqlError>
#include <QSqlQuery>

namespace ts {

Result<QList<qint64>> BenchmarkRunner::record(QSqlDatabase db, const BenchmarkPlan &plan, qint64 *groupId)
{
    using R = Result<QList<qint64>>;
    if (plan.cellCount() == 0)
        return R::failure(QStringLiteral("the benchmark has no cells: give at least one pair, one strategy and one seed"));
    const QList<RunRequest> requests = plan.requests();
    // One check per pair and strategy: the seeds do not change what a run needs.
    for (int i = 0; i < requests.size(); i += plan.seeds) {
        if (const QStringList problems = Preflight::check(db, requests.at(i)); !problems.isEmpty())
            return R::failure(QStringLiteral("%1 %2 -> %3: %4")
                                  .arg(requests.at(i).config.strategy, requests.at(i).sourceCorpus,
                                       requests.at(i).targetCorpus, problems.join(QStringLiteral("; "))));
    }
    QList<qint64> ids;
    const Status written = WriteTransaction::run(db, QStringLiteral("benchmark"), [&](QSqlDatabase &tx) {
        const auto group = RunStore(tx).createGroup(plan.groupName(), QString::fromLatin1(kGroupKind));
        if (!group)
            return Status::failure(group.error());
        for (RunRequest request : requests) {
            request.groupId = group.value();
            const auto id = TransferRunner::createRun(tx, request);
            if (!id)
                return Status::failure(id.error());
            ids.append(id.value());
        }
        if (groupId)
            *groupId = group.value();
        return Status();
    });
    if (!written)
        return R::failure(written.error());
    return ids;
}

Result<QList<RunRecord>> BenchmarkRunner::runsOf(const QSqlDatabase &db, qint64 groupId)
{
    using R = Result<QList<RunRecord>>;
    QSqlQuery q(db);
    q.prepare(QStringLiteral("SELECT kind FROM run_groups WHERE id = ?"));
    q.addBindValue(groupId);
    if (!q.exec())
        return R::failure(QStringLiteral("cannot read run group %1: %2").arg(groupId).arg(q.lastError().text()));
    if (!q.next())
        return R::failure(QStringLiteral("there is no run group %1 (see `runs`: a benchmark's runs show their group)")
                              .arg(groupId));
    if (q.value(0).toString() != QLatin1String(kGroupKind))
        return R::failure(QStringLiteral("run group %1 is a %2 group, not a benchmark").arg(groupId).arg(q.value(0).toString()));
    const auto all = RunStore(db).list();
    if (!all)
        return R::failure(all.error());
    QList<RunRecord> runs;
    for (const RunRecord &run : all.value()) {
        if (run.groupId == groupId)
            runs.append(run);
    }
    return runs;
}

Result<BenchmarkOutcome> BenchmarkRunner::execute(const QString &projectPath, qint64 groupId, const RunExecutor &executor,
                                                  const TrainingCallbacks &callbacks,
                                                  const std::function<void(const BenchmarkProgress &)> &progress)
{
    using R = Result<BenchmarkOutcome>;
    QList<RunRecord> runs;
    {
        auto project = Project::open(projectPath);
        if (!project)
            return R::failure(project.error());
        if (const auto marked = TransferRunner::markInterruptedRuns(project.value()->database(), projectPath); !marked)
            return R::failure(marked.error());
        auto listed = runsOf(project.value()->database(), groupId);
        if (!listed)
            return R::failure(listed.error());
        runs = listed.value();
    }
    BenchmarkOutcome outcome;
    outcome.total = int(runs.size());
    const auto ended = [](RunRecord::Status s) {
        return s == RunRecord::Status::Finished || s == RunRecord::Status::Failed;
    };
    int done = 0;
    for (const RunRecord &run : std::as_const(runs)) {
        done += ended(run.status) ? 1 : 0;
        outcome.finished += run.status == RunRecord::Status::Finished ? 1 : 0;
        if (run.status == RunRecord::Status::Failed)
            outcome.failed.append(run.id);
    }
    for (const RunRecord &run : std::as_const(runs)) {
        if (ended(run.status))
            continue;
        if (callbacks.control && callbacks.control->isCancelRequested()) {
            outcome.cancelled = true;
            break;
        }
        if (progress)
            progress({done, outcome.total, run.id, run.name});
        ++outcome.executed;
        const Status s = executor(projectPath, run.id, callbacks);
        auto project = Project::open(projectPath, Project::Access::ReadOnly);
        if (!project)
            return R::failure(project.error());
        const auto after = RunStore(project.value()->database()).load(run.id);
        if (!after)
            return R::failure(after.error());
        if (!s || after->status == RunRecord::Status::Failed) {
            outcome.failed.append(run.id);
            ++done;
            continue;
        }
        if (after->status == RunRecord::Status::Finished) {
            ++outcome.finished;
            ++done;
            continue;
        }
        // Stopped (cancelled) or paused out: the rest stays resumable.
        outcome.cancelled = true;
        break;
    }
    if (progress)
        progress({done, outcome.total, 0, QString()});
    return outcome;
}

Result<BenchmarkTable> BenchmarkRunner::table(const QSqlDatabase &db, qint64 groupId)
{
    using R = Result<BenchmarkTable>;
    const auto runs = runsOf(db, groupId);
    if (!runs)
        return R::failure(runs.error());
    QList<RunSummary> summaries;
    for (const RunRecord &run : runs.value()) {
        const auto summary = RunSummary::load(db, run.id, StrategyRegistry::fineTuningBaseline());
        if (!summary)
            return R::failure(summary.error());
        summaries.append(summary.value());
    }
    const auto corpora = CorpusStore::summaries(db);
    if (!corpora)
        return R::failure(corpora.error());
    QMap<qint64, QString> names;
    for (const CorpusSummary &c : corpora.value())
        names.insert(c.id, c.name);
    return BenchmarkTable::build(summaries, names);
}

} // namespace ts
