// SIGKILL of the workbench's own process while it trains a run: the test starts itself again as a
// child (kChildVariable names the project) that opens the project in a MainWindow and starts a run
// through the window's RunController, exactly as New Experiment does, and kills it after a delay
// drawn from a fixed-seed generator that the test prints; until kKills kills have landed while the
// run was training (TS_CRASH_KILLS sets how many: the on-demand 100-kill mode). After each kill: the
// project opens with a clean integrity check, every metric row a reader saw just before the kill is
// still there, and `resume` continues the run to exactly the metrics of an uninterrupted run of the
// same window (one thread, fixed seeds: see tests/slow/tst_crashtraining.cpp for why "exactly").
#include "CliRunner.h"
#include "CrashTrial.h"

#include "main/MainWindow.h"
#include "runs/ExperimentPlan.h"
#include "runs/RunController.h"

#include <QApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcessEnvironment>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

#include <cstdio>

using namespace ts;
using test::runCli;

namespace {

constexpr const char *kChildVariable = "TS_CRASH_GUI_PROJECT";
constexpr int kKills = 3;
constexpr quint32 kDefaultSeed = 20241207;
constexpr int kTimeoutMs = 600000;

const QString kMetrics = QStringLiteral("SELECT id, run_id, step, split, metric, value FROM metrics ORDER BY id");
const QString kDistinctMetrics =
    QStringLiteral("SELECT DISTINCT step, split, metric, value FROM metrics WHERE run_id = 1 ORDER BY 1, 2, 3, 4");

/// What the child's window trains: 24 optimiser steps with an evaluation and a checkpoint every 2.
RunRequest request()
{
    RunRequest r;
    r.sourceCorpus = QStringLiteral("books");
    r.targetCorpus = QStringLiteral("phones");
    r.model = QStringLiteral("tiny-encoder");
    r.config.strategy = QStringLiteral("source-only");
    r.config.epochs = 3;
    r.config.learningRate = 0.001;
    r.config.maxTrainExamples = 64;
    r.config.maxEvalExamples = 32;
    r.config.maxLength = 32;
    r.config.batchSize = 8;
    r.config.evalEvery = 2;
    r.config.cpuThreads = 1;
    return r;
}

/// The child: a MainWindow that opens `project`, starts request() and quits when it has nothing
/// left to train. Exit code 0 when the run was started.
int trainInMainWindow(QApplication &app, const QString &project)
{
    ui::MainWindow window;
    window.show();
    if (!window.openProject(project))
        return 3;
    auto *runs = window.findChild<ui::RunController *>();
    if (!runs)
        return 4;
    QObject::connect(runs, &ui::RunController::idle, &app, &QCoreApplication::quit);
    ui::ExperimentPlan plan;
    plan.request = request();
    const auto started = runs->start(plan);
    if (!started) {
        std::fprintf(stderr, "error: %s\n", qUtf8Printable(started.error()));
        return 5;
    }
    return app.exec();
}

/// Starts the child on `project` and kills it after `delayMs` (see test::runAndKill).
test::KillOutcome runWindowAndKill(const QString &project, int delayMs, const std::function<void()> &beforeKill)
{
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QLatin1String(kChildVariable), project);
    environment.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    return test::runAndKill({}, delayMs, beforeKill, QCoreApplication::applicationFilePath(), environment);
}

QJsonArray runsOf(const QString &project)
{
    return QJsonDocument::fromJson(runCli({QStringLiteral("runs"), project, QStringLiteral("--json")}).out.toUtf8()).array();
}

QByteArray reviews(const char *noun, const char *good, const char *bad)
{
    QByteArray text;
    for (int i = 0; i < 120; ++i)
        text += (i % 2 ? QByteArray("pos\tthe ") + noun + " was " + good : QByteArray("neg\tthe ") + noun + " was " + bad)
            + ' ' + QByteArray::number(i) + '\n';
    return text;
}

} // namespace

class TestCrashGui : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void killedWindowRunsResumeToTheSameMetrics();

private:
    QTemporaryDir m_dir;
    QString m_base;                 // corpora "books" and "phones" and the model "tiny-encoder"
    QStringList m_referenceMetrics; // distinct metric rows of the window's uninterrupted run
    QJsonObject m_referenceFinal;   // its final metrics as `runs --json` prints them
    qint64 m_runMs = 0;
};

