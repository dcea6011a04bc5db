#pragma once

#include "transfer/TransferStrategy.h"

namespace ts {

/// `zero-shot`: no training. Encoders embed each text and each label's description (mean of the
/// last hidden states) and pick the most similar label (cosine); decoders pick the label whose
/// description is most likely after the text. Records accuracy and macro-F1 at step 0, and the
/// predictions on the splits the result comes from (probabilities: a softmax over the scores).
class ZeroShotStrategy : public TransferStrategy
{
public:
    static constexpr const char *kName = "zero-shot"; // the registry key runs record
    static constexpr const char *kLabelDescriptions = "label_descriptions";

    /// Name, help, options and capabilities (StrategyRegistry).
    static const StrategyDescriptor &descriptor();

    Result<PhaseResult> run(TransferContext &ctx) override;

    /// Label descriptions from "0=a negative review|1=a positive review"; labels without one
    /// are described by their own name.
    static QStringList descriptions(const QString &setting, const QStringList &classes);

private:
    /// Cosine similarities (N, classes) of each text to each label description, float32 on the CPU.
    static torch::Tensor scoreBySimilarity(TransferContext &ctx, PretrainedModel &model, const TokenizedSet &set,
                                           const QStringList &descriptions);
    /// Mean log-probability (N, classes) of each label description after each text.
    static torch::Tensor scoreByLikelihood(TransferContext &ctx, PretrainedModel &model, const TokenizedSet &set,
                                           const QStringList &descriptions);
};

} // namespace ts
