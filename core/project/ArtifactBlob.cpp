#include "project/ArtifactBlob.h"

#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

namespace ts {

Status ArtifactBlob::write(QSqlDatabase &db, qint64 artifactId, const QByteArray &bytes, qint64 chunkBytes)
{
    QSqlQuery q(db);
    if (bytes.size() <= chunkBytes) {
        q.prepare(QStringLiteral("UPDATE artifacts SET data = ? WHERE id = ?"));
        q.addBindValue(bytes);
        q.addBindValue(artifactId);
        return q.exec() ? Status() : Status::failure(q.lastError().text());
    }
    q.prepare(QStringLiteral("INSERT INTO artifact_chunks(artifact_id, seq, data) VALUES (?, ?, ?)"));
    for (qint64 offset = 0, seq = 0; offset < bytes.size(); offset += chunkBytes, ++seq) {
        // A view of the chunk, not a copy: the driver binds it while `bytes` lives.
        const QByteArray chunk = QByteArray::fromRawData(bytes.constData() + offset, std::min(chunkBytes, bytes.size() - offset));
        q.addBindValue(artifactId);
        q.addBindValue(seq);
        q.addBindValue(chunk);
        if (!q.exec())
            return Status::failure(q.lastError().text());
    }
    return {};
}

Result<QByteArray> ArtifactBlob::read(const QSqlDatabase &db, qint64 artifactId, const QVariant &inlineData)
{
    if (!inlineData.isNull())
        return inlineData.toByteArray();
    QSqlQuery q(db);
    q.setForwardOnly(true);
    q.prepare(QStringLiteral("SELECT data FROM artifact_chunks WHERE artifact_id = ? ORDER BY seq"));
    q.addBindValue(artifactId);
    if (!q.exec())
        return Result<QByteArray>::failure(q.lastError().text());
    QByteArray bytes;
    while (q.next())
        bytes.append(q.value(0).toByteArray());
    return bytes;
}

} // namespace ts
