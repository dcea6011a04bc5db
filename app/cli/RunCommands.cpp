// Verbs on runs: run, resume, metrics, export, strategies (results: ResultCommands).
#include "RunCommands.h"

#include "CliCommand.h"
#include "CliOutput.h"
#include "ResultCommands.h"
#include "RunProgress.h"

#include "model/ModelDefaults.h"
#include "model/ModelRegistry.h"
#include "project/Project.h"
#include "project/ProjectError.h"
#include "project/RunStore.h"
#include "project/RunSummary.h"
#include "train/RunControl.h"
#include "transfer/RunExporter.h"
#include "transfer/Preflight.h"
#include "transfer/StrategyRegistry.h"
#include "transfer/TransferRunner.h"

#include <QCommandLineParser>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlQuery>

#include <cmath>
#include <cstdio>
#include <limits>

namespace ts::cli {

namespace {

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
    QCommandLineOption select{QStringLiteral("select"),
                              QStringLiteral("Which weights are the result: last (default), best-source (highest "
                                             "source validation accuracy) or best-target (uses target labels)."),
                              QStringLiteral("last|best-source|best-target")};
    QCommandLineOption ignoreMemory{QStringLiteral("ignore-memory-estimate"),
                                    QStringLiteral("Start even when the run's estimated memory exceeds what the device "
                                                   "has (swap, or an estimate you know to be high).")};

    void addTo(QCommandLineParser &parser) const
    {
        parser.addOptions({source, target, model, strategy, name, epochs, lr, batchSize, accumulation, maxLength, seed,
                           dataSeed, targetLabels, device, threads, evalEvery, patience, maxTrain, maxEval, set, seeds,
                           budgets, select, ignoreMemory});
    }
};

// Seeds are stored as JSON numbers (doubles): above 2^53 they would not come back exactly.
constexpr qint64 kMaxSeed = qint64(1) << 53;
// The most labelled target examples per class a few-shot run or a sweep may ask for.
constexpr qint64 kMaxTargetLabels = 100000000;
// The most runs one `run --seeds N` creates.
constexpr qint64 kMaxSeeds = 100;

/// The whole number `text` given with --`flag`, parsed exactly (no rounding, no wrap-around) and
/// checked against [min, max]; the failure names the flag, the value and the range.
Result<qint64> parseInteger(const QString &flag, const QString &text, qint64 min, qint64 max)
{
    bool ok = false;
    const qint64 value = text.trimmed().toLongLong(&ok);
    if (!ok || value < min || value > max)
        return Result<qint64>::failure(
            QStringLiteral("--%1: \"%2\" is not a whole number from %3 to %4").arg(flag, text).arg(min).arg(max));
    return value;
}

/// The run id given with `option` (--run ID), or -1 when it is missing or not a positive whole number.
qint64 runIdOf(const QCommandLineParser &parser, const QCommandLineOption &option)
{
    const Result<qint64> id = parseInteger(option.names().first(), parser.value(option), 1,
                                           std::numeric_limits<qint64>::max());
    return id ? id.value() : -1;
}

/// Parses a label budget of --`flag`: "all" as -1, otherwise a whole number from 0 to kMaxTargetLabels.
Result<int> parseBudget(const QString &flag, const QString &text)
{
    if (text == QLatin1String("all"))
        return -1;
    const Result<qint64> value = parseInteger(flag, text, 0, kMaxTargetLabels);
    if (!value)
        return Result<int>::failure(value.error() + QStringLiteral(" or \"all\""));
    return int(value.value());
}

/// Applies the whole-number flag `option`, when set, to `field`; false (with `error`) when it is
/// not a whole number from `min` to `max`.
template <typename T>
bool applyInteger(const QCommandLineParser &parser, const QCommandLineOption &option, qint64 min, qint64 max, T &field,
                  QString *error)
{
    if (!parser.isSet(option))
        return true;
    const Result<qint64> value = parseInteger(option.names().first(), parser.value(option), min, max);
    if (!value) {
        *error = value.error();
        return false;
    }
    field = T(value.value());
    return true;
}

/// Applies the real-number flag `option`, when set, to `field`; false (with `error`) when it is
/// not a finite number above `min` (exclusive) and up to `max`.
bool applyReal(const QCommandLineParser &parser, const QCommandLineOption &option, double min, double max, double &field,
               QString *error)
{
    if (!parser.isSet(option))
        return true;
    bool ok = false;
    const double value = parser.value(option).trimmed().toDouble(&ok);
    if (!ok || !std::isfinite(value) || value < min || value > max) {
        *error = QStringLiteral("--%1: \"%2\" is not a number from %3 to %4")
                     .arg(option.names().first(), parser.value(option)).arg(min).arg(max);
        return false;
    }
    field = value;
    return true;
}

/// Reads the --set KEY=VALUE strategy options, typed and checked by the strategy's option schema.
bool applyStrategyOptions(const QStringList &settings, const StrategyDescriptor &strategy, QJsonObject &options,
                          QString *error)
{
    for (const QString &setting : settings) {
        const qsizetype eq = setting.indexOf(QLatin1Char('='));
        if (eq <= 0) {
            *error = QStringLiteral("--set %1: use the form KEY=VALUE, e.g. --set %2").arg(setting, strategy.options.isEmpty()
                         ? QStringLiteral("name=value (%1 has no options)").arg(strategy.name)
                         : strategy.options.first().name + QLatin1Char('=') + strategy.options.first().defaultText());
            return false;
        }
        const QString key = setting.left(eq);
        const StrategyOption *option = strategy.option(key);
        if (!option) {
            *error = QStringLiteral("--set %1: %2").arg(setting, strategy.unknownOption(key));
            return false;
        }
        const auto value = option->parse(setting.mid(eq + 1));
        if (!value) {
            *error = QStringLiteral("--set %1: %2").arg(setting, value.error());
            return false;
        }
        options.insert(key, value.value());
    }
    return true;
}

// What `run` and `resume --help` say about Ctrl+C and the exit code it leaves.
const QString kInterruptHelp = QStringLiteral(" Ctrl+C stops it after the current batch with a checkpoint that "
                                              "`resume` continues from; the exit code is then 130.");

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

/// Executes `runId` with a progress line; prints its result. Returns the exit code:
/// kExitInterrupted when Ctrl+C stopped the run (it stays resumable).
int executeRun(const QString &projectPath, qint64 runId)
{
    RunControl control;
    Status status;
    {
        RunProgress progress(control);
        status = TransferRunner::execute(projectPath, runId, progress.callbacks());
    }
    if (!status) {
        // The run was recorded before it started, and the metrics written before the failure stay:
        // "nothing was changed" would be untrue.
        return fail(ProjectError::withKept(
            status.error(), QStringLiteral("run %1 and the metrics it recorded before the failure are kept; continue it "
                                           "with: transfer-studio-cli resume %2 --run %1")
                                .arg(runId)
                                .arg(projectPath)));
    }
    auto project = Project::open(projectPath, Project::Access::ReadOnly);
    if (!project)
        return fail(project.error());
    const auto summary = RunSummary::load(project.value()->database(), runId, StrategyRegistry::fineTuningBaseline());
    if (!summary)
        return fail(summary.error());
    const RunRecord *run = &summary->run;
    printLine(QStringLiteral("run %1 (%2): %3").arg(runId).arg(run->name, RunRecord::displayName(run->status)));
    printSummary(summary.value());
    if (run->status == RunRecord::Status::Cancelled || control.isCancelRequested()) {
        if (run->status != RunRecord::Status::Finished)
            printLine(QStringLiteral("stopped; continue with: transfer-studio-cli resume %1 --run %2").arg(projectPath).arg(runId));
        return kExitInterrupted;
    }
    return kExitOk;
}

} // namespace

