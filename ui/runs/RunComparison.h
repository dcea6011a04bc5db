#pragma once

#include "project/MetricPoint.h"
#include "project/RunRecord.h"
#include "util/Result.h"

#include <QList>
#include <QMap>
#include <QSqlDatabase>
#include <QStringList>

namespace ts::ui {

/// The numbers behind the comparison view, without widgets: runs read from a project, grouped
/// into settings repeated over seeds (mean ± standard deviation), a strategy × domain-pair
/// matrix, label-budget curves and warnings about negative transfer and forgetting.
class RunComparison
{
public:
    /// One run with what the comparison needs of it.
    struct Run
    {
        RunRecord record;
        QString source;               // corpus names
        QString target;
        QString model;
        int budget = 0;               // labelled target examples per class (-1: all)
        double seconds = -1;          // finished_at - started_at; < 0 unknown
        double samplesPerSecond = -1; // training throughput from the recorded steps; < 0 unknown
        QMap<QString, QMap<QString, double>> final; // split -> metric -> last value
        MetricPoints points;
    };

    /// Mean and sample standard deviation of `n` values (std 0 for one value; n 0: no value).
    struct Stat
    {
        double mean = 0;
        double std = 0;
        int n = 0;
    };

    /// Runs sharing group, strategy, corpora, model and label budget: repeats over seeds.
    struct Row
    {
        QString strategy;
        QString source;
        QString target;
        QString model;
        int budget = 0;
        qint64 groupId = 0;
        QList<qint64> runIds;
        Stat sourceValue; // the compared metric on the source (test split, else validation)
        Stat targetValue; // ... on the target
        Stat gap;         // source - target
        Stat seconds;
        Stat samplesPerSecond;
    };

    /// Minimum difference counted as negative transfer (metric units, e.g. 1 accuracy point).
    static constexpr double kNegativeTransferMargin = 0.01;
    /// Drop below the best source value counted as forgetting (higher-is-better metrics).
    static constexpr double kForgettingDrop = 0.05;
    /// Relative rise above the best source value counted as forgetting (loss, perplexity).
    static constexpr double kForgettingRise = 0.10;

    /// Reads every run of the project with its names, times, final metrics and curves.
    static Result<QList<Run>> load(const QSqlDatabase &db);

    RunComparison(QList<Run> runs, const QString &metric);

    const QList<Run> &runs() const { return m_runs; }
    QString metric() const { return m_metric; }
    void setMetric(const QString &metric) { m_metric = metric; }
    /// False for loss and perplexity.
    static bool higherIsBetter(const QString &metric);
    static Stat stat(const QList<double> &values);

    /// Settings of the finished runs among `ids`, each with its seeds aggregated.
    QList<Row> rows(const QList<qint64> &ids) const;
    /// Every run's id.
    QList<qint64> allIds() const;
    /// Strategy -> "source → target" -> mean target value, over the runs `ids`.
    QMap<QString, QMap<QString, Stat>> matrix(const QList<qint64> &ids) const;
    /// Series "strategy · source → target · model" -> budget -> target value, for the series of
    /// the runs `ids` with at least two budgets.
    QMap<QString, QMap<int, Stat>> budgetCurves(const QList<qint64> &ids) const;
    /// Negative transfer of the rows of `ids` against the zero-shot and source-only rows of the
    /// same corpora and model, and forgetting of the runs `ids`, in words.
    QStringList warnings(const QList<qint64> &ids) const;

    /// The final value of the compared metric on "source" or "target": test split, else validation.
    double finalValue(const Run &run, const QString &domain, bool *ok) const;

private:
    QList<const Run *> selected(const QList<qint64> &ids) const;
    Row aggregate(const QList<const Run *> &group) const;
    QStringList negativeTransfer(const QList<Row> &selectedRows) const;
    QString forgetting(const Run &run) const;
    bool clearlyWorse(double value, double baseline) const;

    QList<Run> m_runs;
    QString m_metric;
};

} // namespace ts::ui
