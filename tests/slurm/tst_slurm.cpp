// `submit --slurm`, `jobs`, `cancel` and `collect` against a real one-node Slurm cluster that
// tests/slurm/cluster.sh starts for this test (munged, slurmctld, slurmd from Debian's packages) and
// stops at the end: a 1-task run whose collected metrics equal the same run trained locally, a 2x2
// benchmark as one job array collected as one benchmark group, a cancelled job shown cancelled
// then resubmitted to finish from its checkpoint, a job killed by its time limit shown timeout then
// resubmitted to end with the metrics of an uninterrupted run, and the errors. QSKIPs when Slurm is
// not installed (bash installer/install-deps.sh installs it).
#include "CliRunner.h"
#include "SlurmCluster.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <algorithm>
#include <memory>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

using namespace ts;
using test::runCli;

namespace {

constexpr int kTrainTimeoutMs = 600000;
// How long a job may take from submission to its end on a busy 2-core machine.
constexpr int kJobTimeoutMs = 900000;

QString sample(const QString &name)
{
    return QStringLiteral(TS_SOURCE_DIR "/resources/samples/") + name;
}

/// The training options every run of this test shares: small, one thread, deterministic.
QStringList trainingOptions()
{
    return {QStringLiteral("--model"), QStringLiteral("tiny-encoder"), QStringLiteral("--epochs"), QStringLiteral("2"),
            QStringLiteral("--max-train"), QStringLiteral("128"), QStringLiteral("--max-eval"), QStringLiteral("32"),
            QStringLiteral("--max-length"), QStringLiteral("32"), QStringLiteral("--eval-every"), QStringLiteral("2"),
            QStringLiteral("--threads"), QStringLiteral("1"), QStringLiteral("--seed"), QStringLiteral("3")};
}

/// The Slurm job id that `submit` printed ("submitted Slurm job ID: ...").
QString submittedId(const QString &out)
{
    static const QRegularExpression line(QStringLiteral("submitted Slurm job (\\d+):"));
    return line.match(out).captured(1);
}

/// What squeue itself says of job `id` ("COMPLETED"; empty when it does not know the job).
QString squeueState(const QString &id)
{
    QProcess squeue;
    squeue.start(QStringLiteral("squeue"), {QStringLiteral("-h"), QStringLiteral("--states=all"), QStringLiteral("-j"), id,
                                            QStringLiteral("-o"), QStringLiteral("%T")});
    squeue.waitForFinished(60000);
    return QString::fromUtf8(squeue.readAllStandardOutput()).trimmed();
}

/// The runs of `project` as `runs --json` lists them.
QJsonArray runsOf(const QString &project)
{
    return QJsonDocument::fromJson(runCli({QStringLiteral("runs"), project, QStringLiteral("--json")}).out.toUtf8()).array();
}

/// Every metric of run `id` as `metrics --csv` prints it, without the run id column.
QStringList metricsOf(const QString &project, qint64 id)
{
    QStringList rows;
    const auto r = runCli({QStringLiteral("metrics"), project, QStringLiteral("--run"), QString::number(id), QStringLiteral("--csv")});
    for (const QString &line : r.out.split(QLatin1Char('\n'), Qt::SkipEmptyParts))
        rows.append(line.section(QLatin1Char(','), 1));
    return rows;
}

} // namespace

class TestSlurm : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void usageAndMissingPrograms();
    void runAndBenchmarkArrayCollectToLocalResults();
    void cancelledJobIsShownCancelledAndResubmitted();
    void timedOutJobIsShownTimeoutAndResubmitted();
    void dataParallelRunOfTwoTasks();
    // Last: it makes slurmctld forget every job.
    void forgottenJobIsFoundInTheCompletionLog();

private:
    /// The state `jobs --json` reports for Slurm job `id`.
    QString stateOf(const QString &id) const;
    /// Waits until job `id` is in a state of `states`; its last state.
    QString waitFor(const QString &id, const QStringList &states, int timeoutMs = kJobTimeoutMs) const;

    QTemporaryDir m_dir;
    QString m_project;
    std::unique_ptr<test::SlurmCluster> m_cluster;
};

