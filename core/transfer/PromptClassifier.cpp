#include "transfer/PromptClassifier.h"

#include "transfer/ContextualCalibration.h"

namespace ts {

Result<PromptClassifier> PromptClassifier::create(std::shared_ptr<PretrainedModel> model, PromptEncoder encoder,
                                                  int numClasses, int64_t padId, torch::Device device)
{
    using R = Result<PromptClassifier>;
    PromptClassifier c(std::move(encoder));
    const PromptSettings &settings = c.m_encoder.settings();
    c.m_objective = std::make_unique<PromptObjective>(
        std::move(model), LabelWordScorer(c.m_encoder.wordIds(), c.m_encoder.maskId(), settings.wordScore, padId),
        numClasses, padId, device);
    if (!settings.calibrate)
        return c;
    const auto ids = c.m_encoder.encode(settings.contentFree);
    if (!ids)
        return R::failure(ids.error());
    TokenizedSet reference;
    reference.name = QStringLiteral("content-free input");
    reference.ids.push_back(ids.value());
    reference.labels.append(-1);
    reference.domains.append(0);
    c.m_contentFree = c.m_objective->classProbabilities(reference, 1)[0]; // (classes)
    return c;
}

torch::Tensor PromptClassifier::probabilities(const TokenizedSet &prompts, int batchSize)
{
    const torch::Tensor p = m_objective->classProbabilities(prompts, batchSize); // (N, classes)
    return m_contentFree.defined() ? ContextualCalibration::apply(p, m_contentFree) : p;
}

} // namespace ts
