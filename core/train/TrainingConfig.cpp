#include "train/TrainingConfig.h"

#include "project/RunVocabulary.h"
#include "project/WeightRetention.h"
#include "train/TrainingPrecision.h"

#include <QJsonArray>

namespace ts {

namespace {

// (name, pointer-to-member) tables so that reading, writing and validating stay in step.
struct IntField { const char *name; int TrainingConfig::*member; int min; int max; };
struct Int64Field { const char *name; qint64 TrainingConfig::*member; };
struct RealField { const char *name; double TrainingConfig::*member; double min; double max; };
struct TextField { const char *name; QString TrainingConfig::*member; };

const IntField kIntFields[] = {
    {"epochs", &TrainingConfig::epochs, 0, 1000},
    {"batch_size", &TrainingConfig::batchSize, 1, 65536},
    {"max_length", &TrainingConfig::maxLength, 8, 32768},
    {"eval_every", &TrainingConfig::evalEvery, 0, 100000000},
    {"patience", &TrainingConfig::patience, 0, 1000},
    {"target_labels", &TrainingConfig::targetLabels, -1, 100000000},
    {"cpu_threads", &TrainingConfig::cpuThreads, 0, 1024},
    {"checkpoint_every", &TrainingConfig::checkpointEvery, 0, 100000000},
    {"max_train_examples", &TrainingConfig::maxTrainExamples, 0, 2000000000},
    {"max_eval_examples", &TrainingConfig::maxEvalExamples, 0, 2000000000},
};
const Int64Field kInt64Fields[] = {
    {"init_seed", &TrainingConfig::initSeed},
    {"data_seed", &TrainingConfig::dataSeed},
};
const RealField kRealFields[] = {
    {"learning_rate", &TrainingConfig::learningRate, 0.0, 10.0},
    {"warmup_ratio", &TrainingConfig::warmupRatio, 0.0, 1.0},
    {"weight_decay", &TrainingConfig::weightDecay, 0.0, 10.0},
    {"gradient_clip", &TrainingConfig::gradientClip, 0.0, 1e6},
};
const TextField kTextFields[] = {
    {"strategy", &TrainingConfig::strategy},
    {"decay", &TrainingConfig::decay},
    {"early_stop_split", &TrainingConfig::earlyStopSplit},
    {"early_stop_metric", &TrainingConfig::earlyStopMetric},
    {"device", &TrainingConfig::device},
    {"precision", &TrainingConfig::precision},
    {"memory_check", &TrainingConfig::memoryCheck},
    {"gradient_checkpointing", &TrainingConfig::gradientCheckpointing},
    {"selection", &TrainingConfig::selection},
    {"keep", &TrainingConfig::keep},
};

Status wrongType(const char *field, const char *expected)
{
    return Status::failure(QStringLiteral("run configuration: field \"%1\" must be %2")
                               .arg(QLatin1String(field), QLatin1String(expected)));
}

constexpr const char *kAccumulationField = "gradient_accumulation";

/// Reads "gradient_accumulation": "auto" or a whole number (checked by validate()).
Status readAccumulation(const QJsonObject &json, TrainingConfig &config)
{
    const QJsonValue v = json.value(QLatin1String(kAccumulationField));
    if (v.isUndefined())
        return {};
    if (v.isString() && v.toString() == QLatin1String("auto")) {
        config.gradientAccumulation = TrainingConfig::kAutoAccumulation;
        return {};
    }
    if (!v.isDouble() || v.toDouble() != double(v.toInt()) || v.toInt() < 1)
        return wrongType(kAccumulationField, "\"auto\" or a whole number from 1");
    config.gradientAccumulation = v.toInt();
    return {};
}

} // namespace

Result<TrainingConfig> TrainingConfig::fromJson(const QJsonObject &json)
{
    TrainingConfig config;
    for (const IntField &f : kIntFields) {
        const QJsonValue v = json.value(QLatin1String(f.name));
        if (v.isUndefined())
            continue;
        if (!v.isDouble() || v.toDouble() != double(v.toInt()))
            return Result<TrainingConfig>::failure(wrongType(f.name, "a whole number").error());
        config.*f.member = v.toInt();
    }
    for (const Int64Field &f : kInt64Fields) {
        const QJsonValue v = json.value(QLatin1String(f.name));
        if (v.isUndefined())
            continue;
        if (!v.isDouble())
            return Result<TrainingConfig>::failure(wrongType(f.name, "a whole number").error());
        config.*f.member = qint64(v.toDouble());
    }
    for (const RealField &f : kRealFields) {
        const QJsonValue v = json.value(QLatin1String(f.name));
        if (v.isUndefined())
            continue;
        if (!v.isDouble())
            return Result<TrainingConfig>::failure(wrongType(f.name, "a number").error());
        config.*f.member = v.toDouble();
    }
    for (const TextField &f : kTextFields) {
        const QJsonValue v = json.value(QLatin1String(f.name));
        if (v.isUndefined())
            continue;
        if (!v.isString())
            return Result<TrainingConfig>::failure(wrongType(f.name, "a string").error());
        config.*f.member = v.toString();
    }
    if (const Status s = readAccumulation(json, config); !s)
        return Result<TrainingConfig>::failure(s.error());
    const QJsonValue options = json.value(QLatin1String("options"));
    if (!options.isUndefined() && !options.isObject())
        return Result<TrainingConfig>::failure(wrongType("options", "an object").error());
    config.options = options.toObject();
    if (const Status s = config.validate(); !s)
        return Result<TrainingConfig>::failure(s.error());
    return config;
}

QJsonObject TrainingConfig::toJson() const
{
    QJsonObject json;
    for (const IntField &f : kIntFields)
        json.insert(QLatin1String(f.name), this->*f.member);
    for (const Int64Field &f : kInt64Fields)
        json.insert(QLatin1String(f.name), double(this->*f.member));
    for (const RealField &f : kRealFields)
        json.insert(QLatin1String(f.name), this->*f.member);
    for (const TextField &f : kTextFields)
        json.insert(QLatin1String(f.name), this->*f.member);
    if (gradientAccumulation == kAutoAccumulation)
        json.insert(QLatin1String(kAccumulationField), QStringLiteral("auto"));
    else
        json.insert(QLatin1String(kAccumulationField), gradientAccumulation);
    json.insert(QStringLiteral("options"), options);
    return json;
}

Status TrainingConfig::validate() const
{
    for (const IntField &f : kIntFields) {
        const int v = this->*f.member;
        if (v < f.min || v > f.max)
            return Status::failure(QStringLiteral("run configuration: \"%1\" is %2; it must be between %3 and %4")
                                       .arg(QLatin1String(f.name)).arg(v).arg(f.min).arg(f.max));
    }
    for (const RealField &f : kRealFields) {
        const double v = this->*f.member;
        if (!(v >= f.min && v <= f.max))
            return Status::failure(QStringLiteral("run configuration: \"%1\" is %2; it must be between %3 and %4")
                                       .arg(QLatin1String(f.name)).arg(v).arg(f.min).arg(f.max));
    }
    if (gradientAccumulation != kAutoAccumulation && (gradientAccumulation < 1 || gradientAccumulation > batchSize))
        return Status::failure(QStringLiteral("run configuration: \"gradient_accumulation\" is %1; use auto or a number of "
                                              "micro-batches from 1 to the batch size (%2)")
                                   .arg(gradientAccumulation)
                                   .arg(batchSize));
    if (!QStringList{QStringLiteral("linear"), QStringLiteral("cosine"), QStringLiteral("constant")}.contains(decay))
        return Status::failure(QStringLiteral("run configuration: \"decay\" is \"%1\"; use linear, cosine or constant").arg(decay));
    if (!QStringList{QStringLiteral("auto"), QStringLiteral("cpu"), QStringLiteral("cuda")}.contains(device))
        return Status::failure(QStringLiteral("run configuration: \"device\" is \"%1\"; use auto, cpu or cuda").arg(device));
    if (!TrainingPrecision::choices().contains(precision))
        return Status::failure(QStringLiteral("run configuration: \"precision\" is \"%1\"; use %2")
                                   .arg(precision, TrainingPrecision::choices().join(QStringLiteral(", "))));
    if (!QStringList{QStringLiteral("refuse"), QStringLiteral("warn")}.contains(memoryCheck))
        return Status::failure(
            QStringLiteral("run configuration: \"memory_check\" is \"%1\"; use refuse or warn").arg(memoryCheck));
    if (!QStringList{QStringLiteral("auto"), QStringLiteral("on"), QStringLiteral("off")}.contains(gradientCheckpointing))
        return Status::failure(QStringLiteral("run configuration: \"gradient_checkpointing\" is \"%1\"; use auto, on or off")
                                   .arg(gradientCheckpointing));
    if (!selectionCriteria().contains(selection))
        return Status::failure(QStringLiteral("run configuration: \"selection\" is \"%1\"; use %2")
                                   .arg(selection, selectionCriteria().join(QStringLiteral(", "))));
    if (!keep.isEmpty() && !WeightRetention::isChoice(keep))
        return Status::failure(QStringLiteral("run configuration: \"keep\" is \"%1\"; use %2")
                                   .arg(keep, WeightRetention::choices().join(QStringLiteral(", "))));
    return {};
}

QString TrainingConfig::accumulationText() const
{
    return gradientAccumulation == kAutoAccumulation ? QStringLiteral("auto") : QString::number(gradientAccumulation);
}

bool TrainingConfig::parseAccumulation(const QString &text, int *factor)
{
    if (text.trimmed() == QLatin1String("auto")) {
        *factor = kAutoAccumulation;
        return true;
    }
    bool ok = false;
    const int value = text.trimmed().toInt(&ok);
    if (!ok || value < 1 || value > kMaxAccumulation)
        return false;
    *factor = value;
    return true;
}

bool TrainingConfig::checkpointsLayers(qint64 parameters) const
{
    if (gradientCheckpointing == QLatin1String("auto"))
        return parameters >= kAutoCheckpointParameters;
    return gradientCheckpointing == QLatin1String("on");
}

QStringList TrainingConfig::selectionCriteria()
{
    return {QStringLiteral("last"), QStringLiteral("best-source"), QStringLiteral("best-target")};
}

QString TrainingConfig::selectionSplit() const
{
    if (selection == QLatin1String("best-source"))
        return QString(Splits::kSourceValidation);
    if (selection == QLatin1String("best-target"))
        return QString(Splits::kTargetValidation);
    return {};
}

bool TrainingConfig::selectionUsesTargetLabels() const
{
    return selection == QLatin1String("best-target");
}

double TrainingConfig::option(const QString &name, double fallback) const
{
    const QJsonValue v = options.value(name);
    return v.isDouble() ? v.toDouble() : fallback;
}

QString TrainingConfig::optionString(const QString &name, const QString &fallback) const
{
    const QJsonValue v = options.value(name);
    return v.isString() ? v.toString() : fallback;
}

QStringList TrainingConfig::optionList(const QString &name, const QStringList &fallback) const
{
    const QJsonValue v = options.value(name);
    if (v.isString())
        return v.toString().split(QLatin1Char(','), Qt::SkipEmptyParts);
    if (!v.isArray())
        return fallback;
    QStringList list;
    for (const QJsonValue &item : v.toArray())
        list.append(item.toString());
    return list;
}

} // namespace ts
