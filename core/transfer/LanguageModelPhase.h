#pragma once

// Includes torch: for core's torch folders only.
#include "train/LanguageModelObjective.h"
#include "transfer/TransferContext.h"

namespace ts {

/// A language-modelling phase shared by `dapt` and `continued-pretraining`: trains the base
/// model's LM head on `texts` and tracks source and target perplexity.
class LanguageModelPhase
{
public:
    /// The trained model, or how the phase ended when it did not finish (cancelled).
    struct Outcome
    {
        std::shared_ptr<PretrainedModel> model;
        PhaseResult result;
    };

    /// Trains for `epochs` at `learningRate` as phase `index` of the run; encoders hide
    /// `maskProbability` of the tokens (masked words).
    static Result<Outcome> run(TransferContext &ctx, const TokenizedSet &texts, double epochs, double learningRate,
                               double maskProbability, int index);

    /// Trains only the language-model head of `model` (its backbone frozen) on `texts` for
    /// `epochs` at `learningRate`, as phase `index` named "head warm-up": a head that the
    /// checkpoint lacked starts random, and its gradient would otherwise reach the backbone as
    /// noise many times larger than a task's (a gradient norm of 14 against 1 on MiniLM).
    static Result<PhaseResult> warmUpHead(TransferContext &ctx, const std::shared_ptr<PretrainedModel> &model,
                                          const TokenizedSet &texts, double epochs, double learningRate,
                                          double maskProbability, int index);

    /// The language-modelling objective of the run's model on `model` (built for
    /// ctx.languageModelTask()): masked words for encoders, next words for decoders; fails naming
    /// the model when an encoder's tokenizer has no [MASK].
    static Result<std::unique_ptr<LanguageModelObjective>> objective(const TransferContext &ctx,
                                                                     std::shared_ptr<PretrainedModel> model,
                                                                     double maskProbability);
};

} // namespace ts
