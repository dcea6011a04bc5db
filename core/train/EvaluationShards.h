#pragma once

// Includes torch: for core's torch folders only.
#include "distributed/DataParallelGroup.h"
#include "train/TokenizedSet.h"
#include "train/TrainingObjective.h"
#include "util/Result.h"

#include <torch/torch.h>

#include <utility>

namespace ts {

/// Evaluation split over the ranks of a data-parallel run. Each rank scores a contiguous run of
/// the evaluation batches (EvaluationBatches::byLength: the same deterministic order on every
/// rank; rank r of W takes batches [B r / W, B (r + 1) / W)), and the per-text outputs (or the
/// per-batch totals of the metrics) are gathered back in order. A rank's batches are exactly the
/// batches one process forms, so every text is scored with the same padding and the gathered
/// outputs equal one process's.
class EvaluationShards
{
public:
    /// The evaluation batches [first, second) of `batchCount` that rank `rank` of `worldSize` scores.
    static std::pair<qsizetype, qsizetype> batchRange(qsizetype batchCount, int rank, int worldSize);

    /// The examples of `set` (indices, in batch order) that rank `rank` of `worldSize` scores.
    static QList<int> shareOf(const TokenizedSet &set, int batchSize, int rank, int worldSize);

    /// The examples `indices` of `set` as a set of their own, in that order.
    static TokenizedSet subset(const TokenizedSet &set, const QList<int> &indices);

    /// `objective`.classProbabilities(set, batchSize): (N, classes) fp32 on the CPU in the set's
    /// order, on every rank; each rank of `group` (null: this process alone) scores its share.
    /// An undefined tensor for objectives that do not classify.
    static Result<torch::Tensor> classProbabilities(TrainingObjective &objective, const TokenizedSet &set,
                                                    int batchSize, DataParallelGroup *group);

    /// `objective`.evaluate(set, batchSize) on every rank, each rank of `group` (null: this process
    /// alone) scoring its share of the batches: the per-batch totals (sums of losses, of tokens,
    /// counts of correct predictions) are gathered in batch order and added up as one process
    /// adds them, so that every rank gets one process's metrics, to the bit.
    static Result<QMap<QString, double>> evaluate(TrainingObjective &objective, const TokenizedSet &set, int batchSize,
                                                  DataParallelGroup *group);
};

} // namespace ts
