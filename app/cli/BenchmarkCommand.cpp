// The benchmark matrix: every strategy × pair × seed as one group of runs, and its table.
#include "BenchmarkCommand.h"

#include "CliCommand.h"
#include "CliOutput.h"
#include "RunFlags.h"
#include "RunProgress.h"

#include "jobs/BenchmarkRunner.h"
#include "model/ModelRegistry.h"
#include "project/Project.h"
#include "train/RunControl.h"
#include "transfer/StrategyRegistry.h"
#include "transfer/TransferRunner.h"

#include <QFile>
#include <QSaveFile>

#include <cstdio>
#include <limits>

namespace ts::cli {

namespace {

/// Applies each --set KEY=VALUE to every strategy of the matrix whose schema has KEY; fails when
/// no strategy has it or its value is out of range.
bool applySettings(const QStringList &settings, const QStringList &strategies, QMap<QString, QJsonObject> &options,
                   QString *error)
{
    for (const QString &setting : settings) {
        const QString key = setting.section(QLatin1Char('='), 0, 0);
        bool used = false;
        for (const QString &name : strategies) {
            const StrategyDescriptor *strategy = StrategyRegistry::find(name);
            if (!strategy || !strategy->option(key))
                continue;
            if (!applyStrategyOptions({setting}, *strategy, options[name], error))
                return false;
            used = true;
        }
        if (!used) {
            *error = QStringLiteral("--set %1: none of the strategies %2 has an option %3 (see `strategies`)")
                         .arg(setting, strategies.join(QStringLiteral(", ")), key);
            return false;
        }
    }
    return true;
}

/// Writes `text` to the new file `path`; fails when it exists (nothing is overwritten).
Status writeNew(const QString &flag, const QString &path, const QString &text)
{
    if (QFile::exists(path))
        return Status::failure(QStringLiteral("--%1: %2 exists already; give a new file name").arg(flag, path));
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(text.toUtf8()) < 0 || !file.commit())
        return Status::failure(QStringLiteral("--%1: cannot write %2: %3").arg(flag, path, file.errorString()));
    return Status();
}

/// Records the matrix the flags describe; returns its group id, or the exit code (negative) on error.
qint64 recordPlan(const QCommandLineParser &parser, const RunFlags &flags, const QCommandLineOption &pairsFlag,
                  const QCommandLineOption &strategiesFlag, const QString &path, int *exitCode)
{
    auto plan = readBenchmarkFlags(parser, flags, pairsFlag, strategiesFlag);
    if (!plan) {
        *exitCode = usageError(plan.error());
        return -1;
    }
    auto project = Project::open(path);
    if (!project) {
        *exitCode = fail(project.error());
        return -1;
    }
    QSqlDatabase db = project.value()->database();
    if (const int code = completeBenchmarkPlan(parser, flags, db, plan.value()); code >= 0) {
        *exitCode = code;
        return -1;
    }
    qint64 groupId = 0;
    const auto ids = BenchmarkRunner::record(db, plan.value(), &groupId);
    if (!ids) {
        *exitCode = fail(ids.error());
        return -1;
    }
    printLine(QStringLiteral("benchmark group %1: %2 pair(s) × %3 strategies × %4 seed(s) = %5 runs (%6 to %7)")
                  .arg(groupId)
                  .arg(plan->pairs.size())
                  .arg(plan->strategies.size())
                  .arg(plan->seeds)
                  .arg(ids->size())
                  .arg(ids->first())
                  .arg(ids->last()));
    return groupId;
}

} // namespace

Result<BenchmarkPlan> readBenchmarkFlags(const QCommandLineParser &parser, const RunFlags &flags,
                                         const QCommandLineOption &pairsFlag, const QCommandLineOption &strategiesFlag)
{
    using Failure = Result<BenchmarkPlan>;
    for (const QCommandLineOption *required : {&pairsFlag, &strategiesFlag, &flags.model}) {
        if (!parser.isSet(*required))
            return Failure::failure(QStringLiteral("--%1 is required (or --resume GROUP)").arg(required->names().first()));
    }
    BenchmarkPlan plan;
    plan.model = parser.value(flags.model);
    for (const QString &name : parser.value(strategiesFlag).split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        const auto strategy = StrategyRegistry::lookup(name.trimmed());
        if (!strategy)
            return Failure::failure(QStringLiteral("--strategies: %1").arg(strategy.error()));
        if (!plan.strategies.contains(name.trimmed()))
            plan.strategies.append(name.trimmed());
    }
    if (plan.strategies.isEmpty())
        return Failure::failure(QStringLiteral("--strategies: give strategy names separated by commas (see `strategies`)"));
    QString message;
    if (!applyInteger(parser, flags.seeds, 1, kMaxSeeds, plan.seeds, &message) ||
        !flags.applyTraining(parser, plan.config, &message) ||
        !applySettings(parser.values(flags.set), plan.strategies, plan.strategyOptions, &message))
        return Failure::failure(message);
    if (parser.value(pairsFlag) != QLatin1String("all")) {
        const auto pairs = BenchmarkPlan::parsePairs(parser.value(pairsFlag));
        if (!pairs)
            return Failure::failure(pairs.error());
        plan.pairs = pairs.value();
    }
    return plan;
}

