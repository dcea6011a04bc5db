#pragma once

// Includes torch: for core's torch folders only.
#include "distributed/DataParallelGroup.h"
#include "model/nn/NamedTensors.h"
#include "train/CheckpointStore.h"
#include "train/EarlyStopping.h"
#include "train/MetricSink.h"
#include "train/TrainingCallbacks.h"
#include "train/TrainingConfig.h"
#include "train/TrainingObjective.h"
#include "train/TrainingPrecision.h"

#include <torch/torch.h>

#include <functional>
#include <optional>

namespace ts {

class GradientBucketReducer;

/// Parameters trained with one learning-rate multiplier and weight decay (AdamW param group).
struct ParameterGroup
{
    std::vector<torch::Tensor> parameters;
    double learningRateScale = 1.0; // x the schedule's rate (discriminative fine-tuning)
    double weightDecay = 0.0;       // decoupled decay; 0 for biases and norms
};

/// One phase of a run (domain-adaptive pre-training, then fine-tuning, ...).
struct TrainingPhase
{
    int index = 0;                                // position in the run, for checkpoints
    QString name;                                 // "fine-tuning", "pre-training"
    TrainingObjective *objective = nullptr;
    std::shared_ptr<torch::nn::Module> model;     // what checkpoints hold (with the objective's extras)
    std::vector<ParameterGroup> groups;
    const TokenizedSet *train = nullptr;
    QList<const TokenizedSet *> evaluations;      // measured every evaluation, under their names
    QString trainSplit = QStringLiteral("train"); // split name of the training loss
    double epochs = 1.0;                          // may be fractional
    double learningRate = 5e-5;
    /// Called before the first batch of each epoch (and on resume), e.g. to unfreeze a layer.
    std::function<void(int epoch)> onEpochStart;
};

/// How a phase ended.
struct PhaseResult
{
    bool cancelled = false;
    bool stoppedEarly = false;
    int64_t steps = 0;
    /// Data-parallel: seconds the steps waited for the sums of their gradients after backward
    /// (the part of the all-reduce that backward did not hide).
    double exposedReduceSeconds = 0.0;
};

/// The training loop shared by every strategy: AdamW with per-group rates, warm-up then
/// linear/cosine decay, gradient accumulation over micro-batches of each batch (the batch stays
/// TrainingConfig::batchSize) and clipping, bf16 autocast (TrainingPrecision),
/// length-bucketed batches, evaluation every N steps or per epoch, early stopping, resumable
/// checkpoints, cancel and pause once per batch. Runs on the calling (worker) thread.
///
/// Data-parallel (a `group` of several ranks): TrainingConfig::batchSize stays the global batch.
/// Every rank walks the same length-bucketed order and takes its contiguous share of each batch
/// (rank r of W: elements [n r / W, n (r + 1) / W)); each scales its loss by its share, the
/// gradients and the loss are summed over the ranks before clipping and the optimiser step, so W
/// ranks take the steps one process would (up to rounding); the sums run in buckets while the last
/// backward of a step still runs (GradientBucketReducer). Every rank starts each phase from rank
/// 0's weights; ranks above 0 draw dropout and masking from their own streams (reseeded from the
/// run's seed, their rank and the step at the start and at every checkpoint, so a resume continues
/// them). Each rank evaluates its share of every set's batches and every rank gets the metrics of
/// all of them (EvaluationShards), the same to the bit, so that early stopping and model selection
/// decide alike; only rank 0 writes checkpoints (its sink writes metrics).
class Trainer
{
public:
    /// `group`: the data-parallel ranks, or null for a process that trains alone.
    Trainer(const TrainingConfig &config, torch::Device device, int64_t padId, MetricSink &sink,
            CheckpointStore &checkpoints, const TrainingCallbacks &callbacks, qint64 runId,
            DataParallelGroup *group = nullptr);

    /// Trains `phase` to its end, from `resume` when it is a checkpoint of this phase.
    Result<PhaseResult> run(TrainingPhase &phase, const std::optional<Checkpoint> &resume);

    /// Measures every evaluation set now and records the values at the current step.
    Status evaluateAll(TrainingPhase &phase);

