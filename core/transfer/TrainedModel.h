#pragma once

// Includes torch: for core's torch folders only.
#include "model/nn/ModelLoader.h"
#include "project/RunRecord.h"
#include "train/TrainingConfig.h"
#include "transfer/TransferStrategy.h"

#include <QSqlDatabase>
#include <QStringList>

#include <memory>

namespace ts {

/// A finished run's model rebuilt from what the project keeps: the base model with the head its
/// strategy's descriptor names (prepared by the strategy, e.g. LoRA's adapters), then the weights
/// the run kept (RunWeights: the tensors it trained) copied over it; for a run without kept
/// weights (unfinished, or finished by an older version) every weight comes from its newest
/// checkpoint. Export and predict start from it. Not thread-safe.
struct TrainedModel
{
    /// What the model is rebuilt for.
    enum class Use {
        Export,  // the weights the run trained: a run that trained none is refused
        Predict, // classifying as the run did: a run that trained nothing but scores through its
                 // prompt gets the base model with its language-model head, as the run loaded it
    };

    ModelLoader::Loaded loaded;  // the model (CPU, fp32, eval mode) and the base model's folder
    QStringList classes;         // class index -> label (classifiers and prompt runs; else empty)
    ModelTask task = ModelTask::SequenceClassification;
    bool scoresThroughPrompt = false; // classifies through its prompt (StrategyDescriptor::promptScoring)
    TrainingConfig config;       // the run's settings
    std::unique_ptr<TransferStrategy> strategy; // what wrote the weights (its export hooks)

    /// Rebuilds run `run`'s model; the base model's stored files go to `scratchDir` when needed.
    /// Fails, saying why, for a run that has no checkpoint yet or trained nothing (zero-shot),
    /// unless `use` is Predict and the run classified through its prompt.
    static Result<TrainedModel> load(const QSqlDatabase &db, const RunRecord &run, const QString &scratchDir,
                                     Use use = Use::Export);

private:
    /// The stored bytes the run's weights come from.
    struct StoredWeights
    {
        QByteArray bytes;      // a safetensors image
        QString name;          // "run 3's kept weights", for messages
        bool kept = false;     // kept weights (only what the run trained) rather than a checkpoint
        bool selected = false; // a checkpoint whose "selected." tensors are the result
    };
    /// The run's kept weights, else its newest checkpoint, else a message saying why it has none
    /// (trains nothing, kept none by its retention setting, no checkpoint yet).
    static Result<StoredWeights> readWeights(const QSqlDatabase &db, const RunRecord &run, const TrainingConfig &config,
                                             const StrategyDescriptor &strategy);
    /// Copies `weights` over `model`, built from the base model `modelName` (`initialised`: the
    /// tensors the base model lacked).
    static Status restore(const StoredWeights &weights, PretrainedModel &model, const QStringList &initialised,
                          const QString &modelName);
};

} // namespace ts
