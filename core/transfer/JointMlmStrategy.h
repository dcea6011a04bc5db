#pragma once

#include "transfer/TransferStrategy.h"

namespace ts {

/// `joint-mlm` (UDALM, Karouzos et al. 2021): one phase that trains the classifier on the source
/// labels and, on the same backbone, language-models the target's unlabelled text (masked words
/// for encoders, next words for decoders): loss = classification + lm_weight x LM. Optionally
/// after a domain-adaptive pre-training phase (pretrain_epochs > 0, DomainAdaptivePretraining).
/// Records the LM loss of the training batches as "train" "lm_loss".
class JointMlmStrategy : public TransferStrategy
{
public:
    static constexpr const char *kName = "joint-mlm"; // the registry key runs record
    static constexpr const char *kLmWeight = "lm_weight";
    static constexpr const char *kHeadWarmupEpochs = "head_warmup_epochs";
    static constexpr const char *kHeadWarmupLearningRate = "head_warmup_lr";

    /// Name, help, options and capabilities (StrategyRegistry).
    static const StrategyDescriptor &descriptor();

    Result<PhaseResult> run(TransferContext &ctx) override;

private:
    /// An LM head on `model`'s backbone (decoder tied to its word embeddings) with the weights of
    /// `languageModel`'s head (the base model's or the domain-adapted one).
    static Result<std::shared_ptr<ModelHead>> languageModelHead(const PretrainedModel &model,
                                                                PretrainedModel &languageModel, ModelTask task);
};

} // namespace ts
