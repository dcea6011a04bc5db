#include "project/RunSettingsKey.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QStringList>

#include <algorithm>

namespace ts {

namespace {

// Config fields that do not change what a run learns: left out of the key.
const QStringList kIgnored = {QStringLiteral("init_seed"),   QStringLiteral("data_seed"),
                              QStringLiteral("device"),      QStringLiteral("cpu_threads"),
                              QStringLiteral("memory_check"), QStringLiteral("checkpoint_every"),
                              QStringLiteral("keep"),      QStringLiteral("precision")};

// The settings that tell experiments apart best, in the order differences() names them; the
// strategy's options come next, then the rest but kMeasuring, then kMeasuring.
const QStringList kTelling = {QStringLiteral("source"),        QStringLiteral("target"),
                              QStringLiteral("model"),         QStringLiteral("target_labels"),
                              QStringLiteral("max_train_examples"), QStringLiteral("epochs"),
                              QStringLiteral("learning_rate"), QStringLiteral("batch_size"),
                              QStringLiteral("max_length")};
// How a run is evaluated rather than what it learns.
const QStringList kMeasuring = {QStringLiteral("eval_every"), QStringLiteral("max_eval_examples"),
                                QStringLiteral("early_stop_metric"), QStringLiteral("early_stop_split"),
                                QStringLiteral("selection")};
// Limits whose 0 means no limit ("--max-train 0": every text).
const QStringList kZeroIsAll = {QStringLiteral("max_train_examples"), QStringLiteral("max_eval_examples")};

/// The arithmetic a started run trained in: its recorded device ends with it ("cpu bf16"). Runs
/// recorded before the choice existed trained in bf16 on CUDA and in fp32 on the CPU; empty
/// before a run starts. The choice "auto" is left out of the key: this is what it became.
QString precisionOf(const RunRecord &run)
{
    const QStringList words = run.device.split(QLatin1Char(' '), Qt::SkipEmptyParts);
    if (words.size() > 1)
        return words.at(1);
    if (words.isEmpty() || words.first() == QLatin1String("auto"))
        return {};
    return words.first().startsWith(QLatin1String("cuda")) ? QStringLiteral("bf16") : QStringLiteral("fp32");
}

/// The key's settings in its order: source, target, model, strategy, precision, then the
/// configuration's fields sorted by name (a strategy's options as one compact JSON object).
QList<RunSettingsKey::Setting> settingsOf(const RunRecord &run, bool withStrategy)
{
    QJsonObject config = QJsonDocument::fromJson(run.configJson.toUtf8()).object();
    for (const QString &field : kIgnored)
        config.remove(field);
    if (!withStrategy) {
        config.remove(QStringLiteral("strategy"));
        config.remove(QStringLiteral("options"));
    }
    QList<RunSettingsKey::Setting> settings = {{QStringLiteral("source"), QString::number(run.sourceCorpusId)},
                                               {QStringLiteral("target"), QString::number(run.targetCorpusId)},
                                               {QStringLiteral("model"), QString::number(run.modelId)}};
    if (withStrategy)
        settings.append({QStringLiteral("strategy"), run.strategy});
    if (const QString precision = precisionOf(run); !precision.isEmpty())
        settings.append({QStringLiteral("precision"), precision});
    // QJsonObject iterates its keys sorted: the key does not depend on the order they were written.
    for (auto it = config.constBegin(); it != config.constEnd(); ++it) {
        if (it.key() == QLatin1String("strategy"))
            continue;
        const QJsonValue v = it.value();
        const QString text = v.isObject() ? QString::fromUtf8(QJsonDocument(v.toObject()).toJson(QJsonDocument::Compact))
                                          : v.toVariant().toString();
        settings.append({it.key(), text});
    }
    return settings;
}

QString key(const RunRecord &run, bool withStrategy)
{
    QStringList parts;
    for (const RunSettingsKey::Setting &s : settingsOf(run, withStrategy))
        parts.append(QStringLiteral("%1=%2").arg(s.first, s.second));
    return parts.join(QLatin1Char(' '));
}

/// The settings with the strategy's options spread out: "lambda" -> "0.3" instead of
/// "options" -> {"lambda":0.3}.
QList<RunSettingsKey::Setting> spreadOptions(const RunRecord &run, QStringList *optionNames)
{
    QList<RunSettingsKey::Setting> spread;
    for (const RunSettingsKey::Setting &s : settingsOf(run, true)) {
        if (s.first != QLatin1String("options")) {
            spread.append(s);
            continue;
        }
        const QJsonObject options = QJsonDocument::fromJson(s.second.toUtf8()).object();
        for (auto it = options.constBegin(); it != options.constEnd(); ++it) {
            spread.append({it.key(), it.value().toVariant().toString()});
            optionNames->append(it.key());
        }
    }
    return spread;
}

} // namespace

QString RunSettingsKey::of(const RunRecord &run)
{
    return key(run, true);
}

QString RunSettingsKey::withoutStrategy(const RunRecord &run)
{
    return key(run, false);
}

QStringList RunSettingsKey::differences(const QList<RunRecord> &runs, qsizetype index)
{
    QList<QList<Setting>> all;
    QStringList options;
    for (const RunRecord &run : runs)
        all.append(spreadOptions(run, &options));
    QList<Setting> differing;
    for (const Setting &s : all.at(index)) {
        const bool shared = std::all_of(all.cbegin(), all.cend(), [&s](const QList<Setting> &other) { return other.contains(s); });
        if (!shared)
            differing.append(s);
    }
    // What changes what a model learns first (data, then hyperparameters, then the strategy's
    // options), how it is measured last: a reader meets the telling ones first.
    const auto rank = [&options](const Setting &s) {
        const qsizetype n = kTelling.size();
        if (const qsizetype i = kTelling.indexOf(s.first); i >= 0)
            return i;
        return options.contains(s.first) ? n : (kMeasuring.contains(s.first) ? n + 2 : n + 1);
    };
    std::stable_sort(differing.begin(), differing.end(), [&rank](const Setting &a, const Setting &b) { return rank(a) < rank(b); });
    QStringList texts;
    for (const Setting &s : std::as_const(differing)) {
        const bool unlimited = kZeroIsAll.contains(s.first) && s.second == QLatin1String("0");
        texts.append(QStringLiteral("%1=%2").arg(s.first, unlimited ? QStringLiteral("all") : s.second));
    }
    return texts;
}

} // namespace ts
