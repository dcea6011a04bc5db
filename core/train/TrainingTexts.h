#pragma once

#include "train/DomainData.h"

namespace ts {

struct TrainingConfig;

/// The labelled texts a run trains on, drawn as TransferRunner draws them: the source's train
/// split capped at maxTrainExamples, and the target's few labels (targetLabels per class). The
/// runner, the prompt preview and predict (which draws a run's in-context demonstrations again)
/// share this one draw. Torch-free value type.
struct TrainingTexts
{
    QList<LabelledText> source; // the source's capped training texts (domain 0)
    QList<LabelledText> target; // the target's few labels (domain 1); empty without a budget

    /// The texts a run of `config` over `numClasses` classes trains on, from its corpora's
    /// documents (DomainDataLoader::load with the run's data seed).
    static TrainingTexts draw(const DomainData &source, const DomainData &target, const TrainingConfig &config,
                              int numClasses);
};

} // namespace ts