QString TestSlurm::stateOf(const QString &id) const
{
    const auto r = runCli({QStringLiteral("jobs"), m_project, QStringLiteral("--json")});
    for (const QJsonValue &job : QJsonDocument::fromJson(r.out.toUtf8()).array()) {
        if (job.toObject().value(QLatin1String("job")).toString() == id)
            return job.toObject().value(QLatin1String("state")).toString();
    }
    return QStringLiteral("missing: ") + r.err;
}

QString TestSlurm::waitFor(const QString &id, const QStringList &states, int timeoutMs) const
{
    QElapsedTimer timer;
    timer.start();
    QString state;
    while (!states.contains(state = stateOf(id)) && timer.elapsed() < timeoutMs)
        QThread::msleep(1000);
    return state;
}

void TestSlurm::initTestCase()
{
    if (const QString missing = test::SlurmCluster::missing(); !missing.isEmpty())
        QSKIP(qPrintable(missing));
    QVERIFY(m_dir.isValid());
    m_cluster = std::make_unique<test::SlurmCluster>(m_dir.filePath(QStringLiteral("cluster")));
    QString error;
    QVERIFY2(m_cluster->start(&error), qPrintable(error));

    m_project = m_dir.filePath(QStringLiteral("p.tstudio"));
    QCOMPARE(runCli({QStringLiteral("create"), m_project}).exitCode, 0);
    for (const QString &domain : {QStringLiteral("books"), QStringLiteral("electronics")}) {
        for (const QString &split : {QStringLiteral("train"), QStringLiteral("test")}) {
            const auto r = runCli({QStringLiteral("import"), m_project, QStringLiteral("--corpus"), domain,
                                   QStringLiteral("--file"), sample(QStringLiteral("%1.%2.tsv").arg(domain, split)),
                                   QStringLiteral("--no-header"), QStringLiteral("--label-column"), QStringLiteral("0"),
                                   QStringLiteral("--text-column"), QStringLiteral("1"), QStringLiteral("--split-name"), split});
            QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        }
    }
    const auto model = runCli({QStringLiteral("add-model"), m_project, QStringLiteral("--builtin"), QStringLiteral("tiny-encoder")},
                              kTrainTimeoutMs);
    QVERIFY2(model.exitCode == 0, qPrintable(model.err));
}

void TestSlurm::cleanupTestCase()
{
    if (m_cluster)
        QVERIFY(m_cluster->stop());
}

void TestSlurm::usageAndMissingPrograms()
{
    const QStringList run{QStringLiteral("--source"), QStringLiteral("books"), QStringLiteral("--target"),
                          QStringLiteral("electronics"), QStringLiteral("--strategy"), QStringLiteral("source-only")};
    const QStringList submit{QStringLiteral("submit"), m_project};
    const auto noSlurm = runCli(submit + run + trainingOptions());
    QCOMPARE(noSlurm.exitCode, 2);
    QVERIFY2(noSlurm.err.contains(QLatin1String("--slurm is required")), qPrintable(noSlurm.err));
    const auto time = runCli(submit + QStringList{QStringLiteral("--slurm"), QStringLiteral("--time"), QStringLiteral("90m")} +
                             run + trainingOptions());
    QCOMPARE(time.exitCode, 2);
    QVERIFY2(time.err.contains(QLatin1String("--time '90m'")), qPrintable(time.err));
    const auto mixed = runCli(submit + QStringList{QStringLiteral("--slurm"), QStringLiteral("--benchmark"), QStringLiteral("--pairs"),
                                                   QStringLiteral("all"), QStringLiteral("--strategies"),
                                                   QStringLiteral("source-only")} + run + trainingOptions());
    QCOMPARE(mixed.exitCode, 2);
    QVERIFY2(mixed.err.contains(QLatin1String("--source is an option of a run")), qPrintable(mixed.err));
    const auto job = runCli({QStringLiteral("cancel"), m_project, QStringLiteral("--job"), QStringLiteral("999999")});
    QCOMPARE(job.exitCode, 1);
    QVERIFY2(job.err.contains(QLatin1String("--job 999999: the project has no such Slurm job")), qPrintable(job.err));

    // Without Slurm's client programs on PATH: the message says what to install; nothing is written.
    QProcess cli;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("PATH"), m_dir.filePath(QStringLiteral("empty-bin")));
    cli.setProcessEnvironment(env);
    const QString dir = m_dir.filePath(QStringLiteral("never"));
    cli.start(QStringLiteral(TS_CLI_PATH), submit + QStringList{QStringLiteral("--slurm"), QStringLiteral("--job-dir"), dir} +
                                                 run + trainingOptions());
    QVERIFY(cli.waitForFinished(60000));
    QCOMPARE(cli.exitCode(), 1);
    const QString err = QString::fromUtf8(cli.readAllStandardError());
    QVERIFY2(err.contains(QLatin1String("sbatch not found on PATH")) && err.contains(QLatin1String("slurm-client")), qPrintable(err));
    QVERIFY(!QFile::exists(dir));
    QVERIFY(runsOf(m_project).isEmpty());
}

