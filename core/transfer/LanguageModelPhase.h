#pragma once

// Includes torch: for core's torch folders only.
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
};

} // namespace ts