int completeBenchmarkPlan(const QCommandLineParser &parser, const RunFlags &flags, const QSqlDatabase &db,
                          BenchmarkPlan &plan)
{
    if (plan.pairs.isEmpty()) {
        const auto pairs = BenchmarkPlan::allPairs(db);
        if (!pairs)
            return fail(pairs.error());
        plan.pairs = pairs.value();
    }
    const auto model = ModelRegistry::find(db, plan.model);
    if (!model)
        return fail(model.error());
    flags.applyModelDefaults(parser, model.value(), plan.config);
    for (const QString &strategy : std::as_const(plan.strategies)) {
        TrainingConfig config = plan.config;
        config.strategy = strategy;
        config.options = plan.strategyOptions.value(strategy);
        if (const Status s = config.validate(); !s)
            return usageError(s.error());
        if (const auto memory = TransferRunner::checkMemory(model->config, config); !memory)
            return fail(QStringLiteral("%1: %2").arg(strategy, memory.error()));
    }
    return -1;
}

int runBenchmark(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Run every strategy on every source:target pair with every seed as one group of runs, then print "
                       "the table papers print: rows = pairs, columns = strategies, cells = mean ± std of target "
                       "accuracy. Ctrl+C stops after the current batch; --resume GROUP runs the remaining cells; "
                       "the exit code is then 130."));
    parser.addPositionalArgument(QStringLiteral("PROJECT"), QStringLiteral("A .tstudio file."));
    const RunFlags flags;
    flags.addTrainingTo(parser);
    const QCommandLineOption pairs(QStringLiteral("pairs"),
                                   QStringLiteral("SOURCE:TARGET pairs separated by commas, or all (every ordered pair "
                                                  "of corpora with labelled test or validation documents)."),
                                   QStringLiteral("LIST"));
    const QCommandLineOption strategies(QStringLiteral("strategies"),
                                        QStringLiteral("Strategies separated by commas (see `strategies`)."),
                                        QStringLiteral("LIST"));
    const QCommandLineOption resume(QStringLiteral("resume"),
                                    QStringLiteral("Continue benchmark group GROUP: only its unfinished runs run."),
                                    QStringLiteral("GROUP"));
    const QCommandLineOption csv(QStringLiteral("csv"), QStringLiteral("Also write the table as CSV to FILE (a new file)."),
                                 QStringLiteral("FILE"));
    const QCommandLineOption latex(QStringLiteral("latex"),
                                   QStringLiteral("Also write the table as LaTeX (booktabs) to FILE (a new file)."),
                                   QStringLiteral("FILE"));
    parser.addOptions({pairs, strategies, resume, csv, latex});
    if (const int code = parseOrExit(parser, arguments, 1); code >= 0)
        return code;
    for (const QCommandLineOption *out : {&csv, &latex}) {
        if (parser.isSet(*out) && QFile::exists(parser.value(*out)))
            return fail(QStringLiteral("--%1: %2 exists already; give a new file name")
                            .arg(out->names().first(), parser.value(*out)));
    }
    const QString path = parser.positionalArguments().at(0);
    qint64 groupId = 0;
    if (parser.isSet(resume)) {
        if (parser.isSet(pairs) || parser.isSet(strategies))
            return usageError(QStringLiteral("--resume continues the group's own plan; leave out --pairs and --strategies"));
        const auto id = parseInteger(QStringLiteral("resume"), parser.value(resume), 1, std::numeric_limits<qint64>::max());
        if (!id)
            return usageError(id.error());
        groupId = id.value();
    } else {
        int code = kExitOk;
        groupId = recordPlan(parser, flags, pairs, strategies, path, &code);
        if (groupId < 0)
            return code;
    }

    RunControl control;
    Result<BenchmarkOutcome> outcome = BenchmarkOutcome();
    {
        RunProgress progress(control);
        outcome = BenchmarkRunner::execute(path, groupId, &TransferRunner::execute, progress.callbacks(),
                                           [](const BenchmarkProgress &p) {
                                               if (p.runId != 0)
                                                   printLine(QStringLiteral("[%1/%2 done] run %3: %4")
                                                                 .arg(p.done).arg(p.total).arg(p.runId).arg(p.cell));
                                               else
                                                   printLine(QStringLiteral("[%1/%2 done]").arg(p.done).arg(p.total));
                                               // Seen at once through a pipe too (a log, a script).
                                               std::fflush(stdout);
                                           });
    }
    if (!outcome)
        return fail(outcome.error());
    auto project = Project::open(path, Project::Access::ReadOnly);
    if (!project)
        return fail(project.error());
    const auto table = BenchmarkRunner::table(project.value()->database(), groupId);
    if (!table)
        return fail(table.error());
    printLine(table->toText().trimmed());
    if (parser.isSet(csv)) {
        if (const Status s = writeNew(QStringLiteral("csv"), parser.value(csv), table->toCsv()); !s)
            return fail(s.error());
    }
    if (parser.isSet(latex)) {
        if (const Status s = writeNew(QStringLiteral("latex"), parser.value(latex), table->toLatex()); !s)
            return fail(s.error());
    }
    if (outcome->cancelled || control.isCancelRequested()) {
        printLine(QStringLiteral("stopped with %1 of %2 runs finished; continue with: transfer-studio-cli benchmark %3 "
                                 "--resume %4")
                      .arg(outcome->finished).arg(outcome->total).arg(path).arg(groupId));
        return kExitInterrupted;
    }
    if (!outcome->failed.isEmpty()) {
        QStringList ids;
        for (qint64 id : outcome->failed)
            ids.append(QString::number(id));
        return fail(QStringLiteral("%1 of %2 runs failed (runs %3; `runs` shows why); their cells are left out of the table")
                        .arg(outcome->failed.size()).arg(outcome->total).arg(ids.join(QStringLiteral(", "))));
    }
    return kExitOk;
}

} // namespace ts::cli
