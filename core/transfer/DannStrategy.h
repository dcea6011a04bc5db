#pragma once

#include "transfer/TransferStrategy.h"

namespace ts {

/// `dann`: domain-adversarial fine-tuning on source labels and unlabelled target text.
class DannStrategy : public TransferStrategy
{
public:
    static constexpr const char *kName = "dann"; // the registry key runs record
    static constexpr const char *kDomainWeight = "domain_weight";
    static constexpr const char *kGamma = "gamma";
    static constexpr const char *kDomainHidden = "domain_hidden";
    static constexpr const char *kDomainLearningRateScale = "domain_lr_scale";

    /// Name, help, options and capabilities (StrategyRegistry).
    static const StrategyDescriptor &descriptor();

    Result<PhaseResult> run(TransferContext &ctx) override;
};

} // namespace ts