void TestCrashGui::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_base = m_dir.filePath(QStringLiteral("base.tstudio"));
    QCOMPARE(runCli({QStringLiteral("create"), m_base}).exitCode, 0);
    const struct
    {
        const char *name;
        QByteArray text;
    } corpora[] = {{"books", reviews("novel", "gripping and lovely", "dull and weak")},
                   {"phones", reviews("phone", "fast and solid", "broken and poor")}};
    for (const auto &c : corpora) {
        const QString file = m_dir.filePath(QLatin1String(c.name) + QStringLiteral(".tsv"));
        QFile out(file);
        QVERIFY(out.open(QIODevice::WriteOnly) && out.write(c.text) == c.text.size());
        out.close();
        const auto imported = runCli({QStringLiteral("import"), m_base, QStringLiteral("--corpus"), QLatin1String(c.name),
                                      QStringLiteral("--file"), file, QStringLiteral("--no-header"),
                                      QStringLiteral("--label-column"), QStringLiteral("0"),
                                      QStringLiteral("--text-column"), QStringLiteral("1")});
        QVERIFY2(imported.exitCode == 0, qPrintable(imported.err));
    }
    const auto model = runCli({QStringLiteral("add-model"), m_base, QStringLiteral("--builtin"), QStringLiteral("tiny-encoder")},
                              kTimeoutMs);
    QVERIFY2(model.exitCode == 0, qPrintable(model.err));

    const QString reference = m_dir.filePath(QStringLiteral("reference.tstudio"));
    QVERIFY(test::copyProject(m_base, reference));
    QElapsedTimer timer;
    timer.start();
    const test::KillOutcome whole = runWindowAndKill(reference, kTimeoutMs, [] {});
    m_runMs = timer.elapsed();
    QVERIFY2(!whole.killed && whole.exitCode == 0, qPrintable(whole.err));
    const QJsonArray runs = runsOf(reference);
    QCOMPARE(runs.size(), qsizetype(1));
    QCOMPARE(runs.at(0).toObject().value(QLatin1String("status")).toString(), QStringLiteral("finished"));
    m_referenceMetrics = test::readRows(reference, kDistinctMetrics);
    QVERIFY(m_referenceMetrics.size() > 50);
    m_referenceFinal = runs.at(0).toObject().value(QLatin1String("metrics")).toObject();
    QVERIFY(m_referenceFinal.contains(QLatin1String("target/test")));
    qInfo("the window's uninterrupted run takes %lld ms, start-up included", m_runMs);
}

void TestCrashGui::killedWindowRunsResumeToTheSameMetrics()
{
    const quint32 seed = test::crashSeed(kDefaultSeed);
    qInfo("kill delays drawn with seed %u (set TS_CRASH_SEED to replay)", seed);
    QRandomGenerator delays(seed);
    const int kills = test::crashKills(kKills);
    qint64 runMs = m_runMs;
    int interrupted = 0;
    int fromCheckpoint = 0;
    int trial = 0;
    for (; interrupted < kills && trial < 4 * kills; ++trial) {
        const QString project = m_dir.filePath(QStringLiteral("trial.tstudio"));
        QVERIFY(test::copyProject(m_base, project));
        const int delayMs = int(delays.bounded(int(runMs) + 1));
        QStringList seen; // metric rows committed just before the kill
        QElapsedTimer timer;
        timer.start();
        const test::KillOutcome outcome = runWindowAndKill(project, delayMs, [&] { seen = test::readRows(project, kMetrics); });
        const QString context = QStringLiteral("trial %1, killed after %2 ms").arg(trial).arg(delayMs);
        if (!outcome.killed) {
            QVERIFY2(outcome.exitCode == 0, qPrintable(context + QStringLiteral(": ") + outcome.err));
            // The reference may have run on a busier machine: later delays stay within a whole run.
            runMs = qMin(runMs, timer.elapsed());
        }

        QVERIFY2(test::openAndCheck(project) == QLatin1String("ok"), qPrintable(context));
        const QStringList afterRows = test::readRows(project, kMetrics);
        const QSet<QString> after(afterRows.begin(), afterRows.end());
        for (const QString &row : std::as_const(seen))
            QVERIFY2(after.contains(row), qPrintable(context + QStringLiteral(": lost metric row ") + row));

        const QJsonArray runs = runsOf(project);
        if (runs.isEmpty()) {
            QVERIFY2(after.isEmpty(), qPrintable(context)); // killed before the run was recorded
            continue;
        }
        QCOMPARE(runs.size(), qsizetype(1));
        const QString status = runs.at(0).toObject().value(QLatin1String("status")).toString();
        if (outcome.killed && status != QLatin1String("queued") && status != QLatin1String("finished")) {
            QVERIFY2(status == QLatin1String("interrupted"), qPrintable(context + QStringLiteral(": ") + status));
            ++interrupted;
        }
        if (status != QLatin1String("finished")) {
            const auto resumed = runCli({QStringLiteral("resume"), project, QStringLiteral("--run"), QStringLiteral("1")},
                                        kTimeoutMs);
            QVERIFY2(resumed.exitCode == 0, qPrintable(context + QStringLiteral(": ") + resumed.err));
            if (resumed.err.contains(QLatin1String("resuming from the checkpoint")))
                ++fromCheckpoint;
        }
        const QJsonObject finished = runsOf(project).at(0).toObject();
        QCOMPARE(finished.value(QLatin1String("status")).toString(), QStringLiteral("finished"));
        QVERIFY2(finished.value(QLatin1String("metrics")).toObject() == m_referenceFinal, qPrintable(context));
        QVERIFY2(test::readRows(project, kDistinctMetrics) == m_referenceMetrics, qPrintable(context));
    }
    qInfo("%d of %d window runs were killed while training; %d resumed from a checkpoint", interrupted, trial,
          fromCheckpoint);
    QVERIFY2(interrupted >= kills, qPrintable(QStringLiteral("%1 of %2").arg(interrupted).arg(trial)));
}

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    if (qEnvironmentVariableIsSet(kChildVariable))
        return trainInMainWindow(app, qEnvironmentVariable(kChildVariable));
    TestCrashGui test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}

#include "tst_crashgui.moc"
