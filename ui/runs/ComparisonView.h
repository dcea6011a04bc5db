#pragma once

#include "project/BenchmarkTable.h"
#include "runs/RunComparison.h"

#include <QSet>
#include <QSqlDatabase>
#include <QWidget>

#include <memory>

class QComboBox;
class QLabel;
class QScrollArea;
class QTimer;
class QTabWidget;
class QTableWidget;
class QTreeWidget;
class QTreeWidgetItem;

namespace ts::ui {

class MetricChart;

/// Compares runs of a project: the curves of the chosen runs for one metric and split, a table
/// of final source and target values (mean ± std over seeds, transfer gap, time, throughput), a
/// strategy × domain-pair matrix, label-budget curves, and warnings for negative transfer and
/// forgetting. Charts export to PNG, PDF or SVG, tables to CSV. Reads the project through `db`
/// on the GUI thread, when asked: scheduleReload() after runs were added or finished (here or in
/// another process) re-reads it once, soon, or when the view is next shown.
class ComparisonView : public QWidget
{
    Q_OBJECT

public:
    explicit ComparisonView(const QSqlDatabase &db, QWidget *parent = nullptr);

    /// Re-reads the runs of the project, keeping the choice of runs; runs seen finished for the
    /// first time are ticked.
    void reload();
    /// Reloads within `kReloadDelayMs` (however often it is called), or when next shown if hidden.
    void scheduleReload();

    /// Coalescing delay of scheduleReload(), in milliseconds.
    static constexpr int kReloadDelayMs = 300;

    /// Checks exactly the runs `ids` in the list.
    void setSelectedRuns(const QList<qint64> &ids);
    QList<qint64> selectedRuns() const;
    /// The compared metric ("accuracy", "macro_f1", "loss", "perplexity").
    void setMetric(const QString &metric);
    /// The split whose curves are overlaid ("target/validation", ...).
    void setSplit(const QString &split);

    MetricChart *curvesChart() const { return m_curves; }
    MetricChart *budgetChart() const { return m_budget; }
    /// The text shown instead of the label-budget chart when the ticked runs hold no sweep.
    QLabel *budgetNote() const { return m_budgetNote; }
    QTableWidget *summaryTable() const { return m_summary; }
    QTableWidget *matrixTable() const { return m_matrix; }
    QStringList warnings() const { return m_warnings; }

    /// Shows benchmark group `groupId` (BenchmarkRunner): its runs ticked and, on the matrix tab,
    /// the benchmark table (pairs × strategies, mean ± std of target accuracy, average row, best
    /// cell bold) with the matrix's progress above it; Export Table then also writes LaTeX.
    void showBenchmark(qint64 groupId);
    /// The benchmark group shown (0: none).
    qint64 benchmarkGroup() const { return m_benchmarkGroup; }
    /// The line above the matrix: the benchmark's progress ("3 of 8 runs finished; running: …")
    /// and what its cells are; empty without a benchmark.
    QString matrixNote() const;
    /// The benchmark table last shown (empty without a benchmark).
    const BenchmarkTable &benchmarkTable() const { return m_benchmarkTable; }

    /// Writes `table` as CSV (header row first). False with `error` set when it cannot.
    static bool exportCsv(const QTableWidget *table, const QString &path, QString *error = nullptr);

protected:
    void showEvent(QShowEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    QWidget *buildControls();
    void fillRunList();
    QTreeWidgetItem *addRunItem(QTreeWidgetItem *parent, const RunComparison::Run &run);
    void refresh();
    void rebuildCurves(const QList<qint64> &ids);
    void fillSummary(const QList<qint64> &ids);
    void fillMatrix(const QList<qint64> &ids);
    /// Fills the matrix tab with the benchmark table; false when `ids` hold runs outside the group.
    bool fillBenchmark(const QList<qint64> &ids);
    void rebuildBudgetChart(const QList<qint64> &ids);
    void showWarnings();
    void replaceChart(MetricChart *&slot, MetricChart *fresh);
    void exportChartDialog();
    void exportTableDialog();

    QString m_connection; // the project's connection, looked up when reading (no handle kept open)
    std::unique_ptr<RunComparison> m_data;
    QStringList m_warnings;
    QStringList m_paired; // paired differences over seeds, in words
    bool m_filling = false; // the run list is being rebuilt: no refresh per item
    bool m_stale = false;   // a reload was asked for while hidden
    QSet<qint64> m_seenFinished; // runs ticked when first seen finished; later the user decides
    QTimer *m_reloadTimer = nullptr;
    QTreeWidget *m_runs = nullptr;
    QComboBox *m_metric = nullptr;
    QComboBox *m_split = nullptr;
    QTabWidget *m_pages = nullptr;
    MetricChart *m_curves = nullptr;
    QTableWidget *m_summary = nullptr;
    QTableWidget *m_matrix = nullptr;
    QLabel *m_matrixNote = nullptr;  // the benchmark's progress and caption above the matrix
    qint64 m_benchmarkGroup = 0;
    bool m_showingBenchmark = false; // the matrix tab shows m_benchmarkTable
    BenchmarkTable m_benchmarkTable;
    MetricChart *m_budget = nullptr;
    QLabel *m_warningLabel = nullptr;
    QScrollArea *m_warningArea = nullptr; // holds m_warningLabel
    QLabel *m_budgetNote = nullptr; // why the label-budget chart is empty
};

} // namespace ts::ui
