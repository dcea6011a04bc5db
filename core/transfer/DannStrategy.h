#pragma once

#include "transfer/TransferStrategy.h"

namespace ts {

/// `dann`: domain-adversarial fine-tuning on source labels and unlabelled target text.
class DannStrategy : public TransferStrategy
{
public:
    Result<PhaseResult> run(TransferContext &ctx) override;
};

} // namespace ts
