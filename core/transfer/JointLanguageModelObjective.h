#pragma once

// Includes torch: for core's torch folders only.
#include "model/nn/ModelHead.h"
#include "train/ClassificationObjective.h"
#include "train/LanguageModelObjective.h"

namespace ts {

/// UDALM's mixed objective (Karouzos et al. 2021): the classification loss on a labelled source
/// batch plus `weight` x the language-modelling loss (masked words for encoders, next words for
/// decoders) on an unlabelled target batch, both through the classification model's backbone.
/// The LM head is an extra module tied to that backbone's word embeddings. Records the LM loss
/// of the training batches ("lm_loss"); evaluation is the classifier's.
class JointLanguageModelObjective : public ClassificationObjective
{
public:
    struct Settings
    {
        double weight = 0.5;  // weight of the LM loss; 0: the LM term is not computed at all
        int batchSize = 16;   // target texts per step
        uint64_t seed = 0;    // target batch order
    };

    /// `lm` supplies the masking (its own model is not used); `lmHead` sits on `model`'s backbone;
    /// `target`: the unlabelled texts, cycled through in a seeded order.
    JointLanguageModelObjective(std::shared_ptr<PretrainedModel> model, int numClasses, int64_t padId,
                                torch::Device device, std::unique_ptr<LanguageModelObjective> lm,
                                std::shared_ptr<ModelHead> lmHead, const TokenizedSet &target, Settings settings);

    torch::Tensor loss(const Batch &batch, double progress, int64_t step) override;
    QMap<QString, double> takeTrainingMetrics() override;
    std::vector<torch::Tensor> extraParameters() override;
    std::vector<std::shared_ptr<torch::nn::Module>> extraModules() override;

    /// The LM loss (mean token cross-entropy, nats) of training step `step`'s target batch.
    torch::Tensor languageModelLoss(int64_t step);

private:
    const TokenizedSet &m_target;
    Settings m_settings;
    std::unique_ptr<LanguageModelObjective> m_lm;
    std::shared_ptr<ModelHead> m_lmHead;
    double m_lmLossSum = 0;
    int m_batches = 0;
};

} // namespace ts