void TestSlurm::runAndBenchmarkArrayCollectToLocalResults()
{
    const QString runDir = m_dir.filePath(QStringLiteral("jobs/run"));
    const auto run = runCli(QStringList{QStringLiteral("submit"), m_project, QStringLiteral("--slurm"), QStringLiteral("--time"),
                                        QStringLiteral("00:30:00"), QStringLiteral("--job-dir"), runDir, QStringLiteral("--source"),
                                        QStringLiteral("books"), QStringLiteral("--target"), QStringLiteral("electronics"),
                                        QStringLiteral("--strategy"), QStringLiteral("source-only")} +
                            trainingOptions());
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    const QString runJob = submittedId(run.out);
    QVERIFY2(!runJob.isEmpty(), qPrintable(run.out));
    // The 2x2 matrix (both directions x two strategies): one job array of four tasks.
    const auto bench = runCli(QStringList{QStringLiteral("submit"), m_project, QStringLiteral("--slurm"), QStringLiteral("--benchmark"),
                                          QStringLiteral("--pairs"), QStringLiteral("all"), QStringLiteral("--strategies"),
                                          QStringLiteral("source-only,freeze")} +
                              trainingOptions());
    QVERIFY2(bench.exitCode == 0, qPrintable(bench.err));
    QVERIFY2(bench.out.contains(QLatin1String(": 4 array tasks, 4 run(s) of 1 rank(s) each")), qPrintable(bench.out));
    const QString benchJob = submittedId(bench.out);
    // The job projects hold only what the runs need; the user's project has no run yet.
    QVERIFY(QFile::exists(runDir + QStringLiteral("/job.sbatch")));
    QVERIFY(QFile::exists(runDir + QStringLiteral("/cell-0/job.tstudio")));
    QVERIFY(runsOf(m_project).isEmpty());

    QCOMPARE(waitFor(runJob, {QStringLiteral("completed"), QStringLiteral("failed")}), QStringLiteral("completed"));
    QCOMPARE(waitFor(benchJob, {QStringLiteral("completed"), QStringLiteral("failed")}), QStringLiteral("completed"));
    // Rank 0 wrote progress and metric lines while the run trained.
    QFile progress(runDir + QStringLiteral("/cell-0/progress.jsonl"));
    QVERIFY(progress.open(QIODevice::ReadOnly));
    const QByteArray lines = progress.readAll();
    QVERIFY(lines.contains("\"type\":\"progress\""));
    QVERIFY(lines.contains("\"metric\":\"loss\""));

    const auto collect = runCli({QStringLiteral("collect"), m_project}, kTrainTimeoutMs);
    QVERIFY2(collect.exitCode == 0, qPrintable(collect.err));
    QVERIFY2(collect.out.contains(QStringLiteral("job %1 (completed): 1 run(s) collected").arg(runJob)), qPrintable(collect.out));
    QVERIFY2(collect.out.contains(QStringLiteral("job %1 (completed): 4 run(s) collected").arg(benchJob)), qPrintable(collect.out));
    const QJsonArray collected = runsOf(m_project);
    QCOMPARE(collected.size(), 5);
    for (const QJsonValue &r : collected)
        QCOMPARE(r.toObject().value(QLatin1String("status")).toString(), QStringLiteral("finished"));
    // The matrix came home as one benchmark group, as `benchmark` records one; the run job's run
    // belongs to none.
    QVERIFY(collected.at(0).toObject().value(QLatin1String("group")).isNull());
    const qint64 group = collected.at(1).toObject().value(QLatin1String("group")).toInteger();
    QVERIFY(group > 0);
    for (int i = 2; i < 5; ++i)
        QCOMPARE(collected.at(i).toObject().value(QLatin1String("group")).toInteger(), group);
    // Collecting again copies nothing twice.
    QCOMPARE(runCli({QStringLiteral("collect"), m_project}).exitCode, 0);
    QCOMPARE(runsOf(m_project).size(), 5);
    // Its table: both pairs, one run of each strategy in every cell; nothing left to train.
    const QString csv = m_dir.filePath(QStringLiteral("bench.csv"));
    const auto table = runCli({QStringLiteral("benchmark"), m_project, QStringLiteral("--resume"), QString::number(group),
                               QStringLiteral("--csv"), csv});
    QVERIFY2(table.exitCode == 0, qPrintable(table.err));
    QVERIFY2(table.out.startsWith(QLatin1String("[4/4 done]")), qPrintable(table.out));
    QCOMPARE(runsOf(m_project).size(), 5);
    QFile csvFile(csv);
    QVERIFY(csvFile.open(QIODevice::ReadOnly));
    const QStringList rows = QString::fromUtf8(csvFile.readAll()).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    QCOMPARE(rows.size(), 4); // header, two pairs, average
    const QStringList header = rows.at(0).split(QLatin1Char(','));
    QStringList pairs;
    static const QRegularExpression quoted(QStringLiteral("\"[^\"]*\""));
    for (QString row : rows.mid(1, 2)) {
        // Quoted fields ("target test, 300 texts") are not asked for; their commas would shift the rest.
        const QStringList fields = row.replace(quoted, QString()).split(QLatin1Char(','));
        pairs.append(fields.at(0));
        for (const QString &strategy : {QStringLiteral("source-only"), QStringLiteral("freeze")})
            QCOMPARE(fields.at(header.indexOf(strategy + QStringLiteral("_n"))), QStringLiteral("1"));
    }
    std::sort(pairs.begin(), pairs.end());
    QCOMPARE(pairs, (QStringList{QStringLiteral("books -> electronics"), QStringLiteral("electronics -> books")}));

    // The same run trained here: every metric of every step equal to the cluster's.
    const auto local = runCli(QStringList{QStringLiteral("run"), m_project, QStringLiteral("--source"), QStringLiteral("books"),
                                          QStringLiteral("--target"), QStringLiteral("electronics"), QStringLiteral("--strategy"),
                                          QStringLiteral("source-only")} +
                                  trainingOptions(),
                              kTrainTimeoutMs);
    QVERIFY2(local.exitCode == 0, qPrintable(local.err));
    const QStringList localMetrics = metricsOf(m_project, 6);
    QVERIFY(localMetrics.size() > 20);
    QCOMPARE(metricsOf(m_project, 1), localMetrics);
    // The matrix's source-only books -> electronics cell is the same run again.
    QCOMPARE(metricsOf(m_project, 2), localMetrics);
    const QString freeze = runsOf(m_project).at(2).toObject().value(QLatin1String("strategy")).toString();
    QCOMPARE(freeze, QStringLiteral("freeze"));
}

