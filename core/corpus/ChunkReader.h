#pragma once

#include "util/Result.h"

#include <QByteArray>
#include <QFile>
#include <QString>
#include <QStringDecoder>

#include <optional>

namespace ts {

/// Reads a file in fixed-size chunks as UTF-8 bytes: a UTF-8 byte order mark is dropped, and a
/// file in another encoding (any name QStringDecoder knows, e.g. "windows-1252", "utf-16") is
/// transcoded to UTF-8 on the way; "utf-16" without a byte order mark takes the byte order the
/// first chunk shows (the zero bytes of ASCII characters). Memory stays at one chunk whatever the file size.
/// Notices a file removed or renamed while it is read. Not thread-safe.
class ChunkReader
{
public:
    /// Bytes read from the file per call of readInto().
    static constexpr qint64 kChunkBytes = 1 << 20;

    /// A reader of `path`; `encoding` empty or "utf-8" means UTF-8 (checked later by the parser).
    ChunkReader(QString path, QString encoding);

    /// Opens the file. Fails with a message naming the file (missing, unreadable, a folder) or the
    /// encoding (unknown to this system).
    Status open();

    /// Appends the next chunk, as UTF-8, to `buffer`. False at the end of the file.
    Result<bool> readInto(QByteArray &buffer);

    /// True when the bytes handed out are transcoded (they are then valid UTF-8 by construction).
    bool transcodes() const { return m_decoder.has_value(); }

    /// The line of the file (1-based) that the last failure of readInto() is about, or 0.
    qint64 errorLine() const { return m_errorLine; }

    const QString &path() const { return m_path; }
    qint64 bytesRead() const { return m_bytesRead; }
    qint64 totalBytes() const { return m_totalBytes; }

private:
    QString m_path;
    QString m_encoding;
    QFile m_file;
    std::optional<QStringDecoder> m_decoder;
    QByteArray m_chunk;
    qint64 m_bytesRead = 0;
    qint64 m_totalBytes = 0;
    qint64 m_errorLine = 0;
};

} // namespace ts
