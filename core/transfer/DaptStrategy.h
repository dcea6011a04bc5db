#pragma once

#include "transfer/DomainAdaptivePretraining.h"
#include "transfer/TransferStrategy.h"

namespace ts {

/// `dapt` (Gururangan et al. 2020): language-model pre-training on the target's unlabelled
/// text (phase 0), then fine-tuning on the source labels from the adapted weights (phase 1).
class DaptStrategy : public TransferStrategy
{
public:
    static constexpr const char *kName = "dapt"; // the registry key runs record
    static constexpr const char *kPretrainEpochs = DomainAdaptivePretraining::kPretrainEpochs;

    /// Name, help, options and capabilities (StrategyRegistry).
    static const StrategyDescriptor &descriptor();

    Result<PhaseResult> run(TransferContext &ctx) override;
};

} // namespace ts