void TestSlurm::cancelledJobIsShownCancelledAndResubmitted()
{
    QStringList options = trainingOptions();
    // About a minute of training here: long enough to be cancelled while it runs.
    options[options.indexOf(QStringLiteral("--epochs")) + 1] = QStringLiteral("60");
    const QString dir = m_dir.filePath(QStringLiteral("jobs/cancelled"));
    const auto run = runCli(QStringList{QStringLiteral("submit"), m_project, QStringLiteral("--slurm"), QStringLiteral("--job-dir"),
                                        dir, QStringLiteral("--source"), QStringLiteral("electronics"), QStringLiteral("--target"),
                                        QStringLiteral("books"), QStringLiteral("--strategy"), QStringLiteral("source-only"),
                                        QStringLiteral("--name"), QStringLiteral("cancelled once")} +
                            options);
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    const QString id = submittedId(run.out);
    // Cancelled once it has trained a few evaluations' worth (so that there is a checkpoint).
    const auto progressed = [&dir] {
        QFile progress(dir + QStringLiteral("/cell-0/progress.jsonl"));
        return progress.open(QIODevice::ReadOnly) && progress.readAll().contains("\"step\":8,");
    };
    QTRY_VERIFY_WITH_TIMEOUT(progressed(), 300000);
    QCOMPARE(stateOf(id), QStringLiteral("running"));
    const auto cancel = runCli({QStringLiteral("cancel"), m_project, QStringLiteral("--job"), id});
    QVERIFY2(cancel.exitCode == 0, qPrintable(cancel.err));
    QCOMPARE(waitFor(id, {QStringLiteral("cancelled")}, 120000), QStringLiteral("cancelled"));
    const auto jobs = runCli({QStringLiteral("jobs"), m_project});
    QVERIFY2(jobs.out.contains(QRegularExpression(QStringLiteral("\\n%1 +run +1 cancelled ").arg(id))), qPrintable(jobs.out));
    // Collect brings nothing of it home and says which run did not finish.
    const auto collect = runCli({QStringLiteral("collect"), m_project});
    QVERIFY2(collect.exitCode == 0, qPrintable(collect.err));
    QVERIFY2(collect.out.contains(QStringLiteral("job %1 (cancelled): 0 run(s) collected").arg(id)), qPrintable(collect.out));
    QVERIFY2(collect.out.contains(QLatin1String("not finished: cell 0 run 1")), qPrintable(collect.out));

    // Resubmitted, the run resumes from its checkpoint and finishes; collect brings it home.
    const auto again = runCli({QStringLiteral("resubmit"), m_project, QStringLiteral("--job"), id});
    QVERIFY2(again.exitCode == 0, qPrintable(again.err));
    static const QRegularExpression newId(QStringLiteral("as Slurm job (\\d+) in"));
    const QString second = newId.match(again.out).captured(1);
    QVERIFY2(!second.isEmpty(), qPrintable(again.out));
    QCOMPARE(waitFor(second, {QStringLiteral("completed"), QStringLiteral("failed")}), QStringLiteral("completed"));
    const auto home = runCli({QStringLiteral("collect"), m_project}, kTrainTimeoutMs);
    QVERIFY2(home.out.contains(QStringLiteral("job %1 (completed): 1 run(s) collected").arg(second)), qPrintable(home.out));
    bool found = false;
    for (const QJsonValue &r : runsOf(m_project)) {
        if (r.toObject().value(QLatin1String("name")).toString() == QLatin1String("cancelled once")) {
            QVERIFY(!found); // once, finished: its interrupted state was never collected
            found = true;
            QCOMPARE(r.toObject().value(QLatin1String("status")).toString(), QStringLiteral("finished"));
        }
    }
    QVERIFY(found);
    // A completed job is not resubmitted.
    const auto twice = runCli({QStringLiteral("resubmit"), m_project, QStringLiteral("--job"), second});
    QCOMPARE(twice.exitCode, 1);
    QVERIFY2(twice.err.contains(QLatin1String("completed: every run ended")), qPrintable(twice.err));
}

