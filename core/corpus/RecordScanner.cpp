#include "corpus/RecordScanner.h"

#include <algorithm>
#include <cstring>

namespace ts {

namespace {

/// Line breaks in `bytes`: LF, CRLF and a bare CR each count once.
qint64 countLineBreaks(QByteArrayView bytes)
{
    const char *begin = bytes.data();
    const char *end = begin + bytes.size();
    qint64 breaks = std::count(begin, end, '\n');
    for (const void *cr = std::memchr(begin, '\r', size_t(bytes.size())); cr;) {
        const char *at = static_cast<const char *>(cr);
        if (at + 1 == end || at[1] != '\n')
            ++breaks;
        cr = std::memchr(at + 1, '\r', size_t(end - at - 1));
    }
    return breaks;
}

} // namespace

RecordScanner::RecordScanner(ChunkReader &reader) : m_reader(reader) {}

void RecordScanner::setSwallowCheck(bool enabled, int expectedFields, int textField)
{
    m_swallowCheck = enabled;
    m_expectedFields = expectedFields;
    m_textField = textField;
}

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
        if (!more) {
            if (m_reader.errorLine() > 0)
                m_recordLine = m_reader.errorLine();
            return Result<bool>::failure(located(more.error()));
        }
        if (!more.value())
            m_eof = true;
    }
    return true;
}

// A line ends at LF, CRLF or a bare CR (files from old Macs, or with mixed endings), as in
// Python's universal newlines: a bare CR never glues two records together.
Result<bool> RecordScanner::nextLine(QByteArray &line)
{
    m_recordLine = m_line;
    qsizetype searched = 0; // bytes after m_pos known to hold no line break
    while (true) {
        const char *start = m_buffer.constData() + m_pos;
        const qsizetype available = m_buffer.size() - m_pos;
        const void *lf = std::memchr(start + searched, '\n', size_t(available - searched));
        const qsizetype limit = lf ? static_cast<const char *>(lf) - start : available;
        const void *cr = std::memchr(start + searched, '\r', size_t(limit - searched));
        const qsizetype crAt = cr ? static_cast<const char *>(cr) - start : -1;
        if (cr && crAt + 1 < available) { // a CR whose next byte is known
            const bool crlf = start[crAt + 1] == '\n';
            line = QByteArray(start, crAt);
            m_pos += crAt + (crlf ? 2 : 1);
            ++m_line;
            return true;
        }
        if (lf) {
            line = QByteArray(start, limit);
            m_pos += limit + 1;
            ++m_line;
            return true;
        }
        searched = cr ? crAt : available; // a CR at the very end waits for the byte after it
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
            ++m_line;
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
// anything up to the next delimiter is kept as text (as Python's csv module does). Outside
// quotes a row ends at LF, CRLF or a bare CR.
Result<bool> RecordScanner::scanRow(char delimiter, QList<QByteArray> &fields)
{
    fields.clear();
    m_recordLine = m_line;
    qint64 newlines = 0; // inside quoted fields of this row
    qsizetype i = 0;     // offset from m_pos
    QByteArray field;
    bool fieldStart = true;
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
            fields.append(field);
            return true;
        }
        const char c = m_buffer.at(m_pos + i);
        if (fieldStart && c == '"') {
            // Messages about the quoted field name the line where its quote opened.
            const qint64 rowLine = m_recordLine;
            const qint64 quoteLine = m_line + newlines;
            const qint64 before = newlines;
            m_recordLine = quoteLine;
            const Result<bool> quoted = scanQuoted(i, field, newlines);
            if (!quoted)
                return quoted;
            if (newlines > before && m_swallowCheck) {
                const Result<bool> next = ensure(i);
                if (!next)
                    return next;
                const char after = next.value() ? m_buffer.at(m_pos + i) : '\n';
                const bool textFollows = after != delimiter && after != '\n' && after != '\r';
                if (const QString swallowed = describeSwallowed(field, delimiter, quoteLine, textFollows);
                    !swallowed.isEmpty())
                    return Result<bool>::failure(located(swallowed));
            }
            m_recordLine = rowLine;
            fieldStart = false;
            continue;
        }
        fieldStart = false;
        if (c == delimiter) {
            fields.append(field);
            field.clear();
            fieldStart = true;
            ++i;
        } else if (c == '\n' || c == '\r') {
            qsizetype end = i + 1;
            if (c == '\r') {
                const Result<bool> next = ensure(i + 1);
                if (!next)
                    return next;
                if (next.value() && m_buffer.at(m_pos + i + 1) == '\n')
                    ++end;
            }
            fields.append(field);
            m_pos += end;
            m_line += newlines + 1;
            return true;
        } else {
            // Take the whole run of ordinary bytes at once.
            const char *base = m_buffer.constData() + m_pos;
            const qsizetype available = m_buffer.size() - m_pos;
            if (delimiter != m_stopsFor) {
                m_stops.fill(false);
                for (const char stop : {delimiter, '\n', '\r'})
                    m_stops[static_cast<unsigned char>(stop)] = true;
                m_stopsFor = delimiter;
            }
            qsizetype end = i + 1;
            while (end < available && !m_stops[static_cast<unsigned char>(base[end])])
                ++end;
            field.append(base + i, end - i);
            i = end;
        }
    }
}

