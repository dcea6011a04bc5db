#include "train/EvaluationShards.h"

#include "train/EvaluationBatches.h"

namespace ts {

std::pair<qsizetype, qsizetype> EvaluationShards::batchRange(qsizetype batchCount, int rank, int worldSize)
{
    return {batchCount * rank / worldSize, batchCount * (rank + 1) / worldSize};
}

QList<int> EvaluationShards::shareOf(const TokenizedSet &set, int batchSize, int rank, int worldSize)
{
    const QList<QList<int>> batches = EvaluationBatches::byLength(set, batchSize);
    const auto [begin, end] = batchRange(batches.size(), rank, worldSize);
    QList<int> share;
    for (qsizetype b = begin; b < end; ++b)
        share.append(batches[b]);
    return share;
}

TokenizedSet EvaluationShards::subset(const TokenizedSet &set, const QList<int> &indices)
{
    TokenizedSet part;
    part.name = set.name;
    part.available = set.available;
    for (int i : indices) {
        part.ids.push_back(set.ids[size_t(i)]);
        part.labels.append(set.labels.value(i, -1));
        part.domains.append(set.domains.value(i, 0));
        if (i < set.documentIds.size())
            part.documentIds.append(set.documentIds[i]);
        if (i < set.truncated.size())
            part.truncated.append(set.truncated[i]);
        if (i < set.texts.size())
            part.texts.append(set.texts[i]);
    }
    return part;
}

Result<torch::Tensor> EvaluationShards::classProbabilities(TrainingObjective &objective, const TokenizedSet &set,
                                                           int batchSize, DataParallelGroup *group)
{
    if (!group || group->worldSize() < 2)
        return objective.classProbabilities(set, batchSize);
    const QList<int> share = shareOf(set, batchSize, group->rank(), group->worldSize());
    const torch::Tensor mine = objective.classProbabilities(subset(set, share), batchSize); // (share, classes)
    if (!mine.defined())
        return torch::Tensor();
    // The shares in rank order are the batches in order: row k of the gathered rows is text order[k].
    auto gathered = group->gatherRows(mine);
    if (!gathered)
        return gathered;
    QList<int> order;
    for (int r = 0; r < group->worldSize(); ++r)
        order.append(r == group->rank() ? share : shareOf(set, batchSize, r, group->worldSize()));
    torch::Tensor probabilities = torch::zeros({set.size(), mine.size(1)}, torch::kFloat32); // (N, classes)
    const torch::Tensor rows = torch::tensor(std::vector<int64_t>(order.begin(), order.end()), torch::kLong);
    probabilities.index_copy_(0, rows, gathered.value());
    return probabilities;
}

Result<QMap<QString, double>> EvaluationShards::evaluate(TrainingObjective &objective, const TokenizedSet &set,
                                                       int batchSize, DataParallelGroup *group)
{
    if (!group || group->worldSize() < 2)
        return objective.evaluate(set, batchSize);
    const QList<QList<int>> batches = EvaluationBatches::byLength(set, batchSize);
    const auto [begin, end] = batchRange(batches.size(), group->rank(), group->worldSize());
    const torch::Tensor mine = objective.evaluationTotals(set, batches.mid(begin, end - begin), begin); // (end - begin, k)
    // The ranks' runs of batches in rank order are the batches in order: row b is batch b's totals.
    auto gathered = group->gatherRows(mine);
    if (!gathered)
        return Result<QMap<QString, double>>::failure(gathered.error());
    return objective.metricsOf(gathered.value());
}

} // namespace ts
