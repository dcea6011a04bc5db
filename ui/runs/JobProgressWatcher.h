#pragma once

#include <QObject>
#include <QString>
#include <QTimer>

namespace ts::ui {

class RunMonitor;

/// Draws a Slurm job's progress in a run monitor: polls the JSON-lines progress files that rank 0
/// appends to in the job folder (ProgressLog; polled, because a network filesystem may not report
/// changes) and hands new metric points and the latest progress to the monitor. The monitor shows
/// the run that wrote last, from the cell whose file changed last; a new run starts its charts afresh.
class JobProgressWatcher : public QObject
{
    Q_OBJECT

public:
    /// How often the files are read, in milliseconds.
    static constexpr int kPollIntervalMs = 2000;

    /// Watches job `slurmId`'s folder `dir` with `cells` cells, drawing into `monitor` (which owns
    /// the watcher: it is its parent).
    JobProgressWatcher(const QString &slurmId, const QString &dir, int cells, RunMonitor *monitor);

    /// Reads the files now (also done every kPollIntervalMs).
    void poll();

private:
    /// The progress file of the cell written to last; empty when none exists yet.
    QString latestFile() const;

    QString m_slurmId;
    QString m_dir;
    int m_cells = 1;
    RunMonitor *m_monitor = nullptr;
    QTimer m_timer;
    QString m_file;     // the file being drawn
    qint64 m_run = 0;   // the run being drawn (its id in the job project)
    qsizetype m_drawn = 0; // metric lines of m_file already handed over
};

} // namespace ts::ui
