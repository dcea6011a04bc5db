#pragma once

#include "corpus/CorpusSummary.h"
#include "jobs/BenchmarkPlan.h"
#include "model/ModelRecord.h"

#include <QDialog>
#include <QSqlDatabase>

class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QListWidget;
class QPushButton;
class QSpinBox;

namespace ts::ui {

class ClusterField;
class KeepWeightsField;

/// Runs > New Benchmark…: pairs of corpora, strategies (from the StrategyRegistry), seeds, a model
/// and the main run options (proposed by the model, as in the experiment dialog: ModelDefaults)
/// make a matrix that RunController::startBenchmark records as one group and queues.
class BenchmarkDialog : public QDialog
{
    Q_OBJECT

public:
    explicit BenchmarkDialog(const QSqlDatabase &db, QWidget *parent = nullptr);

    /// The matrix as chosen: checked pairs and strategies, seeds, model and run options.
    BenchmarkPlan plan() const;

    QListWidget *pairList() const { return m_pairs; }
    QListWidget *strategyList() const { return m_strategies; }
    QSpinBox *seedBox() const { return m_seeds; }
    QPushButton *startButton() const { return m_start; }
    KeepWeightsField *keepField() const { return m_keep; }
    /// "Run on: this computer / Slurm cluster" with the cluster's settings (restored from and saved
    /// to QSettings by the caller: ClusterField::restoreSettings / saveSettings).
    ClusterField *clusterField() const { return m_cluster; }

private:
    void applyModelDefaults();
    void updateCount();

    QList<CorpusSummary> m_corpora;
    QList<ModelRecord> m_models;
    QListWidget *m_pairs = nullptr;
    QListWidget *m_strategies = nullptr;
    QSpinBox *m_seeds = nullptr;
    QComboBox *m_model = nullptr;
    QSpinBox *m_epochs = nullptr;
    QDoubleSpinBox *m_learningRate = nullptr;
    QSpinBox *m_batch = nullptr;
    QSpinBox *m_maxLength = nullptr;
    QSpinBox *m_maxTrain = nullptr;
    KeepWeightsField *m_keep = nullptr; // what each finished run keeps (TrainingConfig::keep)
    ClusterField *m_cluster = nullptr;
    QLabel *m_defaults = nullptr;
    QLabel *m_count = nullptr;
    QPushButton *m_start = nullptr;
};

} // namespace ts::ui
