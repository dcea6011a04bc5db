#include "transfer/DomainAdversarialObjective.h"

#include "train/LengthBucketSampler.h"
#include "transfer/GradientReversal.h"

namespace ts {

DomainAdversarialObjective::DomainAdversarialObjective(std::shared_ptr<PretrainedModel> model, int numClasses,
                                                       int64_t padId, torch::Device device,
                                                       const TokenizedSet &target, Settings settings)
    : ClassificationObjective(std::move(model), numClasses, padId, device), m_target(target), m_settings(settings)
{
    const int64_t width = m_model->config().hiddenSize;
    m_domainClassifier = torch::nn::Sequential(torch::nn::Linear(width, settings.hidden), torch::nn::ReLU(),
                                               torch::nn::Dropout(0.1), torch::nn::Linear(settings.hidden, 2));
    m_domainClassifier->to(device);
}

torch::Tensor DomainAdversarialObjective::meanPool(const torch::Tensor &hidden, const torch::Tensor &mask)
{
    const auto weights = mask.unsqueeze(-1).to(hidden.scalar_type()); // (B,T,1)
    return (hidden * weights).sum(1) / weights.sum(1).clamp_min(1.0);
}

Batch DomainAdversarialObjective::targetBatch(int64_t step) const
{
    // Step s takes batch (s mod n) of target epoch (s div n): a fixed function of the step, so
    // that a resumed run draws the same target batches.
    const LengthBucketSampler sampler(m_target.lengths(), m_settings.batchSize, m_settings.seed);
    const int perEpoch = std::max(1, sampler.batchesPerEpoch());
    const QList<QList<int>> batches = sampler.epoch(int(step / perEpoch));
    return Batch::gather(m_target, batches[int(step % perEpoch)], m_padId, m_device);
}

torch::Tensor DomainAdversarialObjective::loss(const Batch &batch, double progress, int64_t step)
{
    const BackboneOutput source = m_model->encode(batch.ids, batch.mask);
    const auto logits = m_model->headForward(source, batch.mask).to(torch::kFloat32);
    const auto classification = torch::nn::functional::cross_entropy(
        logits, batch.labels, torch::nn::functional::CrossEntropyFuncOptions().ignore_index(-1));

    const Batch target = targetBatch(step);
    const BackboneOutput targetOut = m_model->encode(target.ids, target.mask);
    const auto features = torch::cat({meanPool(source.hidden, batch.mask), meanPool(targetOut.hidden, target.mask)})
                              .to(torch::kFloat32); // (Bs+Bt, H)
    const auto domains = torch::cat({torch::zeros({batch.size()}, torch::kInt64),
                                     torch::ones({target.size()}, torch::kInt64)})
                             .to(m_device);
    m_lambda = GradientReversal::scheduledLambda(progress, m_settings.gamma);
    const auto domainLogits = m_domainClassifier->forward(GradientReversal::reverse(features, m_lambda));
    const auto domainLoss = torch::nn::functional::cross_entropy(domainLogits, domains);

    m_correct += domainLogits.argmax(1).eq(domains).sum().item<double>();
    m_seen += double(domains.size(0));
    m_lossSum += domainLoss.item<double>();
    ++m_batches;
    return classification + m_settings.weight * domainLoss;
}

QMap<QString, double> DomainAdversarialObjective::takeTrainingMetrics()
{
    if (m_batches == 0)
        return {};
    QMap<QString, double> values{{QStringLiteral("domain_accuracy"), m_correct / m_seen},
                                 {QStringLiteral("domain_loss"), m_lossSum / m_batches},
                                 {QStringLiteral("grl_lambda"), m_lambda}};
    m_correct = m_seen = m_lossSum = 0;
    m_batches = 0;
    return values;
}

std::vector<torch::Tensor> DomainAdversarialObjective::extraParameters()
{
    return m_domainClassifier->parameters();
}

std::vector<std::shared_ptr<torch::nn::Module>> DomainAdversarialObjective::extraModules()
{
    return {m_domainClassifier.ptr()};
}

} // namespace ts
