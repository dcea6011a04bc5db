#include "distributed/DistributedContext.h"

namespace ts {

namespace {

/// The integer in `name`, within [low, high]; fails naming the variable and the range.
Result<int> integerVariable(const QProcessEnvironment &environment, const char *name, int low, int high)
{
    const QString text = environment.value(QLatin1String(name)).trimmed();
    bool ok = false;
    const int value = text.toInt(&ok);
    if (!ok || value < low || value > high)
        return Result<int>::failure(QStringLiteral("%1=\"%2\": give an integer from %3 to %4")
                                        .arg(QLatin1String(name), text)
                                        .arg(low)
                                        .arg(high));
    return value;
}

} // namespace

Result<DistributedContext> DistributedContext::fromEnvironment(const QProcessEnvironment &environment)
{
    using R = Result<DistributedContext>;
    DistributedContext context;
    if (!environment.contains(QLatin1String(kWorldSizeVariable)))
        return context;
    const auto world = integerVariable(environment, kWorldSizeVariable, 1, kMaxWorldSize);
    if (!world)
        return R::failure(world.error());
    context.worldSize = world.value();
    if (context.worldSize == 1)
        return context;
    for (const char *required : {kRankVariable, kMasterAddressVariable, kMasterPortVariable}) {
        if (environment.value(QLatin1String(required)).trimmed().isEmpty())
            return R::failure(QStringLiteral("%1 is set to %2, but %3 is missing: a data-parallel rank needs %4, %1, %5 "
                                             "and %6")
                                  .arg(QLatin1String(kWorldSizeVariable))
                                  .arg(context.worldSize)
                                  .arg(QLatin1String(required), QLatin1String(kRankVariable),
                                       QLatin1String(kMasterAddressVariable), QLatin1String(kMasterPortVariable)));
    }
    const auto rank = integerVariable(environment, kRankVariable, 0, context.worldSize - 1);
    if (!rank)
        return R::failure(rank.error());
    context.rank = rank.value();
    context.masterAddress = environment.value(QLatin1String(kMasterAddressVariable)).trimmed();
    const auto port = integerVariable(environment, kMasterPortVariable, 1, 65535);
    if (!port)
        return R::failure(port.error());
    context.masterPort = port.value();
    if (environment.contains(QLatin1String(kTimeoutVariable))) {
        const auto timeout = integerVariable(environment, kTimeoutVariable, 1, 7 * 24 * 3600);
        if (!timeout)
            return R::failure(timeout.error());
        context.timeoutSeconds = timeout.value();
    }
    return context;
}

void DistributedContext::writeTo(QProcessEnvironment &environment) const
{
    environment.insert(QLatin1String(kRankVariable), QString::number(rank));
    environment.insert(QLatin1String(kWorldSizeVariable), QString::number(worldSize));
    environment.insert(QLatin1String(kMasterAddressVariable), masterAddress);
    environment.insert(QLatin1String(kMasterPortVariable), QString::number(masterPort));
    environment.insert(QLatin1String(kTimeoutVariable), QString::number(timeoutSeconds));
}

} // namespace ts
