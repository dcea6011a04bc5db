#pragma once

#include "project/RunRecord.h"

#include <QString>

namespace ts {

/// What makes two runs the same experiment: source, target, model and every setting that changes
/// results, the precision it trained in (fp32, bf16) included, but not the seeds (nor the device,
/// threads or checkpoint cadence). Runs with equal
/// keys are seeds of one experiment; Compare Runs groups only those, and shows the key.
class RunSettingsKey
{
public:
    /// The key of `run`, readable: "source=1 target=2 model=1 strategy=dann epochs=3 ...".
    static QString of(const RunRecord &run);
    /// The key with the strategy and its options left out: runs that differ only in how they
    /// transfer (a strategy and its source-only baseline) share it.
    static QString withoutStrategy(const RunRecord &run);
};

} // namespace ts
