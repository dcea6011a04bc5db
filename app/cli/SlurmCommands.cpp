// The Slurm verbs: submit, jobs, cancel, collect (core/cluster does the work).
#include "SlurmCommands.h"

#include "BenchmarkCommand.h"
#include "CliCommand.h"
#include "CliOutput.h"
#include "RunFlags.h"
#include "RunRecording.h"

#include "cluster/JobCollector.h"
#include "cluster/JobFolder.h"
#include "cluster/JobTable.h"
#include "cluster/SbatchScript.h"
#include "cluster/SlurmClient.h"
#include "cluster/SlurmJobs.h"
#include "cluster/SlurmSubmitter.h"
#include "jobs/ClusterCells.h"
#include "project/Project.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonObject>

#include <memory>

namespace ts::cli {

namespace {

/// The options of `submit` that describe the cluster job.
struct ClusterFlags
{
    QCommandLineOption slurm{QStringLiteral("slurm"), QStringLiteral("Submit to the Slurm cluster this machine reaches "
                                                                      "(sbatch on PATH).")};
    QCommandLineOption partition{QStringLiteral("partition"), QStringLiteral("Slurm partition."), QStringLiteral("P")};
    QCommandLineOption account{QStringLiteral("account"), QStringLiteral("Slurm account."), QStringLiteral("A")};
    QCommandLineOption nodes{QStringLiteral("nodes"), QStringLiteral("Nodes per run (default 1)."), QStringLiteral("N")};
    QCommandLineOption gpus{QStringLiteral("gpus-per-node"),
                            QStringLiteral("GPUs per node (default 0); one data-parallel rank per GPU unless --ranks-per-node says otherwise."),
                            QStringLiteral("G")};
    QCommandLineOption ranks{QStringLiteral("ranks-per-node"),
                             QStringLiteral("Data-parallel ranks per node (default: one per GPU, 1 without GPUs)."),
                             QStringLiteral("R")};
    QCommandLineOption cpus{QStringLiteral("cpus-per-task"), QStringLiteral("CPUs per rank (its threads)."),
                            QStringLiteral("C")};
    QCommandLineOption time{QStringLiteral("time"), QStringLiteral("Time limit per job (array task)."),
                            QStringLiteral("HH:MM:SS")};
    QCommandLineOption jobDir{QStringLiteral("job-dir"),
                              QStringLiteral("Job folder, on a filesystem the cluster's nodes see (default: "
                                             "PROJECTDIR/NAME-jobs/job-TIME)."),
                              QStringLiteral("DIR")};
    QCommandLineOption benchmark{QStringLiteral("benchmark"),
                                 QStringLiteral("Submit a benchmark matrix (--pairs, --strategies) as one job array, "
                                                "one task per pair and strategy.")};
    QCommandLineOption pairs{QStringLiteral("pairs"), QStringLiteral("With --benchmark: SOURCE:TARGET pairs, or all."),
                             QStringLiteral("LIST")};
    QCommandLineOption strategies{QStringLiteral("strategies"), QStringLiteral("With --benchmark: strategies."),
                                  QStringLiteral("LIST")};

    void addTo(QCommandLineParser &parser) const
    {
        parser.addOptions({slurm, partition, account, nodes, gpus, ranks, cpus, time, jobDir, benchmark, pairs, strategies});
    }

