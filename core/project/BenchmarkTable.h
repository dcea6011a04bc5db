#pragma once

#include "project/RunSummary.h"
#include "project/SeedStatistics.h"

#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>

namespace ts {

/// The table papers print for a benchmark matrix, built from RunSummary (never from metric
/// rows): rows = source -> target pairs, columns = strategies, cells = mean ± std of target
/// accuracy over the seeds of finished runs, an average row (the mean of a strategy's cell means,
/// shown when it has a cell on every pair, ± the spread of that average over the seeds) and the
/// best cell of each row marked. Torch-free: the
/// CLI's `benchmark` and the GUI's Compare Runs view both render it.
class BenchmarkTable
{
public:
    /// One cell: a strategy on a pair over its seeds.
    struct Cell
    {
        SeedEstimate accuracy;   // n = 0: no finished run
        QList<qint64> runIds;    // the finished runs it averages
        bool best = false;       // the highest mean of its row (ties all marked)
        // The average row only: the sample std over the seeds of each seed's mean over the pairs
        // (seeds matched by their initialisation seed); < 0 when the pairs do not share the same
        // seeds. It is what a difference between two averages must exceed to mean anything.
        double seedSpread = -1.0;
    };
    /// One row: a source -> target pair.
    struct Row
    {
        QString source;
        QString target;
        QString evaluatedOn;     // DomainResult::describe() of its target result: "target test, 200 texts"
        QList<Cell> cells;       // one per strategy, in strategies() order
    };

    /// The table of `runs` (unfinished runs are left out of the cells but their pair and strategy
    /// keep their place); `corpusNames` maps corpus ids to names. Pairs and strategies keep the
    /// order in which they first appear in `runs`.
    static BenchmarkTable build(const QList<RunSummary> &runs, const QMap<qint64, QString> &corpusNames);

    const QStringList &strategies() const { return m_strategies; }
    const QList<Row> &rows() const { return m_rows; }
    /// The average row: per strategy the mean of its cell means (n = number of pairs; n = 0 when
    /// the strategy lacks a cell on some pair) and its seedSpread, best marked.
    const QList<Cell> &average() const { return m_average; }
    /// "0.812 ± 0.010" (`plusMinus` between; the average row's seedSpread for its std), "0.812"
    /// for one value or an average without a spread, "-" for none.
    static QString cellText(const Cell &cell, const QString &plusMinus, bool isAverage);
    /// The most seeds any cell has.
    int seeds() const { return m_seeds; }

    /// One line saying what the cells are: "Target accuracy, mean ± std over 2 seeds; * marks
    /// the best cell of each row; each pair's target split and number of texts in its row".
    QString caption() const;
    /// Aligned text with the caption above it (what the CLI prints).
    QString toText() const;
    /// CSV with a header: pair, source, target, evaluated_on, then <strategy>_mean, <strategy>_std,
    /// <strategy>_n per strategy (the average row: mean of the pair means, std = the seeds' spread
    /// of that average or empty, n = pairs), then best (the best strategies of the row, joined by '|').
    QString toCsv() const;
    /// A LaTeX table (booktabs: \toprule, \midrule, \bottomrule; best in \textbf) with the caption.
    QString toLatex() const;

private:
    /// Per initialisation seed the accuracy of a cell's finished runs.
    using SeedAccuracies = QMap<qint64, double>;

    static void markBest(QList<Cell> &cells);
    static double seedSpread(const QList<SeedAccuracies> &cellsOfColumn);

    QStringList m_strategies;
    QList<Row> m_rows;
    QList<Cell> m_average;
    int m_seeds = 0;
};

} // namespace ts
