#pragma once

#include "transfer/TransferStrategy.h"

namespace ts {

class ClassificationObjective;

/// `self-training` with pseudo-labels: fine-tunes on the source labels (phase 0), then for each of
/// `rounds` rounds (phases 1..rounds) labels the target's unlabelled text with the current model,
/// keeps the predictions at least `confidence` sure, the same number per class (class-balanced,
/// at most `max_per_class`), and trains `round_epochs` more on the source plus those pseudo-labels.
/// Records the number kept per round as "target/unlabeled" "pseudo_labels".
class SelfTrainingStrategy : public TransferStrategy
{
public:
    static constexpr const char *kName = "self-training"; // the registry key runs record
    static constexpr const char *kRounds = "rounds";
    static constexpr const char *kConfidence = "confidence";
    static constexpr const char *kMaxPerClass = "max_per_class";
    static constexpr const char *kRoundEpochs = "round_epochs";

    /// Name, help, options and capabilities (StrategyRegistry).
    static const StrategyDescriptor &descriptor();

    Result<PhaseResult> run(TransferContext &ctx) override;

    /// One prediction on an unlabelled text.
    struct PseudoLabel
    {
        int index = 0;         // into the unlabelled set
        int label = 0;         // predicted class
        double confidence = 0; // its softmax probability
    };

    /// The class-balanced selection: of the predictions at least `threshold` sure, the most
    /// confident k of each class, k the smallest per-class count (capped by `maxPerClass` when
    /// > 0); empty when a class has none. Sorted by index.
    static QList<PseudoLabel> selectBalanced(const QList<PseudoLabel> &predictions, int classes, double threshold,
                                             int maxPerClass);

private:
    static QList<PseudoLabel> predict(TransferContext &ctx, ClassificationObjective &objective, PretrainedModel &model);
};

} // namespace ts
