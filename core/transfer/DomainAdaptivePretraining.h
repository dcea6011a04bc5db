#pragma once

// Includes torch: for core's torch folders only.
#include "transfer/StrategyOption.h"
#include "transfer/TransferContext.h"

namespace ts {

struct StrategyDescriptor;

/// The domain-adaptive pre-training phase (Gururangan et al. 2020) as a step strategies compose
/// with: a strategy that lists options() in its descriptor runs it when its pretrain_epochs option
/// is above 0 (domain-adaptive pre-training itself requires that). It language-models the
/// target's unlabelled text as phase 0
/// (LanguageModelPhase), then hands over the classification model loaded with the adapted
/// weights; the strategy's own phases then count from 1.
class DomainAdaptivePretraining
{
public:
    static constexpr const char *kPretrainEpochs = "pretrain_epochs";
    static constexpr const char *kMaskProbability = "mask_probability";
    static constexpr const char *kPretrainLearningRate = "pretrain_learning_rate";

    /// The phase's options: pre-training epochs (default `defaultEpochs`, at least `minEpochs`;
    /// 0 allowed only when `minEpochs` is 0: no pre-training), masking probability, learning rate.
    static QList<StrategyOption> options(double defaultEpochs, double minEpochs);

    /// Where the strategy's own training starts.
    struct Start
    {
        std::shared_ptr<PretrainedModel> model;        // classification model, adapted when pre-trained
        std::shared_ptr<PretrainedModel> languageModel; // the adapted LM model; null when not pre-trained here
        int firstPhase = 0;                            // index of the strategy's first own phase
        std::optional<PhaseResult> cancelled;          // set when the pre-training phase was cancelled
    };

    /// Runs the pre-training phase when `d`'s pretrain_epochs is above 0 in ctx.config (skipped when
    /// resuming past it), then loads the classification model (the adapted weights, when it ran
    /// now). Without pre-training: the plain classification model and firstPhase 0, exactly as
    /// ctx.loadModel gives it.
    static Result<Start> run(TransferContext &ctx, const StrategyDescriptor &d);
};

} // namespace ts
