// Verbs on runs: run, resume, runs, metrics, export, strategies.
#include "RunCommands.h"

#include "CliCommand.h"
#include "CliOutput.h"
#include "RunProgress.h"

#include "model/ModelDefaults.h"
#include "model/ModelRegistry.h"
#include "project/Project.h"
#include "project/RunStore.h"
#include "train/RunControl.h"
#include "transfer/RunExporter.h"
#include "transfer/StrategyCatalog.h"
#include "transfer/TransferRunner.h"

#include <QCommandLineParser>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlQuery>

#include <cmath>
#include <cstdio>

namespace ts::cli {

namespace {

// Splits shown in the final table, in this order.
const QStringList kReportedSplits = {QStringLiteral("source/validation"), QStringLiteral("target/validation"),
                                     QStringLiteral("source/test"), QStringLiteral("target/test")};
// Metrics shown in the final table, in this order.
const QStringList kReportedMetrics = {QStringLiteral("accuracy"), QStringLiteral("macro_f1"), QStringLiteral("loss"),
                                      QStringLiteral("perplexity")};

struct RunFlags
{
    QCommandLineOption source{QStringLiteral("source"), QStringLiteral("Source corpus (labelled)."), QStringLiteral("A")};
    QCommandLineOption target{QStringLiteral("target"), QStringLiteral("Target corpus."), QStringLiteral("B")};
    QCommandLineOption model{QStringLiteral("model"), QStringLiteral("Base model (name or id)."), QStringLiteral("M")};
    QCommandLineOption strategy{QStringLiteral("strategy"), QStringLiteral("Transfer strategy (see `strategies`)."),
                                QStringLiteral("S")};
    QCommandLineOption name{QStringLiteral("name"), QStringLiteral("Run name."), QStringLiteral("NAME")};
    QCommandLineOption epochs{QStringLiteral("epochs"), QStringLiteral("Passes over the training data."), QStringLiteral("N")};
    QCommandLineOption lr{QStringLiteral("lr"), QStringLiteral("Peak learning rate."), QStringLiteral("X")};
    QCommandLineOption batchSize{QStringLiteral("batch-size"), QStringLiteral("Examples per step."), QStringLiteral("N")};
    QCommandLineOption accumulation{QStringLiteral("accumulation"), QStringLiteral("Batches per optimiser step."),
                                    QStringLiteral("N")};
    QCommandLineOption maxLength{QStringLiteral("max-length"), QStringLiteral("Tokens per example."), QStringLiteral("N")};
    QCommandLineOption seed{QStringLiteral("seed"), QStringLiteral("Weight initialisation seed."), QStringLiteral("N")};
    QCommandLineOption dataSeed{QStringLiteral("data-seed"), QStringLiteral("Data order and sampling seed."),
                                QStringLiteral("N")};
    QCommandLineOption targetLabels{QStringLiteral("target-labels"),
                                    QStringLiteral("Few-shot: labelled target examples per class (all: every one)."),
                                    QStringLiteral("K")};
    QCommandLineOption device{QStringLiteral("device"), QStringLiteral("auto, cpu or cuda."), QStringLiteral("D")};
    QCommandLineOption threads{QStringLiteral("threads"), QStringLiteral("CPU threads (0: libtorch's default)."),
                               QStringLiteral("N")};
    QCommandLineOption evalEvery{QStringLiteral("eval-every"), QStringLiteral("Evaluate every N steps (0: per epoch)."),
                                QStringLiteral("N")};
    QCommandLineOption patience{QStringLiteral("patience"), QStringLiteral("Early stopping patience (0: off)."),
                                QStringLiteral("N")};
    QCommandLineOption maxTrain{QStringLiteral("max-train"), QStringLiteral("Cap on training examples (0: all)."),
                                QStringLiteral("N")};
    QCommandLineOption maxEval{QStringLiteral("max-eval"), QStringLiteral("Cap on examples per evaluation split."),
                               QStringLiteral("N")};
    QCommandLineOption set{QStringLiteral("set"), QStringLiteral("Strategy option, e.g. --set domain_weight=0.5 (repeatable)."),
                           QStringLiteral("KEY=VALUE")};
    QCommandLineOption seeds{QStringLiteral("seeds"), QStringLiteral("Repeat with N seeds as a group of runs."),
                             QStringLiteral("N")};
    QCommandLineOption budgets{QStringLiteral("label-budgets"),
                               QStringLiteral("Few-shot sweep, e.g. 0,8,32,128,all: one run per K."), QStringLiteral("LIST")};
    QCommandLineOption ignoreMemory{QStringLiteral("ignore-memory-estimate"),
                                    QStringLiteral("Start even when the run's estimated memory exceeds what the device "
                                                   "has (swap, or an estimate you know to be high).")};

