#include "train/CheckpointStore.h"

#include "project/RunStore.h"
#include "project/WriteTransaction.h"

#include <QCryptographicHash>
#include <QJsonDocument>
#include <QSqlError>
#include <QSqlQuery>

namespace ts {

CheckpointStore::CheckpointStore(QSqlDatabase db, qint64 runId) : m_db(std::move(db)), m_runId(runId) {}

Status CheckpointStore::save(const Checkpoint &checkpoint)
{
    const QString context = QStringLiteral("saving a checkpoint of run %1").arg(m_runId);
    return WriteTransaction::run(m_db, context, [&](QSqlDatabase &db) {
        QSqlQuery q(db);
        q.prepare(QStringLiteral("INSERT INTO artifacts(run_id, kind, name, step, data, bytes, sha256, created_at) "
                                 "VALUES (?, 'checkpoint', ?, ?, ?, ?, ?, ?)"));
        q.addBindValue(m_runId);
        q.addBindValue(QString::fromUtf8(QJsonDocument(checkpoint.state).toJson(QJsonDocument::Compact)));
        q.addBindValue(checkpoint.step);
        q.addBindValue(checkpoint.tensors);
        q.addBindValue(qint64(checkpoint.tensors.size()));
        q.addBindValue(QString::fromLatin1(
            QCryptographicHash::hash(checkpoint.tensors, QCryptographicHash::Sha256).toHex()));
        q.addBindValue(RunStore::now());
        if (!q.exec())
            return Status::failure(q.lastError().text());
        q.prepare(QStringLiteral("DELETE FROM artifacts WHERE run_id = ? AND kind = 'checkpoint' AND id NOT IN "
                                 "(SELECT id FROM artifacts WHERE run_id = ? AND kind = 'checkpoint' "
                                 "ORDER BY id DESC LIMIT ?)"));
        q.addBindValue(m_runId);
        q.addBindValue(m_runId);
        q.addBindValue(kKept);
        if (!q.exec())
            return Status::failure(q.lastError().text());
        return Status();
    });
}

Result<std::optional<Checkpoint>> CheckpointStore::latest() const
{
    using R = Result<std::optional<Checkpoint>>;
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("SELECT step, name, data, sha256 FROM artifacts WHERE run_id = ? AND kind = 'checkpoint' "
                             "ORDER BY id DESC"));
    q.addBindValue(m_runId);
    if (!q.exec())
        return R::failure(QStringLiteral("cannot read the checkpoints of run %1: %2").arg(m_runId).arg(q.lastError().text()));
    while (q.next()) {
        Checkpoint checkpoint;
        checkpoint.step = q.value(0).toLongLong();
        checkpoint.state = QJsonDocument::fromJson(q.value(1).toString().toUtf8()).object();
        checkpoint.tensors = q.value(2).toByteArray();
        const QByteArray digest = QCryptographicHash::hash(checkpoint.tensors, QCryptographicHash::Sha256).toHex();
        // A damaged newest checkpoint falls back to the one before it.
        if (digest == q.value(3).toString().toLatin1() && !checkpoint.state.isEmpty())
            return std::optional<Checkpoint>(checkpoint);
    }
    return std::optional<Checkpoint>();
}

} // namespace ts
