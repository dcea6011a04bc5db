#pragma once

#include "train/TokenizedSet.h"

#include <QList>

namespace ts {

/// Batches for evaluation: every example once, sorted by length so that little padding is
/// computed; the order does not matter for the metrics.
class EvaluationBatches
{
public:
    static QList<QList<int>> byLength(const TokenizedSet &set, int batchSize);
};

} // namespace ts
