// Cancel and pause across threads: a worker loop that calls proceed() once per "batch".
#include "train/RunControl.h"

#include <QElapsedTimer>
#include <QTest>
#include <QThread>

#include <atomic>

using namespace ts;

class TestRunControl : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void proceedsByDefault();
    void cancelStopsWorker();
    void pauseHoldsThenResumes();
    void cancelWhilePaused();
};

void TestRunControl::proceedsByDefault()
{
    RunControl control;
    QVERIFY(control.proceed());
    QVERIFY(!control.isCancelRequested());
}

void TestRunControl::cancelStopsWorker()
{
    RunControl control;
    std::atomic<int> batches{0};
    QThread *worker = QThread::create([&] {
        while (control.proceed()) {
            ++batches;
            QThread::msleep(1);
        }
    });
    worker->start();
    QTRY_VERIFY(batches.load() > 5);
    control.requestCancel();
    QVERIFY(worker->wait(5000));
    delete worker;
    const int stoppedAt = batches.load();
    QThread::msleep(20);
    QCOMPARE(batches.load(), stoppedAt);
}

void TestRunControl::pauseHoldsThenResumes()
{
    RunControl control;
    std::atomic<int> batches{0};
    std::atomic<bool> done{false};
    QThread *worker = QThread::create([&] {
        while (!done.load() && control.proceed()) {
            ++batches;
            QThread::msleep(1);
        }
    });
    worker->start();
    QTRY_VERIFY(batches.load() > 3);
    control.requestPause();
    QThread::msleep(30);
    const int held = batches.load();
    QThread::msleep(100);
    QVERIFY2(batches.load() <= held + 1, "the worker kept going while paused");
    QVERIFY(control.isPaused());
    control.resume();
    QTRY_VERIFY(batches.load() > held + 3);
    done = true;
    QVERIFY(worker->wait(5000));
    delete worker;
}

void TestRunControl::cancelWhilePaused()
{
    RunControl control;
    control.requestPause();
    std::atomic<bool> result{true};
    QThread *worker = QThread::create([&] { result = control.proceed(); });
    worker->start();
    QThread::msleep(20);
    QVERIFY(worker->isRunning());
    QElapsedTimer timer;
    timer.start();
    control.requestCancel(); // no wake-up: as from a signal handler
    QVERIFY(worker->wait(5000));
    delete worker;
    QVERIFY(!result.load());
    QVERIFY(timer.elapsed() < 2000);
}

QTEST_GUILESS_MAIN(TestRunControl)
#include "tst_runcontrol.moc"
