#pragma once

#include <QObject>

#include <atomic>
#include <memory>

namespace ts::ui {

/// A job that WorkerThread runs once on its own thread (Tiled's FolderScanner pattern). A
/// subclass opens its own Project there, does its work in work(), polls cancelled() once per
/// batch, and hands plain values back through queued signals.
class BackgroundWorker : public QObject
{
    Q_OBJECT

public:
    /// Runs work() on the worker thread, then emits done().
    void run();
    /// Whether the owner asked the job to stop; safe to call from any thread.
    bool cancelled() const;

Q_SIGNALS:
    /// The job is over (finished, failed or cancelled); its result signal came before.
    void done();

protected:
    /// The job itself; runs on the worker thread.
    virtual void work() = 0;

private:
    friend class WorkerThread;
    std::shared_ptr<const std::atomic_bool> m_cancel;
};

} // namespace ts::ui
