// The run queue: runs execute one at a time on a worker thread (never the caller's), progress
// and metrics arrive as queued signals, cancel and pause act within one batch.
//
// The executor here is a scripted loop of "batches" that honours RunControl exactly as the
// trainer does; the real trainer is exercised by the engine's own tests.
#include "jobs/RunQueue.h"
#include "train/RunControl.h"

#include <QSignalSpy>
#include <QTest>
#include <QThread>

#include <atomic>

using namespace ts;

namespace {

struct ScriptedExecutor
{
    int batches = 50;
    int batchMs = 2;
    std::shared_ptr<std::atomic<Qt::HANDLE>> thread = std::make_shared<std::atomic<Qt::HANDLE>>(nullptr);

    Status operator()(const QString &, qint64 runId, const TrainingCallbacks &callbacks) const
    {
        thread->store(QThread::currentThreadId());
        for (int step = 1; step <= batches; ++step) {
            if (callbacks.control && !callbacks.control->proceed())
                return Status::failure(QStringLiteral("cancelled"));
            QThread::msleep(batchMs);
            TrainingProgress p;
            p.runId = runId;
            p.step = step;
            p.totalSteps = batches;
            callbacks.progress(p);
            callbacks.metrics({{runId, step, 0, QStringLiteral("train"), QStringLiteral("loss"), 1.0 / step, 0}});
        }
        return {};
    }
};

} // namespace

class TestRunQueue : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void runsOnWorkerThreadInOrder();
    void progressIsThrottledButEndsAtLastStep();
    void cancelRunningRun();
    void cancelQueuedRun();
    void pauseAndResume();
    void exceptionBecomesError();
};

void TestRunQueue::runsOnWorkerThreadInOrder()
{
    ScriptedExecutor executor;
    executor.batches = 5;
    RunQueue queue(QStringLiteral("unused.tstudio"), executor);
    QSignalSpy started(&queue, &RunQueue::runStarted);
    QSignalSpy ended(&queue, &RunQueue::runEnded);
    QSignalSpy metrics(&queue, &RunQueue::metricsAdded);
    QSignalSpy idle(&queue, &RunQueue::idle);
    queue.enqueue(1);
    queue.enqueue(2);
    queue.enqueue(2); // already queued: ignored
    QCOMPARE(queue.currentRun(), 1);
    QCOMPARE(queue.pendingRuns(), QList<qint64>{2});
    QTRY_COMPARE(idle.count(), 1);
    QCOMPARE(started.count(), 2);
    QCOMPARE(ended.count(), 2);
    QCOMPARE(ended.at(0).at(0).toLongLong(), 1);
    QCOMPARE(ended.at(1).at(0).toLongLong(), 2);
    QVERIFY(ended.at(0).at(1).toBool());
    QCOMPARE(metrics.count(), 10);
    QVERIFY(executor.thread->load() != QThread::currentThreadId());
    QCOMPARE(queue.currentRun(), 0);
}

void TestRunQueue::progressIsThrottledButEndsAtLastStep()
{
    ScriptedExecutor executor;
    executor.batches = 200;
    executor.batchMs = 1;
    RunQueue queue(QStringLiteral("unused.tstudio"), executor);
    QSignalSpy progress(&queue, &RunQueue::progress);
    QSignalSpy idle(&queue, &RunQueue::idle);
    queue.enqueue(3);
    QTRY_COMPARE_WITH_TIMEOUT(idle.count(), 1, 10000);
    QVERIFY2(progress.count() < 100, qPrintable(QString::number(progress.count())));
    QCOMPARE(progress.last().first().value<TrainingProgress>().step, 200);
}

void TestRunQueue::cancelRunningRun()
{
    ScriptedExecutor executor;
    executor.batches = 100000;
    RunQueue queue(QStringLiteral("unused.tstudio"), executor);
    QSignalSpy metrics(&queue, &RunQueue::metricsAdded);
    QSignalSpy ended(&queue, &RunQueue::runEnded);
    queue.enqueue(4);
    QTRY_VERIFY(metrics.count() > 3);
    queue.cancel(4);
    QTRY_COMPARE(ended.count(), 1);
    QVERIFY(!ended.first().at(1).toBool());
    QCOMPARE(ended.first().at(2).toString(), QStringLiteral("cancelled"));
}

void TestRunQueue::cancelQueuedRun()
{
    ScriptedExecutor executor;
    executor.batches = 20;
    RunQueue queue(QStringLiteral("unused.tstudio"), executor);
    QSignalSpy dequeued(&queue, &RunQueue::runDequeued);
    QSignalSpy started(&queue, &RunQueue::runStarted);
    QSignalSpy idle(&queue, &RunQueue::idle);
    queue.enqueue(5);
    queue.enqueue(6);
    queue.cancel(6);
    QCOMPARE(dequeued.count(), 1);
    QTRY_COMPARE(idle.count(), 1);
    QCOMPARE(started.count(), 1);
}

void TestRunQueue::pauseAndResume()
{
    ScriptedExecutor executor;
    executor.batches = 100000;
    RunQueue queue(QStringLiteral("unused.tstudio"), executor);
    QSignalSpy metrics(&queue, &RunQueue::metricsAdded);
    QSignalSpy ended(&queue, &RunQueue::runEnded);
    queue.enqueue(7);
    QTRY_VERIFY(metrics.count() > 3);
    queue.pause(7);
    QVERIFY(queue.isPaused());
    QTest::qWait(50);
    const int held = metrics.count();
    QTest::qWait(100);
    QVERIFY(metrics.count() <= held + 1);
    queue.resume(7);
    QTRY_VERIFY(metrics.count() > held + 3);
    queue.cancel(7);
    QTRY_COMPARE(ended.count(), 1);
}

void TestRunQueue::exceptionBecomesError()
{
    RunQueue queue(QStringLiteral("unused.tstudio"), [](const QString &, qint64, const TrainingCallbacks &) -> Status {
        throw std::runtime_error("boom");
    });
    QSignalSpy ended(&queue, &RunQueue::runEnded);
    queue.enqueue(8);
    QTRY_COMPARE(ended.count(), 1);
    QVERIFY(!ended.first().at(1).toBool());
    QVERIFY(ended.first().at(2).toString().contains(QLatin1String("boom")));
}

QTEST_GUILESS_MAIN(TestRunQueue)
#include "tst_runqueue.moc"
