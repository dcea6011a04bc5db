#pragma once

// Includes torch: for core's torch folders only.
#include "train/ClassificationObjective.h"

namespace ts {

/// DANN (Ganin et al. 2016): the classification loss on labelled source batches plus a domain
/// classifier's loss on pooled features of source and unlabelled target batches, seen through
/// a gradient reversal layer whose strength follows lambda(p) = 2/(1+exp(-gamma p)) - 1.
/// Records the domain classifier's accuracy on training batches ("domain_accuracy").
class DomainAdversarialObjective : public ClassificationObjective
{
public:
    struct Settings
    {
        double weight = 1.0;   // weight of the domain loss
        double gamma = 10.0;   // lambda schedule steepness
        int hidden = 256;      // domain classifier hidden units
        int batchSize = 16;    // target examples per step
        uint64_t seed = 0;     // target batch order
    };

    /// `target`: unlabelled target examples (domain 1), cycled through in a seeded order.
    DomainAdversarialObjective(std::shared_ptr<PretrainedModel> model, int numClasses, int64_t padId,
                               torch::Device device, const TokenizedSet &target, Settings settings);

    torch::Tensor loss(const Batch &batch, double progress, int64_t step) override;
    QMap<QString, double> takeTrainingMetrics() override;
    std::vector<torch::Tensor> extraParameters() override;
    std::vector<std::shared_ptr<torch::nn::Module>> extraModules() override;

    /// Mean of the hidden states over real tokens: (B,T,H), (B,T) -> (B,H).
    static torch::Tensor meanPool(const torch::Tensor &hidden, const torch::Tensor &mask);

private:
    Batch targetBatch(int64_t step) const;

    const TokenizedSet &m_target;
    Settings m_settings;
    torch::nn::Sequential m_domainClassifier{nullptr};
    double m_correct = 0;
    double m_seen = 0;
    double m_lossSum = 0;
    int m_batches = 0;
    double m_lambda = 0;
};

} // namespace ts