    void addTo(QCommandLineParser &parser) const
    {
        parser.addOptions({source, target, model, strategy, name, epochs, lr, batchSize, accumulation, maxLength, seed,
                           dataSeed, targetLabels, device, threads, evalEvery, patience, maxTrain, maxEval, set, seeds,
                           budgets, ignoreMemory});
    }
};

/// The run id given with `option` (--run ID), or -1 when it is missing or not a number.
qint64 runIdOf(const QCommandLineParser &parser, const QCommandLineOption &option)
{
    bool ok = false;
    const qint64 id = parser.value(option).toLongLong(&ok);
    return ok && id > 0 ? id : -1;
}

/// Parses "all" as -1, otherwise a whole number >= 0.
bool parseBudget(const QString &text, int *value)
{
    if (text == QLatin1String("all")) {
        *value = -1;
        return true;
    }
    bool ok = false;
    *value = text.toInt(&ok);
    return ok && *value >= 0;
}

/// Applies a numeric flag to a config field; false (with `error`) when not a number.
template <typename T>
bool applyNumber(const QCommandLineParser &parser, const QCommandLineOption &option, T &field, QString *error)
{
    if (!parser.isSet(option))
        return true;
    bool ok = false;
    const double value = parser.value(option).toDouble(&ok);
    if (!ok) {
        *error = QStringLiteral("--%1: \"%2\" is not a number").arg(option.names().first(), parser.value(option));
        return false;
    }
    field = T(value);
    return true;
}

/// Reads the --set KEY=VALUE strategy options, typed by the strategy's catalogue entry.
bool applyStrategyOptions(const QStringList &settings, const StrategyInfo &strategy, QJsonObject &options, QString *error)
{
    for (const QString &setting : settings) {
        const qsizetype eq = setting.indexOf(QLatin1Char('='));
        const QString key = setting.left(eq);
        const QString value = setting.mid(eq + 1);
        const StrategyOption *option = nullptr;
        QStringList known;
        for (const StrategyOption &o : strategy.options) {
            known.append(o.name);
            if (o.name == key)
                option = &o;
        }
        if (eq <= 0 || !option) {
            *error = QStringLiteral("--set %1: %2 has no option \"%3\"%4")
                         .arg(setting, strategy.name, key,
                              known.isEmpty() ? QStringLiteral(" (it has none)")
                                              : QStringLiteral("; its options are %1").arg(known.join(QStringLiteral(", "))));
            return false;
        }
        using Kind = StrategyOption::Kind;
        if (option->kind == Kind::Integer || option->kind == Kind::Real) {
            bool ok = false;
            const double number = value.toDouble(&ok);
            if (!ok || number < option->minimum || number > option->maximum) {
                *error = QStringLiteral("--set %1: must be a number from %2 to %3").arg(key).arg(option->minimum).arg(option->maximum);
                return false;
            }
            options.insert(key, number);
        } else if (option->kind == Kind::Flag) {
            options.insert(key, value == QLatin1String("true") || value == QLatin1String("1") || value == QLatin1String("yes"));
        } else if (option->kind == Kind::Choice && !option->choices.contains(value)) {
            *error = QStringLiteral("--set %1: use one of %2").arg(key, option->choices.join(QStringLiteral(", ")));
            return false;
        } else {
            options.insert(key, value);
        }
    }
    return true;
}

QString corpusNameOf(const QSqlDatabase &db, qint64 id)
{
    QSqlQuery q(db);
    q.prepare(QStringLiteral("SELECT name FROM corpora WHERE id = ?"));
    q.addBindValue(id);
    return q.exec() && q.next() ? q.value(0).toString() : QString();
}

/// A run's status as `runs` shows it: a run recorded as running whose process is gone (killed, crashed)
/// is interrupted, even before a writer records that (`runs` opens the project read-only).
RunRecord::Status shownStatus(const QString &projectPath, const RunRecord &run)
{
    if (run.status == RunRecord::Status::Running && TransferRunner::isAbandoned(projectPath, run.id))
        return RunRecord::Status::Interrupted;
    return run.status;
}

/// Fills the learning rate, batch size and maximum length that the command line leaves out with
/// `model`'s defaults (ModelDefaults) and says once which it chose and why.
void applyModelDefaults(const QCommandLineParser &parser, const RunFlags &flags, const ModelRecord &model,
                        TrainingConfig &config)
{
    const ModelDefaults defaults = ModelDefaults::forModel(model);
    QStringList chosen;
    if (!parser.isSet(flags.lr)) {
        config.learningRate = defaults.learningRate;
        chosen << QStringLiteral("--lr %1").arg(defaults.learningRate, 0, 'g', 3);
    }
    if (!parser.isSet(flags.batchSize)) {
        config.batchSize = defaults.batchSize;
        chosen << QStringLiteral("--batch-size %1").arg(defaults.batchSize);
    }
    if (!parser.isSet(flags.maxLength)) {
        config.maxLength = defaults.maxLength;
        chosen << QStringLiteral("--max-length %1").arg(defaults.maxLength);
    }
    if (!chosen.isEmpty())
        printLine(QStringLiteral("%1: using %2 (%3)").arg(model.name, chosen.join(QStringLiteral(", ")), defaults.reason));
}

/// Executes `runId` with a progress line; prints its final metrics. Returns the exit code.
int executeRun(const QString &projectPath, qint64 runId)
{
    RunControl control;
    Status status;
    {
        RunProgress progress(control);
        status = TransferRunner::execute(projectPath, runId, progress.callbacks());
    }
    if (!status)
        return fail(status.error());
    auto project = Project::open(projectPath, Project::Access::ReadOnly);
    if (!project)
        return fail(project.error());
    RunStore store(project.value()->database());
    const auto run = store.load(runId);
    const auto table = store.finalMetrics(runId);
    if (!run || !table)
        return fail(run ? table.error() : run.error());
    printLine(QStringLiteral("run %1 (%2): %3").arg(runId).arg(run->name, RunRecord::displayName(run->status)));
    QString header = QStringLiteral("%1").arg(QStringLiteral("split"), -20);
    QStringList metrics;
    for (const QString &m : kReportedMetrics) {
        for (const QString &split : kReportedSplits) {
            if (table->value(split).contains(m) && !metrics.contains(m))
                metrics.append(m);
        }
    }
    for (const QString &m : std::as_const(metrics))
        header += QStringLiteral("%1").arg(m, 12);
    printLine(header);
    for (const QString &split : kReportedSplits) {
        if (!table->contains(split))
            continue;
        QString line = QStringLiteral("%1").arg(split, -20);
        for (const QString &m : std::as_const(metrics))
            line += table->value(split).contains(m) ? QStringLiteral("%1").arg(table->value(split).value(m), 12, 'f', 4)
                                                    : QStringLiteral("%1").arg(QStringLiteral("-"), 12);
        printLine(line);
    }
    if (run->status == RunRecord::Status::Cancelled)
        printLine(QStringLiteral("stopped; continue with: transfer-studio-cli resume %1 --run %2").arg(projectPath).arg(runId));
    return kExitOk;
}

} // namespace

int runRun(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Train a model on a source corpus with a transfer strategy and "
                                                    "measure it on the target. Ctrl+C stops it resumably."));
    parser.addPositionalArgument(QStringLiteral("PROJECT"), QStringLiteral("A .tstudio file."));
    const RunFlags flags;
    flags.addTo(parser);
    if (const int code = parseOrExit(parser, arguments, 1); code >= 0)
        return code;
    for (const QCommandLineOption *required : {&flags.source, &flags.target, &flags.model, &flags.strategy}) {
        if (!parser.isSet(*required))
            return usageError(QStringLiteral("--%1 is required").arg(required->names().first()));
    }
    RunRequest request;
    request.name = parser.value(flags.name);
    request.sourceCorpus = parser.value(flags.source);
    request.targetCorpus = parser.value(flags.target);
    request.model = parser.value(flags.model);
    TrainingConfig &config = request.config;
    config.strategy = parser.value(flags.strategy);
    const StrategyInfo *strategy = StrategyCatalog::find(config.strategy);
    if (!strategy)
        return usageError(QStringLiteral("unknown strategy \"%1\"; use one of: %2")
                              .arg(config.strategy, StrategyCatalog::names().join(QStringLiteral(", "))));
    QString error;
    const bool numbersOk = applyNumber(parser, flags.epochs, config.epochs, &error) &&
                           applyNumber(parser, flags.lr, config.learningRate, &error) &&
                           applyNumber(parser, flags.batchSize, config.batchSize, &error) &&
                           applyNumber(parser, flags.accumulation, config.gradientAccumulation, &error) &&
                           applyNumber(parser, flags.maxLength, config.maxLength, &error) &&
                           applyNumber(parser, flags.seed, config.initSeed, &error) &&
                           applyNumber(parser, flags.dataSeed, config.dataSeed, &error) &&
                           applyNumber(parser, flags.threads, config.cpuThreads, &error) &&
                           applyNumber(parser, flags.evalEvery, config.evalEvery, &error) &&
                           applyNumber(parser, flags.patience, config.patience, &error) &&
                           applyNumber(parser, flags.maxTrain, config.maxTrainExamples, &error) &&
                           applyNumber(parser, flags.maxEval, config.maxEvalExamples, &error);
    if (!numbersOk)
        return usageError(error);
    if (parser.isSet(flags.targetLabels) && !parseBudget(parser.value(flags.targetLabels), &config.targetLabels))
        return usageError(QStringLiteral("--target-labels: use a whole number or \"all\""));
    if (parser.isSet(flags.device))
        config.device = parser.value(flags.device);
    if (parser.isSet(flags.ignoreMemory))
        config.memoryCheck = QStringLiteral("warn");
    if (!applyStrategyOptions(parser.values(flags.set), *strategy, config.options, &error))
        return usageError(error);
    if (const Status s = config.validate(); !s)
        return usageError(s.error());
    QList<int> budgets;
    for (const QString &item : parser.value(flags.budgets).split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        int k = 0;
        if (!parseBudget(item.trimmed(), &k))
            return usageError(QStringLiteral("--label-budgets: \"%1\" is not a whole number or \"all\"").arg(item));
        budgets.append(k);
    }
    const int seeds = parser.isSet(flags.seeds) ? parser.value(flags.seeds).toInt() : 1;
    if (seeds < 1 || seeds > 100)
        return usageError(QStringLiteral("--seeds: use 1 to 100"));

    const QString path = parser.positionalArguments().at(0);
    QList<qint64> ids;
    {
        auto project = Project::open(path);
        if (!project)
            return fail(project.error());
        const QSqlDatabase db = project.value()->database();
        // Refused before anything is recorded; the engine checks again when the run starts.
        if (const auto model = ModelRegistry::find(db, request.model); model) {
            applyModelDefaults(parser, flags, model.value(), config);
            if (const Status s = config.validate(); !s)
                return usageError(s.error());
            if (const auto memory = TransferRunner::checkMemory(model->config, config); !memory)
                return fail(memory.error());
        }
        if (seeds == 1 && budgets.isEmpty()) {
            const auto id = TransferRunner::createRun(db, request);
            if (!id)
                return fail(id.error());
            ids.append(id.value());
        } else {
            const auto group = TransferRunner::createGroup(db, request, seeds, budgets);
            if (!group)
                return fail(group.error());
            ids = group.value();
        }
    }
    for (qint64 id : std::as_const(ids)) {
        if (const int code = executeRun(path, id); code != kExitOk)
            return code;
    }
    return kExitOk;
}