int runRun(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Train a model on a source corpus with a transfer strategy and "
                                                    "measure it on the target.") + kInterruptHelp);
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
    const auto strategy = StrategyRegistry::lookup(config.strategy);
    if (!strategy)
        return usageError(strategy.error());
    QString error;
    // The ranges are TrainingConfig's, except that a run trains for at least one epoch: --epochs 0
    // would still take an optimiser step.
    const bool numbersOk = applyInteger(parser, flags.epochs, 1, 1000, config.epochs, &error) &&
                           applyReal(parser, flags.lr, 0.0, 10.0, config.learningRate, &error) &&
                           applyInteger(parser, flags.batchSize, 1, 65536, config.batchSize, &error) &&
                           applyInteger(parser, flags.accumulation, 1, 4096, config.gradientAccumulation, &error) &&
                           applyInteger(parser, flags.maxLength, 8, 32768, config.maxLength, &error) &&
                           applyInteger(parser, flags.seed, 0, kMaxSeed, config.initSeed, &error) &&
                           applyInteger(parser, flags.dataSeed, 0, kMaxSeed, config.dataSeed, &error) &&
                           applyInteger(parser, flags.threads, 0, 1024, config.cpuThreads, &error) &&
                           applyInteger(parser, flags.evalEvery, 0, 100000000, config.evalEvery, &error) &&
                           applyInteger(parser, flags.patience, 0, 1000, config.patience, &error) &&
                           applyInteger(parser, flags.maxTrain, 0, 2000000000, config.maxTrainExamples, &error) &&
                           applyInteger(parser, flags.maxEval, 0, 2000000000, config.maxEvalExamples, &error);
    if (!numbersOk)
        return usageError(error);
    if (parser.isSet(flags.targetLabels)) {
        const Result<int> budget = parseBudget(QStringLiteral("target-labels"), parser.value(flags.targetLabels));
        if (!budget)
            return usageError(budget.error());
        config.targetLabels = budget.value();
    }
    if (parser.isSet(flags.device))
        config.device = parser.value(flags.device);
    if (parser.isSet(flags.ignoreMemory))
        config.memoryCheck = QStringLiteral("warn");
    if (parser.isSet(flags.select))
        config.selection = parser.value(flags.select);
    if (!applyStrategyOptions(parser.values(flags.set), *strategy.value(), config.options, &error))
        return usageError(error);
    if (const Status s = config.validate(); !s)
        return usageError(s.error());
    QList<int> budgets;
    for (const QString &item : parser.value(flags.budgets).split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        const Result<int> budget = parseBudget(QStringLiteral("label-budgets"), item.trimmed());
        if (!budget)
            return usageError(budget.error());
        budgets.append(budget.value());
    }
    int seeds = 1;
    if (!applyInteger(parser, flags.seeds, 1, kMaxSeeds, seeds, &error))
        return usageError(error);

    const QString path = parser.positionalArguments().at(0);
    QList<qint64> ids;
    {
        auto project = Project::open(path);
        if (!project)
            return fail(project.error());
        const QSqlDatabase db = project.value()->database();
        // Refused before anything is recorded; the engine checks again when the run starts.
        if (const QStringList problems = Preflight::check(db, request); !problems.isEmpty())
            return fail(problems.join(QStringLiteral("\nerror: ")));
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
    parser.setApplicationDescription(QStringLiteral("Continue a stopped (cancelled) or interrupted run from its last "
                                                    "checkpoint.") + kInterruptHelp);
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
    const QCommandLineOption out(QStringLiteral("out"),
                                 QStringLiteral("Output folder: new or empty; written completely or not at all."),
                                 QStringLiteral("DIR"));
    const QCommandLineOption force(QStringLiteral("force"), QStringLiteral("Replace --out as a whole when it is not empty."));
    parser.addOptions({run, out, force});
    if (const int code = parseOrExit(parser, arguments, 1); code >= 0)
        return code;
    const qint64 id = runIdOf(parser, run);
    if (id < 0 || !parser.isSet(out))
        return usageError(QStringLiteral("give --run ID and --out DIR"));
    if (const Status s = RunExporter::exportRun(parser.positionalArguments().at(0), id, parser.value(out),
                                                   parser.isSet(force));
        !s)
        return fail(s.error());
    printLine(QStringLiteral("exported run %1 to %2").arg(id).arg(parser.value(out)));
    return kExitOk;
}

