#pragma once

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
    QString source = QStringLiteral("books");           // labelled source domain (embedded samples)
    QString target = QStringLiteral("electronics");     // target domain
    QString pretrainDomain = QStringLiteral("restaurants"); // pre-training text besides the source's
    QStringList strategies;                             // empty: DemoExperiment::defaultStrategies()
    std::function<void(const QString &)> step;          // "importing the sample corpora", ... (each stage)
    TrainingCallbacks training;                         // progress, log and cancel of every run
};

/// One line of the demo's result table.
struct DemoResult
{
    qint64 runId = 0;
    QString strategy;
    double sourceAccuracy = -1; // source test accuracy (-1: not measured)
    double targetAccuracy = -1; // target test accuracy
    double targetMacroF1 = -1;
    double seconds = 0;         // wall time of the run
};

/// The README's first command: on a new project, imports the embedded sample corpora, builds a
/// built-in encoder, pre-trains it from scratch on unlabelled text of the source and a third
/// domain (not the target), then runs zero-shot, source-only, dapt and dann from source to
/// target and returns their source and target metrics. Runs on the calling thread.
class DemoExperiment
{
public:
    static Result<QList<DemoResult>> run(const DemoParams &params);

    /// The strategies the demo compares when DemoParams::strategies is empty: no training, plain
    /// fine-tuning, domain-adaptive pre-training and domain-adversarial training.
    static QStringList defaultStrategies();

    /// The results as an aligned text table (what the CLI prints and the README shows).
    static QString table(const QList<DemoResult> &results, const DemoParams &params);
};

} // namespace ts
