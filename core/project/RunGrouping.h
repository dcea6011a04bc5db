#pragma once

#include "project/RunSummary.h"
#include "project/SeedStatistics.h"

#include <QJsonObject>
#include <QStringList>

namespace ts {

/// Runs that are seeds of one experiment (equal RunSettingsKey), with each result's statistics.
struct RunGroupResult
{
    QString key;              // RunSettingsKey::of, shown to the user
    QString strategy;
    QList<RunSummary> runs;   // finished runs, oldest first
    RunSummary::Selection selection; // which weights are each run's result (in the key; step -1)
    QString targetSplit;      // the split of the target results ("target/test"), with their size
    int targetExamples = 0;
    QString sourceSplit;
    int sourceExamples = 0;
    SeedEstimate targetAccuracy;
    SeedEstimate targetMacroF1;
    SeedEstimate sourceAccuracy;
    SeedEstimate gap;
    QStringList differences;  // what tells it from the other groups of its strategy ("epochs=5")

    QJsonObject toJson() const;
};

/// Two strategies on the same experiment, paired by seed: the mean difference of target accuracy
/// (first minus second) and its bootstrap interval over the pairs.
struct PairedDifference
{
    QString first;     // strategy names
    QString second;
    SeedEstimate targetAccuracy;
    SeedEstimate targetMacroF1;

    QJsonObject toJson() const;
};

/// Groups finished runs as seeds only when every setting but the seeds is identical.
class RunGrouping
{
public:
    /// The groups of `runs` (unfinished runs and runs without a target result left out), in the
    /// order of their first run; groups of one strategy say what tells them apart.
    static QList<RunGroupResult> group(const QList<RunSummary> &runs);
    /// Every pair of groups that differ only in their strategy, paired over equal seeds; pairs with
    /// no common seed are left out.
    static QList<PairedDifference> paired(const QList<RunGroupResult> &groups);
};

} // namespace ts
