// Verbs on corpora: import, corpora, stats.
#include "CorpusCommands.h"

#include "CliCommand.h"
#include "CliOutput.h"

#include "corpus/CorpusImporter.h"
#include "corpus/CorpusStore.h"
#include "corpus/DomainShiftAnalyzer.h"
#include "model/ModelTokenizer.h"
#include "project/Project.h"

#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonObject>

#include <cstdio>
#include <unistd.h>

namespace ts::cli {

namespace {

// Rejected rows and warnings printed after an import; the rest are counted.
constexpr int kMaxPrintedIssues = 20;
// Width of the progress bar, in characters.
constexpr int kBarWidth = 30;
// Bytes per MiB, for throughput figures.
constexpr double kMiB = 1024.0 * 1024.0;

struct ImportOptions
{
    QCommandLineOption corpus{QStringLiteral("corpus"), QStringLiteral("Corpus to import into (created if missing)."),
                              QStringLiteral("NAME")};
    QCommandLineOption file{QStringLiteral("file"), QStringLiteral("File to import, or folder for --format folder."),
                            QStringLiteral("PATH")};
    QCommandLineOption format{QStringLiteral("format"),
                              QStringLiteral("csv, tsv, jsonl, txt or folder (default: detected)."),
                              QStringLiteral("FORMAT")};
    QCommandLineOption textColumn{QStringLiteral("text-column"),
                                  QStringLiteral("Text column: header name or 0-based index; JSONL field."),
                                  QStringLiteral("C")};
    QCommandLineOption labelColumn{QStringLiteral("label-column"),
                                   QStringLiteral("Label column: header name or 0-based index; JSONL field."),
                                   QStringLiteral("C")};
    QCommandLineOption noHeader{QStringLiteral("no-header"), QStringLiteral("CSV/TSV: the first row is data.")};
    QCommandLineOption quotedNewlines{QStringLiteral("quoted-newlines"),
                                      QStringLiteral("CSV/TSV: quoted fields span lines (otherwise a quoted field "
                                                     "whose lines look like records is refused as a stray quote).")};
    QCommandLineOption delimiter{QStringLiteral("delimiter"), QStringLiteral("CSV delimiter (default: detected)."),
                                 QStringLiteral("CHAR")};
    QCommandLineOption splitName{QStringLiteral("split-name"),
                                 QStringLiteral("Put every document in train, validation or test."),
                                 QStringLiteral("SPLIT")};
    QCommandLineOption unlabeled{QStringLiteral("unlabeled"), QStringLiteral("Put the documents in the unlabelled pool.")};
    QCommandLineOption split{QStringLiteral("split"),
                             QStringLiteral("Stratified train,validation,test fractions (default 0.8,0.1,0.1)."),
                             QStringLiteral("FRACTIONS")};
    QCommandLineOption seed{QStringLiteral("seed"), QStringLiteral("Seed of the stratified split (default 42)."),
                            QStringLiteral("N")};
    QCommandLineOption encoding{QStringLiteral("encoding"),
                                QStringLiteral("File encoding, e.g. windows-1252, latin1, utf-16 (default utf-8)."),
                                QStringLiteral("E")};
    QCommandLineOption maxBadRows{QStringLiteral("max-bad-rows"),
                                  QStringLiteral("Refuse the file when more rows are bad (default %1).")
                                      .arg(ImportParams::kDefaultMaxBadRows),
                                  QStringLiteral("N")};
    QCommandLineOption keepDuplicates{QStringLiteral("keep-duplicates"),
                                      QStringLiteral("Keep documents whose text the corpus already has.")};
    QCommandLineOption labelMap{QStringLiteral("label-map"), QStringLiteral("Rename labels: FROM=TO,FROM=TO."),
                                QStringLiteral("MAP")};
    QCommandLineOption json{QStringLiteral("json"), QStringLiteral("Print the import report as JSON.")};

