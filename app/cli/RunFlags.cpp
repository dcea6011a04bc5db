#include "RunFlags.h"

#include "CliOutput.h"

#include "model/ModelDefaults.h"
#include "project/WeightRetention.h"
#include "train/TrainingPrecision.h"
#include "transfer/StrategyDescriptor.h"

#include <cmath>
#include <limits>

namespace ts::cli {

void RunFlags::addTo(QCommandLineParser &parser) const
{
    parser.addOptions({source, target, strategy, name, budgets});
    addTrainingTo(parser);
}

void RunFlags::addTrainingTo(QCommandLineParser &parser) const
{
    parser.addOptions({model, epochs, lr, batchSize, accumulation, maxLength, seed, dataSeed, targetLabels, device,
                       precision, threads, evalEvery, patience, maxTrain, maxEval, set, seeds, select, keep,
                       checkpointing, ignoreMemory});
}

bool RunFlags::applyTraining(const QCommandLineParser &parser, TrainingConfig &config, QString *error) const
{
    // The ranges are TrainingConfig's, except that a run trains for at least one epoch: --epochs 0
    // would still take an optimiser step.
    const bool numbersOk = applyInteger(parser, epochs, 1, 1000, config.epochs, error) &&
                           applyReal(parser, lr, 0.0, 10.0, config.learningRate, error) &&
                           applyInteger(parser, batchSize, 1, 65536, config.batchSize, error) &&
                           applyInteger(parser, maxLength, 8, 32768, config.maxLength, error) &&
                           applyInteger(parser, seed, 0, kMaxSeed, config.initSeed, error) &&
                           applyInteger(parser, dataSeed, 0, kMaxSeed, config.dataSeed, error) &&
                           applyInteger(parser, threads, 0, 1024, config.cpuThreads, error) &&
                           applyInteger(parser, evalEvery, 0, 100000000, config.evalEvery, error) &&
                           applyInteger(parser, patience, 0, 1000, config.patience, error) &&
                           applyInteger(parser, maxTrain, 0, 2000000000, config.maxTrainExamples, error) &&
                           applyInteger(parser, maxEval, 0, 2000000000, config.maxEvalExamples, error);
    if (!numbersOk)
        return false;
    if (parser.isSet(targetLabels)) {
        const Result<int> budget = parseBudget(QStringLiteral("target-labels"), parser.value(targetLabels));
        if (!budget) {
            *error = budget.error();
            return false;
        }
        config.targetLabels = budget.value();
    }
    if (parser.isSet(accumulation) && !TrainingConfig::parseAccumulation(parser.value(accumulation), &config.gradientAccumulation)) {
        *error = QStringLiteral("--grad-accumulation is \"%1\"; use auto or a number of micro-batches from 1 to %2")
                     .arg(parser.value(accumulation))
                     .arg(TrainingConfig::kMaxAccumulation);
        return false;
    }
    if (parser.isSet(device))
        config.device = parser.value(device);
    if (parser.isSet(precision)) {
        if (!TrainingPrecision::choices().contains(parser.value(precision))) {
            *error = QStringLiteral("--precision: \"%1\" is not one of %2")
                         .arg(parser.value(precision), TrainingPrecision::choices().join(QStringLiteral(", ")));
            return false;
        }
        config.precision = parser.value(precision);
    }
    if (parser.isSet(checkpointing)) {
        if (!QStringList{QStringLiteral("auto"), QStringLiteral("on"), QStringLiteral("off")}.contains(parser.value(checkpointing))) {
            *error = QStringLiteral("--gradient-checkpointing is \"%1\"; use auto, on or off").arg(parser.value(checkpointing));
            return false;
        }
        config.gradientCheckpointing = parser.value(checkpointing);
    }
    if (parser.isSet(ignoreMemory))
        config.memoryCheck = QStringLiteral("warn");
    if (parser.isSet(select))
        config.selection = parser.value(select);
    if (parser.isSet(keep)) {
        if (!WeightRetention::isChoice(parser.value(keep))) {
            *error = QStringLiteral("--keep is \"%1\"; use %2")
                         .arg(parser.value(keep), WeightRetention::choices().join(QStringLiteral(", ")));
            return false;
        }
        config.keep = parser.value(keep);
    }
    return true;
}

void RunFlags::applyModelDefaults(const QCommandLineParser &parser, const ModelRecord &model, TrainingConfig &config) const
{
    const ModelDefaults defaults = ModelDefaults::forModel(model);
    QStringList chosen;
    if (!parser.isSet(lr)) {
        config.learningRate = defaults.learningRate;
        chosen << QStringLiteral("--lr %1").arg(defaults.learningRate, 0, 'g', 3);
    }
    if (!parser.isSet(batchSize)) {
        config.batchSize = defaults.batchSize;
        chosen << QStringLiteral("--batch-size %1").arg(defaults.batchSize);
    }
    if (!parser.isSet(maxLength)) {
        config.maxLength = defaults.maxLength;
        chosen << QStringLiteral("--max-length %1").arg(defaults.maxLength);
    }
    if (!chosen.isEmpty())
        printLine(QStringLiteral("%1: using %2 (%3)").arg(model.name, chosen.join(QStringLiteral(", ")), defaults.reason));
}

Result<qint64> parseInteger(const QString &flag, const QString &text, qint64 min, qint64 max)
{
    bool ok = false;
    const qint64 value = text.trimmed().toLongLong(&ok);
    if (!ok || value < min || value > max)
        return Result<qint64>::failure(
            QStringLiteral("--%1: \"%2\" is not a whole number from %3 to %4").arg(flag, text).arg(min).arg(max));
    return value;
}

qint64 runIdOf(const QCommandLineParser &parser, const QCommandLineOption &option)
{
    const Result<qint64> id = parseInteger(option.names().first(), parser.value(option), 1,
                                           std::numeric_limits<qint64>::max());
    return id ? id.value() : -1;
}

Result<int> parseBudget(const QString &flag, const QString &text)
{
    if (text == QLatin1String("all"))
        return -1;
    const Result<qint64> value = parseInteger(flag, text, 0, kMaxTargetLabels);
    if (!value)
        return Result<int>::failure(value.error() + QStringLiteral(" or \"all\""));
    return int(value.value());
}

bool applyReal(const QCommandLineParser &parser, const QCommandLineOption &option, double min, double max, double &field,
               QString *error)
{
    if (!parser.isSet(option))
        return true;
    bool ok = false;
    const double value = parser.value(option).trimmed().toDouble(&ok);
    if (!ok || !std::isfinite(value) || value < min || value > max) {
        *error = QStringLiteral("--%1: \"%2\" is not a number from %3 to %4")
                     .arg(option.names().first(), parser.value(option)).arg(min).arg(max);
        return false;
    }
    field = value;
    return true;
}

bool applyStrategyOptions(const QStringList &settings, const StrategyDescriptor &strategy, QJsonObject &options,
                          QString *error)
{
    for (const QString &setting : settings) {
        const qsizetype eq = setting.indexOf(QLatin1Char('='));
        if (eq <= 0) {
            *error = QStringLiteral("--set %1: use the form KEY=VALUE, e.g. --set %2").arg(setting, strategy.options.isEmpty()
                         ? QStringLiteral("name=value (%1 has no options)").arg(strategy.name)
                         : strategy.options.first().name + QLatin1Char('=') + strategy.options.first().defaultText());
            return false;
        }
        const QString key = setting.left(eq);
        const StrategyOption *option = strategy.option(key);
        if (!option) {
            *error = QStringLiteral("--set %1: %2").arg(setting, strategy.unknownOption(key));
            return false;
        }
        const auto value = option->parse(setting.mid(eq + 1));
        if (!value) {
            *error = QStringLiteral("--set %1: %2").arg(setting, value.error());
            return false;
        }
        options.insert(key, value.value());
    }
    return true;
}

} // namespace ts::cli
