#pragma once

#include "model/ModelRecord.h"

#include <QString>

namespace ts {

/// The learning rate, batch size and maximum length a run of a model starts from when the user
/// gives none, with the reason in words. A small built-in model starts from random weights (or
/// from a short pre-training in the project) and needs a rate about 20x higher than a pretrained
/// encoder; larger pretrained models want lower rates and smaller batches. Torch-free value type:
/// the experiment dialog and the CLI's `run` read it.
struct ModelDefaults
{
    /// Tokens per example for encoders (reviews and short documents fit; longer costs time).
    static constexpr int kEncoderMaxLength = 128;
    /// Tokens per example for decoders (they read the whole text before the last token decides).
    static constexpr int kDecoderMaxLength = 256;

    double learningRate = 5e-5; ///< peak AdamW learning rate
    int batchSize = 16;         ///< examples per optimiser step
    int maxLength = kEncoderMaxLength; ///< tokens per example, never more than the model's positions
    QString reason;             ///< one sentence: why these values, e.g. "trained from scratch: ..."

    /// The defaults for `model` (its kind, family, size and position table).
    static ModelDefaults forModel(const ModelRecord &model);
    /// "lr 0.001, batch 32, 128 tokens": the three values, short.
    QString summary() const;
};

} // namespace ts
