#pragma once

#include "project/MetricPoint.h"
#include "project/PredictionSet.h"
#include "project/RunRecord.h"
#include "train/TrainingProgress.h"

#include <QHash>
#include <QSet>
#include <QWidget>

class QComboBox;
class QGridLayout;
class QLabel;
class QProgressBar;
class QPushButton;
class QTabWidget;

namespace ts {
struct RunSummary;
}

namespace ts::ui {

class MetricChart;
class PredictionBrowser;
class RunResultsPanel;

/// Live view of one run: training loss, the chosen metric on the source and the target with
/// the transfer gap shaded, the domain classifier's accuracy (DANN), the learning rate, and
/// throughput / ETA / device memory, with Pause, Resume and Cancel. Tabs beside the charts show
/// the run's results (RunResultsPanel) and its target predictions (PredictionBrowser).
///
/// Fed by the worker's signals (appendMetrics, setProgress) or, for a finished run, by the
/// metrics read from the project file; it never polls.
class RunMonitor : public QWidget
{
    Q_OBJECT

public:
    explicit RunMonitor(QWidget *parent = nullptr);

    /// Starts showing `run`: clears the charts and sets the title and button states.
    void setRun(const RunRecord &run);
    qint64 runId() const { return m_run.id; }
    /// Adds points of this run (points of other runs are ignored).
    void appendMetrics(const MetricPoints &points);
    void setProgress(const TrainingProgress &progress);
    /// Updates the buttons for the run's new state; `paused` while running but held.
    void setStatus(RunRecord::Status status, bool paused = false);
    /// Shows the run's result and its predictions on the target's result split with their texts.
    void setResults(const RunSummary &summary, const PredictionSet &targetPredictions, const QStringList &texts);
    /// Brings the Results tab forward (a run that has just finished while watched).
    void showResults();
    RunResultsPanel *resultsPanel() const { return m_results; }
    PredictionBrowser *predictionBrowser() const { return m_predictions; }
    QTabWidget *views() const { return m_views; }

    /// False for a run another program (the CLI) trains: Pause, Resume and Cancel are disabled.
    void setControllable(bool controllable);

    /// The metric compared between source and target ("accuracy", "macro_f1", "perplexity", ...).
    QString comparedMetric() const;
    /// Compares `metric` from now on (the user's choice: the monitor no longer picks one itself).
    void setComparedMetric(const QString &metric);
    /// The line under the title: progress while training, otherwise the status in words.
    QString statusText() const;

    MetricChart *lossChart() const { return m_loss; }
    MetricChart *transferChart() const { return m_transfer; }
    MetricChart *domainChart() const { return m_domain; }
    MetricChart *learningRateChart() const { return m_learningRate; }
    MetricChart *gradientNormChart() const { return m_gradientNorm; }

    /// Writes every chart with data into `folder` as `run<id>-<chart>.<suffix>` (png, pdf, svg).
    /// Returns the files written; `error` is set when one could not be.
    QStringList exportCharts(const QString &folder, const QString &suffix, QString *error = nullptr) const;

Q_SIGNALS:
    void pauseRequested(qint64 runId);
    void resumeRequested(qint64 runId);
    void cancelRequested(qint64 runId);
    /// The user asks for a source-only run with the settings of run `runId`.
    void baselineRequested(qint64 runId);
    /// The user wants to try the finished run's model on a text of their own.
    void tryItRequested(qint64 runId);

private:
    void route(const MetricPoint &point);
    /// "source (validation, 32 of 300 texts)": a curve's legend with the texts it is measured on.
    QString legendFor(const QString &split, const QString &base) const;
    void updateLegends();
    void showComparedMetric(const QString &metric);
    /// The domain classifier and the learning rate side by side, or the learning rate alone.
    void placeLowerCharts();
    /// Until the user picks one, compares the first of accuracy, perplexity (pre-training) and
    /// macro-F1 that the run records on a validation split.
    void preferRecordedMetric();
    void rebuildTransferChart();
    /// What an empty chart says: that its points are still to come, or that the run has ended
    /// without any.
    void updateEmptyTexts();
    void exportDialog();

    RunRecord m_run;
    MetricPoints m_points;
    QHash<QString, QPair<int, int>> m_texts; // split -> texts measured, texts the split has
    QLabel *m_title = nullptr;
    QLabel *m_stats = nullptr;
    QProgressBar *m_progress = nullptr;
    QComboBox *m_metric = nullptr;
    QPushButton *m_pause = nullptr;
    QPushButton *m_resume = nullptr;
    QPushButton *m_cancel = nullptr;
    QPushButton *m_export = nullptr;
    QPushButton *m_tryIt = nullptr;
    QGridLayout *m_charts = nullptr;
    QTabWidget *m_views = nullptr;
    RunResultsPanel *m_results = nullptr;
    PredictionBrowser *m_predictions = nullptr;
    MetricChart *m_loss = nullptr;
    MetricChart *m_transfer = nullptr;
    MetricChart *m_domain = nullptr;
    MetricChart *m_learningRate = nullptr;
    MetricChart *m_gradientNorm = nullptr; // shown once a run records grad_norm (gradient clipping on)
    bool m_paused = false;
    bool m_controllable = true;
    bool m_metricChosen = false;   // the user picked the compared metric
    bool m_choosingMetric = false; // the monitor itself is switching it
    QSet<QString> m_comparable;  // metrics the run has on a validation split
};

} // namespace ts::ui