    QList<QCommandLineOption> all() const
    {
        return {corpus,    file,  format, textColumn, labelColumn, noHeader,       delimiter, splitName,
                unlabeled, split, seed, quotedNewlines,   encoding,   maxBadRows,  keepDuplicates, labelMap,  json};
    }
};

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

// Fills `params` from the parsed options; a usage error message, or empty when all is well.
QString readImportOptions(const QCommandLineParser &parser, const ImportOptions &o, ImportParams &params)
{
    if (!parser.isSet(o.corpus) || !parser.isSet(o.file))
        return QStringLiteral("import needs --corpus and --file");
    params.corpus = parser.value(o.corpus);
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
    if (parser.isSet(o.maxBadRows))
        params.maxBadRows = parser.value(o.maxBadRows).toInt(&ok);
    if (!ok || params.maxBadRows < 0)
        return QStringLiteral("--max-bad-rows wants a non-negative integer");
    params.encoding = parser.value(o.encoding);
    params.removeDuplicates = !parser.isSet(o.keepDuplicates);
    if (parser.isSet(o.labelMap) && !parseLabelMap(parser.value(o.labelMap), params.labelMap))
        return QStringLiteral("--label-map wants FROM=TO pairs separated by commas");
    return {};
}

// A progress bar on stderr, drawn only for a terminal so that logs and pipes stay clean.
std::function<void(const ImportProgress &)> progressBar()
{
    if (!isatty(fileno(stderr)))
        return {};
    auto timer = std::make_shared<QElapsedTimer>();
    timer->start();
    return [timer](const ImportProgress &p) {
        const double fraction = p.totalBytes > 0 ? double(p.bytesRead) / double(p.totalBytes) : 0.0;
        const int filled = int(fraction * kBarWidth);
        const double seconds = std::max(1e-3, double(timer->elapsed()) / 1000.0);
        std::fprintf(stderr, "\r[%s%s] %3d%%  %lld records  %.1f MiB/s", QByteArray(filled, '#').constData(),
                     QByteArray(kBarWidth - filled, ' ').constData(), int(fraction * 100), p.records,
                     double(p.bytesRead) / kMiB / seconds);
        if (p.bytesRead >= p.totalBytes)
            std::fputc('\n', stderr);
        std::fflush(stderr);
    };
}

QJsonObject countsJson(const QMap<QString, qint64> &counts)
{
    QJsonObject object;
    for (auto it = counts.cbegin(); it != counts.cend(); ++it)
        object.insert(it.key(), it.value());
    return object;
}

QString countsText(const QMap<QString, qint64> &counts)
{
    QStringList parts;
    for (auto it = counts.cbegin(); it != counts.cend(); ++it)
        parts.append(QStringLiteral("%1 %2").arg(it.key()).arg(it.value()));
    return parts.join(QStringLiteral(", "));
}

void printImportReport(const ImportReport &report, bool json)
{
    for (int i = 0; i < std::min<qsizetype>(report.issues.size(), kMaxPrintedIssues); ++i)
        std::fprintf(stderr, "warning: %s (row skipped)\n", qUtf8Printable(report.issues.at(i).toString()));
    if (report.rejected > kMaxPrintedIssues)
        std::fprintf(stderr, "warning: ... and %lld more rejected rows\n", report.rejected - kMaxPrintedIssues);
    for (const QString &warning : report.warnings)
        std::fprintf(stderr, "warning: %s\n", qUtf8Printable(warning));
    if (json) {
        QJsonArray issues;
        for (const RowIssue &issue : report.issues)
            issues.append(QJsonObject{{QStringLiteral("origin"), issue.origin}, {QStringLiteral("reason"), issue.reason}});
        printJson(QJsonObject{
            {QStringLiteral("corpus"), report.corpus},
            {QStringLiteral("file"), report.path},
            {QStringLiteral("format"), report.format},
            {QStringLiteral("records"), report.records},
            {QStringLiteral("documents"), report.documents},
            {QStringLiteral("duplicates"), report.duplicates},
            {QStringLiteral("rejected"), report.rejected},
            {QStringLiteral("splits"), countsJson(report.splits)},
            {QStringLiteral("issues"), issues},
            {QStringLiteral("warnings"), QJsonArray::fromStringList(report.warnings)},
        });
        return;
    }
    printLine(QStringLiteral("imported %1 documents into corpus '%2' from %3 (%4)")
                  .arg(report.documents)
                  .arg(report.corpus, report.path, countsText(report.splits)));
    printLine(QStringLiteral("%1 records read, %2 duplicates removed, %3 bad rows skipped")
                  .arg(report.records)
                  .arg(report.duplicates)
                  .arg(report.rejected));
}

} // namespace

int runImport(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Import a file into a corpus of a project, all or nothing."));
    parser.addPositionalArgument(QStringLiteral("PROJECT"), QStringLiteral("A .tstudio file."));
    const ImportOptions options;
    parser.addOptions(options.all());
    if (const int code = parseOrExit(parser, arguments, 1); code >= 0)
        return code;
    ImportParams params = importDefaultParams();
    if (const QString usage = readImportOptions(parser, options, params); !usage.isEmpty())
        return usageError(usage);
    params.progress = progressBar();

    const auto project = Project::open(parser.positionalArguments().at(0));
    if (!project)
        return fail(project.error());
    const Result<ImportReport> report = CorpusImporter::run(*project.value(), params);
    if (!report)
        return fail(report.error());
    printImportReport(report.value(), parser.isSet(options.json));
    return kExitOk;
}

int runCorpora(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("List a project's corpora: documents per split, labels."));
    parser.addPositionalArgument(QStringLiteral("PROJECT"), QStringLiteral("A .tstudio file."));
    const QCommandLineOption json(QStringLiteral("json"), QStringLiteral("Print JSON."));
    parser.addOption(json);
    if (const int code = parseOrExit(parser, arguments, 1); code >= 0)
        return code;
    const auto project = Project::open(parser.positionalArguments().at(0), Project::Access::ReadOnly);
    if (!project)
        return fail(project.error());
    const auto corpora = CorpusStore::summaries(project.value()->database());
    if (!corpora)
        return fail(QStringLiteral("%1: %2").arg(project.value()->path(), corpora.error()));
    if (parser.isSet(json)) {
        QJsonArray array;
        for (const CorpusSummary &c : corpora.value()) {
            array.append(QJsonObject{{QStringLiteral("name"), c.name},
                                     {QStringLiteral("documents"), c.documents},
                                     {QStringLiteral("unlabeled"), c.unlabeled},
                                     {QStringLiteral("splits"), countsJson(c.splits)},
                                     {QStringLiteral("labels"), countsJson(c.labels)}});
        }
        printJson(array);
        return kExitOk;
    }
    for (const CorpusSummary &c : corpora.value()) {
        printLine(QStringLiteral("%1: %2 documents (%3); labels: %4")
                      .arg(c.name)
                      .arg(c.documents)
                      .arg(countsText(c.splits), c.labels.isEmpty() ? QStringLiteral("none") : countsText(c.labels)));
    }
    return kExitOk;
}

