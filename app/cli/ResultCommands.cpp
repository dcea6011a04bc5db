// Verbs on runs' results: runs, predictions, predict, compare. They show RunSummary, the one
// definition of a run's result.
#include "ResultCommands.h"

#include "CliCommand.h"
#include "CliOutput.h"
#include "ImportFlags.h"

#include "jobs/RunPredictor.h"
#include "model/ModelRegistry.h"
#include "project/PredictionCsv.h"
#include "project/PredictionStore.h"
#include "project/Project.h"
#include "project/RunGrouping.h"
#include "project/RunStore.h"
#include "project/RunSummary.h"
#include "transfer/StrategyRegistry.h"
#include "transfer/TransferRunner.h"

#include <QCommandLineParser>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlQuery>

#include <cmath>
#include <cstdio>

namespace ts::cli {

namespace {

const QCommandLineOption kRunOption(QStringLiteral("run"), QStringLiteral("Run id."), QStringLiteral("ID"));

/// The run id given with --run, or -1 when it is missing or not a positive number.
qint64 runIdOf(const QCommandLineParser &parser)
{
    bool ok = false;
    const qint64 id = parser.value(kRunOption).toLongLong(&ok);
    return ok && id > 0 ? id : -1;
}

QString corpusNameOf(const QSqlDatabase &db, qint64 id)
{
    QSqlQuery q(db);
    q.prepare(QStringLiteral("SELECT name FROM corpora WHERE id = ?"));
    q.addBindValue(id);
    return q.exec() && q.next() ? q.value(0).toString() : QString();
}

/// A run's status as `runs` shows it: a run recorded as running whose process is gone is interrupted,
/// even before a writer records that (`runs` opens the project read-only).
RunRecord::Status shownStatus(const QString &projectPath, const RunRecord &run)
{
    if (run.status == RunRecord::Status::Running && TransferRunner::isAbandoned(projectPath, run.id))
        return RunRecord::Status::Interrupted;
    return run.status;
}

QString number(double value, int decimals = 3)
{
    return std::isnan(value) ? QStringLiteral("-") : QString::number(value, 'f', decimals);
}

/// A figure that is never negative (ECE, baselines): negative means "not known".
QString known(double value)
{
    return value < 0 ? QStringLiteral("-") : number(value);
}

/// "0.812 (target test, 390)" cells of the runs table.
QString accuracyCell(const DomainResult &r)
{
    return r.isValid() ? number(r.accuracy) : QStringLiteral("-");
}

QString splitCell(const DomainResult &r)
{
    if (!r.isValid())
        return QStringLiteral("-");
    const QString kind = r.split.section(QLatin1Char('/'), 1);
    return r.examples > 0 ? QStringLiteral("%1 %2").arg(kind).arg(r.examples) : kind;
}

QString estimateText(const SeedEstimate &e)
{
    if (e.n < 2)
        return number(e.mean);
    return QStringLiteral("%1 ± %2 [%3, %4]").arg(number(e.mean), number(e.std), number(e.ciLow), number(e.ciHigh));
}

} // namespace

void printSummary(const RunSummary &summary)
{
    printLine(QStringLiteral("%1 %2 %3 %4 %5 %6 %7")
                  .arg(QStringLiteral("domain"), -7)
                  .arg(QStringLiteral("split (texts)"), -28)
                  .arg(QStringLiteral("accuracy"), 9)
                  .arg(QStringLiteral("macro-F1"), 9)
                  .arg(QStringLiteral("ECE"), 6)
                  .arg(QStringLiteral("majority acc"), 13)
                  .arg(QStringLiteral("majority F1"), 12));
    for (Domain domain : {Domain::Source, Domain::Target}) {
        const DomainResult &r = summary.result(domain);
        if (!r.isValid())
            continue;
        printLine(QStringLiteral("%1 %2 %3 %4 %5 %6 %7")
                      .arg(domainName(domain), -7)
                      .arg(r.describe(), -28)
                      .arg(number(r.accuracy), 9)
                      .arg(number(r.macroF1), 9)
                      .arg(known(r.ece), 6)
                      .arg(known(r.majorityAccuracy), 13)
                      .arg(known(r.majorityMacroF1), 12));
    }
    if (!std::isnan(summary.gap()))
        printLine(QStringLiteral("gap (source - target accuracy): %1").arg(number(summary.gap())));
    if (summary.baselineRunId > 0)
        printLine(QStringLiteral("source-only baseline: run %1, target accuracy %2")
                      .arg(summary.baselineRunId)
                      .arg(number(summary.baselineTargetAccuracy)));
    for (const QString &warning : summary.warningTexts)
        printLine(QStringLiteral("warning: %1").arg(warning));
}

int runRuns(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "List a project's runs with their results: accuracy on each domain's test split (validation when the "
        "corpus has none) with the number of texts, the gap and warnings."));
    parser.addPositionalArgument(QStringLiteral("PROJECT"), QStringLiteral("A .tstudio file."));
    const QCommandLineOption json(QStringLiteral("json"), QStringLiteral("Print JSON (final.source, final.target, "
                                                                         "warnings, baseline per run)."));
    parser.addOption(json);
    if (const int code = parseOrExit(parser, arguments, 1); code >= 0)
        return code;
    const QString path = parser.positionalArguments().at(0);
    auto project = Project::open(path, Project::Access::ReadOnly);
    if (!project)
        return fail(project.error());
    const QSqlDatabase db = project.value()->database();
    const auto summaries = RunSummary::loadAll(db, StrategyRegistry::fineTuningBaseline());
    if (!summaries)
        return fail(summaries.error());
    if (parser.isSet(json)) {
        QJsonArray array;
        for (const RunSummary &s : summaries.value()) {
            QJsonObject o = s.toJson();
            const auto model = ModelRegistry::load(db, s.run.modelId);
            o.insert(QStringLiteral("status"), RunRecord::statusName(shownStatus(path, s.run)));
            o.insert(QStringLiteral("source"), corpusNameOf(db, s.run.sourceCorpusId));
            o.insert(QStringLiteral("target"), corpusNameOf(db, s.run.targetCorpusId));
            o.insert(QStringLiteral("model"), model ? model->name : QString());
            // Few-shot: labelled target examples per class (-1: all), what a label-budget sweep varies.
            o.insert(QStringLiteral("target_labels"),
                     QJsonDocument::fromJson(s.run.configJson.toUtf8()).object().value(QLatin1String("target_labels")).toInt());
            o.insert(QStringLiteral("device"), s.run.device);
            o.insert(QStringLiteral("created_at"), s.run.createdAt);
            o.insert(QStringLiteral("started_at"), s.run.startedAt);
            o.insert(QStringLiteral("finished_at"), s.run.finishedAt);
            o.insert(QStringLiteral("error"), s.run.errorText);
            // Every split's last recorded values, as measured while training (see "final" for the result).
            QJsonObject metrics;
            if (const auto table = RunStore(db).finalMetrics(s.run.id); table) {
                for (auto split = table->cbegin(); split != table->cend(); ++split) {
                    QJsonObject values;
                    for (auto m = split.value().cbegin(); m != split.value().cend(); ++m)
                        values.insert(m.key(), m.value());
                    metrics.insert(split.key(), values);
                }
            }
            o.insert(QStringLiteral("metrics"), metrics);
            array.append(o);
        }
        printJson(array);
        return kExitOk;
    }
    printLine(QStringLiteral("%1 %2 %3 %4 %5 %6 %7 %8 %9 %10")
                  .arg(QStringLiteral("id"), 4)
                  .arg(QStringLiteral("status"), -11)
                  .arg(QStringLiteral("strategy"), -20)
                  .arg(QStringLiteral("source -> target"), -24)
                  .arg(QStringLiteral("source acc"), 10)
                  .arg(QStringLiteral("(split n)"), -16)
                  .arg(QStringLiteral("target acc"), 10)
                  .arg(QStringLiteral("(split n)"), -16)
                  .arg(QStringLiteral("gap"), 7)
                  .arg(QStringLiteral("warnings")));
    for (const RunSummary &s : summaries.value()) {
        printLine(QStringLiteral("%1 %2 %3 %4 %5 %6 %7 %8 %9 %10")
                      .arg(s.run.id, 4)
                      .arg(RunRecord::displayName(shownStatus(path, s.run)), -11)
                      .arg(s.run.strategy, -20)
                      .arg(corpusNameOf(db, s.run.sourceCorpusId) + QStringLiteral(" -> ") +
                               corpusNameOf(db, s.run.targetCorpusId),
                           -24)
                      .arg(accuracyCell(s.source), 10)
                      .arg(splitCell(s.source), -16)
                      .arg(accuracyCell(s.target), 10)
                      .arg(splitCell(s.target), -16)
                      .arg(number(s.gap()), 7)
                      .arg(s.warnings.join(QLatin1Char(','))));
    }
    return kExitOk;
}

