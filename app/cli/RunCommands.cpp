// Verbs on runs: run, resume, metrics, export, strategies (results: ResultCommands).
#include "RunCommands.h"

#include "CliCommand.h"
#include "CliOutput.h"
#include "ResultCommands.h"
#include "RankLauncher.h"
#include "RunFlags.h"
#include "RunProgress.h"
#include "RunRecording.h"

#include "cluster/ProgressLog.h"
#include "distributed/DistributedContext.h"
#include "project/Project.h"
#include "project/ProjectError.h"
#include "project/RunStore.h"
#include "project/RunSummary.h"
#include "train/RunControl.h"
#include "transfer/RunExporter.h"
#include "transfer/StrategyRegistry.h"
#include "transfer/TransferRunner.h"

#include <QCommandLineParser>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlQuery>


#include <cstdio>
#include <limits>

namespace ts::cli {

namespace {

// What `run` and `resume --help` say about Ctrl+C and the exit code it leaves.
const QString kInterruptHelp = QStringLiteral(" Ctrl+C stops it after the current batch with a checkpoint that "
                                              "`resume` continues from; the exit code is then 130.");
// What `run` and `resume --help` say about data-parallel training.
const QString kProcessesHelp = QStringLiteral(
    " With --processes N the run trains as N data-parallel processes on this machine (CPU): each takes its share of "
    "every batch, the gradients are summed before each step, rank 0 writes everything; if one process dies the run "
    "fails and `resume` (with any number of processes) continues it from its last checkpoint. Under TS_DIST_RANK, "
    "TS_DIST_WORLD_SIZE, TS_DIST_MASTER_ADDR, TS_DIST_MASTER_PORT (and TS_DIST_TIMEOUT_S, default 300) `resume` "
    "runs as that one rank (cluster launchers set them).");

/// --processes: 1 (train in this process) up to RankLauncher::kMaxProcesses; -1 after a usage error.
int processesOf(const QCommandLineParser &parser, const QCommandLineOption &option, QString *error)
{
    int processes = 1;
    if (!applyInteger(parser, option, 1, RankLauncher::kMaxProcesses, processes, error))
        return -1;
    return processes;
}

/// Executes `runId` as a rank above 0 of a data-parallel run: quiet (rank 0 reports), errors only.
int executeFollowerRank(const QString &projectPath, qint64 runId, const DistributedContext &distributed)
{
    RunControl control;
    Status status;
    {
        RunProgress progress(control);
        TrainingCallbacks callbacks;
        callbacks.control = &control;
        status = TransferRunner::executeRank(projectPath, runId, callbacks, distributed);
    }
    if (!status)
        return fail(status.error());
    return control.isCancelRequested() ? kExitInterrupted : kExitOk;
}

/// Executes `runId` with a progress line (as rank `distributed.rank`); prints its result. Returns
/// the exit code: kExitInterrupted when Ctrl+C stopped the run (it stays resumable).
int executeRun(const QString &projectPath, qint64 runId, const DistributedContext &distributed = {})
{
    if (!distributed.isLeader())
        return executeFollowerRank(projectPath, runId, distributed);
    RunControl control;
    Status status;
    {
        RunProgress progress(control);
        // On a cluster (submit --slurm) rank 0 also appends to the job's progress file.
        if (const QString log = ProgressLog::pathFromEnvironment(); !log.isEmpty())
            progress.appendTo(log, runId);
        status = TransferRunner::executeRank(projectPath, runId, progress.callbacks(), distributed);
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
                                                    "measure it on the target.") + kInterruptHelp + kProcessesHelp);
    parser.addPositionalArgument(QStringLiteral("PROJECT"), QStringLiteral("A .tstudio file."));
    const RunFlags flags;
    flags.addTo(parser);
    parser.addOption(flags.processes);
    if (const int code = parseOrExit(parser, arguments, 1); code >= 0)
        return code;
    auto ask = readRunAsk(parser, flags);
    if (!ask)
        return usageError(ask.error());
    QString error;
    const int processes = processesOf(parser, flags.processes, &error);
    if (processes < 0)
        return usageError(error);

    const QString path = parser.positionalArguments().at(0);
    QList<qint64> ids;
    {
        auto project = Project::open(path);
        if (!project)
            return fail(project.error());
        const QSqlDatabase db = project.value()->database();
        if (const int code = prepareRunAsk(parser, flags, db, ask.value()); code >= 0)
            return code;
        const auto recorded = recordRunAsk(db, ask.value());
        if (!recorded)
            return fail(recorded.error());
        ids = recorded.value();
    }
    for (qint64 id : std::as_const(ids)) {
        const int code = processes > 1 ? RankLauncher::run(path, id, processes) : executeRun(path, id);
        if (code != kExitOk)
            return code;
    }
    return kExitOk;
}

int runResume(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Continue a stopped (cancelled) or interrupted run from its last "
                                                    "checkpoint.") + kInterruptHelp + kProcessesHelp);
    parser.addPositionalArgument(QStringLiteral("PROJECT"), QStringLiteral("A .tstudio file."));
    const QCommandLineOption run(QStringLiteral("run"), QStringLiteral("Run id."), QStringLiteral("ID"));
    const RunFlags flags;
    parser.addOptions({run, flags.processes});
    if (const int code = parseOrExit(parser, arguments, 1); code >= 0)
        return code;
    const qint64 id = runIdOf(parser, run);
    if (id < 0)
        return usageError(QStringLiteral("--run: give the run's id (see `runs`)"));
    QString error;
    const int processes = processesOf(parser, flags.processes, &error);
    if (processes < 0)
        return usageError(error);
    const auto distributed = DistributedContext::fromEnvironment(QProcessEnvironment::systemEnvironment());
    if (!distributed)
        return fail(distributed.error());
    if (processes > 1 && distributed->isDistributed())
        return usageError(QStringLiteral("--processes starts the ranks itself; leave it out when TS_DIST_WORLD_SIZE "
                                         "makes this process one rank"));
    const QString path = parser.positionalArguments().at(0);
    if (distributed->isLeader()) {
        auto project = Project::open(path);
        if (!project)
            return fail(project.error());
        if (const auto marked = TransferRunner::markInterruptedRuns(project.value()->database(), path); !marked)
            return fail(marked.error());
    }
    return processes > 1 ? RankLauncher::run(path, id, processes) : executeRun(path, id, distributed.value());
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
