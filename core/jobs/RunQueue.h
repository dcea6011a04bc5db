#pragma once

#include "jobs/RunExecutor.h"
#include "project/MetricPoint.h"
#include "train/TrainingProgress.h"

#include <QList>
#include <QObject>

#include <memory>

class QThread;

namespace ts {

class RunControl;
class RunWorker;

/// Runs of one project on one device, executed one at a time on a worker thread, never on the
/// caller's (GUI) thread. Lives on the thread that created it; all its functions are called
/// there, and its signals arrive there.
class RunQueue : public QObject
{
    Q_OBJECT

public:
    RunQueue(const QString &projectPath, RunExecutor executor, QObject *parent = nullptr);
    /// Cancels the current run, waits for the worker to stop (within one batch).
    ~RunQueue() override;

    /// Queues `runId` (a run already recorded in the project); starts it when idle.
    void enqueue(qint64 runId);
    /// Removes a queued run, or asks the running one to stop after its current batch.
    void cancel(qint64 runId);
    void pause(qint64 runId);
    void resume(qint64 runId);

    /// The run being executed, 0 when idle.
    qint64 currentRun() const { return m_current; }
    QList<qint64> pendingRuns() const { return m_pending; }
    bool isPaused() const;

Q_SIGNALS:
    void runStarted(qint64 runId);
    void progress(const ts::TrainingProgress &progress);
    void metricsAdded(const ts::MetricPoints &points);
    void logLine(qint64 runId, const QString &line);
    /// `ok` false: `error` says why (also for a cancelled run: "cancelled").
    void runEnded(qint64 runId, bool ok, const QString &error);
    /// A queued run was removed before it started.
    void runDequeued(qint64 runId);
    void idle();

private:
    void startNext();
    void onWorkerFinished(qint64 runId, bool ok, const QString &error);

    QThread *m_thread = nullptr;
    RunWorker *m_worker = nullptr;
    QList<qint64> m_pending;
    qint64 m_current = 0;
    std::shared_ptr<RunControl> m_control;
};

} // namespace ts
