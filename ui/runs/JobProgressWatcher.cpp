#include "runs/JobProgressWatcher.h"

#include "runs/RunMonitor.h"

#include "cluster/ProgressLog.h"
#include "cluster/SbatchScript.h"
#include "project/RunRecord.h"

#include <QDateTime>
#include <QDir>
#include <QFileInfo>

namespace ts::ui {

JobProgressWatcher::JobProgressWatcher(const QString &slurmId, const QString &dir, int cells, RunMonitor *monitor)
    : QObject(monitor), m_slurmId(slurmId), m_dir(dir), m_cells(qMax(1, cells)), m_monitor(monitor)
{
    m_monitor->setControllable(false);
    m_timer.setInterval(kPollIntervalMs);
    connect(&m_timer, &QTimer::timeout, this, &JobProgressWatcher::poll);
    m_timer.start();
    poll();
}

QString JobProgressWatcher::latestFile() const
{
    QString latest;
    QDateTime latestTime;
    for (int cell = 0; cell < m_cells; ++cell) {
        const QFileInfo info(SbatchScript::cellDir(m_dir, cell) + QStringLiteral("/progress.jsonl"));
        if (info.exists() && (latest.isEmpty() || info.lastModified() > latestTime)) {
            latest = info.absoluteFilePath();
            latestTime = info.lastModified();
        }
    }
    return latest;
}

void JobProgressWatcher::poll()
{
    const QString file = latestFile();
    if (file.isEmpty())
        return;
    const auto contents = ProgressLog::read(file);
    if (!contents)
        return;
    const qint64 run = contents->run != 0 ? contents->run
                                          : (contents->metrics.isEmpty() ? 0 : contents->metrics.last().runId);
    if (run == 0)
        return;
    if (file != m_file || run != m_run) {
        m_file = file;
        m_run = run;
        m_drawn = 0;
        RunRecord record;
        record.id = run;
        record.name = tr("Slurm job %1 · %2").arg(m_slurmId, QFileInfo(file).dir().dirName());
        record.status = RunRecord::Status::Running;
        m_monitor->setRun(record);
        m_monitor->setControllable(false);
    }
    MetricPoints fresh;
    for (qsizetype i = m_drawn; i < contents->metrics.size(); ++i) {
        if (contents->metrics.at(i).runId == m_run)
            fresh.append(contents->metrics.at(i));
    }
    m_drawn = contents->metrics.size();
    if (!fresh.isEmpty())
        m_monitor->appendMetrics(fresh);
    if (contents->run == m_run) {
        TrainingProgress progress;
        progress.runId = m_run;
        progress.phase = contents->phase;
        progress.step = contents->step;
        progress.totalSteps = contents->totalSteps;
        progress.epoch = contents->epoch;
        m_monitor->setProgress(progress);
    }
}

} // namespace ts::ui
