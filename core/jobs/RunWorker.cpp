#include "jobs/RunWorker.h"

#include "train/RunControl.h"

#include <QElapsedTimer>

namespace ts {

RunWorker::RunWorker(QString projectPath, RunExecutor executor)
    : m_projectPath(std::move(projectPath)), m_executor(std::move(executor))
{
}

void RunWorker::execute(qint64 runId, std::shared_ptr<RunControl> control)
{
    QElapsedTimer sinceProgress;
    TrainingCallbacks callbacks;
    callbacks.control = control.get();
    callbacks.progress = [this, &sinceProgress](const TrainingProgress &p) {
        const bool last = p.totalSteps > 0 && p.step >= p.totalSteps;
        if (!sinceProgress.isValid() || sinceProgress.elapsed() >= kProgressIntervalMs || last) {
            sinceProgress.restart();
            Q_EMIT progress(p);
        }
    };
    callbacks.metrics = [this](const MetricPoints &points) { Q_EMIT metricsAdded(points); };
    callbacks.log = [this, runId](const QString &line) { Q_EMIT logLine(runId, line); };

    Status status;
    try {
        status = m_executor(m_projectPath, runId, callbacks);
    } catch (const std::exception &e) {
        // The executor turns libtorch errors into messages; this is the last line of defence
        // so that an unexpected exception never takes the application down.
        status = Status::failure(QStringLiteral("run %1 stopped on an unexpected error: %2")
                                     .arg(runId)
                                     .arg(QString::fromLocal8Bit(e.what())));
    }
    Q_EMIT finished(runId, status.ok(), status.error());
}

} // namespace ts
