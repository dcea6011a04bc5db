#include "train/EvaluationBatches.h"

#include <algorithm>
#include <numeric>

namespace ts {

QList<QList<int>> EvaluationBatches::byLength(const TokenizedSet &set, int batchSize)
{
    QList<int> order(set.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(),
                     [&set](int a, int b) { return set.ids[size_t(a)].size() < set.ids[size_t(b)].size(); });
    QList<QList<int>> batches;
    const int size = std::max(1, batchSize);
    for (qsizetype start = 0; start < order.size(); start += size)
        batches.append(order.mid(start, size));
    return batches;
}

} // namespace ts
