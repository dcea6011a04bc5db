#pragma once

#include "transfer/TransferStrategy.h"

namespace ts {

/// `source-only`: fine-tunes every weight on the source labels (plus any few-shot target
/// labels) and measures the target: the classic transfer baseline.
class FineTuneStrategy : public TransferStrategy
{
public:
    static constexpr const char *kName = "source-only"; // the registry key runs record

    /// Name, help, options and capabilities (StrategyRegistry).
    static const StrategyDescriptor &descriptor();

    Result<PhaseResult> run(TransferContext &ctx) override;
};

} // namespace ts
