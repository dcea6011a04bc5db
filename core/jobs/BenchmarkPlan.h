#pragma once

#include "transfer/RunRequest.h"
#include "util/Result.h"

#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QSqlDatabase>
#include <QStringList>

namespace ts {

/// A source -> target pair of corpora, by name.
struct BenchmarkPair
{
    QString source;
    QString target;

    bool operator==(const BenchmarkPair &other) const { return source == other.source && target == other.target; }
};

/// A benchmark matrix: every strategy on every pair with every seed, one model and shared run
/// options. BenchmarkRunner records it as the runs of one group; each run's configuration keeps
/// its cell, so the group alone is enough to resume it and to build its table.
struct BenchmarkPlan
{
    QList<BenchmarkPair> pairs;
    QStringList strategies;
    int seeds = 1;                               // seed k (0-based) adds k to config's init and data seeds
    QString model;                               // by name or id
    TrainingConfig config;                       // shared options; strategy and options are set per cell
    QMap<QString, QJsonObject> strategyOptions;  // strategy -> its options (the rest keep their defaults)

    /// Number of runs: pairs × strategies × seeds.
    int cellCount() const { return int(pairs.size() * strategies.size()) * seeds; }
    /// The group's name: "benchmark: s1, s2 on 2 pairs × 3 seeds with M".
    QString groupName() const;
    /// One request per run, in execution order: pair, then strategy, then seed.
    QList<RunRequest> requests() const;

    /// Parses "A:B,C:D" into pairs; fails naming the item that is not SOURCE:TARGET or repeats.
    static Result<QList<BenchmarkPair>> parsePairs(const QString &text);
    /// Every ordered pair of distinct corpora that both have labelled test (or validation)
    /// documents, by corpus name.
    static Result<QList<BenchmarkPair>> allPairs(const QSqlDatabase &db);
};

} // namespace ts
