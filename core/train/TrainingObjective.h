#pragma once

// Includes torch: for core's torch folders only.
#include "train/Batch.h"

#include <QMap>
#include <QString>

#include <torch/torch.h>

#include <vector>

namespace ts {

/// What a training phase optimises and how it is measured: classification, domain-adversarial
/// classification, masked or causal language modelling. The Trainer runs the loop; the
/// objective computes losses and evaluations. Not thread-safe.
class TrainingObjective
{
public:
    virtual ~TrainingObjective() = default;

    /// Scalar loss of one training batch; `progress` in [0, 1] over the phase, `step` the optimiser
    /// step it belongs to (seeds per-batch randomness such as masking, so resumed runs repeat it).
    virtual torch::Tensor loss(const Batch &batch, double progress, int64_t step) = 0;

    /// Measures the model on `set` without gradients: metric name -> value ("loss", "accuracy",
    /// "macro_f1", "perplexity"); the metrics of evaluationTotals() over every batch of
    /// EvaluationBatches::byLength(set, batchSize). Empty when nothing was measured.
    QMap<QString, double> evaluate(const TokenizedSet &set, int batchSize);

    /// What an evaluation adds up, batch by batch, without gradients: (batches.size(), k) fp64 on
    /// the CPU, row b the totals of `batches`[b] of `set` (summed losses, counts of tokens, of
    /// texts, of correct predictions), k the same for every call of this objective. `first`: the
    /// position of batches[0] among the set's evaluation batches (seeds the fixed masking of a
    /// language-model evaluation). Rows of consecutive runs of batches, scored apart (by the ranks
    /// of a data-parallel run) and stacked in order, are the rows of the whole set.
    virtual torch::Tensor evaluationTotals(const TokenizedSet &set, const QList<QList<int>> &batches,
                                           qsizetype first) = 0;

    /// The metrics of `totals`, the rows of evaluationTotals() for every batch of a set in batch
    /// order. They are added in that order, so the same rows give the same metrics to the bit,
    /// however many processes scored them. Empty when nothing was measured.
    QMap<QString, double> metricsOf(const torch::Tensor &totals) const;

    /// Class probabilities (N, classes), float32 on the CPU, for every example of `set` in its
    /// order, without gradients; an undefined tensor for objectives that do not classify.
    virtual torch::Tensor classProbabilities(const TokenizedSet &set, int batchSize)
    {
        (void)set;
        (void)batchSize;
        return {};
    }

    /// Values about the training batches since the last call ("domain_accuracy"), then reset.
    virtual QMap<QString, double> takeTrainingMetrics() { return {}; }

    /// Parameters this objective trains besides the model's (a domain classifier).
    virtual std::vector<torch::Tensor> extraParameters() { return {}; }

    /// Modules whose state a checkpoint must hold besides the model (the domain classifier).
    virtual std::vector<std::shared_ptr<torch::nn::Module>> extraModules() { return {}; }

    /// The metric that says how good the model is, and whether higher is better.
    virtual QString primaryMetric() const = 0;
    virtual bool higherIsBetter() const = 0;

protected:
    /// The metrics of `sums`, the column sums of evaluationTotals() over a set's batches; empty
    /// when nothing was measured.
    virtual QMap<QString, double> metricsOfSums(const std::vector<double> &sums) const = 0;
};

} // namespace ts