// A job killed by its time limit: shown timeout, resubmitted with a longer limit it resumes from
// its checkpoint, and the run collected has every metric of the same run trained here without a
// break (trained meanwhile, beside the job).
void TestSlurm::timedOutJobIsShownTimeoutAndResubmitted()
{
    QStringList options = trainingOptions();
    // About 4 minutes of training alone on an idle 2-core machine (a checkpoint every 2 steps):
    // far more than the job's 1-minute limit (Slurm checks limits every 30 s), also on a faster
    // machine (90 epochs finished within the limit on an idle one).
    options[options.indexOf(QStringLiteral("--epochs")) + 1] = QStringLiteral("300");
    const QStringList run{QStringLiteral("--source"), QStringLiteral("books"), QStringLiteral("--target"),
                          QStringLiteral("electronics"), QStringLiteral("--strategy"), QStringLiteral("source-only")};
    const QString dir = m_dir.filePath(QStringLiteral("jobs/timeout"));
    const auto submitted = runCli(QStringList{QStringLiteral("submit"), m_project, QStringLiteral("--slurm"), QStringLiteral("--time"),
                                              QStringLiteral("00:01:00"), QStringLiteral("--job-dir"), dir, QStringLiteral("--name"),
                                              QStringLiteral("timed out once")} +
                                  run + options);
    QVERIFY2(submitted.exitCode == 0, qPrintable(submitted.err));
    const QString id = submittedId(submitted.out);
    QProcess local;
    local.start(QStringLiteral(TS_CLI_PATH), QStringList{QStringLiteral("run"), m_project, QStringLiteral("--name"),
                                                         QStringLiteral("never stopped")} +
                                                 run + options);

    QCOMPARE(waitFor(id, {QStringLiteral("timeout"), QStringLiteral("completed"), QStringLiteral("failed")}, 300000),
             QStringLiteral("timeout"));
    const auto jobs = runCli({QStringLiteral("jobs"), m_project});
    QVERIFY2(jobs.out.contains(QRegularExpression(QStringLiteral("\\n%1 +run +1 timeout ").arg(id))), qPrintable(jobs.out));
    const auto collect = runCli({QStringLiteral("collect"), m_project});
    QVERIFY2(collect.out.contains(QStringLiteral("job %1 (timeout): 0 run(s) collected").arg(id)), qPrintable(collect.out));
    const auto bad = runCli({QStringLiteral("resubmit"), m_project, QStringLiteral("--job"), id, QStringLiteral("--time"),
                             QStringLiteral("1h")});
    QCOMPARE(bad.exitCode, 2);
    QVERIFY2(bad.err.contains(QLatin1String("--time '1h'")), qPrintable(bad.err));

    const auto again = runCli({QStringLiteral("resubmit"), m_project, QStringLiteral("--job"), id, QStringLiteral("--time"),
                               QStringLiteral("00:10:00")});
    QVERIFY2(again.exitCode == 0, qPrintable(again.err));
    static const QRegularExpression newId(QStringLiteral("as Slurm job (\\d+) in"));
    const QString second = newId.match(again.out).captured(1);
    QVERIFY2(!second.isEmpty(), qPrintable(again.out));
    QCOMPARE(waitFor(second, {QStringLiteral("completed"), QStringLiteral("failed"), QStringLiteral("timeout")}),
             QStringLiteral("completed"));
    QFile output(dir + QStringLiteral("/slurm-%1.out").arg(second));
    QVERIFY2(output.open(QIODevice::ReadOnly), qPrintable(output.fileName()));
    const QByteArray log = output.readAll();
    QVERIFY2(log.contains("resuming from the checkpoint at step"), log.right(2000).constData());
    // A merge waits for no live run of the project: the local run ends first.
    QVERIFY(local.waitForFinished(kTrainTimeoutMs));
    QVERIFY2(local.exitCode() == 0, local.readAllStandardError().constData());
    const auto home = runCli({QStringLiteral("collect"), m_project}, kTrainTimeoutMs);
    QVERIFY2(home.out.contains(QStringLiteral("job %1 (completed): 1 run(s) collected").arg(second)), qPrintable(home.out));
    qint64 resumed = 0;
    qint64 uninterrupted = 0;
    for (const QJsonValue &r : runsOf(m_project)) {
        const QString name = r.toObject().value(QLatin1String("name")).toString();
        if (name == QLatin1String("timed out once"))
            resumed = r.toObject().value(QLatin1String("id")).toInteger();
        else if (name == QLatin1String("never stopped"))
            uninterrupted = r.toObject().value(QLatin1String("id")).toInteger();
    }
    QVERIFY(resumed > 0 && uninterrupted > 0);
    const QStringList expected = metricsOf(m_project, uninterrupted);
    QVERIFY(expected.size() > 100);
    QCOMPARE(metricsOf(m_project, resumed), expected);
}