    /// The sbatch options; false (with `error`, naming the flag) when one is out of range.
    bool read(const QCommandLineParser &parser, SbatchOptions &options, QString *error) const
    {
        options.partition = parser.value(partition);
        options.account = parser.value(account);
        options.time = parser.value(time);
        return applyInteger(parser, nodes, 1, 100000, options.nodes, error) &&
               applyInteger(parser, gpus, 0, 1024, options.gpusPerNode, error) &&
               applyInteger(parser, ranks, 0, 1024, options.ranksPerNode, error) &&
               applyInteger(parser, cpus, 0, 100000, options.cpusPerTask, error);
    }
};

/// The one cell of a run job: the run (or its seeds and label budgets) on its corpora.
int runCells(const QCommandLineParser &parser, const RunFlags &flags, const QSqlDatabase &db, QList<JobCell> &cells)
{
    auto ask = readRunAsk(parser, flags);
    if (!ask)
        return usageError(ask.error());
    if (const int code = prepareRunAsk(parser, flags, db, ask.value()); code >= 0)
        return code;
    const auto made = ClusterCells::forRun(db, ask->request, ask->seeds, ask->budgets);
    if (!made)
        return fail(made.error());
    cells = made.value();
    return -1;
}

/// One cell per pair and strategy of a benchmark matrix, each with the matrix's seeds.
int benchmarkCells(const QCommandLineParser &parser, const RunFlags &flags, const ClusterFlags &cluster,
                   const QSqlDatabase &db, QList<JobCell> &cells)
{
    for (const QCommandLineOption *runOnly : {&flags.source, &flags.target, &flags.strategy, &flags.budgets}) {
        if (parser.isSet(*runOnly))
            return usageError(QStringLiteral("--%1 is an option of a run; --benchmark takes --pairs and --strategies")
                                  .arg(runOnly->names().first()));
    }
    auto plan = readBenchmarkFlags(parser, flags, cluster.pairs, cluster.strategies);
    if (!plan)
        return usageError(plan.error());
    if (const int code = completeBenchmarkPlan(parser, flags, db, plan.value()); code >= 0)
        return code;
    const auto made = ClusterCells::forBenchmark(db, plan.value());
    if (!made)
        return fail(made.error());
    cells = made.value();
    return -1;
}

/// The project and job a `VERB PROJECT --job ID` command (cancel, resubmit) names.
struct NamedJob
{
    std::unique_ptr<Project> project;
    SlurmJobRecord job;
};

/// Parses `VERB PROJECT --job ID` with `parser` (holding the verb's description and own options),
/// opens the project and finds the job, first asking Slurm for every job's state when `refresh`.
/// Returns -1 when `named` holds both, otherwise the exit code after printing the error.
int openNamedJob(QCommandLineParser &parser, const QStringList &arguments, bool refresh, NamedJob &named)
{
    parser.addPositionalArgument(QStringLiteral("PROJECT"), QStringLiteral("A .tstudio file."));
    const QCommandLineOption jobOption(QStringLiteral("job"), QStringLiteral("Slurm job id (see `jobs`)."), QStringLiteral("ID"));
    parser.addOption(jobOption);
    if (const int code = parseOrExit(parser, arguments, 1); code >= 0)
        return code;
    if (!parser.isSet(jobOption))
        return usageError(QStringLiteral("--job: give the Slurm job id (see `jobs`)"));
    auto project = Project::open(parser.positionalArguments().at(0));
    if (!project)
        return fail(project.error());
    named.project = std::move(project.value());
    if (refresh) {
        if (const auto refreshed = SlurmJobs::refresh(named.project->database()); !refreshed)
            return fail(refreshed.error());
    }
    const auto job = JobTable(named.project->database()).find(parser.value(jobOption));
    if (!job)
        return fail(job.error());
    named.job = job.value();
    return -1;
}

QString stateLine(const SlurmJobRecord &job)
{
    return QStringLiteral("%1 %2 %3 %4 %5 %6")
        .arg(job.slurmId, -10)
        .arg(job.kind, -10)
        .arg(job.cells, 5)
        .arg(JobStates::name(job.state), -10)
        .arg(job.collectedAt.isEmpty() ? QStringLiteral("-") : QStringLiteral("yes"), -9)
        .arg(job.dir);
}

} // namespace

int runSubmit(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Submit a run (the options of `run`) or a benchmark matrix (--benchmark with the options of "
                       "`benchmark`) to a Slurm cluster: writes a job folder with a job project holding only the "
                       "corpora and model needed, submits its batch script with sbatch and records the job; `jobs` "
                       "shows its state, `collect` brings its runs home."));
    parser.addPositionalArgument(QStringLiteral("PROJECT"), QStringLiteral("A .tstudio file."));
    const RunFlags flags;
    flags.addTo(parser);
    const ClusterFlags cluster;
    cluster.addTo(parser);
    if (const int code = parseOrExit(parser, arguments, 1); code >= 0)
        return code;
    if (!parser.isSet(cluster.slurm))
        return usageError(QStringLiteral("--slurm is required (the only kind of cluster submit knows)"));
    SbatchOptions options;
    QString error;
    if (!cluster.read(parser, options, &error))
        return usageError(error);
    const QString path = parser.positionalArguments().at(0);
    const QString dir = parser.isSet(cluster.jobDir) ? parser.value(cluster.jobDir) : JobFolder::defaultDir(path);
    if (const Status s = SbatchScript::check(options, QFileInfo(dir).absoluteFilePath()); !s)
        return usageError(s.error());
    if (const auto sbatch = SlurmClient::program(QStringLiteral("sbatch")); !sbatch)
        return fail(sbatch.error());