int runStrategies(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("List the transfer strategies, what they need and their options."));
    const QCommandLineOption json(QStringLiteral("json"), QStringLiteral("Print JSON: every strategy with its option "
                                                                         "schema and capabilities."));
    parser.addOption(json);
    if (const int code = parseOrExit(parser, arguments, 0); code >= 0)
        return code;
    QJsonArray array;
    for (const StrategyDescriptor &s : StrategyRegistry::all()) {
        QJsonArray options;
        for (const StrategyOption &o : s.options) {
            QJsonObject option{{QStringLiteral("name"), o.name},
                               {QStringLiteral("label"), o.label},
                               {QStringLiteral("type"), o.kindName()},
                               {QStringLiteral("default"), o.defaultValue},
                               {QStringLiteral("help"), o.help}};
            if (o.kind == StrategyOption::Kind::Integer || o.kind == StrategyOption::Kind::Real) {
                option.insert(QStringLiteral("minimum"), o.minimum);
                option.insert(QStringLiteral("maximum"), o.maximum);
            }
            if (o.kind == StrategyOption::Kind::Choice)
                option.insert(QStringLiteral("choices"), QJsonArray::fromStringList(o.choices));
            options.append(option);
        }
        array.append(QJsonObject{{QStringLiteral("name"), s.name},
                                 {QStringLiteral("title"), s.title},
                                 {QStringLiteral("description"), s.description},
                                 {QStringLiteral("trains"), s.trainsText()},
                                 {QStringLiteral("needs_source_labels"), s.needsSourceLabels},
                                 {QStringLiteral("needs_unlabelled_target"), s.needsUnlabelledTarget},
                                 {QStringLiteral("needs_target_labels"), s.needsTargetLabels},
                                 {QStringLiteral("phases"), QJsonArray::fromStringList(s.phases)},
                                 {QStringLiteral("options"), options}});
        if (!parser.isSet(json)) {
            printLine(QStringLiteral("%1  %2").arg(s.name, -22).arg(s.title));
            printLine(QStringLiteral("    trains %1; needs %2").arg(s.trainsText(), s.needsText()));
            for (const StrategyOption &o : s.options)
                printLine(QStringLiteral("    --set %1=%2  %3 (%4)").arg(o.name, o.defaultText(), o.help, o.allowed()));
        }
    }
    if (parser.isSet(json))
        printJson(array);
    return kExitOk;
}

} // namespace ts::cli
