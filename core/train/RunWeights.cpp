#include "train/RunWeights.h"

#include "model/ModelFolder.h"
#include "model/SafeTensorsFile.h"
#include "model/nn/SafeTensorsWriter.h"
#include "project/WeightRetention.h"
#include "train/CheckpointStore.h"
#include "train/CheckpointTensors.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>

#include <set>

namespace ts {

namespace {

const std::string kModelPrefix = "model.";

/// The tensor names of the base model's weight files.
Result<QSet<QString>> baseNames(const QString &baseDir)
{
    const auto folder = ModelFolder::inspect(baseDir);
    if (!folder)
        return Result<QSet<QString>>::failure(folder.error());
    QSet<QString> names;
    for (const QString &path : folder->weightFiles()) {
        const auto file = SafeTensorsFile::open(path);
        if (!file)
            return Result<QSet<QString>>::failure(file.error());
        for (const SafeTensorsEntry &entry : file->entries())
            names.insert(entry.name);
    }
    return names;
}

/// The names (without prefix) of the model tensors a finished run keeps: those it trained and
/// those the base files lack (under the model's name, or without its backbone prefix as
/// ModelLoader matches them).
QList<std::string> keptNames(const QJsonObject &state, const NamedTensors &tensors, const QSet<QString> &base)
{
    const QJsonValue trained = state.value(QLatin1String(CheckpointStore::kTrainedKey));
    std::set<std::string> kept;
    for (const QJsonValue &name : trained.toArray())
        kept.insert(name.toString().toStdString());
    for (auto it = tensors.lower_bound(kModelPrefix); it != tensors.end() && it->first.rfind(kModelPrefix, 0) == 0; ++it) {
        const QString name = QString::fromStdString(it->first.substr(kModelPrefix.size()));
        // A checkpoint of an older version does not say what trained: every model tensor stays.
        if (!trained.isArray() || (!base.contains(name) && !base.contains(name.section(QLatin1Char('.'), 1))))
            kept.insert(name.toStdString());
    }
    return QList<std::string>(kept.begin(), kept.end());
}

/// The tensors `prefix` + each of `names` as a weights file of `step`.
Result<KeptWeights> weightsOf(const NamedTensors &tensors, const std::string &prefix, const QList<std::string> &names,
                              const QString &name, qint64 step, qint64 runId)
{
    NamedTensors kept;
    for (const std::string &n : names) {
        const auto it = tensors.find(prefix + n);
        if (it == tensors.end())
            return Result<KeptWeights>::failure(QStringLiteral("run %1's checkpoint lacks tensor \"%2\"; its weights "
                                                               "cannot be kept (the checkpoint stays)")
                                                    .arg(runId)
                                                    .arg(QString::fromStdString(prefix + n)));
        kept[n] = it->second;
    }
    const auto bytes = SafeTensorsWriter::toBytes(QStringLiteral("the weights of run %1").arg(runId), kept);
    if (!bytes)
        return Result<KeptWeights>::failure(bytes.error());
    return KeptWeights{name, step, bytes.value()};
}

} // namespace

Status RunWeights::keepFinal(QSqlDatabase db, qint64 runId, const QString &keep, const QString &baseDir)
{
    CheckpointStore store(db, runId);
    const auto checkpoint = store.latest();
    if (!checkpoint)
        return Status::failure(checkpoint.error());
    if (!checkpoint.value())
        return {};
    if (keep == QLatin1String(WeightRetention::kNone))
        return store.keepFinal({});
    const Checkpoint &last = *checkpoint.value();
    const auto tensors = CheckpointTensors::decode(last.tensors, QStringLiteral("run %1's checkpoint").arg(runId));
    if (!tensors)
        return Status::failure(tensors.error());
    const auto base = baseNames(baseDir);
    if (!base)
        return Status::failure(base.error());
    const QList<std::string> names = keptNames(last.state, tensors.value(), base.value());
    const double selectedStep = last.state.value(QLatin1String("selected_step")).toDouble(-1);
    const bool selected = selectedStep >= 0 && tensors->count(CheckpointTensors::kSelectedPrefix + names.value(0));
    QList<KeptWeights> weights;
    const auto result = weightsOf(tensors.value(), selected ? CheckpointTensors::kSelectedPrefix : kModelPrefix, names,
                                  QString::fromLatin1(CheckpointStore::kResultWeights),
                                  selected ? qint64(selectedStep) : last.step, runId);
    if (!result)
        return Status::failure(result.error());
    weights.append(result.value());
    if (selected && keep == QLatin1String(WeightRetention::kBestAndFinal)) {
        const auto lastWeights = weightsOf(tensors.value(), kModelPrefix, names,
                                           QString::fromLatin1(CheckpointStore::kLastWeights), last.step, runId);
        if (!lastWeights)
            return Status::failure(lastWeights.error());
        weights.append(lastWeights.value());
    }
    return store.keepFinal(weights);
}

} // namespace ts
