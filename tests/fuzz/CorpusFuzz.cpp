#include "FuzzScratch.h"
#include "FuzzTargets.h"

#include "corpus/FormatDetector.h"
#include "corpus/ImportParams.h"
#include "corpus/RecordSource.h"

namespace ts::fuzz {

namespace {

// An input's first byte chooses the import options (bits below); the rest is the file.
constexpr int kOptionBytes = 1;
// Records read at most: inputs are small, so more means the reader does not advance.
constexpr qint64 kMaxRecords = 1'000'000;
// The file name without a known suffix, so that Auto detection looks at the content.
const QString kUnnamedFile = QStringLiteral("corpus.dat");

/// What the importer does before reading: settles an Auto format from the file's first rows
/// (previewing them, as the import wizard does), then opens the source.
Result<std::unique_ptr<RecordSource>> openSource(ImportParams params)
{
    const Result<FormatGuess> guess = FormatDetector::inspect(params.path, params.encoding, params.format, 5);
    if (!guess)
        return Result<std::unique_ptr<RecordSource>>::failure(guess.error());
    if (params.format == CorpusFormat::Auto) {
        params.format = guess->format;
        if (params.delimiter == 0)
            params.delimiter = guess->delimiter;
    }
    return RecordSource::open(params);
}

/// Reads every record of `params.path` as an import does, checking each.
FuzzOutcome readAll(const ImportParams &params)
{
    const auto source = openSource(params);
    if (!source)
        return refusal(source.error());
    RecordSource &records = *source.value();
    SourceRecord record;
    for (qint64 count = 0;; ++count) {
        if (count > kMaxRecords)
            return FuzzOutcome::broken(QStringLiteral("more than %1 records from a small file").arg(kMaxRecords));
        const Result<bool> next = records.next(record);
        if (!next)
            return refusal(next.error());
        if (!next.value())
            break;
        if (record.origin.isEmpty())
            return FuzzOutcome::broken(QStringLiteral("record %1 has no origin").arg(count));
        if (record.label && !records.labelled())
            return FuzzOutcome::broken(QStringLiteral("%1: a label from an unlabelled source").arg(record.origin));
    }
    if (records.bytesRead() > records.totalBytes())
        return FuzzOutcome::broken(QStringLiteral("read %1 of %2 bytes").arg(records.bytesRead()).arg(records.totalBytes()));
    return FuzzOutcome::accepted();
}

} // namespace

FuzzOutcome fuzzDelimited(const QByteArray &input)
{
    if (input.size() < kOptionBytes)
        return FuzzOutcome::refused(QStringLiteral("no options byte"));
    const uchar options = uchar(input[0]);
    static constexpr CorpusFormat kFormats[] = {CorpusFormat::Auto, CorpusFormat::Csv, CorpusFormat::Tsv, CorpusFormat::Csv};
    static constexpr char kDelimiters[] = {0, ',', ';', '|'};
    ImportParams params = importDefaultParams();
    params.corpus = QStringLiteral("fuzz");
    params.format = kFormats[options & 3];
    params.hasHeader = options & 4;
    params.delimiter = kDelimiters[(options >> 3) & 3];
    params.labelColumn = options & 32 ? QStringLiteral("1") : QString();
    params.textColumn = options & 64 ? QStringLiteral("0") : QString();
    params.encoding = options & 128 ? QStringLiteral("windows-1252") : QString();
    params.path = FuzzScratch::write(params.format == CorpusFormat::Auto ? kUnnamedFile : QStringLiteral("corpus.csv"),
                                     input.mid(kOptionBytes));
    if (params.path.isEmpty())
        return FuzzOutcome::refused(QStringLiteral("cannot write the scratch file"));
    return readAll(params);
}

FuzzOutcome fuzzJsonl(const QByteArray &input)
{
    if (input.size() < kOptionBytes)
        return FuzzOutcome::refused(QStringLiteral("no options byte"));
    const uchar options = uchar(input[0]);
    ImportParams params = importDefaultParams();
    params.corpus = QStringLiteral("fuzz");
    params.format = options & 1 ? CorpusFormat::Auto : CorpusFormat::Jsonl;
    params.labelColumn = options & 2 ? QStringLiteral("label") : QString();
    params.textColumn = options & 4 ? QStringLiteral("body") : QString();
    params.split = options & 8 ? ImportSplit::Unlabeled : ImportSplit::Auto;
    params.encoding = options & 16 ? QStringLiteral("utf-16") : QString();
    params.path = FuzzScratch::write(params.format == CorpusFormat::Auto ? kUnnamedFile : QStringLiteral("corpus.jsonl"),
                                     input.mid(kOptionBytes));
    if (params.path.isEmpty())
        return FuzzOutcome::refused(QStringLiteral("cannot write the scratch file"));
    return readAll(params);
}

} // namespace ts::fuzz