int runResume(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Continue a stopped (cancelled) or interrupted run from its last checkpoint."));
    parser.addPositionalArgument(QStringLiteral("PROJECT"), QStringLiteral("A .tstudio file."));
    const QCommandLineOption run(QStringLiteral("run"), QStringLiteral("Run id."), QStringLiteral("ID"));
    parser.addOption(run);
    if (const int code = parseOrExit(parser, arguments, 1); code >= 0)
        return code;
    const qint64 id = runIdOf(parser, run);
    if (id < 0)
        return usageError(QStringLiteral("--run: give the run's id (see `runs`)"));
    const QString path = parser.positionalArguments().at(0);
    {
        auto project = Project::open(path);
        if (!project)
            return fail(project.error());
        if (const auto marked = TransferRunner::markInterruptedRuns(project.value()->database(), path); !marked)
            return fail(marked.error());
    }
    return executeRun(path, id);
}

int runRuns(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("List a project's runs with their final source and target metrics."));
    parser.addPositionalArgument(QStringLiteral("PROJECT"), QStringLiteral("A .tstudio file."));
    const QCommandLineOption json(QStringLiteral("json"), QStringLiteral("Print JSON."));
    parser.addOption(json);
    if (const int code = parseOrExit(parser, arguments, 1); code >= 0)
        return code;
    const QString path = parser.positionalArguments().at(0);
    auto project = Project::open(path, Project::Access::ReadOnly);
    if (!project)
        return fail(project.error());
    const QSqlDatabase db = project.value()->database();
    RunStore store(db);
    const auto runs = store.list();
    if (!runs)
        return fail(runs.error());
    QJsonArray array;
    for (const RunRecord &run : runs.value()) {
        const auto table = store.finalMetrics(run.id);
        QJsonObject metrics;
        for (auto split = table->cbegin(); table && split != table->cend(); ++split) {
            QJsonObject values;
            for (auto m = split.value().cbegin(); m != split.value().cend(); ++m)
                values.insert(m.key(), m.value());
            metrics.insert(split.key(), values);
        }
        const auto model = ModelRegistry::load(db, run.modelId);
        array.append(QJsonObject{
            {QStringLiteral("id"), run.id},
            {QStringLiteral("name"), run.name},
            {QStringLiteral("status"), RunRecord::statusName(shownStatus(path, run))},
            {QStringLiteral("strategy"), run.strategy},
            {QStringLiteral("source"), corpusNameOf(db, run.sourceCorpusId)},
            {QStringLiteral("target"), corpusNameOf(db, run.targetCorpusId)},
            {QStringLiteral("model"), model ? model->name : QString()},
            {QStringLiteral("group"), run.groupId},
            {QStringLiteral("init_seed"), run.initSeed},
            {QStringLiteral("data_seed"), run.dataSeed},
            // Few-shot: labelled target examples per class (-1: all), what a label-budget sweep varies.
            {QStringLiteral("target_labels"), QJsonDocument::fromJson(run.configJson.toUtf8())
                                                  .object().value(QLatin1String("target_labels")).toInt()},
            {QStringLiteral("device"), run.device},
            {QStringLiteral("created_at"), run.createdAt},
            {QStringLiteral("started_at"), run.startedAt},
            {QStringLiteral("finished_at"), run.finishedAt},
            {QStringLiteral("error"), run.errorText},
            {QStringLiteral("metrics"), metrics},
        });
    }
    if (parser.isSet(json)) {
        printJson(array);
        return kExitOk;
    }
    printLine(QStringLiteral("%1 %2 %3 %4 %5 %6").arg(QStringLiteral("id"), 4).arg(QStringLiteral("status"), -12)
                  .arg(QStringLiteral("strategy"), -22).arg(QStringLiteral("source -> target"), -28)
                  .arg(QStringLiteral("source acc"), 10).arg(QStringLiteral("target acc"), 10));
    for (const QJsonValue &value : std::as_const(array)) {
        const QJsonObject r = value.toObject();
        const QJsonObject m = r.value(QLatin1String("metrics")).toObject();
        const auto accuracy = [&m](const char *split) {
            const QJsonValue v = m.value(QLatin1String(split)).toObject().value(QLatin1String("accuracy"));
            return v.isDouble() ? QString::number(v.toDouble(), 'f', 4) : QStringLiteral("-");
        };
        RunRecord::Status status = RunRecord::Status::Queued;
        RunRecord::parseStatus(r.value(QLatin1String("status")).toString(), &status);
        printLine(QStringLiteral("%1 %2 %3 %4 %5 %6")
                      .arg(r.value(QLatin1String("id")).toInt(), 4)
                      .arg(RunRecord::displayName(status), -12)
                      .arg(r.value(QLatin1String("strategy")).toString(), -22)
                      .arg(r.value(QLatin1String("source")).toString() + QStringLiteral(" -> ") +
                               r.value(QLatin1String("target")).toString(), -28)
                      .arg(accuracy("source/validation"), 10)
                      .arg(m.contains(QLatin1String("target/test")) ? accuracy("target/test") : accuracy("target/validation"), 10));
    }
    return kExitOk;
}

