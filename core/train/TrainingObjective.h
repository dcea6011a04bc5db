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
    /// "macro_f1", "perplexity").
    virtual QMap<QString, double> evaluate(const TokenizedSet &set, int batchSize) = 0;

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
};

} // namespace ts