// The quoted field whose opening quote is at offset `i`: appends its content to `field`, counts
// its line breaks into `newlines` and leaves `i` after the closing quote.
Result<bool> RecordScanner::scanQuoted(qsizetype &i, QByteArray &field, qint64 &newlines)
{
    const auto ensure = [&](qsizetype offset) { return fill(offset + 1); };
    ++i;
    while (true) {
        const Result<bool> more = ensure(i);
        if (!more)
            return more;
        if (!more.value())
            return Result<bool>::failure(located(QStringLiteral("a quoted field opened on this line is never closed")));
        const char *base = m_buffer.constData() + m_pos;
        const qsizetype available = m_buffer.size() - m_pos;
        const void *quote = std::memchr(base + i, '"', size_t(available - i));
        const qsizetype end = quote ? static_cast<const char *>(quote) - base : available;
        field.append(base + i, end - i);
        newlines += countLineBreaks(QByteArrayView(base + i, end - i));
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
        return true;
    }
}

// Whether `line`, found inside a quoted field, has the shape of a record: exactly the expected
// number of fields, each one but the text short and without spaces (a label, an id). Prose that
// holds the delimiter does not: a comma in a sentence is followed by a space.
bool RecordScanner::looksLikeRecord(QByteArrayView line, char delimiter) const
{
    if (m_expectedFields < 2)
        return false;
    if (m_textField != m_expectedFields - 1) {
        // The last field first: in prose it is words after a comma, and this rejects the line
        // without counting its delimiters.
        const void *last = ::memrchr(line.data(), delimiter, size_t(line.size()));
        const QByteArrayView tail = last ? line.sliced(static_cast<const char *>(last) - line.data() + 1)
                                         : QByteArrayView();
        if (tail.isEmpty() || tail.size() > kMaxShortField || tail.contains(' '))
            return false;
    }
    if (line.count(delimiter) != m_expectedFields - 1)
        return false;
    int index = 0;
    qsizetype start = 0;
    while (start <= line.size()) {
        qsizetype end = line.indexOf(delimiter, start);
        if (end < 0)
            end = line.size();
        const QByteArrayView value = line.sliced(start, end - start);
        if (index != m_textField && (value.isEmpty() || value.size() > kMaxShortField || value.contains(' ')))
            return false;
        ++index;
        start = end + 1;
    }
    return true;
}

// A quoted field that spans lines is legitimate (a review with paragraphs), but one whose later
// lines have the shape of records, or whose closing quote is followed by more text, is most
// likely a stray quote that has swallowed the records after it. Returns the sentence that says
// so, or empty.
QString RecordScanner::describeSwallowed(const QByteArray &field, char delimiter, qint64 quoteLine,
                                         bool textFollows) const
{
    qint64 line = quoteLine;
    qint64 firstLine = 0;
    qint64 records = 0;
    const char *begin = field.constData();
    const char *end = begin + field.size();
    const char *start = begin;
    const bool hasCr = std::memchr(begin, '\r', size_t(field.size())) != nullptr;
    // Line by line (LF, CRLF or a bare CR), the first line excepted: it is the field's own.
    while (start < end) {
        const char *lf = static_cast<const char *>(std::memchr(start, '\n', size_t(end - start)));
        const char *stop = lf ? lf : end;
        const char *cr = hasCr ? static_cast<const char *>(std::memchr(start, '\r', size_t(stop - start))) : nullptr;
        const char *lineEnd = cr ? cr : stop;
        if (start != begin && looksLikeRecord(QByteArrayView(start, lineEnd - start), delimiter)) {
            ++records;
            if (firstLine == 0)
                firstLine = line;
        }
        if (lineEnd == end)
            break;
        start = lineEnd + (cr && lineEnd + 1 < end && lineEnd[1] == '\n' ? 2 : 1);
        ++line;
    }
    const QString advice = QStringLiteral("close the quote on its line, or, if fields do span lines, import with "
                                          "quoted newlines allowed (--quoted-newlines)");
    if (records > 0)
        return QStringLiteral("a quoted field opened on this line runs to line %1 and takes in %2 line(s) that look "
                              "like records (the first on line %3); %4")
            .arg(line)
            .arg(records)
            .arg(firstLine)
            .arg(advice);
    if (textFollows)
        return QStringLiteral("a quoted field opened on this line runs to line %1, where text follows its closing quote: "
                              "a stray quote seems to have swallowed the lines in between; %2")
            .arg(line)
            .arg(advice);
    return {};
}

} // namespace ts
