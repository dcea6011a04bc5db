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
/// strategy's descriptor names (prepared by the strategy, e.g. LoRA's adapters), its trained
/// weights read from the run's newest checkpoint. Export and predict start from it. Not
/// thread-safe.
struct TrainedModel
{
    ModelLoader::Loaded loaded;  // the model (CPU, fp32, eval mode) and the base model's folder
    QStringList classes;         // class index -> label (classifiers; empty for language models)
    ModelTask task = ModelTask::SequenceClassification;
    TrainingConfig config;       // the run's settings
    std::unique_ptr<TransferStrategy> strategy; // what wrote the weights (its export hooks)

    /// Rebuilds run `run`'s model; the base model's stored files go to `scratchDir` when needed.
    /// Fails, saying why, for a run that trained nothing (zero-shot) or has no checkpoint yet.
    static Result<TrainedModel> load(const QSqlDatabase &db, const RunRecord &run, const QString &scratchDir);
};

} // namespace ts
