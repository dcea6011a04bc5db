// The options of `import`, shared with `predict --file`.
#include "ImportFlags.h"

#include "corpus/ColumnGuess.h"
#include "corpus/CorpusFormat.h"
#include "corpus/FormatDetector.h"
#include "corpus/ImportSplit.h"

namespace ts::cli {

namespace {

// First rows the column guess looks at, as in the import wizard's preview.
constexpr int kGuessRows = 20;
// Characters of the first row quoted in the message.
constexpr int kQuotedChars = 80;

bool parseFractions(const QString &text, SplitFractions &fractions)
{
    const QStringList parts = text.split(QLatin1Char(','));
    if (parts.size() != 3)
        return false;
    bool ok[3] = {false, false, false};
    fractions = {parts[0].toDouble(&ok[0]), parts[1].toDouble(&ok[1]), parts[2].toDouble(&ok[2])};
    return ok[0] && ok[1] && ok[2] && fractions.valid();
}

bool parseLabelMap(const QString &text, QHash<QString, QString> &map)
{
    for (const QString &pair : text.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        const qsizetype equals = pair.indexOf(QLatin1Char('='));
        if (equals <= 0)
            return false;
        map.insert(pair.left(equals), pair.mid(equals + 1));
    }
    return true;
}

} // namespace

QString readFileOptions(const QCommandLineParser &parser, const ImportOptions &o, ImportParams &params)
{
    params.path = parser.value(o.file);
    if (parser.isSet(o.format)) {
        const auto format = parseCorpusFormat(parser.value(o.format));
        if (!format || *format == CorpusFormat::Auto)
            return QStringLiteral("unknown format '%1' (csv, tsv, jsonl, txt, folder)").arg(parser.value(o.format));
        params.format = *format;
    }
    params.textColumn = parser.value(o.textColumn);
    params.labelColumn = parser.value(o.labelColumn);
    params.hasHeader = !parser.isSet(o.noHeader);
    params.quotedNewlines = parser.isSet(o.quotedNewlines);
    if (parser.isSet(o.delimiter)) {
        const QString d = parser.value(o.delimiter) == QLatin1String("\\t") ? QStringLiteral("\t") : parser.value(o.delimiter);
        if (d.size() != 1 || d.at(0).unicode() > 0x7F || d == QLatin1String("\"") || d == QLatin1String("\n")
            || d == QLatin1String("\r"))
            return QStringLiteral("the delimiter must be one ASCII character other than a quote, a newline or a "
                                  "carriage return");
        params.delimiter = char(d.at(0).unicode());
    }
    bool ok = true;
    if (parser.isSet(o.maxBadRows))
        params.maxBadRows = parser.value(o.maxBadRows).toInt(&ok);
    if (!ok || params.maxBadRows < 0)
        return QStringLiteral("--max-bad-rows wants a non-negative integer");
    params.encoding = parser.value(o.encoding);
    if (parser.isSet(o.labelMap) && !parseLabelMap(parser.value(o.labelMap), params.labelMap))
        return QStringLiteral("--label-map wants FROM=TO pairs separated by commas");
    return {};
}

QString firstRowProblem(const ImportParams &params)
{
    if (!params.hasHeader || !params.textColumn.isEmpty())
        return {};
    const auto guess = FormatDetector::inspect(params.path, params.encoding, params.format, kGuessRows);
    if (!guess || guess->hasHeader || guess->rows.isEmpty()
        || (guess->format != CorpusFormat::Csv && guess->format != CorpusFormat::Tsv))
        return {}; // the import itself says what is wrong with an unreadable file
    const QStringList &first = guess->rows.first();
    if (first.contains(QStringLiteral("text")))
        return {};
    const int text = ColumnGuess::textColumn(guess->columns, guess->rows);
    const int label = ColumnGuess::labelColumn(guess->columns, guess->rows, text, false);
    QString flags = QStringLiteral("--no-header --text-column %1").arg(text);
    if (label >= 0)
        flags += QStringLiteral(" --label-column %1").arg(label);
    QString quoted = first.join(QStringLiteral(" | "));
    if (quoted.size() > kQuotedChars)
        quoted = quoted.left(kQuotedChars) + QChar(0x2026);
    return QStringLiteral("%1:1: the first row looks like a record, not column names (\"%2\"), and there is no "
                          "'text' column to read; if the file has no header, read it with %3 (0-based columns)")
        .arg(params.path, quoted, flags);
}

QString readImportOptions(const QCommandLineParser &parser, const ImportOptions &o, ImportParams &params)
{
    if (!parser.isSet(o.corpus) || !parser.isSet(o.file))
        return QStringLiteral("import needs --corpus and --file");
    params.corpus = parser.value(o.corpus);
    if (const QString problem = readFileOptions(parser, o, params); !problem.isEmpty())
        return problem;
    if (parser.isSet(o.splitName) && parser.isSet(o.unlabeled))
        return QStringLiteral("--split-name and --unlabeled exclude each other");
    if (parser.isSet(o.splitName)) {
        const auto split = parseImportSplit(parser.value(o.splitName));
        if (!split || *split == ImportSplit::Unlabeled)
            return QStringLiteral("unknown split '%1' (train, validation, test)").arg(parser.value(o.splitName));
        params.split = *split;
    }
    if (parser.isSet(o.unlabeled))
        params.split = ImportSplit::Unlabeled;
    if (parser.isSet(o.split) && !parseFractions(parser.value(o.split), params.fractions))
        return QStringLiteral("--split wants three fractions that sum to 1, like 0.8,0.1,0.1");
    bool ok = true;
    if (parser.isSet(o.seed))
        params.seed = parser.value(o.seed).toULongLong(&ok);
    if (!ok)
        return QStringLiteral("--seed wants a non-negative integer");
    params.removeDuplicates = !parser.isSet(o.keepDuplicates);
    return {};
}

} // namespace ts::cli