// Data-parallel: 2 ranks (Slurm tasks) on the one node, each `resume` under TS_DIST_* set by the
// job script from Slurm's variables.
void TestSlurm::dataParallelRunOfTwoTasks()
{
    const QString jobDir = m_dir.filePath(QStringLiteral("jobs/two-ranks"));
    const auto run = runCli(QStringList{QStringLiteral("submit"), m_project, QStringLiteral("--slurm"), QStringLiteral("--job-dir"),
                                        jobDir, QStringLiteral("--ranks-per-node"), QStringLiteral("2"), QStringLiteral("--source"),
                                        QStringLiteral("books"), QStringLiteral("--target"), QStringLiteral("electronics"),
                                        QStringLiteral("--strategy"), QStringLiteral("source-only"), QStringLiteral("--name"),
                                        QStringLiteral("two ranks")} +
                            trainingOptions());
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    QVERIFY2(run.out.contains(QLatin1String("1 run(s) of 2 rank(s) each")), qPrintable(run.out));
    const QString id = submittedId(run.out);
    QCOMPARE(waitFor(id, {QStringLiteral("completed"), QStringLiteral("failed")}), QStringLiteral("completed"));
    // Rank 0 says it trained as one of two ranks (its stderr goes to Slurm's output file).
    QFile output(jobDir + QStringLiteral("/slurm-%1.out").arg(id));
    QVERIFY2(output.open(QIODevice::ReadOnly), qPrintable(output.fileName()));
    const QByteArray log = output.readAll();
    QVERIFY2(log.contains("data-parallel: rank 0 of 2"), log.right(2000).constData());
    const auto collect = runCli({QStringLiteral("collect"), m_project}, kTrainTimeoutMs);
    QVERIFY2(collect.out.contains(QStringLiteral("job %1 (completed): 1 run(s) collected").arg(id)), qPrintable(collect.out));
    bool found = false;
    for (const QJsonValue &r : runsOf(m_project)) {
        if (r.toObject().value(QLatin1String("name")).toString() != QLatin1String("two ranks"))
            continue;
        found = true;
        QCOMPARE(r.toObject().value(QLatin1String("status")).toString(), QStringLiteral("finished"));
    }
    QVERIFY(found);
}

