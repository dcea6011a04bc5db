#pragma once

#include <QMutex>
#include <QWaitCondition>

#include <atomic>

namespace ts {

/// Cancel and pause requests for one running training, shared between the thread that asks
/// (GUI, CLI signal handler) and the worker that trains. Thread-safe. The worker calls
/// `proceed()` once per batch.
class RunControl
{
public:
    /// Ask the worker to stop after the current batch (it keeps a resumable checkpoint).
    /// Async-signal-safe: the CLI calls it from its SIGINT handler.
    void requestCancel();
    void requestPause();
    void resume();

    bool isCancelRequested() const { return m_cancel.load(); }
    bool isPaused() const { return m_pause.load(); }

    /// Called by the worker between batches: blocks while paused; returns false when the run
    /// must stop (cancel requested, also while paused).
    bool proceed();

private:
    std::atomic<bool> m_cancel{false};
    std::atomic<bool> m_pause{false};
    QMutex m_mutex;
    QWaitCondition m_resumed;
};

} // namespace ts
