#pragma once

#include "project/MetricPoint.h"

namespace ts {

/// What a run's recorded points say about its phases.
class MetricSeries
{
public:
    /// Steps taken before fine-tuning began (a pre-training phase), 0 when it began at once: the
    /// step before the first training loss of split "train". Comparisons by step subtract it so
    /// that the fine-tuning of every strategy starts at step 1.
    static qint64 fineTuningStart(const MetricPoints &points);
};

} // namespace ts
