#pragma once

#include "transfer/PromptClassifier.h"
#include "transfer/TransferStrategy.h"

namespace ts {

/// `zero-shot`: no training. Decoders pick the label whose label word is most likely after the
/// prompt; encoders given a prompt or label words pick the label word their masked-LM head finds
/// most likely at the prompt's mask; other encoders embed each text and each label's description
/// (mean of the last hidden states) and pick the most similar label (cosine). Prompts can carry
/// in-context demonstrations and be calibrated (PromptSettings): in-context few-shot is this
/// strategy with `demonstrations` > 0, since it trains nothing either. Records accuracy and
/// macro-F1 at step 0, and the predictions on the splits the result comes from (probabilities: a
/// softmax over the scores).
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
    /// Logs the content-free input's label probabilities that contextual calibration divides by.
    static void logCalibration(TransferContext &ctx, const PromptClassifier &classifier);
};

} // namespace ts
