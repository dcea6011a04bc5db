#pragma once

// Includes torch: for core's torch folders only.
#include "model/ModelRecord.h"
#include "model/nn/PretrainedModel.h"
#include "project/RunRecord.h"
#include "text/Tokenizer.h"
#include "train/Trainer.h"

#include <QSqlDatabase>
#include <QTemporaryDir>

#include <optional>

namespace ts {

/// Everything a strategy needs for one run, prepared by TransferRunner on the worker thread:
/// the run's settings, its data tokenized, the base model's folder and tokenizer, the trainer
/// and where metrics and checkpoints go. Not thread-safe.
class TransferContext
{
public:
    QSqlDatabase db;
    RunRecord run;
    TrainingConfig config;
    torch::Device device{torch::kCPU};
    const TrainingCallbacks *callbacks = nullptr;

    ModelRecord model;
    QString modelDir;           // the base model's files on disk
    Tokenizer tokenizer;
    QStringList classes;        // class index -> label, from the source corpus
    QString sourceName;
    QString targetName;

    TokenizedSet train;              // source train (+ few-shot target examples)
    TokenizedSet sourceValidation;   // "source/validation"
    TokenizedSet sourceTest;         // "source/test", every text (never capped)
    TokenizedSet targetValidation;   // "target/validation"
    TokenizedSet targetTest;         // "target/test", every text (never capped)
    // Every text of the validation split, for a corpus without a test split: the run's result
    // comes from it (empty when the corpus has a test split).
    TokenizedSet sourceWholeValidation;
    TokenizedSet targetWholeValidation;
    TokenizedSet targetUnlabeled;    // "target/unlabeled": unlabelled pool (domain 1)
    TokenizedSet sourceUnlabeled;    // "source/unlabeled"
    QList<LabelledText> sourceTrainTexts; // before tokenization (multi-task mixing)

    // Whether this process writes the project: false on the ranks above 0 of a data-parallel run,
    // which train alongside rank 0 and store nothing (their sink discards).
    bool writesProject = true;
    std::unique_ptr<DataParallelGroup> group; // the data-parallel ranks; null when training alone
    std::unique_ptr<MetricSink> sink;
    std::unique_ptr<CheckpointStore> checkpoints;
    std::unique_ptr<Trainer> trainer;
    std::optional<Checkpoint> resume;  // the checkpoint to continue from, when resuming

    explicit TransferContext(Tokenizer tokenizerHandle) : tokenizer(std::move(tokenizerHandle)) {}

    /// The base model with the head for `task` (classification: one output per class), on the
    /// run's device, seeded with the run's initialisation seed, with layer checkpointing as the
    /// run's gradient_checkpointing says. `keepStoredDtype`: the backbone's weights stay in their stored
    /// dtype (bf16/fp16: half of fp32's memory; on the CPU viewing the mapped file); the strategy
    /// converts the ones it trains to fp32 with layers::trainInFloat32 before they train.
    /// `initialised` (when given) receives the tensors the checkpoint lacked: a new head's.
    Result<std::shared_ptr<PretrainedModel>> loadModel(ModelTask task, bool keepStoredDtype = false,
                                                       QStringList *initialised = nullptr) const;
    /// Encoders get masked LM, decoders causal LM.
    ModelTask languageModelTask() const;

    /// AdamW groups of the trainable parameters of `model` (+ `extra`): weight decay except on
    /// biases and norms.
    std::vector<ParameterGroup> parameterGroups(torch::nn::Module &model, const std::vector<torch::Tensor> &extra = {},
                                                double learningRateScale = 1.0) const;

    /// Runs a fine-tuning phase of `model` with `objective` on `train`, evaluating on source and
    /// target validation, then (unless cancelled) on source and target test. `phaseIndex` orders
    /// phases for checkpoints.
    Result<PhaseResult> fineTune(const std::shared_ptr<PretrainedModel> &model, TrainingObjective &objective,
                                 std::vector<ParameterGroup> groups, int phaseIndex,
                                 std::function<void(int)> onEpochStart = {});

    /// The splits the run's result comes from, every text of each: test, else the whole
    /// validation split, for the source and the target (empty sets left out).
    QList<const TokenizedSet *> finalSets() const;

    /// Measures `objective` on finalSets() at the current step, with the weights model selection
    /// chose (Trainer::applySelection; the last ones for "last"): a classifier's predictions are
    /// stored (PredictionStore) with the metrics computed from them; other objectives record
    /// their evaluation. Data-parallel: each rank scores its share of every set (EvaluationShards)
    /// and every rank gets all the predictions; rank 0 alone stores them.
    Status finalEvaluation(TrainingObjective &objective);

    /// Stores `probabilities` (N, classes; float32, CPU) as the predictions on `set` and records
    /// the accuracy, macro-F1, calibration error, loss and number of texts they give.
    Status recordPredictions(const TokenizedSet &set, const torch::Tensor &probabilities);

    /// Logs a line through the callbacks.
    void log(const QString &line) const;

    /// Whether `name` is a parameter that takes no weight decay (biases, LayerNorm / RMSNorm).
    static bool isNoDecay(const std::string &name);
};

} // namespace ts
