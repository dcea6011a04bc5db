#pragma once

#include "cluster/SbatchOptions.h"

#include <QGroupBox>

class QLineEdit;
class QRadioButton;
class QSpinBox;
class QWidget;

namespace ts::ui {

/// "Run on: this computer / Slurm cluster" of New Experiment and New Benchmark, with the cluster's
/// settings (partition, account, nodes, GPUs and ranks per node, CPUs per rank, time limit, job
/// folder), remembered between sessions in QSettings ("cluster/...") when the dialog is accepted.
class ClusterField : public QGroupBox
{
    Q_OBJECT

public:
    explicit ClusterField(QWidget *parent = nullptr);

    /// Whether "Slurm cluster" is chosen.
    bool onCluster() const;
    /// The sbatch options as entered.
    SbatchOptions options() const;
    /// The job folder as entered (empty: the default next to the project).
    QString jobDir() const;

    /// Restores the settings saved last time (this computer when none).
    void restoreSettings();
    /// Saves the current settings.
    void saveSettings() const;

    QRadioButton *clusterButton() const { return m_cluster; }
    QRadioButton *localButton() const { return m_local; }
    QLineEdit *partitionEdit() const { return m_partition; }
    QLineEdit *timeEdit() const { return m_time; }
    QLineEdit *jobDirEdit() const { return m_jobDir; }

private:
    void updateEnabled();

    QRadioButton *m_local = nullptr;
    QRadioButton *m_cluster = nullptr;
    QWidget *m_settings = nullptr;
    QLineEdit *m_partition = nullptr;
    QLineEdit *m_account = nullptr;
    QSpinBox *m_nodes = nullptr;
    QSpinBox *m_gpus = nullptr;
    QSpinBox *m_ranks = nullptr;
    QSpinBox *m_cpus = nullptr;
    QLineEdit *m_time = nullptr;
    QLineEdit *m_jobDir = nullptr;
};

} // namespace ts::ui
