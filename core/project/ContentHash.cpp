#include "project/ContentHash.h"

#include "project/ArtifactBlob.h"
#include "project/ProjectCheck.h"

#include <QCryptographicHash>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

namespace ts {

namespace {

/// Adds `value` to `hash` with its length first, so that no two sequences of fields hash alike.
void addField(QCryptographicHash &hash, const QByteArray &value)
{
    const QByteArray length = QByteArray::number(value.size()) + ':';
    hash.addData(length);
    hash.addData(value);
}

/// A NULL label is hashed apart from an empty one.
QByteArray labelBytes(const QVariant &label)
{
    return label.isNull() ? QByteArrayLiteral("\x01null") : label.toString().toUtf8();
}

/// The SHA-256 of artifact `artifactId`'s bytes.
Result<QString> storedFileHash(const QSqlDatabase &db, qint64 artifactId)
{
    QSqlQuery q(db);
    q.prepare(QStringLiteral("SELECT data FROM artifacts WHERE id = ?"));
    q.addBindValue(artifactId);
    if (!q.exec() || !q.next())
        return Result<QString>::failure(QStringLiteral("cannot read artifact %1: %2").arg(artifactId).arg(q.lastError().text()));
    const auto bytes = ArtifactBlob::read(db, artifactId, q.value(0));
    if (!bytes)
        return Result<QString>::failure(bytes.error());
    return ProjectCheck::sha256(bytes.value());
}

} // namespace

Result<QString> ContentHash::ofCorpus(const QSqlDatabase &db, qint64 corpusId)
{
    QSqlQuery q(db);
    q.setForwardOnly(true);
    q.prepare(QStringLiteral("SELECT split, label, text, domain FROM documents WHERE corpus_id = ? ORDER BY id"));
    q.addBindValue(corpusId);
    if (!q.exec())
        return Result<QString>::failure(QStringLiteral("cannot read corpus %1's documents: %2").arg(corpusId).arg(q.lastError().text()));
    QCryptographicHash hash(QCryptographicHash::Sha256);
    while (q.next()) {
        addField(hash, q.value(0).toString().toUtf8());
        addField(hash, labelBytes(q.value(1)));
        addField(hash, q.value(2).toString().toUtf8());
        addField(hash, q.value(3).toString().toUtf8());
    }
    return QString::fromLatin1(hash.result().toHex());
}

Result<QString> ContentHash::ofModel(const QSqlDatabase &db, qint64 modelId)
{
    using R = Result<QString>;
    QSqlQuery model(db);
    model.prepare(QStringLiteral("SELECT kind, architecture, config_json, location FROM models WHERE id = ?"));
    model.addBindValue(modelId);
    if (!model.exec() || !model.next())
        return R::failure(QStringLiteral("cannot read model %1: %2").arg(modelId).arg(model.lastError().text()));
    QCryptographicHash hash(QCryptographicHash::Sha256);
    const QString kind = model.value(0).toString();
    for (int column = 0; column < 3; ++column)
        addField(hash, model.value(column).toString().toUtf8());
    if (kind != QLatin1String("builtin")) {
        addField(hash, model.value(3).toString().toUtf8());
        return QString::fromLatin1(hash.result().toHex());
    }
    QSqlQuery files(db);
    files.setForwardOnly(true);
    files.prepare(QStringLiteral("SELECT id, name, sha256 FROM artifacts WHERE model_id = ? AND kind = 'model-file' "
                                 "ORDER BY name, id"));
    files.addBindValue(modelId);
    if (!files.exec())
        return R::failure(QStringLiteral("cannot read model %1's files: %2").arg(modelId).arg(files.lastError().text()));
    while (files.next()) {
        QString sha = files.value(2).toString();
        if (sha.isEmpty()) {
            // Files stored by older versions carry no hash: read them.
            const auto computed = storedFileHash(db, files.value(0).toLongLong());
            if (!computed)
                return computed;
            sha = computed.value();
        }
        addField(hash, files.value(1).toString().toUtf8());
        addField(hash, sha.toLatin1());
    }
    return QString::fromLatin1(hash.result().toHex());
}

} // namespace ts