int runPredictions(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Print a finished run's stored predictions on a domain's result split (test, else validation), with the "
        "true label, each label's probability and the text."));
    parser.addPositionalArgument(QStringLiteral("PROJECT"), QStringLiteral("A .tstudio file."));
    const QCommandLineOption domain(QStringLiteral("domain"), QStringLiteral("source or target (default target)."),
                                    QStringLiteral("D"), QStringLiteral("target"));
    const QCommandLineOption errors(QStringLiteral("errors"), QStringLiteral("Only the texts it gets wrong."));
    const QCommandLineOption csv(QStringLiteral("csv"), QStringLiteral("CSV (the default is aligned text)."));
    parser.addOptions({kRunOption, domain, errors, csv});
    if (const int code = parseOrExit(parser, arguments, 1); code >= 0)
        return code;
    const qint64 id = runIdOf(parser);
    if (id < 0)
        return usageError(QStringLiteral("--run: give the run's id (see `runs`)"));
    const QString domainName = parser.value(domain);
    if (domainName != QLatin1String("source") && domainName != QLatin1String("target"))
        return usageError(QStringLiteral("--domain: use source or target, not \"%1\"").arg(domainName));
    auto project = Project::open(parser.positionalArguments().at(0), Project::Access::ReadOnly);
    if (!project)
        return fail(project.error());
    const QSqlDatabase db = project.value()->database();
    const auto summary = RunSummary::load(db, id, StrategyRegistry::fineTuningBaseline());
    if (!summary)
        return fail(summary.error());
    const DomainResult &result = summary->result(domainName == QLatin1String("source") ? Domain::Source : Domain::Target);
    if (!result.fromPredictions)
        return fail(QStringLiteral("run %1 has no stored predictions for the %2 (%3)")
                        .arg(id)
                        .arg(domainName,
                             summary->run.status == RunRecord::Status::Finished
                                 ? QStringLiteral("it was trained before predictions were kept, or does not classify")
                                 : QStringLiteral("it is %1").arg(RunRecord::displayName(summary->run.status))));
    PredictionStore store(db);
    const auto set = store.load(id, result.split);
    if (!set)
        return fail(set.error());
    QList<qint64> documents;
    PredictionCsv::Options options;
    for (const Prediction &p : set->predictions) {
        documents.append(p.documentId);
        options.ids.append(QString::number(p.documentId));
    }
    const auto texts = store.documentTexts(documents);
    if (!texts)
        return fail(texts.error());
    options.texts = texts.value();
    options.onlyErrors = parser.isSet(errors);
    if (parser.isSet(csv)) {
        QFile out;
        if (!out.open(stdout, QIODevice::WriteOnly))
            return fail(QStringLiteral("cannot write to standard output"));
        if (const Status s = PredictionCsv::write(out, set.value(), options); !s)
            return fail(s.error());
        return kExitOk;
    }
    printLine(QStringLiteral("run %1, %2: accuracy %3").arg(id).arg(result.describe(), number(result.accuracy)));
    printLine(QStringLiteral("%1 %2 %3 %4  %5").arg(QStringLiteral("document"), 9).arg(QStringLiteral("label"), -12)
                  .arg(QStringLiteral("predicted"), -12).arg(QStringLiteral("conf."), 6).arg(QStringLiteral("text")));
    for (int i = 0; i < set->predictions.size(); ++i) {
        const Prediction &p = set->predictions[i];
        if (options.onlyErrors && (p.label < 0 || p.label == p.predicted))
            continue;
        QString text = options.texts.value(i).simplified();
        if (text.size() > 70)
            text = text.left(69) + QChar(0x2026);
        printLine(QStringLiteral("%1 %2 %3 %4  %5")
                      .arg(p.documentId, 9)
                      .arg(set->classes.value(p.label, QStringLiteral("-")), -12)
                      .arg(set->classes.value(p.predicted), -12)
                      .arg(p.confidence(), 6, 'f', 3)
                      .arg(text));
    }
    return kExitOk;
}

