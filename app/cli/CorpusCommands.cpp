// Verbs on corpora: import, corpora, stats.
#include "CorpusCommands.h"

#include "CliCommand.h"
#include "CliOutput.h"
#include "ImportFlags.h"

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

// Duplicates by where the text already was; this file's earlier rows under `thisFile`.
QMap<QString, qint64> duplicatesWhere(const ImportReport &report, const QString &thisFile)
{
    QMap<QString, qint64> where;
    for (auto it = report.duplicatesBySplit.cbegin(); it != report.duplicatesBySplit.cend(); ++it)
        where.insert(it.key().isEmpty() ? thisFile : it.key(), it.value());
    return where;
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
            {QStringLiteral("duplicatesIn"), countsJson(duplicatesWhere(report, QStringLiteral("this-file")))},
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
    // Where the removed texts already were: a test file repeating the training split is leakage
    // the import kept out.
    const QString where = report.duplicates > 0
        ? QStringLiteral(" (already in: %1)").arg(countsText(duplicatesWhere(report, QStringLiteral("this file"))))
        : QString();
    printLine(QStringLiteral("%1 records read, %2 duplicates removed%3, %4 bad rows skipped")
                  .arg(report.records)
                  .arg(report.duplicates)
                  .arg(where)
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
    if (const QString problem = firstRowProblem(params); !problem.isEmpty())
        return fail(problem);
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
