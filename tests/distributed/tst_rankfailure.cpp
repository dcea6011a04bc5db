// A data-parallel run whose rank 1 is killed mid-run (SIGKILL) fails cleanly: rank 0 notices at
// its next collective, marks the run failed and exits 1 well within the collective timeout (no
// hang); the run then resumes from its last checkpoint as one process and finishes, with each
// metric recorded once.
#include "DistributedFixture.h"

#include "CliRunner.h"
#include "distributed/DistributedContext.h"
#include "transfer/TransferRunner.h"

#include <QElapsedTimer>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace ts;
using test::runCli;

namespace {

constexpr int kTimeoutSeconds = 30;   // of the ranks' collectives
constexpr int kKillAfterSteps = 6;    // rank 1 dies once rank 0 recorded this many steps
constexpr int kStartTimeoutMs = 120000;
constexpr int kPollMs = 100;

int freePort()
{
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof(address);
    ::bind(fd, reinterpret_cast<sockaddr *>(&address), sizeof(address));
    ::getsockname(fd, reinterpret_cast<sockaddr *>(&address), &length);
    ::close(fd);
    return ntohs(address.sin_port);
}

QString stepsSql(qint64 runId)
{
    return QStringLiteral("SELECT COUNT(*) FROM metrics WHERE run_id = %1 AND split = 'train' AND metric = 'loss'").arg(runId);
}

} // namespace

class TestRankFailure : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void killedRankFailsTheRunAndItResumes();
};

void TestRankFailure::killedRankFailsTheRunAndItResumes()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("kill.tstudio"));
    const QString error = test::createSampleProject(path);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    qint64 runId = 0;
    {
        auto project = Project::open(path);
        QVERIFY(project.ok());
        RunRequest request;
        request.sourceCorpus = QStringLiteral("books");
        request.targetCorpus = QStringLiteral("electronics");
        request.model = QStringLiteral("tiny");
        TrainingConfig &c = request.config;
        c.strategy = QStringLiteral("source-only");
        c.device = QStringLiteral("cpu");
        c.epochs = 2;
        c.learningRate = 1e-3;
        c.batchSize = 16;
        c.maxLength = 32;
        c.maxTrainExamples = 192; // 12 steps per epoch
        c.maxEvalExamples = 16;
        c.evalEvery = 4;          // a checkpoint every 4 steps
        const auto id = TransferRunner::createRun(project.value()->database(), request);
        QVERIFY2(id.ok(), qPrintable(id.error()));
        runId = id.value();
    }

    DistributedContext context;
    context.worldSize = 2;
    context.masterPort = freePort();
    context.timeoutSeconds = kTimeoutSeconds;
    QProcess ranks[2];
    for (int rank = 0; rank < 2; ++rank) {
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        context.rank = rank;
        context.writeTo(environment);
        environment.insert(QStringLiteral("OMP_NUM_THREADS"), QStringLiteral("1"));
        ranks[rank].setProcessEnvironment(environment);
        ranks[rank].start(QStringLiteral(TS_CLI_PATH),
                          {QStringLiteral("resume"), path, QStringLiteral("--run"), QString::number(runId)});
        QVERIFY(ranks[rank].waitForStarted());
    }
    QElapsedTimer timer;
    timer.start();
    while (test::countOf(path, stepsSql(runId)) < kKillAfterSteps && timer.elapsed() < kStartTimeoutMs &&
           ranks[0].state() == QProcess::Running)
        QThread::msleep(kPollMs);
    QVERIFY2(test::countOf(path, stepsSql(runId)) >= kKillAfterSteps,
             qPrintable(QString::fromUtf8(ranks[0].readAllStandardError())));
    ranks[1].kill();
    QVERIFY(ranks[1].waitForFinished());
    QElapsedTimer failing;
    failing.start();
    QVERIFY2(ranks[0].waitForFinished(kTimeoutSeconds * 1000 + 15000), "rank 0 hung after rank 1 died");
    qInfo("rank 0 ended %lld ms after rank 1 was killed", failing.elapsed());
    const QString err = QString::fromUtf8(ranks[0].readAllStandardError());
    QCOMPARE(ranks[0].exitCode(), 1);
    QVERIFY2(err.contains(QLatin1String("rank 0 of 2")), qPrintable(err.right(2000)));
    QCOMPARE(test::statusOf(path, runId), RunRecord::Status::Failed);
    const qint64 stepsBefore = test::countOf(path, stepsSql(runId));
    QVERIFY(stepsBefore < 24);

    // One process continues it from the last checkpoint (every 4 steps) to the end.
    const auto resumed = runCli({QStringLiteral("resume"), path, QStringLiteral("--run"), QString::number(runId)},
                                kStartTimeoutMs * 2);
    QVERIFY2(resumed.exitCode == 0, qPrintable(resumed.err.right(2000)));
    QVERIFY2(resumed.err.contains(QLatin1String("resuming from the checkpoint at step")), qPrintable(resumed.err.right(2000)));
    QCOMPARE(test::statusOf(path, runId), RunRecord::Status::Finished);
    QCOMPARE(test::countOf(path, stepsSql(runId)), 24);
    QCOMPARE(test::repeatedMetrics(path, runId), 0);
    QCOMPARE(test::repeatedEvaluations(path, runId), 0);
}

QTEST_GUILESS_MAIN(TestRankFailure)
#include "tst_rankfailure.moc"