int runPredict(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Apply a finished run's model to a file (read as `import` reads it: the same options) or to a corpus "
        "split of the project, and write a CSV: id (the file's line or the document id), predicted label, "
        "confidence and each label's probability (p_<label>); texts longer than the run's maximum length are "
        "truncated as in training (column truncated). With labels (--label-column, or a corpus), the accuracy "
        "is printed."));
    parser.addPositionalArgument(QStringLiteral("PROJECT"), QStringLiteral("A .tstudio file."));
    const QCommandLineOption corpus(QStringLiteral("corpus"), QStringLiteral("Corpus of the project."),
                                    QStringLiteral("NAME"));
    const QCommandLineOption split(QStringLiteral("split"), QStringLiteral("train, validation, test (default) or unlabeled."),
                                   QStringLiteral("S"), QStringLiteral("test"));
    const QCommandLineOption out(QStringLiteral("out"), QStringLiteral("CSV file to write (must not exist)."),
                                 QStringLiteral("FILE"));
    const QCommandLineOption force(QStringLiteral("force"), QStringLiteral("Replace --out when it exists."));
    const ImportOptions importOptions;
    parser.addOptions({kRunOption, corpus, split, out, force});
    parser.addOptions(importOptions.reading());
    if (const int code = parseOrExit(parser, arguments, 1); code >= 0)
        return code;
    PredictParams params;
    params.projectPath = parser.positionalArguments().at(0);
    params.runId = runIdOf(parser);
    if (params.runId < 0)
        return usageError(QStringLiteral("--run: give the run's id (see `runs`)"));
    if (parser.isSet(corpus) == parser.isSet(importOptions.file) || !parser.isSet(out))
        return usageError(QStringLiteral("give --file FILE [import options] or --corpus NAME [--split S], and --out FILE.csv"));
    if (parser.isSet(importOptions.file)) {
        params.file = importDefaultParams();
        if (const QString problem = readFileOptions(parser, importOptions, params.file); !problem.isEmpty())
            return usageError(problem);
        if (const QString problem = firstRowProblem(params.file); !problem.isEmpty())
            return fail(problem);
    }
    params.corpus = parser.value(corpus);
    params.split = parser.value(split);
    if (!QStringList{QStringLiteral("train"), QStringLiteral("validation"), QStringLiteral("test"),
                     QStringLiteral("unlabeled")}
             .contains(params.split))
        return usageError(QStringLiteral("--split: use train, validation, test or unlabeled, not \"%1\"").arg(params.split));
    if (!parser.isSet(force) && QFile::exists(parser.value(out)))
        return fail(QStringLiteral("%1 already exists; choose another file or add --force").arg(parser.value(out)));
    params.progress = [](int done, int total) {
        std::fprintf(stderr, "\rpredicting: %d / %d texts", done, total);
        std::fflush(stderr);
    };
    const auto output = RunPredictor::predict(params);
    std::fprintf(stderr, "\n");
    if (!output)
        return fail(output.error());
    for (const QString &note : output->notes)
        std::fprintf(stderr, "%s\n", qUtf8Printable(note));
    const PredictionSet *set = &output->predictions;
    PredictionCsv::Options options;
    options.ids = output->ids;
    if (const Status s = PredictionCsv::save(parser.value(out), *set, options, parser.isSet(force)); !s)
        return fail(s.error());
    int truncated = 0;
    ClassificationReport report(int(set->classes.size()));
    for (const Prediction &p : set->predictions) {
        truncated += p.truncated ? 1 : 0;
        report.add(p.label, p.predicted, p.confidence());
    }
    printLine(QStringLiteral("wrote %1 predictions to %2").arg(set->examples()).arg(parser.value(out)));
    if (truncated > 0)
        printLine(QStringLiteral("%1 texts were longer than the run's maximum length and were truncated").arg(truncated));
    if (report.count() > 0)
        printLine(QStringLiteral("accuracy on the %1 labelled texts: %2, macro-F1 %3")
                      .arg(report.count())
                      .arg(number(report.accuracy()), number(report.macroF1())));
    return kExitOk;
}

