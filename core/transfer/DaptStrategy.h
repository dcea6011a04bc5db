#pragma once

#include "transfer/TransferStrategy.h"

namespace ts {

/// `dapt` (Gururangan et al. 2020): language-model pre-training on the target's unlabelled
/// text (phase 0), then fine-tuning on the source labels from the adapted weights (phase 1).
class DaptStrategy : public TransferStrategy
{
public:
    Result<PhaseResult> run(TransferContext &ctx) override;
};

} // namespace ts
