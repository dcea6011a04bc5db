#pragma once

#include "project/RunSummary.h"
#include "project/SeedStatistics.h"
#include "train/TrainingCallbacks.h"
#include "util/Result.h"

#include <QList>
#include <QString>

#include <functional>

namespace ts {

/// Settings of the out-of-the-box experiment (llama.cpp params style).
struct DemoParams
{
    QString projectPath;                                // must not exist yet
    bool quick = false;                                 // tiny settings (tests, CI): seconds instead of minutes
    int seeds = 3;                                      // runs per strategy (seeds offset by 0..seeds-1)
    QString source = QStringLiteral("books");           // labelled source domain (embedded samples)
    QString target = QStringLiteral("electronics");     // target domain
    QString pretrainDomain = QStringLiteral("restaurants"); // pre-training text besides the source's
    QStringList strategies;                             // empty: DemoExperiment::defaultStrategies()
    std::function<void(const QString &)> step;          // "importing the sample corpora", ... (each stage)
    TrainingCallbacks training;                         // progress, log and cancel of every run
};

/// One line of the demo's result table: a strategy over its seeds, from RunSummary (every text
/// of each domain's test split).
struct DemoResult
{
    QString strategy;
    QList<RunSummary> runs;     // one per seed
    SeedEstimate sourceAccuracy;
    SeedEstimate targetAccuracy;
    SeedEstimate targetMacroF1;
    SeedEstimate gap;
    double seconds = 0;         // wall time of all its runs
    QStringList warnings;       // warning codes any of its runs carries
};

/// The README's first command: on a new project, imports the embedded sample corpora, builds a
/// built-in encoder, pre-trains it from scratch on unlabelled text of the source and a third
/// domain (not the target), then runs zero-shot, source-only, dapt and dann from source to
/// target, each with `seeds` seeds as a group, and returns their results over the seeds. Runs on
/// the calling thread.
class DemoExperiment
{
public:
    static Result<QList<DemoResult>> run(const DemoParams &params);

    /// The strategies the demo compares when DemoParams::strategies is empty: no training, plain
    /// fine-tuning, domain-adaptive pre-training and domain-adversarial training.
    static QStringList defaultStrategies();

    /// The results as an aligned text table (what the CLI prints and the README shows): mean ± std
    /// over the seeds, the splits and their numbers of texts, and the majority-class baseline.
    static QString table(const QList<DemoResult> &results, const DemoParams &params);
};

} // namespace ts
