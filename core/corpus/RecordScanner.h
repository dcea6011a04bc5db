#pragma once

#include "corpus/ChunkReader.h"
#include "util/Result.h"

#include <QByteArray>
#include <QList>

namespace ts {

/// Splits the UTF-8 byte stream of a ChunkReader into records: lines (LF or CRLF) or RFC 4180
/// rows (quoted fields may hold delimiters, doubled quotes and newlines). Tracks line numbers
/// for messages and refuses a record longer than kMaxRecordBytes instead of buffering it, so
/// memory stays bounded whatever the input. Not thread-safe.
///
/// Errors are file-level (the file cannot be read on): unreadable, removed, an unterminated
/// quote, an oversized record. Their message starts with "<file>:<line>: ".
class RecordScanner
{
public:
    /// The longest record accepted, in bytes (16 MiB): far above any real document, far below
    /// what would exhaust memory on a file without line breaks.
    static constexpr qsizetype kMaxRecordBytes = 16 << 20;

    /// A scanner over `reader`, which must be open.
    explicit RecordScanner(ChunkReader &reader);

    /// Reads the next line into `line`, without its terminator. False at the end of the input.
    Result<bool> nextLine(QByteArray &line);

    /// Reads the next row split on `delimiter` into `fields`. Blank lines are skipped.
    /// False at the end of the input.
    Result<bool> nextRow(char delimiter, QList<QByteArray> &fields);

    /// The line on which the last record started (1-based).
    qint64 recordLine() const { return m_recordLine; }

    /// "<file>:<line>: <message>" for the current record.
    QString located(const QString &message) const;

private:
    Result<bool> fill(qsizetype needed);
    Result<bool> scanRow(char delimiter, QList<QByteArray> &fields);
    Result<bool> oversized() const;

    ChunkReader &m_reader;
    QByteArray m_buffer;
    qsizetype m_pos = 0;
    qint64 m_line = 1;
    qint64 m_recordLine = 1;
    bool m_eof = false;
};

} // namespace ts
