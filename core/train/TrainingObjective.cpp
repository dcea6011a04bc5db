#include "train/TrainingObjective.h"

#include "train/EvaluationBatches.h"

namespace ts {

QMap<QString, double> TrainingObjective::evaluate(const TokenizedSet &set, int batchSize)
{
    return metricsOf(evaluationTotals(set, EvaluationBatches::byLength(set, batchSize), 0));
}

QMap<QString, double> TrainingObjective::metricsOf(const torch::Tensor &totals) const
{
    const torch::Tensor rows = totals.to(torch::kCPU, torch::kFloat64).contiguous(); // (batches, k)
    const auto values = rows.accessor<double, 2>();
    std::vector<double> sums(size_t(rows.size(1)), 0.0);
    // One batch after the other, as a single process adds them up.
    for (int64_t b = 0; b < rows.size(0); ++b) {
        for (int64_t k = 0; k < rows.size(1); ++k)
            sums[size_t(k)] += values[b][k];
    }
    return metricsOfSums(sums);
}

} // namespace ts
