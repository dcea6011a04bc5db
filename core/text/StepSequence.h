#pragma once

#include "util/Result.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QString>

#include <vector>

namespace ts::stepsequence {

// tokenizer.json writes a pipeline stage (normalizer, pre_tokenizer, post_processor, decoder) as
// null, as one step object, or as {"type": "Sequence", "<listKey>": [steps...]}. These helpers
// read and write that shape; each stage parses and writes its own steps.

/// Writes `steps` as null, a single step, or a Sequence under `listKey`.
template <typename Step, typename StepToJson>
QJsonValue toJson(const std::vector<Step> &steps, const QString &listKey, StepToJson stepToJson)
{
    if (steps.empty())
        return QJsonValue(QJsonValue::Null);
    if (steps.size() == 1)
        return stepToJson(steps.front());
    QJsonArray items;
    for (const Step &step : steps)
        items.append(stepToJson(step));
    return QJsonObject{{QStringLiteral("type"), QStringLiteral("Sequence")}, {listKey, items}};
}

/// Reads null, one step, or a flat Sequence of at most `maxSteps` steps under `listKey`;
/// `parseStep(object, where)` parses one step, `field` names the stage in errors.
template <typename Step, typename ParseStep>
Result<std::vector<Step>> fromJson(const QJsonValue &json, const QString &field, const QString &listKey,
                                   int maxSteps, ParseStep parseStep)
{
    using R = Result<std::vector<Step>>;
    std::vector<Step> steps;
    if (json.isNull() || json.isUndefined())
        return steps;
    if (!json.isObject())
        return R::failure(QStringLiteral("%1 must be an object or null").arg(field));
    const QJsonObject object = json.toObject();
    if (object.value(QLatin1String("type")).toString() != QLatin1String("Sequence")) {
        auto step = parseStep(object, field);
        if (!step)
            return R::failure(step.error());
        steps.push_back(step.value());
        return steps;
    }
    const QJsonArray items = object.value(listKey).toArray();
    if (items.size() > maxSteps)
        return R::failure(QStringLiteral("%1.%2 has too many steps").arg(field, listKey));
    for (qsizetype i = 0; i < items.size(); ++i) {
        auto step = parseStep(items[i].toObject(), QStringLiteral("%1.%2[%3]").arg(field, listKey).arg(i));
        if (!step)
            return R::failure(step.error());
        steps.push_back(step.value());
    }
    return steps;
}

} // namespace ts::stepsequence