    auto project = Project::open(path);
    if (!project)
        return fail(project.error());
    const QSqlDatabase db = project.value()->database();
    const bool benchmark = parser.isSet(cluster.benchmark);
    QList<JobCell> cells;
    if (const int code = benchmark ? benchmarkCells(parser, flags, cluster, db, cells) : runCells(parser, flags, db, cells);
        code >= 0)
        return code;
    const QString kind = benchmark ? QStringLiteral("benchmark") : QStringLiteral("run");
    const auto submitted = SlurmSubmitter::submit(db, path, dir, cells, options, kind,
                                                  QCoreApplication::applicationFilePath());
    if (!submitted)
        return fail(submitted.error());
    const SlurmJobRecord &job = submitted->job;
    printLine(QStringLiteral("submitted Slurm job %1: %2 %3, %4 run(s) of %5 rank(s) each, in %6")
                  .arg(job.slurmId)
                  .arg(job.cells)
                  .arg(job.cells > 1 ? QStringLiteral("array tasks") : QStringLiteral("task"))
                  .arg(submitted->runs)
                  .arg(submitted->ranks)
                  .arg(job.dir));
    printLine(QStringLiteral("watch it with: transfer-studio-cli jobs %1; bring it home with: transfer-studio-cli collect %1")
                  .arg(path));
    return kExitOk;
}

int runJobs(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("List the project's Slurm jobs with the state Slurm reports: pending, "
                                                    "running, completed, failed, cancelled, timeout (or unknown once "
                                                    "Slurm has forgotten the job)."));
    parser.addPositionalArgument(QStringLiteral("PROJECT"), QStringLiteral("A .tstudio file."));
    const QCommandLineOption json(QStringLiteral("json"), QStringLiteral("Print JSON."));
    parser.addOption(json);
    if (const int code = parseOrExit(parser, arguments, 1); code >= 0)
        return code;
    auto project = Project::open(parser.positionalArguments().at(0));
    if (!project)
        return fail(project.error());
    const auto jobs = SlurmJobs::refresh(project.value()->database());
    if (!jobs)
        return fail(jobs.error());
    QJsonArray array;
    if (!parser.isSet(json))
        printLine(QStringLiteral("%1 %2 %3 %4 %5 %6").arg(QStringLiteral("job"), -10).arg(QStringLiteral("kind"), -10)
                      .arg(QStringLiteral("cells"), 5).arg(QStringLiteral("state"), -10).arg(QStringLiteral("collected"), -9)
                      .arg(QStringLiteral("folder")));
    for (const SlurmJobRecord &job : jobs.value()) {
        if (!parser.isSet(json)) {
            printLine(stateLine(job));
            continue;
        }
        array.append(QJsonObject{{QStringLiteral("job"), job.slurmId},
                                 {QStringLiteral("kind"), job.kind},
                                 {QStringLiteral("cells"), job.cells},
                                 {QStringLiteral("state"), JobStates::name(job.state)},
                                 {QStringLiteral("submitted_at"), job.submittedAt},
                                 {QStringLiteral("collected_at"), job.collectedAt},
                                 {QStringLiteral("dir"), job.dir}});
    }
    if (parser.isSet(json))
        printJson(array);
    return kExitOk;
}

