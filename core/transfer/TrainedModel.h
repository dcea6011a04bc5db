#pragma once

// Includes torch: for core's torch folders only.
#include "model/nn/ModelLoader.h"
#include "project/RunRecord.h"

#include <QSqlDatabase>
#include <QStringList>

namespace ts {

/// A finished run's model rebuilt from what the project keeps: the base model with the run's head
/// (and LoRA adapters), its trained weights read from the run's newest checkpoint. Export and
/// predict start from it. Not thread-safe.
struct TrainedModel
{
    ModelLoader::Loaded loaded;  // the model (CPU, fp32, eval mode) and the base model's folder
    QStringList classes;         // class index -> label (classifiers; empty for language models)
    ModelTask task = ModelTask::SequenceClassification;

    /// Rebuilds run `run`'s model; the base model's stored files go to `scratchDir` when needed.
    /// Fails, saying why, for a run that trained nothing (zero-shot) or has no checkpoint yet.
    static Result<TrainedModel> load(const QSqlDatabase &db, const RunRecord &run, const QString &scratchDir);
};

} // namespace ts