    /// Model selection (TrainingConfig::selection): puts the weights of the best evaluation so far
    /// back into the model they were taken from and records their step as "train"
    /// "selected_step" at the current step. Nothing to do for "last" or before any evaluation of
    /// the selection split; the final evaluation then measures the last weights.
    Status applySelection();
    /// The step whose weights applySelection() chose; -1 when it kept the last ones.
    int64_t selectedStep() const { return m_selectedStep; }

    /// Steps taken over all phases so far: the x axis of every metric.
    int64_t globalStep() const { return m_globalStep; }
    /// Fractional epochs of the current phase so far.
    double epoch() const { return m_epoch; }
    void setGlobalStep(int64_t step) { m_globalStep = step; }

    /// Writes a checkpoint of `phase` at the current position.
    Status saveCheckpoint(TrainingPhase &phase, torch::optim::Optimizer &optimizer, int epoch, int batch);

private:
    struct Position
    {
        int epoch = 0;
        int batch = 0;
        int64_t step = 0;
    };

    /// Measures every evaluation set; `select`: the values may pick the run's weights.
    Status evaluate(TrainingPhase &phase, bool select);
    /// Keeps `phase`'s weights when `value` (the selection split's accuracy) beats the best so far.
    void considerForSelection(TrainingPhase &phase, double value);

    Status restore(TrainingPhase &phase, torch::optim::Optimizer &optimizer, const Checkpoint &checkpoint,
                   Position &position);
    /// Data-parallel: copies rank 0's parameters and buffers of `phase` (model and extras) to every rank.
    Status synchronizeWeights(TrainingPhase &phase);
    /// Data-parallel, ranks above 0: reseeds torch's generators from the run's seed, the rank and
    /// the global step (rank 0 keeps the stream one process would have).
    void seedRankStream();
    /// This rank's share of a global batch (all of it without a group).
    QList<int> shareOf(const QList<int> &batch) const;
    /// `share` cut into TrainingConfig::gradientAccumulation contiguous micro-batches of near-equal
    /// size (fewer when the share is smaller; none when it is empty).
    QList<QList<int>> microBatches(const QList<int> &share) const;
    /// Forward and backward over this rank's share of `batch`, one micro-batch at a time, each loss
    /// weighted by the micro-batch's share of `batch`: the parameters' gradients add up to those of
    /// the whole batch's mean loss. -> the weighted loss summed over this rank's micro-batches.
    /// `reducer` (data-parallel): armed before the last backward.
    Result<double> accumulateGradients(TrainingPhase &phase, const QList<int> &batch, double progress, bool autocast,
                                       GradientBucketReducer *reducer);
    /// Records (and logs when above 1) the micro-batches per batch this phase trains with.
    Status recordAccumulation(const TrainingPhase &phase);
    /// Whether some rank asks to stop before the next step (a cancel request).
    Result<bool> stopRequested();
    void reportProgress(const TrainingPhase &phase, int64_t step, int64_t total, double epoch, int64_t samples);
    /// Why a run stops when `what` (the loss, the gradient norm) became `value`, NaN or infinite,
    /// at step `step` of `phase` (1-based): a NaN cannot be recorded, and every later step would
    /// be NaN too.
    QString divergence(const TrainingPhase &phase, int64_t step, const QString &what, double value) const;

    TrainingConfig m_config;
    torch::Device m_device;
    int64_t m_padId;
    MetricSink &m_sink;
    CheckpointStore &m_checkpoints;
    const TrainingCallbacks &m_callbacks;
    qint64 m_runId;
    DataParallelGroup *m_group = nullptr;
    int64_t m_globalStep = 0;
    int64_t m_phaseStep = 0;
    double m_epoch = 0.0;
    EarlyStopping m_early{0, EarlyStopping::Goal::Maximize};
    QString m_monitoredSplit;
    QString m_monitoredMetric;
    Precision m_precision = Precision::Fp32; // of the phase being trained
    int64_t m_samplesSinceReport = 0;
    int64_t m_lastReportMs = 0;
    double m_secondsPerStep = 0.0;
    // Model selection: the best evaluation's weights ("selected.<name>"), the model they belong
    // to, their step (-1: none yet) and accuracy.
    NamedTensors m_selected;
    std::shared_ptr<torch::nn::Module> m_selectedModel;
    int64_t m_selectedStep = -1;
    double m_selectedValue = 0.0;
};

} // namespace ts
