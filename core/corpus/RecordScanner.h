#pragma once

#include "corpus/ChunkReader.h"
#include "util/Result.h"

#include <QByteArray>
#include <QList>

#include <array>

namespace ts {

/// Splits the UTF-8 byte stream of a ChunkReader into records: lines (ended by LF, CRLF or a bare
/// CR, so that files with CR-only or mixed line endings split where they break) or RFC 4180 rows
/// (quoted fields may hold delimiters, doubled quotes and newlines). Tracks line numbers
/// for messages and refuses a record longer than kMaxRecordBytes instead of buffering it, so
/// memory stays bounded whatever the input. Not thread-safe.
///
/// Errors are file-level (the file cannot be read on): unreadable, removed, an unterminated
/// quote, a quoted field that swallows what look like further records (when checked), an
/// oversized record. Their message starts with "<file>:<line>: ".
class RecordScanner
{
public:
    /// The longest record accepted, in bytes (16 MiB): far above any real document, far below
    /// what would exhaust memory on a file without line breaks.
    static constexpr qsizetype kMaxRecordBytes = 16 << 20;

    /// A scanner over `reader`, which must be open.
    explicit RecordScanner(ChunkReader &reader);

    /// Fields other than the text longer than this (in bytes) do not look like a record's.
    static constexpr qsizetype kMaxShortField = 64;

    /// Whether nextRow() refuses a quoted field that spans lines and looks like a stray quote that
    /// swallowed the records after it: later lines shaped like records of `expectedFields` fields
    /// (0: unknown) whose field `textField` holds the text, or text after the closing quote. Off
    /// by default; callers that know quoted newlines are expected leave it off.
    void setSwallowCheck(bool enabled, int expectedFields, int textField);

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
    Result<bool> scanQuoted(qsizetype &i, QByteArray &field, qint64 &newlines);
    QString describeSwallowed(const QByteArray &field, char delimiter, qint64 quoteLine, bool textFollows) const;
    bool looksLikeRecord(QByteArrayView line, char delimiter) const;
    Result<bool> oversized() const;

    ChunkReader &m_reader;
    QByteArray m_buffer;
    qsizetype m_pos = 0;
    qint64 m_line = 1;
    qint64 m_recordLine = 1;
    bool m_eof = false;
    bool m_swallowCheck = false;
    int m_expectedFields = 0;
    int m_textField = 0;
    std::array<bool, 256> m_stops{}; // bytes that end a run of ordinary bytes: the delimiter, LF, CR
    char m_stopsFor = 0;             // the delimiter m_stops was built for; 0: not built
};

} // namespace ts
