#include "transfer/TransferStrategy.h"

#include "transfer/ContinuedPretrainingStrategy.h"
#include "transfer/DannStrategy.h"
#include "transfer/DaptStrategy.h"
#include "transfer/FineTuneStrategy.h"
#include "transfer/FreezeStrategy.h"
#include "transfer/GradualUnfreezeStrategy.h"
#include "transfer/LoraStrategy.h"
#include "transfer/MultitaskStrategy.h"
#include "transfer/ZeroShotStrategy.h"

namespace ts {

std::unique_ptr<TransferStrategy> TransferStrategy::create(const QString &name)
{
    if (name == QLatin1String("zero-shot"))
        return std::make_unique<ZeroShotStrategy>();
    if (name == QLatin1String("source-only"))
        return std::make_unique<FineTuneStrategy>();
    if (name == QLatin1String("freeze"))
        return std::make_unique<FreezeStrategy>();
    if (name == QLatin1String("gradual-unfreeze"))
        return std::make_unique<GradualUnfreezeStrategy>();
    if (name == QLatin1String("lora"))
        return std::make_unique<LoraStrategy>();
    if (name == QLatin1String("dapt"))
        return std::make_unique<DaptStrategy>();
    if (name == QLatin1String("dann"))
        return std::make_unique<DannStrategy>();
    if (name == QLatin1String("multitask"))
        return std::make_unique<MultitaskStrategy>();
    if (name == QLatin1String("continued-pretraining"))
        return std::make_unique<ContinuedPretrainingStrategy>();
    return nullptr;
}

} // namespace ts