namespace {

QJsonObject profileJson(const CorpusProfile &p)
{
    QJsonArray bounds;
    for (const qint64 bound : p.lengths.upperBounds)
        bounds.append(bound);
    QJsonArray counts;
    for (const qint64 count : p.lengths.counts)
        counts.append(count);
    return QJsonObject{
        {QStringLiteral("name"), p.name},
        {QStringLiteral("documents"), p.documents},
        {QStringLiteral("unlabeled"), p.unlabeled},
        {QStringLiteral("splits"), countsJson(p.splits)},
        {QStringLiteral("labels"), countsJson(p.labels)},
        {QStringLiteral("tokens"), p.tokens},
        {QStringLiteral("vocabulary"), p.vocabulary},
        {QStringLiteral("mean_length"), p.meanLength},
        {QStringLiteral("length_histogram"),
         QJsonObject{{QStringLiteral("upper_bounds"), bounds}, {QStringLiteral("counts"), counts}}},
    };
}

QJsonObject fragmentationJson(const SubwordFragmentation &f)
{
    return QJsonObject{
        {QStringLiteral("documents"), f.documents},
        {QStringLiteral("words"), f.words},
        {QStringLiteral("tokens"), f.tokens},
        {QStringLiteral("tokens_per_word"), f.tokensPerWord()},
        {QStringLiteral("split_word_share"), f.splitShare()},
    };
}

QJsonObject reportJson(const DomainShiftReport &r)
{
    QJsonObject json{
        {QStringLiteral("source"), profileJson(r.source)},
        {QStringLiteral("target"), profileJson(r.target)},
        {QStringLiteral("shared_vocabulary"), r.sharedVocabulary},
        {QStringLiteral("vocabulary_jaccard"), r.vocabularyJaccard},
        {QStringLiteral("target_vocabulary_covered"), r.targetVocabularyCovered},
        {QStringLiteral("target_oov_rate"), r.targetOovRate},
        {QStringLiteral("jensen_shannon"), r.jensenShannon},
        {QStringLiteral("classifier_documents"), r.classifierDocuments},
        {QStringLiteral("folds"), r.folds},
        {QStringLiteral("domain_classifier_error"), r.domainClassifierError},
        {QStringLiteral("proxy_a_distance"), r.proxyADistance},
        {QStringLiteral("warnings"), QJsonArray::fromStringList(r.warnings)},
    };
    if (!r.tokenizer.isEmpty()) {
        json.insert(QStringLiteral("fragmentation"),
                    QJsonObject{{QStringLiteral("model"), r.tokenizer},
                                {QStringLiteral("source"), fragmentationJson(r.sourceFragmentation)},
                                {QStringLiteral("target"), fragmentationJson(r.targetFragmentation)}});
    }
    return json;
}

QString fragmentationText(const QString &role, const SubwordFragmentation &f)
{
    return QStringLiteral("%1 %2 tokens per word, %3% of words split (%4 documents)")
        .arg(role)
        .arg(f.tokensPerWord(), 0, 'f', 3)
        .arg(100 * f.splitShare(), 0, 'f', 1)
        .arg(f.documents);
}

void printProfile(const QString &role, const CorpusProfile &p)
{
    printLine(QStringLiteral("%1 '%2': %3 documents (%4), %5 words, vocabulary %6, mean length %7 words")
                  .arg(role, p.name)
                  .arg(p.documents)
                  .arg(countsText(p.splits))
                  .arg(p.tokens)
                  .arg(p.vocabulary)
                  .arg(p.meanLength, 0, 'f', 1));
    printLine(QStringLiteral("  labels: %1").arg(p.labels.isEmpty() ? QStringLiteral("none") : countsText(p.labels)));
    QStringList bins;
    for (qsizetype i = 0; i < p.lengths.counts.size(); ++i) {
        const QString range = i < p.lengths.upperBounds.size()
            ? QStringLiteral("<%1").arg(p.lengths.upperBounds.at(i))
            : QStringLiteral(">=%1").arg(p.lengths.upperBounds.last());
        bins.append(QStringLiteral("%1: %2").arg(range).arg(p.lengths.counts.at(i)));
    }
    printLine(QStringLiteral("  lengths (words): %1").arg(bins.join(QStringLiteral(", "))));
}

} // namespace

