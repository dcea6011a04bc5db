#include "corpus/WorkerThread.h"

#include "corpus/BackgroundWorker.h"

#include <QThread>

namespace ts::ui {

WorkerThread::WorkerThread(QObject *parent) : QObject(parent) {}

WorkerThread::~WorkerThread()
{
    stop();
}

void WorkerThread::stop()
{
    if (!m_thread)
        return;
    cancel();
    m_thread->quit();
    m_thread->wait();
}

void WorkerThread::start(BackgroundWorker *worker)
{
    stop();
    m_cancel = std::make_shared<std::atomic_bool>(false);
    worker->m_cancel = m_cancel;
    auto *thread = new QThread(this);
    worker->moveToThread(thread);
    connect(thread, &QThread::started, worker, &BackgroundWorker::run);
    // Direct: the thread's loop ends as soon as the work does, so wait() never needs the GUI loop.
    connect(worker, &BackgroundWorker::done, thread, &QThread::quit, Qt::DirectConnection);
    connect(thread, &QThread::finished, worker, &QObject::deleteLater);
    connect(thread, &QThread::finished, thread, &QObject::deleteLater);
    m_thread = thread;
    thread->start();
}

void WorkerThread::cancel()
{
    if (m_cancel)
        m_cancel->store(true);
}

bool WorkerThread::isRunning() const
{
    return m_thread && !m_thread->isFinished();
}

} // namespace ts::ui
