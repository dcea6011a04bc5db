#include "transfer/StrategyDescriptor.h"

#include "train/TrainingConfig.h"
#include "transfer/PromptSettings.h"

namespace ts {

const StrategyOption *StrategyDescriptor::option(const QString &optionName) const
{
    for (const StrategyOption &o : options) {
        if (o.name == optionName)
            return &o;
    }
    return nullptr;
}

double StrategyDescriptor::number(const TrainingConfig &config, const QString &optionName) const
{
    const StrategyOption *o = option(optionName);
    return config.option(optionName, o ? o->defaultValue.toDouble() : 0.0);
}

bool StrategyDescriptor::flag(const TrainingConfig &config, const QString &optionName) const
{
    const StrategyOption *o = option(optionName);
    return config.options.value(optionName).toBool(o && o->defaultValue.toBool());
}

QString StrategyDescriptor::text(const TrainingConfig &config, const QString &optionName) const
{
    const StrategyOption *o = option(optionName);
    return config.optionString(optionName, o ? o->defaultValue.toString() : QString());
}

Status StrategyDescriptor::checkOptions(const QJsonObject &values) const
{
    for (auto it = values.constBegin(); it != values.constEnd(); ++it) {
        const StrategyOption *o = option(it.key());
        if (!o)
            return Status::failure(unknownOption(it.key()));
        if (const Status s = o->check(it.value()); !s)
            return Status::failure(QStringLiteral("%1: %2").arg(name, s.error()));
    }
    return {};
}

QString StrategyDescriptor::unknownOption(const QString &key) const
{
    QStringList known;
    for (const StrategyOption &each : options)
        known.append(each.name);
    return QStringLiteral("%1 has no option \"%2\"%3")
        .arg(name, key,
             known.isEmpty() ? QStringLiteral(" (it has none)")
                             : QStringLiteral("; its options are %1").arg(known.join(QStringLiteral(", "))));
}

bool StrategyDescriptor::scoresThroughPrompt(const TrainingConfig &config, bool decoder) const
{
    switch (promptScoring) {
    case PromptScoring::Never:
        return false;
    case PromptScoring::Always:
        return true;
    case PromptScoring::DecodersOrWhenSet:
        break;
    }
    return decoder || PromptSettings::isSet(config);
}

QString StrategyDescriptor::trainsText() const
{
    switch (trains) {
    case Trains::Nothing:
        return QStringLiteral("nothing");
    case Trains::Everything:
        return QStringLiteral("every weight");
    case Trains::UpperLayers:
        return QStringLiteral("the upper layers and the head");
    case Trains::Adapters:
        break;
    }
    return QStringLiteral("small adapters and the head");
}

QString StrategyDescriptor::needsText() const
{
    QStringList needs;
    if (needsSourceLabels)
        needs << QStringLiteral("source labels (two classes or more)");
    if (needsUnlabelledTarget)
        needs << QStringLiteral("unlabelled target text");
    if (needsTargetLabels)
        needs << QStringLiteral("target labels");
    return needs.isEmpty() ? QStringLiteral("unlabelled text only") : needs.join(QStringLiteral(", "));
}

} // namespace ts
