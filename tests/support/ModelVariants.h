#pragma once

// Damaged or mismatched copies of a stored model, for tests of the checks a run must pass first.
#include "model/ModelRegistry.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlDatabase>
#include <QTemporaryDir>
#include <QtEndian>

#include <cstring>
#include <functional>
#include <limits>

namespace ts::test {

using ModelFiles = QMap<QString, QByteArray>;

/// Adds a copy of the project's model `base` (stored in the project) as `name`, its files passed
/// through `edit` first.
inline Result<qint64> addModelVariant(const QSqlDatabase &db, const QString &base, const QString &name,
                                      const std::function<void(ModelFiles &)> &edit)
{
    const auto model = ModelRegistry::find(db, base);
    if (!model)
        return Result<qint64>::failure(model.error());
    QTemporaryDir scratch;
    const auto dir = ModelRegistry::materialize(db, model.value(), scratch.path());
    if (!dir)
        return Result<qint64>::failure(dir.error());
    ModelFiles files;
    for (const QString &file : QDir(dir.value()).entryList(QDir::Files)) {
        QFile f(QDir(dir.value()).filePath(file));
        if (!f.open(QIODevice::ReadOnly))
            return Result<qint64>::failure(QStringLiteral("cannot read %1").arg(f.fileName()));
        files.insert(file, f.readAll());
    }
    edit(files);
    return ModelRegistry::addStored(db, name, files);
}

/// Sets `field` of config.json to `value`.
inline void setConfigField(ModelFiles &files, const QString &field, const QJsonValue &value)
{
    QJsonObject config = QJsonDocument::fromJson(files.value(QStringLiteral("config.json"))).object();
    config.insert(field, value);
    files.insert(QStringLiteral("config.json"), QJsonDocument(config).toJson());
}

/// Writes a NaN over the first element of the first F32 tensor of model.safetensors.
inline void poisonFirstWeight(ModelFiles &files)
{
    QByteArray &weights = files[QStringLiteral("model.safetensors")];
    const quint64 headerLength = qFromLittleEndian<quint64>(weights.constData());
    const QJsonObject header = QJsonDocument::fromJson(weights.mid(8, qsizetype(headerLength))).object();
    for (auto it = header.constBegin(); it != header.constEnd(); ++it) {
        const QJsonObject entry = it.value().toObject();
        if (entry.value(QLatin1String("dtype")).toString() != QLatin1String("F32"))
            continue;
        const qsizetype at = qsizetype(8 + headerLength) + qsizetype(entry.value(QLatin1String("data_offsets")).toArray().at(0).toDouble());
        const float nan = std::numeric_limits<float>::quiet_NaN();
        std::memcpy(weights.data() + at, &nan, sizeof nan);
        return;
    }
}

} // namespace ts::test
