#include "main/ClusterActions.h"

#include "explorer/ProjectExplorer.h"
#include "main/MainWindow.h"
#include "main/ResubmitDialog.h"
#include "runs/ClusterField.h"
#include "runs/ExperimentPlan.h"
#include "runs/JobProgressWatcher.h"
#include "runs/RunMonitor.h"

#include "cluster/JobCollector.h"
#include "cluster/JobTable.h"
#include "cluster/SlurmClient.h"
#include "cluster/SlurmJobs.h"
#include "cluster/SlurmSubmitter.h"
#include "jobs/ClusterCells.h"
#include "project/Project.h"
#include "transfer/TransferRunner.h"

#include <QCoreApplication>
#include <QMessageBox>
#include <QStatusBar>
#include <QTabWidget>

#include <algorithm>

namespace ts::ui {

ClusterActions::ClusterActions(MainWindow *window) : QObject(window), m_window(window)
{
    m_timer.setInterval(kRefreshIntervalMs);
    connect(&m_timer, &QTimer::timeout, this, &ClusterActions::refreshStates);
    m_timer.start();
}

QString ClusterActions::cliPath()
{
    return QCoreApplication::applicationDirPath() + QStringLiteral("/transfer-studio-cli");
}

bool ClusterActions::submit(const QList<JobCell> &cells, const ClusterField &field, const QString &kind)
{
    const Project *project = m_window->project();
    const auto submitted = SlurmSubmitter::submit(project->database(), project->path(), field.jobDir(), cells,
                                                  field.options(), kind, cliPath());
    if (!submitted) {
        QMessageBox::warning(m_window, tr("Cannot submit to Slurm"), submitted.error());
        return false;
    }
    m_window->statusBar()->showMessage(tr("Submitted Slurm job %1: %2 run(s) in %3")
                                           .arg(submitted->job.slurmId)
                                           .arg(submitted->runs)
                                           .arg(submitted->job.dir));
    refreshStates();
    return true;
}

bool ClusterActions::submitExperiment(const ExperimentPlan &plan, const ClusterField &field)
{
    const auto cells = ClusterCells::forRun(m_window->project()->database(), plan.request, plan.seeds, plan.labelBudgets);
    if (!cells) {
        QMessageBox::warning(m_window, tr("Cannot submit to Slurm"), cells.error());
        return false;
    }
    return submit(cells.value(), field, QStringLiteral("run"));
}

bool ClusterActions::submitBenchmark(const BenchmarkPlan &plan, const ClusterField &field)
{
    const auto cells = ClusterCells::forBenchmark(m_window->project()->database(), plan);
    if (!cells) {
        QMessageBox::warning(m_window, tr("Cannot submit to Slurm"), cells.error());
        return false;
    }
    return submit(cells.value(), field, QStringLiteral("benchmark"));
}

void ClusterActions::cancel(const QString &slurmId)
{
    if (const Status s = SlurmClient::cancel(slurmId); !s) {
        QMessageBox::warning(m_window, tr("Cannot cancel the job"), s.error());
        return;
    }
    m_window->statusBar()->showMessage(tr("Asked Slurm to cancel job %1").arg(slurmId));
    refreshStates();
}

bool ClusterActions::resubmit(const QString &slurmId)
{
    const Project *project = m_window->project();
    if (!project)
        return false;
    refreshStates();
    const auto job = JobTable(project->database()).find(slurmId);
    if (!job) {
        QMessageBox::warning(m_window, tr("Cannot resubmit the job"), job.error());
        return false;
    }
    ResubmitDialog dialog(project->database(), job.value(), m_window);
    if (dialog.exec() != QDialog::Accepted)
        return false;
    m_window->statusBar()->showMessage(tr("Resubmitted job %1 as Slurm job %2").arg(slurmId, dialog.resubmitted().slurmId));
    refreshStates();
    return true;
}

QStringList ClusterActions::collect()
{
    if (!m_window->project())
        return {};
    Project &project = const_cast<Project &>(*m_window->project());
    const auto jobs = SlurmJobs::refresh(project.database());
    if (!jobs) {
        QMessageBox::warning(m_window, tr("Cannot collect"), jobs.error());
        return {};
    }
    MergeParams params;
    const QString path = project.path();
    params.runIsLive = [path](qint64 runId) { return !TransferRunner::isAbandoned(path, runId); };
    QStringList lines;
    for (const SlurmJobRecord &job : jobs.value()) {
        if (!job.collectedAt.isEmpty() || !JobStates::isFinal(job.state))
            continue;
        const auto report = JobCollector::collect(project, job, params);
        if (!report) {
            QMessageBox::warning(m_window, tr("Cannot collect job %1").arg(job.slurmId), report.error());
            break;
        }
        lines.append(tr("Job %1 (%2): %3 run(s) collected").arg(job.slurmId, JobStates::name(job.state))
                         .arg(report->copied.size()));
        for (const QString &run : report->notFinished)
            lines.append(tr("    not finished: %1 (Resubmit Job continues it)").arg(run));
        if (const Status s = JobTable(project.database()).setCollected(job.id); !s)
            lines.append(s.error());
    }
    m_window->refresh();
    if (lines.isEmpty())
        lines.append(tr("No ended job is waiting to be collected."));
    m_window->statusBar()->showMessage(lines.join(QStringLiteral("; ")));
    return lines;
}

RunMonitor *ClusterActions::watch(const QString &slurmId, const QString &dir)
{
    int cells = 1;
    if (const Project *project = m_window->project()) {
        if (const auto job = JobTable(project->database()).find(slurmId))
            cells = job->cells;
    }
    auto *monitor = new RunMonitor(m_window->tabs());
    new JobProgressWatcher(slurmId, dir, cells, monitor);
    const int index = m_window->tabs()->addTab(monitor, tr("Job %1").arg(slurmId));
    m_window->tabs()->setCurrentIndex(index);
    return monitor;
}

bool ClusterActions::refreshStates()
{
    const Project *project = m_window->project();
    if (!project)
        return false;
    const auto stored = JobTable(project->database()).all();
    if (!stored)
        return false;
    const bool live = std::any_of(stored->cbegin(), stored->cend(),
                                  [](const SlurmJobRecord &job) { return !JobStates::isFinal(job.state); });
    const auto jobs = live ? SlurmJobs::refresh(project->database()) : stored;
    m_window->explorer()->showJobs(jobs ? jobs.value() : stored.value());
    return bool(jobs);
}

} // namespace ts::ui
