#pragma once

#include "project/MetricPoint.h"
#include "project/RunRecord.h"
#include "project/RunSummary.h"
#include "util/Result.h"

#include <QList>
#include <QMap>
#include <QSqlDatabase>
#include <QStringList>

namespace ts::ui {

/// The numbers behind the comparison view, without widgets: runs read from a project, grouped as
/// seeds only when every setting but the seeds is equal (RunSettingsKey; mean ± standard
/// deviation and a 95% bootstrap interval), a strategy × domain-pair matrix, label-budget curves
/// and warnings about negative transfer and forgetting. Accuracy and macro-F1 are RunSummary's:
/// the numbers `runs` and the results panel show.
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
        RunSummary summary;
        qint64 fineTuneStart = 0;     // steps before fine-tuning (a pre-training phase): 0 without one
    };

    /// Mean and sample standard deviation of `n` values (std 0 for one value; n 0: no value).
    struct Stat
    {
        double mean = 0;
        double std = 0;
        int n = 0;
        double ciLow = 0;  // 95% bootstrap interval of the mean (SeedStatistics)
        double ciHigh = 0;
    };

    /// Runs with equal settings but for their seeds: repeats of one experiment.
    struct Row
    {
        QString key;        // RunSettingsKey::of: what the runs share
        QString sourceSplit; // where the values come from ("source/test") and how many texts
        int sourceExamples = 0;
        QString targetSplit;
        int targetExamples = 0;
        QString strategy;
        QString source;
        QString target;
        QString model;
        int budget = 0;
        qint64 groupId = 0;
        QList<qint64> runIds;
        RunSummary::Selection selection; // which weights are the runs' result (equal in a row; step -1)
        Stat sourceValue; // the compared metric on the source (test split, else validation)
        Stat targetValue; // ... on the target
        Stat gap;         // source - target
        Stat seconds;
        Stat samplesPerSecond;
        // The settings that tell this row from the others shown alike (same strategy, target
        // labels, corpora and model): "epochs=5", "lambda=0.3"; empty when no other row is alike.
        QStringList differences;
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

    /// Settings of the finished runs among `ids`, each with its seeds aggregated, and what tells
    /// apart rows that would otherwise read alike.
    QList<Row> rows(const QList<qint64> &ids) const;
    /// Every run's id.
    QList<qint64> allIds() const;
    /// "300 texts", or "96–300 texts" when `counts` differ; counts of 0 (not recorded) are left
    /// out, and none left gives "".
    static QString textsRange(const QList<int> &counts);
    /// The strategy, and the target labels it trained on when there were any ("source-only · 8
    /// target labels per class"): a label-budget sweep's runs are not the strategy without labels.
    static QString strategyLabel(const QString &strategy, int budget);
    /// A row's name: its strategyLabel, then the settings that tell it from rows alike
    /// (Row::differences): "dann · max_train_examples=640, eval_every=2".
    static QString rowLabel(const QString &strategy, int budget, const QStringList &differences);
    /// rowLabel -> "source → target" -> mean target value, over the runs `ids`; `scopes`, when
    /// given, maps each "source → target" to where its values come from (as budgetCurves says it).
    QMap<QString, QMap<QString, Stat>> matrix(const QList<qint64> &ids, QMap<QString, QString> *scopes = nullptr) const;
    /// Series "strategy · source → target · model" -> budget -> target value, for the series of
    /// the runs `ids` with at least two budgets. `scope`, when given, says where the values come
    /// from: "test, 300 texts", "test, 96–300 texts", "test or validation, ..." ("" without curves).
    QMap<QString, QMap<int, Stat>> budgetCurves(const QList<qint64> &ids, QString *scope = nullptr) const;
    /// Negative transfer of the rows of `ids` against the zero-shot and source-only rows of the
    /// same corpora and model, and forgetting of the runs `ids`, in words.
    QStringList warnings(const QList<qint64> &ids) const;

    /// Strategies run on the same experiment (every setting but the strategy equal), paired over
    /// their common seeds: the mean difference of target accuracy with its 95% interval, in words.
    QStringList pairedDifferences(const QList<qint64> &ids) const;

    /// The final value of the compared metric on "source" or "target": test split, else validation.
    double finalValue(const Run &run, const QString &domain, bool *ok) const;
    /// The split a run's final value on `domain` comes from, with its number of texts ("" when unknown).
    static QString finalSplit(const Run &run, const QString &domain, int *examples);
    /// Where the target values of `runs` come from: their splits and the range of their texts.
    static QString scopeOf(const QList<const Run *> &runs);

private:
    QList<const Run *> selected(const QList<qint64> &ids) const;
    /// The finished runs among `ids`, grouped as seeds of one experiment (equal RunSettingsKey).
    QList<QList<const Run *>> experiments(const QList<qint64> &ids) const;
    /// For each group, what tells it from the groups shown alike (Row::differences).
    static QList<QStringList> differencesOf(const QList<QList<const Run *>> &groups);
    Row aggregate(const QList<const Run *> &group) const;
    QStringList negativeTransfer(const QList<Row> &selectedRows) const;
    QString forgetting(const Run &run) const;
    bool clearlyWorse(double value, double baseline) const;

    QList<Run> m_runs;
    QString m_metric;
};

} // namespace ts::ui
