#pragma once

#include "project/RunRecord.h"

#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>

namespace ts {

/// What makes two runs the same experiment: source, target, model and every setting that changes
/// results, the precision it trained in (fp32, bf16) included, but not the seeds (nor the device,
/// threads or checkpoint cadence). Runs with equal
/// keys are seeds of one experiment; Compare Runs groups only those, and shows the key.
class RunSettingsKey
{
public:
    /// One setting of the key: its name and its value as the key writes it.
    using Setting = QPair<QString, QString>;

    /// The key of `run`, readable: "source=1 target=2 model=1 strategy=dann epochs=3 ...".
    static QString of(const RunRecord &run);
    /// The key with the strategy and its options left out: runs that differ only in how they
    /// transfer (a strategy and its source-only baseline) share it.
    static QString withoutStrategy(const RunRecord &run);
    /// What tells the experiment of `runs[index]` from the others in `runs` (one run of each
    /// experiment): its settings whose values are not the same in all of them, as "name=value", a
    /// strategy's options one by one under their own names ("lambda=0.3", as --set writes them).
    /// Those that change what a model learns come first (texts and labels, epochs, rate, ...,
    /// then options), those that change how it is evaluated last; a limit of 0 reads "all".
    /// Empty for a single experiment.
    static QStringList differences(const QList<RunRecord> &runs, qsizetype index);
};

} // namespace ts
