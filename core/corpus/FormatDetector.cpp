#include "corpus/FormatDetector.h"

#include "corpus/ChunkReader.h"
#include "corpus/ImportParams.h"
#include "corpus/RecordScanner.h"
#include "corpus/RecordSource.h"

#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>

namespace ts {

namespace {

// Candidate delimiters, in order of preference when several split the rows evenly.
constexpr char kDelimiters[] = {'\t', ',', ';', '|'};
// A first-row cell longer than this is data, not a column name.
constexpr int kMaxHeaderNameChars = 40;

QString shorten(const QString &text)
{
    return text.size() <= FormatDetector::kPreviewChars ? text : text.left(FormatDetector::kPreviewChars) + QChar(0x2026);
}

bool looksLikeHeader(const QStringList &row)
{
    for (const QString &cell : row) {
        bool isNumber = false;
        cell.toDouble(&isNumber);
        if (cell.trimmed().isEmpty() || isNumber || cell.size() > kMaxHeaderNameChars)
            return false;
    }
    return true;
}

// The delimiter that splits every sampled row into the same number (above one) of fields; 0 if none.
Result<char> evenDelimiter(const QString &path, const QString &encoding)
{
    for (const char delimiter : kDelimiters) {
        ChunkReader reader(path, encoding);
        if (const Status opened = reader.open(); !opened)
            return Result<char>::failure(opened.error());
        RecordScanner scanner(reader);
        QList<QByteArray> fields;
        qsizetype count = -1;
        bool even = true;
        for (int row = 0; row < FormatDetector::kSampleRows && even; ++row) {
            const Result<bool> next = scanner.nextRow(delimiter, fields);
            if (!next)
                return Result<char>::failure(next.error());
            if (!next.value())
                break;
            even = fields.size() > 1 && (count < 0 || fields.size() == count);
            count = fields.size();
        }
        if (even && count > 1)
            return delimiter;
    }
    return char(0);
}

} // namespace

Result<char> FormatDetector::detectDelimiter(const QString &path, const QString &encoding)
{
    const Result<char> delimiter = evenDelimiter(path, encoding);
    if (!delimiter)
        return delimiter;
    return delimiter.value() ? delimiter.value() : ',';
}

Result<CorpusFormat> FormatDetector::detectFormat(const QString &path, const QString &encoding)
{
    using R = Result<CorpusFormat>;
    const QFileInfo info(path);
    if (info.isDir())
        return CorpusFormat::Folder;
    const QString suffix = info.suffix().toLower();
    if (suffix == QLatin1String("csv"))
        return CorpusFormat::Csv;
    if (suffix == QLatin1String("tsv") || suffix == QLatin1String("tab"))
        return CorpusFormat::Tsv;
    if (suffix == QLatin1String("jsonl") || suffix == QLatin1String("ndjson"))
        return CorpusFormat::Jsonl;
    if (suffix == QLatin1String("txt"))
        return CorpusFormat::Text;
    ChunkReader reader(path, encoding);
    if (const Status opened = reader.open(); !opened)
        return R::failure(opened.error());
    RecordScanner scanner(reader);
    QByteArray line;
    do {
        const Result<bool> next = scanner.nextLine(line);
        if (!next)
            return R::failure(next.error());
        if (!next.value())
            return R::failure(QStringLiteral("%1:1: the file is empty").arg(path));
    } while (line.trimmed().isEmpty());
    if (line.trimmed().startsWith('{'))
        return CorpusFormat::Jsonl;
    const Result<char> delimiter = evenDelimiter(path, encoding);
    if (!delimiter)
        return R::failure(delimiter.error());
    if (delimiter.value() == 0)
        return CorpusFormat::Text;
    return delimiter.value() == '\t' ? CorpusFormat::Tsv : CorpusFormat::Csv;
}

Result<QList<QStringList>> FormatDetector::sampleRows(const QString &path, const QString &encoding, char delimiter,
                                                      int rows)
{
    using R = Result<QList<QStringList>>;
    ChunkReader reader(path, encoding);
    if (const Status opened = reader.open(); !opened)
        return R::failure(opened.error());
    RecordScanner scanner(reader);
    QList<QByteArray> fields;
    QList<QStringList> sample;
    while (sample.size() < rows) {
        const Result<bool> next = delimiter ? scanner.nextRow(delimiter, fields) : scanner.nextLine(fields.emplaceBack());
        if (!next)
            return R::failure(next.error());
        if (!next.value())
            break;
        QStringList cells;
        for (const QByteArray &field : std::as_const(fields))
            cells.append(shorten(QString::fromUtf8(field)));
        fields.clear();
        if (delimiter || !cells.first().trimmed().isEmpty())
            sample.append(cells);
    }
    return sample;
}

Status FormatDetector::previewDelimited(const QString &path, const QString &encoding, int previewRows,
                                        FormatGuess &guess)
{
    if (guess.delimiter == 0) {
        const Result<char> delimiter =
            guess.format == CorpusFormat::Tsv ? Result<char>('\t') : detectDelimiter(path, encoding);
        if (!delimiter)
            return Status::failure(delimiter.error());
        guess.delimiter = delimiter.value();
    }
    const Result<QList<QStringList>> rows = sampleRows(path, encoding, guess.delimiter, previewRows + 1);
    if (!rows)
        return Status::failure(rows.error());
    guess.rows = rows.value();
    if (guess.rows.isEmpty())
        return Status::failure(QStringLiteral("%1:1: the file is empty").arg(path));
    guess.hasHeader = looksLikeHeader(guess.rows.first());
    if (guess.hasHeader) {
        guess.columns = guess.rows.takeFirst();
        return {};
    }
    if (guess.rows.size() > previewRows)
        guess.rows.removeLast();
    for (int i = 0; i < guess.rows.first().size(); ++i)
        guess.columns.append(QString::number(i));
    return {};
}

// JSONL: the first objects' keys and values; text and folders: the records themselves.
Status FormatDetector::previewRecords(const QString &path, const QString &encoding, int previewRows,
                                      FormatGuess &guess)
{
    if (guess.format == CorpusFormat::Jsonl) {
        const Result<QList<QStringList>> lines = sampleRows(path, encoding, 0, previewRows);
        if (!lines)
            return Status::failure(lines.error());
        QList<QJsonObject> objects;
        for (const QStringList &line : lines.value()) {
            objects.append(QJsonDocument::fromJson(line.first().toUtf8()).object());
            for (const QString &key : objects.last().keys()) {
                if (!guess.columns.contains(key))
                    guess.columns.append(key);
            }
        }
        for (const QJsonObject &object : std::as_const(objects)) {
            QStringList cells;
            for (const QString &key : std::as_const(guess.columns))
                cells.append(shorten(object.value(key).toVariant().toString()));
            guess.rows.append(cells);
        }
        return {};
    }
    ImportParams params = importDefaultParams();
    params.path = path;
    params.encoding = encoding;
    params.format = guess.format;
    const auto source = RecordSource::open(params);
    if (!source)
        return Status::failure(source.error());
    guess.columns = source.value()->labelled() ? QStringList{QStringLiteral("text"), QStringLiteral("label")}
                                               : QStringList{QStringLiteral("text")};
    SourceRecord record;
    while (guess.rows.size() < previewRows) {
        const Result<bool> next = source.value()->next(record);
        if (!next)
            return Status::failure(next.error());
        if (!next.value())
            break;
        QStringList cells{shorten(QString::fromUtf8(record.text))};
        if (record.label)
            cells.append(*record.label);
        guess.rows.append(cells);
    }
    return {};
}

Result<FormatGuess> FormatDetector::inspect(const QString &path, const QString &encoding, CorpusFormat format,
                                            int previewRows)
{
    FormatGuess guess;
    guess.format = format;
    if (format == CorpusFormat::Auto) {
        const Result<CorpusFormat> detected = detectFormat(path, encoding);
        if (!detected)
            return Result<FormatGuess>::failure(detected.error());
        guess.format = detected.value();
    }
    const bool delimited = guess.format == CorpusFormat::Csv || guess.format == CorpusFormat::Tsv;
    const Status preview = delimited ? previewDelimited(path, encoding, previewRows, guess)
                                     : previewRecords(path, encoding, previewRows, guess);
    if (!preview)
        return Result<FormatGuess>::failure(preview.error());
    return guess;
}

} // namespace ts
