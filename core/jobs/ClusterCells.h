#pragma once

#include "cluster/JobCell.h"
#include "jobs/BenchmarkPlan.h"
#include "transfer/RunRequest.h"
#include "util/Result.h"

#include <QList>
#include <QSqlDatabase>

namespace ts {

/// The cells of a Slurm job (JobCell: what its job project holds and the runs recorded in it), for
/// `submit --slurm` and the GUI's "Run on: Slurm cluster": the engine's way of recording runs
/// (TransferRunner) handed to core/cluster, which does not train.
class ClusterCells
{
public:
    /// One cell: `request` on its corpora, repeated over `seeds` and `labelBudgets` as `run` would
    /// (TransferRunner::createRun / createGroup). Fails naming a model `db` lacks.
    static Result<QList<JobCell>> forRun(const QSqlDatabase &db, const RunRequest &request, int seeds,
                                         const QList<int> &labelBudgets);
    /// One cell per pair and strategy of `plan` (an array task each), with the plan's seeds. Each
    /// cell's runs belong to the plan's benchmark group, recorded alike in every job project so
    /// that the collected cells form one group (BenchmarkRunner::table works on it).
    static Result<QList<JobCell>> forBenchmark(const QSqlDatabase &db, const BenchmarkPlan &plan);
};

} // namespace ts
