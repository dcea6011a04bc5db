#pragma once

#include "cluster/JobCell.h"
#include "jobs/BenchmarkPlan.h"

#include <QObject>
#include <QStringList>
#include <QString>
#include <QTimer>

namespace ts::ui {

class ClusterField;
class MainWindow;
class RunMonitor;
struct ExperimentPlan;

/// What the workbench does with Slurm: submits New Experiment and New Benchmark when "Run on:
/// Slurm cluster" is chosen (SlurmSubmitter, running the transfer-studio-cli installed next to the
/// workbench), and the project panel's job actions: Cancel, Resubmit, Collect and Watch Progress (a run
/// monitor drawing the job's progress file). While a job is pending or running its state is asked
/// of Slurm every kRefreshIntervalMs and shown in the project panel.
class ClusterActions : public QObject
{
    Q_OBJECT

public:
    static constexpr int kRefreshIntervalMs = 30000;

    explicit ClusterActions(MainWindow *window);

    /// Submits `plan` with `field`'s settings; false (after an error dialog) when it cannot.
    bool submitExperiment(const ExperimentPlan &plan, const ClusterField &field);
    /// Submits the matrix `plan` as one job array; false (after an error dialog) when it cannot.
    bool submitBenchmark(const BenchmarkPlan &plan, const ClusterField &field);
    /// Cancels Slurm job `slurmId` with scancel, then refreshes the states.
    void cancel(const QString &slurmId);
    /// Submits the cancelled, timed-out or failed job `slurmId` again from a ResubmitDialog (a new
    /// time limit, SlurmSubmitter::resubmit); false when the dialog was cancelled or the job is not
    /// in the project (after an error dialog).
    bool resubmit(const QString &slurmId);
    /// Merges the runs of every ended job not collected yet into the project; returns what it did
    /// ("Job 7 (completed): 1 run(s) collected"), also shown in the status bar.
    QStringList collect();
    /// Opens a run monitor on job `slurmId`'s progress (folder `dir`).
    RunMonitor *watch(const QString &slurmId, const QString &dir);
    /// Asks Slurm for the states of the jobs not ended yet and shows them; false (quietly) when
    /// Slurm cannot be asked (the stored states stay shown).
    bool refreshStates();

    /// The CLI the jobs run: transfer-studio-cli next to this program.
    static QString cliPath();

private:
    bool submit(const QList<JobCell> &cells, const ClusterField &field, const QString &kind);

    MainWindow *m_window = nullptr;
    QTimer m_timer;
};

} // namespace ts::ui
