#include "project/RunSettingsKey.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QStringList>

namespace ts {

namespace {

// Config fields that do not change what a run learns: left out of the key.
const QStringList kIgnored = {QStringLiteral("init_seed"),   QStringLiteral("data_seed"),
                              QStringLiteral("device"),      QStringLiteral("cpu_threads"),
                              QStringLiteral("memory_check"), QStringLiteral("checkpoint_every"),
                              QStringLiteral("keep"),      QStringLiteral("precision")};

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

QString key(const RunRecord &run, bool withStrategy)
{
    QJsonObject config = QJsonDocument::fromJson(run.configJson.toUtf8()).object();
    for (const QString &field : kIgnored)
        config.remove(field);
    if (!withStrategy) {
        config.remove(QStringLiteral("strategy"));
        config.remove(QStringLiteral("options"));
    }
    QStringList parts = {QStringLiteral("source=%1").arg(run.sourceCorpusId),
                         QStringLiteral("target=%1").arg(run.targetCorpusId),
                         QStringLiteral("model=%1").arg(run.modelId)};
    if (withStrategy)
        parts.append(QStringLiteral("strategy=%1").arg(run.strategy));
    if (const QString precision = precisionOf(run); !precision.isEmpty())
        parts.append(QStringLiteral("precision=%1").arg(precision));
    // QJsonObject iterates its keys sorted: the key does not depend on the order they were written.
    for (auto it = config.constBegin(); it != config.constEnd(); ++it) {
        if (it.key() == QLatin1String("strategy"))
            continue;
        const QJsonValue v = it.value();
        const QString text = v.isObject() ? QString::fromUtf8(QJsonDocument(v.toObject()).toJson(QJsonDocument::Compact))
                                          : v.toVariant().toString();
        parts.append(QStringLiteral("%1=%2").arg(it.key(), text));
    }
    return parts.join(QLatin1Char(' '));
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

} // namespace ts
