#pragma once

#include "util/Result.h"

#include <QJsonObject>
#include <QString>
#include <QStringList>

namespace ts {

/// Every option of a training run, stored as the run's config JSON (so a run can be repeated and
/// resumed exactly). `defaults()` gives the values the GUI shows and the CLI starts from.
struct TrainingConfig
{
    QString strategy = QStringLiteral("source-only"); // a StrategyRegistry name (core/transfer)
    int epochs = 3;                   // passes over the training set
    double learningRate = 5e-5;       // peak AdamW learning rate
    int batchSize = 16;               // examples per optimiser step (the global batch)
    // Micro-batches each batch is split into, their gradients summed before the step (JSON
    // "gradient_accumulation": "auto" or a whole number from 1 to batchSize). The batch, and so the
    // arithmetic, stays batchSize; only the memory changes. kAutoAccumulation: the fewest whose
    // estimated memory fits the device (RunMemoryEstimate::accumulationFor).
    int gradientAccumulation = kAutoAccumulation;
    int maxLength = 128;              // tokens per example, special tokens included
    double warmupRatio = 0.1;         // fraction of steps with linear warm-up
    QString decay = QStringLiteral("linear"); // "linear", "cosine", "constant"
    double weightDecay = 0.01;        // AdamW decoupled decay (never on biases and norms)
    double gradientClip = 1.0;        // max global gradient norm; 0: off
    int evalEvery = 0;                // evaluate every N optimiser steps; 0: once per epoch
    int patience = 0;                 // early stopping: evaluations without improvement; 0: off
    QString earlyStopSplit = QStringLiteral("source/validation"); // monitored split
    QString earlyStopMetric = QStringLiteral("accuracy");         // monitored metric
    qint64 initSeed = 13;             // weight initialisation (heads, adapters)
    qint64 dataSeed = 17;             // data order, splits, few-shot draws, masking
    int targetLabels = 0;             // few-shot: labelled target examples per class; -1: all
    QString device = QStringLiteral("auto"); // "auto", "cpu", "cuda"
    // Arithmetic of the passes (TrainingPrecision): "auto" (bf16 on CUDA and on CPUs with
    // AVX512-BF16 or AMX, else fp32), "fp32" or "bf16"; weights and optimiser state stay fp32.
    QString precision = QStringLiteral("auto");
    int cpuThreads = 0;               // intra-op threads on the CPU; 0: libtorch's default
    // Activation checkpointing per transformer layer (JSON "gradient_checkpointing"): "on", "off", or
    // "auto": on for backbones of kAutoCheckpointParameters parameters or more. Saves most activation
    // memory for about one more forward pass per step; every architecture supports it.
    QString gradientCheckpointing = QStringLiteral("auto");
    int checkpointEvery = 0;          // save a resumable checkpoint every N steps; 0: each evaluation
    int maxTrainExamples = 0;         // cap on training examples (quick runs); 0: all
    int maxEvalExamples = 0;          // cap on examples per evaluation split; 0: all
    QString memoryCheck = QStringLiteral("refuse"); // estimate above the device's memory: "refuse" or "warn"
    // Which weights are the run's result: "last" (the end of training), "best-source" (the
    // evaluation with the highest source validation accuracy) or "best-target" (target validation
    // accuracy: uses target labels, so not a fair unsupervised result).
    QString selection = QStringLiteral("last");
    // What the run keeps when it finishes (WeightRetention: "final", "best-and-final", "none");
    // empty: the project's default, which TransferRunner::createRun records in its place.
    QString keep;
    QJsonObject options;              // the strategy's own settings (StrategyRegistry: their schema)

    /// gradientAccumulation's "auto".
    static constexpr int kAutoAccumulation = 0;
    /// The most micro-batches a batch may be split into.
    static constexpr int kMaxAccumulation = 4096;

    /// Reads a config JSON; missing fields keep their defaults, wrong ones fail naming the field.
    static Result<TrainingConfig> fromJson(const QJsonObject &json);
    QJsonObject toJson() const;

    /// Backbone size from which "auto" checkpoints layers: 300 M parameters (Qwen2.5-0.5B and up).
    static constexpr qint64 kAutoCheckpointParameters = 300'000'000;

    /// Whether a backbone of `parameters` parameters trains with layer checkpointing.
    bool checkpointsLayers(qint64 parameters) const;

    /// "auto" or the number of micro-batches per batch, as the CLI and the run's log name it.
    QString accumulationText() const;
    /// Parses "auto" or a whole number from 1 to kMaxAccumulation into `factor`; false otherwise.
    static bool parseAccumulation(const QString &text, int *factor);

    /// Checks ranges; the message names the field and the allowed range.
    Status validate() const;

    /// The validation split whose accuracy picks the run's weights; empty for "last".
    QString selectionSplit() const;
    /// Whether the selection criterion reads target labels ("best-target").
    bool selectionUsesTargetLabels() const;
    /// The selection criteria, in the order the GUI and the CLI offer them.
    static QStringList selectionCriteria();

    /// A strategy option as a number / string / list, or `fallback` when not set.
    double option(const QString &name, double fallback) const;
    QString optionString(const QString &name, const QString &fallback) const;
    QStringList optionList(const QString &name, const QStringList &fallback) const;
};

} // namespace ts