int runCompare(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Compare finished runs: runs are seeds of one experiment only when every setting but the seeds is equal "
        "(the key). Each group: n, mean, std and a 95% bootstrap interval; strategies on the same experiment are "
        "compared pairwise over common seeds."));
    parser.addPositionalArgument(QStringLiteral("PROJECT"), QStringLiteral("A .tstudio file."));
    const QCommandLineOption runs(QStringLiteral("runs"), QStringLiteral("Run ids, e.g. 1,2,3 (default: all)."),
                                  QStringLiteral("LIST"));
    const QCommandLineOption group(QStringLiteral("group"), QStringLiteral("A group of runs (its id)."), QStringLiteral("G"));
    const QCommandLineOption json(QStringLiteral("json"), QStringLiteral("Print JSON."));
    parser.addOptions({runs, group, json});
    if (const int code = parseOrExit(parser, arguments, 1); code >= 0)
        return code;
    QList<qint64> wanted;
    for (const QString &item : parser.value(runs).split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        bool ok = false;
        const qint64 id = item.trimmed().toLongLong(&ok);
        if (!ok || id <= 0)
            return usageError(QStringLiteral("--runs: \"%1\" is not a run id").arg(item));
        wanted.append(id);
    }
    bool groupOk = true;
    const qint64 groupId = parser.isSet(group) ? parser.value(group).toLongLong(&groupOk) : 0;
    if (!groupOk || groupId < 0)
        return usageError(QStringLiteral("--group: \"%1\" is not a group id").arg(parser.value(group)));
    auto project = Project::open(parser.positionalArguments().at(0), Project::Access::ReadOnly);
    if (!project)
        return fail(project.error());
    const auto all = RunSummary::loadAll(project.value()->database(), StrategyRegistry::fineTuningBaseline());
    if (!all)
        return fail(all.error());
    QList<RunSummary> chosen;
    for (const RunSummary &s : all.value()) {
        if ((wanted.isEmpty() || wanted.contains(s.run.id)) && (groupId == 0 || s.run.groupId == groupId))
            chosen.append(s);
    }
    for (qint64 id : std::as_const(wanted)) {
        if (std::none_of(chosen.cbegin(), chosen.cend(), [id](const RunSummary &s) { return s.run.id == id; }))
            return fail(QStringLiteral("run %1 does not exist in the project (see `runs`)").arg(id));
    }
    const QList<RunGroupResult> groups = RunGrouping::group(chosen);
    const QList<PairedDifference> pairs = RunGrouping::paired(groups);
    if (parser.isSet(json)) {
        QJsonArray groupsJson;
        for (const RunGroupResult &g : groups)
            groupsJson.append(g.toJson());
        QJsonArray pairsJson;
        for (const PairedDifference &p : pairs)
            pairsJson.append(p.toJson());
        printJson(QJsonObject{{QStringLiteral("groups"), groupsJson}, {QStringLiteral("paired"), pairsJson}});
        return kExitOk;
    }
    if (groups.isEmpty()) {
        printLine(QStringLiteral("no finished runs with a target result to compare"));
        return kExitOk;
    }
    for (int i = 0; i < groups.size(); ++i) {
        const RunGroupResult &g = groups[i];
        QStringList ids;
        for (const RunSummary &r : g.runs)
            ids.append(QString::number(r.run.id));
        printLine(QStringLiteral("group %1: %2, n = %3 (runs %4)").arg(i + 1).arg(g.strategy).arg(g.runs.size()).arg(ids.join(QLatin1Char(','))));
        printLine(QStringLiteral("  key: %1").arg(g.key));
        if (!g.differences.isEmpty())
            printLine(QStringLiteral("  differs from the other %1 groups in: %2").arg(g.strategy, g.differences.join(QStringLiteral(", "))));
        printLine(QStringLiteral("  result weights: %1").arg(g.selection.describe()));
        printLine(QStringLiteral("  target accuracy (%1, %2 texts): %3").arg(g.targetSplit).arg(g.targetExamples).arg(estimateText(g.targetAccuracy)));
        printLine(QStringLiteral("  target macro-F1 (%1, %2 texts): %3").arg(g.targetSplit).arg(g.targetExamples).arg(estimateText(g.targetMacroF1)));
        if (!g.sourceSplit.isEmpty())
            printLine(QStringLiteral("  source accuracy (%1, %2 texts): %3").arg(g.sourceSplit).arg(g.sourceExamples).arg(estimateText(g.sourceAccuracy)));
    }
    for (const PairedDifference &p : pairs)
        printLine(QStringLiteral("%1 - %2, target accuracy over %3 common seeds: %4")
                      .arg(p.first, p.second)
                      .arg(p.targetAccuracy.n)
                      .arg(estimateText(p.targetAccuracy)));
    return kExitOk;
}

} // namespace ts::cli
