#pragma once

#include "distributed/DistributedContext.h"
#include "train/TrainingCallbacks.h"
#include "transfer/RunRequest.h"
#include "util/Result.h"

#include <QList>
#include <QSqlDatabase>

namespace ts {

struct ModelConfig;

/// Records runs and executes them: the engine's entry point for the CLI and the GUI's RunQueue.
/// Torch-free header.
class TransferRunner
{
public:
    /// Checks `request` (corpora and model exist, strategy known, its options and the settings in
    /// range) and records a queued run; returns its id. Preflight::check() is the full check that
    /// front ends run first.
    static Result<qint64> createRun(const QSqlDatabase &db, const RunRequest &request);

    /// Records a group of runs: one per seed (init and data seeds offset by i) and, when
    /// `labelBudgets` is not empty, one per budget K (target labels per class; -1: all).
    static Result<QList<qint64>> createGroup(const QSqlDatabase &db, const RunRequest &request, int seeds,
                                             const QList<int> &labelBudgets);

    /// Compares the memory a run of `config` on `model` needs (RunMemoryEstimate, at the gradient
    /// accumulation "auto" would choose now) with what its device has now. Fails, naming the need, the capacity and what to lower, when the run does not
    /// fit and config.memoryCheck is "refuse"; otherwise gives the line to log ("memory: ..." or
    /// "warning: ...").
    static Result<QString> checkMemory(const ModelConfig &model, const TrainingConfig &config);

    /// Executes run `runId` of the project at `projectPath` on the calling thread (a RunExecutor):
    /// from its latest checkpoint when it has one. Refuses (marking it failed) a run that
    /// Preflight::check() or checkMemory() refuses, before training (its preconditions may no longer
    /// hold). Marks the run running, then finished, failed (with the message) or cancelled
    /// (resumable). Ok when the run finished or was cancelled.
    static Status execute(const QString &projectPath, qint64 runId, const TrainingCallbacks &callbacks);

    /// execute() as rank `distributed.rank` of a data-parallel run (more than one rank): joins the
    /// other ranks before training (DataParallelGroup) and trains its share of every batch
    /// (Trainer). Rank 0 does all that execute() does; the other ranks open the project
    /// read-only, take no lock and write nothing. A rank that dies or stops answering makes the
    /// others fail within the timeout. With one rank, the same as execute().
    static Status executeRank(const QString &projectPath, qint64 runId, const TrainingCallbacks &callbacks,
                              const DistributedContext &distributed);

    /// Marks runs left "running" by a process that no longer exists as "interrupted"
    /// (resumable); returns how many.
    static Result<int> markInterruptedRuns(const QSqlDatabase &db, const QString &projectPath);

    /// Whether run `runId`, recorded as running, belongs to no live process (its lock file is free):
    /// it was interrupted, e.g. killed. Reads nothing from the project.
    static bool isAbandoned(const QString &projectPath, qint64 runId);

    /// The lock file a process holds while it executes `runId`.
    static QString lockPath(const QString &projectPath, qint64 runId);
};

} // namespace ts