int runCancel(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Cancel a Slurm job of the project (every task of a benchmark array) "
                                                    "with scancel."));
    NamedJob named;
    if (const int code = openNamedJob(parser, arguments, false, named); code >= 0)
        return code;
    if (const Status s = SlurmClient::cancel(named.job.slurmId); !s)
        return fail(s.error());
    printLine(QStringLiteral("asked Slurm to cancel job %1; `jobs` shows it cancelled once Slurm has stopped it")
                  .arg(named.job.slurmId));
    return kExitOk;
}

int runResubmit(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Submit a cancelled, timed-out or failed Slurm job of the project again "
                                                    "from its job folder: the runs it finished are skipped, the others "
                                                    "resume from their last checkpoint. The new job is listed by `jobs`."));
    const QCommandLineOption time(QStringLiteral("time"),
                                  QStringLiteral("A new time limit for the job (default: the one it last ran with: the "
                                                 "last --time given to resubmit, else its script's); a job its limit "
                                                 "killed may need more."),
                                  QStringLiteral("HH:MM:SS"));
    parser.addOption(time);
    NamedJob named;
    // The state Slurm reports now decides whether the job may go again.
    if (const int code = openNamedJob(parser, arguments, true, named); code >= 0)
        return code;
    SbatchOptions limit;
    limit.time = parser.value(time);
    if (const Status s = SbatchScript::check(limit, named.job.dir); !s)
        return usageError(s.error());
    const auto again = SlurmSubmitter::resubmit(named.project->database(), named.job, parser.value(time));
    if (!again)
        return fail(again.error());
    printLine(QStringLiteral("resubmitted job %1 as Slurm job %2 in %3").arg(named.job.slurmId, again->slurmId, again->dir));
    return kExitOk;
}

int runCollect(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Merge the runs of the project's ended Slurm jobs back into it "
                                                    "(corpora and models reused, results, predictions and weights "
                                                    "copied). Collecting again copies nothing twice."));
    parser.addPositionalArgument(QStringLiteral("PROJECT"), QStringLiteral("A .tstudio file."));
    if (const int code = parseOrExit(parser, arguments, 1); code >= 0)
        return code;
    auto project = Project::open(parser.positionalArguments().at(0));
    if (!project)
        return fail(project.error());
    const auto jobs = SlurmJobs::refresh(project.value()->database());
    if (!jobs)
        return fail(jobs.error());
    int waiting = 0;
    for (const SlurmJobRecord &job : jobs.value()) {
        if (!job.collectedAt.isEmpty())
            continue;
        if (!JobStates::isFinal(job.state)) {
            ++waiting;
            printLine(QStringLiteral("job %1: %2, not collected yet").arg(job.slurmId, JobStates::name(job.state)));
            continue;
        }
        const auto report = JobCollector::collect(*project.value(), job);
        if (!report)
            return fail(report.error());
        QStringList copied;
        for (const auto &pair : report->copied)
            copied.append(QString::number(pair.second));
        printLine(QStringLiteral("job %1 (%2): %3 run(s) collected%4%5")
                      .arg(job.slurmId, JobStates::name(job.state))
                      .arg(report->copied.size())
                      .arg(copied.isEmpty() ? QString() : QStringLiteral(" as run(s) ") + copied.join(QLatin1Char(',')))
                      .arg(report->present.isEmpty() ? QString()
                                                     : QStringLiteral(", %1 collected before").arg(report->present.size())));
        for (const QString &run : report->notFinished)
            printLine(QStringLiteral("  not finished: %1 (continue it with: transfer-studio-cli resubmit %2 --job %3)")
                          .arg(run, parser.positionalArguments().at(0), job.slurmId));
        if (const Status s = JobTable(project.value()->database()).setCollected(job.id); !s)
            return fail(s.error());
    }
    if (waiting > 0)
        printLine(QStringLiteral("%1 job(s) still pending or running: collect again when they have ended").arg(waiting));
    return kExitOk;
}

} // namespace ts::cli