int runStats(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Report how far apart a source and a target corpus are."));
    parser.addPositionalArgument(QStringLiteral("PROJECT"), QStringLiteral("A .tstudio file."));
    const QCommandLineOption source(QStringLiteral("source"), QStringLiteral("Source corpus."), QStringLiteral("A"));
    const QCommandLineOption target(QStringLiteral("target"), QStringLiteral("Target corpus."), QStringLiteral("B"));
    const QCommandLineOption model(QStringLiteral("model"),
                                   QStringLiteral("Also measure sub-word fragmentation (tokens per word) with this "
                                                  "registered model's tokenizer (name or id)."),
                                   QStringLiteral("M"));
    const QCommandLineOption json(QStringLiteral("json"), QStringLiteral("Print JSON."));
    parser.addOptions({source, target, model, json});
    if (const int code = parseOrExit(parser, arguments, 1); code >= 0)
        return code;
    if (!parser.isSet(source) || !parser.isSet(target))
        return usageError(QStringLiteral("stats needs --source and --target"));
    const auto project = Project::open(parser.positionalArguments().at(0), Project::Access::ReadOnly);
    if (!project)
        return fail(project.error());
    DomainShiftParams params = domainShiftDefaultParams();
    if (parser.isSet(model)) {
        const Result<Tokenizer> tokenizer = ModelTokenizer::load(project.value()->database(), parser.value(model));
        if (!tokenizer)
            return fail(QStringLiteral("%1: %2").arg(project.value()->path(), tokenizer.error()));
        params.tokenizer = tokenizer.value();
        params.tokenizerName = parser.value(model);
    }
    const Result<DomainShiftReport> report = DomainShiftAnalyzer::analyze(
        project.value()->database(), parser.value(source), parser.value(target), params);
    if (!report)
        return fail(QStringLiteral("%1: %2").arg(project.value()->path(), report.error()));
    const DomainShiftReport &r = report.value();
    for (const QString &warning : r.warnings)
        std::fprintf(stderr, "warning: %s\n", qUtf8Printable(warning));
    if (parser.isSet(json)) {
        printJson(reportJson(r));
        return kExitOk;
    }
    printProfile(QStringLiteral("source"), r.source);
    printProfile(QStringLiteral("target"), r.target);
    printLine(QStringLiteral("vocabulary overlap: %1 shared words, Jaccard %2, %3% of the target vocabulary")
                  .arg(r.sharedVocabulary)
                  .arg(r.vocabularyJaccard, 0, 'f', 3)
                  .arg(100 * r.targetVocabularyCovered, 0, 'f', 1));
    printLine(QStringLiteral("target OOV rate: %1%").arg(100 * r.targetOovRate, 0, 'f', 2));
    printLine(QStringLiteral("Jensen-Shannon divergence (unigrams, base 2): %1").arg(r.jensenShannon, 0, 'f', 4));
    printLine(QStringLiteral("proxy A-distance: %1 (domain classifier error %2, %3 documents per domain, %4-fold)")
                  .arg(r.proxyADistance, 0, 'f', 3)
                  .arg(r.domainClassifierError, 0, 'f', 3)
                  .arg(r.classifierDocuments)
                  .arg(r.folds));
    if (!r.tokenizer.isEmpty()) {
        printLine(QStringLiteral("sub-word fragmentation with the tokenizer of '%1': %2; %3")
                      .arg(r.tokenizer, fragmentationText(QStringLiteral("source"), r.sourceFragmentation),
                           fragmentationText(QStringLiteral("target"), r.targetFragmentation)));
    }
    return kExitOk;
}

} // namespace ts::cli
