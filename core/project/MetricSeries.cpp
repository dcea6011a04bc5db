#include "project/MetricSeries.h"

#include "project/RunVocabulary.h"

namespace ts {

qint64 MetricSeries::fineTuningStart(const MetricPoints &points)
{
    for (const MetricPoint &p : points) {
        if (p.split == Splits::kTrain && p.metric == Metrics::kLoss)
            return p.step - 1;
    }
    return 0;
}

} // namespace ts
