// SIGKILL of the workbench's own process while it trains a run: the test starts itself again as a
// child (kChildVariable names the project) that opens the project in a MainWindow and starts a run
// through the window's RunController, exactly as New Experiment does, and kills it after a delay
// drawn from a fixed-seed generator that the test prints; until kKills kills have landed while the
// run was training (TS_CRASH_KILLS sets how many: the on-demand 100-kill mode). After each kill: the
// project opens with a clean integrity check, every metric row a reader saw just before the kill is
// still there, and `resume` continues the run to exactly the metrics of an uninterrupted run of the
// same window (one thread, fixed seeds: see tests/slow/tst_crashtraining.cpp for why "exactly").
#include "CliProject.h"
#include "CliRunner.h"
#include "CrashTrial.h"
#include "KillTrials.h"
#include "KilledTraining.h"

#include "main/MainWindow.h"
#include "runs/ExperimentPlan.h"
#include "runs/RunController.h"

#include <QApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonObject>
#include <QProcessEnvironment>
#include <QTemporaryDir>
#include <QTest>

#include <cstdio>

using namespace ts;

namespace {

constexpr const char *kChildVariable = "TS_CRASH_GUI_PROJECT";
constexpr int kKills = 3;
constexpr quint32 kDefaultSeed = 20241207;
constexpr int kTimeoutMs = 600000;

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
    test::TrainingReference m_reference; // of the window's uninterrupted run
    qint64 m_runMs = 0;
};

void TestCrashGui::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_base = m_dir.filePath(QStringLiteral("base.tstudio"));
    const QString failed =
        test::createTrainingProject(m_base, {{QStringLiteral("books"), reviews("novel", "gripping and lovely", "dull and weak")},
                                             {QStringLiteral("phones"), reviews("phone", "fast and solid", "broken and poor")}});
    QVERIFY2(failed.isEmpty(), qPrintable(failed));

    const QString reference = m_dir.filePath(QStringLiteral("reference.tstudio"));
    QVERIFY(test::copyProject(m_base, reference));
    QElapsedTimer timer;
    timer.start();
    const test::KillOutcome whole = runWindowAndKill(reference, kTimeoutMs, [] {});
    m_runMs = timer.elapsed();
    QVERIFY2(!whole.killed && whole.exitCode == 0, qPrintable(whole.err));
    const QJsonArray runs = test::runsOf(reference);
    QCOMPARE(runs.size(), qsizetype(1));
    QCOMPARE(runs.at(0).toObject().value(QLatin1String("status")).toString(), QStringLiteral("finished"));
    m_reference.distinctMetrics = test::readRows(reference, test::kDistinctMetricRows);
    QVERIFY(m_reference.distinctMetrics.size() > 50);
    m_reference.finalMetrics = runs.at(0).toObject().value(QLatin1String("metrics")).toObject();
    QVERIFY(m_reference.finalMetrics.contains(QLatin1String("target/test")));
    qInfo("the window's uninterrupted run takes %lld ms, start-up included", m_runMs);
}

void TestCrashGui::killedWindowRunsResumeToTheSameMetrics()
{
    test::KillTrials trials(kDefaultSeed, kKills);
    test::KilledTrainingTally tally;
    qint64 runMs = m_runMs;
    int trial = 0;
    for (; trials.goOn(tally.interrupted, trial); ++trial) {
        const QString project = m_dir.filePath(QStringLiteral("trial.tstudio"));
        QVERIFY(test::copyProject(m_base, project));
        const int delayMs = trials.nextDelayMs(runMs);
        QStringList seen; // metric rows committed just before the kill
        QElapsedTimer timer;
        timer.start();
        const test::KillOutcome outcome =
            runWindowAndKill(project, delayMs, [&] { seen = test::readRows(project, test::kMetricRows); });
        const QString context = QStringLiteral("trial %1, killed after %2 ms").arg(trial).arg(delayMs);
        if (!outcome.killed) {
            QVERIFY2(outcome.exitCode == 0, qPrintable(context + QStringLiteral(": ") + outcome.err));
            // The reference may have run on a busier machine: later delays stay within a whole run.
            runMs = qMin(runMs, timer.elapsed());
        }
        test::checkKilledTraining(project, outcome, seen, context, m_reference, tally);
        if (QTest::currentTestFailed())
            return;
    }
    qInfo("%d of %d window runs were killed while training; %d resumed from a checkpoint", tally.interrupted, trial,
          tally.fromCheckpoint);
    QVERIFY2(tally.interrupted >= trials.kills(),
             qPrintable(QStringLiteral("%1 of %2").arg(tally.interrupted).arg(trial)));
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
