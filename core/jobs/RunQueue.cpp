#include "jobs/RunQueue.h"

#include "jobs/RunWorker.h"
#include "train/RunControl.h"

#include <QThread>

namespace ts {

RunQueue::RunQueue(const QString &projectPath, RunExecutor executor, QObject *parent)
    : QObject(parent), m_thread(new QThread(this)), m_worker(new RunWorker(projectPath, std::move(executor)))
{
    qRegisterMetaType<ts::TrainingProgress>();
    qRegisterMetaType<ts::MetricPoints>();
    qRegisterMetaType<std::shared_ptr<ts::RunControl>>();
    m_thread->setObjectName(QStringLiteral("RunQueue worker"));
    m_worker->moveToThread(m_thread);
    connect(m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    connect(m_worker, &RunWorker::progress, this, &RunQueue::progress);
    connect(m_worker, &RunWorker::metricsAdded, this, &RunQueue::metricsAdded);
    connect(m_worker, &RunWorker::logLine, this, &RunQueue::logLine);
    connect(m_worker, &RunWorker::finished, this, &RunQueue::onWorkerFinished);
    m_thread->start();
}

RunQueue::~RunQueue()
{
    m_pending.clear();
    if (m_control) {
        m_control->requestCancel();
        m_control->resume();
    }
    m_thread->requestInterruption();
    m_thread->quit();
    m_thread->wait();
}

void RunQueue::enqueue(qint64 runId)
{
    if (runId == m_current || m_pending.contains(runId))
        return;
    m_pending.append(runId);
    if (m_current == 0)
        startNext();
}

void RunQueue::cancel(qint64 runId)
{
    if (m_pending.removeAll(runId) > 0) {
        Q_EMIT runDequeued(runId);
        return;
    }
    if (runId == m_current && m_control) {
        m_control->requestCancel();
        m_control->resume();
    }
}

void RunQueue::pause(qint64 runId)
{
    if (runId == m_current && m_control)
        m_control->requestPause();
}

void RunQueue::resume(qint64 runId)
{
    if (runId == m_current && m_control)
        m_control->resume();
}

bool RunQueue::isPaused() const
{
    return m_control && m_control->isPaused();
}

void RunQueue::startNext()
{
    if (m_pending.isEmpty()) {
        Q_EMIT idle();
        return;
    }
    m_current = m_pending.takeFirst();
    m_control = std::make_shared<RunControl>();
    Q_EMIT runStarted(m_current);
    QMetaObject::invokeMethod(m_worker, "execute", Qt::QueuedConnection, Q_ARG(qint64, m_current),
                              Q_ARG(std::shared_ptr<ts::RunControl>, m_control));
}

void RunQueue::onWorkerFinished(qint64 runId, bool ok, const QString &error)
{
    m_current = 0;
    m_control.reset();
    Q_EMIT runEnded(runId, ok, error);
    startNext();
}

} // namespace ts