// A job that ended while nobody asked and that slurmctld then forgot (as it does after MinJobAge):
// squeue no longer knows it, the cluster has no accounting database (plain sacct fails), and `jobs`
// finds its state in the job-completion log with `sacct -c`.
void TestSlurm::forgottenJobIsFoundInTheCompletionLog()
{
    const QString dir = m_dir.filePath(QStringLiteral("jobs/forgotten"));
    const auto run = runCli(QStringList{QStringLiteral("submit"), m_project, QStringLiteral("--slurm"), QStringLiteral("--job-dir"),
                                        dir, QStringLiteral("--source"), QStringLiteral("electronics"), QStringLiteral("--target"),
                                        QStringLiteral("books"), QStringLiteral("--strategy"), QStringLiteral("source-only"),
                                        QStringLiteral("--name"), QStringLiteral("forgotten")} +
                            trainingOptions());
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    const QString id = submittedId(run.out);
    QTRY_COMPARE_WITH_TIMEOUT(squeueState(id), QStringLiteral("COMPLETED"), kJobTimeoutMs);
    QString error;
    QVERIFY2(m_cluster->forgetJobs(&error), qPrintable(error));
    QCOMPARE(squeueState(id), QString());
    QCOMPARE(stateOf(id), QStringLiteral("completed"));
    const auto collect = runCli({QStringLiteral("collect"), m_project}, kTrainTimeoutMs);
    QVERIFY2(collect.out.contains(QStringLiteral("job %1 (completed): 1 run(s) collected").arg(id)), qPrintable(collect.out));
}

QTEST_GUILESS_MAIN(TestSlurm)
#include "tst_slurm.moc"
