#include "transfer/JointLanguageModelObjective.h"

#include "project/RunVocabulary.h"
#include "train/LengthBucketSampler.h"

namespace ts {

JointLanguageModelObjective::JointLanguageModelObjective(std::shared_ptr<PretrainedModel> model, int numClasses,
                                                         int64_t padId, torch::Device device,
                                                         std::unique_ptr<LanguageModelObjective> lm,
                                                         std::shared_ptr<ModelHead> lmHead, const TokenizedSet &target,
                                                         Settings settings)
    : ClassificationObjective(std::move(model), numClasses, padId, device), m_target(target), m_settings(settings),
      m_lm(std::move(lm)), m_lmHead(std::move(lmHead))
{
}

torch::Tensor JointLanguageModelObjective::languageModelLoss(int64_t step)
{
    // Step s takes batch (s mod n) of target epoch (s div n): a fixed function of the step, so
    // that a resumed run draws the same target batches and the same masking.
    const LengthBucketSampler sampler(m_target.lengths(), m_settings.batchSize, m_settings.seed);
    const int perEpoch = std::max(1, sampler.batchesPerEpoch());
    const Batch target = Batch::gather(m_target, sampler.epoch(int(step / perEpoch))[int(step % perEpoch)], m_padId,
                                       m_device);
    const auto [inputs, labels] = m_lm->trainingInputs(target, step); // (B,T), (B,T)
    const auto scored = LanguageModelObjective::scoredPositions(m_model->encode(inputs, target.mask), labels,
                                                                m_lm->mode());
    return LanguageModelObjective::meanLoss(m_lmHead->forward(scored.output, target.mask), scored.labels,
                                            m_lm->mode());
}

torch::Tensor JointLanguageModelObjective::loss(const Batch &batch, double progress, int64_t step)
{
    const torch::Tensor classification = ClassificationObjective::loss(batch, progress, step);
    if (m_settings.weight <= 0)
        return classification;
    const torch::Tensor lm = languageModelLoss(step);
    m_lmLossSum += lm.item<double>();
    ++m_batches;
    return classification + m_settings.weight * lm;
}

QMap<QString, double> JointLanguageModelObjective::takeTrainingMetrics()
{
    QMap<QString, double> values;
    if (m_batches > 0)
        values.insert(QString(Metrics::kLanguageModelLoss), m_lmLossSum / double(m_batches));
    m_lmLossSum = 0;
    m_batches = 0;
    return values;
}

std::vector<torch::Tensor> JointLanguageModelObjective::extraParameters()
{
    // The tied decoder is the backbone's word embeddings, which the model's groups already hold.
    return m_lmHead->parameters();
}

std::vector<std::shared_ptr<torch::nn::Module>> JointLanguageModelObjective::extraModules()
{
    return {m_lmHead};
}

} // namespace ts
