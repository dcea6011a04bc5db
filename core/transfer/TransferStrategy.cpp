#include "transfer/TransferStrategy.h"

#include "transfer/StrategyRegistry.h"

namespace ts {

Status TransferStrategy::prepareForCheckpoint(PretrainedModel &, const TrainingConfig &) const
{
    return {};
}

Status TransferStrategy::exportExtras(const PretrainedModel &, const TrainingConfig &, const QString &) const
{
    return {};
}

std::unique_ptr<TransferStrategy> TransferStrategy::create(const QString &name)
{
    const StrategyDescriptor *descriptor = StrategyRegistry::find(name);
    return descriptor && descriptor->create ? descriptor->create() : nullptr;
}

} // namespace ts