int runMetrics(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Print every metric value a run recorded."));
    parser.addPositionalArgument(QStringLiteral("PROJECT"), QStringLiteral("A .tstudio file."));
    const QCommandLineOption run(QStringLiteral("run"), QStringLiteral("Run id."), QStringLiteral("ID"));
    const QCommandLineOption csv(QStringLiteral("csv"), QStringLiteral("CSV with a header (the default is aligned text)."));
    parser.addOptions({run, csv});
    if (const int code = parseOrExit(parser, arguments, 1); code >= 0)
        return code;
    const qint64 id = runIdOf(parser, run);
    if (id < 0)
        return usageError(QStringLiteral("--run: give the run's id (see `runs`)"));
    auto project = Project::open(parser.positionalArguments().at(0), Project::Access::ReadOnly);
    if (!project)
        return fail(project.error());
    RunStore store(project.value()->database());
    if (const auto exists = store.load(id); !exists)
        return fail(exists.error());
    const auto points = store.metrics(id);
    if (!points)
        return fail(points.error());
    if (parser.isSet(csv))
        printLine(QStringLiteral("run,step,epoch,split,metric,value"));
    for (const MetricPoint &p : points.value()) {
        if (parser.isSet(csv))
            printLine(QStringLiteral("%1,%2,%3,%4,%5,%6").arg(p.runId).arg(p.step).arg(p.epoch, 0, 'g', 8)
                          .arg(p.split, p.metric).arg(p.value, 0, 'g', 10));
        else
            printLine(QStringLiteral("%1 %2 %3 %4 %5").arg(p.step, 8).arg(p.epoch, 8, 'f', 3).arg(p.split, -20)
                          .arg(p.metric, -16).arg(p.value, 0, 'g', 8));
    }
    return kExitOk;
}

