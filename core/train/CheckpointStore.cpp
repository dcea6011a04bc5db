#include "train/CheckpointStore.h"

#include "model/SafeTensorsFile.h"
#include "project/ArtifactBlob.h"
#include "project/RunStore.h"
#include "project/WriteTransaction.h"

#include <QCryptographicHash>
#include <QJsonDocument>
#include <QSqlError>
#include <QSqlQuery>

namespace ts {

namespace {

// libtorch's torch::save archives (older checkpoints) are zip files holding a pickle stream.
const QByteArray kZipMagic = QByteArrayLiteral("PK\x03\x04");
// What the artifacts' name column says of a checkpoint (its state is inside the blob).
const QString kArtifactName = QStringLiteral("checkpoint.safetensors");

} // namespace

CheckpointStore::CheckpointStore(QSqlDatabase db, qint64 runId) : m_db(std::move(db)), m_runId(runId) {}

Status CheckpointStore::save(const Checkpoint &checkpoint)
{
    const QString context = QStringLiteral("saving a checkpoint of run %1").arg(m_runId);
    return WriteTransaction::run(m_db, context, [&](QSqlDatabase &db) {
        QSqlQuery q(db);
        q.prepare(QStringLiteral("INSERT INTO artifacts(run_id, kind, name, step, bytes, sha256, created_at) "
                                 "VALUES (?, 'checkpoint', ?, ?, ?, ?, ?)"));
        q.addBindValue(m_runId);
        q.addBindValue(kArtifactName);
        q.addBindValue(checkpoint.step);
        q.addBindValue(qint64(checkpoint.tensors.size()));
        q.addBindValue(QString::fromLatin1(
            QCryptographicHash::hash(checkpoint.tensors, QCryptographicHash::Sha256).toHex()));
        q.addBindValue(RunStore::now());
        if (!q.exec())
            return Status::failure(q.lastError().text());
        if (const Status s = ArtifactBlob::write(db, q.lastInsertId().toLongLong(), checkpoint.tensors); !s)
            return s;
        // The older checkpoints beyond kKept go, with their chunks.
        const QString older = QStringLiteral("SELECT id FROM artifacts WHERE run_id = ? AND kind = 'checkpoint' AND id NOT IN "
                                             "(SELECT id FROM artifacts WHERE run_id = ? AND kind = 'checkpoint' "
                                             "ORDER BY id DESC LIMIT ?)");
        for (const QString &table : {QStringLiteral("artifact_chunks"), QStringLiteral("artifacts")}) {
            const QString column = table == QLatin1String("artifacts") ? QStringLiteral("id") : QStringLiteral("artifact_id");
            q.prepare(QStringLiteral("DELETE FROM %1 WHERE %2 IN (%3)").arg(table, column, older));
            q.addBindValue(m_runId);
            q.addBindValue(m_runId);
            q.addBindValue(kKept);
            if (!q.exec())
                return Status::failure(q.lastError().text());
        }
        return Status();
    });
}

Result<std::optional<Checkpoint>> CheckpointStore::latest() const
{
    using R = Result<std::optional<Checkpoint>>;
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("SELECT step, data, sha256, id FROM artifacts WHERE run_id = ? AND kind = 'checkpoint' "
                             "ORDER BY id DESC"));
    q.addBindValue(m_runId);
    if (!q.exec())
        return R::failure(QStringLiteral("cannot read the checkpoints of run %1: %2").arg(m_runId).arg(q.lastError().text()));
    QString damage;
    while (q.next()) {
        Checkpoint checkpoint;
        checkpoint.step = q.value(0).toLongLong();
        const QString name = QStringLiteral("the checkpoint of run %1 at step %2").arg(m_runId).arg(checkpoint.step);
        const auto bytes = ArtifactBlob::read(m_db, q.value(3).toLongLong(), q.value(1));
        if (!bytes)
            return R::failure(QStringLiteral("cannot read %1: %2").arg(name, bytes.error()));
        checkpoint.tensors = bytes.value();
        if (checkpoint.tensors.startsWith(kZipMagic))
            return R::failure(QStringLiteral("%1 is in libtorch's pickle format, written by an older version of Transfer "
                                             "Studio; it is not read, since unpickling a file can run code. Start a new "
                                             "run with the same settings instead.")
                                  .arg(name));
        const QByteArray digest = QCryptographicHash::hash(checkpoint.tensors, QCryptographicHash::Sha256).toHex();
        auto state = digest == q.value(2).toString().toLatin1()
                         ? readState(checkpoint.tensors, name)
                         : Result<QJsonObject>::failure(QStringLiteral("%1 does not match its SHA-256").arg(name));
        // A damaged newest checkpoint falls back to the one before it.
        if (!state) {
            damage = damage.isEmpty() ? state.error() : damage;
            continue;
        }
        checkpoint.state = state.value();
        return std::optional<Checkpoint>(checkpoint);
    }
    if (!damage.isEmpty())
        return R::failure(QStringLiteral("run %1 cannot resume: every checkpoint is damaged (%2)").arg(m_runId).arg(damage));
    return std::optional<Checkpoint>();
}

