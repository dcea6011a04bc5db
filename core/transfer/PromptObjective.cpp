#include "transfer/PromptObjective.h"

namespace ts {

PromptObjective::PromptObjective(std::shared_ptr<PretrainedModel> model, LabelWordScorer scorer, int numClasses,
                                 int64_t padId, torch::Device device)
    : ClassificationObjective(std::move(model), numClasses, padId, device), m_scorer(std::move(scorer))
{
}

torch::Tensor PromptObjective::logits(const Batch &batch)
{
    return m_scorer.score(*m_model, batch.ids, batch.mask);
}

} // namespace ts
