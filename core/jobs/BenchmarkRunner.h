#pragma once

#include "jobs/BenchmarkPlan.h"
#include "jobs/RunExecutor.h"
#include "project/BenchmarkTable.h"
#include "project/RunRecord.h"
#include "train/TrainingCallbacks.h"
#include "util/Result.h"

#include <QSqlDatabase>

#include <functional>

namespace ts {

/// Where a benchmark stands: cells (runs) done out of the matrix, and the cell running now.
struct BenchmarkProgress
{
    int done = 0;        // runs that ended (finished or failed)
    int total = 0;       // runs of the matrix
    qint64 runId = 0;    // the run starting now (0: none, the matrix has ended)
    QString cell;        // its name: "dann books -> dvd seed 2"
};

/// What one call of BenchmarkRunner::execute did.
struct BenchmarkOutcome
{
    int total = 0;
    int finished = 0;          // runs of the group finished, before and during this call
    int executed = 0;          // runs this call executed (started or resumed)
    QList<qint64> failed;      // runs that failed (they are not retried)
    bool cancelled = false;    // a cancel request stopped it; the rest stays resumable
};

/// Records a benchmark matrix as one run group of kind kGroupKind and executes its unfinished
/// runs in order: queued runs start, stopped or interrupted ones resume from their checkpoint,
/// finished and failed ones are skipped. Used by the CLI's `benchmark` and the GUI's New Benchmark.
class BenchmarkRunner
{
public:
    /// run_groups.kind of a benchmark.
    static constexpr const char *kGroupKind = "benchmark";

    /// Checks every run of `plan` (Preflight) and records the group and its runs in one
    /// transaction (all or nothing); returns the run ids in execution order. `groupId` receives the group.
    static Result<QList<qint64>> record(QSqlDatabase db, const BenchmarkPlan &plan, qint64 *groupId);
    /// The runs of benchmark group `groupId`, in execution order; fails when there is no such
    /// benchmark group.
    static Result<QList<RunRecord>> runsOf(const QSqlDatabase &db, qint64 groupId);
    /// Executes the group's unfinished runs with `executor` on the calling thread (first marking
    /// runs whose process died as interrupted); `progress` hears of each cell before it runs and
    /// once at the end. Stops after the current run when `callbacks.control` asks to cancel.
    static Result<BenchmarkOutcome> execute(const QString &projectPath, qint64 groupId, const RunExecutor &executor,
                                            const TrainingCallbacks &callbacks,
                                            const std::function<void(const BenchmarkProgress &)> &progress);
    /// The group's table from its runs' summaries.
    static Result<BenchmarkTable> table(const QSqlDatabase &db, qint64 groupId);
};

} // namespace ts
