#pragma once

// Includes torch: for core's torch folders only.
#include "transfer/StrategyDescriptor.h"
#include "transfer/TransferContext.h"

#include <memory>

namespace ts {

/// One way of carrying a model from the source domain to the target; its user-facing part (name,
/// help, options, capabilities) is its StrategyDescriptor. A strategy trains through ctx.trainer,
/// which records metrics and checkpoints; it ends by measuring source and target test.
class TransferStrategy
{
public:
    virtual ~TransferStrategy() = default;

    /// Executes the strategy on `ctx`; a cancelled run returns ok with `cancelled` set.
    virtual Result<PhaseResult> run(TransferContext &ctx) = 0;

    /// Prepares `model`, freshly built from the base model, to take a checkpoint of a run of
    /// `config` (e.g. attaches the adapters the checkpoint holds). Default: nothing to do.
    virtual Status prepareForCheckpoint(PretrainedModel &model, const TrainingConfig &config) const;

    /// Writes what an export holds besides the model folder into `outDir` (e.g. a PEFT adapter).
    /// Default: nothing.
    virtual Status exportExtras(const PretrainedModel &model, const TrainingConfig &config, const QString &outDir) const;

    /// The strategy called `name` (StrategyRegistry), or nullptr when there is none.
    static std::unique_ptr<TransferStrategy> create(const QString &name);
};

} // namespace ts
