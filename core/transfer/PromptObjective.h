#pragma once

// Includes torch: for core's torch folders only.
#include "train/ClassificationObjective.h"
#include "transfer/LabelWordScorer.h"

namespace ts {

/// Prompt-based classification (LM-BFF, Gao et al. 2021): the class scores are the label words'
/// log-probabilities under the language-model head (LabelWordScorer) on prompts made by
/// PromptEncoder, so the loss is the cross-entropy of a softmax over the label words, and
/// evaluation and probabilities are those of ClassificationObjective over these scores.
class PromptObjective : public ClassificationObjective
{
public:
    PromptObjective(std::shared_ptr<PretrainedModel> model, LabelWordScorer scorer, int numClasses, int64_t padId,
                    torch::Device device);

    /// Label-word scores (B, classes) of a batch of prompts.
    torch::Tensor logits(const Batch &batch) override;

private:
    LabelWordScorer m_scorer;
};

} // namespace ts
