#pragma once

#include "transfer/TransferStrategy.h"

namespace ts {

/// `multitask`: one model fine-tuned on the source and further labelled corpora together, each
/// corpus contributing examples in proportion to its size or, with temperature T, to size^(1/T).
class MultitaskStrategy : public TransferStrategy
{
public:
    static constexpr const char *kName = "multitask"; // the registry key runs record
    static constexpr const char *kExtraCorpora = "extra_corpora";
    static constexpr const char *kSampling = "sampling";
    static constexpr const char *kTemperature = "temperature";

    /// Name, help, options and capabilities (StrategyRegistry).
    static const StrategyDescriptor &descriptor();

    Result<PhaseResult> run(TransferContext &ctx) override;

    /// Examples to draw from each corpus so that shares follow size^(1/temperature) and the
    /// total stays the sum of the sizes.
    static QList<int> quotas(const QList<int> &sizes, double temperature);
};

} // namespace ts
