#include "corpus/RecordScanner.h"

#include <algorithm>
#include <cstring>

namespace ts {

RecordScanner::RecordScanner(ChunkReader &reader) : m_reader(reader) {}

QString RecordScanner::located(const QString &message) const
{
    return QStringLiteral("%1:%2: %3").arg(m_reader.path()).arg(m_recordLine).arg(message);
}

Result<bool> RecordScanner::oversized() const
{
    return Result<bool>::failure(located(QStringLiteral("record is longer than %1 MiB, the limit per record; "
                                                        "is this a text corpus with line breaks?")
                                             .arg(kMaxRecordBytes >> 20)));
}

// Makes at least `needed` bytes available after m_pos, reading chunks as needed. Returns false
// when the input ends first. Consumed bytes before m_pos are dropped to keep memory bounded.
Result<bool> RecordScanner::fill(qsizetype needed)
{
    while (m_buffer.size() - m_pos < needed) {
        if (m_eof)
            return false;
        if (needed > kMaxRecordBytes)
            return oversized();
        if (m_pos > 0) {
            m_buffer.remove(0, m_pos);
            m_pos = 0;
        }
        const Result<bool> more = m_reader.readInto(m_buffer);
        if (!more)
            return Result<bool>::failure(located(more.error()));
        if (!more.value())
            m_eof = true;
    }
    return true;
}

Result<bool> RecordScanner::nextLine(QByteArray &line)
{
    m_recordLine = m_line;
    qsizetype searched = 0; // bytes after m_pos known to hold no '\n'
    while (true) {
        const char *start = m_buffer.constData() + m_pos;
        const qsizetype available = m_buffer.size() - m_pos;
        const void *found = std::memchr(start + searched, '\n', size_t(available - searched));
        if (found) {
            const qsizetype length = static_cast<const char *>(found) - start;
            const qsizetype contentLength = (length > 0 && start[length - 1] == '\r') ? length - 1 : length;
            line = QByteArray(start, contentLength);
            m_pos += length + 1;
            ++m_line;
            return true;
        }
        searched = available;
        if (available > kMaxRecordBytes)
            return oversized();
        const Result<bool> more = fill(available + 1);
        if (!more)
            return more;
        if (!more.value()) {
            if (available == 0)
                return false;
            line = QByteArray(m_buffer.constData() + m_pos, available);
            m_pos += available;
            if (line.endsWith('\r'))
                line.chop(1);
            return true;
        }
    }
}

Result<bool> RecordScanner::nextRow(char delimiter, QList<QByteArray> &fields)
{
    while (true) {
        const Result<bool> row = scanRow(delimiter, fields);
        if (!row || !row.value())
            return row;
        const bool blank = fields.size() == 1 && fields.first().isEmpty();
        if (!blank)
            return true;
    }
}

// One RFC 4180 row. A quote is special only at the start of a field; after the closing quote,
// anything up to the next delimiter is kept as text (as Python's csv module does).
Result<bool> RecordScanner::scanRow(char delimiter, QList<QByteArray> &fields)
{
    fields.clear();
    m_recordLine = m_line;
    qint64 newlines = 0; // inside quoted fields of this row
    qsizetype i = 0;     // offset from m_pos
    QByteArray field;
    bool fieldStart = true;
    bool trailingCr = false; // the last byte taken into `field` was an unquoted '\r'
    const auto ensure = [&](qsizetype offset) { return fill(offset + 1); };
    while (true) {
        if (i > kMaxRecordBytes)
            return oversized();
        const Result<bool> have = ensure(i);
        if (!have)
            return have;
        if (!have.value()) {
            m_pos += i;
            m_line += newlines;
            if (i == 0 && fields.isEmpty())
                return false;
            if (trailingCr)
                field.chop(1);
            fields.append(field);
            return true;
        }
        const char c = m_buffer.at(m_pos + i);
        if (fieldStart && c == '"') {
            const qint64 quoteLine = m_line + newlines;
            ++i;
            while (true) {
                const Result<bool> more = ensure(i);
                if (!more)
                    return more;
                if (!more.value()) {
                    m_recordLine = quoteLine;
                    return Result<bool>::failure(
                        located(QStringLiteral("a quoted field opened on this line is never closed")));
                }
                const char *base = m_buffer.constData() + m_pos;
                const qsizetype available = m_buffer.size() - m_pos;
                const void *quote = std::memchr(base + i, '"', size_t(available - i));
                const qsizetype end = quote ? static_cast<const char *>(quote) - base : available;
                field.append(base + i, end - i);
                newlines += std::count(base + i, base + end, '\n');
                i = end;
                if (i > kMaxRecordBytes)
                    return oversized();
                if (!quote)
                    continue;
                const Result<bool> next = ensure(i + 1);
                if (!next)
                    return next;
                if (next.value() && m_buffer.at(m_pos + i + 1) == '"') {
                    field.append('"');
                    i += 2;
                    continue;
                }
                ++i;
                break;
            }
            fieldStart = false;
            trailingCr = false;
            continue;
        }
        fieldStart = false;
        if (c == delimiter) {
            fields.append(field);
            field.clear();
            fieldStart = true;
            trailingCr = false;
            ++i;
        } else if (c == '\n') {
            if (trailingCr)
                field.chop(1);
            fields.append(field);
            m_pos += i + 1;
            m_line += newlines + 1;
            return true;
        } else {
            // Take the whole run of ordinary bytes at once.
            const char *base = m_buffer.constData() + m_pos;
            const qsizetype available = m_buffer.size() - m_pos;
            qsizetype end = i + 1;
            while (end < available && base[end] != delimiter && base[end] != '\n')
                ++end;
            field.append(base + i, end - i);
            trailingCr = base[end - 1] == '\r';
            i = end;
        }
    }
}

} // namespace ts
