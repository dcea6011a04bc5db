#pragma once

// Includes torch: for core's torch folders only.
#include "transfer/TransferContext.h"

#include <memory>

namespace ts {

/// One way of carrying a model from the source domain to the target (see StrategyCatalog for
/// the user-facing descriptions). A strategy trains through ctx.trainer, which records metrics
/// and checkpoints; it ends by measuring source and target test.
class TransferStrategy
{
public:
    virtual ~TransferStrategy() = default;

    /// Executes the strategy on `ctx`; a cancelled run returns ok with `cancelled` set.
    virtual Result<PhaseResult> run(TransferContext &ctx) = 0;

    /// The strategy called `name`, or nullptr when there is none.
    static std::unique_ptr<TransferStrategy> create(const QString &name);
};

} // namespace ts