int runExport(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Write a trained run's model as a Hugging Face folder."));
    parser.addPositionalArgument(QStringLiteral("PROJECT"), QStringLiteral("A .tstudio file."));
    const QCommandLineOption run(QStringLiteral("run"), QStringLiteral("Run id."), QStringLiteral("ID"));
    const QCommandLineOption out(QStringLiteral("out"), QStringLiteral("Output folder."), QStringLiteral("DIR"));
    parser.addOptions({run, out});
    if (const int code = parseOrExit(parser, arguments, 1); code >= 0)
        return code;
    const qint64 id = runIdOf(parser, run);
    if (id < 0 || !parser.isSet(out))
        return usageError(QStringLiteral("give --run ID and --out DIR"));
    if (const Status s = RunExporter::exportRun(parser.positionalArguments().at(0), id, parser.value(out)); !s)
        return fail(s.error());
    printLine(QStringLiteral("exported run %1 to %2").arg(id).arg(parser.value(out)));
    return kExitOk;
}

int runStrategies(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("List the transfer strategies and their options."));
    const QCommandLineOption json(QStringLiteral("json"), QStringLiteral("Print JSON."));
    parser.addOption(json);
    if (const int code = parseOrExit(parser, arguments, 0); code >= 0)
        return code;
    QJsonArray array;
    for (const StrategyInfo &s : StrategyCatalog::all()) {
        QJsonArray options;
        for (const StrategyOption &o : s.options)
            options.append(QJsonObject{{QStringLiteral("name"), o.name},
                                       {QStringLiteral("default"), QJsonValue::fromVariant(o.defaultValue)},
                                       {QStringLiteral("help"), o.help}});
        array.append(QJsonObject{{QStringLiteral("name"), s.name},
                                 {QStringLiteral("title"), s.title},
                                 {QStringLiteral("description"), s.description},
                                 {QStringLiteral("options"), options}});
        if (!parser.isSet(json)) {
            printLine(QStringLiteral("%1  %2").arg(s.name, -22).arg(s.title));
            for (const StrategyOption &o : s.options)
                printLine(QStringLiteral("    --set %1=%2  %3").arg(o.name).arg(o.defaultValue.toString()).arg(o.help));
        }
    }
    if (parser.isSet(json))
        printJson(array);
    return kExitOk;
}

} // namespace ts::cli
