#pragma once

#include <QObject>
#include <QPointer>

#include <atomic>
#include <memory>

class QThread;

namespace ts::ui {

class BackgroundWorker;

/// Runs BackgroundWorkers one at a time, each on a fresh QThread that ends with it. Cancelling
/// sets an atomic flag the worker polls; destroying the owner cancels and waits for the worker,
/// which stops within one batch.
class WorkerThread : public QObject
{
    Q_OBJECT

public:
    explicit WorkerThread(QObject *parent = nullptr);
    ~WorkerThread() override;

    /// Takes `worker`, moves it to a new thread and runs it there; the worker and the thread
    /// delete themselves when it is done. A job still running is cancelled first.
    void start(BackgroundWorker *worker);
    /// Asks the running job to stop at its next check; does nothing when none runs.
    void cancel();
    /// Whether a job has been started and its thread has not ended yet.
    bool isRunning() const;

private:
    void stop();

    QPointer<QThread> m_thread;
    std::shared_ptr<std::atomic_bool> m_cancel;
};

} // namespace ts::ui
