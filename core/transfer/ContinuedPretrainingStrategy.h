#pragma once

#include "transfer/TransferStrategy.h"

namespace ts {

/// `continued-pretraining`: language-model transfer. Trains the LM on the target's unlabelled
/// text (and the source's, with option include_source) while tracking source and target
/// perplexity, the source's showing forgetting. With option save_as the result is registered as
/// a new model of the project (how built-in models are pre-trained from scratch).
class ContinuedPretrainingStrategy : public TransferStrategy
{
public:
    static constexpr const char *kName = "continued-pretraining"; // the registry key runs record
    static constexpr const char *kIncludeSource = "include_source";
    static constexpr const char *kSaveAs = "save_as";
    static constexpr const char *kMaskProbability = "mask_probability";

    /// Name, help, options and capabilities (StrategyRegistry).
    static const StrategyDescriptor &descriptor();

    Result<PhaseResult> run(TransferContext &ctx) override;

private:
    static Status saveModel(TransferContext &ctx, PretrainedModel &model, const QString &name);
};

} // namespace ts
