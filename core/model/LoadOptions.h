#pragma once

#include "model/ModelFamily.h"

namespace ts {

/// How ModelLoader builds and fills a model. Torch-free: the GUI and CLI fill it in.
struct LoadOptions
{
    ModelTask task = ModelTask::Embedding; // which head to put on the backbone
    int numLabels = 0;                     // classification outputs; 0 keeps config.json's id2label
    bool allowFreshHead = true;            // head tensors (and BERT's pooler) absent from the checkpoint are
                                           // initialised and reported; false: they count as missing
    bool keepStoredDtype = false;          // backbone weights stored as bf16/fp16 keep that dtype (frozen
                                           // weights: half the memory of fp32); head weights are fp32 always
};

} // namespace ts