Status CheckpointStore::keepFinal(const QList<KeptWeights> &weights)
{
    const QString context = QStringLiteral("keeping the final weights of run %1").arg(m_runId);
    return WriteTransaction::run(m_db, context, [&](QSqlDatabase &db) {
        QSqlQuery q(db);
        for (const QString &table : {QStringLiteral("artifact_chunks"), QStringLiteral("artifacts")}) {
            const QString column = table == QLatin1String("artifacts") ? QStringLiteral("id") : QStringLiteral("artifact_id");
            q.prepare(QStringLiteral("DELETE FROM %1 WHERE %2 IN (SELECT id FROM artifacts WHERE run_id = ? AND kind IN "
                                     "('checkpoint', ?))")
                          .arg(table, column));
            q.addBindValue(m_runId);
            q.addBindValue(QString::fromLatin1(kWeightsKind));
            if (!q.exec())
                return Status::failure(q.lastError().text());
        }
        for (const KeptWeights &w : weights) {
            q.prepare(QStringLiteral("INSERT INTO artifacts(run_id, kind, name, step, bytes, sha256, created_at) "
                                     "VALUES (?, ?, ?, ?, ?, ?, ?)"));
            q.addBindValue(m_runId);
            q.addBindValue(QString::fromLatin1(kWeightsKind));
            q.addBindValue(w.name);
            q.addBindValue(w.step);
            q.addBindValue(qint64(w.tensors.size()));
            q.addBindValue(QString::fromLatin1(QCryptographicHash::hash(w.tensors, QCryptographicHash::Sha256).toHex()));
            q.addBindValue(RunStore::now());
            if (!q.exec())
                return Status::failure(q.lastError().text());
            if (const Status s = ArtifactBlob::write(db, q.lastInsertId().toLongLong(), w.tensors); !s)
                return s;
        }
        return Status();
    });
}

Result<std::optional<KeptWeights>> CheckpointStore::kept(const QString &name) const
{
    using R = Result<std::optional<KeptWeights>>;
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("SELECT step, data, sha256, id FROM artifacts WHERE run_id = ? AND kind = ? AND name = ? "
                             "ORDER BY id DESC LIMIT 1"));
    q.addBindValue(m_runId);
    q.addBindValue(QString::fromLatin1(kWeightsKind));
    q.addBindValue(name);
    if (!q.exec())
        return R::failure(QStringLiteral("cannot read the weights of run %1: %2").arg(m_runId).arg(q.lastError().text()));
    if (!q.next())
        return std::optional<KeptWeights>();
    KeptWeights weights;
    weights.name = name;
    weights.step = q.value(0).toLongLong();
    const auto bytes = ArtifactBlob::read(m_db, q.value(3).toLongLong(), q.value(1));
    if (!bytes)
        return R::failure(QStringLiteral("cannot read the weights %1 of run %2: %3").arg(name).arg(m_runId).arg(bytes.error()));
    weights.tensors = bytes.value();
    if (QCryptographicHash::hash(weights.tensors, QCryptographicHash::Sha256).toHex() != q.value(2).toString().toLatin1())
        return R::failure(QStringLiteral("the weights %1 of run %2 do not match their SHA-256: the project file is "
                                         "damaged (`info --check` lists what else is)")
                              .arg(name)
                              .arg(m_runId));
    return std::optional<KeptWeights>(weights);
}

Result<QJsonObject> CheckpointStore::readState(const QByteArray &blob, const QString &name) const
{
    const auto file = SafeTensorsFile::fromBytes(blob, name);
    if (!file)
        return Result<QJsonObject>::failure(file.error());
    QJsonParseError error;
    const QJsonDocument state =
        QJsonDocument::fromJson(file->metadata().value(QString::fromLatin1(kStateKey)).toUtf8(), &error);
    if (error.error != QJsonParseError::NoError || !state.isObject() || state.object().isEmpty())
        return Result<QJsonObject>::failure(
            QStringLiteral("%1: __metadata__ \"%2\" is not the trainer's state as a JSON object")
                .arg(name, QString::fromLatin1(kStateKey)));
    return state.object();
}

} // namespace ts
