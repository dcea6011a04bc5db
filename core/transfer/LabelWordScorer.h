#pragma once

// Includes torch: for core's torch folders only.
#include "model/nn/PretrainedModel.h"
#include "train/TokenizedSet.h"
#include "transfer/PromptSettings.h"

#include <vector>

namespace ts {

/// Scores each class's label word after (decoders) or at the mask of (masked-LM encoders) each
/// prompt of a batch with the model's language-model head. A word of n tokens: decoders append
/// it and read the log-probability of each token given the ones before; encoders put n mask
/// tokens in place of the prompt's one and read each token's log-probability at its mask (as
/// PET does). The n values are averaged or summed (PromptSettings::WordScore). Not thread-safe.
class LabelWordScorer
{
public:
    /// `wordIds` per class (PromptEncoder::wordIds), `maskId` -1 for decoders.
    LabelWordScorer(std::vector<std::vector<long long>> wordIds, long long maskId, PromptSettings::WordScore wordScore,
                    int64_t padId);

    /// Label-word scores (B, classes), float32 on the batch's device, differentiable when grad
    /// is on. `ids` (B,T) prompts from PromptEncoder, right-padded; `mask` (B,T) 1 = real token.
    torch::Tensor score(PretrainedModel &model, const torch::Tensor &ids, const torch::Tensor &mask) const;

private:
    std::vector<std::vector<long long>> m_wordIds;
    long long m_maskId;
    PromptSettings::WordScore m_wordScore;
    int64_t m_padId;
};

} // namespace ts
