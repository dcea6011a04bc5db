#pragma once

#include "jobs/RunExecutor.h"
#include "project/MetricPoint.h"
#include "train/TrainingProgress.h"

#include <QObject>

#include <memory>

namespace ts {

class RunControl;

/// Lives on the RunQueue's worker thread and executes one run at a time (Tiled's
/// FolderScanner pattern). Its signals are delivered queued to the GUI thread; only plain
/// values cross.
class RunWorker : public QObject
{
    Q_OBJECT

public:
    /// Minimum time between two progress signals, in milliseconds: keeps the GUI's event
    /// queue short however fast a tiny model trains.
    static constexpr int kProgressIntervalMs = 100;

    RunWorker(QString projectPath, RunExecutor executor);

public Q_SLOTS:
    /// Runs `runId` to its end under `control` (shared with the queue, which cancels / pauses).
    void execute(qint64 runId, std::shared_ptr<ts::RunControl> control);

Q_SIGNALS:
    void progress(const ts::TrainingProgress &progress);
    void metricsAdded(const ts::MetricPoints &points);
    void logLine(qint64 runId, const QString &line);
    void finished(qint64 runId, bool ok, const QString &error);

private:
    QString m_projectPath;
    RunExecutor m_executor;
};

} // namespace ts
