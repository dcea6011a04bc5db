#pragma once

#include "project/MetricPoint.h"
#include "project/RunRecord.h"
#include "runs/ExperimentPlan.h"
#include "train/TrainingProgress.h"
#include "util/Result.h"

#include <QHash>
#include <QObject>
#include <QPointer>

#include <memory>

class QTimer;

namespace ts {
struct BenchmarkPlan;
class Project;
class RunQueue;
} // namespace ts

namespace ts::ui {

class RunMonitor;

/// Runs of the open project, on the GUI thread: records them (TransferRunner::createRun /
/// createGroup on the project's connection), executes them one at a time on a RunQueue's worker
/// thread (TransferRunner::execute), and keeps the attached RunMonitor tabs up to date.
///
/// Runs this process executes feed their monitors from the queue's signals; runs that another
/// process (the CLI) executes are read back from the project file every second; runs that
/// other process adds, and the state changes of its queued or running runs, are noticed every
/// two seconds. The GUI thread only reads: it never waits
/// for training.
class RunController : public QObject
{
    Q_OBJECT

public:
    /// How often monitors of runs executed by another process read new metrics.
    static constexpr int kExternalPollMs = 1000;
    /// How often the project is checked for runs added by another process.
    static constexpr int kNewRunsPollMs = 2000;

    explicit RunController(QObject *parent = nullptr);
    ~RunController() override;

    /// Starts working on `project` (kept by the caller, open until closeProject): marks runs left
    /// running by a process that died as interrupted and creates the queue.
    void openProject(Project *project);
    /// Stops the current run (after its batch) and forgets the queue and the monitors.
    void closeProject();
    Project *project() const { return m_project; }

    /// Records the runs of `plan` and queues them; returns their ids.
    Result<QList<qint64>> start(const ExperimentPlan &plan);
    /// Records the benchmark matrix `plan` as one group (BenchmarkRunner::record) and queues its
    /// runs in order; returns their ids. `groupId` receives the group.
    Result<QList<qint64>> startBenchmark(const BenchmarkPlan &plan, qint64 *groupId = nullptr);

    /// Shows run `runId` in `monitor`: its history from the project file, then live points.
    /// The monitor's Pause, Resume and Cancel act on the run. False with `error` when the run
    /// cannot be read.
    bool attach(RunMonitor *monitor, qint64 runId, QString *error = nullptr);

    /// Records and queues the source-only run with run `runId`'s settings (BaselineRun).
    void addBaseline(qint64 runId);

    void pause(qint64 runId);
    /// Continues a paused run, or queues a cancelled or interrupted one again (it continues from
    /// its checkpoint).
    void resume(qint64 runId);
    /// Removes a queued run (it is then marked cancelled) or stops the running one after its batch.
    void cancel(qint64 runId);
    /// Stops all work of this process: the waiting runs are marked cancelled and the running one
    /// stops after its batch with a checkpoint that resume() continues from. idle() follows once
    /// the worker has stopped (at once when nothing was running).
    void stopAll();

    /// The run this process is training, 0 when none.
    qint64 currentRun() const;
    /// True while the run this process trains is paused.
    bool isPaused() const;
    /// True while this process trains or has runs waiting.
    bool isBusy() const;
    /// The run ids this process has queued and not yet started.
    QList<qint64> pendingRuns() const;

Q_SIGNALS:
    /// Runs were added or changed state (here or in another process): the explorer should re-read.
    void runsChanged();
    /// A run of this process ended; `status` is its final state as recorded.
    void runFinished(qint64 runId, ts::RunRecord::Status status);
    /// Something went wrong that the user should read (a run that failed to record, ...).
    void errorOccurred(const QString &message);
    /// This process has nothing left to train (its last run ended or was stopped).
    void idle();

private:
    /// One monitor and what it has already shown.
    struct Watch
    {
        QPointer<RunMonitor> monitor;
        qint64 lastRowId = 0;            // metrics read from the file up to this row
        bool external = false;           // executed by another process: polled
        RunRecord::Status status = RunRecord::Status::Queued;
        QHash<QString, qint64> shownUpTo; // split/metric -> last step loaded from the file
    };

    void connectQueue();
    void onRunStarted(qint64 runId);
    void onRunEnded(qint64 runId);
    void onRunDequeued(qint64 runId);
    void onMetrics(const MetricPoints &points);
    /// Shows `points`, new rows of a run another process executes.
    void followExternal(Watch &watch, qint64 runId, const MetricPoints &points);
    void onProgress(const TrainingProgress &progress);
    void reload(Watch &watch, qint64 runId);
    /// Gives the monitor the run's result and target predictions (a run that is not training).
    void showResults(Watch &watch, qint64 runId);
    void pollExternal();
    void pollNewRuns();
    void trackOthers(const QList<RunRecord> &runs);
    void updateTimers();
    bool isOurs(qint64 runId) const;
    void setMonitorStatus(qint64 runId, RunRecord::Status status, bool paused = false);
    Result<RunRecord> loadRun(qint64 runId) const;

    Project *m_project = nullptr;
    std::unique_ptr<RunQueue> m_queue;
    QHash<qint64, QList<Watch>> m_watches; // by run id
    qint64 m_lastSeenRun = 0;
    QHash<qint64, RunRecord::Status> m_othersLive; // queued or running runs of other processes
    QTimer *m_externalTimer = nullptr;
    QTimer *m_newRunsTimer = nullptr;
};

} // namespace ts::ui
