#pragma once

#include "project/ClassificationReport.h"
#include "project/RunRecord.h"
#include "project/RunVocabulary.h"
#include "util/Result.h"

#include <QJsonObject>
#include <QSqlDatabase>
#include <QStringList>

namespace ts {

/// A run's result on one domain: the split it comes from (test when the corpus has one, else
/// validation), how many texts were evaluated, and what the predictions say.
struct DomainResult
{
    QString split;            // e.g. "target/test"; empty when the run has no result for the domain
    int examples = 0;         // texts evaluated
    int available = 0;        // texts the split has
    QStringList classes;      // class index -> label
    double accuracy = 0.0;
    double macroF1 = 0.0;
    double ece = -1.0;        // expected calibration error (15 bins); -1: not known (no predictions)
    double majorityAccuracy = -1.0; // always answering the split's most frequent class; -1: not known
    double majorityMacroF1 = -1.0;
    QList<ClassificationReport::ClassFigures> perClass;
    QList<QList<int>> confusion;    // [true][predicted]
    QList<ClassificationReport::CalibrationBin> calibration;
    bool fromPredictions = false;   // false: read from metric rows of a run stored before predictions

    bool isValid() const { return !split.isEmpty(); }
    /// "target test, 390 texts" (or "390 of 1000 texts" for a partial evaluation).
    QString describe() const;
    QJsonObject toJson() const;
};

/// The one definition of a run's result, read from the project: both domains' results, the
/// transfer gap, baselines and warnings. The CLI (`runs`, `runs --json`), the GUI's results panel,
/// Compare Runs and the demo all show this. Torch-free.
struct RunSummary
{
    /// Warning codes (RunSummary::warnings), stable for scripts.
    static constexpr const char *kLearnedNothing = "learned-nothing";
    static constexpr const char *kNegativeTransfer = "negative-transfer";
    static constexpr const char *kPartialEvaluation = "partial-evaluation";
    static constexpr const char *kDomainGameBroken = "domain-game-broken";

    /// Macro-F1 within this of the majority baseline's counts as having learned nothing.
    static constexpr double kLearnedNothingMargin = 0.02;
    /// A training loss that never falls below this share of its first value learned nothing.
    static constexpr double kLossDropRatio = 0.95;
    /// A domain classifier (domain-adversarial training) whose accuracy on training batches stays
    /// below the first or above the second over the second half of the run has stopped playing the
    /// adversarial game: beaten outright (the encoder flipped its features) or never fooled.
    static constexpr double kDomainBeatenBelow = 0.2;
    static constexpr double kDomainUnfooledAbove = 0.98;
    /// Fewer recorded steps than this say too little about the game to warn.
    static constexpr int kDomainGameMinSteps = 10;

    RunRecord run;
    QString settingsKey;          // RunSettingsKey::of(run)
    DomainResult source;
    DomainResult target;
    QStringList warnings;         // codes above
    QStringList warningTexts;     // the same, in words, for people
    QString baselineStrategy;     // the strategy runs are judged against (plain fine-tuning, as the registry says)
    qint64 baselineRunId = 0;     // a finished run of it with the same settings (0: none)
    double baselineTargetAccuracy = -1.0;

    /// Which weights are the run's result (the run config's "selection") and the step they are from.
    struct Selection
    {
        QString criterion = QStringLiteral("last"); // "last", "best-source", "best-target"
        qint64 step = -1;                           // -1: not known (no training step recorded)
        bool usesTargetLabels = false;              // best-target reads target validation labels
        QJsonObject toJson() const;
        /// The criterion in words: "last step", "best source validation", "best target validation
        /// (uses target labels)".
        QString describe() const;
    };
    Selection selection;

    /// Source accuracy minus target accuracy (what transfer loses); NaN when either is missing.
    double gap() const;
    const DomainResult &result(Domain domain) const { return domain == Domain::Source ? source : target; }

    /// Whether this run is itself of the baseline strategy.
    bool isBaseline() const { return run.strategy == baselineStrategy; }

    /// The summary of run `runId`; `baselineStrategy` is the strategy it is judged against
    /// (StrategyRegistry::fineTuningBaseline()).
    static Result<RunSummary> load(const QSqlDatabase &db, qint64 runId, const QString &baselineStrategy);
    /// The summary of every run, oldest first (one pass over the runs for baselines).
    static Result<QList<RunSummary>> loadAll(const QSqlDatabase &db, const QString &baselineStrategy);

    /// `runs --json`'s object: id, name, strategy, status, settings, final.source / final.target,
    /// warnings, baseline.
    QJsonObject toJson() const;
};

} // namespace ts
