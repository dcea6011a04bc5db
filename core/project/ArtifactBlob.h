#pragma once

#include "util/Result.h"

#include <QByteArray>
#include <QSqlDatabase>

namespace ts {

/// The bytes of an artifact (checkpoint, model file) of any size. SQLite stores at most 1 GB in
/// one value, so bytes beyond one chunk go to artifact_chunks in kChunkBytes pieces and the
/// artifact's data column stays NULL; smaller ones stay in artifacts.data. Call write() inside the
/// write transaction that inserted the artifact row.
class ArtifactBlob
{
public:
    static constexpr qint64 kChunkBytes = qint64(256) << 20;

    /// Stores `bytes` as artifact `artifactId`'s data (the row exists; its data column is set or
    /// chunks are added). `chunkBytes` is for tests.
    static Status write(QSqlDatabase &db, qint64 artifactId, const QByteArray &bytes, qint64 chunkBytes = kChunkBytes);

    /// The bytes of artifact `artifactId`, whose data column holds `inlineData` (NULL when chunked).
    static Result<QByteArray> read(const QSqlDatabase &db, qint64 artifactId, const QVariant &inlineData);
};

} // namespace ts
