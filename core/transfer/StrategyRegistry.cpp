#include "transfer/StrategyRegistry.h"

#include "train/TrainingConfig.h"
#include "transfer/ContinuedPretrainingStrategy.h"
#include "transfer/DannStrategy.h"
#include "transfer/DaptStrategy.h"
#include "transfer/FineTuneStrategy.h"
#include "transfer/FreezeStrategy.h"
#include "transfer/GradualUnfreezeStrategy.h"
#include "transfer/JointMlmStrategy.h"
#include "transfer/LoraStrategy.h"
#include "transfer/MultitaskStrategy.h"
#include "transfer/PromptFineTuneStrategy.h"
#include "transfer/SelfTrainingStrategy.h"
#include "transfer/ZeroShotStrategy.h"

namespace ts {

const QList<StrategyDescriptor> &StrategyRegistry::all()
{
    // One line per strategy, in the GUI's order. An explicit list rather than self-registration:
    // static libraries drop object files nothing references, and static initialisation has no order.
    static const QList<StrategyDescriptor> registry{
        ZeroShotStrategy::descriptor(),
        FineTuneStrategy::descriptor(),
        FreezeStrategy::descriptor(),
        GradualUnfreezeStrategy::descriptor(),
        LoraStrategy::descriptor(),
        PromptFineTuneStrategy::descriptor(),
        DaptStrategy::descriptor(),
        DannStrategy::descriptor(),
        SelfTrainingStrategy::descriptor(),
        JointMlmStrategy::descriptor(),
        MultitaskStrategy::descriptor(),
        ContinuedPretrainingStrategy::descriptor(),
    };
    return registry;
}

const StrategyDescriptor *StrategyRegistry::find(const QString &name)
{
    for (const StrategyDescriptor &d : all()) {
        if (d.name == name)
            return &d;
    }
    return nullptr;
}

QStringList StrategyRegistry::names()
{
    QStringList names;
    for (const StrategyDescriptor &d : all())
        names.append(d.name);
    return names;
}

Result<const StrategyDescriptor *> StrategyRegistry::lookup(const QString &name)
{
    if (const StrategyDescriptor *d = find(name))
        return d;
    return Result<const StrategyDescriptor *>::failure(
        QStringLiteral("unknown strategy \"%1\"; use one of: %2").arg(name, names().join(QStringLiteral(", "))));
}

QString StrategyRegistry::fineTuningBaseline()
{
    for (const StrategyDescriptor &d : all()) {
        if (d.baseline == StrategyDescriptor::Baseline::FineTuning)
            return d.name;
    }
    return {};
}

Status StrategyRegistry::validate(const TrainingConfig &config)
{
    const auto strategy = lookup(config.strategy);
    if (!strategy)
        return Status::failure(strategy.error());
    return strategy.value()->checkOptions(config.options);
}

} // namespace ts
