#pragma once

#include "util/Result.h"

#include <QSqlDatabase>

namespace ts {

/// What a finished run keeps of its training state (WeightRetention). Its newest checkpoint
/// holds the whole model, the objective's extra modules, AdamW's moments and RNG states; a
/// finished run needs none but the weights it changed, which TrainedModel puts back onto the base
/// model: the parameters the last phase trained (the checkpoint state's
/// CheckpointStore::kTrainedKey: every weight for full fine-tuning, the unfrozen layers and the
/// head for freezing, the adapters and the head for LoRA), and the tensors the base model's files
/// lack (initialised when the run started, e.g. a pooler a LoRA run left frozen). Checkpoints of
/// older versions, which lack that list, keep every model tensor. Torch-free header.
class RunWeights
{
public:
    /// Replaces run `runId`'s checkpoint by what `keep` retains (an empty `keep`: "final"), in one
    /// transaction; `baseDir` is the run's base model folder. A run without a checkpoint (it
    /// trained nothing) is left as it is.
    static Status keepFinal(QSqlDatabase db, qint64 runId, const QString &keep, const QString &baseDir);
};

} // namespace ts
